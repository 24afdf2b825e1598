//! The Tauri commands, grouped as the app's parts are (`core/`): each parses its arguments
//! (ids once, here), calls one [`App`] method and maps the error to `{code, message}`. No SQL
//! and no business rules here.

mod articles;
mod comments;
mod desk;
mod editing;
mod photos;
mod session;
mod sync;
mod text;

pub use articles::*;
pub use comments::*;
pub use desk::*;
pub use editing::*;
pub use photos::*;
pub use session::*;
pub use sync::*;
pub use text::*;

use crate::core::App;
use crate::error::AppError;
use barta_model::RevisionId;
use barta_model::{ArticleId, ErrorCode};
use std::sync::Arc;
use tauri::State;

pub(crate) type AppState<'a> = State<'a, Arc<App>>;

pub(crate) fn revision_id(id: &str) -> Result<RevisionId, AppError> {
    id.parse().map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            format!("{id:?} is not a revision id"),
        )
    })
}

pub(crate) fn article_id(id: &str) -> Result<ArticleId, AppError> {
    id.parse().map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            format!("{id:?} is not an article id"),
        )
    })
}
