//! The store's public value types and its error.

use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, SyncState, WorkflowState};
use serde::Serialize;
use ts_rs::TS;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the local database was made by a newer Barta (schema {found}; this build knows up to {supported}); update Barta to open it"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("article {0} is not in the local store")]
    ArticleNotFound(ArticleId),
    #[error("the document is not valid: {0}")]
    InvalidDocument(#[from] barta_model::DocumentError),
    #[error("the article needs a desk")]
    MissingDesk,
    #[error("local database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("the file is not a Barta database (not SQLite, or damaged beyond reading)")]
    NotADatabase,
    /// An encrypted store opened with another key than its own.
    #[error("this key does not open the encrypted store")]
    WrongKey,
    #[error("the file is an SQLite database of another program: {0}")]
    ForeignDatabase(String),
    #[error("the local database is locked by another program; close it and try again")]
    Locked,
    #[error("the disk is full; nothing was saved, free some space and try again")]
    DiskFull,
    #[error("a comment needs some text")]
    EmptyComment,
    #[error("{0}")]
    InvalidAction(String),
    #[error("comment {0} is not in the local store")]
    CommentNotFound(String),
    #[error("revision {0} is not in the local store")]
    RevisionNotFound(RevisionId),
    #[error("revision {revision} belongs to article {actual}, not {expected}")]
    RevisionOfOtherArticle {
        revision: RevisionId,
        expected: ArticleId,
        actual: ArticleId,
    },
    #[error(
        "article {0}'s working copy changed since the editor's last save, or that save is not known here; send the whole text"
    )]
    StaleWorkingCopy(ArticleId),
    #[error("block {block} is not in article {article}'s working copy")]
    BlockNotFound { article: ArticleId, block: String },
    #[error("{0}")]
    Ninjs(#[from] crate::ninjs::NinjsError),
    #[error("{path}: not a usable Barta archive: {reason}")]
    BadArchive {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::NotADatabase) => StoreError::NotADatabase,
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Locked,
            Some(C::DiskFull) => StoreError::DiskFull,
            Some(C::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// One row of an article list.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub headline: String,
    pub desk: String,
    pub author: String,
    pub state: WorkflowState,
    pub sync_state: SyncState,
    /// The workflow note last attached (e.g. why it was returned).
    pub note: Option<String>,
    /// The server's reason when an item was rejected.
    pub last_error: Option<String>,
    /// The stable error code of `last_error` (e.g. `invalid`): the UI words it in plain language.
    pub last_error_code: Option<String>,
    pub updated_at: String,
    pub created_at: String,
    /// Words in the newest revision (what the desk queues show).
    pub words: i64,
    /// 1 (most urgent) to 5, if set in the newest revision.
    pub urgency: Option<u8>,
    /// Conflict blocks in the newest revision: a clash a person must resolve.
    pub conflicts: i64,
    /// The workflow actions the app's current user may take on it now. The store leaves it
    /// empty (it knows no user); the app fills it in before a summary reaches the UI, from
    /// `barta_model::workflow::actions_for`, and the UI shows exactly these.
    pub allowed_actions: Vec<barta_model::Action>,
}

/// An article opened for editing: its working copy plus what the lists show.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ArticleDraft {
    pub summary: ArticleSummary,
    pub meta: ArticleMeta,
    pub body: Document,
    /// The newest revision (local or from the server), if any.
    pub head: Option<RevisionId>,
    /// The content hash of `head`.
    pub head_sha256: Option<String>,
    /// The revision last submitted (the start of "changes since submission").
    pub submitted_rev: Option<RevisionId>,
    /// The revision last approved, if any.
    pub approved_rev: Option<RevisionId>,
}

/// Which articles a list shows.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Only these workflow states (all when empty).
    pub states: Vec<WorkflowState>,
    /// Only these desks (all when empty).
    pub desks: Vec<String>,
    /// Only this author.
    pub author: Option<String>,
}

/// What an outbox row asks the server to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxKind {
    Revision,
    Transition,
}

/// Where an outbox row stands. Rows are never deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Done,
    Rejected,
    Conflict,
}

/// One queued operation for the server, in the order it must be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub article_id: ArticleId,
    pub kind: OutboxKind,
    pub revision_id: RevisionId,
    pub action: Option<barta_model::Action>,
    pub note: Option<String>,
    pub attempts: i64,
}
