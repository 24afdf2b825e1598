//! The first-run setup's and the About screen's commands: what server the app is set to,
//! connecting to a newsroom's address once it has been checked, and the app's updates. Most
//! work before a server is set, so they take the [`Shell`] rather than the running app.

use super::AppState;
use crate::core::app_version;
use crate::error::AppError;
use crate::ipc_types::{ServerSetup, UpdateInfo};
use crate::launch::Shell;
use crate::server_choice::{ChosenServer, save_server};
use barta_model::ErrorCode;
use std::sync::Arc;
use tauri::State;

fn setup_of(shell: &Shell) -> ServerSetup {
    let server = shell.server();
    ServerSetup {
        server_url: server.as_ref().map(|s| s.url.clone()),
        from_env: server.as_ref().is_some_and(|s| s.from_env),
        app_version: app_version().to_string(),
        pending: shell.app().map(|app| app.status().pending).unwrap_or(0),
        data_dir: shell.data_dir().display().to_string(),
    }
}

/// What the setup and About screens show: the server (none on a first run), whether the
/// environment fixes it, the app's version and the changes not yet sent.
#[tauri::command]
pub fn server_setup(shell: State<'_, Arc<Shell>>) -> ServerSetup {
    setup_of(&shell)
}

/// Checks the newsroom address a person typed (`/healthz`: a Barta server, this app's API,
/// this app's version accepted) and, if it passes, remembers it. On a first run the app then
/// opens at once; a change of server starts the app again with that server's own drafts
/// (those of the old server stay with it, unsent, until it is chosen again).
#[tauri::command]
pub async fn connect_server(
    handle: tauri::AppHandle,
    shell: State<'_, Arc<Shell>>,
    address: String,
) -> Result<ServerSetup, AppError> {
    let address = bangla::normalize(&address);
    let checked = barta_sync::check_server(&address, app_version())
        .await
        .map_err(|e| AppError::new(e.code(), e.to_string()))?;
    match shell.server() {
        Some(current) if current.url == checked.url => Ok(setup_of(&shell)),
        Some(current) if current.from_env => Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "this app's server is fixed to {} by BARTA_SERVER_URL: unset it to choose another",
                current.url
            ),
        )),
        Some(_) => {
            save_server(shell.data_dir(), &checked.url)?;
            crate::launch::restart(&handle)
        }
        None => {
            save_server(shell.data_dir(), &checked.url)?;
            shell.start(
                &handle,
                ChosenServer {
                    url: checked.url,
                    from_env: false,
                },
            )?;
            Ok(setup_of(&shell))
        }
    }
}

/// The update the newsroom's server offers, if one was found (the page may open after the
/// `update_available` event was sent).
#[tauri::command]
pub fn update_status(shell: State<'_, Arc<Shell>>) -> Option<UpdateInfo> {
    shell.updates().info()
}

/// Asks the newsroom's server for a newer version now (About's "check for updates").
#[tauri::command]
pub async fn check_for_update(
    handle: tauri::AppHandle,
    shell: State<'_, Arc<Shell>>,
) -> Result<Option<UpdateInfo>, AppError> {
    crate::updates::check(&handle, &shell).await
}

/// Installs the update found and starts the new version; the page has saved what was typed.
/// On a refused signature or a failed install, this version keeps running and says why.
#[tauri::command]
pub async fn install_update(
    handle: tauri::AppHandle,
    shell: State<'_, Arc<Shell>>,
    app: AppState<'_>,
) -> Result<(), AppError> {
    crate::updates::install(&handle, &shell, &app).await
}
