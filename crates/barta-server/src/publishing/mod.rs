//! Publishing to the newsroom's website: publish targets (a WordPress site, a webhook), the
//! outbox of deliveries, and the worker inside `barta serve` that sends them.
//!
//! The flow, and why it delivers exactly once:
//!
//! 1. Every publication event (publish, schedule, correction, unpublish, kill) writes one
//!    delivery row per matching target **in the event's own transaction** (the store's
//!    `change_state`), so an event is never lost and never sent without having happened.
//! 2. The [`worker`] takes due rows, oldest first, one at a time per (target, article), and
//!    makes the target match the event: [`wordpress`] creates or updates the post (finding it
//!    again by the marker in its content when a crash came between WordPress creating it and
//!    Barta recording its id); [`webhook`] posts a signed ninjs document whose delivery id is
//!    the receiver's idempotency key.
//! 3. The answer decides: delivered; retry later (5xx, 429, timeouts, refused connections —
//!    with backoff and `Retry-After`); or failed (a 4xx that a retry will not change, with the
//!    website's own message), which an editor can retry after fixing the cause.

pub mod content;
pub mod secrets;
pub mod targets;
pub mod webhook;
pub mod wordpress;
pub mod worker;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A name that is not one of an enum's (a target kind, an event).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownName(pub String);

/// What kind of website a target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A WordPress site, through its REST API (`wp/v2`) and an application password.
    Wordpress,
    /// Any receiver of signed `POST`s of ninjs documents.
    Webhook,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wordpress => "wordpress",
            Self::Webhook => "webhook",
        }
    }
}

impl std::str::FromStr for TargetKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "wordpress" => Ok(Self::Wordpress),
            "webhook" => Ok(Self::Webhook),
            other => Err(UnknownName(format!(
                "unknown target kind {other:?}: use wordpress or webhook"
            ))),
        }
    }
}

/// A publish target as stored: its secret sealed with the data directory's key.
#[derive(Clone, PartialEq, Eq)]
pub struct TargetRecord {
    pub name: String,
    pub kind: TargetKind,
    /// The site's address (WordPress) or the receiver's URL (webhook).
    pub url: String,
    /// The WordPress user the application password belongs to.
    pub username: Option<String>,
    /// The application password or webhook secret, sealed ([`secrets::SecretKey`]).
    pub sealed_secret: Vec<u8>,
    /// The desks it serves; empty = every desk.
    pub desks: Vec<String>,
    /// WordPress category id per desk slug.
    pub categories: BTreeMap<String, u64>,
    pub created_at: String,
}

impl std::fmt::Debug for TargetRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TargetRecord")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("sealed_secret", &"(sealed)")
            .field("desks", &self.desks)
            .field("categories", &self.categories)
            .finish()
    }
}

impl TargetRecord {
    /// Whether articles of `desk` go to this target.
    pub fn serves(&self, desk: &str) -> bool {
        self.desks.is_empty() || self.desks.iter().any(|d| d == desk)
    }
}

/// A publication event as the outbox records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryEvent {
    Publish,
    Schedule,
    Correct,
    Unpublish,
    Kill,
}

impl DeliveryEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Schedule => "schedule",
            Self::Correct => "correct",
            Self::Unpublish => "unpublish",
            Self::Kill => "kill",
        }
    }

    /// The event of a workflow action, for the actions that change what readers see.
    pub fn of_action(action: barta_model::workflow::Action) -> Option<Self> {
        use barta_model::workflow::Action;
        match action {
            Action::Publish => Some(Self::Publish),
            Action::Schedule => Some(Self::Schedule),
            Action::Correct => Some(Self::Correct),
            Action::Unpublish => Some(Self::Unpublish),
            Action::Kill => Some(Self::Kill),
            _ => None,
        }
    }
}

impl std::str::FromStr for DeliveryEvent {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Publish,
            Self::Schedule,
            Self::Correct,
            Self::Unpublish,
            Self::Kill,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
        .ok_or_else(|| UnknownName(format!("unknown delivery event {s:?}")))
    }
}

/// A delivery the worker may send now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueDelivery {
    /// The receiver's idempotency key (a UUIDv7).
    pub id: String,
    pub target: String,
    pub article_id: barta_model::ArticleId,
    pub event: DeliveryEvent,
    /// The publication the event is about (for unpublish and kill: the latest one, if any).
    pub publication_id: Option<String>,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// What a target already holds of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemotePost {
    pub remote_id: String,
    pub remote_url: Option<String>,
}

/// A photo a target already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteMedia {
    pub remote_id: String,
    pub url: String,
}

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The target has it (the post's address when there is one).
    Delivered { remote_url: Option<String> },
    /// Try again at `at` (RFC 3339 UTC); `error` says what went wrong this time.
    Retry { error: String, at: String },
    /// Stop: a retry would get the same answer.
    Failed { error: String },
}

/// How long one request to a target may take.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The HTTP client Barta sends to targets with (its own user agent, timeouts).
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(concat!("Barta/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(REQUEST_TIMEOUT)
        .build()
}

/// Why sending to a target did not go through.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again (5xx, 408, 429, a timeout, a refused connection); `after` is the
    /// target's `Retry-After`, when it gave one.
    #[error("{error}")]
    Retry {
        error: String,
        after: Option<std::time::Duration>,
    },
    /// A retry would get the same answer (401, 403, 400 with a reason, …): the target's own
    /// message.
    #[error("{0}")]
    Failed(String),
}

impl From<reqwest::Error> for SendError {
    fn from(e: reqwest::Error) -> Self {
        let what = if e.is_timeout() {
            "the website did not answer in time"
        } else if e.is_connect() {
            "cannot connect to the website"
        } else if e.is_decode() || e.is_body() {
            "the website's answer was cut off or unreadable"
        } else {
            "the request to the website failed"
        };
        // Without the URL: a webhook's query string may carry a token.
        SendError::Retry {
            error: format!("{what} ({})", e.without_url()),
            after: None,
        }
    }
}

/// The longest wait a `Retry-After` may ask for; longer asks wait this long.
pub const MAX_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Classifies a non-2xx answer: retry for 408, 425, 429 and 5xx, else failed. `body` is the
/// answer's text; WordPress's `message` is used when it is JSON with one.
pub fn classify(
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &str,
) -> SendError {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let message = v.get("message")?.as_str()?.to_string();
            Some(match v.get("code").and_then(|c| c.as_str()) {
                Some(code) => format!("{message} ({code})"),
                None => message,
            })
        })
        .unwrap_or_else(|| {
            let text: String = body.trim().chars().take(300).collect();
            if text.is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("no reason given")
                    .to_string()
            } else {
                text
            }
        });
    let error = format!("HTTP {}: {message}", status.as_u16());
    let retryable = status.is_server_error() || matches!(status.as_u16(), 408 | 425 | 429);
    if retryable {
        SendError::Retry {
            error,
            after: retry_after(headers),
        }
    } else {
        SendError::Failed(error)
    }
}

/// A `Retry-After` header: seconds or an HTTP date, capped at [`MAX_RETRY_AFTER`].
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => std::time::Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The wait before attempt `attempts + 1` when the target said nothing: 1 s, 2 s, 4 s, … up
/// to 256 s.
pub fn backoff(attempts: u32) -> std::time::Duration {
    std::time::Duration::from_secs(1u64 << attempts.min(8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[test]
    fn answers_that_a_retry_will_not_change_fail_with_the_websites_message() {
        let body = r#"{"code":"incorrect_password","message":"The provided password is an invalid application password.","data":{"status":401}}"#;
        assert_eq!(
            classify(StatusCode::UNAUTHORIZED, &HeaderMap::new(), body),
            SendError::Failed(
                "HTTP 401: The provided password is an invalid application password. \
                 (incorrect_password)"
                    .into()
            )
        );
        assert!(matches!(
            classify(StatusCode::BAD_REQUEST, &HeaderMap::new(), "bad"),
            SendError::Failed(_)
        ));
    }

    #[test]
    fn server_errors_and_throttling_retry_after_what_the_server_asks() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &headers, ""),
            SendError::Retry {
                error: "HTTP 429: Too Many Requests".into(),
                after: Some(std::time::Duration::from_secs(7))
            }
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("999999"));
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
        assert!(matches!(
            classify(StatusCode::BAD_GATEWAY, &HeaderMap::new(), "<html>"),
            SendError::Retry { after: None, .. }
        ));
        assert_eq!(backoff(0).as_secs(), 1);
        assert_eq!(backoff(3).as_secs(), 8);
        assert_eq!(backoff(30).as_secs(), 256);
    }
}
