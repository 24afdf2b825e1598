//! The executor: runs a [`plan`](crate::plan) against the server and records every answer in
//! the store. The store lock is held only between network calls, never across one.

use crate::client::{Client, ClientError, PushResult};
use crate::plan::{Operation, plan};
use barta_model::api::TransitionRequest;
use barta_store::{Store, StoreError};
use std::collections::HashSet;
use std::sync::Mutex;

/// What one sync round did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncOutcome {
    pub pushed: usize,
    pub transitions: usize,
    pub rejected: usize,
    pub conflicts: usize,
    pub changes_applied: usize,
}

/// Why a sync round stopped early. Everything unsent stays queued.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Access to the store from the executor (a lock in the app, a plain store in tests).
pub trait StoreAccess {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R;
}

impl StoreAccess for Mutex<Store> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}

/// The page size of the changes feed.
const CHANGES_PAGE: u32 = 200;

/// One sync round: drain the outbox in order, then pull the changes feed. A transient
/// failure (offline, 5xx) stops the round with the rows still pending; a refusal marks its
/// row rejected (text kept) and the round goes on.
pub async fn sync_once(
    store: &impl StoreAccess,
    client: &Client,
    token: &str,
) -> Result<SyncOutcome, SyncError> {
    let pending = store.with(|s| s.pending_outbox())?;
    let mut outcome = SyncOutcome::default();
    let mut blocked = HashSet::new();
    for op in plan(&pending, &HashSet::new()) {
        match op {
            Operation::PushRevision(item) => {
                if blocked.contains(&item.article_id) {
                    continue;
                }
                let push = store.with(|s| s.revision_push(item.revision_id))?;
                match client.push_revision(token, item.article_id, &push).await {
                    Ok(PushResult::Accepted(_)) => {
                        store.with(|s| s.mark_done(&item))?;
                        outcome.pushed += 1;
                    }
                    Ok(PushResult::HeadMoved(conflict)) => {
                        let message = format!(
                            "someone else changed this article first (server head {})",
                            conflict.head
                        );
                        store.with(|s| s.mark_conflict(&item, "conflict", &message))?;
                        blocked.insert(item.article_id);
                        outcome.conflicts += 1;
                    }
                    Err(e) => refused(store, &item, e, &mut blocked, &mut outcome)?,
                }
            }
            Operation::Transition(item) => {
                if blocked.contains(&item.article_id) {
                    continue;
                }
                let Some(action) = item.action else {
                    store.with(|s| {
                        s.mark_rejected(&item, "invalid", "a transition without an action")
                    })?;
                    continue;
                };
                let body = TransitionRequest {
                    action,
                    rev_id: item.revision_id,
                    note: item.note.clone(),
                };
                match client.transition(token, item.article_id, &body).await {
                    Ok(answer) => {
                        store.with(|s| {
                            s.mark_done(&item)?;
                            s.set_state(item.article_id, answer.state)
                        })?;
                        outcome.transitions += 1;
                    }
                    Err(e) => refused(store, &item, e, &mut blocked, &mut outcome)?,
                }
            }
            Operation::PullChanges => loop {
                let since = store.with(|s| s.changes_cursor())?;
                let page = client.changes(token, since, CHANGES_PAGE).await?;
                let n = page.changes.len();
                store.with(|s| s.apply_changes(&page))?;
                outcome.changes_applied += n;
                if n < CHANGES_PAGE as usize || page.next <= since {
                    break;
                }
            },
        }
    }
    Ok(outcome)
}

/// Records a failed row: a transient failure or an expired login stops the round (the row
/// stays pending); a refusal marks the row rejected and the round goes on.
fn refused(
    store: &impl StoreAccess,
    item: &barta_store::OutboxItem,
    error: ClientError,
    blocked: &mut HashSet<barta_model::ArticleId>,
    outcome: &mut SyncOutcome,
) -> Result<(), SyncError> {
    if error.is_transient() || error.status() == Some(401) {
        store.with(|s| s.note_attempt(item))?;
        return Err(SyncError::Client(error));
    }
    store.with(|s| s.mark_rejected(item, error.code().as_str(), &error.to_string()))?;
    blocked.insert(item.article_id);
    outcome.rejected += 1;
    Ok(())
}
