//! The one place where failures become HTTP answers: every error leaves the server as
//! `{"error": {"code", "message"}}` with a stable `barta_model::ErrorCode` and its status.

use crate::auth::AuthError;
use crate::push::PushError;
use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use barta_model::api::ErrorBody;
use barta_model::{DocumentError, ErrorCode};

/// An error answer: status, machine code, human message.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// Seconds for a `Retry-After` header (429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error answer with the given status and code.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 bad_request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 422 invalid.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Invalid,
            message,
        )
    }

    /// 404 not_found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// 401 unauthorized.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    /// 500 internal: a bug or a broken store. The detail goes to the log, not to the client.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal server error",
        )
    }

    /// Maps a rejection of one of axum's extractors (by its status) to our form, keeping its
    /// explanation. Bad input never becomes a 5xx here.
    pub fn from_rejection(status: StatusCode, text: String) -> Self {
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::Invalid,
            s if s.is_server_error() => return Self::internal(&text),
            _ => ErrorCode::BadRequest,
        };
        Self::new(status, code, text)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(ErrorBody::new(self.code, self.message))).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// How long a client waits before trying again when the database is unavailable.
const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        use StatusCode as S;
        let (status, code) = match &e {
            StoreError::NotFound(_) => (S::NOT_FOUND, ErrorCode::NotFound),
            StoreError::Forbidden(_) => (S::FORBIDDEN, ErrorCode::Forbidden),
            StoreError::Conflict(_) | StoreError::AlreadyExists(_) => {
                (S::CONFLICT, ErrorCode::Conflict)
            }
            StoreError::Invalid(_) => (S::UNPROCESSABLE_ENTITY, ErrorCode::Invalid),
            StoreError::QuotaExceeded(_) => (S::PAYLOAD_TOO_LARGE, ErrorCode::QuotaExceeded),
            StoreError::HashMismatch(_) => (S::UNPROCESSABLE_ENTITY, ErrorCode::HashMismatch),
            StoreError::IdempotencyMismatch(_) => {
                (S::UNPROCESSABLE_ENTITY, ErrorCode::IdempotencyMismatch)
            }
            StoreError::UnresolvedConflict(_) => {
                (S::UNPROCESSABLE_ENTITY, ErrorCode::UnresolvedConflict)
            }
            StoreError::Unavailable(_) | StoreError::Raced(_) => {
                tracing::warn!(error = %e, "the database is unavailable: answered 503");
                let mut error = Self::new(
                    S::SERVICE_UNAVAILABLE,
                    ErrorCode::Unavailable,
                    "the server's database is unavailable now: try again shortly",
                );
                error.retry_after = Some(UNAVAILABLE_RETRY_AFTER_SECS);
                return error;
            }
            StoreError::SchemaTooNew { .. }
            | StoreError::Database(_)
            | StoreError::Corrupt(_)
            | StoreError::Io(_) => return Self::internal(&e),
        };
        Self::new(status, code, e.to_string())
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Store(e) => e.into(),
            AuthError::Hash(_) => Self::internal(&e),
            AuthError::WrongCredentials | AuthError::MissingToken | AuthError::BadToken => {
                Self::unauthorized(e.to_string())
            }
            AuthError::Disabled => Self::new(
                StatusCode::FORBIDDEN,
                ErrorCode::AccountDisabled,
                e.to_string(),
            ),
            AuthError::Throttled { retry_after } => {
                let mut error = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::TooManyRequests,
                    e.to_string(),
                );
                error.retry_after = Some(retry_after.as_secs().max(1));
                error
            }
        }
    }
}

impl From<PushError> for ApiError {
    fn from(e: PushError) -> Self {
        let code = match &e {
            PushError::HashMismatch { .. } => ErrorCode::HashMismatch,
            // A missing or malformed header; a well-formed one that contradicts the body is 422.
            PushError::Header(_) => return Self::bad_request(e.to_string()),
            // sync.md: size limits (document blocks and text included) answer 413.
            PushError::Document(DocumentError::TooLarge { .. }) => {
                return Self::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    e.to_string(),
                );
            }
            _ => ErrorCode::Invalid,
        };
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
    }
}
