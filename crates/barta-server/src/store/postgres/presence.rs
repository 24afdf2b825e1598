//! Who has which article open, in a table every instance sees (migration 2): a heartbeat
//! through one `barta serve` is seen by the users of all of them. The same rules as the
//! in-memory book SQLite's server keeps (`crate::presence`): an entry fades
//! [`PRESENCE_TTL`] after its last heartbeat; the others are listed longest first.

use super::Db;
use super::rows::parsed;
use crate::presence::PRESENCE_TTL;
use crate::store::StoreError;
use barta_model::ArticleId;
use barta_model::api::{PresenceEntry, UserInfo};

/// Records `user`'s heartbeat on `article` at `now_ms` (unix milliseconds), forgets the
/// entries of the article that faded, and answers the others.
pub fn beat(
    tx: &mut Db<'_>,
    article: ArticleId,
    user: &UserInfo,
    now_ms: i64,
) -> Result<Vec<PresenceEntry>, StoreError> {
    let article = article.to_string();
    let faded_before = now_ms - i64::try_from(PRESENCE_TTL.as_millis()).unwrap_or(i64::MAX);
    tx.execute(
        "DELETE FROM presence WHERE article_id = $1 AND last_seen < $2",
        &[&article, &faded_before],
    )?;
    tx.execute(
        "INSERT INTO presence (article_id, user_id, username, role, since, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (article_id, user_id) DO UPDATE SET last_seen = EXCLUDED.last_seen",
        &[
            &article,
            &user.id.to_string(),
            &user.username,
            &user.role.as_str(),
            &crate::store::rules::now(),
            &now_ms,
        ],
    )?;
    tx.query(
        r#"SELECT username, role, since FROM presence
            WHERE article_id = $1 AND user_id <> $2
            ORDER BY since COLLATE "C", username COLLATE "C""#,
        &[&article, &user.id.to_string()],
    )?
    .iter()
    .map(|r| {
        Ok(PresenceEntry {
            username: r.try_get(0)?,
            role: parsed(r, 1)?,
            since: r.try_get(2)?,
        })
    })
    .collect()
}

/// `user` closed `article`.
pub fn leave(tx: &mut Db<'_>, article: ArticleId, user: &UserInfo) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM presence WHERE article_id = $1 AND user_id = $2",
        &[&article.to_string(), &user.id.to_string()],
    )?;
    Ok(())
}
