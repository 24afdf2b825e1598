//! The audit trail over SQL: appending an entry chained to the last one, reading entries by
//! user, article, session or time, and checking the whole chain. The table refuses UPDATE and
//! DELETE (triggers of migration 11); the chain catches what is done around them.

use super::{exec, now, parsed_opt};
use crate::store::StoreError;
use crate::store::audit::{
    AuditCheck, AuditEntry, AuditFilter, ChainCheck, GENESIS, NewAuditEntry, stored_link,
};
use rusqlite::{Connection, OptionalExtension, params};

/// Appends `entry` after the last one, with its link. Runs inside the caller's write
/// transaction, so entries are chained in commit order.
pub fn append(tx: &Connection, entry: &NewAuditEntry) -> Result<(), StoreError> {
    let last = tx
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })
        .optional()?;
    // After a removed link the chain goes on from zeros: the check reports the gap anyway.
    let (id, previous) = match last {
        None => (1, GENESIS),
        Some((id, hash)) => (id + 1, stored_link(hash).unwrap_or(GENESIS)),
    };
    let stored = AuditEntry {
        id,
        at: now(),
        user_id: entry.user_id,
        username: entry.username.clone(),
        article_id: entry.article_id,
        action: entry.action.clone(),
        outcome: entry.outcome.clone(),
        detail: entry.detail.clone(),
        session: entry.session.clone(),
        address: entry.address.clone(),
        hash: None,
    };
    let hash = stored.link_after(&previous);
    exec(
        tx,
        "INSERT INTO audit (id, at, user_id, username, article_id, action, outcome, detail,
                            session, address, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            stored.id,
            stored.at,
            stored.user_id.map(|u| u.to_string()),
            stored.username,
            stored.article_id.map(|a| a.to_string()),
            stored.action,
            stored.outcome,
            stored.detail,
            stored.session,
            stored.address,
            &hash[..]
        ],
    )?;
    Ok(())
}

const COLUMNS: &str =
    "id, at, user_id, username, article_id, action, outcome, detail, session, address, hash";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user_id: parsed_opt(r, 2)?,
        username: r.get(3)?,
        article_id: parsed_opt(r, 4)?,
        action: r.get(5)?,
        outcome: r.get(6)?,
        detail: r.get(7)?,
        session: r.get(8)?,
        address: r.get(9)?,
        hash: r.get::<_, Option<Vec<u8>>>(10)?.map(hex::encode),
    })
}

/// The entries `filter` selects, oldest first.
pub fn entries(tx: &Connection, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
    let mut statement = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit
          WHERE (?1 IS NULL OR username = ?1) AND (?2 IS NULL OR article_id = ?2)
            AND (?3 IS NULL OR session = ?3) AND (?4 IS NULL OR at >= ?4)
          ORDER BY id"
    ))?;
    let rows = statement.query_map(
        params![
            filter.username,
            filter.article.map(|a| a.to_string()),
            filter.session,
            filter.since
        ],
        entry,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Recomputes every link from the first entry on.
pub fn check(tx: &Connection) -> Result<AuditCheck, StoreError> {
    let mut statement = tx.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
    let mut rows = statement.query([])?;
    let mut chain = ChainCheck::default();
    while let Some(row) = rows.next()? {
        if let Some(broken) = chain.next(&entry(row)?, row.get(10)?) {
            return Ok(broken);
        }
    }
    Ok(chain.intact())
}

/// Links the entries written before the chain existed (migration 10), in id order.
pub fn seal_unlinked(tx: &Connection) -> Result<(), StoreError> {
    let entries = entries(tx, &AuditFilter::default())?;
    let mut previous = GENESIS;
    for e in entries {
        let hash = e.link_after(&previous);
        exec(
            tx,
            "UPDATE audit SET hash = ?1 WHERE id = ?2",
            params![&hash[..], e.id],
        )?;
        previous = hash;
    }
    Ok(())
}
