//! Images in articles for the WebView: the photo store itself is
//! [`barta_store::MediaStore`] (checked, size-limited, stored once under its SHA-256 in the
//! data directory's `media/` folder, named `media:<sha256>.<ext>` in the document); here its
//! answers become the app's errors, and a stored image becomes a `data:` URL for the editor.

use crate::error::AppError;
use barta_model::ErrorCode;
use barta_store::{MediaError, MediaStore};
use base64::Engine;

impl From<MediaError> for AppError {
    fn from(e: MediaError) -> Self {
        let code = match &e {
            MediaError::TooLarge { .. } => ErrorCode::PayloadTooLarge,
            MediaError::NotAnImage => ErrorCode::Invalid,
            MediaError::Write(_) | MediaError::Unreadable(_) => ErrorCode::Storage,
            MediaError::NotAStoredImage(_) => ErrorCode::BadRequest,
            MediaError::Missing { .. } => ErrorCode::NotFound,
        };
        AppError::new(code, e.to_string())
    }
}

/// Stores a photo the user added, without its metadata (GPS, camera serial); returns its
/// `media:` source.
pub fn store_image(media: &MediaStore, bytes: &[u8]) -> Result<String, AppError> {
    Ok(media.store_photo(bytes)?)
}

/// A stored image as a `data:` URL for the editor (the CSP allows `data:` images only).
pub fn data_url(media: &MediaStore, src: &str) -> Result<String, AppError> {
    let (bytes, media_type) = media.read_image(src)?;
    Ok(format!(
        "data:{media_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// An 8×8 PNG, as hex (for tests).
#[cfg(test)]
pub(crate) const TEST_PNG: &str = "89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000001149444154789c633821278715310c2d090090bf4101b29f3e220000000049454e44ae426082";

#[cfg(test)]
mod tests {
    use super::*;
    const PNG: &str = TEST_PNG;
    use barta_store::MAX_IMAGE_BYTES;

    #[test]
    fn a_stored_image_is_shown_as_a_data_url() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path());
        let src = store_image(&media, &hex::decode(PNG).unwrap()).unwrap();
        let url = data_url(&media, &src).unwrap();
        assert!(url.starts_with("data:image/png;base64,iVBORw0K"), "{url}");
    }

    #[test]
    fn refusals_keep_their_codes_and_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::new(dir.path());
        let err = store_image(&media, b"%PDF-1.7 not an image").unwrap_err();
        assert_eq!(err.code, ErrorCode::Invalid);
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_IMAGE_BYTES + 1, 0);
        let err = store_image(&media, &huge).unwrap_err();
        assert_eq!(err.code, ErrorCode::PayloadTooLarge);
        assert!(err.message.contains("at most 20 MB"), "{}", err.message);
        for src in [
            "media:../../etc/passwd",
            "file:///etc/passwd",
            "media:abc.png",
        ] {
            assert_eq!(
                data_url(&media, src).unwrap_err().code,
                ErrorCode::BadRequest,
                "{src}"
            );
        }
        let absent = format!("media:{}.png", "a".repeat(64));
        assert_eq!(
            data_url(&media, &absent).unwrap_err().code,
            ErrorCode::NotFound
        );
    }
}
