//! The articles' commands: lists, creating, loading, submitting, search (local, then the
//! archive on the server, whose hits open by being fetched), history and Bijoy export.

use super::{AppState, article_id, revision_id};
use crate::error::AppError;
use crate::ipc_types::{ArchiveSearch, ArticleList, FoundArticle};
use barta_model::diff::DocumentDiff;
use barta_store::{ArticleDraft, ArticleSummary, RevisionInfo, SearchQuery};

#[tauri::command]
pub fn list_articles(
    app: AppState<'_>,
    list: ArticleList,
) -> Result<Vec<ArticleSummary>, AppError> {
    app.list(list)
}

#[tauri::command]
pub fn create_article(app: AppState<'_>) -> Result<ArticleDraft, AppError> {
    app.create()
}

#[tauri::command]
pub fn load_article(app: AppState<'_>, id: String) -> Result<ArticleDraft, AppError> {
    app.load(article_id(&id)?)
}

/// Async: the open article polls it every 2 s, and it waits for the store, which a sync round
/// may be holding; the main thread stays free to paint the keystroke meanwhile.
#[tauri::command]
pub async fn article_summary(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.summary(article_id(&id)?)
}

#[tauri::command]
pub fn submit_article(app: AppState<'_>, id: String) -> Result<ArticleSummary, AppError> {
    app.submit(article_id(&id)?)
}

#[tauri::command]
pub fn export_bijoy(app: AppState<'_>, id: String) -> Result<String, AppError> {
    app.export_bijoy(article_id(&id)?)
}

#[tauri::command]
pub fn search_articles(
    app: AppState<'_>,
    list: ArticleList,
    query: SearchQuery,
) -> Result<Vec<FoundArticle>, AppError> {
    app.search(list, query)
}

/// The archive's part of a search, asked after the local hits are shown: never an error (why
/// it was not searched is in the answer). Async: it waits for the server, up to a few seconds.
#[tauri::command]
pub async fn search_archive(
    app: AppState<'_>,
    query: SearchQuery,
) -> Result<ArchiveSearch, AppError> {
    Ok(app.search_archive(query).await)
}

/// Opens an archive hit: fetched into the local store first unless the laptop holds it.
#[tauri::command]
pub async fn open_archived_article(
    app: AppState<'_>,
    id: String,
) -> Result<ArticleDraft, AppError> {
    app.open_from_archive(article_id(&id)?).await
}

#[tauri::command]
pub fn article_history(app: AppState<'_>, id: String) -> Result<Vec<RevisionInfo>, AppError> {
    app.history(article_id(&id)?)
}

#[tauri::command]
pub fn diff_revisions(
    app: AppState<'_>,
    id: String,
    from: String,
    to: Option<String>,
) -> Result<DocumentDiff, AppError> {
    let to = to.as_deref().map(revision_id).transpose()?;
    app.diff(article_id(&id)?, revision_id(&from)?, to)
}

#[tauri::command]
pub fn save_version(app: AppState<'_>, id: String) -> Result<ArticleDraft, AppError> {
    app.save_version(article_id(&id)?)
}

#[tauri::command]
pub fn restore_revision(
    app: AppState<'_>,
    id: String,
    rev: String,
) -> Result<ArticleDraft, AppError> {
    app.restore(article_id(&id)?, revision_id(&rev)?)
}
