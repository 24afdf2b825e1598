//! Barta's shared domain and wire types. Pure: no I/O, no clock except where a caller asks for
//! a new id. Used by the desktop store, the sync engine, the server and the app shell.

pub mod api;
pub mod article;
pub mod document;
pub mod error;
pub mod ids;
pub mod revision;
pub mod workflow;

pub use article::{ArticleMeta, Urgency, searchable_text};
pub use document::{Block, Document, DocumentError, Inline};
pub use error::ErrorCode;
pub use ids::{ArticleId, RevisionId, UserId};
pub use revision::{ContentHash, RevisionPush, content_sha256};
pub use workflow::{Action, Role, SyncState, WorkflowState};
pub mod diff;
pub mod schema;

pub mod merge;
pub use api::{BlockDelta, DeltaError, DeltaRun};
pub use merge::{Author, Merged, Side, has_conflicts, merge};
