//! [`Store`] on embedded SQLite (rusqlite, bundled): one writer connection behind a mutex (SQLite
//! has one writer anyway) and a small pool of reader connections (WAL lets them read while the
//! writer writes). WAL, `synchronous=FULL`, foreign keys on.
//!
//! Every write method runs in one `BEGIN IMMEDIATE` transaction and checks everything before
//! writing anything. A refusal (403/409/422) may have written an audit row first; the
//! transaction is then committed so the audit row stays, which is safe because nothing else
//! was written yet. Database errors roll back.

use super::migrations;

mod accounts;
mod archive;
pub(crate) mod audit;
pub mod backup;
mod comments;
mod deliveries;
mod group_commit;
mod lexicon;
mod media;
mod releases;
mod tx;
pub use super::rules::MAX_MEDIA_BYTES;
use super::rules::{self, ArticleRow, now};
use super::{
    Account, AuditCheck, AuditEntry, AuditFilter, Credentials, MediaFile, MediaStatus,
    NewAuditEntry, NewMedia, NewRevision, NewUser, Publication, PublishOrder, PushOutcome,
    ReleaseFilter, ReleaseRecord, SessionEntry, SessionScope, Store, StoreError,
};
use crate::failpoint::Failpoint;
use crate::policy::{self, Denial};
use crate::publishing::{AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetRecord};
use barta_model::api::{
    ApprovalInfo, ApproveRequest, ApproveResponse, ArticleResponse, Change, ChangeKind,
    ChangesPage, CommentPut, CommentRecord, CorrectRequest, DeliveryInfo, DeskInfo,
    LexiconResponse, PublishResponse, RevisionRecord, TransitionRequest, TransitionResponse,
    UserInfo,
};
use barta_model::{ArticleId, RevisionId, Role, UserId};
pub use group_commit::DEFAULT_WRITE_GROUP;
use group_commit::GroupCommit;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tx::SqliteTx;

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "barta.sqlite3";
/// Idle reader connections kept open.
const MAX_IDLE_READERS: usize = 8;

/// The SQLite store. Cheap to share behind an `Arc`.
pub struct SqliteStore {
    path: PathBuf,
    /// The one write connection, its writes committed in groups (`group_commit.rs`).
    writes: GroupCommit,
    /// Who has which article open: in memory, as one server serves a SQLite newsroom.
    presence: crate::presence::Presence,
    /// Failed-login counts: in memory, as one server serves a SQLite newsroom.
    logins: crate::throttle::LoginThrottle,
    readers: Mutex<Vec<Connection>>,
    /// A crash armed for the test suite (`None` in production: see [`crate::failpoint`]).
    failpoint: Option<Failpoint>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// `Connection::execute` through the connection's statement cache (parsed once).
fn exec(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// `Connection::query_row` through the connection's statement cache (parsed once).
fn query_cached<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock left no open transaction behind (dropping a Transaction
    // rolls it back), so the connection is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn open_connection(path: &Path, writer: bool) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.set_prepared_statement_cache_capacity(128);
    conn.busy_timeout(Duration::from_secs(5))?;
    if writer {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !writer {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating when needed) the database in `data_dir` and migrates it. Refuses a
    /// database written by a newer barta.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(FILE_NAME);
        let mut writer = open_connection(&path, true)?;
        migrations::migrate(&mut writer)?;
        Ok(Self {
            path,
            writes: GroupCommit::new(writer),
            presence: crate::presence::Presence::default(),
            logins: crate::throttle::LoginThrottle::new(),
            readers: Mutex::new(Vec::new()),
            failpoint: None,
        })
    }

    /// Commits at most `max` writes together (at least 1: every write alone).
    pub fn with_write_group(mut self, max: usize) -> Self {
        self.writes.set_max_group(max);
        self
    }

    /// How many group transactions have ended (committed or failed): fewer than the writes
    /// when writers were grouped.
    pub fn group_commits(&self) -> u64 {
        self.writes.groups_ended()
    }

    /// Arms a test failpoint (see [`crate::failpoint`]); `None` leaves the store as opened.
    #[must_use]
    pub fn with_failpoint(mut self, failpoint: Option<Failpoint>) -> Self {
        self.failpoint = failpoint;
        self
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a write transaction of the group commit ([`GroupCommit::write`]).
    fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.writes.write(f)
    }

    /// Runs `f` in a read transaction on a pooled reader connection.
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = lock(&self.readers).pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path, false)?,
        };
        let result = run_read(&mut conn, f);
        if !matches!(
            result,
            Err(StoreError::Database(_) | StoreError::Unavailable(_) | StoreError::Raced(_))
        ) {
            let mut idle = lock(&self.readers);
            if idle.len() < MAX_IDLE_READERS {
                idle.push(conn);
            }
        }
        result
    }

    /// Records a denial found on a read path (reads run on a reader connection).
    fn deny_read(&self, actor: &UserInfo, article: ArticleId, denial: Denial) -> StoreError {
        match self.write(|tx| {
            Ok(rules::deny(
                &mut SqliteTx(tx),
                actor,
                Some(article),
                "read",
                denial,
            ))
        }) {
            Ok(e) | Err(e) => e,
        }
    }

    /// Loads an article the actor may read, or says why not.
    fn readable_article<T>(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        then: impl FnOnce(&Connection, &ArticleRow) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let outcome = self.read(|tx| {
            let article = load_article(tx, id)?
                .ok_or_else(|| StoreError::NotFound(format!("article {id}")))?;
            match policy::may_read(actor, article.facts()) {
                Ok(()) => then(tx, &article).map(Ok),
                Err(denial) => Ok(Err(denial)),
            }
        })?;
        outcome.map_err(|denial| self.deny_read(actor, id, denial))
    }
}

fn run_read<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let tx = conn.transaction()?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

fn is_refusal(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Forbidden(_)
            | StoreError::Conflict(_)
            | StoreError::Invalid(_)
            | StoreError::HashMismatch(_)
            | StoreError::UnresolvedConflict(_)
            | StoreError::NotFound(_)
            | StoreError::IdempotencyMismatch(_)
    )
}

/// Reads a TEXT column through `FromStr` (ids, enums).
fn parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn parsed_opt<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<T>>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))),
    }
}

/// Reads a TEXT column holding JSON.
fn json<T: serde::de::DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn load_article(tx: &Connection, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT id, desk, state, author_id, author, head, created_at
             FROM articles WHERE id = ?1",
        [id.to_string()],
        |r| {
            Ok(ArticleRow {
                id: parsed(r, 0)?,
                desk: r.get(1)?,
                state: parsed(r, 2)?,
                author_id: parsed(r, 3)?,
                author: r.get(4)?,
                head: parsed(r, 5)?,
                created_at: r.get(6)?,
            })
        },
    )
    .optional()?)
}

const REVISION_COLUMNS: &str = "r.id, r.article_id, r.parent, r.merge_parent, r.author, r.meta, r.body, r.sha256, \
     r.created_at, r.seq";

/// Reads [`REVISION_COLUMNS`] starting at column `at`.
fn revision_at(r: &Row<'_>, at: usize) -> rusqlite::Result<RevisionRecord> {
    Ok(RevisionRecord {
        id: parsed(r, at)?,
        article_id: parsed(r, at + 1)?,
        parent: parsed_opt(r, at + 2)?,
        merge_parent: parsed_opt(r, at + 3)?,
        author: r.get(at + 4)?,
        meta: json(r, at + 5)?,
        body: json(r, at + 6)?,
        sha256: r.get(at + 7)?,
        created_at: r.get(at + 8)?,
        seq: r.get(at + 9)?,
    })
}

fn load_revision(tx: &Connection, id: RevisionId) -> Result<Option<RevisionRecord>, StoreError> {
    Ok(query_cached(
        tx,
        &format!("SELECT {REVISION_COLUMNS} FROM revisions r WHERE r.id = ?1"),
        [id.to_string()],
        |r| revision_at(r, 0),
    )
    .optional()?)
}

fn user_desks(tx: &Connection, user: UserId) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        tx.prepare_cached("SELECT desk FROM user_desks WHERE user_id = ?1 ORDER BY desk")?;
    let desks = stmt
        .query_map([user.to_string()], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(desks)
}

fn desk_exists(tx: &Connection, slug: &str) -> Result<bool, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT 1 FROM desks WHERE slug = ?1",
        [slug],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

/// The latest approval of an article, as the API shows it.
fn approval_info(tx: &Connection, article: ArticleId) -> Result<Option<ApprovalInfo>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT id, revision_id, sha256, editor, created_at FROM approvals
             WHERE article_id = ?1 ORDER BY rowid DESC LIMIT 1",
        [article.to_string()],
        |r| {
            Ok(ApprovalInfo {
                id: r.get(0)?,
                rev_id: parsed(r, 1)?,
                sha256: r.get(2)?,
                editor: r.get(3)?,
                at: r.get(4)?,
            })
        },
    )
    .optional()?)
}

const PUBLICATION_QUERY: &str = "SELECT p.id, p.seq, p.article_id, p.revision_id, p.approval_id, \
     p.sha256, p.meta, p.body, p.published_at, a.created_at, a.author, p.correction \
     FROM publications p JOIN articles a ON a.id = p.article_id";

fn publication_row(r: &Row<'_>) -> rusqlite::Result<Publication> {
    Ok(Publication {
        id: r.get(0)?,
        seq: r.get(1)?,
        article_id: parsed(r, 2)?,
        revision_id: parsed(r, 3)?,
        approval_id: r.get(4)?,
        sha256: r.get(5)?,
        meta: json(r, 6)?,
        body: json(r, 7)?,
        published_at: r.get(8)?,
        article_created_at: r.get(9)?,
        author: r.get(10)?,
        correction: r.get(11)?,
    })
}

impl Store for SqliteStore {
    fn health(&self) -> Result<(), StoreError> {
        self.read(|tx| Ok(query_cached(tx, "SELECT 1", [], |_| Ok(()))?))
    }

    fn add_desk(&self, slug: &str, name: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            if desk_exists(tx, slug)? {
                return Err(StoreError::AlreadyExists(format!("desk {slug:?}")));
            }
            exec(
                tx,
                "INSERT INTO desks (slug, name, created_at) VALUES (?1, ?2, ?3)",
                params![slug, name, now()],
            )?;
            Ok(())
        })
    }

    fn desk_exists(&self, slug: &str) -> Result<bool, StoreError> {
        self.read(|tx| desk_exists(tx, slug))
    }

    fn desks_of(&self, user: UserId) -> Result<Vec<DeskInfo>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT d.slug, d.name FROM user_desks u JOIN desks d ON d.slug = u.desk
                 WHERE u.user_id = ?1 ORDER BY d.slug",
            )?;
            let desks = stmt
                .query_map([user.to_string()], |r| {
                    Ok(DeskInfo {
                        slug: r.get(0)?,
                        name: r.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(desks)
        })
    }

    fn add_user(&self, user: NewUser) -> Result<UserInfo, StoreError> {
        self.write(|tx| {
            let taken = query_cached(
                tx,
                "SELECT 1 FROM users WHERE username = ?1",
                [&user.username],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
            if taken {
                return Err(StoreError::AlreadyExists(format!(
                    "user {:?}",
                    user.username
                )));
            }
            let mut desks = user.desks.clone();
            desks.sort();
            desks.dedup();
            for desk in &desks {
                if !desk_exists(tx, desk)? {
                    return Err(StoreError::NotFound(format!("desk {desk:?}")));
                }
            }
            let id = UserId::new();
            exec(
                tx,
                "INSERT INTO users (id, username, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id.to_string(),
                    user.username,
                    user.role.as_str(),
                    user.password_hash,
                    now()
                ],
            )?;
            for desk in &desks {
                exec(
                    tx,
                    "INSERT INTO user_desks (user_id, desk) VALUES (?1, ?2)",
                    params![id.to_string(), desk],
                )?;
            }
            Ok(UserInfo {
                id,
                username: user.username,
                role: user.role,
                desks,
            })
        })
    }

    fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        self.read(|tx| {
            let row = query_cached(
                tx,
                "SELECT id, username, role, password_hash, disabled_at IS NOT NULL
                     FROM users WHERE username = ?1",
                [username],
                |r| {
                    Ok((
                        parsed::<UserId>(r, 0)?,
                        r.get::<_, String>(1)?,
                        parsed::<Role>(r, 2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                },
            )
            .optional()?;
            let Some((id, username, role, password_hash, disabled)) = row else {
                return Ok(None);
            };
            let desks = user_desks(tx, id)?;
            Ok(Some(Credentials {
                user: UserInfo {
                    id,
                    username,
                    role,
                    desks,
                },
                password_hash,
                disabled,
            }))
        })
    }

    fn create_token(
        &self,
        user: UserId,
        token_sha256: &[u8; 32],
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO tokens (token_sha256, user_id, created_at, expires_at, last_used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    &token_sha256[..],
                    user.to_string(),
                    now(),
                    expires_at,
                    chrono::Utc::now().timestamp()
                ],
            )?;
            Ok(())
        })
    }

    fn token_user(
        &self,
        token_sha256: &[u8; 32],
        now_unix: i64,
        idle_cutoff: i64,
    ) -> Result<Option<(UserInfo, i64)>, StoreError> {
        self.read(|tx| {
            let row = query_cached(
                tx,
                "SELECT u.id, u.username, u.role, t.last_used_at
                   FROM tokens t JOIN users u ON u.id = t.user_id
                  WHERE t.token_sha256 = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2
                    AND t.last_used_at > ?3 AND u.disabled_at IS NULL",
                params![&token_sha256[..], now_unix, idle_cutoff],
                |r| {
                    Ok((
                        parsed::<UserId>(r, 0)?,
                        r.get::<_, String>(1)?,
                        parsed::<Role>(r, 2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()?;
            let Some((id, username, role, last_used)) = row else {
                return Ok(None);
            };
            let user = UserInfo {
                id,
                username,
                role,
                desks: user_desks(tx, id)?,
            };
            Ok(Some((user, last_used)))
        })
    }

    fn touch_token(&self, token_sha256: &[u8; 32], now_unix: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            exec(
                tx,
                "UPDATE tokens SET last_used_at = ?2 WHERE token_sha256 = ?1 AND last_used_at < ?2",
                params![&token_sha256[..], now_unix],
            )?;
            Ok(())
        })
    }

    fn revoke_token(&self, token_sha256: &[u8; 32]) -> Result<(), StoreError> {
        self.write(|tx| {
            exec(
                tx,
                "UPDATE tokens SET revoked_at = ?1 WHERE token_sha256 = ?2 AND revoked_at IS NULL",
                params![now(), &token_sha256[..]],
            )?;
            Ok(())
        })
    }

    fn accounts(&self, now_unix: i64) -> Result<Vec<Account>, StoreError> {
        self.read(|tx| accounts::list(tx, now_unix))
    }

    fn set_disabled(&self, username: &str, disabled: bool) -> Result<(), StoreError> {
        self.write(|tx| accounts::set_disabled(tx, username, disabled))
    }

    fn set_role_and_desks(
        &self,
        username: &str,
        role: Option<Role>,
        desks: Option<&[String]>,
    ) -> Result<UserInfo, StoreError> {
        self.write(|tx| accounts::set_role_and_desks(tx, username, role, desks))
    }

    fn set_password_hash(&self, username: &str, password_hash: &str) -> Result<(), StoreError> {
        self.write(|tx| accounts::set_password_hash(tx, username, password_hash))
    }

    fn sessions(
        &self,
        username: Option<&str>,
        now_unix: i64,
    ) -> Result<Vec<SessionEntry>, StoreError> {
        self.read(|tx| accounts::sessions(tx, username, now_unix))
    }

    fn revoke_sessions(&self, scope: SessionScope<'_>) -> Result<usize, StoreError> {
        self.write(|tx| accounts::revoke_sessions(tx, scope))
    }

    fn push_revision(&self, actor: &UserInfo, rev: NewRevision) -> Result<PushOutcome, StoreError> {
        self.write(|tx| rules::push(&mut SqliteTx(tx), actor, &rev, self.failpoint))
    }

    fn push_revisions(
        &self,
        actor: &UserInfo,
        revs: Vec<NewRevision>,
    ) -> Result<Vec<Option<Result<PushOutcome, StoreError>>>, StoreError> {
        // One transaction, one savepoint per item: a refused item keeps only its audit row,
        // and the whole batch costs one commit (one fsync).
        self.write(|tx| {
            let mut stopped = std::collections::HashSet::new();
            let mut answers = Vec::with_capacity(revs.len());
            for rev in &revs {
                if stopped.contains(&rev.article_id) {
                    answers.push(None);
                    continue;
                }
                exec(tx, "SAVEPOINT batch_item", [])?;
                let answer = match rules::push(&mut SqliteTx(tx), actor, rev, self.failpoint) {
                    Err(e) if !is_refusal(&e) => return Err(e),
                    answer => answer,
                };
                exec(tx, "RELEASE batch_item", [])?;
                if !matches!(answer, Ok(PushOutcome::Accepted(_))) {
                    stopped.insert(rev.article_id);
                }
                answers.push(Some(answer));
            }
            Ok(answers)
        })
    }

    fn article(&self, actor: &UserInfo, id: ArticleId) -> Result<ArticleResponse, StoreError> {
        self.readable_article(actor, id, |tx, article| {
            let head_revision = load_revision(tx, article.head)?
                .ok_or_else(|| StoreError::NotFound(format!("revision {}", article.head)))?;
            Ok(ArticleResponse {
                id: article.id,
                desk: article.desk.clone(),
                state: article.state,
                author: article.author.clone(),
                head: article.head,
                head_revision,
                approval: approval_info(tx, article.id)?,
                publication_id: query_cached(
                    tx,
                    "SELECT id FROM publications WHERE article_id = ?1 ORDER BY seq DESC LIMIT 1",
                    [article.id.to_string()],
                    |r| r.get(0),
                )
                .optional()?,
                deliveries: deliveries::of_article(tx, article.id)?,
            })
        })
    }

    fn revision(&self, actor: &UserInfo, id: RevisionId) -> Result<RevisionRecord, StoreError> {
        let record = self
            .read(|tx| load_revision(tx, id))?
            .ok_or_else(|| StoreError::NotFound(format!("revision {id}")))?;
        self.readable_article(actor, record.article_id, |_, _| Ok(()))?;
        Ok(record)
    }

    fn history(&self, actor: &UserInfo, id: ArticleId) -> Result<Vec<RevisionRecord>, StoreError> {
        self.readable_article(actor, id, |tx, article| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS} FROM revisions r WHERE r.article_id = ?1
                 ORDER BY r.seq DESC"
            ))?;
            let revisions = stmt
                .query_map([article.id.to_string()], |r| revision_at(r, 0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(revisions)
        })
    }

    fn changes(&self, actor: &UserInfo, since: i64, limit: u32) -> Result<ChangesPage, StoreError> {
        self.read(|tx| {
            // The SQL twin of policy::may_read.
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT c.seq, c.kind, c.article_id, c.desk, c.state, c.author, c.head, c.note,
                        c.at, c.revision_id, {REVISION_COLUMNS}
                 FROM changes c
                 JOIN articles a ON a.id = c.article_id
                 LEFT JOIN revisions r ON r.id = c.revision_id
                 WHERE c.seq > ?1
                   AND (?2 = 'admin'
                        OR (?2 = 'reporter' AND a.author_id = ?3)
                        OR (?2 = 'editor' AND a.desk IN
                              (SELECT desk FROM user_desks WHERE user_id = ?3)))
                 ORDER BY c.seq
                 LIMIT ?4"
            ))?;
            let changes = stmt
                .query_map(
                    params![since, actor.role.as_str(), actor.id.to_string(), limit],
                    |r| {
                        let kind = match r.get::<_, String>(1)?.as_str() {
                            "revision" => ChangeKind::Revision,
                            _ => ChangeKind::State,
                        };
                        let has_revision = r.get::<_, Option<String>>(9)?.is_some();
                        Ok(Change {
                            seq: r.get(0)?,
                            kind,
                            article_id: parsed(r, 2)?,
                            desk: r.get(3)?,
                            state: parsed(r, 4)?,
                            author: r.get(5)?,
                            head: parsed(r, 6)?,
                            note: r.get(7)?,
                            at: r.get(8)?,
                            revision: if has_revision {
                                Some(revision_at(r, 10)?)
                            } else {
                                None
                            },
                        })
                    },
                )?
                .collect::<Result<Vec<_>, _>>()?;
            let next = changes.last().map_or(since, |c| c.seq);
            Ok(ChangesPage { changes, next })
        })
    }

    fn window(
        &self,
        actor: &UserInfo,
        touched_since: &str,
        after: Option<ArticleId>,
        limit: u32,
    ) -> Result<(i64, Vec<Change>), StoreError> {
        self.read(|tx| {
            let as_of: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
                    r.get(0)
                })?;
            // The visibility is the SQL twin of policy::may_read, as in `changes`.
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT (SELECT MAX(seq) FROM changes WHERE article_id = a.id), a.id, a.desk,
                        a.state, a.author, a.head, a.touched_at, {REVISION_COLUMNS}
                 FROM articles a
                 JOIN revisions r ON r.id = a.head
                 WHERE a.id > ?1
                   AND (?2 = 'admin'
                        OR (?2 = 'reporter' AND a.author_id = ?3)
                        OR (?2 = 'editor' AND a.desk IN
                              (SELECT desk FROM user_desks WHERE user_id = ?3)))
                   AND (a.state NOT IN ('published', 'killed')
                        OR a.author_id = ?3
                        OR a.touched_at >= ?4)
                 ORDER BY a.id
                 LIMIT ?5"
            ))?;
            let after = after.map(|a| a.to_string()).unwrap_or_default();
            let articles = stmt
                .query_map(
                    params![
                        after,
                        actor.role.as_str(),
                        actor.id.to_string(),
                        touched_since,
                        limit
                    ],
                    |r| {
                        Ok(Change {
                            seq: r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                            kind: ChangeKind::Revision,
                            article_id: parsed(r, 1)?,
                            desk: r.get(2)?,
                            state: parsed(r, 3)?,
                            author: r.get(4)?,
                            head: parsed(r, 5)?,
                            note: None,
                            at: r.get(6)?,
                            revision: Some(revision_at(r, 7)?),
                        })
                    },
                )?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((as_of, articles))
        })
    }

    fn search_archive(
        &self,
        actor: &UserInfo,
        terms: &[bangla::search::Term],
        limit: u32,
    ) -> Result<Vec<crate::store::archive::ArchiveMatch>, StoreError> {
        self.read(|tx| archive::search(tx, actor, terms, limit))
    }

    fn index_archive_backlog(&self, limit: u32) -> Result<usize, StoreError> {
        let backlog = self.read(|tx| archive::backlog(tx, limit))?;
        if backlog.is_empty() {
            // Up to date (the usual case, every search and every rest of the indexer): no write.
            return Ok(0);
        }
        self.write(|tx| {
            for (article, head, doc) in &backlog {
                archive::index_head(tx, *article, *head, doc)?;
            }
            Ok(backlog.len())
        })
    }

    fn transition(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        req: TransitionRequest,
    ) -> Result<TransitionResponse, StoreError> {
        self.write(|tx| rules::transition(&mut SqliteTx(tx), actor, id, req))
    }

    fn approve(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        if_match: RevisionId,
        req: ApproveRequest,
    ) -> Result<ApproveResponse, StoreError> {
        self.write(|tx| rules::approve(&mut SqliteTx(tx), actor, id, if_match, req))
    }

    fn publish(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        order: PublishOrder,
    ) -> Result<PublishResponse, StoreError> {
        self.write(|tx| rules::publish(&mut SqliteTx(tx), actor, id, order))
    }

    fn published(&self, since: i64, limit: u32, now: &str) -> Result<Vec<Publication>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "{PUBLICATION_QUERY}
                 WHERE p.seq > ?1 AND p.published_at <= ?2
                   AND a.state NOT IN ('unpublished', 'killed')
                   AND NOT EXISTS (SELECT 1 FROM publications c WHERE c.replaces = p.id
                                   AND c.published_at <= ?2)
                 ORDER BY p.seq LIMIT ?3"
            ))?;
            let items = stmt
                .query_map(params![since, now, limit], publication_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(items)
        })
    }

    fn publication(&self, id: &str, now: &str) -> Result<Publication, StoreError> {
        self.read(|tx| {
            query_cached(
                tx,
                &format!(
                    // A corrected publication's link shows the correction.
                    "{PUBLICATION_QUERY}
                     WHERE p.id = (SELECT l.id FROM publications l
                                   WHERE l.article_id =
                                         (SELECT article_id FROM publications WHERE id = ?1)
                                     AND l.published_at <= ?2
                                     AND l.seq >= (SELECT seq FROM publications WHERE id = ?1)
                                   ORDER BY l.seq DESC LIMIT 1)
                       AND a.state NOT IN ('unpublished', 'killed')"
                ),
                params![id, now],
                publication_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("publication {id:?}")))
        })
    }

    fn create_media(&self, actor: &UserInfo, new: NewMedia) -> Result<MediaStatus, StoreError> {
        self.write(|tx| rules::create_media(&mut SqliteTx(tx), actor, new))
    }

    fn media_status(&self, actor: &UserInfo, id: &str) -> Result<MediaStatus, StoreError> {
        self.read(|tx| rules::media_status(&mut SqliteTx(tx), actor, id))
    }

    fn append_media(
        &self,
        actor: &UserInfo,
        id: &str,
        offset: u64,
        chunk: &[u8],
    ) -> Result<MediaStatus, StoreError> {
        self.write(|tx| rules::append_media(&mut SqliteTx(tx), actor, id, offset, chunk))
    }

    fn media_bytes(&self, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
        self.read(|tx| rules::media_bytes(&mut SqliteTx(tx), sha256))
    }

    fn media_file(
        &self,
        viewer: Option<&UserInfo>,
        sha256: &str,
        now: &str,
    ) -> Result<MediaFile, StoreError> {
        self.read(|tx| rules::media_file(&mut SqliteTx(tx), viewer, sha256, now))
    }

    fn media_chunk(
        &self,
        upload_id: &str,
        offset: u64,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        self.read(|tx| media::chunk(tx, upload_id, offset))
    }

    fn correct(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        if_match: RevisionId,
        req: CorrectRequest,
    ) -> Result<PublishResponse, StoreError> {
        self.write(|tx| rules::correct(&mut SqliteTx(tx), actor, id, if_match, req))
    }

    fn put_comment(
        &self,
        actor: &UserInfo,
        article: ArticleId,
        comment_id: &str,
        put: CommentPut,
    ) -> Result<CommentRecord, StoreError> {
        self.write(|tx| rules::put_comment(&mut SqliteTx(tx), actor, article, comment_id, put))
    }

    fn comments(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<CommentRecord>, StoreError> {
        self.readable_article(actor, article, comments::list)
    }

    fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|tx| audit::entries(tx, filter))
    }

    fn record_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        self.write(|tx| audit::append(tx, entry))
    }

    fn check_audit(&self) -> Result<AuditCheck, StoreError> {
        self.read(audit::check)
    }

    fn add_target(&self, target: TargetRecord) -> Result<(), StoreError> {
        self.write(|tx| deliveries::add_target(tx, &target))
    }

    fn targets(&self) -> Result<Vec<TargetRecord>, StoreError> {
        self.read(deliveries::targets)
    }

    fn remove_target(&self, name: &str) -> Result<(), StoreError> {
        self.write(|tx| deliveries::remove_target(tx, name))
    }

    fn due_deliveries(&self, now: &str, limit: u32) -> Result<Vec<DueDelivery>, StoreError> {
        self.read(|tx| deliveries::due(tx, now, limit))
    }

    fn next_delivery_due(&self) -> Result<Option<String>, StoreError> {
        self.read(deliveries::next_due)
    }

    fn finish_delivery_attempt(&self, id: &str, outcome: AttemptOutcome) -> Result<(), StoreError> {
        self.write(|tx| deliveries::finish_attempt(tx, id, &outcome))
    }

    fn remote_post(
        &self,
        target: &str,
        article: ArticleId,
    ) -> Result<Option<RemotePost>, StoreError> {
        self.read(|tx| deliveries::remote_post(tx, target, article))
    }

    fn save_remote_post(
        &self,
        target: &str,
        article: ArticleId,
        post: RemotePost,
    ) -> Result<(), StoreError> {
        self.write(|tx| deliveries::save_remote_post(tx, target, article, &post))
    }

    fn remote_media(&self, target: &str, sha256: &str) -> Result<Option<RemoteMedia>, StoreError> {
        self.read(|tx| deliveries::remote_media(tx, target, sha256))
    }

    fn save_remote_media(
        &self,
        target: &str,
        sha256: &str,
        media: RemoteMedia,
    ) -> Result<(), StoreError> {
        self.write(|tx| deliveries::save_remote_media(tx, target, sha256, &media))
    }

    fn publication_snapshot(&self, id: &str) -> Result<Publication, StoreError> {
        self.read(|tx| {
            query_cached(
                tx,
                &format!("{PUBLICATION_QUERY} WHERE p.id = ?1"),
                [id],
                publication_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("publication {id}")))
        })
    }

    fn deliveries(
        &self,
        actor: &UserInfo,
        article: ArticleId,
    ) -> Result<Vec<DeliveryInfo>, StoreError> {
        self.readable_article(actor, article, |tx, a| deliveries::of_article(tx, a.id))
    }

    fn retry_delivery(
        &self,
        actor: &UserInfo,
        id: ArticleId,
        target: &str,
    ) -> Result<Vec<DeliveryInfo>, StoreError> {
        self.write(|tx| rules::retry_delivery(&mut SqliteTx(tx), actor, id, target))
    }

    fn beat_presence(
        &self,
        article: ArticleId,
        user: &UserInfo,
    ) -> Result<Vec<barta_model::api::PresenceEntry>, StoreError> {
        Ok(self.presence.beat(article, user, std::time::Instant::now()))
    }

    fn leave_presence(&self, article: ArticleId, user: &UserInfo) -> Result<(), StoreError> {
        self.presence.leave(article, user);
        Ok(())
    }

    fn begin_login(
        &self,
        limits: &crate::throttle::ThrottleLimits,
        account: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<Result<(), std::time::Duration>, StoreError> {
        Ok(self
            .logins
            .begin(limits, account, address, std::time::Instant::now()))
    }

    fn settle_login(
        &self,
        account: &str,
        address: Option<std::net::IpAddr>,
        how: crate::throttle::LoginSettled,
    ) -> Result<(), StoreError> {
        self.logins.settle(account, address, how);
        Ok(())
    }

    fn lexicon(&self, _actor: &UserInfo) -> Result<LexiconResponse, StoreError> {
        // Everyone logged in: it is made of published text and editors' words.
        self.read(|tx| {
            Ok(LexiconResponse {
                words: lexicon::words(tx)?,
                style_suggestions: lexicon::setting(tx, lexicon::STYLE_SETTING)?.as_deref()
                    == Some("on"),
            })
        })
    }

    fn newsroom_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| lexicon::setting(tx, key))
    }

    fn set_newsroom_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| lexicon::set_setting(tx, key, value))
    }

    fn add_lexicon_word(&self, actor: &UserInfo, word: &str) -> Result<(), StoreError> {
        self.write(|tx| rules::add_lexicon_word(&mut SqliteTx(tx), actor, word))
    }

    fn add_release(&self, release: ReleaseRecord) -> Result<(), StoreError> {
        self.write(|tx| releases::add(tx, &release))
    }

    fn releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
        self.read(|tx| releases::list(tx, filter))
    }

    fn release_file(&self, version: &str, file_name: &str) -> Result<ReleaseRecord, StoreError> {
        self.read(|tx| releases::file(tx, version, file_name))
    }

    fn remove_releases(&self, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
        self.write(|tx| releases::remove(tx, filter))
    }
}
