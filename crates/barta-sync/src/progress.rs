//! Progress of a sync round for the UI: items and bytes done out of the total, and the state
//! (offline, syncing, up to date, error with its reason). Serializable; the TypeScript type is
//! generated with ts-rs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where syncing stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum SyncPhase {
    /// The server cannot be reached (or answered with something that is not our API).
    #[default]
    Offline,
    /// A round is running.
    Syncing,
    /// Nothing queued and the feed is pulled.
    UpToDate,
    /// The round stopped: the reason for people (everything unsent stays queued).
    Error(String),
}

/// One progress report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    #[serde(flatten)]
    pub phase: SyncPhase,
    /// Outbox rows finished this round (acknowledged, merged or rejected).
    pub items_done: u64,
    /// Outbox rows this round set out to send.
    pub items_total: u64,
    /// Request bytes acknowledged.
    pub bytes_done: u64,
    /// Request bytes this round set out to send.
    pub bytes_total: u64,
}

/// Receives progress reports. Implemented for closures and for a tokio `watch` sender.
pub trait ProgressSink: Send + Sync {
    /// Called at the start, after every item, and at the end of a round.
    fn report(&self, progress: &SyncProgress);
}

impl<F: Fn(&SyncProgress) + Send + Sync> ProgressSink for F {
    fn report(&self, progress: &SyncProgress) {
        self(progress);
    }
}

impl ProgressSink for tokio::sync::watch::Sender<SyncProgress> {
    fn report(&self, progress: &SyncProgress) {
        self.send_replace(progress.clone());
    }
}

/// A sink that drops every report.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&self, _: &SyncProgress) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_form() {
        let rows = [
            (SyncPhase::Offline, json!({"state": "offline"})),
            (SyncPhase::UpToDate, json!({"state": "up_to_date"})),
            (
                SyncPhase::Error("x".into()),
                json!({"state": "error", "reason": "x"}),
            ),
        ];
        for (phase, mut expected) in rows {
            let p = SyncProgress {
                phase,
                items_done: 1,
                items_total: 2,
                bytes_done: 3,
                bytes_total: 4,
            };
            for (k, v) in [
                ("items_done", 1),
                ("items_total", 2),
                ("bytes_done", 3),
                ("bytes_total", 4),
            ] {
                expected[k] = json!(v);
            }
            assert_eq!(serde_json::to_value(&p).unwrap(), expected);
        }
    }
}
