//! The media routes: photos uploaded resumably with a subset of tus 1.0 (creation, `HEAD` for
//! the offset, `PATCH` chunks at that offset; the SHA-256 declared up front is checked when
//! the last byte arrives), and served publicly by their SHA-256 once complete.

use crate::app::AppState;
use crate::auth::{Actor, MaybeActor};
use crate::error::ApiError;
use crate::extract::{ApiPath, header_text};
use crate::store::{Audience, MediaStatus, NewMedia};
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, VARY};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

/// tus headers.
pub static TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
pub static UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
pub static UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
pub static UPLOAD_METADATA: HeaderName = HeaderName::from_static("upload-metadata");

/// The media type of a `PATCH` body.
pub const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";

fn number(headers: &HeaderMap, name: &HeaderName) -> Result<u64, ApiError> {
    header_text(headers, name)?
        .ok_or_else(|| ApiError::bad_request(format!("the {name} header is required")))?
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("the {name} header must be a number")))
}

/// `Upload-Metadata: sha256 <base64>,content-type <base64>` → (key, value) pairs.
fn metadata(headers: &HeaderMap) -> Result<Vec<(String, String)>, ApiError> {
    let Some(text) = header_text(headers, &UPLOAD_METADATA)? else {
        return Ok(Vec::new());
    };
    text.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let mut parts = pair.trim().splitn(2, ' ');
            let key = parts.next().unwrap_or("").to_string();
            let value = base64::engine::general_purpose::STANDARD
                .decode(parts.next().unwrap_or("").trim())
                .ok()
                .and_then(|v| String::from_utf8(v).ok())
                .ok_or_else(|| {
                    ApiError::invalid(format!("Upload-Metadata {key:?} is not base64 text"))
                })?;
            Ok((key, value))
        })
        .collect()
}

fn tus_headers(status: &MediaStatus) -> [(HeaderName, HeaderValue); 4] {
    [
        (TUS_RESUMABLE.clone(), HeaderValue::from_static("1.0.0")),
        (UPLOAD_OFFSET.clone(), HeaderValue::from(status.offset)),
        (UPLOAD_LENGTH.clone(), HeaderValue::from(status.length)),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ]
}

fn body(status: &MediaStatus) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "id": status.id, "sha256": status.sha256, "length": status.length,
        "offset": status.offset, "complete": status.complete,
    }))
}

/// `POST /v1/media`: starts an upload (or finds the caller's upload of the same file).
pub async fn create(
    State(state): State<AppState>,
    Actor(user): Actor,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let length = number(&headers, &UPLOAD_LENGTH)?;
    let meta = metadata(&headers)?;
    let get = |key: &str| {
        meta.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| ApiError::invalid(format!("Upload-Metadata needs {key}")))
    };
    let media = NewMedia {
        sha256: get("sha256")?,
        length,
        content_type: get("content-type")?,
        quota_bytes: state.config().upload_quota_bytes,
    };
    let status = state
        .call(move |store| store.create_media(&user, media))
        .await?;
    let location = HeaderValue::from_str(&format!("/v1/media/{}", status.id))
        .map_err(|e| ApiError::internal(&e))?;
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        tus_headers(&status),
        body(&status),
    )
        .into_response())
}

/// `HEAD /v1/media/{id}`: the upload's offset.
pub async fn offset(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let status = state
        .call(move |store| store.media_status(&user, &id))
        .await?;
    Ok((StatusCode::OK, tus_headers(&status)).into_response())
}

/// `PATCH /v1/media/{id}`: a chunk at `Upload-Offset`.
pub async fn append(
    State(state): State<AppState>,
    Actor(user): Actor,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    chunk: Bytes,
) -> Result<Response, ApiError> {
    let content_type = header_text(&headers, &CONTENT_TYPE)?.unwrap_or("");
    if content_type != OFFSET_OCTET_STREAM {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            barta_model::ErrorCode::UnsupportedMediaType,
            format!("a chunk is sent as {OFFSET_OCTET_STREAM}"),
        ));
    }
    let offset = number(&headers, &UPLOAD_OFFSET)?;
    let status = state
        .call(move |store| store.append_media(&user, &id, offset, &chunk))
        .await?;
    Ok((StatusCode::NO_CONTENT, tus_headers(&status)).into_response())
}

/// How long a public photo may be cached: short, so that an unpublished or killed article's
/// photos leave caches soon after.
pub const PUBLIC_MAX_AGE: u64 = 300;

/// `GET /v1/media/{sha256}`: a completely uploaded photo, to anyone while a live publication
/// shows it, otherwise only to its uploader and to users who may read an article that shows
/// it (404 for everyone else). Streamed chunk by chunk from the store.
pub async fn file(
    State(state): State<AppState>,
    MaybeActor(viewer): MaybeActor,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response, ApiError> {
    let now = crate::store::timestamp(chrono::Utc::now());
    let file = state
        .call(move |store| store.media_file(viewer.as_ref(), &sha256, &now))
        .await?;
    let content_type =
        HeaderValue::from_str(&file.content_type).map_err(|e| ApiError::internal(&e))?;
    let cache = match file.audience {
        Audience::Public => format!("public, max-age={PUBLIC_MAX_AGE}"),
        Audience::Reader => "private, max-age=3600".to_string(),
    };
    let cache = HeaderValue::from_str(&cache).map_err(|e| ApiError::internal(&e))?;
    let length = file.length;
    let upload = file.upload_id;
    // Each step reads the next stored chunk in its own short read transaction.
    let chunks = futures_util::stream::unfold(Some(0u64), move |next| {
        let (state, upload) = (state.clone(), upload.clone());
        async move {
            let offset = next?;
            let read = state
                .call(move |store| store.media_chunk(&upload, offset))
                .await;
            match read {
                Ok(Some((at, bytes))) => {
                    let after = at + bytes.len() as u64;
                    Some((Ok(Bytes::from(bytes)), Some(after)))
                }
                Ok(None) => None,
                Err(e) => Some((Err(std::io::Error::other(e.message)), None)),
            }
        }
    });
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, cache),
            (CONTENT_LENGTH, HeaderValue::from(length)),
            (VARY, HeaderValue::from_static("authorization")),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
