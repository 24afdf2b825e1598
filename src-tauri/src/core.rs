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
use std::path::{Path, PathBuf};
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
/// 100,000 articles): SQLite's own default of 2 MiB. The operating system keeps the file's
/// pages cached anyway; 8 MiB was full after app_bench's list and search with 10,000
/// articles, and with 2 MiB its keystroke and start-up figures did not move (BENCHMARKS.md,
/// issue 14).
const APP_PAGE_CACHE_KIB: u32 = 2 * 1024;

impl App {
    /// Opens the local store in the data directory and restores the saved session.
    pub fn open(config: AppConfig) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("cannot create {}: {e}", config.data_dir.display()),
            )
        })?;
        let store = store_for_server(&config.data_dir, &config.server_url)?;
        store.set_page_cache_kib(APP_PAGE_CACHE_KIB)?;
        let session = store
            .setting(session::SESSION_KEY)?
            .and_then(|s| serde_json::from_str::<session::Session>(&s).ok());
        let client = Client::new(&config.server_url)?.with_client_version(app_version());
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

/// The setting that names the server a local store belongs to.
const STORE_SERVER_KEY: &str = "server_url";

/// The local store for the server at `url`. `barta.db` belongs to the first server the app was
/// set up with (a store from before servers were recorded is given to the one it is opened
/// with); every other server gets its own file under `servers/`. So drafts written for one
/// newsroom are never sent to another, and switching back finds them again.
fn store_for_server(data_dir: &Path, url: &str) -> Result<Store, AppError> {
    let mut first = Store::open(&data_dir.join("barta.db"))?;
    match first.setting(STORE_SERVER_KEY)? {
        Some(owner) if owner == url => return Ok(first),
        None => {
            first.set_setting(STORE_SERVER_KEY, Some(url))?;
            return Ok(first);
        }
        Some(_) => drop(first),
    }
    let dir = data_dir.join("servers");
    std::fs::create_dir_all(&dir).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!("cannot create {}: {e}", dir.display()),
        )
    })?;
    use sha2::Digest;
    let name = hex::encode(&sha2::Sha256::digest(url.as_bytes())[..8]);
    let mut store = Store::open(&dir.join(format!("{name}.db")))?;
    if store.setting(STORE_SERVER_KEY)?.is_none() {
        store.set_setting(STORE_SERVER_KEY, Some(url))?;
    }
    Ok(store)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_written_for_one_server_stay_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let a = "https://a.example.org";
        let b = "https://b.example.org";
        let mut store = store_for_server(dir.path(), a).unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        drop(store);
        // Another server: a store of its own, without A's draft.
        let store = store_for_server(dir.path(), b).unwrap();
        assert!(store.load_article(id).is_err(), "B must not see A's draft");
        assert!(dir.path().join("servers").is_dir());
        drop(store);
        // Back to A: the draft is there, in the first store.
        let store = store_for_server(dir.path(), a).unwrap();
        assert!(store.load_article(id).is_ok());
        assert_eq!(store.setting(STORE_SERVER_KEY).unwrap().as_deref(), Some(a));
    }

    #[test]
    fn a_store_from_before_servers_were_recorded_goes_to_the_server_it_is_opened_with() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = Store::open(&dir.path().join("barta.db")).unwrap();
        let id = old.create_article("national", "rahim").unwrap();
        drop(old);
        let store = store_for_server(dir.path(), "http://127.0.0.1:8080").unwrap();
        assert!(store.load_article(id).is_ok());
        assert!(!dir.path().join("servers").exists());
    }
}
