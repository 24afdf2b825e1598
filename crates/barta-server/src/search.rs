//! The archive searched on the server (`GET /v1/search?q=&limit=`): laptops hold a window of
//! the newsroom's articles, not the archive, so a search also asks here. The query is
//! normalized and split into terms exactly as the laptop splits it (`bangla::search`), each
//! backend matches the same keys, and the hits come with their headline and a snippet marked.
//! The query is never written to the log or the audit trail (a name searched for can be a
//! source's).

use crate::app::AppState;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::store::StoreError;
use axum::Json;
use axum::extract::State;
use barta_model::api::{ARCHIVE_QUERY_MAX_CHARS, ARCHIVE_SEARCH_MAX, ArchiveSearchPage};
use serde::Deserialize;

/// Hits when the query does not say.
pub const DEFAULT_HITS: u32 = 20;

/// `?q=&limit=` of a search.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `GET /v1/search?q=&limit=`: the archive's best matches among what the caller may read.
pub async fn search(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<ArchiveSearchPage>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_HITS);
    if !(1..=ARCHIVE_SEARCH_MAX).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {ARCHIVE_SEARCH_MAX}, found {limit}"
        )));
    }
    let text = bangla::normalize(params.q.as_deref().unwrap_or_default());
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::bad_request(
            "q: the words to search for are missing",
        ));
    }
    let chars = text.chars().count();
    if chars > ARCHIVE_QUERY_MAX_CHARS {
        return Err(ApiError::bad_request(format!(
            "q is {chars} characters long, at most {ARCHIVE_QUERY_MAX_CHARS} are searched"
        )));
    }
    let terms = bangla::search::terms(text);
    if terms.is_empty() {
        return Ok(Json(ArchiveSearchPage { hits: Vec::new() }));
    }
    let hits = state
        .call(move |store| {
            // What was pushed since the background indexer last ran is indexed first (one
            // batch at most: a search never waits on a whole migrated archive).
            store.index_archive_backlog(BACKLOG_BATCH)?;
            store
                .search_archive(&user, &terms, limit)?
                .into_iter()
                .map(|found| found.hit(&terms))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(Json(ArchiveSearchPage { hits }))
}

/// Articles indexed per transaction of the backlog.
const BACKLOG_BATCH: u32 = 200;

/// Indexes the whole backlog now (`barta migrate` does, so a migrated newsroom is searchable
/// from its first start); how many articles.
pub fn index_whole_backlog(store: &dyn crate::store::Store) -> Result<usize, StoreError> {
    let mut indexed = 0;
    loop {
        match store.index_archive_backlog(BACKLOG_BATCH)? {
            0 => return Ok(indexed),
            n => indexed += n,
        }
    }
}

/// How long the background indexer rests when the index is up to date.
const INDEXER_REST: std::time::Duration = std::time::Duration::from_millis(500);

/// Keeps the archive index up to date beside the serving: indexes a batch of the articles
/// whose head it lacks (pushed since, stored before it existed, copied in by `barta
/// migrate`), and rests once it has caught up. Each article is indexed once per batch however
/// many revisions it got meanwhile, and the pushes themselves only list it. A failing store
/// (a database that is down) is tried again after a rest; several instances doing this at
/// once only repeat each other's work.
pub async fn keep_index(store: std::sync::Arc<dyn crate::store::Store>) {
    let mut failing = false;
    loop {
        let batch = std::sync::Arc::clone(&store);
        match tokio::task::spawn_blocking(move || batch.index_archive_backlog(BACKLOG_BATCH)).await
        {
            Ok(Ok(n)) => {
                failing = false;
                if n > 0 {
                    tracing::debug!(indexed = n, "archive search: articles indexed");
                }
                // A full batch: more are listed (a migrated archive), go on at once. Else
                // rest: what pushes list meanwhile is indexed together, each article once.
                if n == BACKLOG_BATCH as usize {
                    continue;
                }
            }
            Ok(Err(e)) => {
                if !failing {
                    tracing::warn!(error = %e, "archive search: indexing failed, trying again");
                }
                failing = true;
            }
            Err(e) => {
                tracing::warn!(error = %e, "archive search: the indexer ended");
                return;
            }
        }
        tokio::time::sleep(if failing {
            INDEXER_REST * 10
        } else {
            INDEXER_REST
        })
        .await;
    }
}
