//! The server database's schema as an append-only list of migrations. `PRAGMA user_version`
//! holds how many have been applied; a database with a higher version than this binary knows
//! is refused (an older barta must not write a newer schema).
//!
//! **Never edit or reorder a migration once committed; append a new one.**

use super::StoreError;
use rusqlite::Connection;

/// Each entry is one migration, applied in its own transaction.
pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
CREATE TABLE desks (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE user_desks (
    user_id  TEXT NOT NULL REFERENCES users(id),
    desk     TEXT NOT NULL REFERENCES desks(slug),
    PRIMARY KEY (user_id, desk)
) STRICT;
CREATE INDEX user_desks_by_desk ON user_desks(desk);

-- Only the SHA-256 of a token is kept: a leaked database holds no usable token.
CREATE TABLE tokens (
    token_sha256  BLOB PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,  -- unix seconds
    revoked_at    TEXT
) STRICT;

-- The server's global order: every stored revision and every state change gets a seq here.
CREATE TABLE changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('revision', 'state')),
    article_id   TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    revision_id  TEXT REFERENCES revisions(id) DEFERRABLE INITIALLY DEFERRED,
    desk         TEXT NOT NULL,
    state        TEXT NOT NULL,
    author       TEXT NOT NULL,
    head         TEXT NOT NULL,
    note         TEXT,
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX changes_by_article ON changes(article_id, seq);

CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    desk        TEXT NOT NULL REFERENCES desks(slug),
    state       TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES users(id),
    author      TEXT NOT NULL,
    head        TEXT NOT NULL REFERENCES revisions(id) DEFERRABLE INITIALLY DEFERRED,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX articles_by_desk ON articles(desk);
CREATE INDEX articles_by_author ON articles(author_id);

-- Immutable revisions; meta and body as received. The push's answer is stored with it so a
-- replay (same id, same sha256) gets exactly the same answer.
CREATE TABLE revisions (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    parent           TEXT REFERENCES revisions(id),
    merge_parent     TEXT REFERENCES revisions(id),
    author_id        TEXT NOT NULL REFERENCES users(id),
    author           TEXT NOT NULL,
    meta             TEXT NOT NULL,
    body             TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    seq              INTEGER NOT NULL UNIQUE REFERENCES changes(seq),
    response_status  INTEGER NOT NULL CHECK (response_status IN (201, 409)),
    response_body    TEXT NOT NULL
) STRICT;
CREATE INDEX revisions_by_article ON revisions(article_id, seq);

CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    revision_id  TEXT NOT NULL REFERENCES revisions(id),
    sha256       TEXT NOT NULL,
    editor_id    TEXT NOT NULL REFERENCES users(id),
    editor       TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX approvals_by_article ON approvals(article_id, created_at);

-- Immutable snapshots of approved revisions. `published_at` may be in the future (scheduled).
CREATE TABLE publications (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    article_id    TEXT NOT NULL REFERENCES articles(id),
    revision_id   TEXT NOT NULL REFERENCES revisions(id),
    approval_id   TEXT NOT NULL UNIQUE REFERENCES approvals(id),
    sha256        TEXT NOT NULL,
    meta          TEXT NOT NULL,
    body          TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users(id)
) STRICT;

-- Every denial and every workflow change.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    user_id     TEXT,
    username    TEXT NOT NULL,
    article_id  TEXT,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'refused')),
    detail      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_article ON audit(article_id, id);
"#,
    // 2: comments anchored to a passage of a top-level block (block id, offsets and the quoted
    // passage), threaded by `parent_id`, resolved but never deleted.
    r#"
CREATE TABLE comments (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    parent_id    TEXT REFERENCES comments(id),
    block_id     TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    quote        TEXT NOT NULL,
    author_id    TEXT NOT NULL REFERENCES users(id),
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolved_by  TEXT
) STRICT;
CREATE INDEX comments_by_article ON comments(article_id, seq);
"#,
    // 3: corrections. A correction is a new publication of a newly approved version that
    // replaces the published one (`replaces`), with a note for readers (`correction`).
    r#"
ALTER TABLE publications ADD COLUMN correction TEXT;
ALTER TABLE publications ADD COLUMN replaces TEXT REFERENCES publications(id);
CREATE INDEX publications_by_replaces ON publications(replaces);
CREATE INDEX publications_by_article ON publications(article_id, seq);
"#,
    // 4: media (photos) uploaded resumably (a subset of tus 1.0): an upload has a declared
    // length and SHA-256; its bytes arrive as chunks at increasing offsets, each chunk in its
    // own transaction, so a cut connection keeps what arrived. Complete only once the bytes
    // hash to the declared SHA-256 (else the upload starts again from 0).
    r#"
CREATE TABLE media (
    id            TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    length        INTEGER NOT NULL,
    received      INTEGER NOT NULL DEFAULT 0,
    content_type  TEXT NOT NULL,
    owner_id      TEXT NOT NULL REFERENCES users(id),
    complete      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX media_by_owner_sha ON media(owner_id, sha256);
CREATE INDEX media_by_sha ON media(sha256, complete);
CREATE TABLE media_chunks (
    media_id  TEXT NOT NULL REFERENCES media(id),
    offset    INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (media_id, offset)
) STRICT;
"#,
    // 5: an index on every child column of a foreign key to revisions. Without them, storing
    // a revision while a deferred reference to it is pending (the feed row and the article's
    // head are written first) made SQLite scan the whole feed and articles tables: pushes
    // slowed down as the database grew.
    r#"
CREATE INDEX changes_by_revision ON changes(revision_id) WHERE revision_id IS NOT NULL;
CREATE INDEX articles_by_head ON articles(head);
CREATE INDEX revisions_by_parent ON revisions(parent) WHERE parent IS NOT NULL;
CREATE INDEX revisions_by_merge_parent ON revisions(merge_parent) WHERE merge_parent IS NOT NULL;
CREATE INDEX approvals_by_revision ON approvals(revision_id);
CREATE INDEX publications_by_revision ON publications(revision_id);
"#,
    // 6: publishing to the newsroom's website. `targets` are WordPress sites and webhooks an
    // admin configured (`barta target add`); their secret is sealed with the data directory's
    // key file, never stored readable, and only the admin CLI and the delivery worker read
    // this table. `deliveries` is the outbox: one row per publication event and matching
    // target, written in the event's own transaction; editors and reporters who may read an
    // article see its rows (never the target's address or secret). `remote_posts` and
    // `remote_media` remember what a target already holds, so a retry updates instead of
    // creating twice.
    r#"
CREATE TABLE targets (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('wordpress', 'webhook')),
    url         TEXT NOT NULL,
    username    TEXT,
    secret      BLOB NOT NULL,
    desks       TEXT NOT NULL,
    categories  TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    target           TEXT NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles(id),
    event            TEXT NOT NULL
                     CHECK (event IN ('publish', 'schedule', 'correct', 'unpublish', 'kill')),
    publication_id   TEXT REFERENCES publications(id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    error            TEXT,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
) STRICT;
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
CREATE INDEX deliveries_by_article ON deliveries(article_id, target, seq);

CREATE TABLE remote_posts (
    target      TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id),
    remote_id   TEXT NOT NULL,
    remote_url  TEXT,
    PRIMARY KEY (target, article_id)
) STRICT;

CREATE TABLE remote_media (
    target     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    remote_id  TEXT NOT NULL,
    url        TEXT NOT NULL,
    PRIMARY KEY (target, sha256)
) STRICT;
"#,
    // 7: the newsroom's learnt lexicon (the spelling checker's names). `lexicon_seen` keeps
    // which published articles used each Bengali word; a word used by two is learnt.
    // `lexicon_added` holds the words editors shared with the newsroom. Everyone logged in
    // may read the lexicon (it is made of published text and editors' words); only editors
    // and admins add to it.
    r#"
CREATE TABLE lexicon_seen (
    word       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (word, article_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE lexicon_added (
    word       TEXT PRIMARY KEY,
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;

-- The newsroom's own settings (e.g. `spelling.style`), set with `barta newsroom set` on the
-- server; everyone logged in reads the ones the app needs (through GET /v1/lexicon).
CREATE TABLE newsroom_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
"#,
    // 8: releases of the desktop app (`barta release add`), offered to the apps by
    // `GET /v1/app/update/…` and served from `DATA/releases/<version>/<file_name>`. One package
    // per (version, target, arch, bundle); a file name names one file of its version. `target`,
    // `arch` and `bundle` are tauri-plugin-updater's names; `signature` is the `.sig` file's
    // text (base64 of a minisign signature); `notes` are normalized Bengali text.
    r#"
CREATE TABLE app_releases (
    version    TEXT NOT NULL,
    target     TEXT NOT NULL CHECK (target IN ('linux', 'windows', 'darwin')),
    arch       TEXT NOT NULL CHECK (arch IN ('x86_64', 'aarch64', 'i686', 'armv7', 'riscv64')),
    bundle     TEXT NOT NULL CHECK (bundle IN ('deb', 'rpm', 'appimage', 'msi', 'nsis', 'app')),
    file_name  TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL,
    signature  TEXT NOT NULL,
    notes      TEXT NOT NULL,
    pub_date   TEXT NOT NULL,
    PRIMARY KEY (version, target, arch, bundle),
    UNIQUE (version, file_name)
) STRICT;
CREATE INDEX app_releases_by_platform ON app_releases(target, arch, bundle);
"#,
    // 9: accounts an administrator disabled (`barta user disable`: no login, no live token;
    // NULL while enabled), and a user's sessions found by user (`barta session list|revoke`).
    r#"
ALTER TABLE users ADD COLUMN disabled_at TEXT;
CREATE INDEX tokens_by_user ON tokens(user_id);
"#,
    // 10: the audit trail answers "what did that session do": the session (first 12 hex
    // digits of its token's SHA-256) and the client's address, any outcome (logins fail and
    // are throttled), and each entry's link in a hash chain (`store::audit`). The entries
    // already there are linked right after, in the same transaction ([`AUDIT_CHAIN`]).
    r#"
CREATE TABLE audit_chained (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    user_id     TEXT,
    username    TEXT NOT NULL,
    article_id  TEXT,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    session     TEXT,
    address     TEXT,
    hash        BLOB
) STRICT;
INSERT INTO audit_chained (id, at, user_id, username, article_id, action, outcome, detail)
    SELECT id, at, user_id, username, article_id, action, outcome, detail FROM audit;
DROP TABLE audit;
ALTER TABLE audit_chained RENAME TO audit;
CREATE INDEX audit_by_article ON audit(article_id, id);
CREATE INDEX audit_by_user ON audit(username, id);
CREATE INDEX audit_by_session ON audit(session, id);
"#,
    // 11: the audit trail is append-only for the server and anyone using SQL through SQLite
    // with the triggers in place (the hash chain catches the rest).
    r#"
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"#,
    // 12: drafts' photos are private until published: which articles show a photo (who may
    // read one of them may see it) and which publications do (anyone, while one is live).
    // Filled from every revision and publication stored so far.
    r#"
CREATE TABLE article_media (
    sha256      TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (sha256, article_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE publication_media (
    sha256          TEXT NOT NULL,
    publication_id  TEXT NOT NULL REFERENCES publications(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (sha256, publication_id)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO article_media (sha256, article_id)
    SELECT lower(substr(json_extract(b.value, '$.attrs.src'), 7, 64)), r.article_id
      FROM revisions r, json_each(r.body, '$.content') b
     WHERE json_extract(b.value, '$.type') = 'image'
       AND json_extract(b.value, '$.attrs.src') LIKE 'media:%';
INSERT OR IGNORE INTO publication_media (sha256, publication_id)
    SELECT lower(substr(json_extract(b.value, '$.attrs.src'), 7, 64)), p.id
      FROM publications p, json_each(p.body, '$.content') b
     WHERE json_extract(b.value, '$.type') = 'image'
       AND json_extract(b.value, '$.attrs.src') LIKE 'media:%';
"#,
    // 13: sessions end after idle time too: when each token was last used (unix seconds;
    // the sessions open now count from their start).
    r#"
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
UPDATE tokens SET last_used_at = CAST(strftime('%s', created_at) AS INTEGER);
"#,
    // 14: when each article last changed (its last feed entry's time), for the window a new
    // laptop syncs (`GET /v1/window`: what is not yet published or killed, the user's own,
    // and what changed in the newsroom's last N days) and the archive's order.
    r#"
ALTER TABLE articles ADD COLUMN touched_at TEXT NOT NULL DEFAULT '';
UPDATE articles SET touched_at = COALESCE(
    (SELECT c.at FROM changes c WHERE c.article_id = articles.id ORDER BY c.seq DESC LIMIT 1),
    created_at);
CREATE INDEX articles_by_touched ON articles(touched_at);
"#,
    // 15: the archive search (`GET /v1/search`, `sqlite/archive.rs`): each article's head's
    // search keys in a contentless FTS5 table (the laptop's tokenizer and columns: headline,
    // body, their stems, loose forms), its rowid the article's `archive_docs.doc` (given when
    // the article is first indexed, so newer articles have higher docs). `archive_stale`
    // lists the articles whose head the index does not hold yet, with that head: a push adds
    // its article, the backlog (`index_archive_backlog`: `barta serve` in the background, and
    // every search first) indexes them. Every article stored before is listed.
    r#"
CREATE TABLE archive_docs (
    doc        INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE VIRTUAL TABLE archive_fts USING fts5(
    headline, body, hstem, bstem, loose,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 categories 'L* N* Co M*'"
);
CREATE TABLE archive_stale (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    head       TEXT NOT NULL
) STRICT;
INSERT INTO archive_stale (article_id, head) SELECT id, head FROM articles;
"#,
];

/// The migration after which the entries already in the audit trail are linked.
pub const AUDIT_CHAIN: usize = 10;

/// The schema version this binary writes.
pub fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`supported_version`], or refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = supported_version();
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Re-check inside the write lock: another process may have migrated meanwhile.
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > index as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        if index + 1 == AUDIT_CHAIN {
            crate::store::sqlite::audit::seal_unlinked(&tx)?;
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_and_refuses_newer() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, supported_version());

        conn.pragma_update(None, "user_version", supported_version() + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { .. }));
        assert!(err.to_string().contains("upgrade barta"), "{err}");
    }

    #[test]
    fn audit_entries_written_before_the_chain_are_kept_and_linked() {
        use crate::store::AuditCheck;
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..AUDIT_CHAIN - 1] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", AUDIT_CHAIN as i64 - 1)
            .unwrap();
        for (action, outcome) in [("submit", "ok"), ("approve", "denied"), ("take", "ok")] {
            conn.execute(
                "INSERT INTO audit (at, user_id, username, article_id, action, outcome, detail)
                 VALUES ('2026-01-01T00:00:00.000Z', NULL, 'rahim', NULL, ?1, ?2, '')",
                [action, outcome],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let check = crate::store::sqlite::audit::check(&conn).unwrap();
        assert!(
            matches!(
                check,
                AuditCheck::Intact {
                    entries: 3,
                    head: Some(_)
                }
            ),
            "{check:?}"
        );
        let refused = conn.execute("UPDATE audit SET detail = 'x' WHERE id = 2", []);
        assert!(refused.unwrap_err().to_string().contains("append-only"));
        let refused = conn.execute("DELETE FROM audit WHERE id = 2", []);
        assert!(refused.unwrap_err().to_string().contains("append-only"));
    }
}
