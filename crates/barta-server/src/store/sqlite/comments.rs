//! Comments on the SQLite store: anchored to a passage of a top-level block, threaded, resolved
//! but never deleted. Anyone who may read an article may comment on it.

use super::{ArticleRow, deny, load_article, now, parsed};
use crate::policy;
use crate::store::StoreError;
use barta_model::api::{CommentAnchor, CommentPut, CommentRecord, UserInfo};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

const COLUMNS: &str = "id, article_id, parent_id, block_id, start_offset, end_offset, quote,
    author, body, created_at, resolved_at, resolved_by";

fn record(r: &Row<'_>) -> rusqlite::Result<CommentRecord> {
    Ok(CommentRecord {
        id: r.get(0)?,
        article_id: parsed(r, 1)?,
        parent_id: r.get(2)?,
        anchor: CommentAnchor {
            block_id: r.get(3)?,
            start: r.get(4)?,
            end: r.get(5)?,
            quote: r.get(6)?,
        },
        author: r.get(7)?,
        body: r.get(8)?,
        created_at: r.get(9)?,
        resolved_at: r.get(10)?,
        resolved_by: r.get(11)?,
    })
}

fn load(tx: &Connection, id: &str) -> Result<Option<CommentRecord>, StoreError> {
    Ok(super::query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"),
        [id],
        record,
    )
    .optional()?)
}

/// Checks a comment's id and content; returns the normalized body and quote.
fn checked(comment_id: &str, put: &CommentPut) -> Result<(String, String), StoreError> {
    if uuid::Uuid::parse_str(comment_id).is_err() {
        return Err(StoreError::Invalid(format!(
            "{comment_id:?} is not a comment id (a UUID)"
        )));
    }
    let body = bangla::normalize(put.body.trim());
    if body.is_empty() {
        return Err(StoreError::Invalid("a comment cannot be empty".into()));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(StoreError::Invalid(format!(
            "a comment may hold at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    let anchor = &put.anchor;
    if anchor.block_id.trim().is_empty() || anchor.block_id.len() > 200 {
        return Err(StoreError::Invalid(
            "a comment needs the id of the block it is about".into(),
        ));
    }
    if anchor.start > anchor.end || anchor.quote.chars().count() > MAX_COMMENT_CHARS {
        return Err(StoreError::Invalid(
            "the comment's passage is invalid (start after end, or too long)".into(),
        ));
    }
    Ok((body, bangla::normalize(&anchor.quote)))
}

/// Stores, replays or resolves a comment.
pub fn put(
    tx: &Connection,
    actor: &UserInfo,
    article: &ArticleRow,
    comment_id: &str,
    put: CommentPut,
) -> Result<CommentRecord, StoreError> {
    if let Err(denial) = policy::may_read(actor, article.facts()) {
        return Err(deny(tx, actor, Some(article.id), "comment", denial));
    }
    let (body, quote) = checked(comment_id, &put)?;
    if let Some(existing) = load(tx, comment_id)? {
        if existing.article_id != article.id
            || existing.body != body
            || existing.anchor.block_id != put.anchor.block_id
            || existing.parent_id != put.parent_id
        {
            return Err(StoreError::Conflict(format!(
                "comment {comment_id} exists already with other content"
            )));
        }
        if put.resolved && existing.resolved_at.is_none() {
            super::exec(
                tx,
                "UPDATE comments SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
                params![comment_id, now(), actor.username],
            )?;
        }
        return load(tx, comment_id)?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")));
    }
    if let Some(parent) = &put.parent_id {
        match load(tx, parent)? {
            Some(p) if p.article_id == article.id => {}
            _ => {
                return Err(StoreError::Invalid(format!(
                    "comment {parent} is not a comment on this article"
                )));
            }
        }
    }
    let resolved_at = put.resolved.then(now);
    super::exec(
        tx,
        "INSERT INTO comments (id, article_id, parent_id, block_id, start_offset, end_offset,
             quote, author_id, author, body, created_at, resolved_at, resolved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            comment_id,
            article.id.to_string(),
            put.parent_id,
            put.anchor.block_id,
            put.anchor.start,
            put.anchor.end,
            quote,
            actor.id.to_string(),
            actor.username,
            body,
            now(),
            resolved_at,
            put.resolved.then(|| actor.username.clone()),
        ],
    )?;
    load(tx, comment_id)?.ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
}

/// The article's comments, oldest first.
pub fn list(tx: &Connection, article: &ArticleRow) -> Result<Vec<CommentRecord>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt
        .query_map([article.id.to_string()], record)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Loads the article a comment is about.
pub fn article(tx: &Connection, id: barta_model::ArticleId) -> Result<ArticleRow, StoreError> {
    load_article(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("article {id}")))
}
