//! Append-only schema migrations with a version guard: an older binary refuses a newer
//! database instead of corrupting it. Never edit a shipped migration; add a new one.

use crate::StoreError;
use rusqlite::Connection;

/// Each entry moves the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
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
    // 2: Bengali full-text search (bengali.md §2). `search_docs` holds the search keys of each
    // article's working copy and is the external content of `search_fts`; triggers keep the
    // two in step. `search_dirty` lists articles whose keys must be recomputed (the store
    // does it before every search, so typing stays cheap). Tags and a desk index serve the
    // list and search filters. Every existing article is queued for indexing. `text` is the
    // stored-form text snippets are cut from (not indexed).
    r#"
    CREATE TABLE search_docs (
        doc         INTEGER PRIMARY KEY,
        article_id  TEXT NOT NULL UNIQUE REFERENCES articles(id),
        headline    TEXT NOT NULL,
        body        TEXT NOT NULL,
        hstem       TEXT NOT NULL,
        bstem       TEXT NOT NULL,
        loose       TEXT NOT NULL,
        text        TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, body, hstem, bstem, loose,
        content = 'search_docs', content_rowid = 'doc',
        tokenize = "unicode61 categories 'L* N* Co M*'"
    );
    CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts (rowid, headline, body, hstem, bstem, loose)
        VALUES (new.doc, new.headline, new.body, new.hstem, new.bstem, new.loose);
    END;
    CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, headline, body, hstem, bstem, loose)
        VALUES ('delete', old.doc, old.headline, old.body, old.hstem, old.bstem, old.loose);
    END;
    CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, headline, body, hstem, bstem, loose)
        VALUES ('delete', old.doc, old.headline, old.body, old.hstem, old.bstem, old.loose);
        INSERT INTO search_fts (rowid, headline, body, hstem, bstem, loose)
        VALUES (new.doc, new.headline, new.body, new.hstem, new.bstem, new.loose);
    END;
    CREATE TABLE search_dirty (article_id TEXT PRIMARY KEY REFERENCES articles(id));
    INSERT INTO search_dirty (article_id) SELECT id FROM articles;
    CREATE TABLE article_tags (
        article_id TEXT NOT NULL REFERENCES articles(id),
        tag        TEXT NOT NULL,
        PRIMARY KEY (article_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX article_tags_by_tag ON article_tags(tag, article_id);
    CREATE INDEX articles_by_desk ON articles(desk, updated_at);
    CREATE INDEX articles_by_updated ON articles(updated_at);
    "#,
    // 3: comments anchored to a top-level block id of the article's body. A comment whose
    // block was deleted stays (shown as detached); comments are resolved, never deleted.
    r#"
    CREATE TABLE comments (
        id          TEXT PRIMARY KEY,
        article_id  TEXT NOT NULL REFERENCES articles(id),
        block_id    TEXT NOT NULL,
        author      TEXT NOT NULL,
        body        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        resolved_at TEXT
    );
    CREATE INDEX comments_by_article ON comments(article_id, created_at);
    "#,
    // 4: the desk editor's review. Articles carry what the queues show (words, urgency and
    // conflict blocks of the newest revision, the revision last submitted and last
    // approved); comments are anchored to a passage (offsets and the quoted text), threaded, and synced (`synced` = 0
    // until the server has them). Existing articles count their words at their next revision.
    r#"
    ALTER TABLE articles ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN urgency INTEGER;
    ALTER TABLE articles ADD COLUMN submitted_rev TEXT;
    ALTER TABLE articles ADD COLUMN approved_rev TEXT;
    ALTER TABLE articles ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_by_desk_state ON articles(desk, state, updated_at);
    ALTER TABLE comments ADD COLUMN parent_id TEXT;
    ALTER TABLE comments ADD COLUMN start_offset INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN end_offset INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN quote TEXT NOT NULL DEFAULT '';
    ALTER TABLE comments ADD COLUMN resolved_by TEXT;
    ALTER TABLE comments ADD COLUMN synced INTEGER NOT NULL DEFAULT 0;
    "#,
    // 5: the working copy block by block (working.rs): `blocks` lists the ids of the
    // top-level blocks in order and `working_blocks` holds each block, so a typing save
    // rewrites only the blocks that changed; a row with `blocks` NULL keeps the whole document
    // in `body`, as every row written before did. A search hit no longer reads its long
    // `search_docs` row (reaching the snippet text at its end meant reading every overflow
    // page): the snippet text moves to `search_text` (`search_docs.text` is left empty when
    // an article is next indexed) and `articles.search_doc` leads from a hit to its article.
    // From this version on, revision bodies, blocks and snippet texts are stored as
    // zstd-compressed BLOBs (codec.rs); values written before stay TEXT and are read as they
    // are.
    r#"
    ALTER TABLE working_copies ADD COLUMN blocks TEXT;
    CREATE TABLE working_blocks (
        article_id TEXT NOT NULL REFERENCES articles(id),
        block_id   TEXT NOT NULL,
        block      BLOB NOT NULL,
        PRIMARY KEY (article_id, block_id)
    );
    CREATE TABLE search_text (
        doc  INTEGER PRIMARY KEY REFERENCES search_docs(doc),
        text BLOB NOT NULL
    );
    INSERT INTO search_text (doc, text) SELECT doc, text FROM search_docs;
    ALTER TABLE articles ADD COLUMN search_doc INTEGER REFERENCES search_docs(doc);
    UPDATE articles SET search_doc = (SELECT doc FROM search_docs d WHERE d.article_id = articles.id);
    CREATE UNIQUE INDEX articles_by_search_doc ON articles(search_doc);
    "#,
    // 6: the snippet text in chunks of 2 KB of text, each compressed on its own (about 700
    // bytes, small enough to sit inside the table's b-tree pages), so a snippet reads and
    // decompresses only the chunks up to its first match. A text stored before becomes its
    // article's chunk 0 (read as it is) until the article is next indexed.
    r#"
    CREATE TABLE search_text_chunks (
        doc   INTEGER NOT NULL REFERENCES search_docs(doc),
        chunk INTEGER NOT NULL,
        text  BLOB NOT NULL,
        PRIMARY KEY (doc, chunk)
    ) WITHOUT ROWID;
    INSERT INTO search_text_chunks (doc, chunk, text) SELECT doc, 0, text FROM search_text;
    DROP TABLE search_text;
    ALTER TABLE search_text_chunks RENAME TO search_text;
    "#,
];

/// `PRAGMA application_id` of a Barta store ("BRTA"), so a foreign SQLite file is refused.
pub const APPLICATION_ID: i32 = 0x4252_5441;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads the schema version, refusing another program's database or a newer Barta's.
/// Writes nothing.
pub(crate) fn check(conn: &Connection) -> Result<u32, StoreError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::ForeignDatabase(format!(
            "application_id {app_id:#x} is not Barta's"
        )));
    }
    if found == 0 {
        // A fresh file has no tables; anything else was made by another program.
        let tables: i64 = conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(StoreError::ForeignDatabase(format!(
                "it holds {tables} tables or indexes but no Barta schema version"
            )));
        }
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// Brings the database up to [`SCHEMA_VERSION`], or refuses one made by a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = check(conn)?;
    if found < SCHEMA_VERSION {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchQuery, Store};

    /// Writes a database exactly as the first schema's binary left it: two articles with
    /// working copies, one with a revision and its pending outbox row.
    fn schema_one_fixture(path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let at = "2025-08-01T04:00:00.000Z";
        let a = "0198a000-0000-7000-8000-000000000001";
        let b = "0198a000-0000-7000-8000-000000000002";
        let rev = "0198a000-0000-7000-8000-0000000000aa";
        let body_a = r#"{"type":"doc","content":[{"type":"paragraph","attrs":{"id":"b1"},"content":[{"type":"text","text":"দক্ষিণ কোরিয়ার নির্বাচন"}]}]}"#;
        let body_b = r#"{"type":"doc","content":[{"type":"paragraph","attrs":{"id":"b1"},"content":[{"type":"text","text":"পদ্মা নদীর ভাঙন"}]}]}"#;
        for (id, headline, body) in [(a, "ভোট", body_a), (b, "নদী", body_b)] {
            conn.execute(
                "INSERT INTO articles (id, desk, author, state, sync_state, head, headline,
                 created_at, updated_at) VALUES (?1, 'national', 'rahim', 'draft', 'pending',
                 ?2, ?3, ?4, ?4)",
                rusqlite::params![id, (id == a).then_some(rev), headline, at],
            )
            .unwrap();
            let meta = format!(r#"{{"headline":"{headline}","desk":"national"}}"#);
            conn.execute(
                "INSERT INTO working_copies VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![id, meta, body, at],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO revisions (id, article_id, author, meta, body, sha256, created_at, origin)
             VALUES (?1, ?2, 'rahim', '{\"headline\":\"ভোট\",\"desk\":\"national\"}', ?3,
             'feed', ?4, 'local')",
            rusqlite::params![rev, a, body_a, at],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO outbox (article_id, kind, revision_id, created_at)
             VALUES (?1, 'revision', ?2, ?3)",
            rusqlite::params![a, rev, at],
        )
        .unwrap();
    }

    #[test]
    fn snippet_texts_stored_whole_by_schema_five_become_one_chunk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        let body = barta_model::Document::from_paragraphs([
            ("p1", "নদীর পাড়ে নতুন বাঁধ। ".repeat(300).as_str()),
            ("p2", "দক্ষিণ কোরিয়ার নির্বাচন"),
        ]);
        let before = {
            let mut store = Store::open(&path).unwrap();
            let id = store.create_article("national", "rahim").unwrap();
            let meta = barta_model::ArticleMeta {
                headline: "ভোট".into(),
                desk: "national".into(),
                ..Default::default()
            };
            store.save_working_copy(id, meta, body).unwrap();
            let hits = store.search(&SearchQuery::text("কোরিয়া")).unwrap();
            assert_eq!(hits.len(), 1);
            // Put the snippet text back as schema 5 kept it: one compressed row per article.
            let text: Vec<u8> = {
                let mut stmt = store
                    .conn
                    .prepare("SELECT text FROM search_text ORDER BY chunk")
                    .unwrap();
                let chunks = stmt
                    .query_map([], |r| {
                        Ok(crate::codec::unpack(r.get_ref(0)?).unwrap().into_owned())
                    })
                    .unwrap();
                chunks.map(Result::unwrap).collect::<Vec<_>>().concat()
            };
            store
                .conn
                .execute_batch(
                    "DROP TABLE search_text;
                     CREATE TABLE search_text (
                         doc  INTEGER PRIMARY KEY REFERENCES search_docs(doc),
                         text BLOB NOT NULL
                     );
                     PRAGMA user_version = 5;",
                )
                .unwrap();
            store
                .conn
                .execute(
                    "INSERT INTO search_text (doc, text) SELECT search_doc, ?1 FROM articles",
                    [crate::codec::pack(&text).unwrap()],
                )
                .unwrap();
            hits
        };
        let mut store = Store::open(&path).unwrap();
        let version: u32 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(store.search(&SearchQuery::text("কোরিয়া")).unwrap(), before);
        assert!(store.integrity_ok().unwrap());
    }

    #[test]
    fn a_schema_one_database_is_upgraded_and_its_articles_become_searchable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        schema_one_fixture(&path);
        let mut store = Store::open(&path).unwrap();
        let version: u32 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert!(store.integrity_ok().unwrap());
        assert_eq!(store.pending_count().unwrap(), 1);
        let a = "0198a000-0000-7000-8000-000000000001".parse().unwrap();
        assert_eq!(store.revision_ids(a).unwrap().len(), 1);
        let hits = store.search(&SearchQuery::text("কোরিয়া")).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, a);
        assert_eq!(store.search(&SearchQuery::text("পদ্মা")).unwrap().len(), 1);
        // Rows written before schema 5 (whole JSON text) are read as they are, and the next
        // typing save moves a working copy to blocks.
        let rev = "0198a000-0000-7000-8000-0000000000aa".parse().unwrap();
        let push = store.revision_push(rev).unwrap();
        assert_eq!(push.body.plain_text(), "দক্ষিণ কোরিয়ার নির্বাচন");
        assert_eq!(store.history(a).unwrap().len(), 1);
        let draft = store.load_article(a).unwrap();
        assert_eq!(draft.body.plain_text(), "দক্ষিণ কোরিয়ার নির্বাচন");
        let mut body = draft.body.clone();
        body.content
            .push(barta_model::Block::paragraph("b2", "নতুন অনুচ্ছেদ"));
        store
            .save_working_copy(a, draft.meta, body.clone())
            .unwrap();
        assert_eq!(store.load_article(a).unwrap().body, body);
        assert_eq!(
            store
                .diff_to_working_copy(a, rev)
                .unwrap()
                .blocks
                .iter()
                .filter(|b| b.change != barta_model::diff::BlockChange::Unchanged)
                .count(),
            1
        );
        drop(store);
        // Opening again is a no-op.
        let store = Store::open(&path).unwrap();
        assert_eq!(store.pending_count().unwrap(), 1);
        assert_eq!(store.load_article(a).unwrap().body, body);
    }
}
