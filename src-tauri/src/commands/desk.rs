//! The desk's commands: queues, workflow actions, approving, publishing, corrections, the preview, the website and notifications.

use super::{AppState, article_id};
use crate::error::AppError;
use barta_store::ArticleSummary;

#[tauri::command]
pub async fn approve_article(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.approve(article_id(&id)?).await
}

/// Async so that it runs off the main thread, which stays free to paint.
#[tauri::command]
pub async fn desk_queue(
    app: AppState<'_>,
    query: barta_store::QueueQuery,
) -> Result<crate::ipc_types::QueueView, AppError> {
    app.desk_queue(query)
}

#[tauri::command]
pub fn act_on_article(
    app: AppState<'_>,
    id: String,
    action: barta_model::Action,
    note: Option<String>,
) -> Result<ArticleSummary, AppError> {
    app.act(article_id(&id)?, action, note)
}

#[tauri::command]
pub async fn publish_article(
    app: AppState<'_>,
    id: String,
    at: Option<String>,
) -> Result<crate::ipc_types::PublishOutcome, AppError> {
    app.publish(article_id(&id)?, at).await
}

#[tauri::command]
pub fn preview_article(
    app: AppState<'_>,
    id: String,
    at: Option<String>,
) -> Result<String, AppError> {
    app.preview(article_id(&id)?, at)
}

#[tauri::command]
pub async fn public_url(app: AppState<'_>, id: String) -> Result<Option<String>, AppError> {
    app.public_url(article_id(&id)?).await
}

#[tauri::command]
pub async fn retry_delivery(
    app: AppState<'_>,
    id: String,
    target: String,
) -> Result<Vec<barta_model::api::DeliveryInfo>, AppError> {
    app.retry_delivery(article_id(&id)?, &target).await
}

#[tauri::command]
pub fn notifications(app: AppState<'_>) -> Result<bool, AppError> {
    app.notifications()
}

#[tauri::command]
pub fn set_notifications(app: AppState<'_>, on: bool) -> Result<(), AppError> {
    app.set_notifications(on)
}

#[tauri::command]
pub async fn correct_article(
    app: AppState<'_>,
    id: String,
    note: String,
) -> Result<crate::ipc_types::PublishOutcome, AppError> {
    app.correct(article_id(&id)?, note).await
}
