//! Accepting connections: a bound on open connections, hyper's header-read timeout (a client
//! that sends its request head slowly, or sits idle between requests, is cut off), optional
//! TLS with rustls whose certificate is reloaded when its files change or on SIGHUP, and
//! graceful shutdown.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

/// How long requests in flight get to finish after the shutdown signal before their
/// connections are dropped. Store calls already running still finish (they run on the
/// blocking pool), so nothing is left half-written either way.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How often the certificate files are looked at for a change.
pub const TLS_RELOAD_CHECK: Duration = Duration::from_secs(5);

/// How connections are accepted and bounded.
#[derive(Clone)]
pub struct ListenOptions {
    /// Connections open at once; beyond it new ones wait in the kernel's queue until one
    /// closes.
    pub max_connections: usize,
    /// How long a client has to send a whole request head, counted from the moment the
    /// server waits for one (so an idle kept-alive connection is closed after it too), and to
    /// finish a TLS handshake.
    pub header_read_timeout: Duration,
    /// HTTPS with this certificate; `None` serves plain HTTP.
    pub tls: Option<Arc<Tls>>,
}

impl Default for ListenOptions {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            tls: None,
        }
    }
}

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} holds no PEM certificate")]
    NoCertificate(PathBuf),
    #[error("{0} holds no PEM private key")]
    NoKey(PathBuf),
    #[error("the certificate and key cannot be used together: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A server certificate (chain) and its key, as PEM files, and the TLS configuration made
/// from them; reloaded by [`Tls::reload_if_changed`] and [`Tls::reload`].
pub struct Tls {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Loaded>,
}

struct Loaded {
    config: Arc<rustls::ServerConfig>,
    modified: (Option<SystemTime>, Option<SystemTime>),
}

impl Tls {
    /// Reads the certificate chain and key; fails if either cannot be used.
    pub fn load(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let loaded = load_files(cert, key)?;
        Ok(Self {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            current: RwLock::new(loaded),
        })
    }

    /// Reads the files again and serves new connections with them; on an error the old
    /// certificate stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        let loaded = load_files(&self.cert, &self.key)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = loaded;
        Ok(())
    }

    /// [`Self::reload`] when either file's modification time changed since the last load.
    /// Returns whether it reloaded.
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let now = (modified(&self.cert), modified(&self.key));
        let before = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .modified;
        if now == before {
            return Ok(false);
        }
        self.reload().map(|()| true)
    }

    fn acceptor(&self) -> TlsAcceptor {
        let loaded = self.current.read().unwrap_or_else(|e| e.into_inner());
        TlsAcceptor::from(Arc::clone(&loaded.config))
    }

    /// Reloads on a change of the files (checked every [`TLS_RELOAD_CHECK`]) and on SIGHUP,
    /// until dropped.
    async fn watch(self: Arc<Self>) {
        #[cfg(unix)]
        let mut hangup =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        let mut tick = tokio::time::interval(TLS_RELOAD_CHECK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            #[cfg(unix)]
            let forced = tokio::select! {
                _ = tick.tick() => false,
                Some(()) = async { match hangup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
            };
            #[cfg(not(unix))]
            let forced = {
                tick.tick().await;
                false
            };
            let outcome = if forced {
                self.reload().map(|()| true)
            } else {
                self.reload_if_changed()
            };
            match outcome {
                Ok(true) => tracing::info!(cert = %self.cert.display(), "TLS certificate reloaded"),
                Ok(false) => {}
                Err(e) => tracing::error!("TLS certificate not reloaded, the old one stays: {e}"),
            }
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn load_files(cert: &Path, key: &Path) -> Result<Loaded, TlsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| TlsError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let modified = (modified(cert), modified(key));
    let cert_pem = read(cert)?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .filter_map(Result::ok)
        .collect();
    if chain.is_empty() {
        return Err(TlsError::NoCertificate(cert.to_path_buf()));
    }
    let key_pem = read(key)?;
    let key_der =
        PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| TlsError::NoKey(key.to_path_buf()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Loaded {
        config: Arc::new(config),
        modified,
    })
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting connections and
/// lets requests in flight finish (for at most [`SHUTDOWN_GRACE`]). Each request carries its
/// peer's address as `ConnectInfo<SocketAddr>` (for counting failed logins).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ListenOptions,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let _reloader = options
        .tls
        .as_ref()
        .map(|tls| AbortOnDrop(tokio::spawn(Arc::clone(tls).watch())));
    let shutdown = shutdown;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let watcher = graceful.watcher();
        let app = app.clone();
        let options = options.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, app, &options, watcher).await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => Ok(()),
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still open after the grace period: dropping them");
            Ok(())
        }
    }
}

/// One connection, over TLS or not, until it closes or the server shuts down.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    options: &ListenOptions,
    watcher: hyper_util::server::graceful::Watcher,
) {
    let service =
        tower::ServiceExt::map_request(app, move |mut req: axum::http::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req
        });
    let service = TowerToHyperService::new(service);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .keep_alive(true);
    let outcome = match &options.tls {
        None => {
            let connection = http.serve_connection(TokioIo::new(stream), service);
            watcher.watch(connection).await
        }
        Some(tls) => {
            let handshake =
                tokio::time::timeout(options.header_read_timeout, tls.acceptor().accept(stream));
            let stream = match handshake.await {
                Ok(Ok(stream)) => stream,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, "TLS handshake failed: {e}");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%peer, "TLS handshake timed out");
                    return;
                }
            };
            let connection = http.serve_connection(TokioIo::new(stream), service);
            watcher.watch(connection).await
        }
    };
    if let Err(e) = outcome {
        tracing::debug!(%peer, "connection ended: {e}");
    }
}

/// Aborts a background task when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
