//! A pooled PostgreSQL connection that keeps its prepared statements ([`PgConn`]), and a
//! transaction on it that pipelines ([`Db`]).
//!
//! Each statement sent and answered on its own costs a round trip to the database; on these
//! two cores, where `barta serve` and PostgreSQL share the processors, a push's dozen round
//! trips were what held PostgreSQL under 1,000 pushes a second. So a transaction sends what it
//! can together: its `BEGIN` goes with its first statement, a write whose answer the rules do
//! not need ([`Db::write`]) waits and goes with the next statement that needs an answer, or
//! with `COMMIT`; reads that do not depend on each other go together ([`Db::query_together`]).
//! `tokio-postgres` pipelines the requests issued together: all of them are written to the
//! socket before the first answer is awaited. The statements run in the order they were
//! given, so a read sees every write made before it; should one fail, the transaction fails
//! with that error (and the statements after it with it).
//!
//! The connection is driven here, on a small runtime of its own per connection, while a
//! request waits (as the blocking `postgres` client does), so a call from the store's blocking
//! threads costs no hop to another thread.

use crate::store::StoreError;
use bytes::BytesMut;
use futures_util::future::{join, join_all};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::types::{Format, IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{AsyncMessage, Client, Connection, Row, Socket, Statement};

/// Statements kept per connection at most: the store's SQL is fixed text, so this is never
/// reached unless text is built per call; then the cache starts again.
const MAX_STATEMENTS: usize = 512;

/// A connection used this recently is handed out by the pool without a test query first: under
/// load every checkout would otherwise cost a round trip. One idle longer (after an outage,
/// say) is tested first, so a dead connection is replaced instead of failing a request.
const FRESH: Duration = Duration::from_secs(1);

/// Statement parameters as the client takes them.
pub type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// One connection's socket and the runtime that drives it.
struct Driver {
    runtime: tokio::runtime::Runtime,
    /// `None` once the connection has ended (its requests then fail as closed).
    connection: Option<Connection<Socket, NoTlsStream>>,
    /// When a request last completed on it.
    last_used: Instant,
}

impl Driver {
    /// Runs `request` to its end, driving the connection meanwhile.
    fn block_on<T>(
        &mut self,
        request: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, tokio_postgres::Error> {
        let connection = &mut self.connection;
        let mut request = std::pin::pin!(request);
        let answer = self.runtime.block_on(std::future::poll_fn(|cx| {
            while let Some(link) = connection.as_mut() {
                match link.poll_message(cx) {
                    Poll::Ready(Some(Ok(AsyncMessage::Notice(notice)))) => {
                        tracing::debug!(
                            severity = notice.severity(),
                            "PostgreSQL: {}",
                            notice.message()
                        );
                    }
                    Poll::Ready(Some(Ok(_))) => {}
                    Poll::Ready(Some(Err(e))) => {
                        *connection = None;
                        return Poll::Ready(Err(e));
                    }
                    Poll::Ready(None) => *connection = None,
                    Poll::Pending => break,
                }
            }
            request.as_mut().poll(cx)
        }));
        if answer.is_ok() {
            self.last_used = Instant::now();
        }
        answer
    }
}

/// A connection to PostgreSQL and its prepared statements, by SQL text.
pub struct PgConn {
    client: Client,
    driver: Driver,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    /// Connects as `config` says (the pool's connections, and `barta migrate`'s own).
    pub fn connect(config: &tokio_postgres::Config) -> Result<Self, StoreError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable(format!("no runtime for a connection: {e}")))?;
        let (client, connection) = runtime.block_on(config.connect(tokio_postgres::NoTls))?;
        Ok(Self {
            client,
            driver: Driver {
                runtime,
                connection: Some(connection),
                last_used: Instant::now(),
            },
            statements: HashMap::new(),
        })
    }

    /// Whether the connection has ended (the pool then drops it).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed() || self.driver.connection.is_none()
    }

    /// `sql` prepared on this connection, kept (prepared now, the first time). Should it fail,
    /// the kept statements are forgotten: one made stale by a schema change (another instance
    /// migrating) is prepared again.
    fn prepared(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .driver
            .block_on(self.client.prepare(sql))
            .inspect_err(|_| self.statements.clear())?;
        if self.statements.len() >= MAX_STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// One statement on its own, committed as it runs: a read that needs no snapshot shared
    /// with another statement (the token's check on every request) costs one round trip.
    pub fn query_opt_alone(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let statement = self.prepared(sql)?;
        let Self {
            client,
            driver,
            statements,
        } = self;
        driver
            .block_on(client.query_opt(&statement, params))
            .inspect_err(|_| statements.clear())
            .map_err(StoreError::from)
    }

    /// Statements without parameters, outside any transaction, run as given (not kept).
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.driver.block_on(self.client.batch_execute(sql))?)
    }

    /// A transaction on this connection (`READ COMMITTED`, read-write).
    pub fn transaction(&mut self) -> Db<'_> {
        Db::new(self, "BEGIN")
    }

    /// A read-only `REPEATABLE READ` transaction: one consistent snapshot.
    pub fn snapshot(&mut self) -> Db<'_> {
        Db::new(self, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    }
}

/// The pool's connection manager.
pub struct Manager(pub tokio_postgres::Config);

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the configuration: it may hold a password.
        f.debug_struct("Manager").finish_non_exhaustive()
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = StoreError;

    fn connect(&self) -> Result<PgConn, StoreError> {
        PgConn::connect(&self.0)
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), StoreError> {
        if conn.driver.last_used.elapsed() < FRESH && !conn.is_closed() {
            return Ok(());
        }
        conn.batch_execute("")
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.is_closed()
    }
}

/// A parameter already encoded for its statement: a write kept for later holds no borrow.
#[derive(Debug)]
struct Encoded {
    bytes: Option<Vec<u8>>,
    format: Format,
}

impl ToSql for Encoded {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match &self.bytes {
            None => IsNull::Yes,
            Some(bytes) => {
                out.extend_from_slice(bytes);
                IsNull::No
            }
        })
    }

    /// Checked when it was encoded, against the same statement.
    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> Format {
        self.format
    }

    to_sql_checked!();
}

/// `params` encoded for `statement`, or `None` when one does not fit its parameter's type
/// (the statement is then sent at once, and fails with the client's own error).
fn encoded(statement: &Statement, params: Params<'_>) -> Option<Vec<Encoded>> {
    if params.len() != statement.params().len() {
        return None;
    }
    statement
        .params()
        .iter()
        .zip(params)
        .map(|(ty, param)| {
            let mut out = BytesMut::new();
            let bytes = match param.to_sql_checked(ty, &mut out).ok()? {
                IsNull::Yes => None,
                IsNull::No => Some(out.to_vec()),
            };
            Some(Encoded {
                bytes,
                format: param.encode_format(ty),
            })
        })
        .collect()
}

/// A write kept to be sent with the transaction's next request.
struct Waiting {
    statement: Statement,
    params: Vec<Encoded>,
}

/// A transaction whose statements are prepared once per connection and sent together where
/// they can be (the module's opening). Dropped unfinished, it rolls back.
pub struct Db<'c> {
    conn: &'c mut PgConn,
    /// The transaction's `BEGIN`, until it is sent with the first request.
    begin: Option<&'static str>,
    /// Writes not sent yet, in order.
    waiting: Vec<Waiting>,
    /// A request of this transaction failed: it can only roll back.
    failed: bool,
    /// Committed or rolled back.
    ended: bool,
}

type Sent<'a> = Pin<Box<dyn Future<Output = Result<(), tokio_postgres::Error>> + 'a>>;

impl<'c> Db<'c> {
    fn new(conn: &'c mut PgConn, begin: &'static str) -> Self {
        Self {
            conn,
            begin: Some(begin),
            waiting: Vec::new(),
            failed: false,
            ended: false,
        }
    }

    /// Sends the transaction's `BEGIN` and waiting writes, if any, and then what `last` asks,
    /// in one pipeline; the first error among them.
    fn send<T>(
        &mut self,
        last: impl AsyncFnOnce(&Client) -> Result<T, tokio_postgres::Error>,
    ) -> Result<T, StoreError> {
        if self.failed {
            return Err(StoreError::Database(
                "the transaction failed earlier and was not rolled back".into(),
            ));
        }
        let begin = self.begin.take();
        let waiting = std::mem::take(&mut self.waiting);
        let PgConn {
            client,
            driver,
            statements,
        } = &mut *self.conn;
        let client = &*client;
        let answer = driver.block_on(async {
            let mut before: Vec<Sent<'_>> = Vec::with_capacity(waiting.len() + 1);
            if let Some(begin) = begin {
                before.push(Box::pin(client.batch_execute(begin)));
            }
            for write in &waiting {
                before.push(Box::pin(async move {
                    let params: Vec<&(dyn ToSql + Sync)> =
                        write.params.iter().map(|p| p as _).collect();
                    client.execute(&write.statement, &params).await.map(drop)
                }));
            }
            let (before, last) = join(join_all(before), last(client)).await;
            before.into_iter().collect::<Result<(), _>>()?;
            last
        });
        answer.map_err(|e| {
            self.failed = true;
            statements.clear();
            StoreError::from(e)
        })
    }

    /// Runs the prepared `sql` with `params`, after everything waiting, and answers its rows.
    pub fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
        let statement = self.conn.prepared(sql)?;
        self.send(async |client| client.query(&statement, params).await)
    }

    pub fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, StoreError> {
        let statement = self.conn.prepared(sql)?;
        self.send(async |client| client.query_one(&statement, params).await)
    }

    pub fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, StoreError> {
        let statement = self.conn.prepared(sql)?;
        self.send(async |client| client.query_opt(&statement, params).await)
    }

    /// Reads that do not depend on each other, sent together (one round trip): the rows of
    /// each, in order.
    pub fn query_together(
        &mut self,
        reads: &[(&str, Params<'_>)],
    ) -> Result<Vec<Vec<Row>>, StoreError> {
        let statements = reads
            .iter()
            .map(|(sql, _)| self.conn.prepared(sql))
            .collect::<Result<Vec<_>, _>>()?;
        self.send(async |client| {
            let reads = statements
                .iter()
                .zip(reads)
                .map(|(statement, (_, params))| client.query(statement, params));
            join_all(reads).await.into_iter().collect()
        })
    }

    /// Runs `sql` now, after everything waiting, and answers how many rows it changed.
    pub fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, StoreError> {
        let statement = self.conn.prepared(sql)?;
        self.send(async |client| client.execute(&statement, params).await)
    }

    /// A write whose answer is not needed: sent with the transaction's next request (or its
    /// `COMMIT`), and its error, if any, answered there.
    pub fn write(&mut self, sql: &str, params: Params<'_>) -> Result<(), StoreError> {
        let statement = self.conn.prepared(sql)?;
        match encoded(&statement, params) {
            Some(params) => {
                self.waiting.push(Waiting { statement, params });
                Ok(())
            }
            None => self.send(async |client| client.execute(&statement, params).await.map(drop)),
        }
    }

    /// Statements without parameters, run as given (not kept), after everything waiting.
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), StoreError> {
        self.send(async |client| client.batch_execute(sql).await)
    }

    /// Commits, sending what is still waiting with the `COMMIT`. A transaction that has sent
    /// nothing yet has nothing to commit. Should it fail, the transaction is rolled back when
    /// dropped (a `ROLLBACK` too many, if the failed pipeline's `COMMIT` ended it, is harmless).
    pub fn commit(mut self) -> Result<(), StoreError> {
        if !(self.begin.is_some() && self.waiting.is_empty()) {
            self.send(async |client| client.batch_execute("COMMIT").await)?;
        }
        self.ended = true;
        Ok(())
    }

    /// Runs `sql` after everything waiting and commits, in one round trip: its rows once the
    /// commit has succeeded (rolled back when dropped otherwise, as [`Db::commit`]).
    pub fn query_then_commit(
        mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let statement = self.conn.prepared(sql)?;
        let rows = self.send(async |client| {
            let (rows, committed) = join(
                client.query(&statement, params),
                client.batch_execute("COMMIT"),
            )
            .await;
            committed?;
            rows
        })?;
        self.ended = true;
        Ok(rows)
    }

    /// Rolls back what was sent; what was still waiting is never sent.
    pub fn rollback(mut self) -> Result<(), StoreError> {
        self.ended = true;
        self.end_unfinished()
    }

    fn end_unfinished(&mut self) -> Result<(), StoreError> {
        self.waiting.clear();
        if self.begin.is_some() {
            return Ok(());
        }
        self.conn
            .driver
            .block_on(self.conn.client.batch_execute("ROLLBACK"))?;
        Ok(())
    }
}

impl Drop for Db<'_> {
    fn drop(&mut self) {
        if !self.ended
            && let Err(e) = self.end_unfinished()
        {
            tracing::debug!(error = %e, "a transaction dropped unfinished did not roll back");
        }
    }
}
