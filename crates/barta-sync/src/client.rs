//! [`Client`]: the HTTP contract of sync.md over reqwest. Every answer is checked to be our
//! API (JSON content type, parseable body) before it is believed: a captive portal's 200 is a
//! failure, never an acknowledgement.

use barta_model::api::{
    ApproveRequest, ApproveResponse, ChangesPage, ErrorBody, LoginRequest, PushAccepted,
    PushConflict, SessionResponse, TransitionRequest, TransitionResponse,
};
use barta_model::{ArticleId, ErrorCode, RevisionPush};
use reqwest::{Method, RequestBuilder, StatusCode, header};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Why a call to the server failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: connection refused, reset, DNS, timeout.
    #[error("the server could not be reached: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// An answer that is not our API (a captive portal, a proxy's page, broken JSON).
    #[error("the server answered with something that is not Barta's API (HTTP {status}): {detail}")]
    NotOurApi { status: u16, detail: String },
    /// Our API said no, with its stable code and message.
    #[error("{message}")]
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    /// The server's base URL is not a valid URL.
    #[error("the server address {0:?} is not a valid URL")]
    BadUrl(String),
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
            ClientError::Unreachable(_) | ClientError::NotOurApi { .. } => true,
            ClientError::Refused { status, .. } => {
                *status == 408 || *status == 429 || *status >= 500
            }
            ClientError::BadUrl(_) => false,
        }
    }

    /// The stable code for the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::Refused { code, .. } => *code,
            ClientError::BadUrl(_) => ErrorCode::Invalid,
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

/// A client for one server.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let base = base.trim_end_matches('/').to_string();
        reqwest::Url::parse(&base).map_err(|_| ClientError::BadUrl(base.clone()))?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(ClientError::Unreachable)?;
        Ok(Self { base, http })
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header(header::ACCEPT, "application/json");
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
        expect_json(req, &[StatusCode::OK]).await.map(|(_, v)| v)
    }

    /// `POST /v1/articles/{id}/revisions`, idempotent by the revision id.
    pub async fn push_revision(
        &self,
        token: &str,
        article: ArticleId,
        push: &RevisionPush,
    ) -> Result<PushResult, ClientError> {
        let mut req = self
            .request(
                Method::POST,
                &format!("/v1/articles/{article}/revisions"),
                Some(token),
            )
            .header("Idempotency-Key", push.id.to_string())
            .json(push);
        if let Some(parent) = push.parent {
            req = req.header(header::IF_MATCH, format!("\"{parent}\""));
        }
        let resp = send(req).await?;
        if resp.status() == StatusCode::CONFLICT {
            let body: PushConflict = read_json(resp).await?;
            return Ok(PushResult::HeadMoved(Box::new(body)));
        }
        let (_, accepted) = check_json(resp, &[StatusCode::CREATED, StatusCode::OK]).await?;
        Ok(PushResult::Accepted(accepted))
    }

    /// `POST /v1/articles/{id}/transitions`
    pub async fn transition(
        &self,
        token: &str,
        article: ArticleId,
        body: &TransitionRequest,
    ) -> Result<TransitionResponse, ClientError> {
        let req = self
            .request(
                Method::POST,
                &format!("/v1/articles/{article}/transitions"),
                Some(token),
            )
            .json(body);
        expect_json(req, &[StatusCode::OK]).await.map(|(_, v)| v)
    }

    /// `POST /v1/articles/{id}/approve` of an exact version.
    pub async fn approve(
        &self,
        token: &str,
        article: ArticleId,
        body: &ApproveRequest,
    ) -> Result<ApproveResponse, ClientError> {
        let req = self
            .request(
                Method::POST,
                &format!("/v1/articles/{article}/approve"),
                Some(token),
            )
            .header(header::IF_MATCH, format!("\"{}\"", body.rev_id))
            .json(body);
        expect_json(req, &[StatusCode::OK]).await.map(|(_, v)| v)
    }

    /// `GET /v1/changes?since=&limit=`
    pub async fn changes(
        &self,
        token: &str,
        since: i64,
        limit: u32,
    ) -> Result<ChangesPage, ClientError> {
        let req = self.request(
            Method::GET,
            &format!("/v1/changes?since={since}&limit={limit}"),
            Some(token),
        );
        expect_json(req, &[StatusCode::OK]).await.map(|(_, v)| v)
    }
}

async fn send(req: RequestBuilder) -> Result<reqwest::Response, ClientError> {
    req.send().await.map_err(ClientError::Unreachable)
}

async fn expect_json<T: DeserializeOwned>(
    req: RequestBuilder,
    ok: &[StatusCode],
) -> Result<(StatusCode, T), ClientError> {
    check_json(send(req).await?, ok).await
}

async fn check_json<T: DeserializeOwned>(
    resp: reqwest::Response,
    ok: &[StatusCode],
) -> Result<(StatusCode, T), ClientError> {
    let status = resp.status();
    if ok.contains(&status) {
        return Ok((status, read_json(resp).await?));
    }
    let error: ErrorBody = read_json(resp).await?;
    Err(ClientError::Refused {
        status: status.as_u16(),
        code: error.error.code,
        message: error.error.message,
    })
}

async fn read_json<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, ClientError> {
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
    let bytes = resp.bytes().await.map_err(ClientError::Unreachable)?;
    serde_json::from_slice(&bytes).map_err(|e| ClientError::NotOurApi {
        status,
        detail: format!("unexpected JSON: {e}"),
    })
}
