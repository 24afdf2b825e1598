//! `POST /v1/revisions/batch`: many revision pushes in one request, committed together (one
//! fsync instead of one per revision). Each item is checked exactly as the single push
//! checks it (its `id` is its idempotency key, its `parent` its `If-Match`) and answered as
//! the single push would answer; a delta may be relative to an earlier item of the batch.

use crate::app::AppState;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::push::{self, PushError};
use crate::store::{NewRevision, PushOutcome, Store, StoreError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use barta_model::api::{
    BatchPushRequest, BatchPushResponse, BatchPushResult, ErrorDetail, MAX_BATCH, UserInfo,
};
use barta_model::{ArticleId, Document, ErrorCode, RevisionId};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// `POST /v1/revisions/batch`
pub async fn push_batch(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiJson(request): ApiJson<BatchPushRequest>,
) -> Result<Json<BatchPushResponse>, ApiError> {
    if request.items.is_empty() || request.items.len() > MAX_BATCH {
        return Err(ApiError::invalid(format!(
            "a batch holds 1 to {MAX_BATCH} revisions, this one {}",
            request.items.len()
        )));
    }
    let results = state
        .call(move |store| push_all(store, &user, request))
        .await?;
    Ok(Json(BatchPushResponse { results }))
}

/// An item on its way through the batch.
enum Slot {
    /// Checked and handed to the store (its answers come back in order).
    Ready,
    /// Refused before the store (its answer).
    Refused(ApiError),
    /// After a refused item of the same article: not looked at.
    NotTried,
}

fn push_all(
    store: &dyn Store,
    user: &UserInfo,
    request: BatchPushRequest,
) -> Result<Vec<BatchPushResult>, StoreError> {
    let mut slots = Vec::with_capacity(request.items.len());
    let mut ready: Vec<NewRevision> = Vec::new();
    let mut refused_articles: HashSet<ArticleId> = HashSet::new();
    // Bodies of this batch's revisions, for deltas relative to an earlier item.
    let mut bodies: HashMap<RevisionId, Document> = HashMap::new();
    for item in request.items {
        if refused_articles.contains(&item.article_id) {
            slots.push(Slot::NotTried);
            continue;
        }
        match prepare(
            store,
            user,
            item.article_id,
            Value::Object(item.revision),
            &bodies,
        )? {
            Ok(rev) => {
                bodies.insert(rev.push.id, rev.push.body.clone());
                slots.push(Slot::Ready);
                ready.push(rev);
            }
            Err(e) => {
                refused_articles.insert(item.article_id);
                slots.push(Slot::Refused(e));
            }
        }
    }
    let mut stored = store.push_revisions(user, ready)?.into_iter();
    let mut answers = Vec::with_capacity(slots.len());
    for slot in slots {
        answers.push(match slot {
            Slot::Refused(e) => refused(e),
            Slot::NotTried => not_tried(),
            Slot::Ready => match stored.next().flatten() {
                None => not_tried(),
                Some(Ok(PushOutcome::Accepted(a))) => BatchPushResult {
                    status: StatusCode::CREATED.as_u16(),
                    accepted: Some(a),
                    conflict: None,
                    error: None,
                },
                Some(Ok(PushOutcome::Conflict(c))) => BatchPushResult {
                    status: StatusCode::CONFLICT.as_u16(),
                    accepted: None,
                    conflict: Some(*c),
                    error: None,
                },
                Some(Err(e)) => refused(ApiError::from(e)),
            },
        });
    }
    Ok(answers)
}

/// The single push's checks for one item: the delta expanded (against an earlier item of the
/// batch or a stored revision the user may read), then the content, hash and headers. The
/// outer error is a failure of the store itself, which fails the whole batch.
fn prepare(
    store: &dyn Store,
    user: &UserInfo,
    article: ArticleId,
    raw: Value,
    bodies: &HashMap<RevisionId, Document>,
) -> Result<Result<NewRevision, ApiError>, StoreError> {
    let parent = match push::delta_parent(&raw) {
        Ok(parent) => parent,
        Err(e) => return Ok(Err(e.into())),
    };
    let base = match parent {
        None => None,
        Some(parent) => match bodies.get(&parent) {
            Some(body) => Some(body.clone()),
            None => match store.revision(user, parent) {
                Ok(base) if base.article_id == article => Some(base.body),
                Ok(_) => {
                    return Ok(Err(PushError::DeltaShape(
                        "the delta's parent belongs to another article",
                    )
                    .into()));
                }
                Err(e) if e.is_failure() => return Err(e),
                Err(e) => return Ok(Err(e.into())),
            },
        },
    };
    Ok(check(article, raw, base.as_ref()))
}

fn check(article: ArticleId, raw: Value, base: Option<&Document>) -> Result<NewRevision, ApiError> {
    let raw = match base {
        Some(body) => push::expand_delta(raw, body)?,
        None => raw,
    };
    let key = raw.get("id").and_then(Value::as_str).map(str::to_string);
    let if_match = raw
        .get("parent")
        .and_then(Value::as_str)
        .map(|p| format!("\"{p}\""));
    Ok(push::prepare_push(
        article,
        key.as_deref().or(Some("")),
        if_match.as_deref(),
        raw,
    )?)
}

fn refused(e: ApiError) -> BatchPushResult {
    BatchPushResult {
        status: e.status.as_u16(),
        accepted: None,
        conflict: None,
        error: Some(ErrorDetail {
            code: e.code,
            message: e.message,
        }),
    }
}

fn not_tried() -> BatchPushResult {
    BatchPushResult {
        status: StatusCode::FAILED_DEPENDENCY.as_u16(),
        accepted: None,
        conflict: None,
        error: Some(ErrorDetail {
            code: ErrorCode::NotTried,
            message: "not tried: an earlier revision of this article in the batch was not \
                      accepted; send it again after that one"
                .into(),
        }),
    }
}
