//! Barta's publishing backend (`barta serve`): the HTTP API of `sync.md` on axum, with thin
//! handlers over a [`Store`] (SQLite now, PostgreSQL later), token auth, roles and desks
//! enforced on every route, an audit log, and the ninjs renderer.
//!
//! Start it with [`SqliteStore::open`], [`router`] and [`serve`]; administer it with
//! [`admin`].

// The OpenAPI document is one large `json!` literal.
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod audit_trail;
pub mod auth;
pub mod batch;
pub mod client_version;
pub mod error;
pub mod extract;
pub mod failpoint;
pub mod handlers;
pub mod html;
pub mod listen;
pub mod media;
pub mod ninjs;
pub mod openapi;
pub mod password_checks;
pub mod policy;
pub mod presence;
pub mod publishing;
pub mod push;
pub mod releases;
pub mod search;
pub mod store;
pub mod throttle;
pub mod updates;
pub mod window;

pub use app::{AppState, ServerConfig, router, serve, shutdown_signal};
pub use error::ApiError;
pub use store::{SqliteStore, Store, StoreError};
