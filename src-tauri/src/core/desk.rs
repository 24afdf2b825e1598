//! The desk editor's operations: the desk queues, taking and returning articles, approving
//! the exact version shown, publishing now or at a Dhaka time, corrections, the publication
//! preview, where the article stands on the website, and desktop notifications of new arrivals.

use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::{PublishOutcome, QueueView};
use barta_model::api::{ApproveRequest, CorrectRequest, DeliveryInfo, PublishRequest};
use barta_model::workflow::Action;
use barta_model::{ArticleId, ErrorCode, Role, SyncState, WorkflowState};
use barta_store::{ArticleSummary, QueueQuery};
use barta_sync::StoreAccess;
use std::sync::Mutex;

/// Shows a desktop notification: (title, body).
pub type Notifier = Box<dyn Fn(&str, &str) + Send + Sync>;

/// The setting that turns notifications of new incoming articles on.
const NOTIFY_KEY: &str = "notify.new_articles";

/// The desk part's state.
#[derive(Default)]
pub(super) struct DeskState {
    /// Shows a desktop notification (set by the shell; absent in tests).
    pub notifier: std::sync::OnceLock<Notifier>,
    /// The incoming articles already seen (None until the first look).
    pub incoming_seen: Mutex<Option<std::collections::HashSet<ArticleId>>>,
}

/// The articles of `now` not in `seen`.
pub fn arrivals<'a>(
    seen: &std::collections::HashSet<ArticleId>,
    now: &'a [(ArticleId, String)],
) -> Vec<&'a (ArticleId, String)> {
    now.iter().filter(|(id, _)| !seen.contains(id)).collect()
}

impl App {
    /// Installs how desktop notifications are shown (once, by the shell).
    pub fn set_notifier(&self, notifier: Notifier) {
        let _ = self.desk.notifier.set(notifier);
    }

    /// Whether new incoming articles are announced on the desktop.
    pub fn notifications(&self) -> Result<bool, AppError> {
        Ok(self.store()?.with(|s| s.setting(NOTIFY_KEY))?.as_deref() == Some("on"))
    }

    /// Turns desktop notifications of new incoming articles on or off (kept in the store).
    pub fn set_notifications(&self, on: bool) -> Result<(), AppError> {
        let value = if on { "on" } else { "off" };
        Ok(self
            .store()?
            .with(|s| s.set_setting(NOTIFY_KEY, Some(value)))?)
    }

    /// After a sync round: tells the editor about articles newly submitted to their desks
    /// (the first look only learns what is there).
    fn announce_arrivals(&self) -> Result<(), AppError> {
        let user = self.user()?;
        if user.role != Role::Editor {
            return Ok(());
        }
        let now = self.store()?.with(|s| s.incoming(&user.desks))?;
        let fresh: Vec<String> = {
            let mut seen = lock(&self.desk.incoming_seen);
            let fresh = match seen.as_ref() {
                Some(seen) => arrivals(seen, &now)
                    .iter()
                    .map(|(_, h)| h.clone())
                    .collect(),
                None => Vec::new(),
            };
            *seen = Some(now.iter().map(|(id, _)| *id).collect());
            fresh
        };
        if fresh.is_empty() || !self.notifications()? {
            return Ok(());
        }
        if let Some(notify) = self.desk.notifier.get() {
            let title = format!(
                "বার্তা: নতুন লেখা এসেছে ({})",
                bangla::to_bengali_digits(&fresh.len().to_string())
            );
            notify(&title, &fresh.join("\n"));
        }
        Ok(())
    }

    /// One desk queue of the user's desks (or the desks asked for), with every queue's count.
    pub fn desk_queue(&self, mut query: QueueQuery) -> Result<QueueView, AppError> {
        let user = self.user()?;
        if query.desks.is_empty() {
            query.desks = user.desks;
        } else {
            query.desks.retain(|d| user.desks.contains(d));
        }
        Ok(self
            .store()?
            .with(|s| {
                Ok::<_, barta_store::StoreError>(QueueView {
                    items: s.desk_queue(&query)?,
                    counts: s.queue_counts(&query.desks)?,
                })
            })
            .map(|mut view| {
                view.items = view
                    .items
                    .into_iter()
                    .map(|r| self.with_actions(r))
                    .collect();
                view
            })?)
    }

    /// Queues a workflow action (take, return with a note) by the user: works offline.
    pub fn act(
        &self,
        id: ArticleId,
        action: Action,
        note: Option<String>,
    ) -> Result<ArticleSummary, AppError> {
        if action == Action::Return && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(AppError::new(
                ErrorCode::Invalid,
                "say what the reporter should change: a return needs a note",
            ));
        }
        let draft = self.queue(|s, actor| {
            s.queue_transition(id, actor, action, note.as_deref())?;
            s.load_article(id)
        })?;
        self.events.articles([id]);
        self.look_again();
        Ok(self.with_actions(draft.summary))
    }

    /// The exact version the editor sees, on the server: the working copy is made a revision
    /// and sent first. Returns its (revision id, sha256); refuses while a conflict remains.
    async fn version_shown(
        &self,
        id: ArticleId,
    ) -> Result<(barta_model::RevisionId, String), AppError> {
        let user = self.user()?;
        self.store()?.with(|s| s.save_point(id, &user.username))?;
        self.sync_now().await;
        let draft = self.load(id)?;
        if draft.summary.sync_state != SyncState::Synced {
            let reason = self
                .status()
                .last_error
                .map(|e| e.message)
                .unwrap_or_else(|| "it is still waiting to be sent".into());
            return Err(AppError::new(
                ErrorCode::Network,
                format!(
                    "the version you see has not reached the server yet ({reason}); try again once it has"
                ),
            ));
        }
        let (Some(rev_id), Some(sha256)) = (draft.head, draft.head_sha256) else {
            return Err(AppError::new(
                ErrorCode::Invalid,
                "this article has no saved version yet",
            ));
        };
        if draft.body.content.iter().any(|b| b.kind == "conflict") {
            return Err(AppError::new(
                ErrorCode::UnresolvedConflict,
                "resolve every conflict first",
            ));
        }
        Ok((rev_id, sha256))
    }

    /// Publishes the corrected version the editor sees in place of the published one, with a
    /// note for readers.
    pub async fn correct(&self, id: ArticleId, note: String) -> Result<PublishOutcome, AppError> {
        let token = self.editor_token()?;
        if note.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::Invalid,
                "say what was corrected: readers see the note",
            ));
        }
        let (rev_id, sha256) = self.version_shown(id).await?;
        let answer = self
            .client
            .correct(
                &token,
                id,
                &CorrectRequest {
                    rev_id,
                    sha256,
                    note,
                },
            )
            .await?;
        self.store()?
            .with(|s| s.set_approved(id, rev_id, WorkflowState::Corrected))?;
        self.events.articles([id]);
        self.look_again();
        Ok(PublishOutcome {
            state: WorkflowState::Corrected,
            public_url: self.published_url(&answer.publication_id),
        })
    }

    /// Approves exactly the version the editor has: its revision id and content hash.
    pub async fn approve(&self, id: ArticleId) -> Result<ArticleSummary, AppError> {
        let token = self.editor_token()?;
        let (rev_id, sha256) = self.version_shown(id).await?;
        self.client
            .approve(&token, id, &ApproveRequest { rev_id, sha256 })
            .await?;
        let draft = self.store()?.with(|s| {
            s.set_approved(id, rev_id, WorkflowState::Approved)?;
            s.load_article(id)
        })?;
        self.events.articles([id]);
        Ok(self.with_actions(draft.summary))
    }

    /// Publishes the article's latest approval now, or schedules it (`at`, RFC 3339).
    pub async fn publish(
        &self,
        id: ArticleId,
        at: Option<String>,
    ) -> Result<PublishOutcome, AppError> {
        let token = self.editor_token()?;
        let draft = self.load(id)?;
        let server = self.client.article(&token, id).await?;
        let Some(approval) = server.approval else {
            return Err(AppError::new(
                ErrorCode::Invalid,
                "approve the article before publishing it",
            ));
        };
        if draft.approved_rev.is_some_and(|rev| rev != approval.rev_id) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "{} approved another version meanwhile: reopen the article to see it",
                    approval.editor
                ),
            ));
        }
        let scheduled = at.is_some();
        let answer = self
            .client
            .publish(
                &token,
                id,
                &PublishRequest {
                    approval_id: approval.id,
                    at,
                },
            )
            .await?;
        let state = if scheduled {
            WorkflowState::Scheduled
        } else {
            WorkflowState::Published
        };
        self.store()?
            .with(|s| s.set_approved(id, approval.rev_id, state))?;
        self.events.articles([id]);
        self.look_again();
        Ok(PublishOutcome {
            state,
            public_url: self.published_url(&answer.publication_id),
        })
    }

    /// The public page of the article's latest publication, if it has one (asks the server).
    pub async fn public_url(&self, id: ArticleId) -> Result<Option<String>, AppError> {
        let token = self.token()?;
        let article = self.client.article(&token, id).await?;
        Ok(article.publication_id.map(|p| self.published_url(&p)))
    }

    /// Where the article stands on the newsroom's website(s): the latest delivery to each
    /// publish target (asks the server).
    pub async fn deliveries(&self, id: ArticleId) -> Result<Vec<DeliveryInfo>, AppError> {
        let token = self.token()?;
        Ok(self.client.article(&token, id).await?.deliveries)
    }

    /// Sends the article to `target` again now (after a failure, or without waiting for the
    /// next automatic attempt); the article's deliveries.
    pub async fn retry_delivery(
        &self,
        id: ArticleId,
        target: &str,
    ) -> Result<Vec<DeliveryInfo>, AppError> {
        let token = self.editor_token()?;
        let deliveries = self.client.retry_delivery(&token, id, target).await?;
        self.show_deliveries(id, deliveries.clone());
        self.look_again();
        Ok(deliveries)
    }

    fn published_url(&self, publication_id: &str) -> String {
        format!(
            "{}/v1/published/{publication_id}",
            self.config.server_url.trim_end_matches('/')
        )
    }

    /// The working copy as the portal will show it (the backend's own renderer), dated at
    /// `at` (RFC 3339) or now.
    pub fn preview(&self, id: ArticleId, at: Option<String>) -> Result<String, AppError> {
        let draft = self.load(id)?;
        let published_at = match at {
            Some(at) => chrono::DateTime::parse_from_rfc3339(&at)
                .map_err(|e| AppError::new(ErrorCode::Invalid, format!("{at:?}: {e}")))?
                .to_utc(),
            None => chrono::Utc::now(),
        };
        Ok(barta_render::page(&barta_render::Page {
            meta: &draft.meta,
            body: &draft.body,
            published_at,
            correction: None,
        }))
    }

    /// After a sync round: announces new arrivals on the desk (comments and photos are part
    /// of the round itself).
    pub(super) async fn after_round(&self) {
        if let Err(e) = self.announce_arrivals() {
            tracing::info!(code = %e.code, "arrivals not announced: {}", e.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_articles_not_seen_before_are_arrivals() {
        let (a, b, c) = (ArticleId::new(), ArticleId::new(), ArticleId::new());
        let seen = [a, b].into_iter().collect();
        let now = vec![(b, "খ".to_string()), (c, "গ".to_string())];
        let fresh = arrivals(&seen, &now);
        assert_eq!(fresh.len(), 1);
        assert_eq!(fresh[0].0, c);
        assert!(arrivals(&now.iter().map(|(id, _)| *id).collect(), &now).is_empty());
    }
}
