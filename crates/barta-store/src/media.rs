//! Photos kept on this device: an image added to an article is checked to be an image by its
//! first bytes, size-limited, stored once under its SHA-256 in the media directory, and named in
//! the document as `media:<sha256>.<ext>`. Files are written atomically (temporary file, fsync,
//! rename, fsync of the directory); nothing is ever overwritten. A photo the server has gets an
//! empty `<sha256>.uploaded` marker beside it; the others wait for the sync round to send them.
//!
//! In the app each user's photos are encrypted ([`MediaStore::encrypted`]): the file holds a
//! marker, a random nonce and the photo sealed with XChaCha20-Poly1305 under the store's data
//! key, bound to its name, so a copy of the disk shows neither the picture nor its bytes, and
//! a file renamed over another is refused. Who may read them: the user who unlocks the store.

use crate::vault::DataKey;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The first bytes of an encrypted photo file (then a 24-byte nonce and the sealed photo).
const SEALED_MARK: &[u8; 8] = b"BARTA\x00E1";

/// The largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// Why a photo was not stored or cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error(
        "the image is {:.1} MB; at most {} MB is accepted",
        *.bytes as f64 / 1_048_576.0,
        MAX_IMAGE_BYTES / 1_048_576
    )]
    TooLarge { bytes: usize },
    #[error("this file is not a JPEG, PNG, GIF or WebP image")]
    NotAnImage,
    #[error("saving the image: {0}")]
    Write(#[source] std::io::Error),
    #[error("{0:?} is not a stored image")]
    NotAStoredImage(String),
    #[error("the image {0} is damaged or was not sealed with this store's key")]
    Unreadable(String),
    #[error("the image {src} is not on this computer: {source}")]
    Missing {
        src: String,
        #[source]
        source: std::io::Error,
    },
}

/// The kinds of image accepted, by their first bytes: (extension, media type).
fn image_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
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

/// The media type of a stored file's extension.
fn media_type_of(ext: &str) -> Option<&'static str> {
    match ext {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A photo stored here that the server does not have yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingUpload {
    /// Lowercase hex SHA-256 of the file (the name the document uses).
    pub sha256: String,
    pub content_type: &'static str,
    pub path: PathBuf,
}

/// The device's photo directory (the data directory's `media/`).
#[derive(Clone, Debug)]
pub struct MediaStore {
    dir: PathBuf,
    /// Seals the files when set (the app's per-user stores).
    key: Option<DataKey>,
}

impl MediaStore {
    /// The photos kept in `dir` as plain files (made on the first photo stored).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            key: None,
        }
    }

    /// The photos kept in `dir`, each file sealed with `key` (the store's data key).
    pub fn encrypted(dir: impl Into<PathBuf>, key: DataKey) -> Self {
        Self {
            dir: dir.into(),
            key: Some(key),
        }
    }

    /// A file's bytes as written to disk: sealed under the key, bound to the file's name.
    fn seal(&self, name: &str, bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
        let Some(key) = &self.key else {
            return Ok(bytes.to_vec());
        };
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = XChaCha20Poly1305::new(key.bytes().into())
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: bytes,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| MediaError::Unreadable(name.to_string()))?;
        let mut out = Vec::with_capacity(SEALED_MARK.len() + nonce.len() + sealed.len());
        out.extend_from_slice(SEALED_MARK);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// A file's photo from its bytes on disk (opened with the key when the store has one).
    fn open_sealed(&self, name: &str, file: Vec<u8>) -> Result<Vec<u8>, MediaError> {
        let Some(key) = &self.key else {
            return Ok(file);
        };
        let unreadable = || MediaError::Unreadable(name.to_string());
        let rest = file.strip_prefix(SEALED_MARK).ok_or_else(unreadable)?;
        if rest.len() < 24 {
            return Err(unreadable());
        }
        let (nonce, sealed) = rest.split_at(24);
        XChaCha20Poly1305::new(key.bytes().into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| unreadable())
    }

    /// The photo a pending upload names, opened (for the sync round to send).
    pub fn read_pending(&self, photo: &PendingUpload) -> Result<Vec<u8>, MediaError> {
        let name = photo
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let file = std::fs::read(&photo.path).map_err(|source| MediaError::Missing {
            src: format!("media:{name}"),
            source,
        })?;
        self.open_sealed(&name, file)
    }

    /// Moves the photos of a plain media directory `from` into this one (sealed when this
    /// store has a key), upload markers included, then wipes and removes the plain files.
    /// Returns how many photos were moved. A file already here is kept as it is.
    pub fn take_plain_photos(&self, from: &Path) -> Result<usize, MediaError> {
        let Ok(entries) = std::fs::read_dir(from) else {
            return Ok(0);
        };
        let mut moved = 0;
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Some((sha, ext)) = name.split_once('.') else {
                continue;
            };
            if !is_sha256_hex(sha) {
                continue;
            }
            if ext == "uploaded" {
                self.mark_uploaded(sha).map_err(MediaError::Write)?;
            } else if media_type_of(ext).is_some() {
                let bytes = std::fs::read(entry.path()).map_err(MediaError::Write)?;
                if !self.dir.join(&name).exists() {
                    self.write_file(&name, &bytes)?;
                }
                moved += 1;
            }
        }
        for entry in std::fs::read_dir(from)
            .map_err(MediaError::Write)?
            .flatten()
        {
            crate::laptop::wipe_file(&entry.path()).map_err(MediaError::Write)?;
        }
        let _ = std::fs::remove_dir(from);
        Ok(moved)
    }

    /// The directory the photos are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn upload_marker(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.uploaded"))
    }

    /// Stores a photo a user added: checked, encoded again without its metadata
    /// ([`crate::photo::without_metadata`]), then stored as [`Self::store_image`] does.
    pub fn store_photo(&self, bytes: &[u8]) -> Result<String, MediaError> {
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(MediaError::TooLarge { bytes: bytes.len() });
        }
        image_kind(bytes).ok_or(MediaError::NotAnImage)?;
        let clean = crate::photo::without_metadata(bytes)?;
        self.store_image(&clean)
    }

    /// Stores an image's bytes as they are (once per content); returns its `media:` source.
    /// For bytes already clean: a photo a user adds goes through [`Self::store_photo`].
    pub fn store_image(&self, bytes: &[u8]) -> Result<String, MediaError> {
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(MediaError::TooLarge { bytes: bytes.len() });
        }
        let (ext, _) = image_kind(bytes).ok_or(MediaError::NotAnImage)?;
        let name = format!("{}.{ext}", hex::encode(Sha256::digest(bytes)));
        if !self.dir.join(&name).exists() {
            self.write_file(&name, bytes)?;
        }
        Ok(format!("media:{name}"))
    }

    /// Writes a photo's file whole or not at all. On disk before the document names it: the
    /// typing save that follows is durable a couple of seconds later, and must never point at
    /// a photo a power cut took.
    fn write_file(&self, name: &str, bytes: &[u8]) -> Result<(), MediaError> {
        let contents = self.seal(name, bytes)?;
        std::fs::create_dir_all(&self.dir).map_err(MediaError::Write)?;
        let path = self.dir.join(name);
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            std::io::Write::write_all(&mut file, &contents)?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&tmp, &path)?;
            sync_dir(&self.dir)
        };
        write().map_err(MediaError::Write)
    }

    /// A stored image's bytes and media type, refusing anything but a stored image's name.
    pub fn read_image(&self, src: &str) -> Result<(Vec<u8>, &'static str), MediaError> {
        let bad = || MediaError::NotAStoredImage(src.to_string());
        let name = src.strip_prefix("media:").ok_or_else(bad)?;
        let (hash, ext) = name.split_once('.').ok_or_else(bad)?;
        if !is_sha256_hex(hash) || hash.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad());
        }
        let media_type = media_type_of(ext).ok_or_else(bad)?;
        let file = std::fs::read(self.dir.join(name)).map_err(|source| MediaError::Missing {
            src: src.to_string(),
            source,
        })?;
        Ok((self.open_sealed(name, file)?, media_type))
    }

    /// The stored images not yet uploaded (no `<sha256>.uploaded` marker), in name order.
    pub fn pending_uploads(&self) -> Vec<PendingUpload> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<PendingUpload> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let (sha, ext) = name.split_once('.')?;
                let content_type = media_type_of(ext)?;
                (is_sha256_hex(sha) && !self.upload_marker(sha).exists()).then(|| PendingUpload {
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
    pub fn mark_uploaded(&self, sha256: &str) -> std::io::Result<()> {
        std::fs::write(self.upload_marker(sha256), b"")
    }
}

/// Syncs a directory's entries (a rename in it) to disk; nothing to do where directories cannot
/// be opened (Windows, where the rename is journaled by NTFS).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    if cfg!(unix) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    #[test]
    fn a_sealed_photo_is_unreadable_on_disk_and_opens_only_with_its_key_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random();
        let media = MediaStore::encrypted(dir.path(), key.clone());
        let src = media.store_image(PNG).unwrap();
        let name = src.strip_prefix("media:").unwrap();
        let raw = std::fs::read(dir.path().join(name)).unwrap();
        assert!(raw.starts_with(SEALED_MARK));
        assert!(
            !raw.windows(4).any(|w| w == b"\x89PNG"),
            "no image header on disk"
        );
        assert_eq!(media.read_image(&src).unwrap().0, PNG);
        let pending = media.pending_uploads();
        assert_eq!(media.read_pending(&pending[0]).unwrap(), PNG);
        // Another key, or the file under another name, opens nothing.
        let other = MediaStore::encrypted(dir.path(), DataKey::random());
        assert!(matches!(
            other.read_image(&src),
            Err(MediaError::Unreadable(_))
        ));
        let gif = format!("{}.gif", &name[..64]);
        std::fs::copy(dir.path().join(name), dir.path().join(&gif)).unwrap();
        assert!(matches!(
            media.read_image(&format!("media:{gif}")),
            Err(MediaError::Unreadable(_))
        ));
    }

    #[test]
    fn plain_photos_move_into_a_sealed_store_and_the_plain_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let plain = MediaStore::new(dir.path().join("old"));
        let src = plain.store_image(PNG).unwrap();
        plain.mark_uploaded(&src[6..70]).unwrap();
        let sealed = MediaStore::encrypted(dir.path().join("new"), DataKey::random());
        assert_eq!(sealed.take_plain_photos(plain.dir()).unwrap(), 1);
        assert!(!plain.dir().exists(), "the plain directory is gone");
        assert_eq!(sealed.read_image(&src).unwrap().0, PNG);
        assert!(
            sealed.pending_uploads().is_empty(),
            "the upload marker came along"
        );
    }

    #[test]
    fn an_image_is_stored_once_under_its_hash_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path());
        let src = media.store_image(PNG).unwrap();
        assert_eq!(
            src,
            format!("media:{}.png", hex::encode(Sha256::digest(PNG)))
        );
        assert_eq!(
            media.store_image(PNG).unwrap(),
            src,
            "the same bytes, the same name"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(media.read_image(&src).unwrap(), (PNG.to_vec(), "image/png"));
    }

    #[test]
    fn non_images_and_huge_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path());
        let err = media.store_image(b"%PDF-1.7 not an image").unwrap_err();
        assert!(matches!(err, MediaError::NotAnImage), "{err}");
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_IMAGE_BYTES + 1, 0);
        let err = media.store_image(&huge).unwrap_err();
        assert!(matches!(err, MediaError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("at most 20 MB"), "{err}");
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
        let media = MediaStore::new(dir.path());
        for src in [
            "media:../../etc/passwd",
            "file:///etc/passwd",
            "media:abc.png",
            &format!("media:{}.exe", "a".repeat(64)),
            &format!("media:{}.png", "A".repeat(64)),
        ] {
            assert!(
                matches!(media.read_image(src), Err(MediaError::NotAStoredImage(_))),
                "{src}"
            );
        }
        let absent = format!("media:{}.png", "a".repeat(64));
        assert!(matches!(
            media.read_image(&absent),
            Err(MediaError::Missing { .. })
        ));
    }

    #[test]
    fn stored_images_wait_for_upload_until_marked() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path());
        let png = [0x89, b'P', b'N', b'G', 1, 2, 3];
        let src = media.store_image(&png).unwrap();
        let sha = src
            .trim_start_matches("media:")
            .trim_end_matches(".png")
            .to_string();
        std::fs::write(dir.path().join("notes.txt"), b"not an image").unwrap();
        let pending = media.pending_uploads();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].sha256, sha);
        assert_eq!(pending[0].content_type, "image/png");
        assert_eq!(pending[0].path, dir.path().join(format!("{sha}.png")));
        media.mark_uploaded(&sha).unwrap();
        assert!(media.pending_uploads().is_empty());
        assert!(dir.path().join(format!("{sha}.uploaded")).exists());
    }

    #[test]
    fn a_missing_directory_has_nothing_pending() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path().join("not-yet"));
        assert!(media.pending_uploads().is_empty());
    }
}
