//! The test harness: the real router on a real loopback listener (127.0.0.1:0) over a store —
//! SQLite in a temporary directory, or with `BARTA_TEST_BACKEND=postgres` a database of its
//! own in a throwaway PostgreSQL cluster (`pg_cluster.rs`, one per test binary) — a demo
//! newsroom, and request helpers. `scripts/test` runs the server tests once per backend.

#![allow(dead_code)]

pub mod pg_cluster;

use barta_model::api::UserInfo;
use barta_model::{ArticleId, RevisionId, Role, content_sha256};
use barta_server::listen::ListenOptions;
use barta_server::releases::ReleaseFiles;
use barta_server::store::NewUser;
use barta_server::store::postgres::PgStore;
use barta_server::{ServerConfig, SqliteStore, Store, auth};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The password of every demo user.
pub const PASSWORD: &str = "গোপন-pass";

/// A running server and the demo newsroom: desks `national` and `sports`; reporters `rahim`
/// and `karim` (national), editor `nasrin` (national), editor `sohel` (sports), admin `admin`.
pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The same store when it is SQLite (for what only SQLite has: group commit counts).
    pub sqlite: Option<Arc<SqliteStore>>,
    /// The database's address when it is PostgreSQL (for tests that reach under the store).
    pub database_url: Option<String>,
    pub client: Client,
    pub users: HashMap<&'static str, UserInfo>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// Whether the tests run on PostgreSQL (`BARTA_TEST_BACKEND=postgres`) instead of SQLite.
pub fn on_postgres() -> bool {
    match std::env::var("BARTA_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("BARTA_TEST_BACKEND={other:?}: say sqlite or postgres"),
    }
}

fn shared_hash() -> &'static str {
    // Hashing is slow in debug builds: every demo user shares one hash.
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password(PASSWORD).unwrap())
}

impl TestServer {
    /// Starts a server with the default configuration.
    pub async fn start() -> Self {
        Self::start_with(ServerConfig::default()).await
    }

    /// Starts a server with `config`; its release files are the data directory's (as
    /// `barta serve` has them) unless `config` names others.
    pub async fn start_with(config: ServerConfig) -> Self {
        Self::start_listening(config, ListenOptions::default()).await
    }

    /// [`Self::start_with`], accepting connections as `options` say (plain HTTP: any TLS in
    /// `options` is the caller's to reach).
    pub async fn start_listening(mut config: ServerConfig, options: ListenOptions) -> Self {
        let dir = tempfile::tempdir().unwrap();
        if config.releases.is_none() {
            config.releases = Some(ReleaseFiles::for_data_dir(dir.path()));
        }
        let (store, sqlite, database_url): (Arc<dyn Store>, _, _) = if on_postgres() {
            let url = pg_cluster::fresh_database();
            (Arc::new(PgStore::open(&url, 16).unwrap()), None, Some(url))
        } else {
            let sqlite = Arc::new(SqliteStore::open(dir.path()).unwrap());
            (sqlite.clone(), Some(sqlite), None)
        };
        store.add_desk("national", "জাতীয়").unwrap();
        store.add_desk("sports", "খেলা").unwrap();
        let mut users = HashMap::new();
        for (name, role, desks) in [
            ("rahim", Role::Reporter, vec!["national"]),
            ("karim", Role::Reporter, vec!["national"]),
            ("nasrin", Role::Editor, vec!["national"]),
            ("sohel", Role::Editor, vec!["sports"]),
            ("farida", Role::Editor, vec!["national"]),
            ("admin", Role::Admin, vec![]),
        ] {
            let user = store
                .add_user(NewUser {
                    username: name.into(),
                    role,
                    desks: desks.into_iter().map(String::from).collect(),
                    password_hash: shared_hash().to_string(),
                })
                .unwrap();
            users.insert(name, user);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let app = barta_server::router(store.clone(), config);
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(barta_server::listen::serve(
            listener,
            app,
            async {
                let _ = rx.await;
            },
            options,
        ));
        Self {
            base,
            store,
            sqlite,
            database_url,
            client: Client::new(),
            users,
            shutdown: Some(tx),
            handle: Some(handle),
            _dir: dir,
        }
    }

    /// The data directory (the database, `releases/`).
    pub fn data(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// A full URL for `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A live token for a demo user, made directly in the store (fast; login is tested on its
    /// own).
    pub fn token(&self, user: &str) -> String {
        let (token, sha) = auth::new_token();
        let expires = chrono::Utc::now().timestamp() + 3600;
        self.store
            .create_token(self.users[user].id, &sha, expires)
            .unwrap();
        token
    }

    /// Signals a graceful shutdown without waiting for it.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for the server to stop (after [`Self::begin_shutdown`]).
    pub async fn wait(mut self) -> std::io::Result<()> {
        self.handle.take().unwrap().await.unwrap()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) -> std::io::Result<()> {
        self.begin_shutdown();
        self.wait().await
    }

    /// `POST /v1/session` with a username and password, as the app logs in.
    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.client
            .post(self.url("/v1/session"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, token: &str, path: &str, body: Option<&Value>) -> Response {
        let mut req = self.client.put(self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.unwrap()
    }

    pub async fn delete(&self, token: &str, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Pushes a revision body with the contract's headers.
    pub async fn push(&self, token: &str, article: ArticleId, body: &Value) -> Response {
        let mut req = self
            .client
            .post(self.url(&format!("/v1/articles/{article}/revisions")))
            .bearer_auth(token)
            .header("Idempotency-Key", body["id"].as_str().unwrap())
            .json(body);
        if let Some(parent) = body["parent"].as_str() {
            req = req.header("If-Match", format!("\"{parent}\""));
        }
        req.send().await.unwrap()
    }

    /// Pushes and expects 201; returns the new head.
    pub async fn push_ok(&self, token: &str, article: ArticleId, body: &Value) -> RevisionId {
        let resp = self.push(token, article, body).await;
        let status = resp.status();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        answer["head"].as_str().unwrap().parse().unwrap()
    }

    /// Approves `rev` of `article` as `token`'s user.
    pub async fn approve(
        &self,
        token: &str,
        article: ArticleId,
        rev: RevisionId,
        sha256: &str,
    ) -> Response {
        self.client
            .post(self.url(&format!("/v1/articles/{article}/approve")))
            .bearer_auth(token)
            .header("If-Match", format!("\"{rev}\""))
            .json(&json!({"rev_id": rev, "sha256": sha256}))
            .send()
            .await
            .unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A revision push body with a correct hash: paragraphs are (block id, text).
pub fn revision(
    id: RevisionId,
    parent: Option<RevisionId>,
    desk: &str,
    headline: &str,
    paragraphs: &[(&str, &str)],
) -> Value {
    let meta = json!({"headline": headline, "desk": desk});
    let content: Vec<Value> = paragraphs
        .iter()
        .map(|(id, text)| {
            json!({"type": "paragraph", "attrs": {"id": id},
                   "content": [{"type": "text", "text": text}]})
        })
        .collect();
    with_body(id, parent, meta, json!({"type": "doc", "content": content}))
}

/// A revision push body around given meta and body, with a correct hash.
pub fn with_body(id: RevisionId, parent: Option<RevisionId>, meta: Value, body: Value) -> Value {
    json!({
        "id": id,
        "parent": parent,
        "meta": meta,
        "body": body,
        "sha256": content_sha256(&meta, &body),
        "created_at": "2025-08-01T10:00:00+06:00",
    })
}

/// Reads an error answer and checks its status and code; returns the message.
pub async fn expect_error(resp: Response, status: StatusCode, code: &str) -> String {
    let got = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(body["error"]["code"], code, "{text}");
    let message = body["error"]["message"].as_str().unwrap().to_string();
    assert!(!message.is_empty());
    message
}
