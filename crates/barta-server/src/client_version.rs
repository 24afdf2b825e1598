//! The oldest app a server accepts: an app that sends its version older than
//! `ServerConfig::min_client_version` is told to update (426 `client_too_old`) in plain words
//! instead of failing later in some obscure way. Clients that send no version (the CLI,
//! scripts, a website's webhooks) are not affected; `/healthz` always answers, so an old app can
//! still learn why, and so does `/v1/app/` (updates), so an old app can still update itself.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use barta_model::ErrorCode;
use barta_model::api::CLIENT_VERSION_HEADER;
use std::sync::Arc;

/// The version an app sent, if it sent one that parses.
fn sent_version(request: &Request) -> Option<semver::Version> {
    let value = request
        .headers()
        .get(CLIENT_VERSION_HEADER)?
        .to_str()
        .ok()?;
    semver::Version::parse(value.trim()).ok()
}

/// The routes an app too old for this server still reaches: `/healthz`, which tells it why,
/// and the update routes under `/v1/app/` — refusing those would leave an old app with no way
/// to become new enough (they are public and serve only signed packages).
fn always_answered(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/v1/app/")
}

/// Answers 426 to an app older than `minimum`; passes everything else on.
pub async fn refuse_old_clients(
    State(minimum): State<Option<Arc<semver::Version>>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(minimum) = minimum
        && !always_answered(request.uri().path())
        && let Some(sent) = sent_version(&request)
        && sent < *minimum
    {
        return ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::ClientTooOld,
            format!(
                "this Barta app ({sent}) is older than the newsroom's server accepts ({minimum} or newer): update the app"
            ),
        )
        .into_response();
    }
    next.run(request).await
}
