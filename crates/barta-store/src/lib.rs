//! The desktop's local article store. A reporter's laptop is the only copy of their work until
//! it syncs, so every write here is transactional and nothing the user wrote is ever deleted:
//! revisions are immutable and outbox rows are marked, not removed. No Tauri, no HTTP.

mod codec;
mod comments;
mod durability;
mod history;
pub mod laptop;
pub mod media;
mod migrations;
pub mod ninjs;
pub mod photo;
mod portable;
mod review;
mod search;
mod store;
pub mod sync;
mod types;
pub mod vault;
mod working;

pub use comments::{Comment, NewComment};
pub use history::RevisionInfo;
pub use media::{MAX_IMAGE_BYTES, MediaError, MediaStore, PendingUpload};
pub use migrations::{APPLICATION_ID, SCHEMA_VERSION};
pub use portable::{ARCHIVE_FORMAT, ARCHIVE_VERSION, ImportReport};
pub use review::{DeskQueue, QueueCount, QueueQuery, QueueSort};
pub use search::{DEFAULT_LIMIT, RANK_WINDOW, SearchHit, SearchQuery, TextRun, mark_runs};
pub use store::{Store, StoreStats};
pub use types::{
    ArticleDraft, ArticleSummary, ListFilter, OutboxItem, OutboxKind, OutboxStatus, StoreError,
};
