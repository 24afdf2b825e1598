//! Photos uploaded resumably on PostgreSQL, their chunks in the database (every instance sees
//! them: an upload started through one resumes through another): the SQL twin of
//! `store/sqlite/media.rs`.

use super::articles;
use super::rows::parsed;
use crate::store::rules::now;
use crate::store::sqlite::MAX_MEDIA_BYTES;
use crate::store::{Audience, MediaFile, MediaStatus, NewMedia, StoreError};
use barta_model::ArticleId;
use barta_model::api::UserInfo;
use postgres::{Row, Transaction};
use sha2::{Digest, Sha256};

/// The image types accepted: the same list as `MEDIA_TYPES` in `store/sqlite/media.rs`
/// (private there).
const MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];

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

/// The caller's upload `id` (another user's is not found: uploads are private until done);
/// with `lock`, its row is locked until the transaction ends, so two chunks sent to one
/// upload through two instances are appended one after the other.
fn owned(
    tx: &mut Transaction<'_>,
    actor: &UserInfo,
    id: &str,
    lock: bool,
) -> Result<MediaStatus, StoreError> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM media WHERE id = $1 AND owner_id = $2{lock}"),
        &[&id, &actor.id.to_string()],
    )?
    .map(|r| status_row(&r))
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("upload {id:?}")))
}

/// Starts an upload of the actor's, or answers the one of the same file already started.
pub fn create(
    tx: &mut Transaction<'_>,
    actor: &UserInfo,
    new: NewMedia,
) -> Result<MediaStatus, StoreError> {
    let sha = new.sha256.to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::Invalid(
            "sha256 must be 64 hexadecimal digits".into(),
        ));
    }
    if new.length == 0 || new.length > MAX_MEDIA_BYTES {
        return Err(StoreError::Invalid(format!(
            "a photo must have 1 to {MAX_MEDIA_BYTES} bytes"
        )));
    }
    if !MEDIA_TYPES.contains(&new.content_type.as_str()) {
        return Err(StoreError::Invalid(format!(
            "{:?} is not an accepted image type ({})",
            new.content_type,
            MEDIA_TYPES.join(", ")
        )));
    }
    let owner = actor.id.to_string();
    // SQLite has one writer; here the uploader's row is locked until commit so that two
    // uploads of one user started at once (through two instances) check the quota in turn.
    tx.execute(
        "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE",
        &[&owner],
    )?;
    if let Some(existing) = tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM media WHERE owner_id = $1 AND sha256 = $2"),
            &[&owner, &sha],
        )?
        .map(|r| status_row(&r))
        .transpose()?
    {
        if existing.length != new.length {
            return Err(StoreError::Conflict(format!(
                "an upload of this file exists with length {}",
                existing.length
            )));
        }
        return Ok(existing);
    }
    // SUM of a BIGINT is a NUMERIC in PostgreSQL: cast back.
    let held: i64 = tx
        .query_one(
            "SELECT COALESCE(SUM(length), 0)::BIGINT FROM media WHERE owner_id = $1",
            &[&owner],
        )?
        .try_get(0)?;
    if held as u64 + new.length > new.quota_bytes {
        return Err(StoreError::QuotaExceeded(format!(
            "this upload would take your photos on the server to {} MB, over your quota of {} MB",
            (held as u64 + new.length).div_ceil(1 << 20),
            new.quota_bytes >> 20
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO media (id, sha256, length, content_type, owner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &id,
            &sha,
            &(new.length as i64),
            &new.content_type,
            &owner,
            &now(),
        ],
    )?;
    owned(tx, actor, &id, false)
}

/// Where the caller's upload stands.
pub fn status(
    tx: &mut Transaction<'_>,
    actor: &UserInfo,
    id: &str,
) -> Result<MediaStatus, StoreError> {
    owned(tx, actor, id, false)
}

/// Appends a chunk at the upload's offset; the last one checks the declared SHA-256.
pub fn append(
    tx: &mut Transaction<'_>,
    actor: &UserInfo,
    id: &str,
    offset: u64,
    chunk: &[u8],
) -> Result<MediaStatus, StoreError> {
    let upload = owned(tx, actor, id, true)?;
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
    tx.execute(
        r#"INSERT INTO media_chunks (media_id, "offset", data) VALUES ($1, $2, $3)"#,
        &[&id, &(offset as i64), &chunk],
    )?;
    let received = offset + chunk.len() as u64;
    tx.execute(
        "UPDATE media SET received = $2 WHERE id = $1",
        &[&id, &(received as i64)],
    )?;
    if received == upload.length {
        let mut hasher = Sha256::new();
        for row in tx.query(
            r#"SELECT data FROM media_chunks WHERE media_id = $1 ORDER BY "offset""#,
            &[&id],
        )? {
            hasher.update(row.try_get::<_, &[u8]>(0)?);
        }
        if hex::encode(hasher.finalize()) != upload.sha256 {
            // Start again: the bytes are not the file that was declared.
            tx.execute("DELETE FROM media_chunks WHERE media_id = $1", &[&id])?;
            tx.execute("UPDATE media SET received = 0 WHERE id = $1", &[&id])?;
            return Err(StoreError::HashMismatch(format!(
                "the uploaded bytes do not hash to {}: upload them again from offset 0",
                upload.sha256
            )));
        }
        tx.execute("UPDATE media SET complete = 1 WHERE id = $1", &[&id])?;
    }
    owned(tx, actor, id, false)
}

/// Any complete upload of `sha256`: (upload id, content type, length).
fn complete_upload(
    tx: &mut Transaction<'_>,
    sha256: &str,
) -> Result<Option<(String, String, u64)>, StoreError> {
    tx.query_opt(
        "SELECT id, content_type, length FROM media WHERE sha256 = $1 AND complete = 1 LIMIT 1",
        &[&sha256],
    )?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<_, i64>(2)? as u64)))
    .transpose()
}

/// Whether a publication live at `now` shows the photo (published, not replaced by a live
/// correction, the article neither unpublished nor killed).
fn shown_publicly(tx: &mut Transaction<'_>, sha256: &str, now: &str) -> Result<bool, StoreError> {
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

/// Whether `viewer` uploaded the photo or may read an article that shows it.
fn shown_to(tx: &mut Transaction<'_>, viewer: &UserInfo, sha256: &str) -> Result<bool, StoreError> {
    let own = tx
        .query_opt(
            "SELECT 1 FROM media WHERE sha256 = $1 AND owner_id = $2",
            &[&sha256, &viewer.id.to_string()],
        )?
        .is_some();
    if own {
        return Ok(true);
    }
    let shown_in = tx
        .query(
            "SELECT article_id FROM article_media WHERE sha256 = $1",
            &[&sha256],
        )?
        .iter()
        .map(|r| parsed::<ArticleId>(r, 0))
        .collect::<Result<Vec<_>, _>>()?;
    for id in shown_in {
        if let Some(article) = articles::load_article(tx, id)?
            && crate::policy::may_read(viewer, article.facts()).is_ok()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The bytes and content type of a completely uploaded file, whoever asks.
pub fn file(tx: &mut Transaction<'_>, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
    let sha = sha256.to_ascii_lowercase();
    let row = tx
        .query_opt(
            "SELECT id, content_type FROM media WHERE sha256 = $1 AND complete = 1 LIMIT 1",
            &[&sha],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("media {sha:?}")))?;
    let (id, content_type): (String, String) = (row.try_get(0)?, row.try_get(1)?);
    let mut bytes = Vec::new();
    for row in tx.query(
        r#"SELECT data FROM media_chunks WHERE media_id = $1 ORDER BY "offset""#,
        &[&id],
    )? {
        bytes.extend_from_slice(row.try_get::<_, &[u8]>(0)?);
    }
    Ok((content_type, bytes))
}

/// The photo as `viewer` may see it (see `Store::media_file`).
pub fn visible(
    tx: &mut Transaction<'_>,
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
    tx: &mut Transaction<'_>,
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
