//! Append-only schema migrations with a version guard: an older binary refuses a newer
//! database instead of corrupting it. Never edit a shipped migration; add a new one.

use crate::StoreError;
use rusqlite::Connection;

/// Each entry moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: articles, working copies, revisions, the outbox, cursors, settings.
    r#"
    CREATE TABLE articles (
        id          TEXT PRIMARY KEY,
        desk        TEXT NOT NULL,
        author      TEXT NOT NULL,
        state       TEXT NOT NULL,
        sync_state  TEXT NOT NULL,
        head        TEXT,
        server_head TEXT,
        headline    TEXT NOT NULL DEFAULT '',
        note        TEXT,
        last_error_code    TEXT,
        last_error_message TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE working_copies (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id),
        meta        TEXT NOT NULL,
        body        TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE revisions (
        id           TEXT PRIMARY KEY,
        article_id   TEXT NOT NULL REFERENCES articles(id),
        parent       TEXT,
        merge_parent TEXT,
        author       TEXT NOT NULL,
        meta         TEXT NOT NULL,
        body         TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        origin       TEXT NOT NULL CHECK (origin IN ('local', 'server')),
        server_seq   INTEGER
    );
    CREATE INDEX revisions_by_article ON revisions(article_id, created_at);
    CREATE TABLE outbox (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id    TEXT NOT NULL REFERENCES articles(id),
        kind          TEXT NOT NULL CHECK (kind IN ('revision', 'transition')),
        revision_id   TEXT NOT NULL,
        action        TEXT,
        note          TEXT,
        status        TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'done', 'rejected', 'conflict')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        error_code    TEXT,
        error_message TEXT,
        created_at    TEXT NOT NULL,
        finished_at   TEXT
    );
    CREATE INDEX outbox_pending ON outbox(status, id);
    CREATE TABLE sync_cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`SCHEMA_VERSION`], or refuses one made by a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
