//! IPTC ninjs 2.x import and export of one article (language `bn`).

/// Why a ninjs file was refused.
#[derive(Debug, thiserror::Error)]
pub enum NinjsError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}
