//! Photo uploads (a subset of tus 1.0), written once over [`Tx`]: what an upload may declare
//! (its SHA-256, a size of 1 to [`MAX_MEDIA_BYTES`], an accepted image type, the uploader's
//! quota); a second start of the same file answers the upload already started; chunks are
//! appended at the upload's offset, each in its own transaction, so a cut connection keeps
//! what arrived and the client resumes from the offset; the last chunk checks the declared
//! SHA-256 (a mismatch empties the upload). And who may see a finished photo: anyone while a
//! live publication shows it, its uploader, and whoever may read an article that shows it
//! (the delivery worker reads the bytes of any).

use super::{ArticleRow, NewUpload, Tx, now};
use crate::policy;
use crate::store::{Audience, MediaFile, MediaStatus, NewMedia, StoreError};
use barta_model::api::UserInfo;
use sha2::{Digest, Sha256};

/// The largest file accepted (the app refuses bigger images before they get here).
pub const MAX_MEDIA_BYTES: u64 = 20 * 1024 * 1024;

/// The image types accepted.
pub const MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];

/// The caller's upload `id` (another user's is not found: uploads are private until done);
/// with `lock`, its row is locked until the transaction ends (see [`Tx::upload`]).
fn owned(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: &str,
    lock: bool,
) -> Result<MediaStatus, StoreError> {
    tx.upload(id, actor.id, lock)?
        .ok_or_else(|| StoreError::NotFound(format!("upload {id:?}")))
}

/// Starts an upload of the actor's, or answers the one of the same file already started.
pub fn create_media(
    tx: &mut impl Tx,
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
    // Two uploads of one user started at once (through two instances) check the quota in
    // turn.
    tx.lock_uploader(actor.id)?;
    if let Some(existing) = tx.upload_of_file(actor.id, &sha)? {
        if existing.length != media.length {
            return Err(StoreError::Conflict(format!(
                "an upload of this file exists with length {}",
                existing.length
            )));
        }
        return Ok(existing);
    }
    let held = tx.upload_bytes_held(actor.id)?;
    if held + media.length > media.quota_bytes {
        return Err(StoreError::QuotaExceeded(format!(
            "this upload would take your photos on the server to {} MB, over your quota of {} MB",
            (held + media.length).div_ceil(1 << 20),
            media.quota_bytes >> 20
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    tx.insert_upload(&NewUpload {
        id: &id,
        sha256: &sha,
        length: media.length,
        content_type: &media.content_type,
        owner: actor.id,
        created_at: &now(),
    })?;
    owned(tx, actor, &id, false)
}

/// Where the caller's upload stands (a read: nothing is locked).
pub fn media_status(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: &str,
) -> Result<MediaStatus, StoreError> {
    owned(tx, actor, id, false)
}

/// Appends a chunk at the upload's offset; the last one checks the declared SHA-256.
pub fn append_media(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: &str,
    offset: u64,
    chunk: &[u8],
) -> Result<MediaStatus, StoreError> {
    // Locked: two chunks sent to one upload through two instances are appended in turn.
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
    let received = offset + chunk.len() as u64;
    tx.append_chunk(id, offset, chunk, received)?;
    if received == upload.length {
        let mut hasher = Sha256::new();
        tx.read_chunks(id, &mut |data| hasher.update(data))?;
        if hex::encode(hasher.finalize()) != upload.sha256 {
            // Start again: the bytes are not the file that was declared.
            tx.reset_upload(id)?;
            return Err(StoreError::HashMismatch(format!(
                "the uploaded bytes do not hash to {}: upload them again from offset 0",
                upload.sha256
            )));
        }
        tx.complete_upload(id)?;
    }
    owned(tx, actor, id, false)
}

/// The photo as `viewer` may see it at `now` (see `Store::media_file`). A read: nothing is
/// locked.
pub fn media_file(
    tx: &mut impl Tx,
    viewer: Option<&UserInfo>,
    sha256: &str,
    now: &str,
) -> Result<MediaFile, StoreError> {
    let sha = sha256.to_ascii_lowercase();
    let not_found = || StoreError::NotFound(format!("media {sha:?}"));
    let upload = tx.complete_upload_of(&sha)?.ok_or_else(not_found)?;
    let audience = if tx.media_shown_publicly(&sha, now)? {
        Audience::Public
    } else if let Some(viewer) = viewer
        && shown_to(tx, viewer, &sha)?
    {
        Audience::Reader
    } else {
        return Err(not_found());
    };
    Ok(MediaFile {
        upload_id: upload.id,
        content_type: upload.content_type,
        length: upload.length,
        audience,
    })
}

/// The bytes and content type of a completely uploaded file, whoever asks (see
/// `Store::media_bytes`).
pub fn media_bytes(tx: &mut impl Tx, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
    let sha = sha256.to_ascii_lowercase();
    let upload = tx
        .complete_upload_of(&sha)?
        .ok_or_else(|| StoreError::NotFound(format!("media {sha:?}")))?;
    let mut bytes = Vec::new();
    tx.read_chunks(&upload.id, &mut |data| bytes.extend_from_slice(data))?;
    Ok((upload.content_type, bytes))
}

/// Whether `viewer` uploaded the photo or may read an article that shows it.
fn shown_to(tx: &mut impl Tx, viewer: &UserInfo, sha256: &str) -> Result<bool, StoreError> {
    if tx.upload_of_file(viewer.id, sha256)?.is_some() {
        return Ok(true);
    }
    let shown_in: Vec<ArticleRow> = tx.articles_showing(sha256)?;
    Ok(shown_in
        .iter()
        .any(|article| policy::may_read(viewer, article.facts()).is_ok()))
}
