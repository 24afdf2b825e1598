//! The session's commands: the app's info, logging in and out, unlocking and locking the
//! user's store, and the page's word that the user is still there.

use super::AppState;
use crate::error::AppError;
use crate::ipc_types::AppInfo;
use barta_model::api::UserInfo;

#[tauri::command]
pub fn app_info(app: AppState<'_>) -> AppInfo {
    app.info()
}

#[tauri::command]
pub async fn login(
    app: AppState<'_>,
    username: String,
    password: String,
    previous_password: Option<String>,
) -> Result<UserInfo, AppError> {
    app.login(&username, &password, previous_password.as_deref())
        .await
}

/// Unlocks the last user's store with their password, offline.
#[tauri::command]
pub async fn unlock(app: AppState<'_>, password: String) -> Result<(), AppError> {
    // Argon2id's 64 MiB and 3 passes (0.14–0.19 s here, more on an older laptop) off the
    // main thread.
    let app = std::sync::Arc::clone(app.inner());
    tauri::async_runtime::spawn_blocking(move || app.unlock(&password))
        .await
        .map_err(|e| AppError::new(barta_model::ErrorCode::Internal, e.to_string()))?
}

/// Locks the store now (the user asked).
#[tauri::command]
pub fn lock_now(app: AppState<'_>) {
    app.lock_now();
}

/// The user typed, clicked or scrolled: the idle lock's time starts again.
#[tauri::command]
pub fn still_here(app: AppState<'_>) {
    app.still_here();
}

/// Goes on after the server ended the session: the same account's password again.
#[tauri::command]
pub async fn resume_session(app: AppState<'_>, password: String) -> Result<UserInfo, AppError> {
    app.resume_session(&password).await
}

#[tauri::command]
pub async fn logout(app: AppState<'_>) -> Result<(), AppError> {
    app.logout().await
}
