//! The session the executor sends with: a bearer token and, optionally, a way to log in again
//! when the server says the token is no longer good (401). The app supplies the re-login (it
//! holds the credentials or asks the user); the engine calls it at most once per round.

use crate::client::{Client, ClientError};
use barta_model::api::SessionResponse;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future of a re-login.
pub type ReloginFuture<'a> =
    Pin<Box<dyn Future<Output = Result<SessionResponse, ClientError>> + Send + 'a>>;

/// Logs in again to get a fresh token.
pub trait Relogin: Send + Sync {
    /// A new session from the server.
    fn relogin<'a>(&'a self, client: &'a Client) -> ReloginFuture<'a>;
}

/// Re-login with a stored username and password.
#[derive(Clone)]
pub struct PasswordLogin {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for PasswordLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordLogin")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Relogin for PasswordLogin {
    fn relogin<'a>(&'a self, client: &'a Client) -> ReloginFuture<'a> {
        Box::pin(client.login(&self.username, &self.password))
    }
}

/// The token in use and how to renew it. After a round, `token` holds the token that worked
/// last (the app stores it when it changed).
#[derive(Clone)]
pub struct Session {
    pub token: String,
    relogin: Option<Arc<dyn Relogin>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("relogin", &self.relogin.is_some())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session that cannot renew itself: a 401 stops the round.
    pub fn token(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            relogin: None,
        }
    }

    /// A session that logs in again once on a 401.
    pub fn with_relogin(token: impl Into<String>, relogin: Arc<dyn Relogin>) -> Self {
        Self {
            token: token.into(),
            relogin: Some(relogin),
        }
    }

    /// Logs in again, if this session can; `Ok(false)` when it cannot.
    pub(crate) async fn renew(&mut self, client: &Client) -> Result<bool, ClientError> {
        let Some(relogin) = self.relogin.clone() else {
            return Ok(false);
        };
        let answer = relogin.relogin(client).await?;
        self.token = answer.token;
        Ok(true)
    }
}
