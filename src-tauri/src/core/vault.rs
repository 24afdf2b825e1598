//! The user's encrypted store and its lock: each user of a server has a store of their own
//! (`barta_store::laptop`), a SQLCipher database and sealed photos under a random data key
//! that only their password unwraps. Logging in opens it (making it the first time, and
//! moving a store from before encryption into it without losing a word); the password
//! unlocks it again offline; it locks after the idle time the newsroom sets, when the user
//! asks, and at logout. While locked the app holds no key and no open store.

use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::AppEvent;
use barta_model::ErrorCode;
use barta_store::vault::{self as keys, DataKey, VaultError};
use barta_store::{MediaStore, Store, laptop};
use barta_sync::StoreAccess;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The store of the user who unlocked it.
pub(super) struct Unlocked {
    pub store: Arc<Mutex<Store>>,
    pub media: MediaStore,
}

/// The idle time after which the store locks unless the newsroom says otherwise (15 minutes).
pub const DEFAULT_LOCK_AFTER: Duration = Duration::from_secs(15 * 60);
/// The setting holding the idle time the server gave at the last login, in seconds.
const LOCK_AFTER_KEY: &str = "lock_after_secs";
/// Shortest idle time honoured (a mistyped server setting must not lock the app mid-word).
const SHORTEST_LOCK_AFTER: Duration = Duration::from_secs(5);

/// When the user last did something, and how long the store stays unlocked without that.
pub(super) struct IdleLock {
    last_activity: Mutex<Instant>,
    lock_after: Mutex<Duration>,
}

impl Default for IdleLock {
    fn default() -> Self {
        Self {
            last_activity: Mutex::new(Instant::now()),
            lock_after: Mutex::new(DEFAULT_LOCK_AFTER),
        }
    }
}

impl From<VaultError> for AppError {
    fn from(e: VaultError) -> Self {
        let code = match &e {
            VaultError::WrongPassword => ErrorCode::WrongPassword,
            VaultError::Missing => ErrorCode::NotLoggedIn,
            VaultError::Exists | VaultError::Damaged(_) | VaultError::Io(_) => ErrorCode::Storage,
        };
        AppError::new(code, e.to_string())
    }
}

impl App {
    /// The user whose store waits to be unlocked on this computer for this server (the last
    /// one who logged in and did not log out), if any.
    pub fn locked_user(&self) -> Option<String> {
        if lock(&self.unlocked).is_some() {
            return None;
        }
        let user = laptop::last_user(&self.config.data_dir, &self.config.server_url)?;
        keys::exists(&self.user_dir(&user)).then_some(user)
    }

    fn user_dir(&self, username: &str) -> PathBuf {
        laptop::user_dir(&self.config.data_dir, &self.config.server_url, username)
    }

    /// Opens `username`'s store with `password` after the server accepted them: made the
    /// first time (with any store from before encryption moved in), or unlocked; when the
    /// password changed since it was made, `previous` unwraps it and it is wrapped again
    /// under the new one.
    pub(super) fn open_after_login(
        &self,
        username: &str,
        password: &str,
        previous: Option<&str>,
    ) -> Result<(), AppError> {
        let dir = self.user_dir(username);
        let key = if keys::exists(&dir) {
            match keys::unlock(&dir, password) {
                Ok(key) => key,
                Err(VaultError::WrongPassword) => {
                    let Some(previous) = previous else {
                        return Err(AppError::new(
                            ErrorCode::PreviousPasswordNeeded,
                            "your password changed since this computer's store was made: \
                             enter the previous one as well to open it",
                        ));
                    };
                    keys::rewrap(&dir, previous, password)?;
                    keys::unlock(&dir, password)?
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            let key = keys::create(&dir, password)?;
            self.move_plain_store_in(username, &dir, &key)?;
            key
        };
        self.install(&dir, key)?;
        laptop::remember_user(
            &self.config.data_dir,
            &self.config.server_url,
            Some(username),
        )
        .map_err(|e| AppError::new(ErrorCode::Storage, e.to_string()))?;
        Ok(())
    }

    /// Unlocks the last user's store with their password, offline, and takes up their saved
    /// session.
    pub fn unlock(&self, password: &str) -> Result<(), AppError> {
        let username = self
            .locked_user()
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))?;
        let dir = self.user_dir(&username);
        let key = keys::unlock(&dir, password)?;
        self.install(&dir, key)?;
        let session = self
            .store()?
            .with(|s| s.setting(super::session::SESSION_KEY))?
            .and_then(|s| serde_json::from_str::<super::session::Session>(&s).ok());
        *lock(&self.account.session) = session;
        self.sync.wake.notify_one();
        Ok(())
    }

    /// Opens the store in `dir` with `key` and makes it the app's.
    fn install(&self, dir: &Path, key: DataKey) -> Result<(), AppError> {
        let store = Store::open_encrypted(&dir.join(laptop::DB_FILE), &key)?;
        store.set_page_cache_kib(super::APP_PAGE_CACHE_KIB)?;
        let lock_after = store
            .setting(LOCK_AFTER_KEY)?
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LOCK_AFTER)
            .max(SHORTEST_LOCK_AFTER);
        let pending = store.pending_count()?;
        let media = MediaStore::encrypted(dir.join(laptop::MEDIA_DIR), key);
        *lock(&self.unlocked) = Some(Unlocked {
            store: Arc::new(Mutex::new(store)),
            media,
        });
        *lock(&self.idle.lock_after) = lock_after;
        self.still_here();
        self.set_status(|s| s.pending = pending);
        // Argon2id's 64 MiB and the store's opening are behind us (logging in and unlocking
        // both end here).
        crate::memory::give_back();
        Ok(())
    }

    /// Keeps the idle time the server gave at login for the next unlocks.
    pub(super) fn keep_lock_after(&self, seconds: Option<u64>) -> Result<(), AppError> {
        let Some(seconds) = seconds else {
            return Ok(());
        };
        self.store()?
            .with(|s| s.set_setting(LOCK_AFTER_KEY, Some(&seconds.to_string())))?;
        *lock(&self.idle.lock_after) = Duration::from_secs(seconds).max(SHORTEST_LOCK_AFTER);
        Ok(())
    }

    /// Moves the store from before encryption (`barta.db` in the data directory, or the
    /// server's file under `servers/`) into the new encrypted one of `username`, when it is
    /// theirs: every article, revision and queued change copied and counted, photos sealed,
    /// then the plain files overwritten and removed. A store that is another user's stays.
    fn move_plain_store_in(
        &self,
        username: &str,
        dir: &Path,
        key: &DataKey,
    ) -> Result<(), AppError> {
        let Some(plain) = self.plain_store_of(username)? else {
            return Ok(());
        };
        tracing::info!(path = %plain.display(), "moving the store from before encryption in");
        let storage = |e: std::io::Error| AppError::new(ErrorCode::Storage, e.to_string());
        laptop::encrypt_plain_store(&plain, &dir.join(laptop::DB_FILE), key)?;
        MediaStore::encrypted(dir.join(laptop::MEDIA_DIR), key.clone())
            .take_plain_photos(&self.config.data_dir.join(laptop::MEDIA_DIR))?;
        laptop::wipe_database(&plain).map_err(storage)?;
        Ok(())
    }

    /// The plain store of this server from before encryption, if it is `username`'s: its
    /// recorded owner, or else the user of its saved session, or nobody at all.
    fn plain_store_of(&self, username: &str) -> Result<Option<PathBuf>, AppError> {
        use sha2::Digest;
        let url = &self.config.server_url;
        let first = self.config.data_dir.join(laptop::DB_FILE);
        let named = self.config.data_dir.join("servers").join(format!(
            "{}.db",
            hex::encode(&sha2::Sha256::digest(url.as_bytes())[..8])
        ));
        for path in [first, named] {
            if !path.exists() {
                continue;
            }
            let store = Store::open(&path)?;
            let server = store.setting(OLD_SERVER_KEY)?;
            if server.as_deref().is_some_and(|s| s != url) {
                continue;
            }
            let session_user = store
                .setting(super::session::SESSION_KEY)?
                .and_then(|s| serde_json::from_str::<super::session::Session>(&s).ok())
                .map(|s| s.user.username);
            let owner = store.setting(super::session::OWNER_KEY)?.or(session_user);
            drop(store);
            return Ok(match owner {
                Some(owner) if !owner.eq_ignore_ascii_case(username) => None,
                _ => Some(path),
            });
        }
        Ok(None)
    }

    /// Locks the store: closed, its key dropped, the session forgotten in memory (it stays in
    /// the encrypted store), and the page told so it shows the unlock screen. A sync round
    /// under way finishes with the store it started with.
    pub fn lock_now(&self) {
        let was = lock(&self.unlocked).take();
        *lock(&self.account.session) = None;
        if was.is_some() {
            tracing::info!("store locked");
            self.events.send(AppEvent::Locked);
        }
    }

    /// The user did something: the idle time starts again.
    pub fn still_here(&self) {
        *lock(&self.idle.last_activity) = Instant::now();
    }

    /// Whether the store has been unused for the newsroom's idle time.
    fn idle_too_long(&self) -> bool {
        lock(&self.idle.last_activity).elapsed() >= *lock(&self.idle.lock_after)
    }
}

/// The setting that named the server a store from before encryption belonged to.
const OLD_SERVER_KEY: &str = "server_url";

/// Locks the store once it has been unused for the newsroom's idle time.
pub async fn idle_lock_loop(app: Arc<App>) {
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if lock(&app.unlocked).is_some() && app.idle_too_long() {
            app.lock_now();
        }
    }
}

/// The password of the stores tests make.
#[cfg(test)]
pub(crate) const TEST_PASSWORD: &str = "পরীক্ষা-passw0rd";

/// An app whose store for `username` is made (the first time) and unlocked, without a server:
/// for tests of the app's parts.
#[cfg(test)]
pub(crate) fn unlocked_for_tests(config: super::AppConfig, username: &str) -> App {
    let app = App::open(config).unwrap();
    let dir = app.user_dir(username);
    if !keys::exists(&dir) {
        keys::create(&dir, TEST_PASSWORD).unwrap();
    }
    laptop::remember_user(&app.config.data_dir, &app.config.server_url, Some(username)).unwrap();
    app.unlock(TEST_PASSWORD).unwrap();
    app
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::AppConfig;
    use barta_model::{ArticleMeta, Document};

    fn config(dir: &Path) -> AppConfig {
        AppConfig {
            data_dir: dir.to_path_buf(),
            server_url: "http://127.0.0.1:9".into(),
            sync_interval: Duration::from_secs(60),
            image_max_edge: 2048,
        }
    }

    fn all_bytes_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    out.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        out
    }

    fn holds(bytes: &[u8], word: &str) -> bool {
        bytes.windows(word.len()).any(|w| w == word.as_bytes())
    }

    /// A draft naming a source, saved as a version, with a photo.
    fn write_draft(app: &App) -> barta_model::ArticleId {
        let id = app
            .store()
            .unwrap()
            .with(|s| s.create_article("national", "rahim"))
            .unwrap();
        let meta = ArticleMeta {
            headline: "চরের ভাঙন".into(),
            desk: "national".into(),
            ..Default::default()
        };
        app.save_draft(
            id,
            meta,
            Document::from_paragraphs([("a", "সূত্র করিমুন্নেসা জানালেন")]),
            None,
        )
        .unwrap();
        app.store()
            .unwrap()
            .with(|s| s.save_point(id, "rahim"))
            .unwrap();
        id
    }

    #[test]
    fn a_copy_of_the_disk_shows_no_word_of_a_draft_and_the_password_opens_it_offline() {
        let dir = tempfile::tempdir().unwrap();
        let app = unlocked_for_tests(config(dir.path()), "rahim");
        let id = write_draft(&app);
        let bytes = hex::decode(crate::media::TEST_PNG).unwrap();
        let src = app.add_image(&bytes).unwrap();
        // Locked, as after the idle time: nothing open, nothing readable.
        app.lock_now();
        assert_eq!(app.store().err().map(|e| e.code), Some(ErrorCode::Locked));
        assert_eq!(app.locked_user().as_deref(), Some("rahim"));
        for (path, bytes) in all_bytes_under(dir.path()) {
            for word in ["করিমুন্নেসা", "চরের ভাঙন"] {
                assert!(
                    !holds(&bytes, word),
                    "{word} readable in {}",
                    path.display()
                );
            }
            assert!(
                !bytes.windows(4).any(|w| w == b"\x89PNG"),
                "a photo readable in {}",
                path.display()
            );
        }
        drop(app);
        // A restart starts locked; a wrong password opens nothing, the right one opens it
        // without any server (the configured one does not answer).
        let app = App::open(config(dir.path())).unwrap();
        assert_eq!(app.store().err().map(|e| e.code), Some(ErrorCode::Locked));
        let refused = app.unlock("ভুল পাসওয়ার্ড").unwrap_err();
        assert_eq!(refused.code, ErrorCode::WrongPassword);
        app.unlock(TEST_PASSWORD).unwrap();
        let draft = app.store().unwrap().with(|s| s.load_article(id)).unwrap();
        assert_eq!(draft.meta.headline, "চরের ভাঙন");
        assert!(
            app.image_data_url(&src)
                .unwrap()
                .starts_with("data:image/png;base64,")
        );
    }

    #[test]
    fn the_store_locks_after_the_idle_time_and_activity_keeps_it_open() {
        let dir = tempfile::tempdir().unwrap();
        let app = unlocked_for_tests(config(dir.path()), "rahim");
        *lock(&app.idle.lock_after) = Duration::from_millis(300);
        std::thread::sleep(Duration::from_millis(200));
        app.still_here();
        std::thread::sleep(Duration::from_millis(200));
        assert!(!app.idle_too_long(), "activity started the idle time again");
        std::thread::sleep(Duration::from_millis(150));
        assert!(app.idle_too_long());
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&events);
        app.set_event_sink(Box::new(move |e| seen.lock().unwrap().push(e.clone())));
        app.lock_now();
        assert!(events.lock().unwrap().contains(&AppEvent::Locked));
        assert!(app.store().is_err());
    }

    #[test]
    fn the_newsrooms_idle_time_is_kept_for_offline_unlocks_and_has_a_floor() {
        let dir = tempfile::tempdir().unwrap();
        let app = unlocked_for_tests(config(dir.path()), "rahim");
        assert_eq!(*lock(&app.idle.lock_after), DEFAULT_LOCK_AFTER);
        app.keep_lock_after(Some(120)).unwrap();
        app.lock_now();
        app.unlock(TEST_PASSWORD).unwrap();
        assert_eq!(*lock(&app.idle.lock_after), Duration::from_secs(120));
        app.keep_lock_after(Some(1)).unwrap();
        assert_eq!(*lock(&app.idle.lock_after), SHORTEST_LOCK_AFTER);
    }

    #[test]
    fn two_users_of_one_computer_each_see_only_their_own_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let app = unlocked_for_tests(config(dir.path()), "rahim");
        let rahims = write_draft(&app);
        app.lock_now();
        drop(app);
        let app = unlocked_for_tests(config(dir.path()), "nasrin");
        let store = app.store().unwrap();
        assert!(store.with(|s| s.load_article(rahims)).is_err());
        assert_eq!(store.with(|s| s.pending_count()).unwrap(), 0);
        drop(store);
        assert_ne!(app.user_dir("rahim"), app.user_dir("nasrin"));
    }

    #[test]
    fn a_store_from_before_encryption_moves_into_its_owners_store_and_no_one_elses() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join(laptop::DB_FILE);
        let id = {
            let mut store = Store::open(&plain).unwrap();
            let id = store.create_article("national", "rahim").unwrap();
            store
                .save_working_copy(
                    id,
                    ArticleMeta {
                        headline: "পুরোনো খসড়া".into(),
                        desk: "national".into(),
                        ..Default::default()
                    },
                    Document::from_paragraphs([("a", "সূত্র করিমুন্নেসা")]),
                )
                .unwrap();
            store.save_point(id, "rahim").unwrap();
            store
                .set_setting(super::super::session::OWNER_KEY, Some("rahim"))
                .unwrap();
            id
        };
        let app = App::open(config(dir.path())).unwrap();
        // Someone else: a fresh store of their own, the plain one left for its owner.
        app.open_after_login("nasrin", TEST_PASSWORD, None).unwrap();
        assert!(app.store().unwrap().with(|s| s.load_article(id)).is_err());
        assert!(plain.exists());
        app.lock_now();
        // Its owner: every word moved in, the plain file gone.
        app.open_after_login("rahim", TEST_PASSWORD, None).unwrap();
        let draft = app.store().unwrap().with(|s| s.load_article(id)).unwrap();
        assert_eq!(draft.meta.headline, "পুরোনো খসড়া");
        assert_eq!(app.store().unwrap().with(|s| s.pending_count()).unwrap(), 1);
        assert!(!plain.exists());
        for (path, bytes) in all_bytes_under(dir.path()) {
            assert!(!holds(&bytes, "করিমুন্নেসা"), "readable in {}", path.display());
        }
    }

    #[test]
    fn a_password_changed_elsewhere_needs_the_previous_one_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = unlocked_for_tests(config(dir.path()), "rahim");
        let id = write_draft(&app);
        app.lock_now();
        let refused = app
            .open_after_login("rahim", "নতুন-পাসওয়ার্ড", None)
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::PreviousPasswordNeeded);
        let wrong = app
            .open_after_login("rahim", "নতুন-পাসওয়ার্ড", Some("ভুল"))
            .unwrap_err();
        assert_eq!(wrong.code, ErrorCode::WrongPassword);
        app.open_after_login("rahim", "নতুন-পাসওয়ার্ড", Some(TEST_PASSWORD))
            .unwrap();
        assert!(app.store().unwrap().with(|s| s.load_article(id)).is_ok());
        app.lock_now();
        assert_eq!(
            app.unlock(TEST_PASSWORD).unwrap_err().code,
            ErrorCode::WrongPassword,
            "the old password opens nothing any more"
        );
        app.unlock("নতুন-পাসওয়ার্ড").unwrap();
    }
}
