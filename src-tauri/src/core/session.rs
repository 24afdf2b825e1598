//! Who is logged in: the session kept in the local store (so the app works offline after a
//! restart), resuming it with the password when the server ended it, logging out (the token
//! revoked on the server, now or at the next connection), the app's info for the page, and the
//! names of the user's desks as the server last gave them. No password is kept, on disk or in
//! memory: it opens the user's encrypted store (`vault.rs`) and is forgotten.

use super::{App, lock};
use crate::error::AppError;
use crate::ipc_types::AppInfo;
use barta_model::api::{DeskInfo, UserInfo};
use barta_model::{ErrorCode, Role};
use barta_store::laptop;
use barta_sync::StoreAccess;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

/// The logged-in user, kept in the local store so the app works offline after a restart.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Session {
    pub token: String,
    pub user: UserInfo,
}

pub(super) const SESSION_KEY: &str = "session";
/// The user's desks with the names the newsroom gave them, as the server last said.
const DESKS_KEY: &str = "desks";
/// A logged-out token the server has not been told about yet (logout while offline).
const REVOKE_KEY: &str = "token_to_revoke";
/// Whose work this store holds: the user it was made for (and, in a store from before each
/// user had their own, the first user who logged in on it).
pub(super) const OWNER_KEY: &str = "store_owner";

/// The account's state: owned here, read by the other parts through [`App`]'s methods.
pub(super) struct Account {
    pub session: Mutex<Option<Session>>,
    /// The desks' names were asked for in this run (at login, or after the first round).
    pub desks_asked: AtomicBool,
}

impl Account {
    pub fn new(session: Option<Session>) -> Self {
        Self {
            session: Mutex::new(session),
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
            locked_user: self.locked_user(),
        }
    }

    /// The names of the user's desks as the server last gave them (empty before it has).
    fn desk_names(&self) -> Vec<DeskInfo> {
        self.setting_or_none(DESKS_KEY)
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
                .and_then(|json| {
                    Ok(self
                        .store()?
                        .with(|s| s.set_setting(DESKS_KEY, Some(&json)))?)
                }),
            Err(e) => Err(AppError::from(e)),
        };
        if let Err(e) = kept {
            tracing::info!(code = %e.code, "desk names not refreshed: {}", e.message);
        }
    }

    /// Logs in on the server, then opens the user's encrypted store with the same password
    /// (`previous`: the password the store was made with, when it has changed since).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        previous: Option<&str>,
    ) -> Result<UserInfo, AppError> {
        let answer = self.client.login(username.trim(), password).await?;
        let opened = self
            .switch_user(&answer.user.username)
            .and_then(|()| self.open_after_login(&answer.user.username, password, previous))
            .and_then(|()| self.claim_store(&answer.user.username));
        if let Err(refused) = opened {
            // The session just opened is not used: revoke it (best effort).
            if let Err(e) = self.client.logout(&answer.token).await {
                tracing::info!(code = %e.code(), "an unused session was not revoked");
            }
            return Err(refused);
        }
        self.keep_lock_after(answer.app_lock_after)?;
        let session = Session {
            token: answer.token,
            user: answer.user,
        };
        let saved = serde_json::to_string(&session)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        self.store()?
            .with(|s| s.set_setting(SESSION_KEY, Some(&saved)))?;
        let user = session.user.clone();
        *lock(&self.account.session) = Some(session.clone());
        self.set_status(|s| {
            s.online = true;
            s.session_ended = false;
            s.last_error = None;
        });
        self.revoke_left_over_token().await;
        self.refresh_desk_names(&session.token).await;
        self.refresh_newsroom_words(&session.token, true).await;
        self.sync.wake.notify_one();
        Ok(user)
    }

    /// Closes the store that is open when another user logs in (each user's work stays in
    /// their own store).
    fn switch_user(&self, username: &str) -> Result<(), AppError> {
        if let Some(current) = self.session().map(|s| s.user.username)
            && !current.eq_ignore_ascii_case(username)
        {
            self.lock_now();
        }
        Ok(())
    }

    /// Checks that `username` may use this store, and records them as its owner when it has
    /// none yet (a store from before owners were recorded belongs to the user of its session).
    fn claim_store(&self, username: &str) -> Result<(), AppError> {
        let recorded = self.store()?.with(|s| s.setting(OWNER_KEY))?;
        let owner = recorded.or_else(|| self.session().map(|s| s.user.username));
        match owner {
            Some(owner) if !owner.eq_ignore_ascii_case(username) => Err(AppError::new(
                ErrorCode::OtherUsersStore,
                format!(
                    "this computer's Barta holds {owner}'s work; {username} cannot log in on it \
                     (each user on their own computer until stores are kept per user)"
                ),
            )),
            _ => Ok(self
                .store()?
                .with(|s| s.set_setting(OWNER_KEY, Some(username)))?),
        }
    }

    /// Goes on with the same account after the server ended its session: a new login with
    /// the password the user typed, everything local kept.
    pub async fn resume_session(&self, password: &str) -> Result<UserInfo, AppError> {
        let username = self.user()?.username;
        self.login(&username, password, None).await
    }

    /// Logs out: the token is revoked on the server (now when it answers, otherwise at the
    /// next login), then forgotten here with the user's per-session settings.
    pub async fn logout(&self) -> Result<(), AppError> {
        if let Some(session) = self.session() {
            let told = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                self.client.logout(&session.token),
            )
            .await;
            match told {
                // Revoked now, or already dead (401): nothing left to do.
                Ok(Ok(())) => {}
                Ok(Err(e)) if e.status() == Some(401) => {}
                _ => self
                    .store()?
                    .with(|s| s.set_setting(REVOKE_KEY, Some(&session.token)))?,
            }
        }
        self.store()?.with(|s| {
            s.set_setting(SESSION_KEY, None)?;
            s.set_setting(super::editing::OPEN_ARTICLE_KEY, None)?;
            s.set_setting(DESKS_KEY, None)?;
            s.set_setting(super::spelling::NEWSROOM_WORDS_KEY, None)
        })?;
        *lock(&self.account.session) = None;
        self.set_status(|s| s.session_ended = false);
        // Nobody's store to offer at the next start: the login form asks who it is.
        laptop::remember_user(&self.config.data_dir, &self.config.server_url, None)
            .map_err(|e| AppError::new(ErrorCode::Storage, e.to_string()))?;
        self.lock_now();
        Ok(())
    }

    /// Tells the server about a token logged out while offline (best effort: kept for the
    /// next time when the server cannot be told now).
    async fn revoke_left_over_token(&self) {
        let Ok(store) = self.store() else {
            return;
        };
        let Ok(Some(token)) = store.with(|s| s.setting(REVOKE_KEY)) else {
            return;
        };
        match self.client.logout(&token).await {
            Ok(()) => {}
            Err(e) if e.status() == Some(401) => {}
            Err(e) => {
                tracing::info!(code = %e.code(), "a logged-out token is still to be revoked");
                return;
            }
        }
        if let Err(e) = store.with(|s| s.set_setting(REVOKE_KEY, None)) {
            tracing::info!(%e, "the revoked token could not be forgotten");
        }
    }

    /// Stores a token renewed by a re-login, so a restart uses it.
    pub(super) fn keep_token(&self, old: &Session, token: String) {
        let renewed = Session {
            token,
            user: old.user.clone(),
        };
        if let Ok(json) = serde_json::to_string(&renewed)
            && let Ok(store) = self.store()
            && store
                .with(|s| s.set_setting(SESSION_KEY, Some(&json)))
                .is_ok()
        {
            *lock(&self.account.session) = Some(renewed);
        }
    }
}
