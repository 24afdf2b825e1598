//! Account administration over SQL: listing accounts, disabling and enabling them, replacing
//! a password, and listing and revoking sessions. Disabling an account and changing its
//! password revoke its sessions in the same transaction, so a seized laptop's token stops
//! working at once.

use super::{exec, now, parsed};
use crate::store::{Account, SessionEntry, SessionScope, StoreError};
use barta_model::api::UserInfo;
use barta_model::{Role, UserId};
use rusqlite::{Connection, params};

/// Every account, by username, with its desks and live sessions.
pub fn list(tx: &Connection, now_unix: i64) -> Result<Vec<Account>, StoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT u.username, u.role, u.disabled_at IS NOT NULL, u.created_at,
                (SELECT COUNT(*) FROM tokens t WHERE t.user_id = u.id
                   AND t.revoked_at IS NULL AND t.expires_at > ?1),
                (SELECT group_concat(desk, ' ') FROM
                   (SELECT desk FROM user_desks d WHERE d.user_id = u.id ORDER BY desk))
           FROM users u ORDER BY u.username",
    )?;
    let rows = statement.query_map([now_unix], |r| {
        Ok(Account {
            username: r.get(0)?,
            role: parsed::<Role>(r, 1)?,
            disabled: r.get(2)?,
            created_at: r.get(3)?,
            live_sessions: r.get(4)?,
            desks: r
                .get::<_, Option<String>>(5)?
                .map(|d| d.split(' ').map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The id of a user by username, or [`StoreError::NotFound`].
fn user_id(tx: &Connection, username: &str) -> Result<String, StoreError> {
    tx.query_row(
        "SELECT id FROM users WHERE username = ?1",
        [username],
        |r| r.get(0),
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound(format!("user {username:?}")),
        other => other.into(),
    })
}

/// Revokes every live session of a user (by id); returns how many.
fn revoke_user_sessions(tx: &Connection, id: &str) -> Result<usize, StoreError> {
    Ok(exec(
        tx,
        "UPDATE tokens SET revoked_at = ?1
          WHERE user_id = ?2 AND revoked_at IS NULL AND expires_at > ?3",
        params![now(), id, chrono::Utc::now().timestamp()],
    )?)
}

/// Disables an account (and revokes its sessions) or enables it.
pub fn set_disabled(tx: &Connection, username: &str, disabled: bool) -> Result<(), StoreError> {
    let id = user_id(tx, username)?;
    if disabled {
        exec(
            tx,
            "UPDATE users SET disabled_at = ?1 WHERE id = ?2 AND disabled_at IS NULL",
            params![now(), id],
        )?;
        revoke_user_sessions(tx, &id)?;
    } else {
        exec(
            tx,
            "UPDATE users SET disabled_at = NULL WHERE id = ?1",
            [&id],
        )?;
    }
    Ok(())
}

/// Changes a user's role and/or desks (the desks replace the old ones; each must exist). The
/// change holds from the user's next request: a token carries no role.
pub fn set_role_and_desks(
    tx: &Connection,
    username: &str,
    role: Option<Role>,
    desks: Option<&[String]>,
) -> Result<UserInfo, StoreError> {
    let id = user_id(tx, username)?;
    if let Some(role) = role {
        exec(
            tx,
            "UPDATE users SET role = ?1 WHERE id = ?2",
            params![role.as_str(), id],
        )?;
    }
    if let Some(desks) = desks {
        exec(tx, "DELETE FROM user_desks WHERE user_id = ?1", [&id])?;
        for desk in desks {
            exec(
                tx,
                "INSERT OR IGNORE INTO user_desks (user_id, desk)
                 SELECT ?1, slug FROM desks WHERE slug = ?2",
                params![id, desk],
            )?;
        }
    }
    let (id, username, role): (UserId, String, Role) = tx.query_row(
        "SELECT id, username, role FROM users WHERE id = ?1",
        [&id],
        |r| Ok((parsed::<UserId>(r, 0)?, r.get(1)?, parsed::<Role>(r, 2)?)),
    )?;
    Ok(UserInfo {
        id,
        username,
        role,
        desks: super::user_desks(tx, id)?,
    })
}

/// Replaces a password hash and revokes the user's sessions: whoever held the old password's
/// sessions must log in with the new one.
pub fn set_password_hash(
    tx: &Connection,
    username: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    let id = user_id(tx, username)?;
    exec(
        tx,
        "UPDATE users SET password_hash = ?1 WHERE id = ?2",
        params![password_hash, id],
    )?;
    revoke_user_sessions(tx, &id)?;
    Ok(())
}

/// The live sessions of one user or all, oldest first.
pub fn sessions(
    tx: &Connection,
    username: Option<&str>,
    now_unix: i64,
) -> Result<Vec<SessionEntry>, StoreError> {
    if let Some(name) = username {
        user_id(tx, name)?;
    }
    let mut statement = tx.prepare_cached(
        "SELECT lower(hex(substr(t.token_sha256, 1, 6))), u.username, t.created_at, t.expires_at
           FROM tokens t JOIN users u ON u.id = t.user_id
          WHERE t.revoked_at IS NULL AND t.expires_at > ?1
            AND (?2 IS NULL OR u.username = ?2)
          ORDER BY t.created_at, u.username",
    )?;
    let rows = statement.query_map(params![now_unix, username], |r| {
        Ok(SessionEntry {
            id: r.get(0)?,
            username: r.get(1)?,
            created_at: r.get(2)?,
            expires_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes the live sessions of a scope; returns how many.
pub fn revoke_sessions(tx: &Connection, scope: SessionScope<'_>) -> Result<usize, StoreError> {
    match scope {
        SessionScope::User(username) => {
            let id = user_id(tx, username)?;
            revoke_user_sessions(tx, &id)
        }
        SessionScope::All => Ok(exec(
            tx,
            "UPDATE tokens SET revoked_at = ?1 WHERE revoked_at IS NULL AND expires_at > ?2",
            params![now(), chrono::Utc::now().timestamp()],
        )?),
    }
}
