//! The Tauri commands, grouped as the app's parts are (`core/`): each parses its arguments
//! (ids once, here), calls one [`App`] method and maps the error to `{code, message}`. No SQL
//! and no business rules here.

mod articles;
mod comments;
mod desk;
mod editing;
mod photos;
mod session;
mod setup;
mod sync;
mod text;

pub use articles::*;
pub use comments::*;
pub use desk::*;
pub use editing::*;
pub use photos::*;
pub use session::*;
pub use setup::*;
pub use sync::*;
pub use text::*;

use crate::core::App;
use crate::error::AppError;
use crate::launch::Shell;
use barta_model::RevisionId;
use barta_model::{ArticleId, ErrorCode};
use std::sync::Arc;
use tauri::State;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};

/// The running app, for every command but the setup's: before a server is set (the first
/// run's setup screen) a command answers `server_not_set` instead of reaching the store.
pub(crate) struct AppState<'a>(&'a Arc<App>);

impl<'a> AppState<'a> {
    pub(crate) fn inner(&self) -> &'a Arc<App> {
        self.0
    }
}

impl std::ops::Deref for AppState<'_> {
    type Target = Arc<App>;
    fn deref(&self) -> &Arc<App> {
        self.0
    }
}

impl<'de, R: tauri::Runtime> CommandArg<'de, R> for AppState<'de> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let shell = <State<'de, Arc<Shell>> as CommandArg<'de, R>>::from_command(command)?;
        match shell.inner().app() {
            Some(app) => Ok(AppState(app)),
            None => Err(InvokeError::from(AppError::new(
                ErrorCode::ServerNotSet,
                "no newsroom server is set yet: enter its address first",
            ))),
        }
    }
}

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
