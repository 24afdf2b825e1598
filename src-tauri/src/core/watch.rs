//! The article on screen, watched from Rust so that the page polls nothing: a presence
//! heartbeat ("I have it open", answered with who else has), and for desk editors where it
//! stands on the newsroom's website while a delivery is on its way. Each is sent to the page
//! only when it changed; leaving the article tells the server at once.

use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::AppEvent;
use barta_model::api::{DeliveryInfo, PresenceEntry};
use barta_model::{ArticleId, Role, WorkflowState};
use barta_sync::StoreAccess;
use std::sync::Arc;
use std::time::Duration;

/// The presence heartbeat while an article is open (the server forgets a silent reader).
const PRESENCE_EVERY: Duration = Duration::from_secs(20);
/// Sooner again while offline, or while the article has not reached the server yet.
const PRESENCE_RETRY: Duration = Duration::from_secs(3);
/// How often a pending delivery is looked at again.
const DELIVERY_PENDING_EVERY: Duration = Duration::from_secs(2);
/// With no article open, the watcher only waits to be woken.
const IDLE: Duration = Duration::from_secs(3600);

/// What is known of the article on screen, as last sent to the page.
#[derive(Default)]
pub(super) struct Watched {
    pub article: Option<ArticleId>,
    others: Option<Vec<PresenceEntry>>,
    deliveries: Option<Vec<DeliveryInfo>>,
}

/// States in which an article has (or had) a delivery to the website.
fn ever_delivered(state: WorkflowState) -> bool {
    matches!(
        state,
        WorkflowState::Scheduled
            | WorkflowState::Published
            | WorkflowState::Corrected
            | WorkflowState::Unpublished
            | WorkflowState::Killed
    )
}

/// The watcher's state.
#[derive(Default)]
pub(super) struct Watcher {
    pub article: std::sync::Mutex<Watched>,
    /// Wakes the watcher (another article opened, an action a delivery follows).
    pub wake: tokio::sync::Notify,
}

impl App {
    /// "I have this article open": answers who else has. Fails offline, or while the
    /// article is not on the server yet (the UI tries again sooner then).
    pub async fn presence(&self, id: ArticleId) -> Result<Vec<PresenceEntry>, AppError> {
        let token = self.token()?;
        Ok(self.client.presence(&token, id).await?)
    }

    /// "I closed this article" (best effort).
    pub async fn leave(&self, id: ArticleId) {
        if let Ok(token) = self.token() {
            let _ = self.client.leave(&token, id).await;
        }
    }

    /// The article on screen is now `id` (None: a list). A new one is looked at at once, and a
    /// sync round runs to bring its comments.
    pub(super) fn watch(&self, id: Option<ArticleId>) {
        if lock(&self.watch.article).article == id {
            return;
        }
        *lock(&self.watch.article) = Watched {
            article: id,
            ..Default::default()
        };
        self.watch.wake.notify_one();
        if id.is_some() {
            self.sync.wake.notify_one();
        }
    }

    /// Look at the article on screen again now (after an action that a delivery follows).
    pub(super) fn look_again(&self) {
        self.watch.wake.notify_one();
    }

    /// Beats presence for `id` and, for an editor, reads its deliveries; sends what changed.
    /// Returns when to look again.
    async fn look_at(&self, id: ArticleId) -> Duration {
        let mut next = PRESENCE_EVERY;
        match self.presence(id).await {
            Ok(others) => {
                let mut watched = lock(&self.watch.article);
                if watched.article == Some(id) && watched.others.as_ref() != Some(&others) {
                    watched.others = Some(others.clone());
                    drop(watched);
                    self.events.send(AppEvent::Presence {
                        article_id: id.to_string(),
                        others,
                    });
                }
            }
            Err(_) => next = PRESENCE_RETRY,
        }
        let editor = self.session().is_some_and(|s| s.user.role == Role::Editor);
        let state = self
            .store()
            .and_then(|store| Ok(store.with(|s| s.summary(id))?))
            .map(|s| s.state);
        if editor && state.is_ok_and(ever_delivered) {
            match self.deliveries(id).await {
                Ok(deliveries) => {
                    if deliveries
                        .iter()
                        .any(|d| d.state == barta_model::api::DeliveryState::Pending)
                    {
                        next = next.min(DELIVERY_PENDING_EVERY);
                    }
                    self.show_deliveries(id, deliveries);
                }
                Err(_) => next = next.min(PRESENCE_RETRY),
            }
        }
        next
    }

    /// Sends the article's deliveries to the page if they changed.
    pub(super) fn show_deliveries(&self, id: ArticleId, deliveries: Vec<DeliveryInfo>) {
        let mut watched = lock(&self.watch.article);
        if watched.article == Some(id) && watched.deliveries.as_ref() == Some(&deliveries) {
            return;
        }
        if watched.article == Some(id) {
            watched.deliveries = Some(deliveries.clone());
        }
        drop(watched);
        self.events.send(AppEvent::Deliveries {
            article_id: id.to_string(),
            deliveries,
        });
    }
}

/// Watches the article on screen until the app ends.
pub async fn watch_loop(app: Arc<App>) {
    let mut beating: Option<ArticleId> = None;
    loop {
        let article = lock(&app.watch.article).article;
        if beating != article {
            if let Some(left) = beating {
                app.leave(left).await;
            }
            beating = article;
        }
        let wait = match article {
            Some(id) => app.look_at(id).await,
            None => IDLE,
        };
        let _ = tokio::time::timeout(wait, app.watch.wake.notified()).await;
    }
}
