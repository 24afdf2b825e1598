//! Media uploads on the SQLite store (a subset of tus 1.0): chunks appended at the upload's
//! offset, each in its own transaction, so a cut connection keeps what arrived and the client
//! resumes from the offset; the last chunk checks the declared SHA-256. Also the check that
//! keeps an article whose photos have not finished uploading from being published, the
//! per-user quota, and who may see a photo: the articles and publications that show one are
//! linked to it (`article_media`, `publication_media`) when they are stored.

use super::now;
use crate::store::{Audience, MediaFile, MediaStatus, NewMedia, StoreError};
use barta_model::ArticleId;
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
    let held: i64 = super::query_cached(
        tx,
        "SELECT COALESCE(SUM(length), 0) FROM media WHERE owner_id = ?1",
        [actor.id.to_string()],
        |r| r.get(0),
    )?;
    if held as u64 + media.length > media.quota_bytes {
        return Err(StoreError::QuotaExceeded(format!(
            "this upload would take your photos on the server to {} MB, over your quota of {} MB",
            (held as u64 + media.length).div_ceil(1 << 20),
            media.quota_bytes >> 20
        )));
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

/// Any complete upload of `sha256`: (upload id, content type, length).
fn complete_upload(
    tx: &Connection,
    sha256: &str,
) -> Result<Option<(String, String, u64)>, StoreError> {
    Ok(super::query_cached(
        tx,
        "SELECT id, content_type, length FROM media WHERE sha256 = ?1 AND complete = 1 LIMIT 1",
        [sha256],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)),
    )
    .optional()?)
}

/// Whether a publication live at `now` shows the photo (published, not replaced by a live
/// correction, the article neither unpublished nor killed).
fn shown_publicly(tx: &Connection, sha256: &str, now: &str) -> Result<bool, StoreError> {
    Ok(super::query_cached(
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

/// Whether `viewer` uploaded the photo or may read an article that shows it.
fn shown_to(tx: &Connection, viewer: &UserInfo, sha256: &str) -> Result<bool, StoreError> {
    let own = super::query_cached(
        tx,
        "SELECT 1 FROM media WHERE sha256 = ?1 AND owner_id = ?2",
        params![sha256, viewer.id.to_string()],
        |_| Ok(()),
    )
    .optional()?
    .is_some();
    if own {
        return Ok(true);
    }
    let mut statement =
        tx.prepare_cached("SELECT article_id FROM article_media WHERE sha256 = ?1")?;
    let articles = statement
        .query_map([sha256], |r| super::parsed::<ArticleId>(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in articles {
        if let Some(article) = super::load_article(tx, id)?
            && crate::policy::may_read(viewer, article.facts()).is_ok()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The photo as `viewer` may see it (see `Store::media_file`).
pub fn visible(
    tx: &Connection,
    viewer: Option<&UserInfo>,
    sha256: &str,
    now: &str,
) -> Result<MediaFile, StoreError> {
    let sha = sha256.to_ascii_lowercase();
    let not_found = || StoreError::NotFound(format!("media {sha:?}"));
    let (upload_id, content_type, length) = complete_upload(tx, &sha)?.ok_or_else(not_found)?;
    let audience = if shown_publicly(tx, &sha, now)? {
        Audience::Public
    } else if let Some(viewer) = viewer
        && shown_to(tx, viewer, &sha)?
    {
        Audience::Reader
    } else {
        return Err(not_found());
    };
    Ok(MediaFile {
        upload_id,
        content_type,
        length,
        audience,
    })
}

/// The chunk of `upload_id` at or after `offset`.
pub fn chunk(
    tx: &Connection,
    upload_id: &str,
    offset: u64,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    Ok(super::query_cached(
        tx,
        "SELECT offset, data FROM media_chunks WHERE media_id = ?1 AND offset >= ?2
          ORDER BY offset LIMIT 1",
        params![upload_id, offset as i64],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
    )
    .optional()?)
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
