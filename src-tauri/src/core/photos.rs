//! Photos added to articles: stored once under their SHA-256 in the user's media folder,
//! sealed with the store's key (barta-store's `MediaStore`), shown to the page as data URLs; the sync round uploads
//! the ones the server lacks.

use super::App;
use crate::error::AppError;

impl App {
    /// Stores an image added to an article; returns its `media:` source.
    pub fn add_image(&self, bytes: &[u8]) -> Result<String, AppError> {
        crate::media::store_image(&self.media()?, bytes)
    }

    /// A stored image as a `data:` URL for the editor.
    pub fn image_data_url(&self, src: &str) -> Result<String, AppError> {
        crate::media::data_url(&self.media()?, src)
    }
}
