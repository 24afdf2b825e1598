//! `barta local …` on real store files: import (all or nothing), search, history, export to
//! a folder and back, check.

use std::path::Path;
use std::process::{Command, Output};

fn barta(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_barta"))
        .arg("local")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = barta(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn item(headline: &str, body: &str) -> String {
    serde_json::json!({
        "type": "text", "language": "bn",
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]
    })
    .to_string()
}

#[test]
fn import_search_history_export_check() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    let db = dir.path().join("store.db");
    std::fs::write(
        files.join("1.json"),
        item("কোরিয়ার নির্বাচন", "দক্ষিণ কোরিয়ায় ভোট"),
    )
    .unwrap();
    std::fs::write(files.join("2.json"), item("ঢাকায় বৃষ্টি", "সকাল থেকে বৃষ্টি")).unwrap();
    std::fs::write(files.join("3.json"), item("২০২৫ সালের বাজেট", "বাজেট ঘোষণা")).unwrap();
    std::fs::write(files.join("4.json"), r#"{"headlines": [], "bodies": []}"#).unwrap();

    // One bad file: nothing is imported, and the error names the file.
    let out = barta(&db, &["import", files.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4.json") && stderr.contains("no headline"),
        "{stderr}"
    );
    assert!(ok(&db, &["check"]).contains("articles: 0"));

    std::fs::remove_file(files.join("4.json")).unwrap();
    let text = ok(
        &db,
        &["import", "--desk", "national", files.to_str().unwrap()],
    );
    assert!(text.contains("imported 3 articles"), "{text}");

    let hits = ok(&db, &["search", "কোরিয়া"]);
    let lines: Vec<&str> = hits.lines().collect();
    assert_eq!(lines.len(), 1, "{hits}");
    assert!(lines[0].contains("[কোরিয়ার] নির্বাচন"), "{hits}");
    assert!(lines[0].contains("দক্ষিণ [কোরিয়ায়] ভোট"), "{hits}");
    let id = lines[0].split('\t').next().unwrap().to_string();

    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["search", "2025", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["headline"], "২০২৫ সালের বাজেট");

    let history = ok(&db, &["history", &id]);
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(
        history.contains("(unsent)") && history.contains("কোরিয়ার নির্বাচন"),
        "{history}"
    );
    let out = barta(&db, &["history", "not-an-id"]);
    assert_eq!(out.status.code(), Some(1));

    let archive = dir.path().join("archive");
    assert!(ok(&db, &["export", archive.to_str().unwrap()]).contains("exported 3 articles"));
    let db2 = dir.path().join("new.db");
    assert!(ok(&db2, &["import", archive.to_str().unwrap()]).contains("imported 3 articles"));
    let check = ok(&db2, &["check"]);
    assert!(check.contains("integrity: ok"), "{check}");
    assert!(
        check.contains("articles: 3") && check.contains("unsent: 3"),
        "{check}"
    );
    assert!(check.contains("schema version"), "{check}");
}

#[test]
fn check_refuses_a_file_that_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "এটা ডেটাবেস নয়\n".repeat(100)).unwrap();
    let out = barta(&junk, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Barta database"));
    let out = barta(&dir.path().join("missing.db"), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}
