//! `barta migrate`: a SQLite newsroom copied into an empty PostgreSQL database, every row as
//! it is — users and their sessions, desks, articles with every revision and its hash,
//! approvals, publications, comments, photos, the outbox, the lexicon, releases, the audit
//! trail and the feed with its sequence numbers — so every laptop's cursor stays valid and
//! nothing is sent twice. The source is checked first (as `barta backup` checks a copy) and
//! read in one transaction (a snapshot: stop the SQLite server for the cutover, or writes
//! made after the copy began stay behind); the target is written in one transaction, checked
//! (row counts, the audit chain's head) before it commits, and must hold no newsroom yet.

use super::StoreError;
use super::audit::AuditCheck;
use super::postgres::PgStore;
use super::sqlite::backup::{self, BackupError};
use rusqlite::types::Value;
use std::path::Path;
use tokio_postgres::types::ToSql;

/// The tables, in an order that satisfies their foreign keys (the deferred ones settle at
/// commit), each with the order its rows are copied in and the SQLite expression of every
/// column that differs from the target's (`approvals.seq` is SQLite's rowid).
const TABLES: &[(&str, &str)] = &[
    ("desks", "slug"),
    ("users", "id"),
    ("user_desks", "user_id, desk"),
    ("tokens", "created_at"),
    ("changes", "seq"),
    ("articles", "id"),
    ("revisions", "seq"),
    ("approvals", "rowid"),
    ("publications", "seq"),
    ("comments", "seq"),
    ("media", "id"),
    ("media_chunks", "media_id, offset"),
    ("article_media", "sha256, article_id"),
    ("publication_media", "sha256, publication_id"),
    ("targets", "name"),
    ("deliveries", "seq"),
    ("remote_posts", "target, article_id"),
    ("remote_media", "target, sha256"),
    ("lexicon_seen", "word, article_id"),
    ("lexicon_added", "word"),
    ("newsroom_settings", "key"),
    ("app_releases", "version, target, arch, bundle"),
    ("audit", "id"),
];

/// The identity columns whose sequences go on after the copied rows.
const IDENTITIES: &[(&str, &str)] = &[
    ("approvals", "seq"),
    ("comments", "seq"),
    ("deliveries", "seq"),
];

/// What a migration copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migrated {
    /// Rows per table, in [`TABLES`] order.
    pub rows: Vec<(String, u64)>,
    /// The feed's last sequence number (every laptop's cursor at or below it stays valid).
    pub last_seq: i64,
    /// The audit chain's head, the same on both sides.
    pub audit_head: Option<String>,
}

/// Why a migration did not happen. Nothing was written to the target.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the SQLite newsroom does not check out: {0}")]
    Source(#[from] BackupError),
    #[error(
        "the PostgreSQL database already holds a newsroom ({0} rows in {1}): migrate into an empty database"
    )]
    TargetNotEmpty(i64, String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the copy does not match its source: {0}")]
    Mismatch(String),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

impl From<tokio_postgres::Error> for MigrateError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Store(e.into())
    }
}

/// A SQLite value as the target column's type takes it.
fn pg_value(value: Value, pg_type: &str) -> Box<dyn ToSql + Sync> {
    match (value, pg_type) {
        (Value::Null, "bigint") => Box::new(None::<i64>),
        (Value::Null, "integer") => Box::new(None::<i32>),
        (Value::Null, "bytea") => Box::new(None::<Vec<u8>>),
        (Value::Null, _) => Box::new(None::<String>),
        (Value::Integer(n), "integer") => Box::new(i32::try_from(n).unwrap_or(i32::MAX)),
        (Value::Integer(n), "text") => Box::new(n.to_string()),
        (Value::Integer(n), _) => Box::new(n),
        (Value::Real(x), _) => Box::new(x.to_string()),
        (Value::Text(t), _) => Box::new(t),
        (Value::Blob(b), _) => Box::new(b),
    }
}

/// Copies one table's rows, in `order`, into the same columns of the target; their count.
fn copy_table(
    source: &rusqlite::Connection,
    tx: &mut super::postgres::Db<'_>,
    table: &str,
    order: &str,
) -> Result<u64, MigrateError> {
    let columns: Vec<(String, String)> = tx
        .query(
            // Not the columns PostgreSQL always makes itself (`changes.entry`, the feed's
            // order of writing before numbering): SQLite has none, it numbers at once.
            "SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
               AND COALESCE(identity_generation, '') <> 'ALWAYS'
             ORDER BY ordinal_position",
            &[&table],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let select: Vec<String> = columns
        .iter()
        .map(|(name, _)| match (table, name.as_str()) {
            // SQLite orders approvals by rowid; PostgreSQL keeps that order in `seq`.
            ("approvals", "seq") => "rowid".to_string(),
            _ => format!("\"{name}\""),
        })
        .collect();
    let names: Vec<String> = columns.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    // Prepared once (the transaction keeps it), run for every row.
    let insert = format!(
        "INSERT INTO {table} ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    );
    let mut read = source.prepare(&format!(
        "SELECT {} FROM {table} ORDER BY {order}",
        select.join(", ")
    ))?;
    let mut rows = read.query([])?;
    let mut copied = 0u64;
    while let Some(row) = rows.next()? {
        let values = columns
            .iter()
            .enumerate()
            .map(|(i, (_, pg_type))| Ok(pg_value(row.get::<_, Value>(i)?, pg_type)))
            .collect::<Result<Vec<_>, rusqlite::Error>>()?;
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        tx.execute(&insert, &params)?;
        copied += 1;
    }
    Ok(copied)
}

/// Copies the SQLite newsroom of `data_dir` into the PostgreSQL database at `url`.
pub fn migrate(data_dir: &Path, url: &str) -> Result<Migrated, MigrateError> {
    let path = data_dir.join(super::sqlite::FILE_NAME);
    let mut source = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let snapshot = source.transaction()?;
    let checked = backup::check(&snapshot)?;
    let source_head = match super::sqlite::audit::check(&snapshot)? {
        AuditCheck::Intact { head, .. } => head,
        AuditCheck::Broken { id, reason } => {
            return Err(MigrateError::Mismatch(format!(
                "audit entry {id}: {reason}"
            )));
        }
    };
    // Creates the schema (migrations) in the target if it has none yet.
    drop(PgStore::open(url, 1)?);
    let mut target = super::postgres::PgConn::connect(&super::postgres::config(url)?)?;
    let mut tx = target.transaction();
    for (table, _) in TABLES {
        let n: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .get(0);
        if n > 0 {
            return Err(MigrateError::TargetNotEmpty(n, table.to_string()));
        }
    }
    tx.batch_execute("SET CONSTRAINTS ALL DEFERRED")?;
    let mut rows = Vec::new();
    for (table, order) in TABLES {
        let copied = copy_table(&snapshot, &mut tx, table, order)?;
        let on_source: i64 =
            snapshot.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if on_source != copied as i64 {
            return Err(MigrateError::Mismatch(format!(
                "{table}: {copied} rows copied of {on_source}"
            )));
        }
        rows.push((table.to_string(), copied));
    }
    // Every article copied is listed for the archive search's index (`barta migrate` then
    // indexes them before it ends; `barta serve` would in the background).
    tx.execute(
        "INSERT INTO archive_stale (article_id, head) SELECT id, head FROM articles",
        &[],
    )?;
    for (table, column) in IDENTITIES {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               GREATEST((SELECT max({column}) FROM {table}), 1),
                               (SELECT count(*) > 0 FROM {table}))"
            ),
            &[],
        )?;
    }
    let target_head = match super::postgres::audit_check_in(&mut tx)? {
        AuditCheck::Intact { head, .. } => head,
        AuditCheck::Broken { id, reason } => {
            return Err(MigrateError::Mismatch(format!(
                "the copied audit chain breaks at entry {id}: {reason}"
            )));
        }
    };
    if target_head != source_head {
        return Err(MigrateError::Mismatch(
            "the audit chain's head differs".into(),
        ));
    }
    // Nothing is committed before every check passed (the deferred foreign keys too).
    tx.commit()?;
    Ok(Migrated {
        rows,
        last_seq: checked.last_seq,
        audit_head: target_head,
    })
}
