//! The PostgreSQL schema as an append-only list of migrations, like SQLite's
//! (`store/migrations.rs`): `schema_version` holds how many were applied; a database with a
//! higher version than this binary knows is refused. Several instances starting at once
//! migrate one at a time (a transaction-level advisory lock).
//!
//! The first migration is the SQLite schema as of its version 13, in PostgreSQL's types:
//! the same tables, columns and names (so `barta migrate` copies rows as they are), times as
//! RFC 3339 text (`store::timestamp`, sorting as text on both), ids as text. Where the two
//! differ:
//!
//! - the feed's `changes.seq` and `publications.seq` are not sequences: each is taken as the
//!   last one plus one under a transaction-level advisory lock held until commit
//!   ([`super::FEED_LOCK`]), so the numbers become visible in the order they were taken and
//!   a reader paging with `seq > cursor` can never pass one that commits later (issue 17);
//! - the audit trail's ids and chain are taken the same way ([`super::AUDIT_LOCK`]);
//! - `approvals` carry `seq` for "the latest approval" (SQLite uses its rowid);
//! - usernames are unique whatever their case (an index on `lower(username)`);
//! - `media_chunks."offset"` is quoted (a reserved word in PostgreSQL);
//! - the audit table refuses UPDATE and DELETE with a trigger function.
//!
//! **Never edit or reorder a migration once committed; append a new one.**

use crate::store::StoreError;

/// Each entry is one migration, applied in its own transaction.
pub const MIGRATIONS: &[&str] = &[
    // 1: the schema of SQLite's version 13.
    r#"
CREATE TABLE desks (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);
CREATE UNIQUE INDEX users_by_name ON users (lower(username));

CREATE TABLE user_desks (
    user_id  TEXT NOT NULL REFERENCES users(id),
    desk     TEXT NOT NULL REFERENCES desks(slug),
    PRIMARY KEY (user_id, desk)
);
CREATE INDEX user_desks_by_desk ON user_desks(desk);

-- Only the SHA-256 of a token is kept: a leaked database holds no usable token.
CREATE TABLE tokens (
    token_sha256  BYTEA PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    TEXT,
    last_used_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE changes (
    seq          BIGINT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('revision', 'state')),
    article_id   TEXT NOT NULL,
    revision_id  TEXT,
    desk         TEXT NOT NULL,
    state        TEXT NOT NULL,
    author       TEXT NOT NULL,
    head         TEXT NOT NULL,
    note         TEXT,
    at           TEXT NOT NULL
);
CREATE INDEX changes_by_article ON changes(article_id, seq);
CREATE INDEX changes_by_revision ON changes(revision_id) WHERE revision_id IS NOT NULL;

CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    desk        TEXT NOT NULL REFERENCES desks(slug),
    state       TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES users(id),
    author      TEXT NOT NULL,
    head        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX articles_by_desk ON articles(desk);
CREATE INDEX articles_by_author ON articles(author_id);
CREATE INDEX articles_by_head ON articles(head);

CREATE TABLE revisions (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL,
    parent           TEXT REFERENCES revisions(id),
    merge_parent     TEXT REFERENCES revisions(id),
    author_id        TEXT NOT NULL REFERENCES users(id),
    author           TEXT NOT NULL,
    meta             TEXT NOT NULL,
    body             TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    seq              BIGINT NOT NULL UNIQUE REFERENCES changes(seq),
    response_status  INTEGER NOT NULL CHECK (response_status IN (201, 409)),
    response_body    TEXT NOT NULL
);
CREATE INDEX revisions_by_article ON revisions(article_id, seq);
CREATE INDEX revisions_by_parent ON revisions(parent) WHERE parent IS NOT NULL;
CREATE INDEX revisions_by_merge_parent ON revisions(merge_parent) WHERE merge_parent IS NOT NULL;

-- The feed row and the article's head are written before the revision they name.
ALTER TABLE changes ADD FOREIGN KEY (article_id) REFERENCES articles(id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE changes ADD FOREIGN KEY (revision_id) REFERENCES revisions(id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE articles ADD FOREIGN KEY (head) REFERENCES revisions(id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE revisions ADD FOREIGN KEY (article_id) REFERENCES articles(id)
    DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE approvals (
    seq          BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
    id           TEXT PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    revision_id  TEXT NOT NULL REFERENCES revisions(id),
    sha256       TEXT NOT NULL,
    editor_id    TEXT NOT NULL REFERENCES users(id),
    editor       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX approvals_by_article ON approvals(article_id, seq);
CREATE INDEX approvals_by_revision ON approvals(revision_id);

CREATE TABLE publications (
    seq           BIGINT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    article_id    TEXT NOT NULL REFERENCES articles(id),
    revision_id   TEXT NOT NULL REFERENCES revisions(id),
    approval_id   TEXT NOT NULL UNIQUE REFERENCES approvals(id),
    sha256        TEXT NOT NULL,
    meta          TEXT NOT NULL,
    body          TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users(id),
    correction    TEXT,
    replaces      TEXT REFERENCES publications(id)
);
CREATE INDEX publications_by_replaces ON publications(replaces);
CREATE INDEX publications_by_article ON publications(article_id, seq);
CREATE INDEX publications_by_revision ON publications(revision_id);

CREATE TABLE comments (
    seq          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    parent_id    TEXT REFERENCES comments(id),
    block_id     TEXT NOT NULL,
    start_offset BIGINT NOT NULL,
    end_offset   BIGINT NOT NULL,
    quote        TEXT NOT NULL,
    author_id    TEXT NOT NULL REFERENCES users(id),
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolved_by  TEXT
);
CREATE INDEX comments_by_article ON comments(article_id, seq);

CREATE TABLE media (
    id            TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    length        BIGINT NOT NULL,
    received      BIGINT NOT NULL DEFAULT 0,
    content_type  TEXT NOT NULL,
    owner_id      TEXT NOT NULL REFERENCES users(id),
    complete      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX media_by_owner_sha ON media(owner_id, sha256);
CREATE INDEX media_by_sha ON media(sha256, complete);
CREATE TABLE media_chunks (
    media_id  TEXT NOT NULL REFERENCES media(id),
    "offset"  BIGINT NOT NULL,
    data      BYTEA NOT NULL,
    PRIMARY KEY (media_id, "offset")
);

CREATE TABLE article_media (
    sha256      TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (sha256, article_id)
);
CREATE TABLE publication_media (
    sha256          TEXT NOT NULL,
    publication_id  TEXT NOT NULL REFERENCES publications(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (sha256, publication_id)
);

CREATE TABLE targets (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('wordpress', 'webhook')),
    url         TEXT NOT NULL,
    username    TEXT,
    secret      BYTEA NOT NULL,
    desks       TEXT NOT NULL,
    categories  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE deliveries (
    seq              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    target           TEXT NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles(id),
    event            TEXT NOT NULL
                     CHECK (event IN ('publish', 'schedule', 'correct', 'unpublish', 'kill')),
    publication_id   TEXT REFERENCES publications(id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    error            TEXT,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
CREATE INDEX deliveries_by_article ON deliveries(article_id, target, seq);

CREATE TABLE remote_posts (
    target      TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id),
    remote_id   TEXT NOT NULL,
    remote_url  TEXT,
    PRIMARY KEY (target, article_id)
);

CREATE TABLE remote_media (
    target     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    remote_id  TEXT NOT NULL,
    url        TEXT NOT NULL,
    PRIMARY KEY (target, sha256)
);

CREATE TABLE lexicon_seen (
    word       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (word, article_id)
);

CREATE TABLE lexicon_added (
    word       TEXT PRIMARY KEY,
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL
);

CREATE TABLE newsroom_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE app_releases (
    version    TEXT NOT NULL,
    target     TEXT NOT NULL CHECK (target IN ('linux', 'windows', 'darwin')),
    arch       TEXT NOT NULL CHECK (arch IN ('x86_64', 'aarch64', 'i686', 'armv7', 'riscv64')),
    bundle     TEXT NOT NULL CHECK (bundle IN ('deb', 'rpm', 'appimage', 'msi', 'nsis', 'app')),
    file_name  TEXT NOT NULL,
    size       BIGINT NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL,
    signature  TEXT NOT NULL,
    notes      TEXT NOT NULL,
    pub_date   TEXT NOT NULL,
    PRIMARY KEY (version, target, arch, bundle),
    UNIQUE (version, file_name)
);
CREATE INDEX app_releases_by_platform ON app_releases(target, arch, bundle);

CREATE TABLE audit (
    id          BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     TEXT,
    username    TEXT NOT NULL,
    article_id  TEXT,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    session     TEXT,
    address     TEXT,
    hash        BYTEA
);
CREATE INDEX audit_by_article ON audit(article_id, id);
CREATE INDEX audit_by_user ON audit(username, id);
CREATE INDEX audit_by_session ON audit(session, id);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"#,
    // 2: who has which article open, for every instance to see (SQLite keeps this in the
    // server's memory). Unlogged: a heartbeat is not worth a WAL write, and a crash may
    // forget who had what open — it comes back with the next heartbeats. `last_seen` in
    // unix milliseconds.
    r#"
CREATE UNLOGGED TABLE presence (
    article_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    since       TEXT NOT NULL,
    last_seen   BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
"#,
    // 3: failed logins, counted for every instance (`postgres::logins`; SQLite's one server
    // counts in its memory). Read and written by the login route only. `key` is
    // `account:<lowercased username>` or `address:<ip>`; a row whose window ended is
    // forgotten by the next attempt. Logged (not unlogged): a replica that takes over keeps
    // the counts, so failing the database over does not hand an attacker fresh guesses.
    r#"
CREATE TABLE login_failures (
    key       TEXT PRIMARY KEY,
    failures  INTEGER NOT NULL,
    started   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_by_start ON login_failures(started);
"#,
    // 4: when each article last changed, as SQLite's migration 14 (the window a new laptop
    // syncs, the archive's order).
    r#"
ALTER TABLE articles ADD COLUMN touched_at TEXT NOT NULL DEFAULT '';
UPDATE articles SET touched_at = COALESCE(
    (SELECT c.at FROM changes c WHERE c.article_id = articles.id ORDER BY c.seq DESC LIMIT 1),
    created_at);
CREATE INDEX articles_by_touched ON articles(touched_at);
"#,
    // 5: the feed numbered after commit (`postgres::sequencer`): a change is written
    // unnumbered (`seq` NULL) with an `entry` in insertion order, and numbered by a short
    // transaction after it commits, so no push holds the feed's lock across its own commit.
    // A revision's `seq` is NULL until its change is numbered.
    r#"
ALTER TABLE revisions DROP CONSTRAINT revisions_seq_fkey;
ALTER TABLE revisions ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
ALTER TABLE changes ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE changes ADD CONSTRAINT changes_seq_key UNIQUE (seq);
ALTER TABLE changes ADD COLUMN entry BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX changes_unnumbered ON changes(entry) WHERE seq IS NULL;
ALTER TABLE revisions ADD CONSTRAINT revisions_seq_fkey FOREIGN KEY (seq) REFERENCES changes(seq);
"#,
    // 6: the archive search (`postgres::archive`): each article's head's search keys as the
    // lexemes of a tsvector (headline ones weighted A), under a GIN index; `doc` orders
    // articles by when they were first indexed (the newest matches are ranked).
    // `archive_stale` lists the articles whose head the index does not hold yet, as SQLite's
    // migration 15 (`barta migrate` lists every article it copies).
    r#"
CREATE TABLE archive_terms (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    doc        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    terms      tsvector NOT NULL
);
CREATE INDEX archive_terms_by_term ON archive_terms USING gin (terms);
CREATE TABLE archive_stale (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    head       TEXT NOT NULL
);
INSERT INTO archive_stale (article_id, head) SELECT id, head FROM articles;
"#,
];

/// The schema version this binary writes.
pub fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The advisory lock that makes instances starting together migrate one at a time.
const MIGRATION_LOCK: i64 = 0x6261_7274_615f_6d67; // "barta_mg"

/// Brings the database up to [`supported_version`], or refuses a newer one.
pub fn migrate(conn: &mut super::PgConn) -> Result<(), StoreError> {
    let supported = supported_version();
    loop {
        let mut tx = conn.transaction();
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let found: i64 = tx
            .query_opt("SELECT version FROM schema_version", &[])?
            .map(|row| row.try_get(0))
            .transpose()?
            .unwrap_or(0);
        if found > supported {
            return Err(StoreError::SchemaTooNew { found, supported });
        }
        let Some(sql) = MIGRATIONS.get(found as usize) else {
            return Ok(());
        };
        tx.batch_execute(sql)?;
        tx.execute("DELETE FROM schema_version", &[])?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&(found + 1)],
        )?;
        tx.commit()?;
    }
}
