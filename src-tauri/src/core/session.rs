//! Who is logged in: the session kept in the local store (so the app works offline after a
//! restart), this run's password for one re-login when the token expires, the app's info for
//! the page, and the names of the user's desks as the server last gave them.

use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::AppInfo;
use barta_model::api::{DeskInfo, UserInfo};
use barta_model::{ErrorCode, Role};
use barta_sync::{PasswordLogin, StoreAccess};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// The logged-in user, kept in the local store so the app works offline after a restart.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Session {
    pub token: String,
    pub user: UserInfo,
}

/// The password of this run's login, in memory only (never stored): it lets a sync round log in
/// again once when the token expires. After a restart it is gone, and an expired token asks
/// the user to log in.
#[derive(Clone, Default)]
pub(super) struct Relogin(pub Option<Arc<PasswordLogin>>);

pub(super) const SESSION_KEY: &str = "session";
/// The user's desks with the names the newsroom gave them, as the server last said.
const DESKS_KEY: &str = "desks";

/// The account's state: owned here, read by the other parts through [`App`]'s methods.
pub(super) struct Account {
    pub session: Mutex<Option<Session>>,
    pub relogin: Mutex<Relogin>,
    /// The desks' names were asked for in this run (at login, or after the first round).
    pub desks_asked: AtomicBool,
}

impl Account {
    pub fn new(session: Option<Session>) -> Self {
        Self {
            session: Mutex::new(session),
            relogin: Mutex::new(Relogin::default()),
            desks_asked: AtomicBool::new(false),
        }
    }
}

impl App {
    pub(super) fn session(&self) -> Option<Session> {
        lock(&self.account.session).clone()
    }

    pub(super) fn user(&self) -> Result<UserInfo, AppError> {
        self.session()
            .map(|s| s.user)
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))
    }

    pub(super) fn token(&self) -> Result<String, AppError> {
        self.session()
            .map(|s| s.token)
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))
    }

    pub(super) fn editor_token(&self) -> Result<String, AppError> {
        let session = self
            .session()
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "please log in first"))?;
        if session.user.role != Role::Editor {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "only desk editors approve and publish",
            ));
        }
        Ok(session.token)
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            server_url: self.config.server_url.clone(),
            app_version: super::app_version().to_string(),
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
    pub(super) async fn refresh_desk_names(&self, token: &str) {
        self.account
            .desks_asked
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
        *lock(&self.account.session) = Some(session.clone());
        *lock(&self.account.relogin) = Relogin(Some(Arc::new(PasswordLogin {
            username: username.trim().to_string(),
            password: password.to_string(),
        })));
        self.set_status(|s| s.online = true);
        self.refresh_desk_names(&session.token).await;
        self.refresh_newsroom_words(&session.token, true).await;
        self.sync.wake.notify_one();
        Ok(user)
    }

    pub fn logout(&self) -> Result<(), AppError> {
        self.store.with(|s| {
            s.set_setting(SESSION_KEY, None)?;
            s.set_setting(super::editing::OPEN_ARTICLE_KEY, None)?;
            s.set_setting(DESKS_KEY, None)?;
            s.set_setting(super::spelling::NEWSROOM_WORDS_KEY, None)
        })?;
        *lock(&self.account.session) = None;
        *lock(&self.account.relogin) = Relogin::default();
        Ok(())
    }

    /// Stores a token renewed by a re-login, so a restart uses it.
    pub(super) fn keep_token(&self, old: &Session, token: String) {
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
            *lock(&self.account.session) = Some(renewed);
        }
    }
}
