//! The public routes of app updates (`crate::releases` keeps the releases):
//!
//! - `GET /v1/app/update/{target}/{arch}/{current_version}?bundle=` answers tauri-plugin-updater
//!   as a dynamic update server does: 204 when no release newer than `current_version` exists
//!   for the platform, else 200 with `{version, notes, pub_date, url, signature}` of the
//!   newest;
//! - `GET /v1/app/releases/{version}/{file}` streams a release's package from the data
//!   directory.
//!
//! Both are public, like `/healthz`: an app must be able to update before anyone logs in on it,
//! and when the server refuses it as too old (`crate::client_version` lets `/v1/app/` through).
//! Nothing secret is served: the packages are signed, and the apps check the signature against
//! the key built into them.

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::releases::{self, Bundle, UNKNOWN_BUNDLE};
use crate::store::ReleaseFilter;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use barta_model::api::AppUpdate;
use serde::Deserialize;

/// The query of an update check.
#[derive(Debug, Default, Deserialize)]
pub struct UpdateQuery {
    /// tauri-plugin-updater's `{{bundle_type}}`; absent or `unknown`: any.
    #[serde(default)]
    pub bundle: Option<String>,
}

/// The address the download links are made under: `barta serve --public-url`, else the
/// request's host over plain http (behind a TLS proxy, `--public-url` must be set).
fn base_url(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Result<String, ApiError> {
    if let Some(public) = &state.config().public_url {
        return Ok(public.clone());
    }
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<Authority>().ok())
        .or_else(|| uri.authority().cloned())
        .filter(|authority| !authority.host().is_empty() && !authority.as_str().contains('@'));
    match host {
        Some(authority) => Ok(format!("http://{authority}")),
        None => Err(ApiError::bad_request(
            "the request names no usable host (Host header), and this server has no \
             --public-url to make download addresses with",
        )),
    }
}

/// `GET /v1/app/update/{target}/{arch}/{current_version}` (public): the newest release newer
/// than the app's, for its platform and (when it names one) its bundle.
pub async fn update(
    State(state): State<AppState>,
    ApiPath((target, arch, current)): ApiPath<(String, String, String)>,
    ApiQuery(query): ApiQuery<UpdateQuery>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let refused = |e: releases::ReleaseError| ApiError::bad_request(e.to_string());
    releases::check_target(&target).map_err(refused)?;
    releases::check_arch(&arch).map_err(refused)?;
    let current = semver::Version::parse(current.trim()).map_err(|e| {
        ApiError::bad_request(format!(
            "current_version {current:?} is not a semantic version (like 0.2.0): {e}"
        ))
    })?;
    let bundle = match query.bundle.as_deref() {
        None | Some(UNKNOWN_BUNDLE) => None,
        Some(name) => Some(name.parse::<Bundle>().map_err(refused)?),
    };
    let filter = ReleaseFilter {
        version: None,
        target: Some(target),
        arch: Some(arch),
        bundle: bundle.map(|b| b.as_str().to_string()),
    };
    let candidates = state.call(move |store| store.releases(&filter)).await?;
    let no_store = [(CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    let Some(release) = releases::newest_update(candidates, &current) else {
        return Ok((StatusCode::NO_CONTENT, no_store).into_response());
    };
    // Versions and file names are stored in characters that need no escaping in a path.
    let url = format!(
        "{}/v1/app/releases/{}/{}",
        base_url(&state, &headers, &uri)?,
        release.version,
        release.file_name
    );
    let answer = AppUpdate {
        version: release.version,
        notes: release.notes,
        pub_date: release.pub_date,
        url,
        signature: release.signature,
    };
    Ok((no_store, Json(answer)).into_response())
}

/// `GET /v1/app/releases/{version}/{file}` (public): a release's package, streamed from the
/// data directory. Anything that is not a recorded release's file is 404, and a path is only
/// ever made from a version and a name that cannot leave the releases folder.
pub async fn download(
    State(state): State<AppState>,
    ApiPath((version, file)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let not_found =
        || ApiError::not_found(format!("no release file {file:?} of version {version:?}"));
    let Some(path) = state
        .config()
        .releases
        .as_ref()
        .and_then(|files| files.path(&version, &file))
    else {
        return Err(not_found());
    };
    let (wanted_version, wanted_file) = (version.clone(), file.clone());
    let release = state
        .call(move |store| store.release_file(&wanted_version, &wanted_file))
        .await?;
    let opened = match tokio::fs::File::open(&path).await {
        Ok(opened) => opened,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), "a recorded release's file is missing");
            return Err(not_found());
        }
        Err(e) => return Err(ApiError::internal(&e)),
    };
    let length = opened
        .metadata()
        .await
        .map_err(|e| ApiError::internal(&e))?
        .len();
    if length != release.size {
        tracing::warn!(
            path = %path.display(),
            recorded = release.size,
            found = length,
            "a release's file is not the size recorded: the apps will refuse it if it was changed"
        );
    }
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .map_err(|e| ApiError::internal(&e))?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(opened));
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (CONTENT_LENGTH, HeaderValue::from(length)),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
