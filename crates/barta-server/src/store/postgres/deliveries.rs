//! Publish targets and the delivery outbox on PostgreSQL: the SQL twin of
//! `store/sqlite/deliveries.rs` (the targets' list and an article's deliveries are
//! `PgTx::targets` and `PgTx::deliveries_of`; what an event enqueues is `store::rules`').

use super::PgTx;
use super::rows::parsed;
use crate::publishing::{AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetRecord};
use crate::store::StoreError;
use crate::store::rules::{Tx, now};
use barta_model::ArticleId;
use postgres::Transaction;

/// Adds a target; its name must be new and every desk it serves must exist.
pub fn add_target(tx: &mut Transaction<'_>, target: &TargetRecord) -> Result<(), StoreError> {
    let exists = tx
        .query_opt("SELECT 1 FROM targets WHERE name = $1", &[&target.name])?
        .is_some();
    if exists {
        return Err(StoreError::AlreadyExists(format!(
            "target {:?}",
            target.name
        )));
    }
    for desk in &target.desks {
        if !PgTx(&mut *tx).desk_exists(desk)? {
            return Err(StoreError::Invalid(format!("unknown desk {desk:?}")));
        }
    }
    tx.execute(
        "INSERT INTO targets (name, kind, url, username, secret, desks, categories, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &target.name,
            &target.kind.as_str(),
            &target.url,
            &target.username,
            &target.sealed_secret,
            &serde_json::to_string(&target.desks)?,
            &serde_json::to_string(&target.categories)?,
            &now(),
        ],
    )?;
    Ok(())
}

/// Removes a target. Its pending deliveries fail ("the target was removed"); what was
/// delivered stays listed.
pub fn remove_target(tx: &mut Transaction<'_>, name: &str) -> Result<(), StoreError> {
    if tx.execute("DELETE FROM targets WHERE name = $1", &[&name])? == 0 {
        return Err(StoreError::NotFound(format!("target {name:?}")));
    }
    tx.execute(
        "UPDATE deliveries SET state = 'failed', error = 'the target was removed',
             finished_at = $2
         WHERE target = $1 AND state = 'pending'",
        &[&name, &now()],
    )?;
    tx.execute("DELETE FROM remote_media WHERE target = $1", &[&name])?;
    Ok(())
}

/// Pending deliveries due at `now`, oldest first, at most one per (target, article): a
/// later event of an article waits until the earlier one is delivered or has failed.
pub fn due(
    tx: &mut Transaction<'_>,
    now: &str,
    limit: u32,
) -> Result<Vec<DueDelivery>, StoreError> {
    tx.query(
        "SELECT d.id, d.target, d.article_id, d.event, d.publication_id, d.attempts
         FROM deliveries d
         WHERE d.state = 'pending' AND d.next_attempt_at <= $1
           AND NOT EXISTS (SELECT 1 FROM deliveries e
                           WHERE e.target = d.target AND e.article_id = d.article_id
                             AND e.state = 'pending' AND e.seq < d.seq)
         ORDER BY d.seq LIMIT $2",
        &[&now, &i64::from(limit)],
    )?
    .iter()
    .map(|r| {
        Ok(DueDelivery {
            id: r.try_get(0)?,
            target: r.try_get(1)?,
            article_id: parsed(r, 2)?,
            event: parsed(r, 3)?,
            publication_id: r.try_get(4)?,
            attempts: u32::try_from(r.try_get::<_, i64>(5)?).unwrap_or(u32::MAX),
        })
    })
    .collect()
}

/// When the earliest pending delivery that is first in its (target, article) line comes due.
pub fn next_due(tx: &mut Transaction<'_>) -> Result<Option<String>, StoreError> {
    Ok(tx
        .query_one(
            "SELECT min(d.next_attempt_at) FROM deliveries d
             WHERE d.state = 'pending'
               AND NOT EXISTS (SELECT 1 FROM deliveries e
                               WHERE e.target = d.target AND e.article_id = d.article_id
                                 AND e.state = 'pending' AND e.seq < d.seq)",
            &[],
        )?
        .try_get(0)?)
}

/// Records how an attempt ended.
pub fn finish_attempt(
    tx: &mut Transaction<'_>,
    id: &str,
    outcome: &AttemptOutcome,
) -> Result<(), StoreError> {
    let changed = match outcome {
        AttemptOutcome::Delivered { .. } => tx.execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, error = NULL,
                 finished_at = $2
             WHERE id = $1 AND state = 'pending'",
            &[&id, &now()],
        )?,
        AttemptOutcome::Retry { error, at } => tx.execute(
            "UPDATE deliveries SET attempts = attempts + 1, error = $2, next_attempt_at = $3
             WHERE id = $1 AND state = 'pending'",
            &[&id, error, at],
        )?,
        AttemptOutcome::Failed { error } => tx.execute(
            "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, error = $2,
                 finished_at = $3
             WHERE id = $1 AND state = 'pending'",
            &[&id, error, &now()],
        )?,
    };
    if changed == 0 {
        return Err(StoreError::NotFound(format!("pending delivery {id}")));
    }
    Ok(())
}

/// What `target` already holds of `article`, if anything.
pub fn remote_post(
    tx: &mut Transaction<'_>,
    target: &str,
    article: ArticleId,
) -> Result<Option<RemotePost>, StoreError> {
    tx.query_opt(
        "SELECT remote_id, remote_url FROM remote_posts WHERE target = $1 AND article_id = $2",
        &[&target, &article.to_string()],
    )?
    .map(|r| {
        Ok(RemotePost {
            remote_id: r.try_get(0)?,
            remote_url: r.try_get(1)?,
        })
    })
    .transpose()
}

/// Records (or replaces) what `target` holds of `article`.
pub fn save_remote_post(
    tx: &mut Transaction<'_>,
    target: &str,
    article: ArticleId,
    post: &RemotePost,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO remote_posts (target, article_id, remote_id, remote_url)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (target, article_id)
         DO UPDATE SET remote_id = excluded.remote_id, remote_url = excluded.remote_url",
        &[
            &target,
            &article.to_string(),
            &post.remote_id,
            &post.remote_url,
        ],
    )?;
    Ok(())
}

/// The copy of photo `sha256` that `target` already holds, if any.
pub fn remote_media(
    tx: &mut Transaction<'_>,
    target: &str,
    sha256: &str,
) -> Result<Option<RemoteMedia>, StoreError> {
    tx.query_opt(
        "SELECT remote_id, url FROM remote_media WHERE target = $1 AND sha256 = $2",
        &[&target, &sha256],
    )?
    .map(|r| {
        Ok(RemoteMedia {
            remote_id: r.try_get(0)?,
            url: r.try_get(1)?,
        })
    })
    .transpose()
}

/// Records (or replaces) the copy of photo `sha256` that `target` holds.
pub fn save_remote_media(
    tx: &mut Transaction<'_>,
    target: &str,
    sha256: &str,
    media: &RemoteMedia,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO remote_media (target, sha256, remote_id, url) VALUES ($1, $2, $3, $4)
         ON CONFLICT (target, sha256) DO UPDATE SET remote_id = excluded.remote_id,
             url = excluded.url",
        &[&target, &sha256, &media.remote_id, &media.url],
    )?;
    Ok(())
}
