//! Accounts and sessions: argon2id password hashes, opaque random bearer tokens (only their
//! SHA-256 is stored), login, and the [`Actor`] extractor that every protected route takes.

use crate::app::AppState;
use crate::error::ApiError;
use crate::password_checks::Turn;
use crate::store::{Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use barta_model::api::{LoginRequest, SessionResponse, UserInfo};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use std::time::Duration;

/// Why authentication failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown user or wrong password: one message for both, so usernames cannot be probed.
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("this call needs an `Authorization: Bearer <token>` header")]
    MissingToken,
    #[error("the token is invalid, expired or revoked: log in again")]
    BadToken,
    /// The password was right but an administrator disabled the account (told only to whom
    /// knows the password, so it reveals nothing to a guesser).
    #[error("this account is disabled: ask the newsroom's administrator")]
    Disabled,
    /// Too many failed logins for the account or from the address ([`crate::throttle`]).
    #[error("too many failed logins: try again in {} s", retry_after.as_secs().max(1))]
    Throttled { retry_after: Duration },
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane) and a
/// random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(AuthError::Hash)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AuthError::Hash)
}

/// Whether `password` matches the PHC string (false for an unreadable hash), outside the
/// server's bounded turns (see [`crate::password_checks`]).
pub fn verify_password(password: &str, phc: &str) -> bool {
    Turn::standalone().verify(password, phc)
}

/// A hash to verify against when the user does not exist, so that both failures take as long.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut password = [0u8; 16];
        rand::rng().fill_bytes(&mut password);
        hash_password(&hex::encode(password)).unwrap_or_default()
    })
}

/// A new opaque token (64 hex characters of 32 random bytes) and its SHA-256.
pub fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let sha = token_sha256(&token);
    (token, sha)
}

/// The SHA-256 under which a token is stored.
pub fn token_sha256(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Checks a username and password in `turn` and opens a session valid for `ttl`.
pub fn login(
    store: &dyn Store,
    req: &LoginRequest,
    ttl: Duration,
    turn: &mut Turn,
) -> Result<SessionResponse, AuthError> {
    let credentials = store.credentials(&req.username)?;
    let matches = match &credentials {
        Some(c) => turn.verify(&req.password, &c.password_hash),
        None => turn.verify(&req.password, decoy_hash()),
    };
    let Some(credentials) = credentials.filter(|_| matches) else {
        return Err(AuthError::WrongCredentials);
    };
    if credentials.disabled {
        return Err(AuthError::Disabled);
    }
    let (token, sha) = new_token();
    let expires_at = chrono::Utc::now().timestamp() + ttl.as_secs() as i64;
    store.create_token(credentials.user.id, &sha, expires_at)?;
    Ok(SessionResponse {
        token,
        expires_in: ttl.as_secs(),
        user: credentials.user,
        app_lock_after: None,
    })
}

/// The bearer token of a request, if it carries one.
pub fn bearer(parts: &Parts) -> Result<&str, AuthError> {
    let value = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or(AuthError::MissingToken)?
        .to_str()
        .map_err(|_| AuthError::BadToken)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::BadToken)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(AuthError::BadToken);
    }
    Ok(token)
}

/// How often a token's last use is written down, at most (its idle time is that precise; a
/// quarter of the idle time when that is shorter).
pub const TOUCH_EVERY: i64 = 60;

/// The user a token belongs to, if it is live: unrevoked, younger than its maximum age, and
/// used within `idle` (each use starts the idle time again).
pub fn authenticate(store: &dyn Store, token: &str, idle: Duration) -> Result<UserInfo, AuthError> {
    let now = chrono::Utc::now().timestamp();
    let sha = token_sha256(token);
    let (user, last_used) = store
        .token_user(&sha, now, now - idle.as_secs() as i64)?
        .ok_or(AuthError::BadToken)?;
    if now - last_used >= TOUCH_EVERY.min(idle.as_secs() as i64 / 4) {
        store.touch_token(&sha, now)?;
    }
    Ok(user)
}

/// The authenticated caller of a protected route (401 when there is none).
#[derive(Clone, Debug)]
pub struct Actor(pub UserInfo);

/// The address a request came from, when the server was started with it (`serve` is); used
/// only to count failed logins.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// The caller when the request carries a token (which must be live: 401 otherwise), `None`
/// for an anonymous request (public routes that show more to a logged-in user).
#[derive(Clone, Debug)]
pub struct MaybeActor(pub Option<UserInfo>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(MaybeActor(None));
        }
        Actor::from_request_parts(parts, state)
            .await
            .map(|Actor(user)| MaybeActor(Some(user)))
    }
}

/// The caller's raw bearer token (for logging out).
#[derive(Clone, Debug)]
pub struct BearerToken(pub String);

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?.to_string();
        let idle = state.config().token_idle;
        let user = state
            .call(move |store| authenticate(store, &token, idle))
            .await?;
        if let Some(slot) = parts.extensions.get::<crate::audit_trail::AuditSlot>() {
            slot.fill(&user);
        }
        Ok(Actor(user))
    }
}

impl FromRequestParts<AppState> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        Ok(BearerToken(bearer(parts)?.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_tokens_are_distinct() {
        let phc = hash_password("গোপন কথা").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("গোপন কথা", &phc));
        assert!(!verify_password("গোপন", &phc));
        assert!(!verify_password("x", "not a hash"));
        let (a, sha_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_sha256(&a), sha_a);
    }
}
