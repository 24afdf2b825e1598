//! Desks, users, tokens and sessions on PostgreSQL: the SQL twin of `store/sqlite/accounts.rs`
//! and the account methods of `store/sqlite.rs`. Usernames match whatever their case
//! (`lower(username)`, as SQLite's `COLLATE NOCASE`).

use super::rows::parsed;
use super::{Db, PgConn};
use crate::store::rules::now;
use crate::store::{Account, Credentials, NewUser, SessionEntry, SessionScope, StoreError};
use barta_model::api::{DeskInfo, UserInfo};
use barta_model::{Role, UserId};
use tokio_postgres::Row;

/// Reads a `count(*)` column (BIGINT) as a `u32`.
fn count(row: &Row, idx: usize) -> Result<u32, StoreError> {
    let n: i64 = row.try_get(idx)?;
    u32::try_from(n).map_err(|e| StoreError::Database(format!("column {idx}: {n}: {e}")))
}

/// The number of rows a statement changed, as a `usize`.
fn changed(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The slugs of the desks `user` belongs to, sorted.
fn user_desks(tx: &mut Db<'_>, user: UserId) -> Result<Vec<String>, StoreError> {
    tx.query(
        r#"SELECT desk FROM user_desks WHERE user_id = $1 ORDER BY desk COLLATE "C""#,
        &[&user.to_string()],
    )?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}

/// Creates a desk, refusing a slug that exists.
pub fn add_desk(tx: &mut Db<'_>, slug: &str, name: &str) -> Result<(), StoreError> {
    if desk_exists(tx, slug)? {
        return Err(StoreError::AlreadyExists(format!("desk {slug:?}")));
    }
    tx.execute(
        "INSERT INTO desks (slug, name, created_at) VALUES ($1, $2, $3)",
        &[&slug, &name, &now()],
    )?;
    Ok(())
}

/// Whether a desk exists.
pub fn desk_exists(tx: &mut Db<'_>, slug: &str) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt("SELECT 1 FROM desks WHERE slug = $1", &[&slug])?
        .is_some())
}

/// The desks `user` belongs to, with their names, by slug.
pub fn desks_of(tx: &mut Db<'_>, user: UserId) -> Result<Vec<DeskInfo>, StoreError> {
    tx.query(
        r#"SELECT d.slug, d.name FROM user_desks u JOIN desks d ON d.slug = u.desk
            WHERE u.user_id = $1 ORDER BY d.slug COLLATE "C""#,
        &[&user.to_string()],
    )?
    .iter()
    .map(|r| {
        Ok(DeskInfo {
            slug: r.try_get(0)?,
            name: r.try_get(1)?,
        })
    })
    .collect()
}

/// Creates a user, refusing a username taken in any case or a desk that does not exist.
pub fn add_user(tx: &mut Db<'_>, user: NewUser) -> Result<UserInfo, StoreError> {
    let taken = tx
        .query_opt(
            "SELECT 1 FROM users WHERE lower(username) = lower($1)",
            &[&user.username],
        )?
        .is_some();
    if taken {
        return Err(StoreError::AlreadyExists(format!(
            "user {:?}",
            user.username
        )));
    }
    let mut desks = user.desks.clone();
    desks.sort();
    desks.dedup();
    for desk in &desks {
        if !desk_exists(tx, desk)? {
            return Err(StoreError::NotFound(format!("desk {desk:?}")));
        }
    }
    let id = UserId::new();
    tx.execute(
        "INSERT INTO users (id, username, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &id.to_string(),
            &user.username,
            &user.role.as_str(),
            &user.password_hash,
            &now(),
        ],
    )?;
    for desk in &desks {
        tx.execute(
            "INSERT INTO user_desks (user_id, desk) VALUES ($1, $2)",
            &[&id.to_string(), desk],
        )?;
    }
    Ok(UserInfo {
        id,
        username: user.username,
        role: user.role,
        desks,
    })
}

/// The login record of a user, by username (any case).
pub fn credentials(tx: &mut Db<'_>, username: &str) -> Result<Option<Credentials>, StoreError> {
    let Some(row) = tx.query_opt(
        "SELECT id, username, role, password_hash, disabled_at IS NOT NULL
           FROM users WHERE lower(username) = lower($1)",
        &[&username],
    )?
    else {
        return Ok(None);
    };
    let id: UserId = parsed(&row, 0)?;
    let desks = user_desks(tx, id)?;
    Ok(Some(Credentials {
        user: UserInfo {
            id,
            username: row.try_get(1)?,
            role: parsed(&row, 2)?,
            desks,
        },
        password_hash: row.try_get(3)?,
        disabled: row.try_get(4)?,
    }))
}

/// Stores a session token (only its SHA-256), valid until `expires_at` (unix seconds).
pub fn create_token(
    tx: &mut Db<'_>,
    user: UserId,
    token_sha256: &[u8; 32],
    expires_at: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO tokens (token_sha256, user_id, created_at, expires_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &&token_sha256[..],
            &user.to_string(),
            &now(),
            &expires_at,
            &chrono::Utc::now().timestamp(),
        ],
    )?;
    Ok(())
}

/// The user of a live token (unrevoked, unexpired, used after `idle_cutoff`, its account
/// enabled) and when the token was last used.
pub fn token_user(
    conn: &mut PgConn,
    token_sha256: &[u8; 32],
    now_unix: i64,
    idle_cutoff: i64,
) -> Result<Option<(UserInfo, i64)>, StoreError> {
    // One statement, the user's desks with it: every request makes this check.
    let Some(row) = conn.query_opt_alone(
        r#"SELECT u.id, u.username, u.role, t.last_used_at,
                  ARRAY(SELECT d.desk FROM user_desks d WHERE d.user_id = u.id
                        ORDER BY d.desk COLLATE "C")
             FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
              AND t.last_used_at > $3 AND u.disabled_at IS NULL"#,
        &[&&token_sha256[..], &now_unix, &idle_cutoff],
    )?
    else {
        return Ok(None);
    };
    let user = UserInfo {
        id: parsed(&row, 0)?,
        username: row.try_get(1)?,
        role: parsed(&row, 2)?,
        desks: row.try_get(4)?,
    };
    Ok(Some((user, row.try_get(3)?)))
}

/// Records that a token was used at `now_unix` (never moving its last use back).
pub fn touch_token(
    tx: &mut Db<'_>,
    token_sha256: &[u8; 32],
    now_unix: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE tokens SET last_used_at = $2 WHERE token_sha256 = $1 AND last_used_at < $2",
        &[&&token_sha256[..], &now_unix],
    )?;
    Ok(())
}

/// Revokes one token (logging out); a revoked one stays as it was.
pub fn revoke_token(tx: &mut Db<'_>, token_sha256: &[u8; 32]) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE tokens SET revoked_at = $1 WHERE token_sha256 = $2 AND revoked_at IS NULL",
        &[&now(), &&token_sha256[..]],
    )?;
    Ok(())
}

/// Every account, by username (any case), with its desks and live sessions.
pub fn list(tx: &mut Db<'_>, now_unix: i64) -> Result<Vec<Account>, StoreError> {
    tx.query(
        r#"SELECT u.username, u.role, u.disabled_at IS NOT NULL, u.created_at,
                  (SELECT count(*) FROM tokens t WHERE t.user_id = u.id
                     AND t.revoked_at IS NULL AND t.expires_at > $1),
                  (SELECT string_agg(d.desk, ' ' ORDER BY d.desk COLLATE "C")
                     FROM user_desks d WHERE d.user_id = u.id)
             FROM users u ORDER BY lower(u.username) COLLATE "C""#,
        &[&now_unix],
    )?
    .iter()
    .map(|r| {
        Ok(Account {
            username: r.try_get(0)?,
            role: parsed(r, 1)?,
            disabled: r.try_get(2)?,
            created_at: r.try_get(3)?,
            live_sessions: count(r, 4)?,
            desks: r
                .try_get::<_, Option<String>>(5)?
                .map(|d| d.split(' ').map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    })
    .collect()
}

/// The id of a user by username (any case), or [`StoreError::NotFound`].
fn user_id(tx: &mut Db<'_>, username: &str) -> Result<String, StoreError> {
    tx.query_opt(
        "SELECT id FROM users WHERE lower(username) = lower($1)",
        &[&username],
    )?
    .map(|r| r.try_get(0))
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("user {username:?}")))
}

/// Revokes every live session of a user (by id); returns how many.
fn revoke_user_sessions(tx: &mut Db<'_>, id: &str) -> Result<usize, StoreError> {
    let n = tx.execute(
        "UPDATE tokens SET revoked_at = $1
          WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > $3",
        &[&now(), &id, &chrono::Utc::now().timestamp()],
    )?;
    Ok(changed(n))
}

/// Disables an account (and revokes its sessions) or enables it.
pub fn set_disabled(tx: &mut Db<'_>, username: &str, disabled: bool) -> Result<(), StoreError> {
    let id = user_id(tx, username)?;
    if disabled {
        tx.execute(
            "UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL",
            &[&now(), &id],
        )?;
        revoke_user_sessions(tx, &id)?;
    } else {
        tx.execute("UPDATE users SET disabled_at = NULL WHERE id = $1", &[&id])?;
    }
    Ok(())
}

/// Changes a user's role and/or desks (the new desks replace the old; unknown ones are left
/// out). The change holds from the user's next request: a token carries no role.
pub fn set_role_and_desks(
    tx: &mut Db<'_>,
    username: &str,
    role: Option<Role>,
    desks: Option<&[String]>,
) -> Result<UserInfo, StoreError> {
    let id = user_id(tx, username)?;
    if let Some(role) = role {
        tx.execute(
            "UPDATE users SET role = $1 WHERE id = $2",
            &[&role.as_str(), &id],
        )?;
    }
    if let Some(desks) = desks {
        tx.execute("DELETE FROM user_desks WHERE user_id = $1", &[&id])?;
        for desk in desks {
            tx.execute(
                "INSERT INTO user_desks (user_id, desk)
                 SELECT $1, slug FROM desks WHERE slug = $2
                 ON CONFLICT DO NOTHING",
                &[&id, desk],
            )?;
        }
    }
    let row = tx.query_one("SELECT id, username, role FROM users WHERE id = $1", &[&id])?;
    let id: UserId = parsed(&row, 0)?;
    Ok(UserInfo {
        id,
        username: row.try_get(1)?,
        role: parsed(&row, 2)?,
        desks: user_desks(tx, id)?,
    })
}

/// Replaces a password hash and revokes the user's sessions: whoever held the old password's
/// sessions must log in with the new one.
pub fn set_password_hash(
    tx: &mut Db<'_>,
    username: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    let id = user_id(tx, username)?;
    tx.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        &[&password_hash, &id],
    )?;
    revoke_user_sessions(tx, &id)?;
    Ok(())
}

/// The live sessions of one user (any case) or all, oldest first.
pub fn sessions(
    tx: &mut Db<'_>,
    username: Option<&str>,
    now_unix: i64,
) -> Result<Vec<SessionEntry>, StoreError> {
    if let Some(name) = username {
        user_id(tx, name)?;
    }
    tx.query(
        r#"SELECT encode(substring(t.token_sha256 FROM 1 FOR 6), 'hex'), u.username,
                  t.created_at, t.expires_at
             FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.revoked_at IS NULL AND t.expires_at > $1
              AND ($2::text IS NULL OR lower(u.username) = lower($2))
            ORDER BY t.created_at COLLATE "C", lower(u.username) COLLATE "C""#,
        &[&now_unix, &username],
    )?
    .iter()
    .map(|r| {
        Ok(SessionEntry {
            id: r.try_get(0)?,
            username: r.try_get(1)?,
            created_at: r.try_get(2)?,
            expires_at: r.try_get(3)?,
        })
    })
    .collect()
}

/// Revokes the live sessions of a scope; returns how many.
pub fn revoke_sessions(tx: &mut Db<'_>, scope: SessionScope<'_>) -> Result<usize, StoreError> {
    match scope {
        SessionScope::User(username) => {
            let id = user_id(tx, username)?;
            revoke_user_sessions(tx, &id)
        }
        SessionScope::All => {
            let n = tx.execute(
                "UPDATE tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND expires_at > $2",
                &[&now(), &chrono::Utc::now().timestamp()],
            )?;
            Ok(changed(n))
        }
    }
}
