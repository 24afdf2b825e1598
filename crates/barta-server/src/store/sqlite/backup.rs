//! Keeping a SQLite newsroom: a consistent backup made while it serves, restoring one, and the
//! integrity check both run.
//!
//! `backup` copies the database with SQLite's online backup API in one step (one read
//! transaction: a snapshot of the moment it began, while writers go on in the WAL), checks the
//! copy, and packs it with the publishing key (`secrets.key`) and the app releases into one
//! tar file, written whole or not at all, readable by its owner only. `restore` unpacks such a
//! file into an empty data directory, refusing any other name or path in it, and checks the
//! result before it is put in place. The check: SQLite's own `integrity_check` and
//! `foreign_key_check`, every revision's content against its SHA-256, and the audit trail's
//! hash chain.
//!
//! Who may read a backup: whoever may read the data directory. It holds the publishing key
//! beside the secrets it seals, password hashes and token hashes: keep it as the server's
//! disk is kept.

use super::FILE_NAME;
use crate::store::{AuditCheck, StoreError};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The manifest's name inside a backup.
const MANIFEST: &str = "barta-backup.json";
/// The publishing key's file in the data directory (`crate::publishing::secrets`).
const SECRETS_KEY: &str = crate::publishing::secrets::KEY_FILE;
/// The app releases' directory in the data directory.
const RELEASES: &str = "releases";
/// What a manifest's `format` says.
const FORMAT: &str = "barta-backup";

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no newsroom database in {0}")]
    NoDatabase(PathBuf),
    #[error("{0} holds a newsroom already: restore into an empty directory")]
    NotEmpty(PathBuf),
    #[error("{0} is not a Barta backup: {1}")]
    NotABackup(PathBuf, String),
    #[error("the integrity check failed: {0}")]
    Damaged(String),
}

/// What a backup holds (its manifest), and what the check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    pub version: u32,
    /// When the copy's snapshot was taken (RFC 3339).
    pub created_at: String,
    pub schema_version: i64,
    pub articles: i64,
    pub revisions: i64,
    /// The changes feed's last sequence number in the copy (every laptop's cursor at or below
    /// it stays valid).
    pub last_seq: i64,
    pub audit_entries: u64,
    /// The database copy's size in bytes.
    pub database_bytes: u64,
}

/// Checks a newsroom database: SQLite's structure, the foreign keys, every revision's content
/// against its hash, and the audit trail's chain. Returns what it holds.
pub fn check(conn: &Connection) -> Result<BackupManifest, BackupError> {
    let said: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if said != ["ok"] {
        return Err(BackupError::Damaged(said.join("; ")));
    }
    let dangling: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    if dangling > 0 {
        return Err(BackupError::Damaged(format!(
            "{dangling} rows point at rows that are not there"
        )));
    }
    let mut revisions = 0;
    let mut rows = conn.prepare("SELECT id, meta, body, sha256 FROM revisions")?;
    let mut rows = rows.query([])?;
    while let Some(row) = rows.next()? {
        let (id, meta, body, sha): (String, String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let parse = |text: &str| {
            serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| BackupError::Damaged(format!("revision {id}: {e}")))
        };
        if barta_model::revision::content_sha256(&parse(&meta)?, &parse(&body)?) != sha {
            return Err(BackupError::Damaged(format!(
                "revision {id}: its content does not match its hash"
            )));
        }
        revisions += 1;
    }
    let audit_entries = match super::audit::check(conn)? {
        AuditCheck::Intact { entries, .. } => entries,
        AuditCheck::Broken { id, reason } => {
            return Err(BackupError::Damaged(format!(
                "the audit trail is broken at entry {id}: {reason}"
            )));
        }
    };
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(BackupManifest {
        format: FORMAT.into(),
        version: 1,
        created_at: chrono::Utc::now().to_rfc3339(),
        schema_version: one("PRAGMA user_version")?,
        articles: one("SELECT count(*) FROM articles")?,
        revisions,
        last_seq: one("SELECT coalesce(max(seq), 0) FROM changes")?,
        audit_entries,
        database_bytes: 0,
    })
}

/// A directory beside `path` for work in progress, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn beside(path: &Path, what: &str) -> std::io::Result<Self> {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let dir = parent.join(format!(".{name}.{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        private_dir(&dir)?;
        Ok(Self(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Makes a directory only its owner may enter.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates a file only its owner may read.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Backs up the newsroom in `data_dir` into the file `out` while it serves: the database's
/// snapshot (checked), the publishing key and the app releases. `out` must not exist.
pub fn backup(data_dir: &Path, out: &Path) -> Result<BackupManifest, BackupError> {
    let source = data_dir.join(FILE_NAME);
    if !source.is_file() {
        return Err(BackupError::NoDatabase(data_dir.to_path_buf()));
    }
    if out.exists() {
        return Err(BackupError::NotEmpty(out.to_path_buf()));
    }
    let work = WorkDir::beside(out, "partial")?;
    let copy = work.0.join(FILE_NAME);
    {
        let from = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        from.busy_timeout(std::time::Duration::from_secs(30))?;
        let mut to = Connection::open(&copy)?;
        // All pages in one step: one read transaction, so the copy is the database as it
        // was when the step began, whatever the server commits meanwhile.
        rusqlite::backup::Backup::new(&from, &mut to)?.step(-1)?;
        to.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let mut manifest = check(&Connection::open(&copy)?)?;
    manifest.database_bytes = std::fs::metadata(&copy)?.len();
    let manifest_path = work.0.join(MANIFEST);
    std::fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?,
    )?;

    let partial = work.0.join("backup.tar");
    {
        let mut tar = tar::Builder::new(private_file(&partial)?);
        tar.mode(tar::HeaderMode::Deterministic);
        tar.append_path_with_name(&manifest_path, MANIFEST)?;
        tar.append_path_with_name(&copy, FILE_NAME)?;
        let key = data_dir.join(SECRETS_KEY);
        if key.is_file() {
            tar.append_path_with_name(&key, SECRETS_KEY)?;
        }
        let releases = data_dir.join(RELEASES);
        if releases.is_dir() {
            tar.append_dir_all(RELEASES, &releases)?;
        }
        tar.into_inner()?.sync_all()?;
    }
    std::fs::rename(&partial, out)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && cfg!(unix)
    {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(manifest)
}

/// Whether `path` (as a backup names it) is one a backup may hold: the manifest, the
/// database, the key, or a file under `releases/`; never absolute, never `..`.
fn allowed(path: &Path) -> bool {
    let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
    let first = path
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str());
    normal
        && (path == Path::new(MANIFEST)
            || path == Path::new(FILE_NAME)
            || path == Path::new(SECRETS_KEY)
            || first == Some(RELEASES))
}

/// Restores the backup `archive` into `data_dir` (which must hold no newsroom), checking it
/// before anything is put in place. Returns the backup's manifest.
pub fn restore(archive: &Path, data_dir: &Path) -> Result<BackupManifest, BackupError> {
    if data_dir.join(FILE_NAME).exists() {
        return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
    }
    let not_a_backup = |why: String| BackupError::NotABackup(archive.to_path_buf(), why);
    private_dir(data_dir)?;
    let work = WorkDir::beside(&data_dir.join(FILE_NAME), "restoring")?;
    let mut tar = tar::Archive::new(std::fs::File::open(archive)?);
    for entry in tar.entries().map_err(|e| not_a_backup(e.to_string()))? {
        let mut entry = entry.map_err(|e| not_a_backup(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| not_a_backup(e.to_string()))?
            .into_owned();
        if !allowed(&path) {
            return Err(not_a_backup(format!("it holds {}", path.display())));
        }
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            private_dir(&work.0.join(&path))?;
        } else if kind.is_file() {
            let to = work.0.join(&path);
            if let Some(parent) = to.parent() {
                private_dir(parent)?;
            }
            std::io::copy(&mut entry, &mut private_file(&to)?)?;
        } else {
            return Err(not_a_backup(format!("{} is not a file", path.display())));
        }
    }
    let manifest: BackupManifest = serde_json::from_slice(
        &std::fs::read(work.0.join(MANIFEST)).map_err(|_| not_a_backup("no manifest".into()))?,
    )
    .map_err(|e| not_a_backup(e.to_string()))?;
    if manifest.format != FORMAT || manifest.version != 1 {
        return Err(not_a_backup(format!(
            "format {} version {}",
            manifest.format, manifest.version
        )));
    }
    let database = work.0.join(FILE_NAME);
    if !database.is_file() {
        return Err(not_a_backup("no database".into()));
    }
    let found = check(&Connection::open(&database)?)?;
    if (found.revisions, found.last_seq) != (manifest.revisions, manifest.last_seq) {
        return Err(BackupError::Damaged(format!(
            "the manifest says {} revisions up to change {}, the database holds {} up to {}",
            manifest.revisions, manifest.last_seq, found.revisions, found.last_seq
        )));
    }
    for name in [FILE_NAME, SECRETS_KEY, RELEASES] {
        let from = work.0.join(name);
        if from.exists() {
            std::fs::rename(&from, data_dir.join(name))?;
        }
    }
    if cfg!(unix) {
        std::fs::File::open(data_dir)?.sync_all()?;
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_names_only_what_a_newsroom_holds() {
        for ok in [
            "barta.sqlite3",
            "secrets.key",
            "barta-backup.json",
            "releases/a/b.deb",
        ] {
            assert!(allowed(Path::new(ok)), "{ok}");
        }
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "releases/../../x",
            "other.txt",
            "secrets.key/x",
        ] {
            assert!(!allowed(Path::new(bad)), "{bad}");
        }
    }
}
