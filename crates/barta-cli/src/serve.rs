//! `barta serve`: the publishing backend on embedded SQLite, with the delivery worker that
//! sends publications to the newsroom's website. Prints exactly one line to stdout,
//! `listening on http://IP:PORT` (`https://` with `--tls-cert`; the real port when asked for port
//! 0); logs go to stderr.
//!
//! For the test suite only, `BARTA_FAILPOINT` (read once here, at startup) arms a crash point
//! in the store; see `barta_server::failpoint`. Unset, it changes nothing.

use crate::admin;
use barta_server::failpoint::{self, Failpoint};
use barta_server::listen::{self, ListenOptions, Tls};
use barta_server::publishing::secrets::SecretKey;
use barta_server::publishing::worker::Worker;
use barta_server::releases::{self, ReleaseFiles};
use barta_server::store::postgres::PgStore;
use barta_server::throttle::ThrottleLimits;
use barta_server::{ServerConfig, SqliteStore, Store, router, shutdown_signal};
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `barta serve` arguments.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The data directory (created when missing).
    #[arg(long, value_name = "DIR", default_value = "./barta-data")]
    pub data: PathBuf,
    /// At most this many connections to the PostgreSQL database.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub database_connections: u32,
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// How long session tokens live at most, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 12 * 60 * 60)]
    pub token_ttl: u64,
    /// How long a session token lives unused, in seconds (each request starts it again).
    #[arg(long, value_name = "SECONDS", default_value_t = ServerConfig::default().token_idle.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub token_idle: u64,
    /// How long the newsroom's apps stay unlocked unused before they lock the reporter's
    /// store and ask for the password, in seconds (told to each app at login).
    #[arg(long, value_name = "SECONDS", default_value_t = ServerConfig::default().app_lock_after.as_secs(), value_parser = clap::value_parser!(u64).range(5..))]
    pub app_lock_after: u64,
    /// Most writes committed together (group commit: one fsync for writes that arrive
    /// together); 1 commits every write alone.
    #[arg(long, value_name = "N", default_value_t = barta_server::store::sqlite::DEFAULT_WRITE_GROUP)]
    pub write_group: usize,
    /// The oldest app version this server accepts (e.g. `0.2.0`): older apps are told to
    /// update instead of syncing. Unset, every version is accepted.
    #[arg(long, value_name = "VERSION")]
    pub min_client_version: Option<semver::Version>,
    /// The address the apps reach this server at (e.g. `https://barta.example.com`): app
    /// updates name their download addresses under it. Unset, they are made from each
    /// request's Host header over plain http — so behind a TLS proxy it must be set.
    #[arg(long, value_name = "URL", value_parser = releases::parse_public_url)]
    pub public_url: Option<String>,
    /// Failed logins for one account before its logins wait (429) for the rest of the window.
    #[arg(long, value_name = "N", default_value_t = ThrottleLimits::default().per_account, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_failures_per_account: u32,
    /// Failed logins from one address before its logins wait (429): an office that shares
    /// one address needs room for everyone's typos.
    #[arg(long, value_name = "N", default_value_t = ThrottleLimits::default().per_address, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_failures_per_address: u32,
    /// How long failed logins count, and how long a throttled account or address waits.
    #[arg(long, value_name = "SECONDS", default_value_t = ThrottleLimits::default().window.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub login_window: u64,
    /// Serve HTTPS with this PEM certificate chain (with `--tls-key`); reloaded when the file
    /// changes or on SIGHUP. Without it, plain HTTP — for loopback or behind a TLS proxy.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of `--tls-cert`.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Connections open at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = ListenOptions::default().max_connections, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Seconds a client has to send a request's head (or finish a TLS handshake), and the
    /// longest a connection may sit idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = ListenOptions::default().header_read_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds one request may take, its body included (408 beyond).
    #[arg(long, value_name = "SECONDS", default_value_t = ServerConfig::default().request_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Passwords checked at once (argon2id needs 19 MiB for each); more logins wait.
    #[arg(long, value_name = "N", default_value_t = ServerConfig::default().concurrent_password_checks, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..256))]
    pub concurrent_password_checks: usize,
    /// The most megabytes of photos one user may hold on the server.
    #[arg(long, value_name = "MB", default_value_t = ServerConfig::default().upload_quota_bytes >> 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_quota_mb: u64,
}

/// Starts logging to stderr (`RUST_LOG` overrides the default level, `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// Runs the server until SIGINT or SIGTERM.
pub fn run(args: ServeArgs) -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let failpoint = match Failpoint::from_env() {
        Ok(failpoint) => failpoint,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(armed) = failpoint {
        tracing::warn!(
            failpoint = armed.name(),
            "{} is set: this server will crash on purpose (a test setting)",
            failpoint::ENV
        );
    }
    runtime.block_on(async move {
        let (store, where_kept): (Arc<dyn Store>, String) = match admin::database_url() {
            Some(url) => {
                // The data directory still holds the secrets key and the releases.
                if let Err(e) = std::fs::create_dir_all(&args.data) {
                    eprintln!("error: cannot create {}: {e}", args.data.display());
                    return ExitCode::FAILURE;
                }
                let connections = args.database_connections;
                let url = url.to_string();
                let opened =
                    tokio::task::spawn_blocking(move || PgStore::open(&url, connections)).await;
                match opened {
                    Ok(Ok(store)) => (
                        Arc::new(store.with_failpoint(failpoint)),
                        "PostgreSQL".to_string(),
                    ),
                    Ok(Err(e)) => {
                        eprintln!("error: cannot open the PostgreSQL database: {e}");
                        return ExitCode::FAILURE;
                    }
                    Err(e) => {
                        eprintln!("error: cannot open the PostgreSQL database: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            None => match SqliteStore::open(&args.data) {
                Ok(store) => {
                    let path = store.path().display().to_string();
                    let store = store
                        .with_write_group(args.write_group)
                        .with_failpoint(failpoint);
                    (Arc::new(store), path)
                }
                Err(e) => {
                    eprintln!(
                        "error: cannot open the store in {}: {e}",
                        args.data.display()
                    );
                    return ExitCode::FAILURE;
                }
            },
        };
        // Everything that can fail at start is done before "listening on" is printed: a
        // supervisor (or a test) that sees the line may rely on the server staying up.
        let key = match SecretKey::for_data_dir(&args.data) {
            Ok(key) => key,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => match Tls::load(cert, key) {
                Ok(tls) => Some(Arc::new(tls)),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            },
            _ => None,
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let listener = match tokio::net::TcpListener::bind(&args.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", args.listen);
                return ExitCode::FAILURE;
            }
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(e) => {
                eprintln!("error: cannot read the listening address: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "listening on {scheme}://{addr}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            tracing::warn!("stdout is closed; serving anyway");
        }
        drop(stdout);
        tracing::info!(%addr, store = %where_kept, "barta serve started");
        let config = ServerConfig {
            token_ttl: Duration::from_secs(args.token_ttl),
            token_idle: Duration::from_secs(args.token_idle),
            app_lock_after: Duration::from_secs(args.app_lock_after),
            min_client_version: args.min_client_version.clone(),
            public_url: args.public_url.clone(),
            releases: Some(ReleaseFiles::for_data_dir(&args.data)),
            login_limits: ThrottleLimits {
                per_account: args.login_failures_per_account,
                per_address: args.login_failures_per_address,
                window: Duration::from_secs(args.login_window),
            },
            request_timeout: Duration::from_secs(args.request_timeout),
            concurrent_password_checks: args.concurrent_password_checks,
            upload_quota_bytes: args.upload_quota_mb << 20,
            ..ServerConfig::default()
        };
        let options = ListenOptions {
            max_connections: args.max_connections,
            header_read_timeout: Duration::from_secs(args.header_timeout),
            tls,
        };
        let worker = match Worker::new(
            Arc::clone(&store),
            key,
            Arc::clone(&config.deliveries_wake),
            failpoint,
        ) {
            Ok(worker) => worker,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Dropped (and so stopped) when the runtime ends; an attempt cut short is found again
        // by its marker on the next start (see `barta_server::publishing`).
        tokio::spawn(worker.run());
        tokio::spawn(barta_server::search::keep_index(Arc::clone(&store)));
        match listen::serve(listener, router(store, config), shutdown_signal(), options).await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: the server failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
