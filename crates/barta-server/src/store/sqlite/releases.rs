//! Releases of the desktop app on the SQLite store (`app_releases`, migration 8): the rows
//! `barta release add|list|remove` write and read and the public update routes look up. The
//! files themselves are kept by `crate::releases::ReleaseFiles` under the data directory.

use super::{exec, query_cached};
use crate::store::{ReleaseFilter, ReleaseRecord, StoreError};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str =
    "version, target, arch, bundle, file_name, size, sha256, signature, notes, pub_date";

/// The filter as SQL: each `None` matches any row.
const MATCHING: &str = "(?1 IS NULL OR version = ?1) AND (?2 IS NULL OR target = ?2)
     AND (?3 IS NULL OR arch = ?3) AND (?4 IS NULL OR bundle = ?4)";

fn record(r: &Row<'_>) -> rusqlite::Result<ReleaseRecord> {
    let size: i64 = r.get(5)?;
    Ok(ReleaseRecord {
        version: r.get(0)?,
        target: r.get(1)?,
        arch: r.get(2)?,
        bundle: r.get(3)?,
        file_name: r.get(4)?,
        size: u64::try_from(size).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Integer, e.into())
        })?,
        sha256: r.get(6)?,
        signature: r.get(7)?,
        notes: r.get(8)?,
        pub_date: r.get(9)?,
    })
}

/// Records a release, refusing a platform or a file name its version has already.
pub fn add(tx: &Connection, release: &ReleaseRecord) -> Result<(), StoreError> {
    let same_platform = query_cached(
        tx,
        "SELECT 1 FROM app_releases
         WHERE version = ?1 AND target = ?2 AND arch = ?3 AND bundle = ?4",
        params![
            release.version,
            release.target,
            release.arch,
            release.bundle
        ],
        |_| Ok(()),
    )
    .optional()?;
    if same_platform.is_some() {
        return Err(StoreError::AlreadyExists(format!(
            "release {} for {}/{}/{}",
            release.version, release.target, release.arch, release.bundle
        )));
    }
    let same_name = query_cached(
        tx,
        "SELECT 1 FROM app_releases WHERE version = ?1 AND file_name = ?2",
        params![release.version, release.file_name],
        |_| Ok(()),
    )
    .optional()?;
    if same_name.is_some() {
        return Err(StoreError::AlreadyExists(format!(
            "a file named {} in release {}",
            release.file_name, release.version
        )));
    }
    let size = i64::try_from(release.size)
        .map_err(|_| StoreError::Invalid(format!("a size of {} bytes", release.size)))?;
    exec(
        tx,
        &format!(
            "INSERT INTO app_releases ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ),
        params![
            release.version,
            release.target,
            release.arch,
            release.bundle,
            release.file_name,
            size,
            release.sha256,
            release.signature,
            release.notes,
            release.pub_date
        ],
    )?;
    Ok(())
}

/// The releases matching `filter`.
pub fn list(tx: &Connection, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM app_releases WHERE {MATCHING}
         ORDER BY version, target, arch, bundle"
    ))?;
    let rows = stmt
        .query_map(
            params![filter.version, filter.target, filter.arch, filter.bundle],
            record,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The release whose package is `file_name` of `version`.
pub fn file(tx: &Connection, version: &str, file_name: &str) -> Result<ReleaseRecord, StoreError> {
    query_cached(
        tx,
        &format!("SELECT {COLUMNS} FROM app_releases WHERE version = ?1 AND file_name = ?2"),
        params![version, file_name],
        record,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("release file {file_name:?} of {version:?}")))
}

/// Deletes the releases matching `filter` and returns them.
pub fn remove(tx: &Connection, filter: &ReleaseFilter) -> Result<Vec<ReleaseRecord>, StoreError> {
    let removed = list(tx, filter)?;
    exec(
        tx,
        &format!("DELETE FROM app_releases WHERE {MATCHING}"),
        params![filter.version, filter.target, filter.arch, filter.bundle],
    )?;
    Ok(removed)
}
