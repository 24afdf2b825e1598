//! The app's logic, free of Tauri: the local store, the logged-in session, the sync loop and
//! the operations the commands expose. Offline first: everything but login and approval works
//! without the server.

mod editing;
mod events;
mod review;
mod rules;

pub use events::{EVENT_NAME, EventSink};
pub use watch::watch_loop;
mod spelling;
mod watch;

pub use editing::keep_durable;

use crate::error::AppError;
use crate::ipc_types::{AppInfo, ArticleList, SyncStatus};
use barta_model::RevisionId;
use barta_model::api::{DeskInfo, UserInfo};
use barta_model::diff::DocumentDiff;
use barta_model::{ArticleId, ErrorCode, WorkflowState};
use barta_store::{
    ArticleDraft, ArticleSummary, ListFilter, RevisionInfo, SearchHit, SearchQuery, Store,
};
use barta_sync::{
    Client, PasswordLogin, RoundInput, StoreAccess, SyncConfig, SyncProgress, sync_round,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the app keeps its data and which server it talks to.
#[derive(Clone, Debug)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    pub server_url: String,
    pub sync_interval: Duration,
    /// Photos are scaled down to at most this many pixels on their longer edge before they are
    /// stored and sent.
    pub image_max_edge: u32,
}

impl AppConfig {
    /// From `BARTA_DATA_DIR`, `BARTA_SERVER_URL`, `BARTA_SYNC_INTERVAL_MS` and
    /// `BARTA_IMAGE_MAX_EDGE`, with defaults (the user's data directory, a backend on this
    /// machine, every 5 s, 2048 pixels).
    pub fn from_env() -> Self {
        let data_dir = std::env::var_os("BARTA_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_data_dir);
        let server_url = std::env::var("BARTA_SERVER_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:8080".to_string());
        let interval = std::env::var("BARTA_SYNC_INTERVAL_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000);
        let image_max_edge = std::env::var("BARTA_IMAGE_MAX_EDGE")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&edge: &u32| edge >= 64)
            .unwrap_or(DEFAULT_IMAGE_MAX_EDGE);
        Self {
            data_dir,
            server_url,
            sync_interval: Duration::from_millis(interval),
            image_max_edge,
        }
    }
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("barta")
}

/// The longest edge of a stored photo unless `BARTA_IMAGE_MAX_EDGE` says otherwise: plenty for
/// a news page, a fraction of a camera's file on a 2G link.
pub const DEFAULT_IMAGE_MAX_EDGE: u32 = 2048;

/// The logged-in user, kept in the local store so the app works offline after a restart.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Session {
    token: String,
    user: UserInfo,
}

/// The password of this run's login, in memory only (never stored): it lets a sync round log in
/// again once when the token expires. After a restart it is gone, and an expired token asks
/// the user to log in.
#[derive(Clone, Default)]
struct Relogin(Option<Arc<PasswordLogin>>);

const SESSION_KEY: &str = "session";
/// The user's desks with the names the newsroom gave them, as the server last said.
const DESKS_KEY: &str = "desks";

/// How many articles a list shows.
const LIST_LIMIT: usize = 200;

/// The running app.
pub struct App {
    config: AppConfig,
    store: Mutex<Store>,
    client: Client,
    session: Mutex<Option<Session>>,
    relogin: Mutex<Relogin>,
    status: Mutex<SyncStatus>,
    /// Serializes sync rounds (the loop and "sync now").
    sync_gate: tokio::sync::Mutex<()>,
    wake: tokio::sync::Notify,
    /// The spelling checker, loaded on first use (None inside: no word list installed).
    speller: std::sync::OnceLock<Option<Mutex<bangla::SpellChecker>>>,
    /// Shows a desktop notification (set by the shell; absent in tests).
    notifier: std::sync::OnceLock<review::Notifier>,
    /// The incoming articles already seen (None until the first look).
    incoming_seen: Mutex<Option<std::collections::HashSet<ArticleId>>>,
    /// The desks' names were asked for in this run (at login, or after the first round).
    desks_asked: std::sync::atomic::AtomicBool,
    /// When the newsroom's lexicon was last asked for in this run.
    lexicon_asked: Mutex<Option<std::time::Instant>>,
    /// What the page is told without asking.
    events: events::Events,
    /// The article on screen, and what the page was last told of it.
    watched: Mutex<watch::Watched>,
    /// Wakes the watcher (another article opened, an action a delivery follows).
    watch_wake: tokio::sync::Notify,
}

/// SQLite's page cache in the app (the store's default is 64 MiB, for tools that search
/// 100,000 articles): 8 MiB keeps a 10,000-article store's list and search quick.
const APP_PAGE_CACHE_KIB: u32 = 8 * 1024;

impl App {
    /// Opens the local store in the data directory and restores the saved session.
    pub fn open(config: AppConfig) -> Result<Self, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("cannot create {}: {e}", config.data_dir.display()),
            )
        })?;
        let store = Store::open(&config.data_dir.join("barta.db"))?;
        store.set_page_cache_kib(APP_PAGE_CACHE_KIB)?;
        let session = store
            .setting(SESSION_KEY)?
            .and_then(|s| serde_json::from_str::<Session>(&s).ok());
        let client = Client::new(&config.server_url)?;
        let pending = store.pending_count()?;
        Ok(Self {
            config,
            store: Mutex::new(store),
            client,
            session: Mutex::new(session),
            relogin: Mutex::new(Relogin::default()),
            status: Mutex::new(SyncStatus {
                pending,
                ..Default::default()
            }),
            sync_gate: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
            speller: std::sync::OnceLock::new(),
            notifier: std::sync::OnceLock::new(),
            incoming_seen: Mutex::new(None),
            desks_asked: std::sync::atomic::AtomicBool::new(false),
            lexicon_asked: Mutex::new(None),
            events: events::Events::default(),
            watched: Mutex::default(),
            watch_wake: tokio::sync::Notify::new(),
        })
    }

    fn session(&self) -> Option<Session> {
        lock(&self.session).clone()
    }

    fn user(&self) -> Result<UserInfo, AppError> {
        self.session()
            .map(|s| s.user)
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            server_url: self.config.server_url.clone(),
            data_dir: self.config.data_dir.display().to_string(),
            user: self.session().map(|s| s.user),
            image_max_edge: self.config.image_max_edge,
            desk_names: self.desk_names(),
            reopen: self.open_article(),
        }
    }

    /// The names of the user's desks as the server last gave them (empty before it has).
    fn desk_names(&self) -> Vec<DeskInfo> {
        self.store
            .with(|s| s.setting(DESKS_KEY))
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Asks the server for the names of the user's desks and keeps them for offline starts.
    /// Best effort: when it fails, the names kept last time stay (and slugs show without).
    async fn refresh_desk_names(&self, token: &str) {
        self.desks_asked
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let kept = match self.client.desks(token).await {
            Ok(desks) => serde_json::to_string(&desks)
                .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
                .and_then(|json| Ok(self.store.with(|s| s.set_setting(DESKS_KEY, Some(&json)))?)),
            Err(e) => Err(AppError::from(e)),
        };
        if let Err(e) = kept {
            tracing::info!(code = %e.code, "desk names not refreshed: {}", e.message);
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<UserInfo, AppError> {
        let answer = self.client.login(username.trim(), password).await?;
        let session = Session {
            token: answer.token,
            user: answer.user,
        };
        let saved = serde_json::to_string(&session)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        self.store
            .with(|s| s.set_setting(SESSION_KEY, Some(&saved)))?;
        let user = session.user.clone();
        *lock(&self.session) = Some(session.clone());
        *lock(&self.relogin) = Relogin(Some(Arc::new(PasswordLogin {
            username: username.trim().to_string(),
            password: password.to_string(),
        })));
        self.set_status(|s| s.online = true);
        self.refresh_desk_names(&session.token).await;
        self.refresh_newsroom_words(&session.token, true).await;
        self.wake.notify_one();
        Ok(user)
    }

    pub fn logout(&self) -> Result<(), AppError> {
        self.store.with(|s| {
            s.set_setting(SESSION_KEY, None)?;
            s.set_setting(editing::OPEN_ARTICLE_KEY, None)?;
            s.set_setting(DESKS_KEY, None)?;
            s.set_setting(spelling::NEWSROOM_WORDS_KEY, None)
        })?;
        *lock(&self.session) = None;
        *lock(&self.relogin) = Relogin::default();
        Ok(())
    }

    pub fn list(&self, list: ArticleList) -> Result<Vec<ArticleSummary>, AppError> {
        let user = self.user()?;
        let filter = match list {
            ArticleList::Mine => ListFilter {
                author: Some(user.username),
                ..Default::default()
            },
            ArticleList::DeskQueue => ListFilter {
                states: vec![WorkflowState::Submitted, WorkflowState::InProgress],
                desks: user.desks,
                author: None,
            },
        };
        // The newest few hundred: older ones are a search away, and a list of 10,000 rows
        // would slow every refresh.
        let rows = self.store.with(|s| s.newest(&filter, Some(LIST_LIMIT)))?;
        Ok(rows.into_iter().map(|r| self.with_actions(r)).collect())
    }

    pub fn create(&self) -> Result<ArticleDraft, AppError> {
        let user = self.user()?;
        let desk =
            user.desks.first().cloned().ok_or_else(|| {
                AppError::new(ErrorCode::Invalid, "your account belongs to no desk")
            })?;
        let draft = self.store.with(|s| {
            let id = s.create_article(&desk, &user.username)?;
            s.load_article(id)
        })?;
        self.events.articles([draft.summary.id]);
        Ok(self.draft_with_actions(draft))
    }

    /// The open article's state and sync state, which the sync loop may change while it is open.
    pub fn summary(&self, id: ArticleId) -> Result<ArticleSummary, AppError> {
        Ok(self.with_actions(self.store.with(|s| s.summary(id))?))
    }

    pub fn load(&self, id: ArticleId) -> Result<ArticleDraft, AppError> {
        Ok(self.draft_with_actions(self.store.with(|s| s.load_article(id))?))
    }

    pub fn submit(&self, id: ArticleId) -> Result<ArticleSummary, AppError> {
        let draft = self.queue(|s, author| {
            s.submit(id, author)?;
            s.load_article(id)
        })?;
        self.events.articles([id]);
        Ok(self.with_actions(draft.summary))
    }

    /// Runs a store change by the logged-in user that queues work for the server (in one
    /// store call), then updates the pending count and wakes the sync loop.
    fn queue<T>(
        &self,
        change: impl FnOnce(&mut Store, &str) -> Result<T, barta_store::StoreError>,
    ) -> Result<T, AppError> {
        let user = self.user()?;
        let out = self.store.with(|s| change(s, &user.username))?;
        self.refresh_pending();
        self.wake.notify_one();
        Ok(out)
    }

    /// Searches the local articles the user may see in `list` (their own, or their desks').
    pub fn search(
        &self,
        list: ArticleList,
        mut query: SearchQuery,
    ) -> Result<Vec<SearchHit>, AppError> {
        let user = self.user()?;
        match list {
            ArticleList::Mine => query.author = Some(user.username),
            ArticleList::DeskQueue => {
                if query.desks.is_empty() {
                    query.desks = user.desks;
                }
            }
        }
        Ok(self.store.with(|s| s.search(&query))?)
    }

    /// The article's revisions, newest first.
    pub fn history(&self, id: ArticleId) -> Result<Vec<RevisionInfo>, AppError> {
        Ok(self.store.with(|s| s.history(id))?)
    }

    /// What changed from `from` to `to` (to the working copy when `to` is None).
    pub fn diff(
        &self,
        id: ArticleId,
        from: RevisionId,
        to: Option<RevisionId>,
    ) -> Result<DocumentDiff, AppError> {
        Ok(self.store.with(|s| match to {
            Some(to) => s.diff(id, from, to),
            None => s.diff_to_working_copy(id, from),
        })?)
    }

    /// Saves the working copy as a new version (a save point), queued for the server.
    pub fn save_version(&self, id: ArticleId) -> Result<ArticleDraft, AppError> {
        let draft = self.queue(|s, author| {
            s.save_point(id, author)?;
            s.load_article(id)
        })?;
        Ok(self.draft_with_actions(draft))
    }

    /// Restores an old version as a new revision (nothing is overwritten: the old and the
    /// current versions both stay in the history).
    pub fn restore(&self, id: ArticleId, rev: RevisionId) -> Result<ArticleDraft, AppError> {
        self.queue(|s, author| {
            s.save_point(id, author)?;
            let (meta, body) = s.revision_content(id, rev)?;
            s.save_working_copy(id, meta, body)?;
            s.save_point(id, author)?;
            s.load_article(id)
        })
        .map(|draft| self.draft_with_actions(draft))
    }

    /// Stores an image added to an article; returns its `media:` source.
    pub fn add_image(&self, bytes: &[u8]) -> Result<String, AppError> {
        crate::media::store_image(&self.media(), bytes)
    }

    /// A stored image as a `data:` URL for the editor.
    pub fn image_data_url(&self, src: &str) -> Result<String, AppError> {
        crate::media::data_url(&self.media(), src)
    }

    /// The photos kept on this computer (the data directory's `media/`).
    fn media(&self) -> barta_store::MediaStore {
        barta_store::MediaStore::new(self.config.data_dir.join("media"))
    }

    /// The article's working copy as Bijoy text, for print layout.
    pub fn export_bijoy(&self, id: ArticleId) -> Result<String, AppError> {
        let draft = self.load(id)?;
        Ok(crate::text::to_bijoy(&draft.meta.headline, &draft.body))
    }

    pub fn status(&self) -> SyncStatus {
        lock(&self.status).clone()
    }

    fn refresh_pending(&self) {
        if let Ok(n) = self.store.with(|s| s.pending_count()) {
            self.set_status(|s| s.pending = n);
        }
    }

    /// Changes the sync status and tells the page (if it changed).
    fn set_status(&self, change: impl FnOnce(&mut SyncStatus)) {
        let now = {
            let mut status = lock(&self.status);
            change(&mut status);
            status.clone()
        };
        self.events.status(&now);
    }

    /// Installs where the app's events go (once, by the shell).
    pub fn set_event_sink(&self, sink: EventSink) {
        self.events.install(sink);
    }

    /// One sync round now (waits for a running one to finish first): the outbox drained in
    /// order (merging on 409, logging in again once on 401 when this run has the password),
    /// comments sent, the changes feed pulled, the open article's comments pulled, and the
    /// photos the server lacks uploaded. Progress goes to the status the UI polls.
    pub async fn sync_now(&self) -> SyncStatus {
        let _gate = self.sync_gate.lock().await;
        let Some(session) = self.session() else {
            return self.status();
        };
        let mut sync_session = match lock(&self.relogin).0.clone() {
            Some(login) => barta_sync::Session::with_relogin(session.token.clone(), login),
            None => barta_sync::Session::token(session.token.clone()),
        };
        let input = RoundInput {
            watched: lock(&self.watched).article.into_iter().collect(),
            media: Some(self.media()),
        };
        let photos_waiting = self.media().pending_uploads().len() as i64;
        self.set_status(|s| {
            s.syncing = true;
            s.media_pending = photos_waiting;
        });
        let progress = |p: &SyncProgress| self.set_status(|s| s.progress = p.clone());
        let result = sync_round(
            &self.store,
            &self.client,
            &mut sync_session,
            &SyncConfig::default(),
            &input,
            &progress,
        )
        .await;
        if sync_session.token != session.token {
            self.keep_token(&session, sync_session.token.clone());
        }
        if result.is_ok() {
            if !self.desks_asked.load(std::sync::atomic::Ordering::Relaxed) {
                self.refresh_desk_names(&sync_session.token).await;
            }
            self.refresh_newsroom_words(&sync_session.token, false)
                .await;
            self.after_round().await;
        }
        if let Ok(outcome) = &result {
            self.announce_changes(outcome);
        }
        self.set_status(|status| {
            status.syncing = false;
            match result {
                Ok(outcome) => {
                    tracing::debug!(?outcome, "sync round done");
                    status.media_pending = outcome.photos_pending as i64;
                    status.online = true;
                    status.last_error = None;
                    status.last_synced_at = Some(chrono::Utc::now().to_rfc3339());
                }
                Err(e) => {
                    let error = AppError::from(e);
                    status.online = error.code != ErrorCode::Network;
                    tracing::info!(code = %error.code, message = %error.message, "sync round stopped");
                    status.last_error = Some(error);
                }
            }
        });
        self.refresh_pending();
        self.status()
    }

    /// Tells the page what a round changed: the articles it moved (pushed, merged, refused,
    /// pulled) and the articles whose comments came or went.
    fn announce_changes(&self, outcome: &barta_sync::SyncOutcome) {
        if !outcome.articles_changed.is_empty() {
            self.events.articles(outcome.articles_changed.iter().copied());
        }
        for id in &outcome.comments_changed {
            self.events.comments(*id);
        }
    }

    /// Stores a token renewed by a re-login, so a restart uses it.
    fn keep_token(&self, old: &Session, token: String) {
        let renewed = Session {
            token,
            user: old.user.clone(),
        };
        if let Ok(json) = serde_json::to_string(&renewed)
            && self
                .store
                .with(|s| s.set_setting(SESSION_KEY, Some(&json)))
                .is_ok()
        {
            *lock(&self.session) = Some(renewed);
        }
    }
}

/// Syncs every interval, and at once when woken (after a submit or a login).
pub async fn sync_loop(app: Arc<App>) {
    loop {
        app.sync_now().await;
        let _ = tokio::time::timeout(app.config.sync_interval, app.wake.notified()).await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
