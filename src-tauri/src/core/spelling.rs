//! The spelling checker of the app: the system's lexicon, the user's own words, and the
//! newsroom's lexicon (the server's learnt words and the words its editors shared), asked for
//! at login and after a sync round at most every ten minutes, kept for offline starts.

use super::{App, lock};
use crate::error::AppError;
use bangla::spell::lexicon::Source;
use barta_model::api::LexiconResponse;
use barta_model::{ErrorCode, Role};
use barta_sync::StoreAccess;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const USER_WORDS_KEY: &str = "spelling.user_words";
/// The newsroom's lexicon as the server last gave it (a JSON list).
pub(super) const NEWSROOM_WORDS_KEY: &str = "spelling.newsroom_words";
/// How often a sync round asks for the newsroom's lexicon again.
const LEXICON_EVERY: Duration = Duration::from_secs(600);

/// Teaches `checker` the newsroom's words, how common each is in its published text (for
/// ranking suggestions), and whether the newsroom wants standard-spelling suggestions.
fn teach(checker: &mut bangla::SpellChecker, lexicon: LexiconResponse) {
    checker.set_standard_spelling(lexicon.style_suggestions);
    checker.set_counts(lexicon.words.iter().map(|e| (e.word.as_str(), e.articles)));
    checker.add_words(lexicon.words.into_iter().map(|e| e.word), Source::Learnt);
}

/// The spelling part's state.
#[derive(Default)]
pub(super) struct SpellingState {
    /// The spelling checker, loaded on first use (None inside: no word list installed).
    pub speller: std::sync::OnceLock<Option<Mutex<bangla::SpellChecker>>>,
    /// When the newsroom's lexicon was last asked for in this run.
    pub lexicon_asked: Mutex<Option<Instant>>,
}

impl App {
    /// The system word list plus the user's own words; loaded once.
    fn speller(&self) -> Option<&Mutex<bangla::SpellChecker>> {
        self.spelling
            .speller
            .get_or_init(|| {
                let mut checker = match bangla::SpellChecker::system() {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::info!("spelling is off: {e}");
                        return None;
                    }
                };
                checker.add_words(self.user_words(), Source::User);
                teach(&mut checker, self.newsroom_lexicon());
                // Loading the word lists freed as much as the checker keeps.
                crate::memory::give_back();
                Some(Mutex::new(checker))
            })
            .as_ref()
    }

    fn user_words(&self) -> Vec<String> {
        self.setting_or_none(USER_WORDS_KEY)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    pub fn spell_check(&self, texts: &[String]) -> crate::ipc_types::SpellReport {
        match self.speller() {
            Some(checker) => crate::text::spell_check(Some(&lock(checker)), texts),
            None => crate::text::spell_check(None, texts),
        }
    }

    /// Adds a word to the user's dictionary (kept in the local store).
    pub fn add_to_dictionary(&self, word: &str) -> Result<(), AppError> {
        let word = bangla::normalize(word.trim());
        if word.is_empty() {
            return Err(AppError::new(ErrorCode::Invalid, "an empty word"));
        }
        let mut words = self.user_words();
        if !words.contains(&word) {
            words.push(word.clone());
            let json = serde_json::to_string(&words)
                .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
            self.store()?
                .with(|s| s.set_setting(USER_WORDS_KEY, Some(&json)))?;
        }
        if let Some(checker) = self.speller() {
            lock(checker).add_user_word(&word);
        }
        Ok(())
    }

    /// The newsroom's lexicon as the server last gave it (empty before it has).
    fn newsroom_lexicon(&self) -> LexiconResponse {
        self.setting_or_none(NEWSROOM_WORDS_KEY)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Asks the server for the newsroom's lexicon (`now`, or when ten minutes have passed
    /// since the last time in this run), keeps it, and teaches the loaded checker the new
    /// words. Best effort: offline, the words kept last time stay.
    pub(super) async fn refresh_newsroom_words(&self, token: &str, now: bool) {
        {
            let mut asked = lock(&self.spelling.lexicon_asked);
            if !now && asked.is_some_and(|at| at.elapsed() < LEXICON_EVERY) {
                return;
            }
            *asked = Some(Instant::now());
        }
        let lexicon = match self.client.lexicon(token).await {
            Ok(lexicon) => lexicon,
            Err(e) => {
                let e = AppError::from(e);
                tracing::info!(code = %e.code, "newsroom lexicon not refreshed: {}", e.message);
                return;
            }
        };
        let kept = serde_json::to_string(&lexicon)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
            .and_then(|json| {
                Ok(self
                    .store()?
                    .with(|s| s.set_setting(NEWSROOM_WORDS_KEY, Some(&json)))?)
            });
        if let Err(e) = kept {
            tracing::info!(code = %e.code, "newsroom lexicon not kept: {}", e.message);
        }
        if let Some(Some(checker)) = self.spelling.speller.get() {
            teach(&mut lock(checker), lexicon);
        }
    }

    /// The next sync round asks for the newsroom's lexicon whatever its age (a sync the user
    /// asked for).
    pub fn refresh_lexicon_next_round(&self) {
        *lock(&self.spelling.lexicon_asked) = None;
    }

    /// Shares a word with the whole newsroom (desk editors): the server adds it to the
    /// newsroom's lexicon, which every laptop loads; this laptop accepts it at once.
    pub async fn share_word(&self, word: &str) -> Result<(), AppError> {
        let word = bangla::normalize(word.trim());
        let session = self
            .session()
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))?;
        if session.user.role == Role::Reporter {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "only desk editors share words with the newsroom",
            ));
        }
        let stored = self.client.add_lexicon_word(&session.token, &word).await?;
        if let Some(checker) = self.speller() {
            lock(checker).add_words([stored], Source::Learnt);
        }
        Ok(())
    }
}
