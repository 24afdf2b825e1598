//! The commands that keep typing: typing saves, the cursor's place, comments being typed, and closing the window once saved.

use super::{AppState, article_id};
use crate::error::AppError;
use crate::ipc_types::EditPlace;
use barta_model::{ArticleMeta, Block, Document, ErrorCode};

/// Async, like every typing save: it may wait for the store, which a sync round or the
/// durability thread may hold, and the main thread stays free to paint the keystroke.
#[tauri::command]
pub async fn save_draft(
    app: AppState<'_>,
    id: String,
    meta: ArticleMeta,
    body: Document,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.save_draft(article_id(&id)?, meta, body, place)
}

/// A typing save of only the blocks that changed since the last one (`conflict`: send the
/// whole document with [`save_draft`]).
#[tauri::command]
pub async fn save_draft_blocks(
    app: AppState<'_>,
    id: String,
    meta: ArticleMeta,
    order: Vec<String>,
    changed: Vec<Block>,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.save_draft_blocks(article_id(&id)?, meta, order, changed, place)
}

/// The cursor moved in the open article (nothing typed).
#[tauri::command]
pub async fn remember_place(
    app: AppState<'_>,
    id: String,
    place: Option<EditPlace>,
) -> Result<(), AppError> {
    app.remember_place(article_id(&id)?, place)
}

/// The comments being typed on the article, by the comment they answer (`""`: a new one).
#[tauri::command]
pub async fn comment_drafts(
    app: AppState<'_>,
    id: String,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    app.comment_drafts(article_id(&id)?)
}

/// Keeps the comments being typed on the article (as typing is kept).
#[tauri::command]
pub async fn save_comment_drafts(
    app: AppState<'_>,
    id: String,
    drafts: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    app.save_comment_drafts(article_id(&id)?, drafts)
}

/// The open article was left for a list: a restart opens the list.
#[tauri::command]
pub async fn forget_open_article(app: AppState<'_>) -> Result<(), AppError> {
    app.forget_open_article()
}

/// The page's answer to a close request (see `close_after_saving` in main.rs): its unsaved
/// edits are saved, so the window closes for good.
#[tauri::command]
pub fn close_window(window: tauri::WebviewWindow) -> Result<(), AppError> {
    window
        .destroy()
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("closing the window: {e}")))
}
