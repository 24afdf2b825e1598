//! The one error shape that crosses IPC: `{code, message}`. The UI switches on `code`.

use barta_model::ErrorCode;
use barta_store::StoreError;
use barta_sync::{ClientError, SyncError};
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    /// Every variant named: a new one must be given its code here, not fall into a wildcard.
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::ArticleNotFound(_)
            | StoreError::CommentNotFound(_)
            | StoreError::RevisionNotFound(_) => ErrorCode::NotFound,
            StoreError::InvalidDocument(_)
            | StoreError::MissingDesk
            | StoreError::EmptyComment
            | StoreError::InvalidAction(_)
            | StoreError::BlockNotFound { .. }
            | StoreError::RevisionOfOtherArticle { .. }
            | StoreError::Ninjs(_)
            | StoreError::BadArchive { .. } => ErrorCode::Invalid,
            // The editor then sends the whole document.
            StoreError::StaleWorkingCopy(_) => ErrorCode::Conflict,
            StoreError::NewerSchema { .. }
            | StoreError::Sqlite(_)
            | StoreError::Corrupt(_)
            | StoreError::NotADatabase
            | StoreError::WrongKey
            | StoreError::ForeignDatabase(_)
            | StoreError::Locked
            | StoreError::DiskFull
            | StoreError::Io { .. } => ErrorCode::Storage,
        };
        Self::new(code, e.to_string())
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Client(c) => c.into(),
            SyncError::Store(s) => s.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_revision_is_not_found_like_a_missing_comment() {
        let revision = AppError::from(StoreError::RevisionNotFound(barta_model::RevisionId::new()));
        let comment = AppError::from(StoreError::CommentNotFound("c1".into()));
        assert_eq!(revision.code, ErrorCode::NotFound);
        assert_eq!(comment.code, ErrorCode::NotFound);
        assert_eq!(
            AppError::from(StoreError::DiskFull).code,
            ErrorCode::Storage
        );
    }
}
