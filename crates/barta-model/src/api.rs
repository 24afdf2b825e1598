//! The HTTP API's request and response bodies (sync.md). Shared by the server, the sync
//! engine and the test suite so that all three speak exactly one contract.

use crate::{
    Action, ArticleId, ArticleMeta, Document, ErrorCode, RevisionId, Role, UserId, WorkflowState,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /v1/session`
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A user as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct UserInfo {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// Slugs of the desks the user belongs to.
    pub desks: Vec<String>,
}

/// `POST /v1/session` → 200
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionResponse {
    pub token: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub user: UserInfo,
}

/// A stored revision as the server returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionRecord {
    pub id: RevisionId,
    pub article_id: ArticleId,
    pub parent: Option<RevisionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_parent: Option<RevisionId>,
    pub author: String,
    pub meta: ArticleMeta,
    pub body: Document,
    pub sha256: String,
    pub created_at: String,
    /// The server's sequence number: the order that counts.
    pub seq: i64,
}

/// `POST /v1/articles/{id}/revisions` → 201 (and the same again for a replay)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushAccepted {
    pub head: RevisionId,
    pub seq: i64,
}

/// `POST /v1/articles/{id}/revisions` → 409: the head moved; the pushed revision was kept as
/// a sibling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushConflict {
    pub head: RevisionId,
    pub head_revision: RevisionRecord,
    pub stored: bool,
}

/// `GET /v1/articles/{id}` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleResponse {
    pub id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    pub head: RevisionId,
    pub head_revision: RevisionRecord,
}

/// What one change-feed entry reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Revision,
    State,
}

/// One entry of `GET /v1/changes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub kind: ChangeKind,
    pub article_id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    /// The article's head after this change.
    pub head: RevisionId,
    /// The revision, for `revision` changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<RevisionRecord>,
    /// The workflow note, for `state` changes that carry one (e.g. a return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: String,
}

/// `GET /v1/changes` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// The cursor to pass as `since` next time.
    pub next: i64,
}

/// `POST /v1/articles/{id}/transitions`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitionRequest {
    pub action: Action,
    pub rev_id: RevisionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /v1/articles/{id}/transitions` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitionResponse {
    pub state: WorkflowState,
}

/// `POST /v1/articles/{id}/approve`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApproveRequest {
    pub rev_id: RevisionId,
    pub sha256: String,
}

/// `POST /v1/articles/{id}/approve` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApproveResponse {
    pub approval_id: String,
}

/// `POST /v1/articles/{id}/publish`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishRequest {
    pub approval_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// `POST /v1/articles/{id}/publish` → 200
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishResponse {
    pub publication_id: String,
}

/// Every error answer: `{"error": {"code": …, "message": …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of an error answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }
    }
}
