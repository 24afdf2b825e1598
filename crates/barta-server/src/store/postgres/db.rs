//! A pooled PostgreSQL connection that keeps its prepared statements ([`PgConn`]), and a
//! transaction on it that prepares each statement once per connection ([`Db`]). The blocking
//! client prepares a statement given as text anew at every call — a round trip to the
//! database, and a parse and plan there, before the one that runs it; a push runs about a
//! dozen statements. With the statements kept, each runs in one round trip on a plan the
//! database has already made.

use postgres::types::ToSql;
use postgres::{GenericClient, Row, Statement};
use r2d2_postgres::PostgresConnectionManager;
use std::collections::HashMap;

/// Statements kept per connection at most: the store's SQL is fixed text, so this is never
/// reached unless text is built per call; then the cache starts again.
const MAX_STATEMENTS: usize = 512;

/// A pooled connection and its prepared statements, by SQL text.
pub struct PgConn {
    pub client: postgres::Client,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    /// A connection made outside the pool (`barta migrate`'s).
    pub fn new(client: postgres::Client) -> Self {
        Self {
            client,
            statements: HashMap::new(),
        }
    }

    /// One statement on its own, committed as it runs: a read that needs no snapshot shared
    /// with another statement (the token's check on every request) costs one round trip,
    /// where a transaction costs three.
    pub fn query_opt_alone(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        let statement = prepared(&mut self.client, &mut self.statements, sql)?;
        self.client
            .query_opt(&statement, params)
            .inspect_err(|_| self.statements.clear())
    }

    /// A transaction on this connection (`READ COMMITTED`, read-write).
    pub fn transaction(&mut self) -> Result<Db<'_>, postgres::Error> {
        let tx = self.client.transaction()?;
        Ok(Db {
            tx,
            statements: &mut self.statements,
        })
    }

    /// A read-only `REPEATABLE READ` transaction: one consistent snapshot.
    pub fn snapshot(&mut self) -> Result<Db<'_>, postgres::Error> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        Ok(Db {
            tx,
            statements: &mut self.statements,
        })
    }
}

/// The pool's connection manager: `r2d2_postgres`'s, with [`PgConn`]s.
#[derive(Debug)]
pub struct Manager(pub PostgresConnectionManager<postgres::NoTls>);

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        Ok(PgConn {
            client: self.0.connect()?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

/// A transaction whose statements are prepared once per connection. Its methods are the
/// blocking client's, with the SQL given as text.
pub struct Db<'c> {
    tx: postgres::Transaction<'c>,
    statements: &'c mut HashMap<String, Statement>,
}

/// `sql` prepared on the connection `client` speaks on, kept in its `statements` (prepared
/// now, the first time).
fn prepared(
    client: &mut impl GenericClient,
    statements: &mut HashMap<String, Statement>,
    sql: &str,
) -> Result<Statement, postgres::Error> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client.prepare(sql).inspect_err(|_| statements.clear())?;
    if statements.len() >= MAX_STATEMENTS {
        statements.clear();
    }
    statements.insert(sql.to_owned(), statement.clone());
    Ok(statement)
}

impl Db<'_> {
    /// Runs `run` with `sql` prepared. Should it fail, the connection's statements are
    /// forgotten: one made stale by a schema change (another instance migrating) is prepared
    /// again by the transaction's next try.
    fn with_prepared<T>(
        &mut self,
        sql: &str,
        run: impl FnOnce(&mut postgres::Transaction<'_>, &Statement) -> Result<T, postgres::Error>,
    ) -> Result<T, postgres::Error> {
        let statement = prepared(&mut self.tx, self.statements, sql)?;
        run(&mut self.tx, &statement).inspect_err(|_| self.statements.clear())
    }

    pub fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        self.with_prepared(sql, |tx, s| tx.query(s, params))
    }

    pub fn query_one(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, postgres::Error> {
        self.with_prepared(sql, |tx, s| tx.query_one(s, params))
    }

    pub fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        self.with_prepared(sql, |tx, s| tx.query_opt(s, params))
    }

    pub fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        self.with_prepared(sql, |tx, s| tx.execute(s, params))
    }

    /// Statements without parameters, run as given (not kept).
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.tx.batch_execute(sql)
    }

    pub fn commit(self) -> Result<(), postgres::Error> {
        self.tx.commit()
    }

    pub fn rollback(self) -> Result<(), postgres::Error> {
        self.tx.rollback()
    }
}
