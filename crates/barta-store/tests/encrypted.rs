//! The laptop store encrypted at rest (SQLCipher under a password-wrapped key), tried as an
//! attacker with a copy of the disk would: no word of a draft — not even one deleted from it —
//! is in the database, its WAL or its shared memory file; `sqlite3` cannot open it; and the
//! right password opens it offline with search working.

use barta_model::{ArticleMeta, Document};
use barta_store::vault::{self, DataKey, VaultError};
use barta_store::{SearchQuery, Store, StoreError};
use std::path::Path;

const PASSWORD: &str = "গোপন-pass";
/// The source's name the reporter deleted from the draft.
const SOURCE: &str = "সূত্রেরনামকরিমউদ্দিন";
const KEPT: &str = "জলাবদ্ধতাপ্রতিবেদন";

fn meta() -> ArticleMeta {
    ArticleMeta {
        headline: "বন্যার খবর".into(),
        desk: "national".into(),
        ..Default::default()
    }
}

/// Writes a draft naming the source, saves a version, then deletes the name and saves again;
/// leaves the store open (its WAL in use) for the caller.
fn write_draft(store: &mut Store) {
    let id = store.create_article("national", "rahim").unwrap();
    let named = Document::from_paragraphs([("b1", &*format!("{KEPT} {SOURCE} বলেছেন"))]);
    store.save_working_copy(id, meta(), named).unwrap();
    store.save_point(id, "rahim").unwrap();
    let without = Document::from_paragraphs([("b1", &*format!("{KEPT} একজন বলেছেন"))]);
    store.save_working_copy(id, meta(), without).unwrap();
    store.save_point(id, "rahim").unwrap();
}

/// Every file of the store (database, WAL, shared memory) as raw bytes.
fn raw_files(db: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let path = format!("{}{suffix}", db.display());
            std::fs::read(&path).ok().map(|bytes| (path, bytes))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    contains_bytes(haystack, needle.as_bytes())
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The first bytes of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

#[test]
fn a_copy_of_the_disk_gives_up_no_word_of_a_draft() {
    let dir = tempfile::tempdir().unwrap();

    // The same draft in a plain store: the words are there to find (the search can fail).
    let plain_path = dir.path().join("plain.db");
    let mut plain = Store::open(&plain_path).unwrap();
    write_draft(&mut plain);
    let plain_files = raw_files(&plain_path);
    // Bodies are stored zstd-compressed, so their words are found there by decompressing the
    // frames (which start with zstd's magic number); the headline is there as it is.
    assert!(
        plain_files
            .iter()
            .any(|(_, bytes)| contains(bytes, "বন্যার খবর")),
        "the plain store holds the headline readable"
    );
    assert!(
        plain_files
            .iter()
            .any(|(_, bytes)| contains_bytes(bytes, &ZSTD_MAGIC)),
        "the plain store holds compressed bodies"
    );

    let vault_dir = dir.path().join("rahim");
    let key = vault::create(&vault_dir, PASSWORD).unwrap();
    let path = vault_dir.join("store.db");
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    write_draft(&mut store);
    let files = raw_files(&path);
    assert!(
        files.len() >= 2,
        "the database and its WAL: {files:?}",
        files = files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (file, bytes) in &files {
        for word in [KEPT, SOURCE, "বন্যার খবর", "rahim"] {
            assert!(!contains(bytes, word), "{word:?} is readable in {file}");
        }
        assert!(
            !contains_bytes(bytes, &ZSTD_MAGIC),
            "a compressed body (to decompress and read) in {file}"
        );
    }
    // The database does not even say it is SQLite.
    let (_, db) = &files[0];
    assert!(!db.starts_with(b"SQLite format 3"), "a plain SQLite header");
    drop(store);
    for (file, bytes) in raw_files(&path) {
        assert!(
            !contains(&bytes, SOURCE),
            "{SOURCE:?} is readable in {file} after closing"
        );
    }
}

#[test]
fn sqlite3_cannot_open_the_store_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = vault::create(dir.path(), PASSWORD).unwrap();
    let path = dir.path().join("store.db");
    write_draft(&mut Store::open_encrypted(&path, &key).unwrap());
    let out = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()
        .expect("the sqlite3 program (scripts/setup installs it)");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "sqlite3 read the encrypted store");
    assert!(said.contains("not a database"), "{said}");
    // Nor does the plain library, nor another key.
    assert!(Store::open(&path).is_err());
    assert!(matches!(
        Store::open_encrypted(&path, &DataKey::random()),
        Err(StoreError::WrongKey)
    ));
}

#[test]
fn the_password_opens_the_store_offline_and_search_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    {
        let key = vault::create(dir.path(), PASSWORD).unwrap();
        write_draft(&mut Store::open_encrypted(&path, &key).unwrap());
    }
    assert!(matches!(
        vault::unlock(dir.path(), "ভুল"),
        Err(VaultError::WrongPassword)
    ));
    let key = vault::unlock(dir.path(), PASSWORD).unwrap();
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    assert!(store.integrity_ok().unwrap());
    let hits = store.search(&SearchQuery::text(KEPT)).unwrap();
    assert_eq!(
        hits.len(),
        1,
        "full-text search (FTS5) in the encrypted store"
    );
    let draft = store.load_article(hits[0].id).unwrap();
    assert!(draft.body.plain_text().starts_with(KEPT));
    assert!(!draft.body.plain_text().contains(SOURCE));
    // A new password opens the same store; the old one no longer does.
    drop(store);
    vault::rewrap(dir.path(), PASSWORD, "নতুন-pass").unwrap();
    let key = vault::unlock(dir.path(), "নতুন-pass").unwrap();
    assert!(Store::open_encrypted(&path, &key).is_ok());
    assert!(vault::unlock(dir.path(), PASSWORD).is_err());
}
