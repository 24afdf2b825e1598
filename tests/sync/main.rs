//! sync.md's failures, each a named test (`fNN_…`) against the real `barta serve` binary,
//! with real local stores and the real sync engine, through the fault-injecting [`Proxy`].
//! Expected values are written out here, never computed by the code under test.

mod archive_scale;
mod backends;
mod backup;
mod crash;
mod failures;
mod instances;
mod migrate;
mod review_items;
mod soak;
mod tls;
mod window;
mod wire;

use anyhow::Context;
use barta_model::api::{ArticleResponse, RevisionRecord};
use barta_model::{ArticleId, ArticleMeta, Document};
use barta_store::{MediaStore, Store};
use barta_sync::{
    Backoff, Client, Limits, NoProgress, PasswordLogin, RoundInput, Session, SyncConfig, SyncError,
    SyncOutcome, sync_round,
};
use barta_tests::{DemoUser, Proxy, TestServer, login_token};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One desktop app: a local store and photo directory, a client through the proxy, a session
/// that can log in again.
pub struct Device {
    pub store: Mutex<Store>,
    pub client: Client,
    pub session: Session,
    pub user: DemoUser,
    pub config: SyncConfig,
    /// What each round is told: the watched articles (none unless a test opens one) and the
    /// device's photo directory.
    pub input: RoundInput,
    _dir: tempfile::TempDir,
}

impl Device {
    /// A device of `user` talking to `url` (usually the proxy's).
    pub async fn new(server: &TestServer, url: &str, user: DemoUser) -> anyhow::Result<Self> {
        Self::with_limits(server, url, user, Limits::default()).await
    }

    /// A device with its own client limits.
    pub async fn with_limits(
        server: &TestServer,
        url: &str,
        user: DemoUser,
        limits: Limits,
    ) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let store = Store::open(&dir.path().join("barta.db"))?;
        let token = login_token(server, &user).await?;
        let relogin = Arc::new(PasswordLogin {
            username: user.username.into(),
            password: user.password.into(),
        });
        Ok(Self {
            store: Mutex::new(store),
            client: Client::with_limits(url, limits)?,
            session: Session::with_relogin(token, relogin),
            user,
            config: SyncConfig {
                // One try per request: a test sees each fault's effect on its own round.
                backoff: Backoff {
                    max_retries: 0,
                    ..Backoff::default()
                },
                ..SyncConfig::default()
            },
            input: RoundInput {
                watched: Vec::new(),
                media: Some(MediaStore::new(dir.path().join("media"))),
            },
            _dir: dir,
        })
    }

    /// One sync round.
    pub async fn sync(&mut self) -> Result<SyncOutcome, SyncError> {
        sync_round(
            &self.store,
            &self.client,
            &mut self.session,
            &self.config,
            &self.input,
            &NoProgress,
        )
        .await
    }

    /// Bytes of the local store on disk (the database and its write-ahead log).
    pub fn store_bytes(&self) -> u64 {
        ["barta.db", "barta.db-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(self._dir.path().join(f)).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Runs `f` on the local store.
    pub fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// A new article with these paragraphs, saved as a revision (queued, not sent).
    pub fn write_new(&self, headline: &str, paragraphs: &[(&str, &str)]) -> ArticleId {
        let author = self.user.username;
        self.with(|s| {
            let id = s.create_article("national", author).unwrap();
            s.save_working_copy(
                id,
                meta(headline),
                Document::from_paragraphs(paragraphs.iter().copied()),
            )
            .unwrap();
            s.save_point(id, author).unwrap();
            id
        })
    }

    /// Replaces the body of an article this device has, saved as a revision.
    pub fn edit(&self, id: ArticleId, paragraphs: &[(&str, &str)]) {
        let author = self.user.username;
        self.with(|s| {
            let draft = s.load_article(id).unwrap();
            s.save_working_copy(
                id,
                draft.meta,
                Document::from_paragraphs(paragraphs.iter().copied()),
            )
            .unwrap();
            s.save_point(id, author).unwrap();
        });
    }

    /// Outbox rows still waiting.
    pub fn pending(&self) -> i64 {
        self.with(|s| s.pending_count().unwrap())
    }
}

pub fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

/// A server, a proxy in front of it, and a token for direct checks.
pub struct Rig {
    pub server: TestServer,
    pub proxy: Proxy,
    pub editor_token: String,
}

impl Rig {
    pub async fn start() -> anyhow::Result<Self> {
        let server = TestServer::start_demo()?;
        let proxy = Proxy::start(&server.url).await?;
        let editor_token = login_token(&server, &barta_tests::EDITOR).await?;
        Ok(Self {
            server,
            proxy,
            editor_token,
        })
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .get(format!("{}{}", self.server.url, path))
            .bearer_auth(&self.editor_token)
            .timeout(Duration::from_secs(10))
    }

    /// A JSON answer of the server to `GET path`, read directly (not via the proxy).
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        Ok(self
            .get(path)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// The server's history of an article, newest first (read directly, not via the proxy).
    pub async fn history(&self, id: ArticleId) -> anyhow::Result<Vec<RevisionRecord>> {
        self.get_json(&format!("/v1/articles/{id}/revisions")).await
    }

    /// The server's view of an article.
    pub async fn article(&self, id: ArticleId) -> anyhow::Result<ArticleResponse> {
        self.get(&format!("/v1/articles/{id}"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
            .context("article")
    }
}

/// All text of a document including what is inside conflict blocks.
pub fn all_text(doc: &Document) -> String {
    fn walk(b: &barta_model::Block, out: &mut String) {
        if let Some(t) = &b.text {
            out.push_str(t);
        }
        for c in b.content.iter().flatten() {
            walk(c, out);
        }
        out.push('\n');
    }
    let mut out = String::new();
    for b in &doc.content {
        walk(b, &mut out);
    }
    out
}
