//! The audit trail's reading and checking, the newsroom's lexicon and settings, and the app's
//! releases on PostgreSQL: the SQL twins of `store/sqlite/audit.rs` (entries, check),
//! `lexicon.rs` and `releases.rs`. (Appending to the audit chain is `PgTx::audit`.)

use super::Db;
use super::rows::parsed_opt;
use crate::store::audit::ChainCheck;
use crate::store::{AuditCheck, AuditEntry, AuditFilter, ReleaseFilter, ReleaseRecord, StoreError};
use barta_model::api::{LexiconEntry, LexiconResponse};
use tokio_postgres::Row;

/// How many published articles must use a word before the newsroom's lexicon has it: the
/// value of `store::sqlite::lexicon::LEARNT_AFTER` (private to the SQLite store).
const LEARNT_AFTER: u32 = 2;

/// The newsroom setting that turns standard-spelling (style) suggestions on (`on`/`off`):
/// the value of `store::sqlite::lexicon::STYLE_SETTING` (private to the SQLite store).
const STYLE_SETTING: &str = "spelling.style";

/// How many audit entries [`audit_check`] reads at a time.
const CHECK_PAGE: i64 = 1000;

const AUDIT_COLUMNS: &str =
    "id, at, user_id, username, article_id, action, outcome, detail, session, address, hash";

/// An audit entry from a row of [`AUDIT_COLUMNS`].
fn entry(r: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: r.try_get(0)?,
        at: r.try_get(1)?,
        user_id: parsed_opt(r, 2)?,
        username: r.try_get(3)?,
        article_id: parsed_opt(r, 4)?,
        action: r.try_get(5)?,
        outcome: r.try_get(6)?,
        detail: r.try_get(7)?,
        session: r.try_get(8)?,
        address: r.try_get(9)?,
        hash: r.try_get::<_, Option<Vec<u8>>>(10)?.map(hex::encode),
    })
}

/// The audit entries `filter` selects, oldest first.
pub fn audit_entries(tx: &mut Db<'_>, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
    tx.query(
        &format!(
            r#"SELECT {AUDIT_COLUMNS} FROM audit
                WHERE ($1::text IS NULL OR username = $1)
                  AND ($2::text IS NULL OR article_id = $2)
                  AND ($3::text IS NULL OR session = $3)
                  AND ($4::text IS NULL OR at >= $4 COLLATE "C")
                ORDER BY id"#
        ),
        &[
            &filter.username,
            &filter.article.map(|a| a.to_string()),
            &filter.session,
            &filter.since,
        ],
    )?
    .iter()
    .map(entry)
    .collect()
}

/// Recomputes every link of the audit chain from the first entry on (a page at a time, in
/// the read transaction's snapshot).
pub fn audit_check(tx: &mut Db<'_>) -> Result<AuditCheck, StoreError> {
    let mut chain = ChainCheck::default();
    let mut after = i64::MIN;
    loop {
        let rows = tx.query(
            &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE id > $1 ORDER BY id LIMIT $2"),
            &[&after, &CHECK_PAGE],
        )?;
        for row in &rows {
            let e = entry(row)?;
            if let Some(broken) = chain.next(&e, row.try_get(10)?) {
                return Ok(broken);
            }
            after = e.id;
        }
        if rows.len() < CHECK_PAGE as usize {
            return Ok(chain.intact());
        }
    }
}

/// The newsroom's lexicon: words used by [`LEARNT_AFTER`] published articles or more and
/// the words editors added, each with how many published articles used it, sorted; and
/// whether style suggestions are on.
pub fn lexicon(tx: &mut Db<'_>) -> Result<LexiconResponse, StoreError> {
    let words = tx
        .query(
            r#"SELECT word, max(articles) FROM (
                   SELECT word, count(*) AS articles FROM lexicon_seen GROUP BY word
                       HAVING count(*) >= $1
                   UNION ALL
                   SELECT a.word, (SELECT count(*) FROM lexicon_seen s WHERE s.word = a.word)
                       FROM lexicon_added a) AS w
               GROUP BY word ORDER BY word COLLATE "C""#,
            &[&i64::from(LEARNT_AFTER)],
        )?
        .iter()
        .map(|r| {
            let articles: i64 = r.try_get(1)?;
            Ok(LexiconEntry {
                word: r.try_get(0)?,
                articles: u32::try_from(articles)
                    .map_err(|e| StoreError::Database(format!("column 1: {articles}: {e}")))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(LexiconResponse {
        words,
        style_suggestions: setting(tx, STYLE_SETTING)?.as_deref() == Some("on"),
    })
}

/// A newsroom setting, if set.
pub fn setting(tx: &mut Db<'_>, key: &str) -> Result<Option<String>, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT value FROM newsroom_settings WHERE key = $1",
            &[&key],
        )?
        .map(|r| r.try_get(0))
        .transpose()?)
}

/// Sets a newsroom setting.
pub fn set_setting(tx: &mut Db<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO newsroom_settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

const RELEASE_COLUMNS: &str =
    "version, target, arch, bundle, file_name, size, sha256, signature, notes, pub_date";

/// The filter as SQL: each `None` matches any row.
const MATCHING: &str = "($1::text IS NULL OR version = $1) AND ($2::text IS NULL OR target = $2)
     AND ($3::text IS NULL OR arch = $3) AND ($4::text IS NULL OR bundle = $4)";

/// A release from a row of [`RELEASE_COLUMNS`].
fn record(r: &Row) -> Result<ReleaseRecord, StoreError> {
    let size: i64 = r.try_get(5)?;
    Ok(ReleaseRecord {
        version: r.try_get(0)?,
        target: r.try_get(1)?,
        arch: r.try_get(2)?,
        bundle: r.try_get(3)?,
        file_name: r.try_get(4)?,
        size: u64::try_from(size)
            .map_err(|e| StoreError::Database(format!("column 5: {size}: {e}")))?,
        sha256: r.try_get(6)?,
        signature: r.try_get(7)?,
        notes: r.try_get(8)?,
        pub_date: r.try_get(9)?,
    })
}

/// Records a release, refusing a platform or a file name its version has already.
pub fn add_release(tx: &mut Db<'_>, release: &ReleaseRecord) -> Result<(), StoreError> {
    let same_platform = tx.query_opt(
        "SELECT 1 FROM app_releases
         WHERE version = $1 AND target = $2 AND arch = $3 AND bundle = $4",
        &[
            &release.version,
            &release.target,
            &release.arch,
            &release.bundle,
        ],
    )?;
    if same_platform.is_some() {
        return Err(StoreError::AlreadyExists(format!(
            "release {} for {}/{}/{}",
            release.version, release.target, release.arch, release.bundle
        )));
    }
    let same_name = tx.query_opt(
        "SELECT 1 FROM app_releases WHERE version = $1 AND file_name = $2",
        &[&release.version, &release.file_name],
    )?;
    if same_name.is_some() {
        return Err(StoreError::AlreadyExists(format!(
            "a file named {} in release {}",
            release.file_name, release.version
        )));
    }
    let size = i64::try_from(release.size)
        .map_err(|_| StoreError::Invalid(format!("a size of {} bytes", release.size)))?;
    tx.execute(
        &format!(
            "INSERT INTO app_releases ({RELEASE_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ),
        &[
            &release.version,
            &release.target,
            &release.arch,
            &release.bundle,
            &release.file_name,
            &size,
            &release.sha256,
            &release.signature,
            &release.notes,
            &release.pub_date,
        ],
    )?;
    Ok(())
}

/// The releases matching `filter`, by version and platform.
pub fn releases(tx: &mut Db<'_>, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
    tx.query(
        &format!(
            r#"SELECT {RELEASE_COLUMNS} FROM app_releases WHERE {MATCHING}
                ORDER BY version COLLATE "C", target COLLATE "C", arch COLLATE "C",
                         bundle COLLATE "C""#
        ),
        &[
            &filter.version,
            &filter.target,
            &filter.arch,
            &filter.bundle,
        ],
    )?
    .iter()
    .map(record)
    .collect()
}

/// The release whose package is `file_name` of `version`.
pub fn release_file(
    tx: &mut Db<'_>,
    version: &str,
    file_name: &str,
) -> Result<ReleaseRecord, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {RELEASE_COLUMNS} FROM app_releases WHERE version = $1 AND file_name = $2"
        ),
        &[&version, &file_name],
    )?
    .as_ref()
    .map(record)
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("release file {file_name:?} of {version:?}")))
}

/// Deletes the releases matching `filter` and returns them.
pub fn remove_releases(
    tx: &mut Db<'_>,
    filter: &ReleaseFilter,
) -> Result<Vec<ReleaseRecord>, StoreError> {
    let removed = releases(tx, filter)?;
    tx.execute(
        &format!("DELETE FROM app_releases WHERE {MATCHING}"),
        &[
            &filter.version,
            &filter.target,
            &filter.arch,
            &filter.bundle,
        ],
    )?;
    Ok(removed)
}
