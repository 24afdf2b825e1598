//! The server's store on PostgreSQL 15+ (issue 17), beside SQLite: a pool of connections to
//! one database that several `barta serve` instances may share. The write rules are the
//! same as SQLite's (`store::rules`), run over [`PgTx`]; this module holds the connection
//! pool, the schema ([`migrations`]) and the transaction loop.
//!
//! Status: the rules run on PostgreSQL and are tested against a real server
//! (`tests/postgres.rs`); the `Store` trait's read paths, accounts, media and the HTTP wiring
//! (`barta serve --database postgres://…`) are not written yet.

pub mod migrations;
mod tx;

use crate::store::StoreError;
use r2d2_postgres::PostgresConnectionManager;
use std::time::Duration;
pub use tx::PgTx;

/// The advisory lock under which the feed's sequence numbers (`changes.seq`,
/// `publications.seq`) are taken, held until commit.
pub const FEED_LOCK: i64 = 0x6261_7274_615f_6664; // "barta_fd"
/// The advisory lock under which the audit chain is extended, held until commit.
pub const AUDIT_LOCK: i64 = 0x6261_7274_615f_6175; // "barta_au"

/// How long a request waits for a free connection before it is answered 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times a transaction that lost a race (deadlock, serialization failure, a row
/// another transaction inserted first) is run again.
const RETRIES: u32 = 3;

/// PostgreSQL's errors, as every backend's: a message, no backend type. A connection that
/// is gone or refused, or a server shutting down, is "unavailable" (503, try again); a
/// transaction that lost a race with another (a deadlock, a serialization failure, a row
/// another transaction inserted first) is "raced" (run again by [`PgStore::write`]).
impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
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
    pool: r2d2::Pool<PostgresConnectionManager<postgres::NoTls>>,
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
        let config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Invalid(format!("not a PostgreSQL address: {e}")))?;
        let manager = PostgresConnectionManager::new(config, postgres::NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build_unchecked(manager);
        let store = Self { pool };
        let mut conn = store.connection()?;
        migrations::migrate(&mut conn)?;
        Ok(store)
    }

    fn connection(
        &self,
    ) -> Result<r2d2::PooledConnection<PostgresConnectionManager<postgres::NoTls>>, StoreError>
    {
        self.pool
            .get()
            .map_err(|e| StoreError::Unavailable(format!("no database connection: {e}")))
    }

    /// Runs `rule` in one transaction and commits; a transaction that lost a race with
    /// another (a deadlock between two batches, a row inserted first by another instance)
    /// is run again from the start, a few times at most. A refusal the rule audited is
    /// committed with its audit entry, as on SQLite; a database error rolls back.
    pub fn write<T>(
        &self,
        mut rule: impl FnMut(&mut PgTx<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.connection()?;
        let mut attempt = 1;
        loop {
            match Self::write_once(&mut conn, &mut rule) {
                Err(StoreError::Raced(_)) if attempt < RETRIES => attempt += 1,
                outcome => return outcome,
            }
        }
    }

    /// Runs `f` in a read-only transaction (a consistent snapshot: `REPEATABLE READ`).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.connection()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let value = f(&mut tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn write_once<T>(
        conn: &mut postgres::Client,
        rule: &mut impl FnMut(&mut PgTx<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = conn.transaction()?;
        let outcome = rule(&mut PgTx(&mut tx));
        match outcome {
            Err(e) if e.is_failure() => {
                let _ = tx.rollback();
                Err(e)
            }
            outcome => {
                tx.commit()?;
                outcome
            }
        }
    }
}
