//! The sync loop and the status the page shows: one round at a time (the loop every few
//! seconds, "sync now", a wake after a local change), with the article on screen watched for
//! its comments; what a round changed is announced to the page.

use super::events::EventSink;
use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::SyncStatus;
use barta_model::ErrorCode;
use barta_sync::{RoundInput, StoreAccess, SyncConfig, SyncProgress, sync_round};
use std::sync::{Arc, Mutex};

/// The sync part's state.
pub(super) struct SyncState {
    pub status: Mutex<SyncStatus>,
    /// Serializes sync rounds (the loop and "sync now").
    pub gate: tokio::sync::Mutex<()>,
    /// Wakes the loop (after a local change, a login, opening an article).
    pub wake: tokio::sync::Notify,
}

impl SyncState {
    pub fn new(pending: i64) -> Self {
        Self {
            status: Mutex::new(SyncStatus {
                pending,
                ..Default::default()
            }),
            gate: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
        }
    }
}

impl App {
    pub fn status(&self) -> SyncStatus {
        lock(&self.sync.status).clone()
    }

    pub(super) fn refresh_pending(&self) {
        if let Ok(n) = self
            .store()
            .and_then(|store| Ok(store.with(|s| s.pending_count())?))
        {
            self.set_status(|s| s.pending = n);
        }
    }

    /// Changes the sync status and tells the page (if it changed).
    pub(super) fn set_status(&self, change: impl FnOnce(&mut SyncStatus)) {
        let now = {
            let mut status = lock(&self.sync.status);
            change(&mut status);
            status.clone()
        };
        self.events.status(&now);
    }

    /// Installs where the app's events go (once, by the shell).
    pub fn set_event_sink(&self, sink: EventSink) {
        self.events.install(sink);
    }

    /// One sync round now (waits for a running one to finish first): the outbox drained in
    /// order (merging on 409, logging in again once on 401 when this run has the password),
    /// comments sent, the changes feed pulled, the open article's comments pulled, and the
    /// photos the server lacks uploaded. Progress goes to the status the UI polls.
    pub async fn sync_now(&self) -> SyncStatus {
        let _gate = self.sync.gate.lock().await;
        let Some(session) = self.session() else {
            return self.status();
        };
        // The store the round works on: kept open to the round's end if the app locks meanwhile.
        let (Ok(store), Ok(media)) = (self.store(), self.media()) else {
            return self.status();
        };
        if self.status().session_ended {
            // Nothing to send with until the password is given again.
            return self.status();
        }
        // No re-login behind the user's back: a session the server ended (revoked for a
        // seized laptop, say) stays ended until the user types the password.
        let mut sync_session = barta_sync::Session::token(session.token.clone());
        let input = RoundInput {
            watched: lock(&self.watch.article).article.into_iter().collect(),
            media: Some(media),
        };
        // The photos waiting are counted by the round: only those a saved version shows.
        self.set_status(|s| s.syncing = true);
        let progress = |p: &SyncProgress| self.set_status(|s| s.progress = p.clone());
        let result = sync_round(
            &*store,
            &self.client,
            &mut sync_session,
            &SyncConfig::default(),
            &input,
            &progress,
        )
        .await;
        if sync_session.token != session.token {
            self.keep_token(&session, sync_session.token.clone());
        }
        if result.is_ok() {
            if !self
                .account
                .desks_asked
                .load(std::sync::atomic::Ordering::Relaxed)
            {
                self.refresh_desk_names(&sync_session.token).await;
            }
            self.refresh_newsroom_words(&sync_session.token, false)
                .await;
            self.after_round().await;
        }
        if let Ok(outcome) = &result {
            self.announce_changes(outcome);
        }
        self.set_status(|status| {
            status.syncing = false;
            match result {
                Ok(outcome) => {
                    tracing::debug!(?outcome, "sync round done");
                    status.media_pending = outcome.photos_pending as i64;
                    status.online = true;
                    status.last_error = None;
                    status.last_synced_at = Some(chrono::Utc::now().to_rfc3339());
                }
                Err(e) => {
                    let error = AppError::from(e);
                    status.online = error.code != ErrorCode::Network;
                    status.session_ended = error.code == ErrorCode::Unauthorized;
                    tracing::info!(code = %error.code, message = %error.message, "sync round stopped");
                    status.last_error = Some(error);
                }
            }
        });
        self.refresh_pending();
        self.status()
    }

    /// Tells the page what a round changed: the articles it moved (pushed, merged, refused,
    /// pulled) and the articles whose comments came or went.
    fn announce_changes(&self, outcome: &barta_sync::SyncOutcome) {
        if !outcome.articles_changed.is_empty() {
            self.events
                .articles(outcome.articles_changed.iter().copied());
        }
        for id in &outcome.comments_changed {
            self.events.comments(*id);
        }
    }
}

/// Syncs every interval, and at once when woken (after a submit or a login).
pub async fn sync_loop(app: Arc<App>) {
    loop {
        app.sync_now().await;
        let _ = tokio::time::timeout(app.config.sync_interval, app.sync.wake.notified()).await;
    }
}
