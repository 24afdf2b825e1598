//! The app's logic, free of Tauri, split by domain: each part owns its state and its
//! operations (session, articles, editing, sync, photos, comments, desk, spelling, the article
//! on screen, events to the page, the rules the page shows). Offline first: everything but
//! login, approval and publishing works without the server.

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
mod watch;

pub use editing::keep_durable;
pub use events::EVENT_NAME;
pub use sync::sync_loop;
pub use watch::watch_loop;

use crate::error::AppError;
use barta_model::ErrorCode;
use barta_store::Store;
use barta_sync::Client;
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
    /// From `BARTA_DATA_DIR`, `BARTA_SERVER_URL`, `BARTA_SYNC_INTERVAL_MS` and
    /// `BARTA_IMAGE_MAX_EDGE`, with defaults (the user's data directory, a backend on this
    /// machine, every 5 s, 2048 pixels).
    pub fn from_env() -> Self {
        let data_dir = std::env::var_os("BARTA_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_data_dir);
        let server_url = std::env::var("BARTA_SERVER_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:8080".to_string());
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
            data_dir,
            server_url,
            sync_interval: Duration::from_millis(interval),
            image_max_edge,
        }
    }
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("barta")
}

/// The longest edge of a stored photo unless `BARTA_IMAGE_MAX_EDGE` says otherwise: plenty for
/// a news page, a fraction of a camera's file on a 2G link.
pub const DEFAULT_IMAGE_MAX_EDGE: u32 = 2048;

/// The running app: the shared store, client and event sink, and each part's own state.
pub struct App {
    config: AppConfig,
    store: Mutex<Store>,
    client: Client,
    /// What the page is told without asking.
    events: events::Events,
    account: session::Account,
    sync: sync::SyncState,
    spelling: spelling::SpellingState,
    desk: desk::DeskState,
    /// The article on screen, and what the page was last told of it.
    watch: watch::Watcher,
}

/// SQLite's page cache in the app (the store's default is 64 MiB, for tools that search
/// 100,000 articles): 8 MiB keeps a 10,000-article store's list and search quick.
const APP_PAGE_CACHE_KIB: u32 = 8 * 1024;

impl App {
    /// Opens the local store in the data directory and restores the saved session.
    pub fn open(config: AppConfig) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("cannot create {}: {e}", config.data_dir.display()),
            )
        })?;
        let store = Store::open(&config.data_dir.join("barta.db"))?;
        store.set_page_cache_kib(APP_PAGE_CACHE_KIB)?;
        let session = store
            .setting(session::SESSION_KEY)?
            .and_then(|s| serde_json::from_str::<session::Session>(&s).ok());
        let client = Client::new(&config.server_url)?;
        let pending = store.pending_count()?;
        Ok(Self {
            config,
            store: Mutex::new(store),
            client,
            events: events::Events::default(),
            account: session::Account::new(session),
            sync: sync::SyncState::new(pending),
            spelling: spelling::SpellingState::default(),
            desk: desk::DeskState::default(),
            watch: watch::Watcher::default(),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
