//! The HTML page of a published item: the portal page of `barta-render` (the same renderer
//! the desk editor's app previews with), dated at the publication time.

use crate::store::Publication;

/// The whole HTML page of one publication.
pub fn render(publication: &Publication) -> String {
    let published_at = chrono::DateTime::parse_from_rfc3339(&publication.published_at)
        .map(|t| t.to_utc())
        .unwrap_or_else(|_| chrono::Utc::now());
    barta_render::page(&barta_render::Page {
        meta: &publication.meta,
        body: &publication.body,
        published_at,
        correction: publication.correction.as_deref(),
    })
}
