//! Bad input: a file that is not a database, another program's database, a database locked
//! by another program, a full disk. Each is a clear typed error and nothing is written.

use barta_model::{ArticleMeta, Document};
use barta_store::{SCHEMA_VERSION, SearchQuery, Store, StoreError};
use std::path::Path;
use std::time::Duration;

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, Vec<u8>)] = &[
        (
            "text.db",
            "আমি একটি সাধারণ লেখা, ডেটাবেস নই।\n".repeat(200).into_bytes(),
        ),
        (
            "noise.db",
            (0..8192u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        (
            "fake-header.db",
            [b"SQLite format 3\0".as_slice(), &[0xFF; 4080]].concat(),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = Store::open(&path).err().expect(name);
        assert!(matches!(err, StoreError::NotADatabase), "{name}: {err:?}");
        assert!(err.to_string().contains("not a Barta database"), "{err}");
        assert!(
            std::fs::read(&path).unwrap() == *bytes,
            "{name} was modified"
        );
    }
    assert_eq!(
        files_in(dir.path()),
        ["fake-header.db", "noise.db", "text.db"]
    );
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("contacts.db");
    {
        let conn = rusqlite::Connection::open(&plain).unwrap();
        conn.execute_batch(
            "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('রহিম');",
        )
        .unwrap();
    }
    let other_app = dir.path().join("other-app.db");
    {
        let conn = rusqlite::Connection::open(&other_app).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234; PRAGMA user_version = 1;")
            .unwrap();
    }
    for path in [&plain, &other_app] {
        let before = std::fs::read(path).unwrap();
        let err = Store::open(path).err().unwrap();
        assert!(matches!(err, StoreError::ForeignDatabase(_)), "{err:?}");
        assert!(err.to_string().contains("another program"), "{err}");
        assert!(
            std::fs::read(path).unwrap() == before,
            "{path:?} was modified"
        );
    }
}

#[test]
fn a_damaged_barta_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barta.db");
    {
        let mut store = Store::open(&path).unwrap();
        for i in 0..40 {
            let id = store.create_article("national", "rahim").unwrap();
            let text = format!("অনুচ্ছেদ {i} ").repeat(300);
            store
                .save_working_copy(
                    id,
                    meta("শিরোনাম"),
                    Document::from_paragraphs([("b", text.as_str())]),
                )
                .unwrap();
        }
        store.refresh_search().unwrap();
    }
    // Scribble over a few pages in the middle (after the WAL was checkpointed on close).
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 64 * 1024, "{}", bytes.len());
    for b in &mut bytes[40 * 1024..48 * 1024] {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    // Either opening fails as corrupt, or the integrity check says so: never "ok".
    match Store::open(&path) {
        Err(e) => assert!(matches!(e, StoreError::Corrupt(_)), "{e:?}"),
        Ok(store) => assert!(!store.integrity_ok().unwrap_or(false)),
    }
}

#[test]
fn a_locked_database_is_a_clear_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barta.db");
    let mut store = Store::open(&path).unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(
            id,
            meta("আগের"),
            Document::from_paragraphs([("b1", "আগের লেখা")]),
        )
        .unwrap();
    store.set_busy_timeout(Duration::from_millis(100)).unwrap();

    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store
        .save_working_copy(
            id,
            meta("পরের"),
            Document::from_paragraphs([("b1", "পরের লেখা")]),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    assert!(
        err.to_string().contains("locked by another program"),
        "{err}"
    );
    let err = store.save_point(id, "rahim").unwrap_err();
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    other.execute_batch("ROLLBACK").unwrap();

    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.meta.headline, "আগের");
    assert_eq!(store.pending_count().unwrap(), 0);
    assert!(store.integrity_ok().unwrap());
}

/// Mounts a tmpfs of `size` at `dir`; false when this process may not mount (not root).
fn mount_tmpfs(dir: &Path, size: &str) -> bool {
    std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
}

struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_earlier_work_survives() {
    let dir = tempfile::tempdir().unwrap();
    // A test that cannot run fails and says why (it needs root to mount a small tmpfs; CI and
    // the project's machines run as root).
    assert!(
        mount_tmpfs(dir.path(), "1536k"),
        "cannot mount a tmpfs here (needs root): the full-disk test cannot run"
    );
    let _unmount = Unmount(dir.path());
    let path = dir.path().join("barta.db");
    let mut store = Store::open(&path).unwrap();
    let mut saved = Vec::new();
    let mut full = None;
    for i in 0..10_000 {
        let attempt = (|| -> Result<_, StoreError> {
            let id = store.create_article("national", "rahim")?;
            let text = format!("পূর্ণ ডিস্ক পরীক্ষা {i} ").repeat(200);
            store.save_working_copy(
                id,
                meta(&format!("শিরোনাম {i}")),
                Document::from_paragraphs([("b", text.as_str())]),
            )?;
            store.save_point(id, "rahim")?;
            Ok(id)
        })();
        match attempt {
            Ok(id) => saved.push((i, id)),
            Err(e) => {
                full = Some(e);
                break;
            }
        }
    }
    let err = full.expect("a 1.5 MB disk must fill up");
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert!(saved.len() > 3, "{}", saved.len());
    // Everything saved before is intact and consistent, on this connection and a new one.
    assert!(store.integrity_ok().unwrap());
    for (i, id) in &saved {
        let draft = store.load_article(*id).unwrap();
        assert_eq!(draft.meta.headline, format!("শিরোনাম {i}"));
        assert!(draft.head.is_some());
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert!(store.integrity_ok().unwrap());
    assert_eq!(store.pending_count().unwrap() as usize, saved.len());
    let (i, id) = saved[0];
    assert_eq!(
        store.load_article(id).unwrap().meta.headline,
        format!("শিরোনাম {i}")
    );
    let _ = SCHEMA_VERSION;
    let _ = SearchQuery::default();
}
