//! Keeping what is typed: the typing saves (the whole document, or only the blocks that
//! changed), the article that is open and where its cursor is (so that after a crash the app
//! opens there again), and the thread that puts typing saves on disk a couple of seconds
//! after they are made (`barta_store` `durability.rs`; ARCHITECTURE.md, "What survives what").

use super::App;
use crate::error::AppError;
use crate::ipc_types::{EditPlace, OpenArticle};
use barta_model::{ArticleId, ArticleMeta, Block, Document, ErrorCode};
use barta_sync::StoreAccess;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The setting that names the open article and its cursor.
pub(super) const OPEN_ARTICLE_KEY: &str = "editing.open_article";
/// The settings that hold the comments being typed on an article (this prefix + its id).
const COMMENT_DRAFTS_PREFIX: &str = "editing.comment_drafts.";
/// The most text the comments being typed on one article may hold.
pub const COMMENT_DRAFTS_MAX_BYTES: usize = 64 * 1024;

/// A typing save older than this is put on disk (at most this plus [`DURABLE_TICK`] after it
/// was made, a power cut can take it).
pub const DURABLE_AFTER: Duration = Duration::from_secs(2);
/// How often the durability thread looks.
pub const DURABLE_TICK: Duration = Duration::from_millis(500);

impl App {
    /// A typing save of the whole document, with the cursor's place.
    pub fn save_draft(
        &self,
        id: ArticleId,
        meta: ArticleMeta,
        body: Document,
        place: Option<EditPlace>,
    ) -> Result<(), AppError> {
        let open = open_json(id, place)?;
        // Typing is activity: the idle lock's time starts again.
        self.still_here();
        Ok(self.store()?.with(|s| {
            s.save_working_copy(id, meta, body)?;
            s.set_setting_relaxed(OPEN_ARTICLE_KEY, Some(&open))
        })?)
    }

    /// A typing save of the blocks that changed since the last one (see
    /// `Store::save_working_blocks`); `conflict` when the store asks for the whole document.
    pub fn save_draft_blocks(
        &self,
        id: ArticleId,
        meta: ArticleMeta,
        order: Vec<String>,
        changed: Vec<Block>,
        place: Option<EditPlace>,
    ) -> Result<(), AppError> {
        let open = open_json(id, place)?;
        self.still_here();
        Ok(self.store()?.with(|s| {
            s.save_working_blocks(id, meta, order, changed)?;
            s.set_setting_relaxed(OPEN_ARTICLE_KEY, Some(&open))
        })?)
    }

    /// The article is open, its cursor at `place` (nothing typed since the last save).
    pub fn remember_place(&self, id: ArticleId, place: Option<EditPlace>) -> Result<(), AppError> {
        let open = open_json(id, place)?;
        self.watch(Some(id));
        Ok(self
            .store()?
            .with(|s| s.set_setting_relaxed(OPEN_ARTICLE_KEY, Some(&open)))?)
    }

    /// No article is open any more (the reporter went back to a list).
    pub fn forget_open_article(&self) -> Result<(), AppError> {
        self.watch(None);
        Ok(self
            .store()?
            .with(|s| s.set_setting_relaxed(OPEN_ARTICLE_KEY, None))?)
    }

    /// The article that was open when the app last stopped, if it is still here.
    pub(super) fn open_article(&self) -> Option<OpenArticle> {
        let open: OpenArticle = self
            .setting_or_none(OPEN_ARTICLE_KEY)
            .and_then(|json| serde_json::from_str(&json).ok())?;
        let id = open.id.parse().ok()?;
        self.store().ok()?.with(|s| s.summary(id)).ok()?;
        Some(open)
    }

    /// The comments being typed on the article and not yet posted, by the comment they reply
    /// to (`""` for a new comment on a passage).
    pub fn comment_drafts(&self, id: ArticleId) -> Result<BTreeMap<String, String>, AppError> {
        let key = format!("{COMMENT_DRAFTS_PREFIX}{id}");
        Ok(self
            .store()?
            .with(|s| s.setting(&key))?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Keeps the comments being typed on the article (saved as typing is: they survive the
    /// app being killed at once). Texts are normalized; empty ones are dropped.
    pub fn save_comment_drafts(
        &self,
        id: ArticleId,
        drafts: BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        let drafts: BTreeMap<String, String> = drafts
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(parent, text)| (parent, bangla::normalize(&text)))
            .collect();
        if drafts.keys().any(|parent| parent.len() > 64) {
            return Err(AppError::new(
                ErrorCode::BadRequest,
                "a comment draft's key is not a comment id",
            ));
        }
        let size: usize = drafts.iter().map(|(k, v)| k.len() + v.len()).sum();
        if size > COMMENT_DRAFTS_MAX_BYTES {
            return Err(AppError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "the comments being typed hold {size} bytes; at most {COMMENT_DRAFTS_MAX_BYTES} are kept"
                ),
            ));
        }
        let json = (!drafts.is_empty())
            .then(|| serde_json::to_string(&drafts))
            .transpose()
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let key = format!("{COMMENT_DRAFTS_PREFIX}{id}");
        Ok(self
            .store()?
            .with(|s| s.set_setting_relaxed(&key, json.as_deref()))?)
    }

    /// Puts every typing save on disk now (before an update replaces the app).
    pub fn make_everything_durable(&self) -> Result<(), AppError> {
        self.store()?
            .with(|s| s.make_durable_after(std::time::Duration::ZERO))?;
        Ok(())
    }

    /// Puts typing saves older than [`DURABLE_AFTER`] on disk.
    fn make_durable(&self) {
        let Ok(store) = self.store() else {
            return;
        };
        if let Err(e) = store.with(|s| s.make_durable_after(DURABLE_AFTER)) {
            let e = AppError::from(e);
            tracing::warn!(code = %e.code, "typing saves not yet on disk: {}", e.message);
        }
    }
}

fn open_json(id: ArticleId, place: Option<EditPlace>) -> Result<String, AppError> {
    if let Some(place) = &place
        && !place.is_plausible()
    {
        return Err(AppError::new(
            ErrorCode::BadRequest,
            format!("{:?} is not a field of the article", place.field),
        ));
    }
    let open = OpenArticle {
        id: id.to_string(),
        place,
    };
    serde_json::to_string(&open).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

/// Runs for the life of the app: every [`DURABLE_TICK`], typing saves older than
/// [`DURABLE_AFTER`] are put on disk (one `synchronous=FULL` commit: one fsync).
pub fn keep_durable(app: Arc<App>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(DURABLE_TICK);
            app.make_durable();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::AppConfig;

    fn app(dir: &std::path::Path) -> App {
        crate::core::vault::unlocked_for_tests(
            AppConfig {
                data_dir: dir.to_path_buf(),
                server_url: "http://127.0.0.1:9".into(),
                sync_interval: Duration::from_secs(60),
                image_max_edge: 2048,
            },
            "rahim",
        )
    }

    #[test]
    fn the_open_article_and_its_place_are_kept_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let id = app
            .store()
            .unwrap()
            .with(|s| s.create_article("national", "rahim"))
            .unwrap();
        let place = EditPlace {
            field: "body".into(),
            anchor: 12,
            head: 12,
            scroll: 300,
        };
        app.save_draft(
            id,
            ArticleMeta {
                headline: "শিরোনাম".into(),
                desk: "national".into(),
                ..Default::default()
            },
            Document::from_paragraphs([("a", "লেখা")]),
            Some(place.clone()),
        )
        .unwrap();
        drop(app);
        let app = self::app(dir.path());
        let open = app.open_article().expect("the open article is remembered");
        assert_eq!(open.id, id.to_string());
        assert_eq!(open.place, Some(place));
        app.forget_open_article().unwrap();
        assert_eq!(app.open_article(), None);
        // A field that is not one is refused, and nothing is written.
        let bad = EditPlace {
            field: "<script>".into(),
            anchor: 0,
            head: 0,
            scroll: 0,
        };
        let refused = app.remember_place(id, Some(bad)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::BadRequest);
        assert_eq!(app.open_article(), None);
    }

    #[test]
    fn comments_being_typed_are_kept_normalized_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let app = app(dir.path());
            let id = app
                .store()
                .unwrap()
                .with(|s| s.create_article("national", "nasrin"))
                .unwrap();
            let drafts = BTreeMap::from([
                // য় typed precomposed is stored with its nukta apart (bengali.md §1).
                ("".to_string(), "সূত্রের নাম দিন, কোরি\u{09DF}া".to_string()),
                ("0191-reply".to_string(), "ঠিক আছে".to_string()),
                ("empty".to_string(), "  ".to_string()),
            ]);
            app.save_comment_drafts(id, drafts).unwrap();
            id
        };
        let app = app(dir.path());
        let kept = app.comment_drafts(id).unwrap();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(kept[""], "সূত্রের নাম দিন, কোরি\u{09AF}\u{09BC}া");
        assert_eq!(kept["0191-reply"], "ঠিক আছে");
        let huge = BTreeMap::from([(String::new(), "ক".repeat(COMMENT_DRAFTS_MAX_BYTES))]);
        let refused = app.save_comment_drafts(id, huge).unwrap_err();
        assert_eq!(refused.code, ErrorCode::PayloadTooLarge);
        assert_eq!(
            app.comment_drafts(id).unwrap(),
            kept,
            "nothing kept is lost"
        );
        app.save_comment_drafts(id, BTreeMap::new()).unwrap();
        assert!(app.comment_drafts(id).unwrap().is_empty());
    }
}
