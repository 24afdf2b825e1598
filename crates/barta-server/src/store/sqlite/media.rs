//! The SQL of photo uploads on SQLite: the uploads (`media`), their chunks (`media_chunks`)
//! and the links that say which articles and publications show a photo (`article_media`,
//! `publication_media`). What an upload may be and who may see a photo is decided once in
//! `store/rules/media.rs`; these are the loads and writes `tx.rs` makes for it, and the read
//! of a chunk (`Store::media_chunk`). SQLite has one writer, so nothing here locks.

use super::{exec, load_article, parsed, query_cached};
use crate::store::rules::{ArticleRow, CompleteUpload, NewUpload};
use crate::store::{MediaStatus, StoreError};
use barta_model::{ArticleId, UserId};
use rusqlite::{Connection, OptionalExtension, params};

fn status_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MediaStatus> {
    Ok(MediaStatus {
        id: r.get(0)?,
        sha256: r.get(1)?,
        length: r.get::<_, i64>(2)? as u64,
        offset: r.get::<_, i64>(3)? as u64,
        complete: r.get(4)?,
    })
}

const COLUMNS: &str = "id, sha256, length, received, complete";

/// The user's upload `id`.
pub fn upload(tx: &Connection, id: &str, owner: UserId) -> Result<Option<MediaStatus>, StoreError> {
    Ok(query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM media WHERE id = ?1 AND owner_id = ?2"),
        params![id, owner.to_string()],
        status_row,
    )
    .optional()?)
}

/// The user's upload of a file.
pub fn upload_of_file(
    tx: &Connection,
    owner: UserId,
    sha256: &str,
) -> Result<Option<MediaStatus>, StoreError> {
    Ok(query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM media WHERE owner_id = ?1 AND sha256 = ?2"),
        params![owner.to_string(), sha256],
        status_row,
    )
    .optional()?)
}

/// The bytes the user's uploads declare.
pub fn bytes_held(tx: &Connection, owner: UserId) -> Result<u64, StoreError> {
    let held: i64 = query_cached(
        tx,
        "SELECT COALESCE(SUM(length), 0) FROM media WHERE owner_id = ?1",
        [owner.to_string()],
        |r| r.get(0),
    )?;
    Ok(held as u64)
}

/// Stores a new upload.
pub fn insert(tx: &Connection, upload: &NewUpload<'_>) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO media (id, sha256, length, content_type, owner_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            upload.id,
            upload.sha256,
            upload.length as i64,
            upload.content_type,
            upload.owner.to_string(),
            upload.created_at
        ],
    )?;
    Ok(())
}

/// Stores a chunk and sets the bytes received.
pub fn append_chunk(
    tx: &Connection,
    id: &str,
    offset: u64,
    data: &[u8],
    received: u64,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO media_chunks (media_id, offset, data) VALUES (?1, ?2, ?3)",
        params![id, offset as i64, data],
    )?;
    exec(
        tx,
        "UPDATE media SET received = ?2 WHERE id = ?1",
        params![id, received as i64],
    )?;
    Ok(())
}

/// Hands the upload's chunks to `each`, in order.
pub fn read_chunks(
    tx: &Connection,
    id: &str,
    each: &mut dyn FnMut(&[u8]),
) -> Result<(), StoreError> {
    let mut stmt =
        tx.prepare_cached("SELECT data FROM media_chunks WHERE media_id = ?1 ORDER BY offset")?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        each(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
    }
    Ok(())
}

/// Deletes the upload's chunks and sets the bytes received to 0.
pub fn reset(tx: &Connection, id: &str) -> Result<(), StoreError> {
    exec(tx, "DELETE FROM media_chunks WHERE media_id = ?1", [id])?;
    exec(tx, "UPDATE media SET received = 0 WHERE id = ?1", [id])?;
    Ok(())
}

/// Marks the upload complete.
pub fn complete(tx: &Connection, id: &str) -> Result<(), StoreError> {
    exec(tx, "UPDATE media SET complete = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// Any complete upload of `sha256`.
pub fn complete_upload_of(
    tx: &Connection,
    sha256: &str,
) -> Result<Option<CompleteUpload>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT id, content_type, length FROM media WHERE sha256 = ?1 AND complete = 1 LIMIT 1",
        [sha256],
        |r| {
            Ok(CompleteUpload {
                id: r.get(0)?,
                content_type: r.get(1)?,
                length: r.get::<_, i64>(2)? as u64,
            })
        },
    )
    .optional()?)
}

/// Whether a publication live at `now` shows the photo (published, not replaced by a live
/// correction, the article neither unpublished nor killed).
pub fn shown_publicly(tx: &Connection, sha256: &str, now: &str) -> Result<bool, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT 1 FROM publication_media pm
           JOIN publications p ON p.id = pm.publication_id
           JOIN articles a ON a.id = p.article_id
          WHERE pm.sha256 = ?1 AND p.published_at <= ?2
            AND a.state NOT IN ('unpublished', 'killed')
            AND NOT EXISTS (SELECT 1 FROM publications c WHERE c.replaces = p.id
                              AND c.published_at <= ?2)
          LIMIT 1",
        params![sha256, now],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

/// The articles linked to the photo.
pub fn articles_showing(tx: &Connection, sha256: &str) -> Result<Vec<ArticleRow>, StoreError> {
    let mut statement =
        tx.prepare_cached("SELECT article_id FROM article_media WHERE sha256 = ?1")?;
    let ids = statement
        .query_map([sha256], |r| parsed::<ArticleId>(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut articles = Vec::with_capacity(ids.len());
    for id in ids {
        articles.extend(load_article(tx, id)?);
    }
    Ok(articles)
}

/// The chunk of `upload_id` at or after `offset`.
pub fn chunk(
    tx: &Connection,
    upload_id: &str,
    offset: u64,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT offset, data FROM media_chunks WHERE media_id = ?1 AND offset >= ?2
          ORDER BY offset LIMIT 1",
        params![upload_id, offset as i64],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
    )
    .optional()?)
}
