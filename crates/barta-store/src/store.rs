//! [`Store`]: the local SQLite database behind the desktop app. Typing upserts a working copy;
//! a save point turns it into an immutable revision and its outbox row in one transaction;
//! the changes feed from the server is applied one page per transaction.

use crate::codec::{pack_json, unpack_json};
use crate::migrations::migrate;
use crate::types::{
    ArticleDraft, ArticleSummary, ListFilter, OutboxItem, OutboxKind, OutboxStatus, StoreError,
};
use crate::working::{self, WorkingCache};
use barta_model::api::{Change, ChangesPage, RevisionRecord};
use barta_model::{
    Action, ArticleId, ArticleMeta, Document, RevisionId, RevisionPush, SyncState, WorkflowState,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;

/// The name of the changes-feed cursor in `sync_cursors`.
const CHANGES_CURSOR: &str = "changes";

/// What the store holds, in numbers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    pub schema_version: u32,
    pub articles: i64,
    pub revisions: i64,
    /// Outbox rows waiting for the server.
    pub pending: i64,
    /// The database's size (pages × page size), without the WAL file.
    pub bytes: i64,
    /// Of which free pages.
    pub free_bytes: i64,
}

/// The local store. One per app instance; not shared between threads without a lock.
pub struct Store {
    pub(crate) conn: Connection,
    /// What the last typing saves stored (see `working.rs`).
    pub(crate) working: WorkingCache,
    /// How many of an unfiltered search's newest matches are ranked ([`crate::search::RANK_WINDOW`]).
    pub(crate) rank_window: i64,
    /// When the oldest commit that is not yet on disk was made (`durability.rs`).
    pub(crate) unsynced_since: Option<std::time::Instant>,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn normalized(mut meta: ArticleMeta, mut body: Document) -> (ArticleMeta, Document) {
    meta.map_text(&bangla::normalize);
    body.map_text(&bangla::normalize);
    (meta, body)
}

pub(crate) fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad {what} {text:?}")))
}

impl Store {
    /// Opens (creating if needed) the database at `path`: WAL, `synchronous=FULL`, foreign
    /// keys on, migrated to the current schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::setup(Connection::open(path)?)
    }

    /// Opens (or creates) the store at `path` encrypted with `key` (SQLCipher: every page of
    /// the database and of its WAL, with `secure_delete` on so deleted text is overwritten).
    /// Another key than the store's own is refused ([`StoreError::WrongKey`]).
    pub fn open_encrypted(path: &Path, key: &crate::vault::DataKey) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(&format!(
            "PRAGMA key = {};",
            key.sqlcipher_literal().as_str()
        ))?;
        // The first read of the schema decrypts page 1: a wrong key fails here.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|_| StoreError::WrongKey)?;
        conn.pragma_update(None, "secure_delete", true)?;
        Self::setup(conn)
    }

    /// A private in-memory store, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Refuse a foreign or newer file before anything (even the journal mode) is written.
        crate::migrations::check(&conn)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // 64 MB of page cache (SQLite's default is 2 MB): a search over a large store reads
        // the same index pages again and again.
        conn.pragma_update(None, "cache_size", -65536)?;
        migrate(&mut conn)?;
        Ok(Self {
            conn,
            working: WorkingCache::default(),
            rank_window: crate::search::RANK_WINDOW,
            unsynced_since: None,
        })
    }

    /// Ranks the newest `window` matches of an unfiltered search instead of
    /// [`crate::search::RANK_WINDOW`] (at least 1). For tests and for tools that want every
    /// match ranked (`i64::MAX`).
    pub fn set_rank_window(&mut self, window: i64) {
        self.rank_window = window.max(1);
    }

    /// Caps SQLite's page cache at `kib` KiB (64 MiB by default). The desktop app keeps it
    /// small: its memory is what a reporter's laptop pays for, and the OS keeps the file's
    /// pages cached anyway.
    pub fn set_page_cache_kib(&self, kib: u32) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    /// How long a write waits for another program's lock before failing with
    /// [`StoreError::Locked`] (5 s by default).
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(timeout)?;
        Ok(())
    }

    /// Counts for `barta local check`.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM revisions),
                    (SELECT COUNT(*) FROM outbox WHERE status = 'pending'),
                    (SELECT page_count FROM pragma_page_count)
                      * (SELECT page_size FROM pragma_page_size),
                    (SELECT freelist_count FROM pragma_freelist_count)
                      * (SELECT page_size FROM pragma_page_size)",
            [],
            |r| {
                Ok(StoreStats {
                    schema_version: r.get(0)?,
                    articles: r.get(1)?,
                    revisions: r.get(2)?,
                    pending: r.get(3)?,
                    bytes: r.get(4)?,
                    free_bytes: r.get(5)?,
                })
            },
        )?)
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool, StoreError> {
        let answer: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(answer == "ok")
    }

    /// Starts a new local article on `desk` by `author` with an empty working copy.
    pub fn create_article(&mut self, desk: &str, author: &str) -> Result<ArticleId, StoreError> {
        if desk.trim().is_empty() {
            return Err(StoreError::MissingDesk);
        }
        let id = ArticleId::new();
        let at = now();
        let meta = ArticleMeta {
            desk: desk.to_string(),
            ..Default::default()
        };
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO articles (id, desk, author, state, sync_state, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'draft', 'local_only', ?4, ?4)",
            params![id.to_string(), desk, author, at],
        )?;
        working::write(&tx, &id.to_string(), &meta, &Document::empty(), &at)?;
        mark_dirty(&tx, &id.to_string())?;
        tx.commit()?;
        Ok(id)
    }

    /// Upserts the working copy as the user types. Text is normalized and the document
    /// validated; nothing is written when either fails. Only the blocks that changed since the
    /// last save are normalized and written. The commit survives the app being killed at once
    /// and a power cut after [`Store::make_durable`] (`durability.rs`).
    pub fn save_working_copy(
        &mut self,
        id: ArticleId,
        meta: ArticleMeta,
        body: Document,
    ) -> Result<(), StoreError> {
        self.relaxed(|store| store.write_working_copy(id, meta, body))
    }

    /// [`Store::save_working_copy`] from the blocks that changed since this connection's last
    /// typing save of the article: `order` names every top-level block, `changed` holds the
    /// new or changed ones; the others are taken as that save stored them. Refused with
    /// [`StoreError::StaleWorkingCopy`] (and nothing written) when that save is not known or
    /// the working copy was written since by another path: the caller then sends the whole
    /// document.
    pub fn save_working_blocks(
        &mut self,
        id: ArticleId,
        meta: ArticleMeta,
        order: Vec<String>,
        changed: Vec<barta_model::Block>,
    ) -> Result<(), StoreError> {
        let body = self.working.rebuild(&self.conn, id, order, changed)?;
        self.save_working_copy(id, meta, body)
    }

    fn write_working_copy(
        &mut self,
        id: ArticleId,
        mut meta: ArticleMeta,
        body: Document,
    ) -> Result<(), StoreError> {
        body.validate()?;
        if meta.desk.trim().is_empty() {
            return Err(StoreError::MissingDesk);
        }
        meta.map_text(&bangla::normalize);
        let at = now();
        let tx = self.conn.transaction()?;
        let updated = tx
            .prepare_cached(
                "UPDATE articles SET headline = ?2, desk = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id.to_string(), meta.headline, meta.desk, at])?;
        if updated == 0 {
            return Err(StoreError::ArticleNotFound(id));
        }
        let saved = working::write_typed(&mut self.working, &tx, id, &meta, body, &at)?;
        mark_dirty(&tx, &id.to_string())?;
        tx.commit()?;
        self.working.saved(saved);
        Ok(())
    }

    /// The article with its working copy.
    pub fn load_article(&self, id: ArticleId) -> Result<ArticleDraft, StoreError> {
        let summary = self.summary(id)?;
        let (meta, body) = working::read(&self.conn, id)?;
        let head = self.head(id)?;
        let head_sha256 = match head {
            Some(rev) => Some(self.conn.query_row(
                "SELECT sha256 FROM revisions WHERE id = ?1",
                [rev.to_string()],
                |r| r.get(0),
            )?),
            None => None,
        };
        let (submitted_rev, approved_rev) = self.review_revisions(id)?;
        Ok(ArticleDraft {
            summary,
            meta,
            body,
            head,
            head_sha256,
            submitted_rev,
            approved_rev,
        })
    }

    /// The article's list row: its state, sync state and the server's last refusal.
    pub fn summary(&self, id: ArticleId) -> Result<ArticleSummary, StoreError> {
        self.conn
            .query_row(
                &format!("{SUMMARY_SELECT} WHERE id = ?1"),
                [id.to_string()],
                summary_row,
            )
            .optional()?
            .ok_or(StoreError::ArticleNotFound(id))?
    }

    /// The newest revision of an article, if any.
    pub fn head(&self, id: ArticleId) -> Result<Option<RevisionId>, StoreError> {
        let head: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT head FROM articles WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match head {
            None => Err(StoreError::ArticleNotFound(id)),
            Some(None) => Ok(None),
            Some(Some(text)) => Ok(Some(parse(&text, "revision id")?)),
        }
    }

    /// Lists articles, most recently changed first.
    pub fn list_articles(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        self.newest(filter, None)
    }

    /// The `limit` most recently changed articles matching `filter` (all when `None`),
    /// filtered in SQL (an index on desk and time serves the desk lists).
    pub fn newest(
        &self,
        filter: &ListFilter,
        limit: Option<usize>,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let mut sql = format!("{SUMMARY_SELECT} WHERE 1");
        let mut args: Vec<String> = Vec::new();
        let mut any_of = |column: &str, values: Vec<String>, sql: &mut String| {
            if values.is_empty() {
                return;
            }
            let marks = vec!["?"; values.len()].join(", ");
            sql.push_str(&format!(" AND {column} IN ({marks})"));
            args.extend(values);
        };
        any_of("desk", filter.desks.clone(), &mut sql);
        any_of(
            "state",
            filter
                .states
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            &mut sql,
        );
        any_of("author", filter.author.iter().cloned().collect(), &mut sql);
        sql.push_str(" ORDER BY updated_at DESC, id DESC");
        if let Some(limit) = limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), summary_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    /// A save point: when the working copy differs from the head, it becomes an immutable
    /// revision with its outbox row, in one transaction. Returns the new revision's id.
    pub fn save_point(
        &mut self,
        id: ArticleId,
        author: &str,
    ) -> Result<Option<RevisionId>, StoreError> {
        let tx = self.conn.transaction()?;
        let rev = save_point_in(&tx, id, author)?;
        tx.commit()?;
        Ok(rev)
    }

    /// Submits the article: a save point, then a queued `submit` transition of the head.
    /// Works offline: both wait in the outbox.
    pub fn submit(&mut self, id: ArticleId, author: &str) -> Result<RevisionId, StoreError> {
        self.queue_action(id, author, Action::Submit, None, WorkflowState::Submitted)
    }

    pub(crate) fn queue_action(
        &mut self,
        id: ArticleId,
        author: &str,
        action: Action,
        note: Option<&str>,
        optimistic_state: WorkflowState,
    ) -> Result<RevisionId, StoreError> {
        let tx = self.conn.transaction()?;
        save_point_in(&tx, id, author)?;
        let head: Option<String> = tx.query_row(
            "SELECT head FROM articles WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        // A save point always leaves a head unless the article was never written: then a
        // first (empty) revision is still needed to submit.
        let head = match head {
            Some(h) => h,
            None => force_revision(&tx, id, author)?.to_string(),
        };
        tx.execute(
            "INSERT INTO outbox (article_id, kind, revision_id, action, note, created_at)
             VALUES (?1, 'transition', ?2, ?3, ?4, ?5)",
            params![id.to_string(), head, action.as_str(), note, now()],
        )?;
        crate::review::note_state(&tx, &id.to_string(), optimistic_state, &head, note)?;
        tx.execute(
            "UPDATE articles SET state = ?2, sync_state = 'pending', updated_at = ?3 WHERE id = ?1",
            params![id.to_string(), optimistic_state.as_str(), now()],
        )?;
        tx.commit()?;
        parse(&head, "revision id")
    }

    /// The pending outbox rows, oldest first (the order they must reach the server).
    pub fn pending_outbox(&self) -> Result<Vec<OutboxItem>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, article_id, kind, revision_id, action, note, attempts FROM outbox
             WHERE status = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, article, kind, rev, action, note, attempts) = row?;
            out.push(OutboxItem {
                id,
                article_id: parse(&article, "article id")?,
                kind: match kind.as_str() {
                    "revision" => OutboxKind::Revision,
                    _ => OutboxKind::Transition,
                },
                revision_id: parse(&rev, "revision id")?,
                action: action.map(|a| parse(&a, "action")).transpose()?,
                note,
                attempts,
            });
        }
        Ok(out)
    }

    /// How many outbox rows wait for the server.
    pub fn pending_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending'",
            [],
            |r| r.get(0),
        )?)
    }

    /// The push body of a stored revision.
    pub fn revision_push(&self, rev: RevisionId) -> Result<RevisionPush, StoreError> {
        let row: (
            Option<String>,
            Option<String>,
            String,
            Result<Document, StoreError>,
            String,
            String,
        ) = self.conn.query_row(
            "SELECT parent, merge_parent, meta, body, sha256, created_at
                 FROM revisions WHERE id = ?1",
            [rev.to_string()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    unpack_json(r.get_ref(3)?),
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let (parent, merge_parent, meta, body, sha256, created_at) = row;
        Ok(RevisionPush {
            id: rev,
            parent: parent.map(|p| parse(&p, "revision id")).transpose()?,
            merge_parent: merge_parent.map(|p| parse(&p, "revision id")).transpose()?,
            meta: serde_json::from_str(&meta)?,
            body: body?,
            sha256,
            created_at,
        })
    }

    /// Marks an outbox row as acknowledged by the server. For a revision, the server's head
    /// moves to it; the article is `synced` once nothing else waits.
    pub fn mark_done(&mut self, item: &OutboxItem) -> Result<(), StoreError> {
        self.finish(item, OutboxStatus::Done, None)
    }

    /// Marks an outbox row as refused by the server, keeping its text and the reason.
    pub fn mark_rejected(
        &mut self,
        item: &OutboxItem,
        code: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        self.finish(item, OutboxStatus::Rejected, Some((code, message)))
    }

    /// Counts one more failed attempt at sending a row (it stays pending).
    pub fn note_attempt(&mut self, item: &OutboxItem) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1",
            [item.id],
        )?;
        Ok(())
    }

    /// Marks rows the server accepted, all in one transaction (one fsync for a whole batch).
    pub fn mark_all_done(&mut self, items: &[OutboxItem]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for item in items {
            finish_in(&tx, item, OutboxStatus::Done, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn finish(
        &mut self,
        item: &OutboxItem,
        status: OutboxStatus,
        error: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        finish_in(&tx, item, status, error)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the workflow state the server reports for an article.
    pub fn set_state(&mut self, id: ArticleId, state: WorkflowState) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE articles SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.to_string(), state.as_str(), now()],
        )?;
        if n == 0 {
            return Err(StoreError::ArticleNotFound(id));
        }
        Ok(())
    }

    /// The changes-feed cursor (0 before the first page).
    pub fn changes_cursor(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM sync_cursors WHERE name = ?1",
                [CHANGES_CURSOR],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// Applies one page of the changes feed and advances the cursor, in one transaction.
    /// Server text is normalized on the way in. A local article with unsent edits keeps its
    /// working copy; otherwise the working copy follows the server's head.
    pub fn apply_changes(&mut self, page: &ChangesPage) -> Result<(), StoreError> {
        // Only the articles of the page can have their working copies written: the typing
        // saves of the others stay known (a round every few seconds must not make the next
        // typing save send the whole text).
        for change in &page.changes {
            self.working.forget(change.article_id);
        }
        let tx = self.conn.transaction()?;
        for change in &page.changes {
            apply_change(&tx, change)?;
        }
        tx.execute(
            "INSERT INTO sync_cursors (name, value) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
            params![CHANGES_CURSOR, page.next],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A local setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets (or with `None` clears) a local setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self
                .conn
                .execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Every revision id of an article, oldest first.
    pub fn revision_ids(&self, id: ArticleId) -> Result<Vec<RevisionId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM revisions WHERE article_id = ?1 ORDER BY created_at, rowid")?;
        let ids = stmt
            .query_map([id.to_string()], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        ids.iter().map(|s| parse(s, "revision id")).collect()
    }
}

pub(crate) const SUMMARY_SELECT: &str = "SELECT id, headline, desk, author, state, sync_state,
    note, last_error_message, updated_at, created_at, words, urgency, conflicts,
    last_error_code FROM articles";

pub(crate) fn summary_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<ArticleSummary, StoreError>> {
    let id: String = r.get(0)?;
    let state: String = r.get(4)?;
    let sync_state: String = r.get(5)?;
    let build = || -> Result<ArticleSummary, StoreError> {
        Ok(ArticleSummary {
            id: parse(&id, "article id")?,
            headline: r.get(1)?,
            desk: r.get(2)?,
            author: r.get(3)?,
            state: parse(&state, "workflow state")?,
            sync_state: parse(&sync_state, "sync state")?,
            note: r.get(6)?,
            last_error: r.get(7)?,
            updated_at: r.get(8)?,
            created_at: r.get(9)?,
            words: r.get(10)?,
            urgency: r.get(11)?,
            conflicts: r.get(12)?,
            last_error_code: r.get(13)?,
            allowed_actions: Vec::new(),
        })
    };
    Ok(build())
}

fn save_point_in(
    tx: &Transaction<'_>,
    id: ArticleId,
    author: &str,
) -> Result<Option<RevisionId>, StoreError> {
    let (meta, body) = working::read(tx, id)?;
    let sha = RevisionPush::hash_of(&meta, &body);
    let head_sha: Option<String> = tx
        .query_row(
            "SELECT r.sha256 FROM articles a JOIN revisions r ON r.id = a.head WHERE a.id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if head_sha.as_deref() == Some(sha.as_str()) {
        return Ok(None);
    }
    let never_written = head_sha.is_none() && meta.headline.is_empty() && body.content.is_empty();
    if never_written {
        return Ok(None);
    }
    Ok(Some(insert_revision_hashed(
        tx, id, author, meta, body, sha,
    )?))
}

fn force_revision(
    tx: &Transaction<'_>,
    id: ArticleId,
    author: &str,
) -> Result<RevisionId, StoreError> {
    let (meta, body) = working::read(tx, id)?;
    insert_local_revision(tx, id, author, meta, body)
}

pub(crate) fn insert_local_revision(
    tx: &Transaction<'_>,
    id: ArticleId,
    author: &str,
    meta: ArticleMeta,
    body: Document,
) -> Result<RevisionId, StoreError> {
    let sha = RevisionPush::hash_of(&meta, &body);
    insert_revision_hashed(tx, id, author, meta, body, sha)
}

/// [`insert_local_revision`] with the content hash already computed.
fn insert_revision_hashed(
    tx: &Transaction<'_>,
    id: ArticleId,
    author: &str,
    meta: ArticleMeta,
    body: Document,
    sha256: String,
) -> Result<RevisionId, StoreError> {
    let key = id.to_string();
    let parent: Option<String> = tx
        .prepare_cached("SELECT head FROM articles WHERE id = ?1")?
        .query_row([&key], |r| r.get(0))?;
    let rev = RevisionId::new().to_string();
    let at = now();
    tx.prepare_cached(
        "INSERT INTO revisions (id, article_id, parent, author, meta, body, sha256, created_at, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'local')",
    )?
    .execute(params![
        rev,
        key,
        parent,
        author,
        serde_json::to_string(&meta)?,
        pack_json(&body)?,
        sha256,
        at
    ])?;
    tx.prepare_cached(
        "INSERT INTO outbox (article_id, kind, revision_id, created_at) VALUES (?1, 'revision', ?2, ?3)",
    )?
    .execute(params![key, rev, at])?;
    tx.prepare_cached(
        "UPDATE articles SET head = ?2, sync_state = 'pending', updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![key, rev, at])?;
    crate::review::note_content(tx, &key, &meta, &body)?;
    parse(&rev, "revision id")
}

fn apply_change(tx: &Transaction<'_>, change: &Change) -> Result<(), StoreError> {
    let id = change.article_id.to_string();
    let at = now();
    let exists: bool = tx
        .query_row("SELECT 1 FROM articles WHERE id = ?1", [&id], |_| Ok(()))
        .optional()?
        .is_some();
    if !exists {
        tx.execute(
            "INSERT INTO articles (id, desk, author, state, sync_state, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'synced', ?5, ?5)",
            params![id, change.desk, change.author, change.state.as_str(), at],
        )?;
        let empty_meta = ArticleMeta {
            desk: change.desk.clone(),
            ..Default::default()
        };
        working::write(tx, &id, &empty_meta, &Document::empty(), &at)?;
        mark_dirty(tx, &id)?;
    }
    tx.execute(
        "UPDATE articles SET desk = ?2, state = ?3, note = COALESCE(?4, note), updated_at = ?5
         WHERE id = ?1",
        params![id, change.desk, change.state.as_str(), change.note, at],
    )?;
    if let Some(rev) = &change.revision {
        apply_server_revision(tx, rev)?;
    }
    crate::review::note_state(tx, &id, change.state, &change.head.to_string(), None)?;
    Ok(())
}

fn apply_server_revision(tx: &Transaction<'_>, rev: &RevisionRecord) -> Result<(), StoreError> {
    let (meta, body) = normalized(rev.meta.clone(), rev.body.clone());
    let id = rev.article_id.to_string();
    tx.execute(
        "INSERT INTO revisions (id, article_id, parent, merge_parent, author, meta, body, sha256,
         created_at, origin, server_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'server', ?10)
         ON CONFLICT(id) DO UPDATE SET server_seq = excluded.server_seq",
        params![
            rev.id.to_string(),
            id,
            rev.parent.map(|p| p.to_string()),
            rev.merge_parent.map(|p| p.to_string()),
            rev.author,
            serde_json::to_string(&meta)?,
            pack_json(&body)?,
            rev.sha256,
            rev.created_at,
            rev.seq
        ],
    )?;
    let (local_head, unsent): (Option<String>, i64) = tx.query_row(
        "SELECT head, (SELECT COUNT(*) FROM outbox WHERE article_id = ?1 AND status = 'pending')
         FROM articles WHERE id = ?1",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Fast-forward only when the local side has nothing unsent and the working copy is the
    // local head (no unsaved typing): the user's text is never overwritten. The working copy
    // is read and hashed only when nothing is unsent (otherwise it cannot fast-forward).
    let fast_forward = unsent == 0 && {
        let wc_sha = {
            let (m, b) = working::read(tx, rev.article_id)?;
            RevisionPush::hash_of(&m, &b)
        };
        let head_sha: Option<String> = match &local_head {
            Some(h) => tx
                .query_row("SELECT sha256 FROM revisions WHERE id = ?1", [h], |r| {
                    r.get(0)
                })
                .optional()?,
            None => None,
        };
        head_sha.as_deref() == Some(wc_sha.as_str())
            || (local_head.is_none()
                && wc_sha
                    == RevisionPush::hash_of(
                        &ArticleMeta {
                            desk: meta.desk.clone(),
                            ..Default::default()
                        },
                        &Document::empty(),
                    ))
    };
    if fast_forward {
        tx.execute(
            "UPDATE articles SET head = ?2, server_head = ?2, headline = ?3, sync_state = 'synced'
             WHERE id = ?1",
            params![id, rev.id.to_string(), meta.headline],
        )?;
        working::write(tx, &id, &meta, &body, &now())?;
        mark_dirty(tx, &id)?;
        crate::review::note_content(tx, &id, &meta, &body)?;
    } else {
        tx.execute(
            "UPDATE articles SET server_head = ?2 WHERE id = ?1",
            params![id, rev.id.to_string()],
        )?;
    }
    Ok(())
}

/// Queues an article's search keys for recomputation (done before the next search).
pub(crate) fn mark_dirty(tx: &Transaction<'_>, article_id: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR IGNORE INTO search_dirty (article_id) VALUES (?1)",
        [article_id],
    )?;
    Ok(())
}

/// Records the server's answer to one outbox row inside `tx`.
fn finish_in(
    tx: &rusqlite::Transaction<'_>,
    item: &OutboxItem,
    status: OutboxStatus,
    error: Option<(&str, &str)>,
) -> Result<(), StoreError> {
    let status_text = match status {
        OutboxStatus::Pending => "pending",
        OutboxStatus::Done => "done",
        OutboxStatus::Rejected => "rejected",
        OutboxStatus::Conflict => "conflict",
    };
    let at = now();
    let article = item.article_id.to_string();
    tx.execute(
        "UPDATE outbox SET status = ?2, attempts = attempts + 1, error_code = ?3,
             error_message = ?4, finished_at = ?5 WHERE id = ?1",
        params![
            item.id,
            status_text,
            error.map(|e| e.0),
            error.map(|e| e.1),
            at
        ],
    )?;
    if status == OutboxStatus::Done && item.kind == OutboxKind::Revision {
        tx.execute(
            "UPDATE articles SET server_head = ?2 WHERE id = ?1",
            params![article, item.revision_id.to_string()],
        )?;
    }
    let sync_state = match status {
        OutboxStatus::Rejected => SyncState::Rejected,
        OutboxStatus::Conflict => SyncState::Conflict,
        _ => {
            let waiting: i64 = tx.query_row(
                "SELECT COUNT(*) FROM outbox WHERE article_id = ?1 AND status = 'pending'",
                [&article],
                |r| r.get(0),
            )?;
            if waiting > 0 {
                SyncState::Pending
            } else {
                SyncState::Synced
            }
        }
    };
    tx.execute(
        "UPDATE articles SET sync_state = ?2, last_error_code = ?3, last_error_message = ?4
             WHERE id = ?1",
        params![
            article,
            sync_state.as_str(),
            error.map(|e| e.0),
            error.map(|e| e.1)
        ],
    )?;
    Ok(())
}
