//! What the app tells its page without being asked: typed [`AppEvent`]s after every sync round
//! and every local change, through a sink the shell installs (Tauri's `emit`; tests install a
//! recorder). The sync indicator is sent only when it differs from the last one sent, and a
//! round's progress at most a few times a second.

use crate::ipc_types::{AppEvent, SyncStatus};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The Tauri event name every [`AppEvent`] travels under.
pub const EVENT_NAME: &str = "barta://event";

/// A round's progress is sent at most this often (its end always is).
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Where events go.
pub type EventSink = Box<dyn Fn(&AppEvent) + Send + Sync>;

/// The app's outgoing events.
#[derive(Default)]
pub struct Events {
    sink: OnceLock<EventSink>,
    /// The sync status last sent, and when.
    last_status: Mutex<Option<(SyncStatus, Instant)>>,
}

impl Events {
    /// Installs the sink (once; later calls are ignored).
    pub fn install(&self, sink: EventSink) {
        let _ = self.sink.set(sink);
    }

    /// Sends `event` (nowhere before a sink is installed).
    pub fn send(&self, event: AppEvent) {
        if let Some(sink) = self.sink.get() {
            sink(&event);
        }
    }

    /// Sends the sync status if it changed; a change of progress alone only if the last was
    /// sent more than [`PROGRESS_EVERY`] ago.
    pub fn status(&self, status: &SyncStatus) {
        let mut last = self
            .last_status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if let Some((sent, at)) = last.as_ref() {
            if sent == status {
                return;
            }
            let progress_only = SyncStatus {
                progress: sent.progress.clone(),
                ..status.clone()
            } == *sent;
            if progress_only && now.duration_since(*at) < PROGRESS_EVERY {
                return;
            }
        }
        *last = Some((status.clone(), now));
        drop(last);
        self.send(AppEvent::SyncStatus {
            status: status.clone(),
        });
    }

    /// The articles `ids` changed (here, or in a sync round).
    pub fn articles(&self, ids: impl IntoIterator<Item = barta_model::ArticleId>) {
        self.send(AppEvent::ArticlesChanged {
            ids: ids.into_iter().map(|id| id.to_string()).collect(),
        });
    }

    /// The article's comments changed.
    pub fn comments(&self, id: barta_model::ArticleId) {
        self.send(AppEvent::CommentsChanged {
            article_id: id.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn recorder(events: &Events) -> Arc<Mutex<Vec<AppEvent>>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let into = Arc::clone(&seen);
        events.install(Box::new(move |e| into.lock().unwrap().push(e.clone())));
        seen
    }

    #[test]
    fn an_unchanged_status_is_not_sent_again_and_progress_is_paced() {
        let events = Events::default();
        let seen = recorder(&events);
        let mut status = SyncStatus {
            online: true,
            ..Default::default()
        };
        events.status(&status);
        events.status(&status);
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "the same status twice is sent once"
        );
        status.progress.items_done = 1;
        events.status(&status);
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "progress alone waits its turn"
        );
        status.syncing = true;
        events.status(&status);
        assert_eq!(seen.lock().unwrap().len(), 2, "a real change goes at once");
        assert!(matches!(
            seen.lock().unwrap().last(),
            Some(AppEvent::SyncStatus { status }) if status.syncing && status.progress.items_done == 1
        ));
    }
}
