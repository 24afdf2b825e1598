//! The client sync engine: [`plan`] decides purely what to send and fetch (revisions,
//! workflow transitions, comments, photos, the changes feed), [`Client`] speaks the HTTP
//! contract of sync.md, and [`sync_round`] executes a plan against a [`barta_store::Store`]
//! and the device's [`barta_store::MediaStore`] with retries, re-login, merges on 409 and
//! progress reports. A new laptop takes the server's window rather than the whole archive;
//! [`fetch_article`] brings an older article when it is opened. [`check_server`] vets the
//! newsroom address typed at first run.

mod archive;
mod auth;
mod backoff;
mod client;
mod engine;
mod media;
mod plan;
mod progress;
mod server_check;

pub use archive::fetch_article;
pub use auth::{PasswordLogin, Relogin, ReloginFuture, Session};
pub use backoff::{Backoff, parse_retry_after};
pub use client::PushResult;
pub use client::{Client, ClientError, Limits};
pub use engine::{RoundInput, StoreAccess, SyncConfig, SyncError, SyncOutcome, sync_round};
pub use media::{DEFAULT_CHUNK, MediaFile, upload_media};
pub use plan::{Operation, PlanInput, plan};
pub use progress::{NoProgress, ProgressSink, SyncPhase, SyncProgress};
pub use server_check::{CheckedServer, ServerCheckError, check_server, server_address};
