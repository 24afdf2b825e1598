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
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::ArticleNotFound(_) => ErrorCode::NotFound,
            StoreError::InvalidDocument(_)
            | StoreError::MissingDesk
            | StoreError::EmptyComment
            | StoreError::InvalidAction(_)
            | StoreError::BlockNotFound { .. } => ErrorCode::Invalid,
            StoreError::CommentNotFound(_) => ErrorCode::NotFound,
            // The editor then sends the whole document.
            StoreError::StaleWorkingCopy(_) => ErrorCode::Conflict,
            _ => ErrorCode::Storage,
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
