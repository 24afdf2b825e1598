//! The audit trail's request entries: what each session did. Every request to an audited
//! route that carries a bearer token is written to the trail after it is answered — who (the
//! user the [`crate::auth::Actor`] extractor found, or none for a dead token), which session,
//! from which address, what (the route's action and the article), and how it ended. Logins and
//! admin commands write their own entries ([`login_entry`], [`admin_entry`]); the store writes
//! the workflow's decisions. The entries are in `crate::store::audit`.

use crate::app::AppState;
use crate::auth::{PeerAddr, bearer, token_sha256};
use crate::store::NewAuditEntry;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use barta_model::ArticleId;
use barta_model::api::UserInfo;
use std::sync::{Arc, Mutex};

/// Where the [`crate::auth::Actor`] extractor leaves the authenticated user for this
/// middleware (a request extension).
#[derive(Clone, Default)]
pub struct AuditSlot(Arc<Mutex<Option<UserInfo>>>);

impl AuditSlot {
    /// Records the request's authenticated user.
    pub fn fill(&self, user: &UserInfo) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(user.clone());
    }

    fn take(&self) -> Option<UserInfo> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// A response extension: this answer is not worth an entry (an empty changes page, which
/// every laptop asks for every few seconds).
#[derive(Clone, Copy, Debug)]
pub struct Unaudited;

/// The audited routes (method, route, action). Not audited: who am I, desks, the lexicon,
/// presence heartbeats, public pages, app updates.
pub const AUDITED: &[(&str, &str, &str)] = &[
    ("GET", "/v1/articles/{id}", "read_article"),
    ("GET", "/v1/articles/{id}/revisions", "read_history"),
    ("POST", "/v1/articles/{id}/revisions", "push"),
    (
        "POST",
        "/v1/articles/{id}/transitions",
        "request_transition",
    ),
    ("POST", "/v1/articles/{id}/approve", "request_approve"),
    ("POST", "/v1/articles/{id}/publish", "request_publish"),
    ("POST", "/v1/articles/{id}/correct", "request_correct"),
    (
        "POST",
        "/v1/articles/{id}/deliveries/{target}/retry",
        "request_retry_delivery",
    ),
    ("GET", "/v1/articles/{id}/comments", "read_comments"),
    ("PUT", "/v1/articles/{id}/comments/{comment}", "comment"),
    ("POST", "/v1/media", "upload_start"),
    ("PATCH", "/v1/media/{id}", "upload"),
    ("GET", "/v1/media/{id}", "read_media"),
    ("POST", "/v1/revisions/batch", "push_batch"),
    ("GET", "/v1/revisions/{rev}", "read_revision"),
    ("GET", "/v1/changes", "read_changes"),
    ("GET", "/v1/window", "read_window"),
    ("GET", "/v1/search", "search_archive"),
    ("DELETE", "/v1/session", "logout"),
    ("PUT", "/v1/lexicon/{word}", "add_lexicon_word"),
];

/// The action name of an audited route, or `None` for routes not audited.
pub fn action_of(method: &Method, route: &str) -> Option<&'static str> {
    AUDITED
        .iter()
        .find(|(m, r, _)| *m == method.as_str() && *r == route)
        .map(|(_, _, action)| *action)
}

/// How an answer's status reads in the trail.
pub fn outcome_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => "ok",
        403 => "denied",
        409 | 422 => "refused",
        429 => "throttled",
        _ => "failed",
    }
}

/// The session id of a token as `barta session list` shows it: the first 12 hex digits of
/// its SHA-256.
pub fn session_id(token: &str) -> String {
    hex::encode(&token_sha256(token)[..6])
}

/// The article a route under `/v1/articles/{id}` is about.
fn article_in(route: &str, path: &str) -> Option<ArticleId> {
    if !route.starts_with("/v1/articles/{id}") {
        return None;
    }
    path.split('/').nth(3)?.parse().ok()
}

/// The middleware (a route layer, so the matched route is known).
pub async fn record_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let action = route
        .as_deref()
        .and_then(|route| action_of(&parts.method, route));
    let session = bearer(&parts).ok().map(session_id);
    let (Some(action), Some(route), Some(session)) = (action, route, session) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let PeerAddr(address) = match PeerAddr::from_request_parts(&mut parts, &state).await {
        Ok(peer) => peer,
        Err(never) => match never {},
    };
    let method = parts.method.clone();
    let path = parts.uri.path().to_string();
    let slot = AuditSlot::default();
    parts.extensions.insert(slot.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.extensions().get::<Unaudited>().is_some() {
        return response;
    }
    let user = slot.take();
    let status = response.status();
    let entry = NewAuditEntry {
        user_id: user.as_ref().map(|u| u.id),
        // A token that is not live: the session id tells whose it was (`barta audit
        // --session`), the trail never guesses.
        username: user.map_or_else(|| "-".to_string(), |u| u.username),
        article_id: article_in(&route, &path),
        action: action.to_string(),
        outcome: outcome_of(status).to_string(),
        detail: format!("{method} {path} {}", status.as_u16()),
        session: Some(session),
        address: address.map(|a| a.to_string()),
    };
    write(&state, entry).await;
    response
}

/// Appends `entry`; a failure to write is logged (the answer already stands).
pub async fn write(state: &AppState, entry: NewAuditEntry) {
    if let Err(e) = state.call(move |store| store.record_audit(&entry)).await {
        tracing::error!(code = %e.code, "an audit entry was not written: {}", e.message);
    }
}

/// A login's entry: `outcome` as [`outcome_of`] names it, the username tried (cut to 64
/// characters), the new session when one opened.
pub fn login_entry(
    username: &str,
    user: Option<&UserInfo>,
    outcome: &str,
    session: Option<String>,
    address: Option<std::net::IpAddr>,
) -> NewAuditEntry {
    NewAuditEntry {
        user_id: user.map(|u| u.id),
        username: username.chars().take(64).collect(),
        article_id: None,
        action: "login".into(),
        outcome: outcome.into(),
        detail: String::new(),
        session,
        address: address.map(|a| a.to_string()),
    }
}

/// An admin command's entry: who ran it on the server machine (`SUDO_USER` or `USER`), the
/// command and what it was about.
pub fn admin_entry(action: &str, detail: &str) -> NewAuditEntry {
    let operator = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "unknown".into());
    NewAuditEntry {
        user_id: None,
        username: format!("(command line: {operator})"),
        article_id: None,
        action: action.into(),
        outcome: "ok".into(),
        detail: detail.into(),
        session: None,
        address: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_as_the_trail_names_them() {
        assert_eq!(outcome_of(StatusCode::CREATED), "ok");
        assert_eq!(outcome_of(StatusCode::FORBIDDEN), "denied");
        assert_eq!(outcome_of(StatusCode::CONFLICT), "refused");
        assert_eq!(outcome_of(StatusCode::TOO_MANY_REQUESTS), "throttled");
        assert_eq!(outcome_of(StatusCode::UNAUTHORIZED), "failed");
    }

    #[test]
    fn every_audited_route_is_a_route_of_the_api() {
        let routes: Vec<&str> = crate::app::routes().iter().map(|(path, _)| *path).collect();
        for (_, route, _) in AUDITED {
            assert!(routes.contains(route), "{route}");
        }
        assert_eq!(action_of(&Method::GET, "/v1/me"), None);
        assert_eq!(action_of(&Method::PUT, "/v1/articles/{id}/presence"), None);
    }

    #[test]
    fn the_article_comes_from_the_path() {
        let id = ArticleId::new();
        assert_eq!(
            article_in(
                "/v1/articles/{id}/comments",
                &format!("/v1/articles/{id}/comments")
            ),
            Some(id)
        );
        assert_eq!(article_in("/v1/revisions/{rev}", "/v1/revisions/x"), None);
    }
}
