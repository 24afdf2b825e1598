//! The user's articles in the local store: the lists, creating, loading, submitting (queued,
//! works offline), search, history with diffs and restore, save points and Bijoy export. Every
//! summary leaves with the user's allowed actions.

use super::App;
use crate::error::AppError;
use crate::ipc_types::{ArticleList, FoundArticle};
use barta_model::diff::DocumentDiff;
use barta_model::{ArticleId, ErrorCode, RevisionId, WorkflowState};
use barta_store::{ArticleDraft, ArticleSummary, ListFilter, RevisionInfo, SearchQuery, Store};
use barta_sync::StoreAccess;

/// How many articles a list shows.
const LIST_LIMIT: usize = 200;

impl App {
    pub fn list(&self, list: ArticleList) -> Result<Vec<ArticleSummary>, AppError> {
        let user = self.user()?;
        let filter = match list {
            ArticleList::Mine => ListFilter {
                author: Some(user.username),
                ..Default::default()
            },
            ArticleList::DeskQueue => ListFilter {
                states: vec![WorkflowState::Submitted, WorkflowState::InProgress],
                desks: user.desks,
                author: None,
            },
        };
        // The newest few hundred: older ones are a search away, and a list of 10,000 rows
        // would slow every refresh.
        let rows = self
            .store()?
            .with(|s| s.newest(&filter, Some(LIST_LIMIT)))?;
        Ok(rows.into_iter().map(|r| self.with_actions(r)).collect())
    }

    pub fn create(&self) -> Result<ArticleDraft, AppError> {
        let user = self.user()?;
        let desk =
            user.desks.first().cloned().ok_or_else(|| {
                AppError::new(ErrorCode::Invalid, "your account belongs to no desk")
            })?;
        let draft = self.store()?.with(|s| {
            let id = s.create_article(&desk, &user.username)?;
            s.load_article(id)
        })?;
        self.events.articles([draft.summary.id]);
        Ok(self.draft_with_actions(draft))
    }

    /// The open article's state and sync state, which the sync loop may change while it is open.
    pub fn summary(&self, id: ArticleId) -> Result<ArticleSummary, AppError> {
        Ok(self.with_actions(self.store()?.with(|s| s.summary(id))?))
    }

    pub fn load(&self, id: ArticleId) -> Result<ArticleDraft, AppError> {
        Ok(self.draft_with_actions(self.store()?.with(|s| s.load_article(id))?))
    }

    pub fn submit(&self, id: ArticleId) -> Result<ArticleSummary, AppError> {
        let draft = self.queue(|s, author| {
            s.submit(id, author)?;
            s.load_article(id)
        })?;
        self.events.articles([id]);
        Ok(self.with_actions(draft.summary))
    }

    /// Runs a store change by the logged-in user that queues work for the server (in one
    /// store call), then updates the pending count and wakes the sync loop.
    pub(super) fn queue<T>(
        &self,
        change: impl FnOnce(&mut Store, &str) -> Result<T, barta_store::StoreError>,
    ) -> Result<T, AppError> {
        let user = self.user()?;
        let out = self.store()?.with(|s| change(s, &user.username))?;
        self.refresh_pending();
        self.sync.wake.notify_one();
        Ok(out)
    }

    /// Searches the local articles the user may see in `list` (their own, or their desks');
    /// the newsroom's archive is asked apart (`archive.rs`), so these show at once.
    pub fn search(
        &self,
        list: ArticleList,
        mut query: SearchQuery,
    ) -> Result<Vec<FoundArticle>, AppError> {
        let user = self.user()?;
        query.text = bangla::normalize(&query.text);
        match list {
            ArticleList::Mine => query.author = Some(user.username),
            ArticleList::DeskQueue => {
                if query.desks.is_empty() {
                    query.desks = user.desks;
                }
            }
        }
        let hits = self.store()?.with(|s| s.search(&query))?;
        Ok(hits.into_iter().map(FoundArticle::from).collect())
    }

    /// The article's revisions, newest first.
    pub fn history(&self, id: ArticleId) -> Result<Vec<RevisionInfo>, AppError> {
        Ok(self.store()?.with(|s| s.history(id))?)
    }

    /// What changed from `from` to `to` (to the working copy when `to` is None).
    pub fn diff(
        &self,
        id: ArticleId,
        from: RevisionId,
        to: Option<RevisionId>,
    ) -> Result<DocumentDiff, AppError> {
        Ok(self.store()?.with(|s| match to {
            Some(to) => s.diff(id, from, to),
            None => s.diff_to_working_copy(id, from),
        })?)
    }

    /// Saves the working copy as a new version (a save point), queued for the server.
    pub fn save_version(&self, id: ArticleId) -> Result<ArticleDraft, AppError> {
        let draft = self.queue(|s, author| {
            s.save_point(id, author)?;
            s.load_article(id)
        })?;
        Ok(self.draft_with_actions(draft))
    }

    /// Restores an old version as a new revision (nothing is overwritten: the old and the
    /// current versions both stay in the history).
    pub fn restore(&self, id: ArticleId, rev: RevisionId) -> Result<ArticleDraft, AppError> {
        self.queue(|s, author| {
            s.save_point(id, author)?;
            let (meta, body) = s.revision_content(id, rev)?;
            s.save_working_copy(id, meta, body)?;
            s.save_point(id, author)?;
            s.load_article(id)
        })
        .map(|draft| self.draft_with_actions(draft))
    }

    /// The article's working copy as Bijoy text, for print layout.
    pub fn export_bijoy(&self, id: ArticleId) -> Result<String, AppError> {
        let draft = self.load(id)?;
        Ok(crate::text::to_bijoy(&draft.meta.headline, &draft.body))
    }
}
