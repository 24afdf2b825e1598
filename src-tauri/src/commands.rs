//! The Tauri commands: each parses its arguments, calls one [`App`] method and maps the error
//! to `{code, message}`. No SQL and no business rules here.

use crate::core::App;
use crate::error::AppError;
use crate::ipc_types::{
    AppInfo, ArticleList, DatelineText, EditPlace, PastedText, SpellReport, SyncStatus, TextStats,
};
use barta_model::RevisionId;
use barta_model::api::UserInfo;
use barta_model::diff::DocumentDiff;
use barta_model::{ArticleId, ArticleMeta, Block, Document, ErrorCode};
use barta_store::{ArticleDraft, ArticleSummary, RevisionInfo, SearchHit, SearchQuery};
use std::sync::Arc;
use tauri::State;

type AppState<'a> = State<'a, Arc<App>>;

fn revision_id(id: &str) -> Result<RevisionId, AppError> {
    id.parse().map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            format!("{id:?} is not a revision id"),
        )
    })
}

fn article_id(id: &str) -> Result<ArticleId, AppError> {
    id.parse().map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            format!("{id:?} is not an article id"),
        )
    })
}

#[tauri::command]
pub fn app_info(app: AppState<'_>) -> AppInfo {
    app.info()
}

#[tauri::command]
pub async fn login(
    app: AppState<'_>,
    username: String,
    password: String,
) -> Result<UserInfo, AppError> {
    app.login(&username, &password).await
}

#[tauri::command]
pub fn logout(app: AppState<'_>) -> Result<(), AppError> {
    app.logout()
}

#[tauri::command]
pub fn list_articles(
    app: AppState<'_>,
    list: ArticleList,
) -> Result<Vec<ArticleSummary>, AppError> {
    app.list(list)
}

#[tauri::command]
pub fn create_article(app: AppState<'_>) -> Result<ArticleDraft, AppError> {
    app.create()
}

#[tauri::command]
pub fn load_article(app: AppState<'_>, id: String) -> Result<ArticleDraft, AppError> {
    app.load(article_id(&id)?)
}

/// Async: the open article polls it every 2 s, and it waits for the store, which a sync round
/// may be holding; the main thread stays free to paint the keystroke meanwhile.
#[tauri::command]
pub async fn article_summary(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.summary(article_id(&id)?)
}

/// Async, like every typing save: it may wait for the store, which a sync round or the
/// durability thread may hold, and the main thread stays free to paint the keystroke.
#[tauri::command]
pub async fn save_draft(
    app: AppState<'_>,
    id: String,
    meta: ArticleMeta,
    body: Document,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.save_draft(article_id(&id)?, meta, body, place)
}

/// A typing save of only the blocks that changed since the last one (`conflict`: send the
/// whole document with [`save_draft`]).
#[tauri::command]
pub async fn save_draft_blocks(
    app: AppState<'_>,
    id: String,
    meta: ArticleMeta,
    order: Vec<String>,
    changed: Vec<Block>,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.save_draft_blocks(article_id(&id)?, meta, order, changed, place)
}

/// The cursor moved in the open article (nothing typed).
#[tauri::command]
pub async fn remember_place(
    app: AppState<'_>,
    id: String,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.remember_place(article_id(&id)?, place)
}

/// The comments being typed on the article, by the comment they answer (`""`: a new one).
#[tauri::command]
pub async fn comment_drafts(
    app: AppState<'_>,
    id: String,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    app.comment_drafts(article_id(&id)?)
}

/// Keeps the comments being typed on the article (as typing is kept).
#[tauri::command]
pub async fn save_comment_drafts(
    app: AppState<'_>,
    id: String,
    drafts: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    app.save_comment_drafts(article_id(&id)?, drafts)
}

/// The open article was left for a list: a restart opens the list.
#[tauri::command]
pub async fn forget_open_article(app: AppState<'_>) -> Result<(), AppError> {
    app.forget_open_article()
}

#[tauri::command]
pub fn submit_article(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.submit(article_id(&id)?)
}

#[tauri::command]
pub async fn approve_article(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.approve(article_id(&id)?).await
}

#[tauri::command]
pub async fn sync_now(app: AppState<'_>) -> Result<SyncStatus, AppError> {
    // Asked for by the user: everything is brought up to date, the newsroom's lexicon too.
    app.refresh_lexicon_next_round();
    Ok(app.sync_now().await)
}

#[tauri::command]
pub fn sync_status(app: AppState<'_>) -> SyncStatus {
    app.status()
}

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

#[tauri::command]
pub fn export_bijoy(app: AppState<'_>, id: String) -> Result<String, AppError> {
    app.export_bijoy(article_id(&id)?)
}

#[tauri::command]
pub fn search_articles(
    app: AppState<'_>,
    list: ArticleList,
    query: SearchQuery,
) -> Result<Vec<SearchHit>, AppError> {
    app.search(list, query)
}

#[tauri::command]
pub fn article_history(app: AppState<'_>, id: String) -> Result<Vec<RevisionInfo>, AppError> {
    app.history(article_id(&id)?)
}

#[tauri::command]
pub fn diff_revisions(
    app: AppState<'_>,
    id: String,
    from: String,
    to: Option<String>,
) -> Result<DocumentDiff, AppError> {
    let to = to.as_deref().map(revision_id).transpose()?;
    app.diff(article_id(&id)?, revision_id(&from)?, to)
}

#[tauri::command]
pub fn save_version(app: AppState<'_>, id: String) -> Result<ArticleDraft, AppError> {
    app.save_version(article_id(&id)?)
}

#[tauri::command]
pub fn restore_revision(
    app: AppState<'_>,
    id: String,
    rev: String,
) -> Result<ArticleDraft, AppError> {
    app.restore(article_id(&id)?, revision_id(&rev)?)
}

/// The image's bytes arrive as the raw request body (no JSON for megabytes).
#[tauri::command]
pub async fn add_image(
    app: AppState<'_>,
    request: tauri::ipc::Request<'_>,
) -> Result<String, AppError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(AppError::new(
            ErrorCode::BadRequest,
            "send the image as raw bytes",
        ));
    };
    let bytes = bytes.clone();
    let app = app.inner().clone();
    tauri::async_runtime::spawn_blocking(move || app.add_image(&bytes))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
}

#[tauri::command]
pub fn image_data_url(app: AppState<'_>, src: String) -> Result<String, AppError> {
    app.image_data_url(&src)
}

#[tauri::command]
pub fn published_times(instants: Vec<String>) -> Vec<String> {
    crate::text::published_times(&instants)
}

/// Async so that it runs off the main thread, which stays free to paint.
#[tauri::command]
pub async fn desk_queue(
    app: AppState<'_>,
    query: barta_store::QueueQuery,
) -> Result<crate::ipc_types::QueueView, AppError> {
    app.desk_queue(query)
}

#[tauri::command]
pub fn act_on_article(
    app: AppState<'_>,
    id: String,
    action: barta_model::Action,
    note: Option<String>,
) -> Result<ArticleSummary, AppError> {
    app.act(article_id(&id)?, action, note)
}

#[tauri::command]
pub async fn publish_article(
    app: AppState<'_>,
    id: String,
    at: Option<String>,
) -> Result<crate::ipc_types::PublishOutcome, AppError> {
    app.publish(article_id(&id)?, at).await
}

#[tauri::command]
pub fn preview_article(
    app: AppState<'_>,
    id: String,
    at: Option<String>,
) -> Result<String, AppError> {
    app.preview(article_id(&id)?, at)
}

#[tauri::command]
pub async fn article_comments(
    app: AppState<'_>,
    id: String,
) -> Result<Vec<barta_store::Comment>, AppError> {
    app.comments(article_id(&id)?).await
}

#[tauri::command]
pub fn add_comment(
    app: AppState<'_>,
    id: String,
    anchor: barta_model::api::CommentAnchor,
    parent_id: Option<String>,
    body: String,
) -> Result<barta_store::Comment, AppError> {
    app.add_comment(article_id(&id)?, anchor, parent_id, &body)
}

#[tauri::command]
pub fn resolve_comment(app: AppState<'_>, id: String, comment_id: String) -> Result<(), AppError> {
    app.resolve_comment(article_id(&id)?, &comment_id)
}

/// The page's answer to a close request (see `close_after_saving` in main.rs): its unsaved
/// edits are saved, so the window closes for good.
#[tauri::command]
pub fn close_window(window: tauri::WebviewWindow) -> Result<(), AppError> {
    window
        .destroy()
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("closing the window: {e}")))
}

#[tauri::command]
pub async fn public_url(app: AppState<'_>, id: String) -> Result<Option<String>, AppError> {
    app.public_url(article_id(&id)?).await
}

#[tauri::command]
pub async fn retry_delivery(
    app: AppState<'_>,
    id: String,
    target: String,
) -> Result<Vec<barta_model::api::DeliveryInfo>, AppError> {
    app.retry_delivery(article_id(&id)?, &target).await
}

#[tauri::command]
pub fn notifications(app: AppState<'_>) -> Result<bool, AppError> {
    app.notifications()
}

#[tauri::command]
pub fn set_notifications(app: AppState<'_>, on: bool) -> Result<(), AppError> {
    app.set_notifications(on)
}

#[tauri::command]
pub async fn correct_article(
    app: AppState<'_>,
    id: String,
    note: String,
) -> Result<crate::ipc_types::PublishOutcome, AppError> {
    app.correct(article_id(&id)?, note).await
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
