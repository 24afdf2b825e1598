//! The photos' commands: storing a photo (its bytes as the raw request body) and reading one as a data URL.

use super::AppState;
use crate::error::AppError;
use barta_model::ErrorCode;

/// The image's bytes arrive as the raw request body (no JSON for megabytes).
#[tauri::command]
pub async fn add_image(
    app: AppState<'_>,
    request: tauri::ipc::Request<'_>,
) -> Result<String, AppError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(AppError::new(
            ErrorCode::BadRequest,
            "send the image as raw bytes",
        ));
    };
    let bytes = bytes.clone();
    let app = app.inner().clone();
    tauri::async_runtime::spawn_blocking(move || app.add_image(&bytes))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
}

#[tauri::command]
pub fn image_data_url(app: AppState<'_>, src: String) -> Result<String, AppError> {
    app.image_data_url(&src)
}
