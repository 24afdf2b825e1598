//! Reading articles, revisions, the changes feed, publications and comments on PostgreSQL:
//! the SQL twins of the read methods of `store/sqlite.rs` and `store/sqlite/comments.rs`.
//! Reads never lock (`load_article` here, where the rules' `PgTx::article` locks).

use super::Db;
use super::PgTx;
use super::rows::{
    COMMENT_COLUMNS, REVISION_COLUMNS, article_row, comment_row, json, parsed, revision_at,
};
use crate::store::rules::{ArticleRow, Tx};
use crate::store::{Publication, StoreError};
use barta_model::ArticleId;
use barta_model::api::{
    ApprovalInfo, ArticleResponse, Change, ChangeKind, ChangesPage, CommentRecord, RevisionRecord,
    UserInfo,
};
use tokio_postgres::Row;

/// The publication columns with their article's, as [`publication_row`] reads them.
const PUBLICATION_QUERY: &str = "SELECT p.id, p.seq, p.article_id, p.revision_id, p.approval_id, \
     p.sha256, p.meta, p.body, p.published_at, a.created_at, a.author, p.correction \
     FROM publications p JOIN articles a ON a.id = p.article_id";

/// Reads one row of [`PUBLICATION_QUERY`].
fn publication_row(r: &Row) -> Result<Publication, StoreError> {
    Ok(Publication {
        id: r.try_get(0)?,
        seq: r.try_get(1)?,
        article_id: parsed(r, 2)?,
        revision_id: parsed(r, 3)?,
        approval_id: r.try_get(4)?,
        sha256: r.try_get(5)?,
        meta: json(r, 6)?,
        body: json(r, 7)?,
        published_at: r.try_get(8)?,
        article_created_at: r.try_get(9)?,
        author: r.try_get(10)?,
        correction: r.try_get(11)?,
    })
}

/// Loads an article's row without locking it (reads run in read-only transactions).
pub fn load_article(tx: &mut Db<'_>, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
    tx.query_opt(
        "SELECT id, desk, state, author_id, author, head, created_at
         FROM articles WHERE id = $1",
        &[&id.to_string()],
    )?
    .map(|r| article_row(&r))
    .transpose()
}

/// The article as the API shows it: head revision, latest approval and publication, deliveries.
pub fn article_response(
    tx: &mut Db<'_>,
    article: &ArticleRow,
) -> Result<ArticleResponse, StoreError> {
    let head_revision = PgTx::new(tx)
        .revision(article.head)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {}", article.head)))?;
    let approval = tx
        .query_opt(
            "SELECT id, revision_id, sha256, editor, created_at FROM approvals
             WHERE article_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&article.id.to_string()],
        )?
        .map(|r| {
            Ok::<_, StoreError>(ApprovalInfo {
                id: r.try_get(0)?,
                rev_id: parsed(&r, 1)?,
                sha256: r.try_get(2)?,
                editor: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .transpose()?;
    let publication_id = tx
        .query_opt(
            "SELECT id FROM publications WHERE article_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&article.id.to_string()],
        )?
        .map(|r| r.try_get::<_, String>(0))
        .transpose()?;
    let deliveries = PgTx::new(tx).deliveries_of(article.id)?;
    Ok(ArticleResponse {
        id: article.id,
        desk: article.desk.clone(),
        state: article.state,
        author: article.author.clone(),
        head: article.head,
        head_revision,
        approval,
        publication_id,
        deliveries,
    })
}

/// The article's revisions, newest first.
pub fn history(tx: &mut Db<'_>, article: ArticleId) -> Result<Vec<RevisionRecord>, StoreError> {
    tx.query(
        &format!(
            "SELECT {REVISION_COLUMNS} FROM revisions r WHERE r.article_id = $1
             ORDER BY r.seq DESC"
        ),
        &[&article.to_string()],
    )?
    .iter()
    .map(|r| revision_at(r, 0))
    .collect()
}

/// The feed after `since` that the actor may read (the SQL twin of `policy::may_read`).
pub fn changes(
    tx: &mut Db<'_>,
    actor: &UserInfo,
    since: i64,
    limit: u32,
) -> Result<ChangesPage, StoreError> {
    let rows = tx.query(
        &format!(
            "SELECT c.seq, c.kind, c.article_id, c.desk, c.state, c.author, c.head, c.note,
                    c.at, c.revision_id, {REVISION_COLUMNS}
             FROM changes c
             JOIN articles a ON a.id = c.article_id
             LEFT JOIN revisions r ON r.id = c.revision_id
             WHERE c.seq > $1
               AND ($2::text = 'admin'
                    OR ($2::text = 'reporter' AND a.author_id = $3::text)
                    OR ($2::text = 'editor' AND a.desk IN
                          (SELECT desk FROM user_desks WHERE user_id = $3::text)))
             ORDER BY c.seq
             LIMIT $4"
        ),
        &[
            &since,
            &actor.role.as_str(),
            &actor.id.to_string(),
            &i64::from(limit),
        ],
    )?;
    let changes = rows
        .iter()
        .map(|r| {
            let kind = match r.try_get::<_, String>(1)?.as_str() {
                "revision" => ChangeKind::Revision,
                _ => ChangeKind::State,
            };
            // A feed row naming a revision has it (the foreign key): read it, as on SQLite.
            let has_revision = r.try_get::<_, Option<String>>(9)?.is_some();
            Ok(Change {
                seq: r.try_get(0)?,
                kind,
                article_id: parsed(r, 2)?,
                desk: r.try_get(3)?,
                state: parsed(r, 4)?,
                author: r.try_get(5)?,
                head: parsed(r, 6)?,
                note: r.try_get(7)?,
                at: r.try_get(8)?,
                revision: if has_revision {
                    Some(revision_at(r, 10)?)
                } else {
                    None
                },
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let next = changes.last().map_or(since, |c| c.seq);
    Ok(ChangesPage { changes, next })
}

/// The public feed of publications after `since` that are out by `now` and still current.
pub fn published(
    tx: &mut Db<'_>,
    since: i64,
    limit: u32,
    now: &str,
) -> Result<Vec<Publication>, StoreError> {
    // Times compare byte by byte (`COLLATE "C"`), as SQLite compares text, whatever the
    // database's locale.
    tx.query(
        &format!(
            "{PUBLICATION_QUERY}
             WHERE p.seq > $1 AND p.published_at COLLATE \"C\" <= $2
               AND a.state NOT IN ('unpublished', 'killed')
               AND NOT EXISTS (SELECT 1 FROM publications c WHERE c.replaces = p.id
                               AND c.published_at COLLATE \"C\" <= $2)
             ORDER BY p.seq LIMIT $3"
        ),
        &[&since, &now, &i64::from(limit)],
    )?
    .iter()
    .map(publication_row)
    .collect()
}

/// A public publication by id, showing its latest correction out by `now`.
pub fn publication(tx: &mut Db<'_>, id: &str, now: &str) -> Result<Publication, StoreError> {
    tx.query_opt(
        &format!(
            // A corrected publication's link shows the correction.
            "{PUBLICATION_QUERY}
             WHERE p.id = (SELECT l.id FROM publications l
                           WHERE l.article_id =
                                 (SELECT article_id FROM publications WHERE id = $1)
                             AND l.published_at COLLATE \"C\" <= $2
                             AND l.seq >= (SELECT seq FROM publications WHERE id = $1)
                           ORDER BY l.seq DESC LIMIT 1)
               AND a.state NOT IN ('unpublished', 'killed')"
        ),
        &[&id, &now],
    )?
    .map(|r| publication_row(&r))
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("publication {id:?}")))
}

/// A publication by id as it was stored, whatever its state or time.
pub fn publication_snapshot(tx: &mut Db<'_>, id: &str) -> Result<Publication, StoreError> {
    tx.query_opt(&format!("{PUBLICATION_QUERY} WHERE p.id = $1"), &[&id])?
        .map(|r| publication_row(&r))
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("publication {id}")))
}

/// The article's comments, oldest first.
pub fn comments(tx: &mut Db<'_>, article: ArticleId) -> Result<Vec<CommentRecord>, StoreError> {
    tx.query(
        &format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE article_id = $1 ORDER BY seq"),
        &[&article.to_string()],
    )?
    .iter()
    .map(comment_row)
    .collect()
}

/// One page of the window a new laptop holds in full (`Store::window`).
pub fn window(
    tx: &mut Db<'_>,
    actor: &UserInfo,
    touched_since: &str,
    after: Option<ArticleId>,
    limit: u32,
) -> Result<(i64, Vec<Change>), StoreError> {
    let as_of: i64 = tx
        .query_one("SELECT COALESCE(MAX(seq), 0)::bigint FROM changes", &[])?
        .try_get(0)?;
    let rows = tx.query(
        &format!(
            "SELECT (SELECT MAX(seq) FROM changes WHERE article_id = a.id), a.id, a.desk,
                    a.state, a.author, a.head, a.touched_at, {REVISION_COLUMNS}
             FROM articles a
             JOIN revisions r ON r.id = a.head
             WHERE a.id > $1
               AND ($2::text = 'admin'
                    OR ($2::text = 'reporter' AND a.author_id = $3::text)
                    OR ($2::text = 'editor' AND a.desk IN
                          (SELECT desk FROM user_desks WHERE user_id = $3::text)))
               AND (a.state NOT IN ('published', 'killed')
                    OR a.author_id = $3::text
                    OR a.touched_at >= $4)
             ORDER BY a.id
             LIMIT $5"
        ),
        &[
            &after.map(|a| a.to_string()).unwrap_or_default(),
            &actor.role.as_str(),
            &actor.id.to_string(),
            &touched_since,
            &i64::from(limit),
        ],
    )?;
    let articles = rows
        .iter()
        .map(|r| {
            Ok(Change {
                seq: r.try_get::<_, Option<i64>>(0)?.unwrap_or(0),
                kind: ChangeKind::Revision,
                article_id: parsed(r, 1)?,
                desk: r.try_get(2)?,
                state: parsed(r, 3)?,
                author: r.try_get(4)?,
                head: parsed(r, 5)?,
                note: None,
                at: r.try_get(6)?,
                revision: Some(revision_at(r, 7)?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((as_of, articles))
}
