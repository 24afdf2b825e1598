//! Where the desktop app keeps each user's work on a computer, and moving a store from before
//! encryption into it.
//!
//! Layout of the data directory: `users/<id>/` per user of a server (`id`: the first 16 hex
//! digits of SHA-256 over the server's address and the lowercased username), holding
//! `vault.json` (the wrapped data key), `barta.db` (SQLCipher) and `media/` (sealed photos);
//! `last_user.json` names, per server, who last used the app, so it can offer to unlock that
//! store. Who may read what: `last_user.json` and the directory names are plain (they show
//! that someone used Barta for a newsroom, not what they wrote); everything a user wrote is
//! readable only with their password.

use crate::store::Store;
use crate::types::StoreError;
use crate::vault::DataKey;
use rusqlite::params;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The database's file name inside a user's directory (and of the store before encryption).
pub const DB_FILE: &str = "barta.db";
/// The photo directory's name inside a user's directory.
pub const MEDIA_DIR: &str = "media";
/// Who last used the app, per server.
const LAST_USER_FILE: &str = "last_user.json";

/// The directory of `username`'s store for the server at `server_url`.
pub fn user_dir(data_dir: &Path, server_url: &str, username: &str) -> PathBuf {
    let mut hash = Sha256::new();
    hash.update(server_url.as_bytes());
    hash.update(b"\n");
    hash.update(username.trim().to_lowercase().as_bytes());
    data_dir
        .join("users")
        .join(hex::encode(&hash.finalize()[..8]))
}

/// Who last used the app with the server at `server_url` (to offer their store's unlock).
pub fn last_user(data_dir: &Path, server_url: &str) -> Option<String> {
    let bytes = std::fs::read(data_dir.join(LAST_USER_FILE)).ok()?;
    let users: BTreeMap<String, String> = serde_json::from_slice(&bytes).ok()?;
    users.get(server_url).cloned()
}

/// Records `username` as the last user of the server at `server_url` (`None`: nobody, after
/// a logout).
pub fn remember_user(
    data_dir: &Path,
    server_url: &str,
    username: Option<&str>,
) -> std::io::Result<()> {
    let path = data_dir.join(LAST_USER_FILE);
    let mut users: BTreeMap<String, String> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    match username {
        Some(name) => users.insert(server_url.to_string(), name.to_string()),
        None => users.remove(server_url),
    };
    let json = serde_json::to_vec_pretty(&users).map_err(std::io::Error::other)?;
    let tmp = data_dir.join(format!("{LAST_USER_FILE}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, path)
}

/// Overwrites a file with zeros, syncs it and removes it (a file that is not there is fine).
/// On a journaling file system or an SSD the old blocks may survive elsewhere: the threat
/// model in ARCHITECTURE.md says so.
pub fn wipe_file(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let len = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta.len(),
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    drop(file);
    std::fs::remove_file(path)
}

/// Wipes a plain database and its WAL and shared-memory files.
pub fn wipe_database(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        wipe_file(Path::new(&name))?;
    }
    Ok(())
}

/// Copies the plain store at `plain` into a new encrypted store at `encrypted` under `key`
/// (SQLCipher's `sqlcipher_export`), and checks that the copy holds as many articles,
/// revisions and waiting outbox rows as the original before anything else happens. The plain
/// store is left as it was: the caller wipes it once the copy is in use.
pub fn encrypt_plain_store(
    plain: &Path,
    encrypted: &Path,
    key: &DataKey,
) -> Result<(), StoreError> {
    if encrypted.exists() {
        return Err(StoreError::Corrupt(format!(
            "{} exists already: nothing is copied over a store",
            encrypted.display()
        )));
    }
    let source = Store::open(plain)?;
    let before = source.stats()?;
    let conn = &source.conn;
    // Everything in the main file: the WAL's last commits too.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let application_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let path = encrypted
        .to_str()
        .ok_or_else(|| StoreError::Corrupt("the store's path is not UTF-8".into()))?;
    conn.execute(
        &format!(
            "ATTACH DATABASE ?1 AS encrypted KEY {}",
            key.sqlcipher_literal().as_str()
        ),
        params![path],
    )?;
    let copied = conn
        .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .and_then(|()| {
            conn.execute_batch(&format!(
                "PRAGMA encrypted.user_version = {}; PRAGMA encrypted.application_id = {application_id};",
                before.schema_version
            ))
        });
    conn.execute_batch("DETACH DATABASE encrypted")?;
    drop(source);
    copied?;
    let copy = Store::open_encrypted(encrypted, key)?;
    let after = copy.stats()?;
    if (after.articles, after.revisions, after.pending)
        != (before.articles, before.revisions, before.pending)
    {
        drop(copy);
        let _ = wipe_database(encrypted);
        return Err(StoreError::Corrupt(format!(
            "the encrypted copy holds {} articles, {} revisions, {} waiting; the original {}, {}, {}",
            after.articles,
            after.revisions,
            after.pending,
            before.articles,
            before.revisions,
            before.pending
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use barta_model::{ArticleMeta, Document};

    #[test]
    fn each_user_of_each_server_has_a_directory_of_their_own() {
        let data = Path::new("/data");
        let a = user_dir(data, "https://a.example", "rahim");
        assert_eq!(a, user_dir(data, "https://a.example", " Rahim "));
        assert_ne!(a, user_dir(data, "https://a.example", "karim"));
        assert_ne!(a, user_dir(data, "https://b.example", "rahim"));
        assert!(a.starts_with("/data/users"));
    }

    #[test]
    fn the_last_user_is_remembered_per_server_and_forgotten_on_request() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(last_user(dir.path(), "https://a"), None);
        remember_user(dir.path(), "https://a", Some("rahim")).unwrap();
        remember_user(dir.path(), "https://b", Some("karim")).unwrap();
        assert_eq!(last_user(dir.path(), "https://a").as_deref(), Some("rahim"));
        remember_user(dir.path(), "https://a", None).unwrap();
        assert_eq!(last_user(dir.path(), "https://a"), None);
        assert_eq!(last_user(dir.path(), "https://b").as_deref(), Some("karim"));
    }

    #[test]
    fn a_plain_store_moves_into_an_encrypted_one_with_every_word_and_leaves_no_plain_copy() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("barta.db");
        let mut store = Store::open(&plain).unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        let meta = ArticleMeta {
            headline: "গোপন সূত্রের খবর".into(),
            desk: "national".into(),
            ..ArticleMeta::default()
        };
        let body = Document::from_paragraphs([("b1", "সূত্রের নাম করিমুন্নেসা")]);
        store.save_working_copy(id, meta, body).unwrap();
        store.save_point(id, "rahim").unwrap();
        drop(store);

        let key = DataKey::random();
        let encrypted = dir.path().join("users/x/barta.db");
        std::fs::create_dir_all(encrypted.parent().unwrap()).unwrap();
        encrypt_plain_store(&plain, &encrypted, &key).unwrap();
        wipe_database(&plain).unwrap();

        let mut copy = Store::open_encrypted(&encrypted, &key).unwrap();
        let draft = copy.load_article(id).unwrap();
        assert_eq!(draft.meta.headline, "গোপন সূত্রের খবর");
        let hits = copy
            .search(&crate::SearchQuery {
                text: "করিমুন্নেসা".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(hits.len(), 1, "the search index came along");
        drop(copy);
        assert!(!plain.exists());
        let raw = std::fs::read(&encrypted).unwrap();
        assert!(
            !raw.windows("করিমুন্নেসা".len())
                .any(|w| w == "করিমুন্নেসা".as_bytes()),
            "no readable word in the encrypted file"
        );
        assert!(
            Store::open_encrypted(&encrypted, &DataKey::random()).is_err(),
            "another key opens nothing"
        );
    }

    #[test]
    fn a_file_is_overwritten_before_it_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"secret").unwrap();
        wipe_file(&path).unwrap();
        assert!(!path.exists());
        wipe_file(&path).unwrap();
    }
}
