//! The client sync engine: [`plan`] decides purely what to send, [`Client`] speaks the HTTP
//! contract of sync.md, and [`sync_once`] executes a plan against a [`barta_store::Store`].

mod client;
mod engine;
mod plan;

pub use client::PushResult;
pub use client::{Client, ClientError};
pub use engine::{StoreAccess, SyncError, SyncOutcome, sync_once};
pub use plan::{Operation, plan};
