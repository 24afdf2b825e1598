//! The router and its middleware (request ids, tracing, panic catching, request bodies in zstd
//! or gzip with limits on both the compressed and the decompressed size), the shared state
//! handlers receive, and serving with graceful shutdown.

use crate::error::ApiError;
use crate::handlers;
use crate::store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The header carrying each request's id (set when the client sent none, echoed back).
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Tunables of the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// How long a session token lives at most.
    pub token_ttl: Duration,
    /// How long a session token lives unused: a laptop left somewhere stops being able to
    /// sync after it, whatever its maximum age.
    pub token_idle: Duration,
    /// The largest request body accepted after decompression (413 beyond).
    pub body_limit: usize,
    /// The largest request body accepted as sent, compressed or not (413 beyond).
    pub compressed_body_limit: usize,
    /// Woken after every request that may have written a publication event, so the delivery
    /// worker (`crate::publishing::worker`) sends it at once.
    pub deliveries_wake: Arc<tokio::sync::Notify>,
    /// The oldest app version accepted: an app that says it is older (its
    /// `x-barta-client-version` header) is answered 426 `client_too_old` on every route but
    /// `/healthz`, in words that tell the reporter to update.
    pub min_client_version: Option<semver::Version>,
    /// The address the apps reach this server at (`barta serve --public-url`, e.g.
    /// `https://barta.example.com`): update answers give download addresses under it. Unset,
    /// they are made from the request's Host header over plain http, which is wrong behind a
    /// TLS proxy.
    pub public_url: Option<String>,
    /// Where the app releases' files are (`DATA/releases`); unset, none is served.
    pub releases: Option<crate::releases::ReleaseFiles>,
    /// Failed logins allowed per account and per address in a window ([`crate::throttle`]).
    pub login_limits: crate::throttle::ThrottleLimits,
    /// How long one request may take, its body included (408 beyond): a client that sends
    /// its body slowly cannot hold the server's resources for longer.
    pub request_timeout: Duration,
    /// Passwords checked at once (argon2id takes 19 MiB each): further logins wait their
    /// turn, so a burst of logins cannot exhaust the server's memory.
    pub concurrent_password_checks: usize,
    /// The most bytes of photos one user may hold on the server (413 `quota_exceeded`).
    pub upload_quota_bytes: u64,
    /// How long the apps stay unlocked unused before they lock their store (told at login).
    pub app_lock_after: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            token_ttl: Duration::from_secs(12 * 60 * 60),
            token_idle: Duration::from_secs(4 * 60 * 60),
            app_lock_after: Duration::from_secs(15 * 60),
            body_limit: 8 * 1024 * 1024,
            compressed_body_limit: 8 * 1024 * 1024,
            deliveries_wake: Arc::default(),
            min_client_version: None,
            public_url: None,
            releases: None,
            login_limits: crate::throttle::ThrottleLimits::default(),
            request_timeout: Duration::from_secs(60),
            concurrent_password_checks: 4,
            upload_quota_bytes: 2 << 30,
        }
    }
}

/// What every handler can reach: the store and the configuration.
#[derive(Clone)]
pub struct AppState {
    store: Arc<dyn Store>,
    config: Arc<ServerConfig>,
    password_checks: Arc<crate::password_checks::PasswordChecks>,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> Self {
        Self {
            store,
            password_checks: Arc::new(crate::password_checks::PasswordChecks::new(
                config.concurrent_password_checks,
            )),
            config: Arc::new(config),
        }
    }

    /// The bounded password checks (see [`ServerConfig::concurrent_password_checks`]).
    pub fn password_checks(&self) -> &crate::password_checks::PasswordChecks {
        &self.password_checks
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Tells the delivery worker that the outbox may hold something new.
    pub fn wake_deliveries(&self) {
        self.config.deliveries_wake.notify_one();
    }

    /// Runs one blocking store call on tokio's blocking pool and maps its error. The call runs
    /// to completion even if the request is dropped meanwhile (see `crate::store`).
    pub async fn call<T, E>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Send + 'static,
        ApiError: From<E>,
    {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(result) => result.map_err(ApiError::from),
            Err(join) => Err(ApiError::internal(&join)),
        }
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal(&"a handler panicked").into_response()
}

/// The limit and decompression layers answer 413/415 in plain text: give those the API's
/// JSON error form like every other refusal.
async fn json_refusals(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    match status {
        axum::http::StatusCode::PAYLOAD_TOO_LARGE if !is_json => ApiError::from_rejection(
            status,
            "the request body is larger than this server accepts".into(),
        )
        .into_response(),
        axum::http::StatusCode::REQUEST_TIMEOUT if !is_json => ApiError::from_rejection(
            status,
            "the request took longer than this server allows".into(),
        )
        .into_response(),
        axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE if !is_json => ApiError::from_rejection(
            status,
            "request bodies may be sent plain, as zstd or as gzip".into(),
        )
        .into_response(),
        _ => response,
    }
}

/// Every route of the API: the one list the router is built from and the OpenAPI document is
/// checked against.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(handlers::healthz)),
        ("/openapi.json", get(handlers::openapi)),
        (
            "/v1/session",
            post(handlers::login).delete(handlers::logout),
        ),
        ("/v1/me", get(handlers::me)),
        ("/v1/desks", get(handlers::desks)),
        ("/v1/lexicon", get(handlers::lexicon)),
        ("/v1/lexicon/{word}", put(handlers::add_lexicon_word)),
        ("/v1/articles/{id}", get(handlers::article)),
        (
            "/v1/articles/{id}/revisions",
            post(handlers::push_revision).get(handlers::history),
        ),
        ("/v1/articles/{id}/transitions", post(handlers::transition)),
        ("/v1/articles/{id}/approve", post(handlers::approve)),
        ("/v1/articles/{id}/publish", post(handlers::publish)),
        ("/v1/articles/{id}/correct", post(handlers::correct)),
        (
            "/v1/articles/{id}/deliveries/{target}/retry",
            post(handlers::retry_delivery),
        ),
        ("/v1/articles/{id}/comments", get(handlers::comments)),
        (
            "/v1/articles/{id}/comments/{comment}",
            put(handlers::put_comment),
        ),
        (
            "/v1/articles/{id}/presence",
            put(handlers::presence).delete(handlers::leave),
        ),
        ("/v1/media", post(crate::media::create)),
        (
            "/v1/media/{id}",
            get(crate::media::file)
                .head(crate::media::offset)
                .patch(crate::media::append),
        ),
        ("/v1/revisions/batch", post(crate::batch::push_batch)),
        ("/v1/revisions/{rev}", get(handlers::revision)),
        ("/v1/changes", get(handlers::changes)),
        ("/v1/window", get(crate::window::window)),
        ("/v1/search", get(crate::search::search)),
        ("/v1/published", get(handlers::published)),
        ("/v1/published/{id}", get(handlers::published_item)),
        (
            "/v1/app/update/{target}/{arch}/{current_version}",
            get(crate::updates::update),
        ),
        (
            "/v1/app/releases/{version}/{file}",
            get(crate::updates::download),
        ),
    ]
}

/// The whole HTTP API of sync.md over `store`.
pub fn router(store: Arc<dyn Store>, config: ServerConfig) -> Router {
    let body_limit = config.body_limit;
    let compressed_limit = config.compressed_body_limit;
    let min_client_version = config.min_client_version.clone();
    let request_timeout = config.request_timeout;
    let state = AppState::new(store, config);
    let api = routes()
        .into_iter()
        .fold(Router::new(), |router, (path, methods)| {
            router.route(path, methods)
        })
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::audit_trail::record_requests,
        ))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);

    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!(
                "request",
                method = %req.method(),
                path = %req.uri().path(),
                request_id = %id,
            )
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));

    // Layers run outside-in from the last added: the id is set first, then traced; the
    // compressed size is limited before decompression, the decompressed size where the
    // handler reads the body (so a zstd bomb stops at `body_limit` bytes of output).
    api.layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(
            RequestDecompressionLayer::new()
                .gzip(true)
                .zstd(true)
                .pass_through_unaccepted(false),
        )
        .layer(RequestBodyLimitLayer::new(compressed_limit))
        .layer(axum::middleware::map_response(json_refusals))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            min_client_version.map(Arc::new),
            crate::client_version::refuse_old_clients,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
}

/// Serves `app` on `listener` with the default [`crate::listen::ListenOptions`] (plain HTTP)
/// until `shutdown` completes; see [`crate::listen::serve`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    crate::listen::serve(
        listener,
        app,
        shutdown,
        crate::listen::ListenOptions::default(),
    )
    .await
}

/// The Content-Security-Policy of the public HTML pages: no script, no style from elsewhere,
/// images from this server only, not framed, no form posts, no `<base>`.
pub const PAGE_CSP: &str = "default-src 'none'; img-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// Headers on every answer: never sniffed as another type (a photo's bytes are not run as a
/// page), no Referer leaking the server's paths; and on HTML pages [`PAGE_CSP`].
async fn security_headers(mut response: Response) -> Response {
    use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY};
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    if is_html {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(PAGE_CSP),
        );
    }
    response
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received: shutting down"),
        () = terminate => tracing::info!("SIGTERM received: shutting down"),
    }
}
