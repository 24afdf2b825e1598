//! The window a new laptop holds in full (`GET /v1/window`): every article not yet published
//! or killed, the user's own, and whatever changed in the newsroom's last N days — not the
//! whole archive, which a national newsroom counts in millions. Older articles are fetched
//! when opened and searched on the server. N is a newsroom setting
//! (`barta newsroom set sync.window-days N`, default [`DEFAULT_DAYS`]).

use crate::app::AppState;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::handlers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::store::{Store, StoreError, timestamp};
use axum::Json;
use axum::extract::State;
use barta_model::ArticleId;
use barta_model::api::WindowPage;
use serde::Deserialize;

/// The newsroom setting that holds N.
pub const DAYS_KEY: &str = "sync.window-days";
/// N when the newsroom has not set it.
pub const DEFAULT_DAYS: u32 = 30;
/// The largest N accepted (about ten years; beyond it, the whole archive is the window).
pub const MAX_DAYS: u32 = 3650;

/// The newsroom's N: its setting, or [`DEFAULT_DAYS`] when unset or unreadable.
pub fn days(store: &dyn Store) -> Result<u32, StoreError> {
    Ok(store
        .newsroom_setting(DAYS_KEY)?
        .and_then(|v| v.parse().ok())
        .filter(|d| *d <= MAX_DAYS)
        .unwrap_or(DEFAULT_DAYS))
}

/// `?after=&limit=` of the window.
#[derive(Debug, Default, Deserialize)]
pub struct WindowQuery {
    #[serde(default)]
    pub after: Option<ArticleId>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `GET /v1/window?after=&limit=`: one page of the caller's window, by article id.
pub async fn window(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiQuery(query): ApiQuery<WindowQuery>,
) -> Result<Json<WindowPage>, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}, found {limit}"
        )));
    }
    let page = state
        .call(move |store| {
            let days = days(store)?;
            let since = timestamp(chrono::Utc::now() - chrono::Duration::days(i64::from(days)));
            let (as_of, articles) = store.window(&user, &since, query.after, limit)?;
            Ok::<_, StoreError>((days, as_of, articles))
        })
        .await?;
    let (days, as_of, articles) = page;
    let next_after = (articles.len() == limit as usize)
        .then(|| articles.last().map(|c| c.article_id))
        .flatten();
    Ok(Json(WindowPage {
        as_of,
        days,
        articles,
        next_after,
    }))
}
