//! The app's life inside the Tauri shell: [`Shell`] is what Tauri manages. It knows the data
//! directory and the chosen server; the [`App`] (store, client, background loops) is opened
//! once the server is known — at start, or when the first-run setup has checked and saved the
//! address the reporter typed. Changing the server later restarts the app, which then opens
//! that server's own store.

use crate::core::{self, App, AppConfig};
use crate::error::AppError;
use crate::instance::RESTART_ENV;
use crate::server_choice::ChosenServer;
use crate::updates::{self, Updates};
use barta_model::ErrorCode;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What Tauri manages: the data directory, the server chosen so far, and the running app.
pub struct Shell {
    data_dir: PathBuf,
    server: Mutex<Option<ChosenServer>>,
    app: OnceLock<Arc<App>>,
    updates: Updates,
}

impl Shell {
    pub fn new(data_dir: PathBuf, server: Option<ChosenServer>) -> Self {
        Self {
            data_dir,
            server: Mutex::new(server),
            app: OnceLock::new(),
            updates: Updates::default(),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server the app is set to (none before the first-run setup).
    pub fn server(&self) -> Option<ChosenServer> {
        self.server
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The update the newsroom's server offers, once one was found.
    pub fn updates(&self) -> &Updates {
        &self.updates
    }

    /// The running app, once a server is set.
    pub fn app(&self) -> Option<&Arc<App>> {
        self.app.get()
    }

    /// Opens the app for `server` and starts its background work; `handle` carries events and
    /// notifications to the page. Done once per run: a second call is refused.
    pub fn start(&self, handle: &tauri::AppHandle, server: ChosenServer) -> Result<(), AppError> {
        if self.app.get().is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the app is already connected to a server",
            ));
        }
        let app = Arc::new(App::open(AppConfig::from_env(server.url.clone()))?);
        if self.app.set(app.clone()).is_err() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the app is already connected to a server",
            ));
        }
        *self
            .server
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(server);
        wire(handle, app);
        Ok(())
    }
}

/// Connects `app` to the page (events, desktop notifications) and starts its loops: keeping
/// drafts durable, watching the open article, syncing.
fn wire(handle: &tauri::AppHandle, app: Arc<App>) {
    let desktop = handle.clone();
    app.set_notifier(Box::new(move |title: &str, body: &str| {
        use tauri_plugin_notification::NotificationExt;
        // Without a notification service (a bare X server) this fails: the queue's own notice
        // still shows the arrivals.
        if let Err(e) = desktop
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
        {
            tracing::info!("no desktop notification: {e}");
        }
    }));
    let page = handle.clone();
    app.set_event_sink(Box::new(move |event| {
        use tauri::Emitter;
        if let Err(e) = page.emit(core::EVENT_NAME, event) {
            tracing::info!("event not sent to the page: {e}");
        }
    }));
    core::keep_durable(app.clone());
    tauri::async_runtime::spawn(core::watch_loop(app.clone()));
    tauri::async_runtime::spawn(core::idle_lock_loop(app.clone()));
    tauri::async_runtime::spawn(core::sync_loop(app));
    let updating = handle.clone();
    tauri::async_runtime::spawn(async move {
        use tauri::Manager;
        let shell = updating.state::<Arc<Shell>>().inner().clone();
        updates::check_loop(updating, shell).await;
    });
}

/// Starts a new app process (which waits for this one to let go of the data directory) and
/// ends this one. Everything typed is already in the store: saves are committed as they happen.
/// After an update the binary's old file is gone: the new one at the same path starts.
pub fn restart<T>(handle: &tauri::AppHandle) -> Result<T, AppError> {
    let cannot = |e: std::io::Error| {
        AppError::new(
            ErrorCode::Internal,
            format!("cannot start the app again: {e}"),
        )
    };
    let mut program = std::env::current_exe().map_err(cannot)?;
    // Linux names a replaced executable "PATH (deleted)": start what is at PATH now.
    if let Some(name) = program.to_str().and_then(|p| p.strip_suffix(" (deleted)")) {
        program = PathBuf::from(name);
    }
    std::process::Command::new(program)
        .args(std::env::args_os().skip(1))
        .env(RESTART_ENV, "1")
        .spawn()
        .map_err(cannot)?;
    handle.exit(0);
    Err(AppError::new(
        ErrorCode::Internal,
        "the app is starting again",
    ))
}
