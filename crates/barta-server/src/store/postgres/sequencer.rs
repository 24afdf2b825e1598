//! The changes feed numbered after commit. A write adds its feed entries unnumbered; once it
//! has committed, [`number_feed`] gives every committed, unnumbered entry the next numbers in
//! one short transaction under the feed's lock (held until that transaction commits). So
//! numbers become visible in the order they are given, and a reader paging with
//! `seq > cursor` can never pass an entry that commits later — it is numbered after it
//! commits, above everything numbered before — while the writes themselves commit side by
//! side, no push waiting for another's commit. One numbering serves every write that
//! committed before it: under load, many at once.
//!
//! Who numbers: every write that added to the feed, after its commit (`PgStore::write`), and
//! a reader of the feed whose read saw entries waiting (`PgStore::read_feed`), which numbers
//! them and reads again, so an entry whose writer died between its commit and the numbering
//! is numbered by the next reader. A revision's `seq`, and the stored answer of its push (a
//! replay gets the same answer), are filled in by the same numbering.

use super::FEED_LOCK;
use crate::store::StoreError;
use barta_model::RevisionId;
use std::collections::HashMap;

/// What `Tx::append_change` answers on PostgreSQL: the entry is numbered after commit.
pub const UNNUMBERED: i64 = 0;

/// Whether committed entries wait for their number (the partial index: one look).
pub fn waiting(client: &mut super::Db<'_>) -> Result<bool, StoreError> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM changes WHERE seq IS NULL)",
            &[],
        )?
        .try_get(0)?)
}

/// Numbers every committed, unnumbered feed entry, in the order they were written: one
/// round trip (`BEGIN`, the lock, the numbering and `COMMIT` sent together); the revisions it
/// numbered, each with its number.
pub fn number_feed(conn: &mut super::PgConn) -> Result<Vec<(RevisionId, i64)>, StoreError> {
    let mut tx = conn.transaction();
    tx.write("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK])?;
    // Under the lock, nobody else numbers: the top is this transaction's to extend.
    let rows = tx.query_then_commit(
        "WITH top AS (SELECT COALESCE(MAX(seq), 0) AS top FROM changes),
              todo AS (SELECT entry, row_number() OVER (ORDER BY entry) AS n
                         FROM changes WHERE seq IS NULL),
              numbered AS (
                  UPDATE changes c SET seq = top.top + todo.n
                    FROM todo, top WHERE c.entry = todo.entry
                  RETURNING c.seq, c.kind, c.revision_id),
              revisions_numbered AS (
                  UPDATE revisions r
                     SET seq = numbered.seq,
                         response_body = CASE WHEN r.response_status = 201
                             THEN jsonb_set(r.response_body::jsonb, '{seq}',
                                            to_jsonb(numbered.seq))::text
                             ELSE r.response_body END
                    FROM numbered
                   WHERE numbered.kind = 'revision' AND r.id = numbered.revision_id)
         SELECT revision_id, seq FROM numbered WHERE kind = 'revision'",
        &[],
    )?;
    rows.iter()
        .map(|row| Ok((super::rows::parsed(row, 0)?, row.try_get(1)?)))
        .collect()
}

/// The feed number of `revision`'s push, once numbered.
pub fn revision_seq(
    conn: &mut super::PgConn,
    revision: RevisionId,
) -> Result<Option<i64>, StoreError> {
    conn.query_opt_alone(
        "SELECT seq FROM revisions WHERE id = $1",
        &[&revision.to_string()],
    )?
    .map(|row| row.try_get::<_, Option<i64>>(0))
    .transpose()
    .map(Option::flatten)
    .map_err(StoreError::from)
}

/// One numbering at a time per instance, shared by every write that committed before it
/// began: a write that needs its entries numbered takes a ticket; one caller numbers for all
/// tickets taken so far while the others wait for it.
#[derive(Default)]
pub struct Numbering {
    state: std::sync::Mutex<Tickets>,
    done: std::sync::Condvar,
}

#[derive(Default)]
struct Tickets {
    /// Tickets taken.
    taken: u64,
    /// Every ticket up to this one is served by a finished numbering.
    served: u64,
    /// A caller is numbering now.
    running: bool,
    /// The last numbering failed (`served` still moved: a waiter then numbers again itself).
    failed: Option<String>,
    /// Revisions numbered by this instance's numberings and not yet asked for: a push's
    /// writer takes its number here instead of reading it back ([`Numbering::take`]).
    numbers: HashMap<RevisionId, i64>,
}

/// Numbers kept for their writers at most; numbers nobody here asks for (other instances'
/// pushes, numbered by this one) are dropped beyond it, and a writer whose number was dropped
/// reads it from the database.
const KEPT_NUMBERS: usize = 4096;

impl Numbering {
    /// Returns once a numbering that began after this call has finished: every entry this
    /// thread's writes committed before the call is then numbered.
    pub fn after_commit(
        &self,
        number: impl Fn() -> Result<Vec<(RevisionId, i64)>, StoreError>,
    ) -> Result<(), StoreError> {
        use std::sync::PoisonError;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.taken += 1;
        let ticket = state.taken;
        loop {
            if state.served >= ticket {
                return match &state.failed {
                    None => Ok(()),
                    Some(why) => Err(StoreError::Unavailable(why.clone())),
                };
            }
            if state.running {
                state = self
                    .done
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            state.running = true;
            let target = state.taken;
            drop(state);
            // Should `number` panic, the guard ends the run all the same: the waiters go on.
            let unwinding = PanicGuard {
                numbering: self,
                target,
            };
            let outcome = number();
            std::mem::forget(unwinding);
            state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.running = false;
            state.served = target;
            match outcome {
                Ok(numbers) => {
                    if state.numbers.len() + numbers.len() > KEPT_NUMBERS {
                        state.numbers.clear();
                    }
                    state.numbers.extend(numbers);
                    state.failed = None;
                }
                Err(e) => state.failed = Some(e.to_string()),
            }
            self.done.notify_all();
        }
    }

    /// The number a numbering of this instance gave `revision`, if it is still kept.
    pub fn take(&self, revision: RevisionId) -> Option<i64> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.numbers.remove(&revision)
    }
}

/// Ends a numbering run whose `number` panicked (forgotten when it returns): the running mark
/// is cleared, its tickets answered with an error, and the waiters woken.
struct PanicGuard<'a> {
    numbering: &'a Numbering,
    target: u64,
}

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        let mut state = self
            .numbering
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.running = false;
        state.served = self.target;
        state.failed = Some("the feed's numbering failed".into());
        self.numbering.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn writes_committing_together_share_numberings() {
        let numbering = Arc::new(Numbering::default());
        let runs = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..32)
            .map(|_| {
                let (numbering, runs) = (Arc::clone(&numbering), Arc::clone(&runs));
                std::thread::spawn(move || {
                    numbering.after_commit(|| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        Ok(Vec::new())
                    })
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        let runs = runs.load(Ordering::SeqCst);
        assert!((1..32).contains(&runs), "{runs} numberings for 32 writes");
    }

    #[test]
    fn a_writer_takes_the_number_its_numbering_gave_once() {
        let numbering = Numbering::default();
        let (mine, other) = (RevisionId::new(), RevisionId::new());
        numbering
            .after_commit(|| Ok(vec![(mine, 41), (other, 42)]))
            .unwrap();
        assert_eq!(numbering.take(mine), Some(41));
        assert_eq!(numbering.take(mine), None, "taken once");
        assert_eq!(numbering.take(other), Some(42));
    }

    #[test]
    fn a_numbering_that_panics_answers_its_waiters_and_the_next_one_runs() {
        let numbering = Numbering::default();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            numbering.after_commit(|| panic!("a bug in the numbering"))
        }));
        assert!(panicked.is_err());
        assert!(
            numbering.after_commit(|| Ok(Vec::new())).is_ok(),
            "not stuck"
        );
    }
}
