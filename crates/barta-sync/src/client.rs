//! [`Client`]: the HTTP contract of sync.md over reqwest. Every answer is checked to be our
//! API (JSON content type, parseable body) before it is believed: a captive portal's 200 is a
//! failure, never an acknowledgement. Every request's time limit grows with its body, and every
//! answer is read against a size cap and a deadline that grows only as bytes arrive, so a
//! stalled or dribbling link is cut instead of hanging the round.

use crate::backoff::parse_retry_after;
use barta_model::api::{
    ApproveRequest, ApproveResponse, ArchiveSearchPage, ArticleResponse, BatchPushResponse,
    CLIENT_VERSION_HEADER, ChangesPage, CommentPut, CommentRecord, CorrectRequest, DeliveryInfo,
    DeskInfo, DeskList, ErrorBody, Health, LexiconResponse, LexiconWord, LoginRequest,
    PresenceEntry, PublishRequest, PublishResponse, PushAccepted, PushConflict, RevisionRecord,
    SessionResponse, TransitionRequest, TransitionResponse, WindowPage,
};
use barta_model::{ArticleId, ErrorCode, RevisionId, RevisionPush};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, RequestBuilder, StatusCode, header};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::time::Instant;

/// Time and size limits of the client.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// The time any request gets before its body size is counted.
    pub base_timeout: Duration,
    /// The slowest link still served (bytes per second): a body of `n` bytes gets
    /// `n / min_rate` more, both ways.
    pub min_rate: u64,
    /// The largest answer read; a bigger one is cut and counted as a failure.
    pub max_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            base_timeout: Duration::from_secs(20),
            // 2 kB/s: a poor 2G link.
            min_rate: 2_000,
            max_response_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The time a transfer of `bytes` may take.
    pub fn time_for(&self, bytes: usize) -> Duration {
        self.base_timeout
            + Duration::from_millis((bytes as u64).saturating_mul(1000) / self.min_rate.max(1))
    }
}

/// Why a call to the server failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: connection refused, reset, DNS, timeout.
    #[error("the server could not be reached: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// An answer that is not our API (a captive portal, a proxy's page, broken JSON).
    #[error("the server answered with something that is not Barta's API (HTTP {status}): {detail}")]
    NotOurApi { status: u16, detail: String },
    /// Our API said no, with its stable code and message (and `Retry-After`, when given).
    #[error("{message}")]
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
        retry_after: Option<Duration>,
    },
    /// The answer was larger than the client reads, or arrived too slowly: cut.
    #[error("the answer was cut: {0}")]
    Cut(String),
    /// The server's base URL is not a valid URL.
    #[error("the server address {0:?} is not a valid URL")]
    BadUrl(String),
    /// A plain `http://` address to another computer: refused, since the password and the
    /// drafts would cross the network readable.
    #[error("{0:?} is plain http to another computer; only https is used over a network")]
    Insecure(String),
}

impl ClientError {
    /// The HTTP status of a refusal, if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Refused { status, .. } | ClientError::NotOurApi { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// True when trying again later may succeed (no answer, 408, 429, 5xx, not our API).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable(_) | ClientError::NotOurApi { .. } | ClientError::Cut(_) => {
                true
            }
            ClientError::Refused { status, .. } => {
                *status == 408 || *status == 429 || *status >= 500
            }
            ClientError::BadUrl(_) | ClientError::Insecure(_) => false,
        }
    }

    /// How long the server asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ClientError::Refused { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The stable code for the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::Refused { code, .. } => *code,
            ClientError::BadUrl(_) => ErrorCode::Invalid,
            ClientError::Insecure(_) => ErrorCode::InsecureAddress,
            _ => ErrorCode::Network,
        }
    }
}

/// The answer to a revision push.
#[derive(Clone, Debug, PartialEq)]
pub enum PushResult {
    /// 201: stored and now the head (or the same answer again for a replay).
    Accepted(PushAccepted),
    /// 409: the head moved; the revision was stored as a sibling.
    HeadMoved(Box<PushConflict>),
}

/// Whether `url` names this computer: `localhost`, 127.0.0.0/8 or `[::1]`.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Redirects followed at most 5 deep, never from https to http (a downgrade would send the
/// token readable).
fn no_downgrade() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt.url().scheme() == "http"
            && attempt
                .previous()
                .iter()
                .any(|earlier| earlier.scheme() == "https");
        if downgrade {
            attempt.error("a redirect from https to http was refused")
        } else if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// A client for one server.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    limits: Limits,
    /// The app's version, sent with every request (`x-barta-client-version`) so the server can
    /// tell an app too old to work with it.
    client_version: Option<String>,
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str) -> Result<Self, ClientError> {
        Self::with_limits(base, Limits::default())
    }

    /// A client with its own time and size limits. Plain `http://` is refused unless the
    /// server is this computer ([`is_loopback`]). Certificates are checked against the
    /// operating system's trust store (where a newsroom's private CA is installed) and the
    /// roots bundled in the app; a redirect never leads from https to http.
    pub fn with_limits(base: &str, limits: Limits) -> Result<Self, ClientError> {
        let base = base.trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&base).map_err(|_| ClientError::BadUrl(base.clone()))?;
        if url.scheme() == "http" && !is_loopback(&url) {
            return Err(ClientError::Insecure(base));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(no_downgrade())
            .build()
            .map_err(ClientError::Unreachable)?;
        Ok(Self {
            base,
            http,
            limits,
            client_version: None,
        })
    }

    /// This client, sending `version` (the app's) with every request.
    pub fn with_client_version(mut self, version: &str) -> Self {
        self.client_version = Some(version.to_string());
        self
    }

    /// `GET /healthz`: whether the server is up, and what it is (a 503 still answers it).
    pub async fn health(&self) -> Result<Health, ClientError> {
        let response = self
            .send(self.request(Method::GET, "/healthz", None), 0)
            .await?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(ClientError::Unreachable)?;
        serde_json::from_str(&body).map_err(|_| ClientError::NotOurApi {
            status,
            detail: body.chars().take(120).collect(),
        })
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub(crate) fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> RequestBuilder {
        let builder = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header(header::ACCEPT, "application/json");
        let builder = match &self.client_version {
            Some(version) => builder.header(CLIENT_VERSION_HEADER, version),
            None => builder,
        };
        match token {
            Some(t) => builder.bearer_auth(t),
            None => builder,
        }
    }

    /// `POST /v1/session`
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SessionResponse, ClientError> {
        let req = self
            .request(Method::POST, "/v1/session", None)
            .json(&LoginRequest {
                username: username.into(),
                password: password.into(),
            });
        self.expect_ok(req).await
    }

    /// `DELETE /v1/session`: revokes the token.
    pub async fn logout(&self, token: &str) -> Result<(), ClientError> {
        let req = self.request(Method::DELETE, "/v1/session", Some(token));
        let response = self.send(req, 0).await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(());
        }
        self.check_json::<serde_json::Value>(response, &[])
            .await
            .map(|_| ())
    }

    /// `GET /v1/desks`: the caller's desks with their display names.
    pub async fn desks(&self, token: &str) -> Result<Vec<DeskInfo>, ClientError> {
        let list: DeskList = self.call_ok(Method::GET, "/v1/desks", token).await?;
        Ok(list.desks)
    }

    /// `POST /v1/articles/{id}/revisions`, idempotent by the revision id.
    pub async fn push_revision(
        &self,
        token: &str,
        article: ArticleId,
        push: &RevisionPush,
    ) -> Result<PushResult, ClientError> {
        let body = serde_json::to_vec(push).map_err(|e| ClientError::NotOurApi {
            status: 0,
            detail: format!("the revision does not serialize: {e}"),
        })?;
        self.push_revision_bytes(token, article, push.id, push.parent, body, None)
            .await
    }

    /// `POST /v1/articles/{id}/revisions` with an already serialized JSON body (full or
    /// delta), sent with `content_encoding` (e.g. `zstd`) when given; its time limit grows with
    /// its size.
    pub async fn push_revision_bytes(
        &self,
        token: &str,
        article: ArticleId,
        id: RevisionId,
        parent: Option<RevisionId>,
        body: Vec<u8>,
        content_encoding: Option<&str>,
    ) -> Result<PushResult, ClientError> {
        let size = body.len();
        let mut req = self
            .request(
                Method::POST,
                &format!("/v1/articles/{article}/revisions"),
                Some(token),
            )
            .header("Idempotency-Key", id.to_string())
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(parent) = parent {
            req = req.header(header::IF_MATCH, quoted(parent));
        }
        if let Some(encoding) = content_encoding {
            req = req.header(header::CONTENT_ENCODING, encoding);
        }
        let resp = self.send(req, size).await?;
        if resp.status() == StatusCode::CONFLICT {
            let body: PushConflict = self.read_json(resp).await?;
            return Ok(PushResult::HeadMoved(Box::new(body)));
        }
        let (_, accepted) = self
            .check_json(resp, &[StatusCode::CREATED, StatusCode::OK])
            .await?;
        Ok(PushResult::Accepted(accepted))
    }

    /// `POST /v1/revisions/batch` with an already serialized JSON body (a
    /// `BatchPushRequest`), sent with `content_encoding` when given; its time limit grows
    /// with its size. One result per item, in order (checked).
    pub async fn push_batch_bytes(
        &self,
        token: &str,
        items: usize,
        body: Vec<u8>,
        content_encoding: Option<&str>,
    ) -> Result<BatchPushResponse, ClientError> {
        let size = body.len();
        let mut req = self
            .request(Method::POST, "/v1/revisions/batch", Some(token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(encoding) = content_encoding {
            req = req.header(header::CONTENT_ENCODING, encoding);
        }
        let resp = self.send(req, size).await?;
        let (_, answer): (_, BatchPushResponse) = self.check_json(resp, &[StatusCode::OK]).await?;
        if answer.results.len() != items {
            return Err(ClientError::NotOurApi {
                status: 200,
                detail: format!(
                    "a batch of {items} revisions was answered with {} results",
                    answer.results.len()
                ),
            });
        }
        Ok(answer)
    }

    /// `POST /v1/articles/{id}/transitions`
    pub async fn transition(
        &self,
        token: &str,
        article: ArticleId,
        body: &TransitionRequest,
    ) -> Result<TransitionResponse, ClientError> {
        let path = format!("/v1/articles/{article}/transitions");
        self.expect_ok(self.request(Method::POST, &path, Some(token)).json(body))
            .await
    }

    /// `POST /v1/articles/{id}/approve` of an exact version.
    pub async fn approve(
        &self,
        token: &str,
        article: ArticleId,
        body: &ApproveRequest,
    ) -> Result<ApproveResponse, ClientError> {
        let path = format!("/v1/articles/{article}/approve");
        let req = self
            .request(Method::POST, &path, Some(token))
            .header(header::IF_MATCH, quoted(body.rev_id))
            .json(body);
        self.expect_ok(req).await
    }

    /// `GET /v1/articles/{id}`: the head, the state and the latest approval.
    pub async fn article(
        &self,
        token: &str,
        article: ArticleId,
    ) -> Result<ArticleResponse, ClientError> {
        self.call_ok(Method::GET, &format!("/v1/articles/{article}"), token)
            .await
    }

    /// `POST /v1/articles/{id}/publish`: now, or at `body.at`.
    pub async fn publish(
        &self,
        token: &str,
        article: ArticleId,
        body: &PublishRequest,
    ) -> Result<PublishResponse, ClientError> {
        let path = format!("/v1/articles/{article}/publish");
        self.expect_ok(self.request(Method::POST, &path, Some(token)).json(body))
            .await
    }

    /// `POST /v1/articles/{id}/correct`: the corrected version replaces the published one.
    pub async fn correct(
        &self,
        token: &str,
        article: ArticleId,
        body: &CorrectRequest,
    ) -> Result<PublishResponse, ClientError> {
        let path = format!("/v1/articles/{article}/correct");
        let req = self
            .request(Method::POST, &path, Some(token))
            .header(header::IF_MATCH, quoted(body.rev_id))
            .json(body);
        self.expect_ok(req).await
    }

    /// `GET /v1/articles/{id}/comments`
    pub async fn comments(
        &self,
        token: &str,
        article: ArticleId,
    ) -> Result<Vec<CommentRecord>, ClientError> {
        let path = format!("/v1/articles/{article}/comments");
        self.call_ok(Method::GET, &path, token).await
    }

    /// `PUT /v1/articles/{id}/comments/{comment}` (idempotent).
    pub async fn put_comment(
        &self,
        token: &str,
        article: ArticleId,
        comment_id: &str,
        body: &CommentPut,
    ) -> Result<CommentRecord, ClientError> {
        let path = format!("/v1/articles/{article}/comments/{comment_id}");
        self.expect_ok(self.request(Method::PUT, &path, Some(token)).json(body))
            .await
    }

    /// `PUT /v1/articles/{id}/presence`: a heartbeat; answers who else has it open.
    pub async fn presence(
        &self,
        token: &str,
        article: ArticleId,
    ) -> Result<Vec<PresenceEntry>, ClientError> {
        let path = format!("/v1/articles/{article}/presence");
        self.call_ok(Method::PUT, &path, token).await
    }

    /// `DELETE /v1/articles/{id}/presence`: closed.
    pub async fn leave(&self, token: &str, article: ArticleId) -> Result<(), ClientError> {
        let req = self.request(
            Method::DELETE,
            &format!("/v1/articles/{article}/presence"),
            Some(token),
        );
        let resp = self.send(req, 0).await?;
        if resp.status() == StatusCode::NO_CONTENT {
            return Ok(());
        }
        self.check_json::<serde_json::Value>(resp, &[])
            .await
            .map(|_| ())
    }

    /// `GET /v1/lexicon`: the newsroom's words and spelling settings for the checker.
    pub async fn lexicon(&self, token: &str) -> Result<LexiconResponse, ClientError> {
        self.call_ok(Method::GET, "/v1/lexicon", token).await
    }

    /// `PUT /v1/lexicon/{word}` (editors): shares a word with the whole newsroom; the word as
    /// the server stored it.
    pub async fn add_lexicon_word(&self, token: &str, word: &str) -> Result<String, ClientError> {
        let path = format!(
            "/v1/lexicon/{}",
            utf8_percent_encode(word, NON_ALPHANUMERIC)
        );
        let stored: LexiconWord = self.call_ok(Method::PUT, &path, token).await?;
        Ok(stored.word)
    }

    /// `POST /v1/articles/{id}/deliveries/{target}/retry` (editors): sends the article's
    /// latest delivery to `target` again now; the article's deliveries.
    pub async fn retry_delivery(
        &self,
        token: &str,
        article: ArticleId,
        target: &str,
    ) -> Result<Vec<DeliveryInfo>, ClientError> {
        let path = format!("/v1/articles/{article}/deliveries/{target}/retry");
        self.call_ok(Method::POST, &path, token).await
    }

    /// `GET /v1/revisions/{rev}`: one revision (a missing parent).
    pub async fn revision(
        &self,
        token: &str,
        rev: RevisionId,
    ) -> Result<RevisionRecord, ClientError> {
        self.call_ok(Method::GET, &format!("/v1/revisions/{rev}"), token)
            .await
    }

    /// `GET /v1/changes?since=&limit=`
    pub async fn changes(
        &self,
        token: &str,
        since: i64,
        limit: u32,
    ) -> Result<ChangesPage, ClientError> {
        let path = format!("/v1/changes?since={since}&limit={limit}");
        self.call_ok(Method::GET, &path, token).await
    }

    /// `GET /v1/window?after=&limit=`: a page of the articles a new laptop holds in full.
    pub async fn window(
        &self,
        token: &str,
        after: Option<ArticleId>,
        limit: u32,
    ) -> Result<WindowPage, ClientError> {
        let path = match after {
            Some(after) => format!("/v1/window?after={after}&limit={limit}"),
            None => format!("/v1/window?limit={limit}"),
        };
        self.call_ok(Method::GET, &path, token).await
    }

    /// `GET /v1/search?q=&limit=`: the archive searched on the server, best first.
    pub async fn search_archive(
        &self,
        token: &str,
        query: &str,
        limit: u32,
    ) -> Result<ArchiveSearchPage, ClientError> {
        let q = utf8_percent_encode(query, NON_ALPHANUMERIC);
        let path = format!("/v1/search?q={q}&limit={limit}");
        self.call_ok(Method::GET, &path, token).await
    }
}

/// A revision id as `If-Match` carries it: in quotes.
fn quoted(rev: RevisionId) -> String {
    format!("\"{rev}\"")
}

impl Client {
    /// Sends a request and waits for the answer's headers, for at most the time a body of
    /// `request_bytes` may take (the answer's body is then read under `read_capped`).
    pub(crate) async fn send(
        &self,
        req: RequestBuilder,
        request_bytes: usize,
    ) -> Result<reqwest::Response, ClientError> {
        let limit = self.limits.time_for(request_bytes);
        match tokio::time::timeout(limit, req.send()).await {
            Ok(answer) => answer.map_err(ClientError::Unreachable),
            Err(_) => Err(ClientError::Cut(format!("no answer within {limit:?}"))),
        }
    }

    /// `method path` with the bearer token and no body, answered 200 with JSON `T`.
    async fn call_ok<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: &str,
    ) -> Result<T, ClientError> {
        self.expect_ok(self.request(method, path, Some(token)))
            .await
    }

    /// Sends `req` and reads its 200 answer as JSON `T` (any other status is a refusal).
    async fn expect_ok<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, ClientError> {
        self.expect_json(req, &[StatusCode::OK])
            .await
            .map(|(_, v)| v)
    }

    async fn expect_json<T: DeserializeOwned>(
        &self,
        req: RequestBuilder,
        ok: &[StatusCode],
    ) -> Result<(StatusCode, T), ClientError> {
        self.check_json(self.send(req, 0).await?, ok).await
    }

    pub(crate) async fn check_json<T: DeserializeOwned>(
        &self,
        resp: reqwest::Response,
        ok: &[StatusCode],
    ) -> Result<(StatusCode, T), ClientError> {
        let status = resp.status();
        if ok.contains(&status) {
            return Ok((status, self.read_json(resp).await?));
        }
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        let error: ErrorBody = self.read_json(resp).await?;
        Err(ClientError::Refused {
            status: status.as_u16(),
            code: error.error.code,
            message: error.error.message,
            retry_after,
        })
    }

    /// Reads a JSON answer: the content type must be JSON and the whole body must parse; a
    /// body cut short is a failure, never a partial value.
    async fn read_json<T: DeserializeOwned>(
        &self,
        resp: reqwest::Response,
    ) -> Result<T, ClientError> {
        let status = resp.status().as_u16();
        let is_json = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ClientError::NotOurApi {
                status,
                detail: "the answer is not JSON".into(),
            });
        }
        let bytes = self.read_capped(resp).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::NotOurApi {
            status,
            detail: format!("unexpected JSON: {e}"),
        })
    }

    /// Reads a body under the size cap and a deadline that grows with the bytes received.
    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, ClientError> {
        let cap = self.limits.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(ClientError::Cut(format!(
                "the answer is larger than {cap} bytes"
            )));
        }
        let start = Instant::now();
        let mut out = Vec::new();
        loop {
            let deadline = start + self.limits.time_for(out.len());
            let chunk = match tokio::time::timeout_at(deadline, resp.chunk()).await {
                Err(_) => {
                    return Err(ClientError::Cut(format!(
                        "the answer arrived too slowly ({} bytes in {:?})",
                        out.len(),
                        start.elapsed()
                    )));
                }
                Ok(chunk) => chunk.map_err(ClientError::Unreachable)?,
            };
            let Some(chunk) = chunk else {
                return Ok(out);
            };
            if out.len() + chunk.len() > cap {
                return Err(ClientError::Cut(format!(
                    "the answer is larger than {cap} bytes"
                )));
            }
            out.extend_from_slice(&chunk);
        }
    }
}
