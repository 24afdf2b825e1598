//! Newsroom administration (desks, users and sessions), as the `barta desk …`, `barta user …`
//! and `barta session …` commands use it: input checks with clear messages, then one store
//! call.

use crate::auth::{self, AuthError};
use crate::store::{Account, NewUser, SessionEntry, SessionScope, Store, StoreError};
use barta_model::Role;
use barta_model::api::UserInfo;

/// Why an administration command failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The user or desk exists already (scripts may treat this as success).
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("unknown desk {0:?}: add it first with `barta desk add {0} --name NAME`")]
    UnknownDesk(String),
    #[error(
        "invalid desk slug {0:?}: use 1 to 64 lowercase ASCII letters, digits and '-', \
         starting with a letter or digit"
    )]
    BadSlug(String),
    #[error("the desk name must not be empty")]
    EmptyName,
    #[error(
        "invalid username {0:?}: use 1 to 64 ASCII letters, digits, '.', '_' and '-', \
         starting with a letter or digit"
    )]
    BadUsername(String),
    #[error("the password must not be empty")]
    EmptyPassword,
    #[error("no user {0:?}: `barta user list` shows the users")]
    UnknownUser(String),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::AlreadyExists(what) => Self::AlreadyExists(what),
            other => Self::Store(other),
        }
    }
}

/// A user account to create.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub role: Role,
    pub desks: Vec<String>,
    pub password: String,
}

fn is_name(text: &str, extra: &[char], lowercase_only: bool) -> bool {
    let mut chars = text.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() && !(lowercase_only && c.is_ascii_uppercase()));
    first_ok
        && text.len() <= 64
        && chars.all(|c| {
            (c.is_ascii_alphanumeric() && !(lowercase_only && c.is_ascii_uppercase()))
                || extra.contains(&c)
        })
}

/// Whether `slug` is a valid desk slug.
pub fn is_desk_slug(slug: &str) -> bool {
    is_name(slug, &['-'], true)
}

/// Whether `username` is a valid username.
pub fn is_username(username: &str) -> bool {
    is_name(username, &['.', '_', '-'], false)
}

/// Creates a desk. Its display name is normalized (it is usually Bengali).
pub fn add_desk(store: &dyn Store, slug: &str, name: &str) -> Result<(), AdminError> {
    if !is_desk_slug(slug) {
        return Err(AdminError::BadSlug(slug.to_string()));
    }
    let name = bangla::normalize(name.trim());
    if name.is_empty() {
        return Err(AdminError::EmptyName);
    }
    store.add_desk(slug, &name)?;
    audited(store, "desk_add", slug)
}

/// Creates a user with an argon2id-hashed password.
pub fn add_user(store: &dyn Store, account: NewAccount) -> Result<UserInfo, AdminError> {
    if !is_username(&account.username) {
        return Err(AdminError::BadUsername(account.username));
    }
    if account.password.is_empty() {
        return Err(AdminError::EmptyPassword);
    }
    if store.credentials(&account.username)?.is_some() {
        return Err(AdminError::AlreadyExists(format!(
            "user {:?}",
            account.username
        )));
    }
    for desk in &account.desks {
        if !store.desk_exists(desk)? {
            return Err(AdminError::UnknownDesk(desk.clone()));
        }
    }
    let password_hash = auth::hash_password(&account.password)?;
    let user = store.add_user(NewUser {
        username: account.username,
        role: account.role,
        desks: account.desks,
        password_hash,
    });
    let user = match user {
        Err(StoreError::NotFound(what)) => return Err(AdminError::UnknownDesk(what)),
        other => other?,
    };
    let detail = format!(
        "{}: role {}, desks {}",
        user.username,
        user.role,
        user.desks.join(" ")
    );
    audited(store, "user_add", &detail)?;
    Ok(user)
}

/// A user-scoped store call's error, an unknown user named as such.
fn for_user(username: &str) -> impl FnOnce(StoreError) -> AdminError + '_ {
    move |e| match e {
        StoreError::NotFound(_) => AdminError::UnknownUser(username.to_owned()),
        other => other.into(),
    }
}

/// Every account (`barta user list`).
pub fn accounts(store: &dyn Store) -> Result<Vec<Account>, AdminError> {
    Ok(store.accounts(chrono::Utc::now().timestamp())?)
}

/// Disables an account: its sessions are revoked at once and it cannot log in until enabled.
pub fn disable_user(store: &dyn Store, username: &str) -> Result<(), AdminError> {
    store
        .set_disabled(username, true)
        .map_err(for_user(username))?;
    audited(store, "user_disable", username)
}

/// Enables a disabled account (its user logs in again; no old session comes back).
pub fn enable_user(store: &dyn Store, username: &str) -> Result<(), AdminError> {
    store
        .set_disabled(username, false)
        .map_err(for_user(username))?;
    audited(store, "user_enable", username)
}

/// Changes a user's role and/or desks (`barta user set`); the desks replace the old ones.
pub fn set_role_and_desks(
    store: &dyn Store,
    username: &str,
    role: Option<Role>,
    desks: Option<&[String]>,
) -> Result<UserInfo, AdminError> {
    for desk in desks.unwrap_or_default() {
        if !store.desk_exists(desk)? {
            return Err(AdminError::UnknownDesk(desk.clone()));
        }
    }
    let user = store
        .set_role_and_desks(username, role, desks)
        .map_err(for_user(username))?;
    let detail = format!(
        "{username}: role {}, desks {}",
        user.role,
        user.desks.join(" ")
    );
    audited(store, "user_set", &detail)?;
    Ok(user)
}

/// Sets a new password (argon2id) and revokes the user's sessions.
pub fn set_password(store: &dyn Store, username: &str, password: &str) -> Result<(), AdminError> {
    if password.is_empty() {
        return Err(AdminError::EmptyPassword);
    }
    let hash = auth::hash_password(password)?;
    store
        .set_password_hash(username, &hash)
        .map_err(for_user(username))?;
    audited(store, "user_passwd", username)
}

/// The live sessions, of one user or all (`barta session list`).
pub fn sessions(
    store: &dyn Store,
    username: Option<&str>,
) -> Result<Vec<SessionEntry>, AdminError> {
    let now = chrono::Utc::now().timestamp();
    store
        .sessions(username, now)
        .map_err(for_user(username.unwrap_or_default()))
}

/// Revokes the live sessions of one user or of everyone (`barta session revoke`); returns
/// how many. The apps stop syncing at their next request.
pub fn revoke_sessions(store: &dyn Store, scope: SessionScope<'_>) -> Result<usize, AdminError> {
    let username = match scope {
        SessionScope::User(u) => u,
        SessionScope::All => "",
    };
    let revoked = store.revoke_sessions(scope).map_err(for_user(username))?;
    let who = if username.is_empty() {
        "everyone"
    } else {
        username
    };
    audited(
        store,
        "session_revoke",
        &format!("{who}: {revoked} sessions"),
    )?;
    Ok(revoked)
}

/// Writes an admin command's entry to the audit trail.
fn audited(store: &dyn Store, action: &str, detail: &str) -> Result<(), AdminError> {
    Ok(store.record_audit(&crate::audit_trail::admin_entry(action, detail))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (slug, ok) in [
            ("national", true),
            ("int-l", true),
            ("", false),
            ("-x", false),
            ("Sports", false),
            ("খেলা", false),
        ] {
            assert_eq!(is_desk_slug(slug), ok, "{slug:?}");
        }
        for (name, ok) in [
            ("rahim", true),
            ("Rahim.K_2", true),
            ("", false),
            (".x", false),
            ("a b", false),
        ] {
            assert_eq!(is_username(name), ok, "{name:?}");
        }
    }
}
