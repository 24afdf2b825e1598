//! The SQL of photo uploads on PostgreSQL, their chunks in the database (every instance sees
//! them: an upload started through one resumes through another): the SQL twin of
//! `store/sqlite/media.rs`. What an upload may be and who may see a photo is decided once in
//! `store/rules/media.rs`; these are the loads and writes `tx.rs` makes for it (with the row
//! locks that let several instances write at once), and the read of a chunk
//! (`Store::media_chunk`).

use super::Db;
use super::articles;
use super::rows::parsed;
use crate::store::rules::{ArticleRow, CompleteUpload, NewUpload};
use crate::store::{MediaStatus, StoreError};
use barta_model::{ArticleId, UserId};
use tokio_postgres::Row;

/// The columns [`status_row`] reads (as `COLUMNS` in `store/sqlite/media.rs`).
const COLUMNS: &str = "id, sha256, length, received, complete";

/// Reads [`COLUMNS`] (`media.complete` is an INTEGER 0/1, as on SQLite).
fn status_row(r: &Row) -> Result<MediaStatus, StoreError> {
    Ok(MediaStatus {
        id: r.try_get(0)?,
        sha256: r.try_get(1)?,
        length: r.try_get::<_, i64>(2)? as u64,
        offset: r.try_get::<_, i64>(3)? as u64,
        complete: r.try_get::<_, i32>(4)? != 0,
    })
}

/// The user's upload `id`; with `lock`, its row is locked until the transaction ends, so two
/// chunks sent to one upload through two instances are appended one after the other.
pub fn upload(
    tx: &mut Db<'_>,
    id: &str,
    owner: UserId,
    lock: bool,
) -> Result<Option<MediaStatus>, StoreError> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM media WHERE id = $1 AND owner_id = $2{lock}"),
        &[&id, &owner.to_string()],
    )?
    .map(|r| status_row(&r))
    .transpose()
}

/// The user's upload of a file.
pub fn upload_of_file(
    tx: &mut Db<'_>,
    owner: UserId,
    sha256: &str,
) -> Result<Option<MediaStatus>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM media WHERE owner_id = $1 AND sha256 = $2"),
        &[&owner.to_string(), &sha256],
    )?
    .map(|r| status_row(&r))
    .transpose()
}

/// Locks the uploader's row until commit, so that two uploads of one user started at once
/// (through two instances) check the quota in turn.
pub fn lock_uploader(tx: &mut Db<'_>, owner: UserId) -> Result<(), StoreError> {
    tx.execute(
        "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE",
        &[&owner.to_string()],
    )?;
    Ok(())
}

/// The bytes the user's uploads declare.
pub fn bytes_held(tx: &mut Db<'_>, owner: UserId) -> Result<u64, StoreError> {
    // SUM of a BIGINT is a NUMERIC in PostgreSQL: cast back.
    let held: i64 = tx
        .query_one(
            "SELECT COALESCE(SUM(length), 0)::BIGINT FROM media WHERE owner_id = $1",
            &[&owner.to_string()],
        )?
        .try_get(0)?;
    Ok(held as u64)
}

/// Stores a new upload.
pub fn insert(tx: &mut Db<'_>, upload: &NewUpload<'_>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO media (id, sha256, length, content_type, owner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &upload.id,
            &upload.sha256,
            &(upload.length as i64),
            &upload.content_type,
            &upload.owner.to_string(),
            &upload.created_at,
        ],
    )?;
    Ok(())
}

/// Stores a chunk and sets the bytes received.
pub fn append_chunk(
    tx: &mut Db<'_>,
    id: &str,
    offset: u64,
    data: &[u8],
    received: u64,
) -> Result<(), StoreError> {
    tx.execute(
        r#"INSERT INTO media_chunks (media_id, "offset", data) VALUES ($1, $2, $3)"#,
        &[&id, &(offset as i64), &data],
    )?;
    tx.execute(
        "UPDATE media SET received = $2 WHERE id = $1",
        &[&id, &(received as i64)],
    )?;
    Ok(())
}

/// Hands the upload's chunks to `each`, in order.
pub fn read_chunks(
    tx: &mut Db<'_>,
    id: &str,
    each: &mut dyn FnMut(&[u8]),
) -> Result<(), StoreError> {
    for row in tx.query(
        r#"SELECT data FROM media_chunks WHERE media_id = $1 ORDER BY "offset""#,
        &[&id],
    )? {
        each(row.try_get::<_, &[u8]>(0)?);
    }
    Ok(())
}

/// Deletes the upload's chunks and sets the bytes received to 0.
pub fn reset(tx: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM media_chunks WHERE media_id = $1", &[&id])?;
    tx.execute("UPDATE media SET received = 0 WHERE id = $1", &[&id])?;
    Ok(())
}

/// Marks the upload complete.
pub fn complete(tx: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    tx.execute("UPDATE media SET complete = 1 WHERE id = $1", &[&id])?;
    Ok(())
}

/// Any complete upload of `sha256`.
pub fn complete_upload_of(
    tx: &mut Db<'_>,
    sha256: &str,
) -> Result<Option<CompleteUpload>, StoreError> {
    tx.query_opt(
        "SELECT id, content_type, length FROM media WHERE sha256 = $1 AND complete = 1 LIMIT 1",
        &[&sha256],
    )?
    .map(|r| {
        Ok(CompleteUpload {
            id: r.try_get(0)?,
            content_type: r.try_get(1)?,
            length: r.try_get::<_, i64>(2)? as u64,
        })
    })
    .transpose()
}

/// Whether a publication live at `now` shows the photo (published, not replaced by a live
/// correction, the article neither unpublished nor killed).
pub fn shown_publicly(tx: &mut Db<'_>, sha256: &str, now: &str) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM publication_media pm
               JOIN publications p ON p.id = pm.publication_id
               JOIN articles a ON a.id = p.article_id
              WHERE pm.sha256 = $1 AND p.published_at <= $2
                AND a.state NOT IN ('unpublished', 'killed')
                AND NOT EXISTS (SELECT 1 FROM publications c WHERE c.replaces = p.id
                                  AND c.published_at <= $2)
              LIMIT 1",
            &[&sha256, &now],
        )?
        .is_some())
}

/// The articles linked to the photo, unlocked (read paths run in read-only transactions).
pub fn articles_showing(tx: &mut Db<'_>, sha256: &str) -> Result<Vec<ArticleRow>, StoreError> {
    let ids = tx
        .query(
            "SELECT article_id FROM article_media WHERE sha256 = $1",
            &[&sha256],
        )?
        .iter()
        .map(|r| parsed::<ArticleId>(r, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let mut shown_in = Vec::with_capacity(ids.len());
    for id in ids {
        shown_in.extend(articles::load_article(tx, id)?);
    }
    Ok(shown_in)
}

/// The chunk of `upload_id` at or after `offset`.
pub fn chunk(
    tx: &mut Db<'_>,
    upload_id: &str,
    offset: u64,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    tx.query_opt(
        r#"SELECT "offset", data FROM media_chunks WHERE media_id = $1 AND "offset" >= $2
            ORDER BY "offset" LIMIT 1"#,
        &[&upload_id, &(offset as i64)],
    )?
    .map(|r| Ok((r.try_get::<_, i64>(0)? as u64, r.try_get(1)?)))
    .transpose()
}
