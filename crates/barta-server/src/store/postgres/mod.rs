//! The server's store on PostgreSQL 15+ (issue 17), beside SQLite: a pool of connections to
//! one database that several `barta serve` instances may share. The write rules are the
//! same as SQLite's (`store::rules`), run over [`PgTx`]; this module holds the connection
//! pool, the schema ([`migrations`]) and the transaction loop.
//!
//! The rest of [`crate::store::Store`] is in `store.rs`, its SQL in `accounts.rs`,
//! `articles.rs`, `media.rs` (photos' chunks in the database, so every instance sees them),
//! `deliveries.rs` and `admin.rs`. `barta serve --database postgres://…` serves it; the
//! server's tests run on it (`BARTA_TEST_BACKEND=postgres`).

mod accounts;
mod admin;
mod archive;
mod articles;
mod audit_batch;
mod db;
mod deliveries;
mod logins;
mod media;
pub mod migrations;
mod presence;
mod rows;
pub(super) mod sequencer;
mod store;
mod tx;

use crate::store::StoreError;
pub use deliveries::DELIVERY_LEASE;
use std::time::Duration;
pub use tx::PgTx;

/// The audit chain checked inside a transaction of the caller's (`barta migrate` checks the
/// copy before it commits).
pub(crate) use admin::audit_check as audit_check_in;
pub use db::{Db, PgConn};

/// The advisory lock under which the feed's sequence numbers (`changes.seq`,
/// `publications.seq`) are taken, held until commit.
pub const FEED_LOCK: i64 = 0x6261_7274_615f_6664; // "barta_fd"
/// The advisory lock under which the audit chain is extended, held until commit.
pub const AUDIT_LOCK: i64 = 0x6261_7274_615f_6175; // "barta_au"

/// How long a request waits for a free connection before it is answered 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a request waits for one while the database is known to be unreachable (the last
/// checkout failed with no connection open at all): requests answer 503 at once instead of
/// each waiting out [`CHECKOUT_TIMEOUT`], and the first that gets a connection ends it.
const CHECKOUT_WHILE_DOWN: Duration = Duration::from_millis(250);
/// How many times a transaction that lost a race (deadlock, serialization failure, a row
/// another transaction inserted first) is run again.
const RETRIES: u32 = 3;

/// PostgreSQL's errors, as every backend's: a message, no backend type. A connection that
/// is gone or refused, or a server shutting down, is "unavailable" (503, try again); a
/// transaction that lost a race with another (a deadlock, a serialization failure, a row
/// another transaction inserted first) is "raced" (run again by [`PgStore::write`]).
impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        let code = e.code();
        if code.is_some_and(|c| {
            *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::UNIQUE_VIOLATION
        }) {
            return Self::Raced(e.to_string());
        }
        let unavailable = e.is_closed()
            || code.is_some_and(|c| c.code().starts_with("08") || c.code().starts_with("57P"))
            || (code.is_none() && e.as_db_error().is_none());
        if unavailable {
            Self::Unavailable(e.to_string())
        } else {
            Self::Database(e.to_string())
        }
    }
}

/// The PostgreSQL store. Cheap to share behind an `Arc`.
pub struct PgStore {
    /// Always present until the store is dropped, then dropped off any async task (see
    /// `Drop`): closing a connection blocks.
    pool: Option<r2d2::Pool<db::Manager>>,
    /// How long a delivery taken by `due_deliveries` stays claimed (`deliveries::due`).
    delivery_lease: Duration,
    /// The last checkout failed with no connection open: the database is unreachable.
    down: std::sync::atomic::AtomicBool,
    /// A crash armed for the test suite (`None` in production: see [`crate::failpoint`]).
    pub(super) failpoint: Option<crate::failpoint::Failpoint>,
    /// The request entries of the audit trail, written in groups (`audit_batch.rs`).
    audit_groups: audit_batch::AuditGroups,
    /// The feed's numbering after commit, one at a time for this instance (`sequencer.rs`).
    numbering: sequencer::Numbering,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // The last store of a server is often dropped by its async runtime (the router's
        // state at shutdown); the idle connections it holds close with a blocking call.
        if let Some(pool) = self.pool.take() {
            off_runtime(move || drop(pool));
        }
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold a password.
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) with a pool of `max_connections`
    /// and brings the schema up to date (refusing a newer one).
    pub fn open(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let manager = db::Manager(config(url)?);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build_unchecked(manager);
        let store = Self {
            pool: Some(pool),
            delivery_lease: DELIVERY_LEASE,
            down: std::sync::atomic::AtomicBool::new(false),
            failpoint: None,
            audit_groups: audit_batch::AuditGroups::default(),
            numbering: sequencer::Numbering::default(),
        };
        off_runtime(|| {
            let mut conn = store.connection()?;
            migrations::migrate(&mut conn)
        })?;
        Ok(store)
    }

    /// The store with another delivery lease than [`DELIVERY_LEASE`] (tests: a
    /// claimed delivery that is never finished comes due again sooner).
    pub fn with_delivery_lease(mut self, lease: Duration) -> Self {
        self.delivery_lease = lease;
        self
    }

    /// Arms a test failpoint (see [`crate::failpoint`]); `None` leaves the store as opened.
    pub fn with_failpoint(mut self, failpoint: Option<crate::failpoint::Failpoint>) -> Self {
        self.failpoint = failpoint;
        self
    }

    /// Audit-trail groups written so far (each one transaction for the entries waiting).
    pub fn audit_groups(&self) -> u64 {
        self.audit_groups.groups()
    }

    /// Appends an audit entry together with the others waiting (`audit_batch.rs`).
    pub(super) fn record_audit_grouped(
        &self,
        entry: &crate::store::NewAuditEntry,
    ) -> Result<(), StoreError> {
        use crate::store::rules::Tx;
        self.audit_groups.record(entry, |group| {
            self.write(|tx| group.iter().try_for_each(|entry| tx.audit(entry)))
        })
    }

    /// Updates the planner's statistics of the archive index (after a whole archive was
    /// indexed at once, `barta migrate`): it then knows a common key from a rare one.
    /// Autovacuum keeps them as the index grows by pushes.
    pub fn analyze_archive(&self) -> Result<(), StoreError> {
        off_runtime(|| {
            let mut conn = self.connection()?;
            conn.batch_execute("ANALYZE archive_terms")
        })
    }

    /// How long a delivery taken by `due_deliveries` stays claimed.
    pub fn delivery_lease(&self) -> Duration {
        self.delivery_lease
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<db::Manager>, StoreError> {
        let pool = self
            .pool
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the store is closing".into()))?;
        use std::sync::atomic::Ordering::Relaxed;
        let wait = if self.down.load(Relaxed) {
            CHECKOUT_WHILE_DOWN
        } else {
            CHECKOUT_TIMEOUT
        };
        match pool.get_timeout(wait) {
            Ok(conn) => {
                self.down.store(false, Relaxed);
                Ok(conn)
            }
            Err(e) => {
                // A pool whose connections are all in use (busy, not down) has them open.
                self.down.store(pool.state().connections == 0, Relaxed);
                Err(StoreError::Unavailable(format!(
                    "no database connection: {e}"
                )))
            }
        }
    }

    /// Runs `rule` in one transaction and commits; a transaction that lost a race with
    /// another (a deadlock between two batches, a row inserted first by another instance)
    /// is run again from the start, a few times at most. A refusal the rule audited is
    /// committed with its audit entry, as on SQLite; a database error rolls back.
    pub fn write<T: Send>(
        &self,
        mut rule: impl FnMut(&mut PgTx<'_, '_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| {
            let mut conn = self.connection()?;
            let mut attempt = 1;
            let (outcome, appended) = loop {
                match Self::write_once(&mut conn, &mut rule) {
                    (Err(StoreError::Raced(_)), _) if attempt < RETRIES => attempt += 1,
                    done => break done,
                }
            };
            drop(conn);
            // What the write added to the feed is numbered before it answers. Should the
            // numbering fail, the write stands: the next numbering (any write's, or a feed
            // reader's) numbers its entries.
            if appended
                && outcome.is_ok()
                && let Err(e) = self.number_feed()
            {
                tracing::warn!(error = %e, "the feed was not numbered after a write");
            }
            outcome
        })
    }

    /// Numbers the feed's committed, unnumbered entries (`sequencer.rs`), sharing one
    /// numbering with the other writes of this instance that committed before it began.
    pub fn number_feed(&self) -> Result<(), StoreError> {
        off_runtime(|| {
            self.numbering.after_commit(|| {
                let mut conn = self.connection()?;
                sequencer::number_feed(&mut conn)
            })
        })
    }

    /// A read of the feed (`f` reads a page of it): if the read saw committed entries still
    /// unnumbered — a writer died between its commit and its numbering — numbers them and
    /// reads again, so the page holds them and the next push's number follows theirs. In the
    /// usual case, nothing waiting, it is one read.
    pub(super) fn read_feed<T: Send>(
        &self,
        f: impl Fn(&mut Db<'_>) -> Result<T, StoreError> + Send + Sync,
    ) -> Result<T, StoreError> {
        let (value, waiting) = self.read(|tx| Ok((f(tx)?, sequencer::waiting(tx)?)))?;
        if !waiting {
            return Ok(value);
        }
        self.number_feed()?;
        self.read(|tx| f(tx))
    }

    /// A push's answer with its feed number, numbering the feed first if the write's own
    /// numbering has not (it failed, or this is a replay of a push whose writer died before
    /// numbering): 503 while it cannot be numbered.
    pub(super) fn numbered(
        &self,
        outcome: crate::store::PushOutcome,
    ) -> Result<crate::store::PushOutcome, StoreError> {
        let crate::store::PushOutcome::Accepted(mut accepted) = outcome else {
            return Ok(outcome);
        };
        if accepted.seq == sequencer::UNNUMBERED
            && let Some(seq) = self.numbering.take(accepted.head)
        {
            // Numbered by this instance after the write (the usual case): no read.
            accepted.seq = seq;
        }
        if accepted.seq == sequencer::UNNUMBERED {
            let seq = off_runtime(|| {
                let mut conn = self.connection()?;
                let seq = sequencer::revision_seq(&mut conn, accepted.head)?;
                drop(conn);
                match seq {
                    Some(seq) => Ok(Some(seq)),
                    None => {
                        self.number_feed()?;
                        let mut conn = self.connection()?;
                        sequencer::revision_seq(&mut conn, accepted.head)
                    }
                }
            })?;
            accepted.seq = seq.ok_or_else(|| {
                StoreError::Unavailable("the feed could not be numbered yet".into())
            })?;
        }
        Ok(crate::store::PushOutcome::Accepted(accepted))
    }

    /// Runs `f` on a pooled connection outside any transaction, for a read made of one
    /// statement ([`PgConn::query_opt_alone`]): one round trip, where a transaction takes three.
    pub fn alone<T: Send>(
        &self,
        f: impl FnOnce(&mut PgConn) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| f(&mut *self.connection()?))
    }

    /// Runs `f` in a read-only transaction (a consistent snapshot: `REPEATABLE READ`).
    pub fn read<T: Send>(
        &self,
        f: impl FnOnce(&mut Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| {
            let mut conn = self.connection()?;
            let mut tx = conn.snapshot();
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// One try of [`Self::write`]: the rule's outcome, and whether the committed transaction
    /// added entries to the changes feed.
    fn write_once<T>(
        conn: &mut PgConn,
        rule: &mut impl FnMut(&mut PgTx<'_, '_>) -> Result<T, StoreError>,
    ) -> (Result<T, StoreError>, bool) {
        let mut tx = conn.transaction();
        let mut pg = PgTx::new(&mut tx);
        let outcome = rule(&mut pg);
        let appended = pg.appended_to_feed();
        match outcome {
            Err(e) if e.is_failure() => {
                let _ = tx.rollback();
                (Err(e), false)
            }
            outcome => match tx.commit() {
                Ok(()) => (outcome, appended),
                Err(e) => (Err(e), false),
            },
        }
    }
}

/// The connection settings in `url` (`postgres://user@host:port/db`).
pub fn config(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    url.parse()
        .map_err(|e| StoreError::Invalid(format!("not a PostgreSQL address: {e}")))
}

/// Runs `f` where a connection may block on its requests. Each connection is driven by a
/// runtime of its own (`db.rs`), which cannot start on a thread that is running async tasks: the
/// server calls the store from tokio's blocking pool (fine as it is), but a caller inside an
/// async task (a test, a one-off) gets `f` moved off the task first — with `block_in_place`
/// on a multi-threaded runtime, on a thread of its own otherwise.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Err(_) => f(),
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        Ok(_) => std::thread::scope(|scope| match scope.spawn(f).join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }),
    }
}
