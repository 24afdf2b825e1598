//! The desktop's local article store. A reporter's laptop is the only copy of their work until
//! it syncs, so every write here is transactional and nothing the user wrote is ever deleted:
//! revisions are immutable and outbox rows are marked, not removed. No Tauri, no HTTP.

mod migrations;
mod store;
pub mod sync;
mod types;

pub use migrations::SCHEMA_VERSION;
pub use store::Store;
pub use types::{
    ArticleDraft, ArticleSummary, ListFilter, OutboxItem, OutboxKind, OutboxStatus, StoreError,
};
