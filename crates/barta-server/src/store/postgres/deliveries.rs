//! Publish targets and the delivery outbox on PostgreSQL: the SQL twin of
//! `store/sqlite/deliveries.rs` (the targets' list and an article's deliveries are
//! `PgTx::targets` and `PgTx::deliveries_of`; what an event enqueues is `store::rules`').
//!
//! One difference, because several `barta serve` instances may share the database and each
//! runs the delivery worker: taking the due deliveries ([`due`]) is a **claim**. In one write
//! transaction the due rows are locked (`FOR UPDATE SKIP LOCKED`: rows another instance is
//! claiming at that moment are passed over, not waited for), their `next_attempt_at` pushed
//! forward by a lease ([`DELIVERY_LEASE`]) so that no other instance sees them as due while
//! this one sends, and the attempt counted (`attempts`). [`finish_attempt`] then replaces the
//! lease with the outcome: delivered or failed (no longer pending, so never due again), or
//! the retry's time. An instance that dies mid-send leaves its claims to run out: they come
//! due again when the lease ends and are sent again — at least once, not exactly once (see
//! [`DELIVERY_LEASE`] for why that is safe). SQLite keeps the plain read and counts an attempt
//! when it is recorded: one server per SQLite file, whose worker sends one batch at a time.
//!
//! Counting the attempt at the claim keeps a claimed delivery out of
//! `PgTx::drop_future_delivery` (which drops only untried deliveries not yet due, and a
//! claimed one is "not due" until its lease ends): a correction right after a publication
//! cannot delete the publication's delivery while it is being sent and let its own go out
//! beside it.
//!
//! Known limit: an editor's "send again" (`store::rules::retry_delivery`) on a delivery that
//! is pending and claimed makes it due at once, so another instance may send it while the
//! first is still sending (telling a claim from a retry's wait would take a column of its own).

use super::Db;
use super::PgTx;
use super::rows::parsed;
use crate::publishing::{AttemptOutcome, DueDelivery, RemoteMedia, RemotePost, TargetRecord};
use crate::store::StoreError;
use crate::store::rules::{Tx, now};
use barta_model::ArticleId;

/// Adds a target; its name must be new and every desk it serves must exist.
pub fn add_target(tx: &mut Db<'_>, target: &TargetRecord) -> Result<(), StoreError> {
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
        if !PgTx::new(&mut *tx).desk_exists(desk)? {
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
pub fn remove_target(tx: &mut Db<'_>, name: &str) -> Result<(), StoreError> {
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

/// How long a claimed delivery stays out of other instances' sight (see [`due`]): longer
/// than the worker needs from taking a batch to recording its last outcome.
///
/// The worker (`publishing::worker`) takes up to `BATCH` (32) deliveries at once and sends
/// them `CONCURRENCY` (8) at a time, so the last of a batch starts after up to three rounds
/// of others. Every request to a target ends within `publishing::REQUEST_TIMEOUT` (30 s,
/// connecting included), and an attempt ends at its first failed request: a webhook attempt
/// is one request, a WordPress one a handful (find the post, a look-up per tag, two per new
/// photo, the post itself). A batch of webhooks is done within about 2 minutes even when
/// every request runs into the timeout; ten minutes also covers batches for WordPress unless
/// the site answers nearly every request only just before the timeout.
///
/// Overrunning the lease costs a second send, not a lost one; a longer lease would make the
/// deliveries an instance claimed before it died wait longer (they come due again only when
/// the lease ends, for that instance too after a restart).
///
/// Sending again is safe for WordPress: the post is found through `remote_posts` (recorded
/// after WordPress made it) or, when a crash came before that record, by the marker in its
/// content (`worker::find_post`), and then updated in place rather than made again; an
/// unpublish sets the status again, a kill trashes again (a post already trashed or gone
/// counts as done). Photos are looked up in `remote_media` first; one uploaded by an attempt
/// that died before recording it is uploaded once more (an unused copy in WordPress's media
/// library). A webhook carries the delivery's id for the receiver to drop repeats. Only two
/// sends running at the same moment (the lease ran out while the first was still sending a
/// post WordPress had not made yet) could both make a post: hence a lease well above an
/// attempt's length.
pub const DELIVERY_LEASE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Claims the pending deliveries due at `now`, oldest first, at most one per (target,
/// article): a later event of an article waits until the earlier one is delivered or has
/// failed. Run in a write transaction: the rows are locked (`SKIP LOCKED`: those another
/// instance is claiming right now are left to it), their attempt counted, and they come due
/// again only at `now + lease` unless [`finish_attempt`] records an outcome first (the module
/// docs). Each answer's `attempts` is the count before this claim.
///
/// "First of its line" holds across instances: the `NOT EXISTS` looks at every *pending*
/// earlier delivery of the (target, article) whatever its `next_attempt_at`, and a claimed
/// delivery stays pending (only its `next_attempt_at` and `attempts` move), so while one
/// instance holds an earlier delivery no instance can take a later one.
pub fn due(
    tx: &mut Db<'_>,
    now: &str,
    limit: u32,
    lease: std::time::Duration,
) -> Result<Vec<DueDelivery>, StoreError> {
    let until = chrono::DateTime::parse_from_rfc3339(now)
        .ok()
        .and_then(|now| Some(now.to_utc() + chrono::Duration::from_std(lease).ok()?))
        .map(crate::store::timestamp)
        .ok_or_else(|| StoreError::Invalid(format!("not a time: {now:?}")))?;
    let claimed = tx
        .query(
            "SELECT d.id, d.target, d.article_id, d.event, d.publication_id, d.attempts
             FROM deliveries d
             WHERE d.state = 'pending' AND d.next_attempt_at <= $1
               AND NOT EXISTS (SELECT 1 FROM deliveries e
                               WHERE e.target = d.target AND e.article_id = d.article_id
                                 AND e.state = 'pending' AND e.seq < d.seq)
             ORDER BY d.seq LIMIT $2
             FOR UPDATE OF d SKIP LOCKED",
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
        .collect::<Result<Vec<_>, StoreError>>()?;
    if !claimed.is_empty() {
        let ids: Vec<&str> = claimed.iter().map(|d| d.id.as_str()).collect();
        tx.execute(
            "UPDATE deliveries SET next_attempt_at = $2, attempts = attempts + 1
             WHERE id = ANY($1)",
            &[&ids, &until],
        )?;
    }
    Ok(claimed)
}

/// When the earliest pending delivery that is first in its (target, article) line comes due.
pub fn next_due(tx: &mut Db<'_>) -> Result<Option<String>, StoreError> {
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

/// Records how an attempt ended (counted when [`due`] claimed it). Every outcome ends the
/// claim's lease: delivered and failed leave `pending` (nothing that looks for due or waiting
/// deliveries reads their `next_attempt_at` again), a retry sets `next_attempt_at` to its own
/// time.
pub fn finish_attempt(
    tx: &mut Db<'_>,
    id: &str,
    outcome: &AttemptOutcome,
) -> Result<(), StoreError> {
    let changed = match outcome {
        AttemptOutcome::Delivered { .. } => tx.execute(
            "UPDATE deliveries SET state = 'delivered', error = NULL, finished_at = $2
             WHERE id = $1 AND state = 'pending'",
            &[&id, &now()],
        )?,
        AttemptOutcome::Retry { error, at } => tx.execute(
            "UPDATE deliveries SET error = $2, next_attempt_at = $3
             WHERE id = $1 AND state = 'pending'",
            &[&id, error, at],
        )?,
        AttemptOutcome::Failed { error } => tx.execute(
            "UPDATE deliveries SET state = 'failed', error = $2, finished_at = $3
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
    tx: &mut Db<'_>,
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
    tx: &mut Db<'_>,
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
    tx: &mut Db<'_>,
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
    tx: &mut Db<'_>,
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
