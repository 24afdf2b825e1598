//! The app's logic, free of Tauri, split by domain: each part owns its state and its
//! operations (session, articles, the archive on the server, editing, sync, photos, comments,
//! desk, spelling, the article on screen, events to the page, the rules the page shows, the
//! encrypted store and its lock). Offline first: everything but login, approval, publishing
//! and the archive's older articles works without the server.

mod archive;
mod articles;
mod comments;
mod desk;
mod editing;
mod events;
mod photos;
mod rules;
mod session;
mod spelling;
mod sync;
mod vault;
mod watch;

pub use editing::keep_durable;
pub use events::EVENT_NAME;
pub use sync::sync_loop;
pub use vault::idle_lock_loop;
pub use watch::watch_loop;

use crate::error::AppError;
use barta_model::ErrorCode;
use barta_store::Store;
use barta_sync::{Client, StoreAccess};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// Where the app keeps its data and which server it talks to.
#[derive(Clone, Debug)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    pub server_url: String,
    pub sync_interval: Duration,
    /// Photos are scaled down to at most this many pixels on their longer edge before they are
    /// stored and sent.
    pub image_max_edge: u32,
}

impl AppConfig {
    /// The app's settings for the server at `server_url`: the data directory from
    /// [`data_dir_from_env`], `BARTA_SYNC_INTERVAL_MS` and `BARTA_IMAGE_MAX_EDGE`, with
    /// defaults (every 5 s, 2048 pixels).
    pub fn from_env(server_url: String) -> Self {
        let interval = std::env::var("BARTA_SYNC_INTERVAL_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000);
        let image_max_edge = std::env::var("BARTA_IMAGE_MAX_EDGE")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&edge: &u32| edge >= 64)
            .unwrap_or(DEFAULT_IMAGE_MAX_EDGE);
        Self {
            data_dir: data_dir_from_env(),
            server_url,
            sync_interval: Duration::from_millis(interval),
            image_max_edge,
        }
    }
}

/// `BARTA_DATA_DIR`, else the user's data directory (`~/.local/share/barta` on Linux).
pub fn data_dir_from_env() -> PathBuf {
    std::env::var_os("BARTA_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(default_data_dir)
}

/// The user's data directory as Tauri's path API finds it (the same `dirs` lookup): on Linux
/// `$XDG_DATA_HOME/barta` (`~/.local/share/barta`), on Windows `%APPDATA%\barta`, on macOS
/// `~/Library/Application Support/barta`. Read before Tauri starts, since the single-instance
/// claim and the store need it first.
fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("barta")
}

/// The longest edge of a stored photo unless `BARTA_IMAGE_MAX_EDGE` says otherwise: plenty for
/// a news page, a fraction of a camera's file on a 2G link.
pub const DEFAULT_IMAGE_MAX_EDGE: u32 = 2048;

/// The running app: the user's store while it is unlocked, the client and event sink, and
/// each part's own state.
pub struct App {
    config: AppConfig,
    /// The logged-in user's store and photos, while unlocked (`None`: locked, or nobody has
    /// logged in yet). See `vault.rs`.
    unlocked: Mutex<Option<vault::Unlocked>>,
    client: Client,
    /// What the page is told without asking.
    events: events::Events,
    account: session::Account,
    sync: sync::SyncState,
    spelling: spelling::SpellingState,
    desk: desk::DeskState,
    /// The article on screen, and what the page was last told of it.
    watch: watch::Watcher,
    /// When the user last did something, and how long the store stays unlocked unused.
    idle: vault::IdleLock,
}

/// SQLite's page cache in the app (the store's default is 64 MiB, for tools that search
/// 100,000 articles): SQLite's own default of 2 MiB. The operating system keeps the file's
/// pages cached anyway; 8 MiB was full after app_bench's list and search with 10,000
/// articles, and with 2 MiB its keystroke and start-up figures did not move (BENCHMARKS.md,
/// issue 14).
const APP_PAGE_CACHE_KIB: u32 = 2 * 1024;

impl App {
    /// Starts the app for its server, locked: nothing a user wrote is open until their
    /// password unlocks their store (`vault.rs`).
    pub fn open(config: AppConfig) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("cannot create {}: {e}", config.data_dir.display()),
            )
        })?;
        let client = Client::new(&config.server_url)?.with_client_version(app_version());
        Ok(Self {
            config,
            unlocked: Mutex::new(None),
            client,
            events: events::Events::default(),
            account: session::Account::new(None),
            sync: sync::SyncState::new(0),
            spelling: spelling::SpellingState::default(),
            desk: desk::DeskState::default(),
            watch: watch::Watcher::default(),
            idle: vault::IdleLock::default(),
        })
    }

    /// The unlocked user's store (refused with `locked` while locked).
    pub(crate) fn store(&self) -> Result<std::sync::Arc<Mutex<Store>>, AppError> {
        lock(&self.unlocked)
            .as_ref()
            .map(|u| std::sync::Arc::clone(&u.store))
            .ok_or_else(locked)
    }

    /// A setting of the unlocked store; `None` when locked, unset or unreadable (for what
    /// has a default).
    pub(super) fn setting_or_none(&self, key: &str) -> Option<String> {
        self.store().ok()?.with(|s| s.setting(key)).ok().flatten()
    }

    /// The unlocked user's photos (refused with `locked` while locked).
    pub(super) fn media(&self) -> Result<barta_store::MediaStore, AppError> {
        lock(&self.unlocked)
            .as_ref()
            .map(|u| u.media.clone())
            .ok_or_else(locked)
    }
}

/// The error of anything that needs the store while it is locked.
fn locked() -> AppError {
    AppError::new(
        ErrorCode::Locked,
        "Barta is locked: enter your password to open your work",
    )
}

static APP_VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets the app's version once, at start, from Tauri's package info (tauri.conf.json's
/// `version`, which the bundler writes into the package too).
pub fn set_app_version(version: String) {
    let _ = APP_VERSION.set(version);
}

/// The app's version, shown in About and sent with every request (the workspace's until
/// [`set_app_version`] is called).
pub fn app_version() -> &'static str {
    APP_VERSION
        .get()
        .map(String::as_str)
        .unwrap_or(env!("CARGO_PKG_VERSION"))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
