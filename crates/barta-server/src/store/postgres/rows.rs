//! Reading PostgreSQL rows into the store's records, shared by every module here: text
//! columns parsed through `FromStr` (ids, enums), JSON columns, and the article, revision and
//! comment rows.

use crate::store::StoreError;
use crate::store::rules::ArticleRow;
use barta_model::api::{CommentAnchor, CommentRecord, RevisionRecord};
use std::str::FromStr;
use tokio_postgres::Row;

/// The revision columns, in the order [`revision_at`] reads them (`r` is `revisions`).
/// A revision whose change is not numbered yet (the moment between its commit and the
/// sequencer's, `sequencer.rs`) reads as seq 0.
pub const REVISION_COLUMNS: &str = "r.id, r.article_id, r.parent, r.merge_parent, r.author, \
     r.meta, r.body, r.sha256, r.created_at, COALESCE(r.seq, 0)";

/// The comment columns, in the order [`comment_row`] reads them.
pub const COMMENT_COLUMNS: &str = "id, article_id, parent_id, block_id, start_offset, \
     end_offset, quote, author, body, created_at, resolved_at, resolved_by";

/// Reads a text column through `FromStr` (ids, enums).
pub fn parsed<T>(row: &Row, idx: usize) -> Result<T, StoreError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = row.try_get(idx)?;
    text.parse()
        .map_err(|e| StoreError::Database(format!("column {idx}: {text:?}: {e}")))
}

/// Reads a nullable text column through `FromStr`.
pub fn parsed_opt<T>(row: &Row, idx: usize) -> Result<Option<T>, StoreError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = row.try_get(idx)?;
    text.map(|t| {
        t.parse()
            .map_err(|e| StoreError::Database(format!("column {idx}: {t:?}: {e}")))
    })
    .transpose()
}

/// Reads a text column holding JSON.
pub fn json<T: serde::de::DeserializeOwned>(row: &Row, idx: usize) -> Result<T, StoreError> {
    let text: String = row.try_get(idx)?;
    Ok(serde_json::from_str(&text)?)
}

/// Reads `id, desk, state, author_id, author, head, created_at` of `articles`.
pub fn article_row(r: &Row) -> Result<ArticleRow, StoreError> {
    Ok(ArticleRow {
        id: parsed(r, 0)?,
        desk: r.try_get(1)?,
        state: parsed(r, 2)?,
        author_id: parsed(r, 3)?,
        author: r.try_get(4)?,
        head: parsed(r, 5)?,
        created_at: r.try_get(6)?,
    })
}

/// Reads [`REVISION_COLUMNS`] starting at column `at`.
pub fn revision_at(r: &Row, at: usize) -> Result<RevisionRecord, StoreError> {
    Ok(RevisionRecord {
        id: parsed(r, at)?,
        article_id: parsed(r, at + 1)?,
        parent: parsed_opt(r, at + 2)?,
        merge_parent: parsed_opt(r, at + 3)?,
        author: r.try_get(at + 4)?,
        meta: json(r, at + 5)?,
        body: json(r, at + 6)?,
        sha256: r.try_get(at + 7)?,
        created_at: r.try_get(at + 8)?,
        seq: r.try_get(at + 9)?,
    })
}

/// Reads one row of [`COMMENT_COLUMNS`].
pub fn comment_row(r: &Row) -> Result<CommentRecord, StoreError> {
    Ok(CommentRecord {
        id: r.try_get(0)?,
        article_id: parsed(r, 1)?,
        parent_id: r.try_get(2)?,
        anchor: CommentAnchor {
            block_id: r.try_get(3)?,
            start: u32::try_from(r.try_get::<_, i64>(4)?).unwrap_or(u32::MAX),
            end: u32::try_from(r.try_get::<_, i64>(5)?).unwrap_or(u32::MAX),
            quote: r.try_get(6)?,
        },
        author: r.try_get(7)?,
        body: r.try_get(8)?,
        created_at: r.try_get(9)?,
        resolved_at: r.try_get(10)?,
        resolved_by: r.try_get(11)?,
    })
}
