//! Images in articles, kept on this device: a picture added from disk or pasted is checked to
//! be an image, size-limited, stored once under its SHA-256 in the data directory's `media/`
//! folder, and named in the document as `media:<sha256>.<ext>`. Files are written atomically
//! (temporary file, then rename); nothing is ever overwritten.

use crate::error::AppError;
use barta_model::ErrorCode;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of image accepted, by their first bytes.
fn kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(("jpg", "image/jpeg")),
        [0x89, b'P', b'N', b'G', ..] => Some(("png", "image/png")),
        [b'G', b'I', b'F', b'8', ..] => Some(("gif", "image/gif")),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(("webp", "image/webp")),
        _ => None,
    }
}

fn mime_of(ext: &str) -> Option<&'static str> {
    match ext {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// An image stored here that the server does not have yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingUpload {
    pub sha256: String,
    pub content_type: &'static str,
    pub path: PathBuf,
}

fn marker(media_dir: &Path, sha256: &str) -> PathBuf {
    media_dir.join(format!("{sha256}.uploaded"))
}

/// The stored images not yet uploaded (no `<sha256>.uploaded` marker), in name order.
pub fn pending_uploads(media_dir: &Path) -> Vec<PendingUpload> {
    let Ok(entries) = std::fs::read_dir(media_dir) else {
        return Vec::new();
    };
    let mut out: Vec<PendingUpload> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let (sha, ext) = name.split_once('.')?;
            let is_sha = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
            let content_type = mime_of(ext)?;
            (is_sha && !marker(media_dir, sha).exists()).then(|| PendingUpload {
                sha256: sha.to_string(),
                content_type,
                path: e.path(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    out
}

/// Notes that the server has this image (a marker file beside it).
pub fn mark_uploaded(media_dir: &Path, sha256: &str) -> std::io::Result<()> {
    std::fs::write(marker(media_dir, sha256), b"")
}

/// Stores an image; returns its `media:` source.
pub fn store_image(media_dir: &Path, bytes: &[u8]) -> Result<String, AppError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(AppError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the image is {:.1} MB; at most {} MB is accepted",
                bytes.len() as f64 / 1_048_576.0,
                MAX_IMAGE_BYTES / 1_048_576
            ),
        ));
    }
    let Some((ext, _)) = kind(bytes) else {
        return Err(AppError::new(
            ErrorCode::Invalid,
            "this file is not a JPEG, PNG, GIF or WebP image",
        ));
    };
    let name = format!("{}.{ext}", hex::encode(Sha256::digest(bytes)));
    let storage =
        |e: std::io::Error| AppError::new(ErrorCode::Storage, format!("saving the image: {e}"));
    std::fs::create_dir_all(media_dir).map_err(storage)?;
    let path = media_dir.join(&name);
    if !path.exists() {
        // On disk before the document names it: the typing save that follows is durable a
        // couple of seconds later, and must never point at a photo a power cut took.
        let tmp = media_dir.join(format!(".{name}.tmp"));
        let mut file = std::fs::File::create(&tmp).map_err(storage)?;
        std::io::Write::write_all(&mut file, bytes).map_err(storage)?;
        file.sync_all().map_err(storage)?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(storage)?;
        sync_dir(media_dir).map_err(storage)?;
    }
    Ok(format!("media:{name}"))
}

/// Syncs a directory's entries (a rename in it) to disk; nothing to do where directories cannot
/// be opened (Windows, where the rename is journaled by NTFS).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    if cfg!(unix) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The file behind a `media:` source, refusing anything but a stored image's name.
fn path_of(media_dir: &Path, src: &str) -> Result<(PathBuf, &'static str), AppError> {
    let bad = || {
        AppError::new(
            ErrorCode::BadRequest,
            format!("{src:?} is not a stored image"),
        )
    };
    let name = src.strip_prefix("media:").ok_or_else(bad)?;
    let (hash, ext) = name.split_once('.').ok_or_else(bad)?;
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(bad());
    }
    let mime = mime_of(ext).ok_or_else(bad)?;
    Ok((media_dir.join(name), mime))
}

/// A stored image as a `data:` URL for the editor (the CSP allows `data:` images only).
pub fn data_url(media_dir: &Path, src: &str) -> Result<String, AppError> {
    let (path, mime) = path_of(media_dir, src)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        AppError::new(
            ErrorCode::NotFound,
            format!("the image {src} is not on this computer: {e}"),
        )
    })?;
    Ok(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    #[test]
    fn an_image_is_stored_once_under_its_hash_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let src = store_image(dir.path(), PNG).unwrap();
        assert_eq!(
            src,
            format!("media:{}.png", hex::encode(Sha256::digest(PNG)))
        );
        assert_eq!(
            store_image(dir.path(), PNG).unwrap(),
            src,
            "the same bytes, the same name"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let url = data_url(dir.path(), &src).unwrap();
        assert!(url.starts_with("data:image/png;base64,iVBORw0K"), "{url}");
    }

    #[test]
    fn non_images_and_huge_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let err = store_image(dir.path(), b"%PDF-1.7 not an image").unwrap_err();
        assert_eq!(err.code, ErrorCode::Invalid);
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_IMAGE_BYTES + 1, 0);
        let err = store_image(dir.path(), &huge).unwrap_err();
        assert_eq!(err.code, ErrorCode::PayloadTooLarge);
        assert!(err.message.contains("at most 20 MB"), "{}", err.message);
        assert_eq!(
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0,
            "nothing written"
        );
    }

    #[test]
    fn only_stored_image_names_are_read() {
        let dir = tempfile::tempdir().unwrap();
        for src in [
            "media:../../etc/passwd",
            "file:///etc/passwd",
            "media:abc.png",
            &format!("media:{}.exe", "a".repeat(64)),
        ] {
            assert_eq!(
                data_url(dir.path(), src).unwrap_err().code,
                ErrorCode::BadRequest,
                "{src}"
            );
        }
    }

    #[test]
    fn stored_images_wait_for_upload_until_marked() {
        let dir = tempfile::tempdir().unwrap();
        let png = [0x89, b'P', b'N', b'G', 1, 2, 3];
        let src = store_image(dir.path(), &png).unwrap();
        let sha = src
            .trim_start_matches("media:")
            .trim_end_matches(".png")
            .to_string();
        std::fs::write(dir.path().join("notes.txt"), b"not an image").unwrap();
        let pending = pending_uploads(dir.path());
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].sha256, sha);
        assert_eq!(pending[0].content_type, "image/png");
        mark_uploaded(dir.path(), &sha).unwrap();
        assert!(pending_uploads(dir.path()).is_empty());
    }
}
