//! Group commit, SQLite's own: the one write connection, and writers that queue up while one
//! runs joining its transaction (a savepoint each), the last of them committing for all — one
//! fsync for up to `--write-group` writes, every answer after its commit.

use super::{exec, is_refusal, lock};
use crate::store::StoreError;
use rusqlite::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The one write connection and its group transaction.
struct Writer {
    conn: Connection,
    /// A group transaction is open.
    open: bool,
    /// Writes in the open group.
    members: usize,
    /// A savepoint of the open group could not be ended: the group must roll back.
    doomed: bool,
    /// Counts the groups ended so far.
    epoch: u64,
    /// The last group that failed to commit, and why.
    failure: Option<(u64, String)>,
}

/// Most writes in one group transaction, unless configured.
pub const DEFAULT_WRITE_GROUP: usize = 64;
/// How long a finished writer waits for the queued ones before looking again.
const GROUP_WAIT: Duration = Duration::from_millis(20);

/// The write connection and its group transaction.
pub(super) struct GroupCommit {
    writer: Mutex<Writer>,
    /// Writers waiting for `writer`: they join the open group transaction.
    queued_writers: AtomicUsize,
    /// Signalled when a group transaction ends.
    group_done: Condvar,
    /// Most writes in one group transaction.
    max_group: usize,
}

impl GroupCommit {
    pub(super) fn new(conn: Connection) -> Self {
        Self {
            writer: Mutex::new(Writer {
                conn,
                open: false,
                members: 0,
                doomed: false,
                epoch: 0,
                failure: None,
            }),
            queued_writers: AtomicUsize::new(0),
            group_done: Condvar::new(),
            max_group: DEFAULT_WRITE_GROUP,
        }
    }

    /// Commits at most `max` writes together (at least 1).
    pub(super) fn set_max_group(&mut self, max: usize) {
        self.max_group = max.max(1);
    }

    /// How many group transactions have ended (committed or failed).
    pub(super) fn groups_ended(&self) -> u64 {
        lock(&self.writer).epoch
    }

    /// Runs `f` in an immediate write transaction, inside a savepoint of its own. Refusals
    /// keep what they wrote (their audit row, see the module docs); database errors roll back
    /// to the savepoint. **Group commit**: writers that queue up while one runs join its
    /// transaction, and the last of them commits for all (one fsync for the group); each
    /// returns only after that commit, so an answer never reports an uncommitted write.
    pub(super) fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.queued_writers.fetch_add(1, Ordering::SeqCst);
        let mut w = lock(&self.writer);
        self.queued_writers.fetch_sub(1, Ordering::SeqCst);
        if !w.open {
            exec(&w.conn, "BEGIN IMMEDIATE", [])?;
            w.open = true;
            w.members = 0;
            w.doomed = false;
        }
        let epoch = w.epoch;
        let result = match exec(&w.conn, "SAVEPOINT write_call", []) {
            Ok(_) => {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&w.conn)));
                let keep = matches!(&outcome, Ok(Ok(_)))
                    || matches!(&outcome, Ok(Err(e)) if is_refusal(e));
                let end = |conn: &Connection| {
                    if !keep {
                        exec(conn, "ROLLBACK TO write_call", [])?;
                    }
                    exec(conn, "RELEASE write_call", [])
                };
                if !w.conn.is_autocommit() && end(&w.conn).is_err() {
                    // The group's transaction is in doubt: it is rolled back, not committed.
                    w.doomed = true;
                }
                match outcome {
                    Ok(result) => result,
                    Err(panic) => {
                        w.members += 1;
                        let _ = self.finish_group(w, epoch);
                        std::panic::resume_unwind(panic);
                    }
                }
            }
            Err(e) => Err(e.into()),
        };
        w.members += 1;
        self.finish_group(w, epoch)?;
        result
    }

    /// Waits until the group transaction of `epoch` is committed, committing it when no other
    /// writer is queued to join it (or the group is full). Its error is every member's error.
    fn finish_group(&self, mut w: MutexGuard<'_, Writer>, epoch: u64) -> Result<(), StoreError> {
        loop {
            if w.epoch != epoch {
                return match &w.failure {
                    Some((failed, message)) if *failed == epoch => {
                        Err(StoreError::Io(std::io::Error::other(message.clone())))
                    }
                    _ => Ok(()),
                };
            }
            // SQLite rolled the whole transaction back on its own (disk full, I/O error):
            // nothing of the group is stored.
            let rolled_back = w.conn.is_autocommit() || w.doomed;
            if rolled_back
                || self.queued_writers.load(Ordering::SeqCst) == 0
                || w.members >= self.max_group
            {
                let committed = if rolled_back {
                    Err(StoreError::Io(std::io::Error::other(
                        "the database rolled the write back (disk full or I/O error)",
                    )))
                } else {
                    exec(&w.conn, "COMMIT", [])
                        .map(drop)
                        .map_err(StoreError::from)
                };
                if committed.is_err() && !w.conn.is_autocommit() {
                    let _ = w.conn.execute_batch("ROLLBACK");
                }
                w.open = false;
                w.epoch += 1;
                w.failure = committed
                    .as_ref()
                    .err()
                    .map(|e| (epoch, format!("the write was not committed: {e}")));
                self.group_done.notify_all();
                return committed;
            }
            // Let the queued writers in; one of them (or this one, on the next look) commits.
            w = self
                .group_done
                .wait_timeout(w, GROUP_WAIT)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}
