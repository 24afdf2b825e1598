//! Publish targets and the delivery outbox on the SQLite store (migration 6). Deliveries are
//! written by the rules (`store::rules::deliveries`) inside the transaction of the publication
//! event itself; the worker reads due rows and records each attempt's outcome.

use super::{exec, now, parsed, query_cached};
use crate::publishing::{
    AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetKind, TargetRecord,
};
use crate::store::StoreError;
use crate::store::rules::delivery_state;
use barta_model::ArticleId;
use barta_model::api::{DeliveryInfo, DeliveryState};
use rusqlite::{Connection, OptionalExtension, Row, params};

const TARGET_COLUMNS: &str = "name, kind, url, username, secret, desks, categories, created_at";

fn target_row(r: &Row<'_>) -> rusqlite::Result<TargetRecord> {
    Ok(TargetRecord {
        name: r.get(0)?,
        kind: parsed::<TargetKind>(r, 1)?,
        url: r.get(2)?,
        username: r.get(3)?,
        sealed_secret: r.get(4)?,
        desks: super::json(r, 5)?,
        categories: super::json(r, 6)?,
        created_at: r.get(7)?,
    })
}

pub fn add_target(tx: &Connection, target: &TargetRecord) -> Result<(), StoreError> {
    let exists = query_cached(
        tx,
        "SELECT 1 FROM targets WHERE name = ?1",
        [&target.name],
        |_| Ok(()),
    )
    .optional()?
    .is_some();
    if exists {
        return Err(StoreError::AlreadyExists(format!(
            "target {:?}",
            target.name
        )));
    }
    for desk in &target.desks {
        if !super::desk_exists(tx, desk)? {
            return Err(StoreError::Invalid(format!("unknown desk {desk:?}")));
        }
    }
    exec(
        tx,
        "INSERT INTO targets (name, kind, url, username, secret, desks, categories, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            target.name,
            target.kind.as_str(),
            target.url,
            target.username,
            target.sealed_secret,
            serde_json::to_string(&target.desks)?,
            serde_json::to_string(&target.categories)?,
            now()
        ],
    )?;
    Ok(())
}

pub fn targets(tx: &Connection) -> Result<Vec<TargetRecord>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {TARGET_COLUMNS} FROM targets ORDER BY name"
    ))?;
    let rows = stmt.query_map([], target_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes a target. Its pending deliveries fail ("the target was removed"); what was
/// delivered stays listed.
pub fn remove_target(tx: &Connection, name: &str) -> Result<(), StoreError> {
    if exec(tx, "DELETE FROM targets WHERE name = ?1", [name])? == 0 {
        return Err(StoreError::NotFound(format!("target {name:?}")));
    }
    exec(
        tx,
        "UPDATE deliveries SET state = 'failed', error = 'the target was removed',
             finished_at = ?2
         WHERE target = ?1 AND state = 'pending'",
        params![name, now()],
    )?;
    exec(tx, "DELETE FROM remote_media WHERE target = ?1", [name])?;
    Ok(())
}

/// Pending deliveries due at `now`, oldest first, at most one per (target, article): a
/// later event of an article waits until the earlier one is delivered or has failed.
pub fn due(tx: &Connection, now: &str, limit: u32) -> Result<Vec<DueDelivery>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.id, d.target, d.article_id, d.event, d.publication_id, d.attempts
         FROM deliveries d
         WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM deliveries e
                           WHERE e.target = d.target AND e.article_id = d.article_id
                             AND e.state = 'pending' AND e.seq < d.seq)
         ORDER BY d.seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit], |r| {
        Ok(DueDelivery {
            id: r.get(0)?,
            target: r.get(1)?,
            article_id: parsed(r, 2)?,
            event: parsed(r, 3)?,
            publication_id: r.get(4)?,
            attempts: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// When the earliest pending delivery that is first in its (target, article) line comes due.
pub fn next_due(tx: &Connection) -> Result<Option<String>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT min(d.next_attempt_at) FROM deliveries d
         WHERE d.state = 'pending'
           AND NOT EXISTS (SELECT 1 FROM deliveries e
                           WHERE e.target = d.target AND e.article_id = d.article_id
                             AND e.state = 'pending' AND e.seq < d.seq)",
        [],
        |r| r.get(0),
    )?)
}

/// Records how an attempt ended.
pub fn finish_attempt(
    tx: &Connection,
    id: &str,
    outcome: &AttemptOutcome,
) -> Result<(), StoreError> {
    let changed = match outcome {
        AttemptOutcome::Delivered { .. } => exec(
            tx,
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, error = NULL,
                 finished_at = ?2
             WHERE id = ?1 AND state = 'pending'",
            params![id, now()],
        )?,
        AttemptOutcome::Retry { error, at } => exec(
            tx,
            "UPDATE deliveries SET attempts = attempts + 1, error = ?2, next_attempt_at = ?3
             WHERE id = ?1 AND state = 'pending'",
            params![id, error, at],
        )?,
        AttemptOutcome::Failed { error } => exec(
            tx,
            "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, error = ?2,
                 finished_at = ?3
             WHERE id = ?1 AND state = 'pending'",
            params![id, error, now()],
        )?,
    };
    if changed == 0 {
        return Err(StoreError::NotFound(format!("pending delivery {id}")));
    }
    Ok(())
}

pub fn remote_post(
    tx: &Connection,
    target: &str,
    article: ArticleId,
) -> Result<Option<RemotePost>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT remote_id, remote_url FROM remote_posts WHERE target = ?1 AND article_id = ?2",
        params![target, article.to_string()],
        |r| {
            Ok(RemotePost {
                remote_id: r.get(0)?,
                remote_url: r.get(1)?,
            })
        },
    )
    .optional()?)
}

pub fn save_remote_post(
    tx: &Connection,
    target: &str,
    article: ArticleId,
    post: &RemotePost,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO remote_posts (target, article_id, remote_id, remote_url)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (target, article_id)
         DO UPDATE SET remote_id = excluded.remote_id, remote_url = excluded.remote_url",
        params![target, article.to_string(), post.remote_id, post.remote_url],
    )?;
    Ok(())
}

pub fn remote_media(
    tx: &Connection,
    target: &str,
    sha256: &str,
) -> Result<Option<RemoteMedia>, StoreError> {
    Ok(query_cached(
        tx,
        "SELECT remote_id, url FROM remote_media WHERE target = ?1 AND sha256 = ?2",
        params![target, sha256],
        |r| {
            Ok(RemoteMedia {
                remote_id: r.get(0)?,
                url: r.get(1)?,
            })
        },
    )
    .optional()?)
}

pub fn save_remote_media(
    tx: &Connection,
    target: &str,
    sha256: &str,
    media: &RemoteMedia,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO remote_media (target, sha256, remote_id, url) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (target, sha256) DO UPDATE SET remote_id = excluded.remote_id,
             url = excluded.url",
        params![target, sha256, media.remote_id, media.url],
    )?;
    Ok(())
}

/// The latest delivery of an article to each target, by target name.
pub fn of_article(tx: &Connection, article: ArticleId) -> Result<Vec<DeliveryInfo>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.target, d.event, d.state, p.remote_url, d.error, d.attempts, d.next_attempt_at
         FROM deliveries d
         LEFT JOIN remote_posts p ON p.target = d.target AND p.article_id = d.article_id
         WHERE d.article_id = ?1
           AND d.seq = (SELECT max(e.seq) FROM deliveries e
                        WHERE e.article_id = d.article_id AND e.target = d.target)
         ORDER BY d.target",
    )?;
    let rows = stmt.query_map([article.to_string()], |r| {
        let state = delivery_state(&r.get::<_, String>(2)?);
        Ok(DeliveryInfo {
            target: r.get(0)?,
            event: r.get(1)?,
            state,
            remote_url: r.get(3)?,
            error: r.get(4)?,
            attempts: r.get(5)?,
            next_attempt_at: if state == DeliveryState::Pending {
                r.get(6)?
            } else {
                None
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The article's latest delivery to `target`: its id and state.
pub fn latest(
    tx: &Connection,
    article: ArticleId,
    target: &str,
) -> Result<Option<(String, DeliveryState)>, StoreError> {
    let latest: Option<(String, String)> = query_cached(
        tx,
        "SELECT id, state FROM deliveries WHERE article_id = ?1 AND target = ?2
             ORDER BY seq DESC LIMIT 1",
        params![article.to_string(), target],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?;
    Ok(latest.map(|(id, state)| (id, delivery_state(&state))))
}

/// Puts a delivery back in the queue, due at `at`.
pub fn requeue(tx: &Connection, id: &str, at: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE deliveries SET state = 'pending', next_attempt_at = ?2, finished_at = NULL
         WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}
