//! The sync commands: a round now, and the status (read once at the start; later ones are pushed as events).

use super::AppState;
use crate::error::AppError;
use crate::ipc_types::SyncStatus;

#[tauri::command]
pub async fn sync_now(app: AppState<'_>) -> Result<SyncStatus, AppError> {
    // Asked for by the user: everything is brought up to date, the newsroom's lexicon too.
    app.refresh_lexicon_next_round();
    Ok(app.sync_now().await)
}

#[tauri::command]
pub fn sync_status(app: AppState<'_>) -> SyncStatus {
    app.status()
}
