//! Signed updates from the newsroom's own server (field laptops often reach it but not the
//! wider internet): `tauri-plugin-updater` asks `GET /v1/app/update/{target}/{arch}/{version}`
//! on the server the app is set to, at start and every few hours. A newer release is told to
//! the page (`update_available`), and installed only when the reporter says so: everything
//! typed is put on disk first, the package's minisign signature is checked against the public
//! key in tauri.conf.json (a tampered file is refused, and this version keeps running), the
//! plugin installs it (`dpkg -i` / `rpm -U` through pkexec or sudo on Linux) and the app starts
//! again on the same store.

use crate::core::{App, EVENT_NAME, app_version};
use crate::error::AppError;
use crate::ipc_types::{AppEvent, UpdateInfo};
use crate::launch::Shell;
use barta_model::ErrorCode;
use barta_model::api::CLIENT_VERSION_HEADER;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::Emitter;
use tauri_plugin_updater::UpdaterExt;

/// How often a running app asks again.
const CHECK_EVERY: Duration = Duration::from_secs(4 * 60 * 60);
/// How long one check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

/// The update found last, kept until it is installed (the page may open after it was found).
#[derive(Default)]
pub struct Updates {
    found: Mutex<Option<tauri_plugin_updater::Update>>,
}

impl Updates {
    fn set(&self, update: Option<tauri_plugin_updater::Update>) {
        *self.found.lock().unwrap_or_else(|p| p.into_inner()) = update;
    }

    fn get(&self) -> Option<tauri_plugin_updater::Update> {
        self.found.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// What the page shows of the update found, if one was.
    pub fn info(&self) -> Option<UpdateInfo> {
        self.get().as_ref().map(info_of)
    }
}

fn info_of(update: &tauri_plugin_updater::Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update
            .body
            .as_deref()
            .map(bangla::normalize)
            .unwrap_or_default(),
        date: update
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string(),
    }
}

/// The endpoint on the newsroom's server, with the plugin's variables.
fn endpoint(server_url: &str) -> Result<tauri::Url, AppError> {
    let url = format!(
        "{}/v1/app/update/{{{{target}}}}/{{{{arch}}}}/{{{{current_version}}}}?bundle={{{{bundle_type}}}}",
        server_url.trim_end_matches('/')
    );
    tauri::Url::parse(&url).map_err(|e| {
        AppError::new(
            ErrorCode::Invalid,
            format!("the update address {url:?} is not a URL: {e}"),
        )
    })
}

/// Debug builds only (the test packages, never a release): `BARTA_UPDATER_PUBKEY` replaces the
/// release key, so the update test can sign with a throwaway key of its own.
const TEST_KEY_ENV: &str = "BARTA_UPDATER_PUBKEY";

fn updater(
    handle: &tauri::AppHandle,
    server_url: &str,
) -> Result<tauri_plugin_updater::Updater, AppError> {
    let mut builder = handle.updater_builder();
    if cfg!(debug_assertions)
        && let Ok(key) = std::env::var(TEST_KEY_ENV)
    {
        tracing::warn!("{TEST_KEY_ENV} is set: updates are checked against a test key");
        builder = builder.pubkey(key);
    }
    builder
        .endpoints(vec![endpoint(server_url)?])
        .and_then(|b| b.header(CLIENT_VERSION_HEADER, app_version()))
        .map(|b| b.timeout(CHECK_TIMEOUT))
        .and_then(|b| b.build())
        .map_err(update_error)
}

/// The plugin's error as the app's: a bad signature or package is `update_invalid` (nothing
/// was installed), anything else `update_failed`.
fn update_error(e: tauri_plugin_updater::Error) -> AppError {
    use tauri_plugin_updater::Error as E;
    let code = match &e {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::InvalidUpdaterFormat
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => ErrorCode::UpdateInvalid,
        _ => ErrorCode::UpdateFailed,
    };
    AppError::new(code, e.to_string())
}

/// Asks the server once; tells the page when a newer release is there.
pub async fn check(
    handle: &tauri::AppHandle,
    shell: &Shell,
) -> Result<Option<UpdateInfo>, AppError> {
    let Some(server) = shell.server() else {
        return Ok(None);
    };
    let found = updater(handle, &server.url)?
        .check()
        .await
        .map_err(update_error)?;
    let info = found.as_ref().map(info_of);
    shell.updates().set(found);
    if let Some(update) = &info {
        tracing::info!(version = %update.version, "an update is available");
        let event = AppEvent::UpdateAvailable {
            update: update.clone(),
        };
        if let Err(e) = handle.emit(EVENT_NAME, event) {
            tracing::info!("update event not sent to the page: {e}");
        }
    }
    Ok(info)
}

/// At start and every [`CHECK_EVERY`]: a failed check (offline, an older server without the
/// endpoint) is logged and tried again next time.
pub async fn check_loop(handle: tauri::AppHandle, shell: Arc<Shell>) {
    loop {
        if let Err(e) = check(&handle, &shell).await {
            tracing::info!(code = %e.code, "no update check: {}", e.message);
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

/// Installs the update found: everything typed on disk first, then download, signature check,
/// install, and a start of the new version. On any failure this version keeps running.
pub async fn install(handle: &tauri::AppHandle, shell: &Shell, app: &App) -> Result<(), AppError> {
    let update = shell
        .updates()
        .get()
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no update has been found to install"))?;
    app.make_everything_durable()?;
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(update_error)?;
    tracing::info!(version = %update.version, "update installed: starting the new version");
    crate::launch::restart(handle)
}
