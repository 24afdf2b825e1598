//! Comments on the SQLite store: the rows the rules (`store::rules::comments`) read and
//! write, and an article's comments, oldest first.

use super::{ArticleRow, parsed};
use crate::store::StoreError;
use crate::store::rules::NewComment;
use barta_model::api::{CommentAnchor, CommentRecord};
use rusqlite::{Connection, OptionalExtension, Row, params};

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

pub fn load(tx: &Connection, id: &str) -> Result<Option<CommentRecord>, StoreError> {
    Ok(super::query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"),
        [id],
        record,
    )
    .optional()?)
}

/// Stores a comment the rules accepted.
pub fn insert(tx: &Connection, c: &NewComment<'_>) -> Result<(), StoreError> {
    super::exec(
        tx,
        "INSERT INTO comments (id, article_id, parent_id, block_id, start_offset, end_offset,
             quote, author_id, author, body, created_at, resolved_at, resolved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            c.id,
            c.article.to_string(),
            c.parent_id,
            c.anchor.block_id,
            c.anchor.start,
            c.anchor.end,
            c.quote,
            c.author_id.to_string(),
            c.author,
            c.body,
            c.created_at,
            c.resolved.then_some(c.created_at),
            c.resolved.then_some(c.author),
        ],
    )?;
    Ok(())
}

/// Marks a comment resolved.
pub fn resolve(tx: &Connection, id: &str, at: &str, by: &str) -> Result<(), StoreError> {
    super::exec(
        tx,
        "UPDATE comments SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
        params![id, at, by],
    )?;
    Ok(())
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
