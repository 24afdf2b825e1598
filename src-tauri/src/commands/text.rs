//! The text services' commands: phonetic typing, paste cleaning, counts, datelines, dates and spelling.

use super::AppState;
use crate::error::AppError;
use crate::ipc_types::{DatelineText, PastedText, SpellReport, TextStats};
use barta_model::ErrorCode;

/// Async so that it runs off the main thread, which stays free to paint the keystroke.
#[tauri::command]
pub async fn phonetic_preview(roman: String) -> String {
    crate::text::phonetic_preview(&roman)
}

/// Most roman buffers a [`phonetic_previews`] call converts (more are left out).
const MAX_PREVIEWS: usize = 128;

/// The previews of several roman buffers in one call: the editor asks for every letter that
/// may come next, so that the next keystroke's Bengali is known before the key is pressed.
#[tauri::command]
pub async fn phonetic_previews(romans: Vec<String>) -> Vec<String> {
    romans
        .iter()
        .take(MAX_PREVIEWS)
        .map(|roman| crate::text::phonetic_preview(roman))
        .collect()
}

#[tauri::command]
pub fn phonetic_suggestions(roman: String) -> Vec<String> {
    crate::text::phonetic_suggestions(&roman)
}

#[tauri::command]
pub fn paste_text(text: String) -> PastedText {
    crate::text::paste(&text)
}

/// Many runs of one paste in one call (a long paste has thousands). Async: a 50,000-word paste
/// is converted off the main thread.
#[tauri::command]
pub async fn paste_texts(texts: Vec<String>) -> Vec<PastedText> {
    texts.iter().map(|t| crate::text::paste(t)).collect()
}

/// Async so that counting a long article runs off the main thread while the reporter types.
#[tauri::command]
pub async fn text_stats(text: String) -> TextStats {
    crate::text::stats(&text)
}

/// The dateline for `place`, dated `at` (RFC 3339: the embargo, when the article has one,
/// since the date printed is the publication's) or now.
#[tauri::command]
pub fn dateline(place: String, at: Option<String>) -> Result<DatelineText, AppError> {
    let at = match at {
        None => chrono::Utc::now(),
        Some(at) => chrono::DateTime::parse_from_rfc3339(&at)
            .map_err(|e| AppError::new(ErrorCode::Invalid, format!("not a time: {at:?} ({e})")))?
            .with_timezone(&chrono::Utc),
    };
    Ok(crate::text::dateline(&place, at))
}

#[tauri::command]
pub fn published_times(instants: Vec<String>) -> Vec<String> {
    crate::text::published_times(&instants)
}

#[tauri::command]
pub async fn spell_check(app: AppState<'_>, texts: Vec<String>) -> Result<SpellReport, AppError> {
    let app = app.inner().clone();
    // Loading the word list the first time takes a moment: keep it off the UI thread.
    tauri::async_runtime::spawn_blocking(move || app.spell_check(&texts))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

#[tauri::command]
pub fn add_to_dictionary(app: AppState<'_>, word: String) -> Result<(), AppError> {
    app.add_to_dictionary(&word)
}

#[tauri::command]
pub async fn share_word(app: AppState<'_>, word: String) -> Result<(), AppError> {
    app.share_word(&word).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn previews_come_in_order_and_at_most_128() {
        let romans: Vec<String> = ["ami", "a", "k", "bangla"]
            .iter()
            .cycle()
            .take(200)
            .map(|r| r.to_string())
            .collect();
        let previews = tauri::async_runtime::block_on(super::phonetic_previews(romans.clone()));
        assert_eq!(previews.len(), super::MAX_PREVIEWS);
        for (roman, preview) in romans.iter().zip(&previews) {
            assert_eq!(preview, &crate::text::phonetic_preview(roman));
        }
        assert_eq!(previews[0], "আমি");
    }
}
