//! The test harness: real processes on free loopback ports and temporary directories, each
//! stopped and cleaned up on drop, even when a test fails.
//!
//! - [`TestServer`]: the real `barta serve` with a demo newsroom, in SQLite or in a PostgreSQL
//!   database that several instances share.
//! - [`pg_cluster`]: the throwaway PostgreSQL cluster of the server's own tests (one per test
//!   binary, a database per test).
//! - [`Proxy`]: a fault-injecting proxy on loopback (delay, throttle, cut, reset, stall,
//!   captive portal, canned answers).
//! - [`Display`]: an Xvfb virtual display.
//! - [`AppSession`]: the real desktop app launched by `tauri-driver` + `WebKitWebDriver` and
//!   driven through WebDriver.
//! - [`newsroom::Newsroom`]: a demo newsroom driven through the API (write, approve, publish).
//! - [`TestCa`]: a throwaway certificate authority and loopback certificates for TLS.
//! - [`WordPress`]: a real WordPress (Debian's package) on a throwaway MariaDB and `php -S`,
//!   for the publishing tests.

mod app;
mod display;
pub mod newsroom;
mod paths;
#[path = "../../crates/barta-server/tests/common/pg_cluster.rs"]
pub mod pg_cluster;
pub mod photos;
mod process;
mod proxy;
mod server;
mod tls;
mod wordpress;

pub use app::{AppSession, AppSettings, FocusThief, focus_elsewhere, focused_window, process_tree};
pub use display::Display;
pub use paths::{artifacts_dir, binary, free_port};
pub use proxy::{CAPTIVE_PORTAL, Fault, Proxy, Seen};
pub use server::{DemoUser, EDITOR, REPORTER, TestServer, changes_feed, login_token, on_postgres};
pub use tls::{Redirector, ServerCertificate, TestCa};
pub use wordpress::{TIMEZONE as WORDPRESS_TIMEZONE, WordPress};

/// Tests that drive windows run one at a time: two cores and one WebKit per test keep them
/// fast and deterministic.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    GATE.lock().await
}
