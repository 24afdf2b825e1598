//! The HTTP handlers: each extracts its input, makes one store (or domain) call on the blocking
//! pool, and maps the answer. No SQL and no business rules here.

use crate::app::AppState;
use crate::auth::{self, Actor, BearerToken, PeerAddr};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, header_text};
use crate::html;
use crate::ninjs::{self, PublishedFeed};
use crate::push;
use crate::store::{PublishOrder, PushOutcome, timestamp};
use crate::throttle::LoginSettled;
use axum::Json;
use axum::extract::State;
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use barta_model::api::{
    API_VERSION, ApproveRequest, ApproveResponse, ArticleResponse, CommentPut, CommentRecord,
    CorrectRequest, DeliveryInfo, DeskList, Health, LexiconResponse, LexiconWord, LoginRequest,
    PresenceEntry, PublishRequest, PublishResponse, RevisionRecord, SERVICE_NAME, SessionResponse,
    TransitionRequest, TransitionResponse, UserInfo,
};
use barta_model::{ArticleId, RevisionId};
use serde::Deserialize;
use serde_json::Value;

/// The `Idempotency-Key` header of a revision push.
pub static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The default page size of the feeds.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest page size of the feeds.
pub const MAX_LIMIT: u32 = 1000;

/// `?since=&limit=` of the feeds.
#[derive(Debug, Default, Deserialize)]
pub struct Page {
    #[serde(default)]
    pub since: Option<i64>,
    #[serde(default)]
    pub limit: Option<u32>,
}

impl Page {
    /// The cursor and page size, or 400 when either is out of range (a negative cursor, a
    /// page size outside 1..=[`MAX_LIMIT`]): bad input is refused, never silently clamped.
    fn checked(&self) -> Result<(i64, u32), ApiError> {
        let since = self.since.unwrap_or(0);
        if since < 0 {
            return Err(ApiError::bad_request(format!(
                "since must be 0 or a `next` from an earlier page, found {since}"
            )));
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}, found {limit}"
            )));
        }
        Ok((since, limit))
    }
}

fn etag(rev: RevisionId) -> [(HeaderName, HeaderValue); 1] {
    // A UUID in quotes is always a valid header value.
    let value = HeaderValue::from_str(&format!("\"{rev}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    [(ETAG, value)]
}

/// `GET /healthz` (public): up or not, and what an app needs to know before it connects —
/// that this is a Barta server, the API it speaks and the oldest app it accepts.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let up = state.call(|store| store.health()).await.is_ok();
    let health = Health {
        status: if up { "ok" } else { "degraded" }.into(),
        store: if up { "ok" } else { "error" }.into(),
        service: Some(SERVICE_NAME.into()),
        api: Some(API_VERSION),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        min_client_version: state
            .config()
            .min_client_version
            .as_ref()
            .map(ToString::to_string),
    };
    let status = if up {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health)).into_response()
}

/// `POST /v1/session` (public): log in. Too many failures for the account or from the
/// address answer 429 before any password is checked ([`crate::throttle`]).
pub async fn login(
    State(state): State<AppState>,
    PeerAddr(address): PeerAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    let ttl = state.config().token_ttl;
    let app_lock_after = state.config().app_lock_after.as_secs();
    let account = req.username.clone();
    let limits = state.config().login_limits;
    let name = account.clone();
    let let_through = state
        .call(move |store| store.begin_login(&limits, &name, address))
        .await?;
    if let Err(retry_after) = let_through {
        tracing::warn!(%account, ?address, "login throttled");
        let entry = crate::audit_trail::login_entry(&account, None, "throttled", None, address);
        crate::audit_trail::write(&state, entry).await;
        return Err(auth::AuthError::Throttled { retry_after }.into());
    }
    // A turn among the few password checks allowed at once (argon2id's memory), held until
    // the check is done.
    let mut turn = state.password_checks().turn().await;
    // The login's own typed outcome decides what counts as a failed guess.
    let answer = state
        .call(move |store| Ok::<_, ApiError>(auth::login(store, &req, ttl, &mut turn)))
        .await?;
    let entry = |user, outcome, session| {
        crate::audit_trail::login_entry(&account, user, outcome, session, address)
    };
    let (entry, settled) = match &answer {
        Ok(session) => {
            let id = crate::audit_trail::session_id(&session.token);
            let entry = entry(Some(&session.user), "ok", Some(id));
            (entry, Some(LoginSettled::Succeeded))
        }
        // Counted as a failure when it was let through.
        Err(auth::AuthError::WrongCredentials) => (entry(None, "failed", None), None),
        Err(auth::AuthError::Disabled) => {
            (entry(None, "denied", None), Some(LoginSettled::NotAGuess))
        }
        Err(_) => (entry(None, "failed", None), Some(LoginSettled::NotAGuess)),
    };
    if let Some(how) = settled {
        let name = account.clone();
        // A count that cannot be settled (the database gone) errs on the safe side: the
        // attempt stays counted, and the login's own answer stands.
        if let Err(error) = state
            .call(move |store| store.settle_login(&name, address, how))
            .await
        {
            tracing::warn!(%account, ?error, "a login's count was not settled");
        }
    }
    crate::audit_trail::write(&state, entry).await;
    let mut session = answer?;
    session.app_lock_after = Some(app_lock_after);
    Ok(Json(session))
}

/// `DELETE /v1/session`: log out (revoke the token). A token that is not live answers 401,
/// like on every other route.
pub async fn logout(
    State(state): State<AppState>,
    Actor(_): Actor,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, ApiError> {
    state
        .call(move |store| store.revoke_token(&auth::token_sha256(&token)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/me`
pub async fn me(Actor(user): Actor) -> Json<UserInfo> {
    Json(user)
}

/// `GET /v1/desks`: the caller's desks with their display names.
pub async fn desks(
    State(state): State<AppState>,
    Actor(user): Actor,
) -> Result<Json<DeskList>, ApiError> {
    state
        .call(move |store| store.desks_of(user.id))
        .await
        .map(|desks| Json(DeskList { desks }))
}

/// `GET /v1/lexicon`: the newsroom's words for the spelling checkers.
pub async fn lexicon(
    State(state): State<AppState>,
    Actor(user): Actor,
) -> Result<Json<LexiconResponse>, ApiError> {
    state
        .call(move |store| store.lexicon(&user))
        .await
        .map(Json)
}

/// `PUT /v1/lexicon/{word}` (editors): a word for the whole newsroom's spelling checkers.
pub async fn add_lexicon_word(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(word): ApiPath<String>,
) -> Result<Json<LexiconWord>, ApiError> {
    let word = bangla::normalize(word.trim());
    let stored = word.clone();
    state
        .call(move |store| store.add_lexicon_word(&user, &stored))
        .await
        .map(|()| Json(LexiconWord { word }))
}

/// `POST /v1/articles/{id}/revisions`
pub async fn push_revision(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
    headers: HeaderMap,
    ApiJson(raw): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let raw = match push::delta_parent(&raw)? {
        None => raw,
        Some(parent) => {
            let reader = user.clone();
            let base = state
                .call(move |store| store.revision(&reader, parent))
                .await?;
            if base.article_id != id {
                return Err(push::PushError::DeltaShape(
                    "the delta's parent belongs to another article",
                )
                .into());
            }
            push::expand_delta(raw, &base.body)?
        }
    };
    let rev = push::prepare_push(
        id,
        header_text(&headers, &IDEMPOTENCY_KEY)?,
        header_text(&headers, &IF_MATCH)?,
        raw,
    )?;
    let outcome = state
        .call(move |store| store.push_revision(&user, rev))
        .await?;
    Ok(match outcome {
        PushOutcome::Accepted(accepted) => {
            (StatusCode::CREATED, etag(accepted.head), Json(accepted)).into_response()
        }
        PushOutcome::Conflict(conflict) => {
            (StatusCode::CONFLICT, etag(conflict.head), Json(conflict)).into_response()
        }
    })
}

/// `GET /v1/articles/{id}`
pub async fn article(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
) -> Result<impl IntoResponse, ApiError> {
    let article: ArticleResponse = state.call(move |store| store.article(&user, id)).await?;
    Ok((etag(article.head), Json(article)))
}

/// `GET /v1/revisions/{rev}`
pub async fn revision(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<RevisionId>,
) -> Result<Json<RevisionRecord>, ApiError> {
    state
        .call(move |store| store.revision(&user, id))
        .await
        .map(Json)
}

/// `GET /v1/articles/{id}/revisions`: newest first.
pub async fn history(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
) -> Result<Json<Vec<RevisionRecord>>, ApiError> {
    state
        .call(move |store| store.history(&user, id))
        .await
        .map(Json)
}

/// `GET /v1/changes?since=&limit=`
pub async fn changes(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Response, ApiError> {
    let (since, limit) = page.checked()?;
    let page = state
        .call(move |store| store.changes(&user, since, limit))
        .await?;
    let empty = page.changes.is_empty();
    let mut response = Json(page).into_response();
    if empty {
        response
            .extensions_mut()
            .insert(crate::audit_trail::Unaudited);
    }
    Ok(response)
}

/// `POST /v1/articles/{id}/transitions`
pub async fn transition(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> Result<Json<TransitionResponse>, ApiError> {
    let answer = state
        .call(move |store| store.transition(&user, id, req))
        .await?;
    state.wake_deliveries();
    Ok(Json(answer))
}

/// `POST /v1/articles/{id}/approve` with `If-Match: "<head>"`
pub async fn approve(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ApproveRequest>,
) -> Result<Json<ApproveResponse>, ApiError> {
    let if_match = header_text(&headers, &IF_MATCH)?.ok_or_else(|| {
        ApiError::bad_request("If-Match is required: the head revision you reviewed")
    })?;
    let if_match = push::parse_if_match(if_match)?;
    state
        .call(move |store| store.approve(&user, id, if_match, req))
        .await
        .map(Json)
}

/// `POST /v1/articles/{id}/publish`
pub async fn publish(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
    ApiJson(req): ApiJson<PublishRequest>,
) -> Result<Json<PublishResponse>, ApiError> {
    let at = req
        .at
        .as_deref()
        .map(|at| {
            chrono::DateTime::parse_from_rfc3339(at)
                .map(|t| t.to_utc())
                .map_err(|e| ApiError::invalid(format!("`at` must be an RFC 3339 time: {e}")))
        })
        .transpose()?;
    let order = PublishOrder {
        approval_id: req.approval_id,
        at,
    };
    let answer = state
        .call(move |store| store.publish(&user, id, order))
        .await?;
    state.wake_deliveries();
    Ok(Json(answer))
}

/// `POST /v1/articles/{id}/correct` with `If-Match: "<head>"`
pub async fn correct(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CorrectRequest>,
) -> Result<Json<PublishResponse>, ApiError> {
    let if_match = header_text(&headers, &IF_MATCH)?.ok_or_else(|| {
        ApiError::bad_request("If-Match is required: the head revision you corrected")
    })?;
    let if_match = push::parse_if_match(if_match)?;
    let answer = state
        .call(move |store| store.correct(&user, id, if_match, req))
        .await?;
    state.wake_deliveries();
    Ok(Json(answer))
}

/// `POST /v1/articles/{id}/deliveries/{target}/retry`: editors and admins of the desk.
pub async fn retry_delivery(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath((id, target)): ApiPath<(ArticleId, String)>,
) -> Result<Json<Vec<DeliveryInfo>>, ApiError> {
    let answer = state
        .call(move |store| store.retry_delivery(&user, id, &target))
        .await?;
    state.wake_deliveries();
    Ok(Json(answer))
}

/// `GET /v1/articles/{id}/comments`: oldest first.
pub async fn comments(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
) -> Result<Json<Vec<CommentRecord>>, ApiError> {
    state
        .call(move |store| store.comments(&user, id))
        .await
        .map(Json)
}

/// `PUT /v1/articles/{id}/comments/{comment}`: create, replay or resolve.
pub async fn put_comment(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath((id, comment)): ApiPath<(ArticleId, String)>,
    ApiJson(req): ApiJson<CommentPut>,
) -> Result<Json<CommentRecord>, ApiError> {
    state
        .call(move |store| store.put_comment(&user, id, &comment, req))
        .await
        .map(Json)
}

/// `PUT /v1/articles/{id}/presence`: "I have it open"; answers who else has.
pub async fn presence(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
) -> Result<Json<Vec<PresenceEntry>>, ApiError> {
    state
        .call(move |store| {
            store.article(&user, id)?;
            store.beat_presence(id, &user)
        })
        .await
        .map(Json)
}

/// `DELETE /v1/articles/{id}/presence`: "I closed it".
pub async fn leave(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<ArticleId>,
) -> Result<StatusCode, ApiError> {
    state
        .call(move |store| store.leave_presence(id, &user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/published?since=&limit=` (public): the ninjs feed.
pub async fn published(
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<PublishedFeed>, ApiError> {
    let (since, limit) = page.checked()?;
    let now = timestamp(chrono::Utc::now());
    let items = state
        .call(move |store| store.published(since, limit, &now))
        .await?;
    let next = items.last().map_or(since, |p| p.seq);
    Ok(Json(PublishedFeed {
        items: items.iter().map(ninjs::render).collect(),
        next,
    }))
}

/// `GET /v1/published/{id}` (public): one ninjs item.
pub async fn published_item(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let now = timestamp(chrono::Utc::now());
    let publication = state
        .call(move |store| store.publication(&id, &now))
        .await?;
    let wants_html = header_text(&headers, &axum::http::header::ACCEPT)?
        .is_some_and(|accept| accept.contains("text/html"));
    Ok(if wants_html {
        axum::response::Html(html::render(&publication)).into_response()
    } else {
        Json(ninjs::render(&publication)).into_response()
    })
}

/// `GET /openapi.json` (public): the API as OpenAPI 3.1.
pub async fn openapi() -> Json<&'static Value> {
    Json(crate::openapi::document())
}

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// Known routes called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        barta_model::ErrorCode::BadRequest,
        "this route does not accept that method",
    )
}
