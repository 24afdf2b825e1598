//! The session's commands: the app's info, logging in and out.

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
) -> Result<UserInfo, AppError> {
    app.login(&username, &password).await
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
