//! The comments' commands: reading, adding and resolving comments on passages.

use super::{AppState, article_id};
use crate::error::AppError;

#[tauri::command]
pub async fn article_comments(
    app: AppState<'_>,
    id: String,
) -> Result<Vec<barta_store::Comment>, AppError> {
    app.comments(article_id(&id)?).await
}

#[tauri::command]
pub fn add_comment(
    app: AppState<'_>,
    id: String,
    anchor: barta_model::api::CommentAnchor,
    parent_id: Option<String>,
    body: String,
) -> Result<barta_store::Comment, AppError> {
    app.add_comment(article_id(&id)?, anchor, parent_id, &body)
}

#[tauri::command]
pub fn resolve_comment(app: AppState<'_>, id: String, comment_id: String) -> Result<(), AppError> {
    app.resolve_comment(article_id(&id)?, &comment_id)
}
