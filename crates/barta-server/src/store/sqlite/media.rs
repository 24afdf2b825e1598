//! Media uploads on the SQLite store (a subset of tus 1.0): chunks appended at the upload's
//! offset, each in its own transaction, so a cut connection keeps what arrived and the client
//! resumes from the offset; the last chunk checks the declared SHA-256. Also the check that
//! keeps an article whose photos have not finished uploading from being published.

use super::now;
use crate::store::{MediaStatus, NewMedia, StoreError};
use barta_model::Document;
use barta_model::api::UserInfo;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The largest file accepted (the app refuses bigger images before they get here).
pub const MAX_MEDIA_BYTES: u64 = 20 * 1024 * 1024;

/// The image types accepted.
pub const MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];

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

/// The caller's upload `id` (another user's is not found: uploads are private until done).
fn owned(tx: &Connection, actor: &UserInfo, id: &str) -> Result<MediaStatus, StoreError> {
    super::query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM media WHERE id = ?1 AND owner_id = ?2"),
        params![id, actor.id.to_string()],
        status_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("upload {id:?}")))
}

pub fn create(
    tx: &Connection,
    actor: &UserInfo,
    media: NewMedia,
) -> Result<MediaStatus, StoreError> {
    let sha = media.sha256.to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::Invalid(
            "sha256 must be 64 hexadecimal digits".into(),
        ));
    }
    if media.length == 0 || media.length > MAX_MEDIA_BYTES {
        return Err(StoreError::Invalid(format!(
            "a photo must have 1 to {MAX_MEDIA_BYTES} bytes"
        )));
    }
    if !MEDIA_TYPES.contains(&media.content_type.as_str()) {
        return Err(StoreError::Invalid(format!(
            "{:?} is not an accepted image type ({})",
            media.content_type,
            MEDIA_TYPES.join(", ")
        )));
    }
    if let Some(existing) = super::query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM media WHERE owner_id = ?1 AND sha256 = ?2"),
        params![actor.id.to_string(), sha],
        status_row,
    )
    .optional()?
    {
        if existing.length != media.length {
            return Err(StoreError::Conflict(format!(
                "an upload of this file exists with length {}",
                existing.length
            )));
        }
        return Ok(existing);
    }
    let id = uuid::Uuid::now_v7().to_string();
    super::exec(
        tx,
        "INSERT INTO media (id, sha256, length, content_type, owner_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            sha,
            media.length as i64,
            media.content_type,
            actor.id.to_string(),
            now()
        ],
    )?;
    owned(tx, actor, &id)
}

pub fn status(tx: &Connection, actor: &UserInfo, id: &str) -> Result<MediaStatus, StoreError> {
    owned(tx, actor, id)
}

pub fn append(
    tx: &Connection,
    actor: &UserInfo,
    id: &str,
    offset: u64,
    chunk: &[u8],
) -> Result<MediaStatus, StoreError> {
    let upload = owned(tx, actor, id)?;
    if upload.complete {
        return Ok(upload);
    }
    if offset != upload.offset {
        return Err(StoreError::Conflict(format!(
            "the upload is at offset {}, not {offset}: ask HEAD and resume from there",
            upload.offset
        )));
    }
    if chunk.is_empty() || offset + chunk.len() as u64 > upload.length {
        return Err(StoreError::Invalid(format!(
            "a chunk must hold 1 to {} bytes",
            upload.length - offset
        )));
    }
    super::exec(
        tx,
        "INSERT INTO media_chunks (media_id, offset, data) VALUES (?1, ?2, ?3)",
        params![id, offset as i64, chunk],
    )?;
    let received = offset + chunk.len() as u64;
    super::exec(
        tx,
        "UPDATE media SET received = ?2 WHERE id = ?1",
        params![id, received as i64],
    )?;
    if received == upload.length {
        let mut hasher = Sha256::new();
        let mut stmt =
            tx.prepare_cached("SELECT data FROM media_chunks WHERE media_id = ?1 ORDER BY offset")?;
        let mut rows = stmt.query([id])?;
        while let Some(row) = rows.next()? {
            hasher.update(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
        }
        if hex::encode(hasher.finalize()) != upload.sha256 {
            // Start again: the bytes are not the file that was declared.
            super::exec(tx, "DELETE FROM media_chunks WHERE media_id = ?1", [id])?;
            super::exec(tx, "UPDATE media SET received = 0 WHERE id = ?1", [id])?;
            return Err(StoreError::HashMismatch(format!(
                "the uploaded bytes do not hash to {}: upload them again from offset 0",
                upload.sha256
            )));
        }
        super::exec(tx, "UPDATE media SET complete = 1 WHERE id = ?1", [id])?;
    }
    owned(tx, actor, id)
}

pub fn file(tx: &Connection, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
    let sha = sha256.to_ascii_lowercase();
    let (id, content_type): (String, String) = super::query_cached(
        tx,
        "SELECT id, content_type FROM media WHERE sha256 = ?1 AND complete = 1 LIMIT 1",
        [&sha],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("media {sha:?}")))?;
    let mut stmt =
        tx.prepare_cached("SELECT data FROM media_chunks WHERE media_id = ?1 ORDER BY offset")?;
    let mut bytes = Vec::new();
    let mut rows = stmt.query([&id])?;
    while let Some(row) = rows.next()? {
        bytes.extend_from_slice(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
    }
    Ok((content_type, bytes))
}

/// The SHA-256s of the photos a document shows (`media:<sha256>.<ext>` sources).
pub fn referenced(body: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in &body.content {
        if block.kind != "image" {
            continue;
        }
        let src = block
            .attrs
            .as_ref()
            .and_then(|a| a.get("src"))
            .and_then(|v| v.as_str())
            .unwrap_or("");
        if let Some(name) = src.strip_prefix("media:") {
            let sha = name.split('.').next().unwrap_or("").to_ascii_lowercase();
            if !out.contains(&sha) {
                out.push(sha);
            }
        }
    }
    out
}

/// Refuses to publish a document whose photos have not all finished uploading.
pub fn require_uploaded(tx: &Connection, body: &Document) -> Result<(), StoreError> {
    let mut missing = Vec::new();
    for sha in referenced(body) {
        let done: bool = super::query_cached(
            tx,
            "SELECT 1 FROM media WHERE sha256 = ?1 AND complete = 1 LIMIT 1",
            [&sha],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
        if !done {
            missing.push(sha);
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "{} photo(s) have not finished uploading ({}): publish once they have",
            missing.len(),
            missing.join(", ")
        )))
    }
}
