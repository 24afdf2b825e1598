//! The audit trail's request entries written in groups: every request to an audited route
//! adds one entry, and each extends the hash chain under a lock held until commit, so one
//! transaction per entry makes every request of every instance pass that lock one at a time.
//! Entries that arrive while a group is being written wait and go together in the next one
//! (one chain extension, one commit); each caller still returns only once its own entry is
//! committed, or with the group's error.

use crate::store::{NewAuditEntry, StoreError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// How a waiting entry ended: `None` until its group is written.
type Outcome = Option<Result<(), (bool, String)>>;

/// An entry waiting to be written, and where its outcome goes.
struct Waiting {
    entry: NewAuditEntry,
    outcome: Arc<(Mutex<Outcome>, Condvar)>,
}

/// The entries waiting for a group, and the writer's turn.
#[derive(Default)]
pub struct AuditGroups {
    waiting: Mutex<Vec<Waiting>>,
    /// Held by the caller writing a group; the others wait for it.
    writer: Mutex<()>,
    /// Groups written so far (tests: fewer groups than entries under load).
    groups: std::sync::atomic::AtomicU64,
}

impl AuditGroups {
    /// Groups written so far.
    pub fn groups(&self) -> u64 {
        self.groups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Writes `entry` with whatever else is waiting, through `write_group` (one transaction
    /// for the whole group, in arrival order).
    pub fn record(
        &self,
        entry: &NewAuditEntry,
        write_group: impl Fn(&[NewAuditEntry]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let outcome = Arc::new((Mutex::new(None), Condvar::new()));
        self.waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Waiting {
                entry: entry.clone(),
                outcome: Arc::clone(&outcome),
            });
        loop {
            if let Some(done) = taken(&outcome) {
                return done;
            }
            let turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
            // A writer before this one may have written this entry.
            if let Some(done) = taken(&outcome) {
                return done;
            }
            let group =
                std::mem::take(&mut *self.waiting.lock().unwrap_or_else(PoisonError::into_inner));
            let (entries, outcomes): (Vec<NewAuditEntry>, Vec<_>) =
                group.into_iter().map(|w| (w.entry, w.outcome)).unzip();
            let result = if entries.is_empty() {
                Ok(())
            } else {
                self.groups
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                write_group(&entries).map_err(|e| match e {
                    StoreError::Unavailable(message) => (true, message),
                    other => (false, other.to_string()),
                })
            };
            for outcome in &outcomes {
                let (slot, signal) = &**outcome;
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result.clone());
                signal.notify_all();
            }
            drop(turn);
        }
    }
}

/// The outcome of an entry once its group is written, as the store's error.
fn taken(outcome: &Arc<(Mutex<Outcome>, Condvar)>) -> Option<Result<(), StoreError>> {
    let done = outcome
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()?;
    Some(done.map_err(|(unavailable, message)| {
        if unavailable {
            StoreError::Unavailable(message)
        } else {
            StoreError::Database(message)
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> NewAuditEntry {
        NewAuditEntry {
            user_id: None,
            username: format!("user{n}"),
            article_id: None,
            action: "read_article".into(),
            outcome: "ok".into(),
            detail: String::new(),
            session: None,
            address: None,
        }
    }

    #[test]
    fn concurrent_entries_are_written_once_each_in_fewer_groups() {
        let groups = Arc::new(AuditGroups::default());
        let written = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..64)
            .map(|n| {
                let (groups, written) = (Arc::clone(&groups), Arc::clone(&written));
                std::thread::spawn(move || {
                    groups.record(&entry(n), |batch| {
                        // A slow transaction: others pile up behind it.
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        written
                            .lock()
                            .unwrap()
                            .extend(batch.iter().map(|e| e.username.clone()));
                        Ok(())
                    })
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        let mut names = written.lock().unwrap().clone();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 64, "every entry once");
        assert_eq!(written.lock().unwrap().len(), 64, "none twice");
        assert!(groups.groups() < 64, "{} groups", groups.groups());
    }

    #[test]
    fn a_failed_group_fails_every_entry_in_it() {
        let groups = AuditGroups::default();
        let answer = groups.record(&entry(1), |_| {
            Err(StoreError::Unavailable("the database is down".into()))
        });
        assert!(
            matches!(answer, Err(StoreError::Unavailable(_))),
            "{answer:?}"
        );
    }
}
