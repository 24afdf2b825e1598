//! ninjs import/export of articles, and whole-store export to and import from a folder.

use barta_model::{ArticleMeta, Document, Urgency};
use barta_store::{ListFilter, SearchQuery, Store, StoreError};
use serde_json::json;

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "international".into(),
        byline: Some("নিজস্ব প্রতিবেদক".into()),
        tags: vec!["কোরিয়া".into()],
        urgency: Some(Urgency(2)),
        ..Default::default()
    }
}

#[test]
fn an_article_travels_as_ninjs_between_stores() {
    let mut a = Store::open_in_memory().unwrap();
    let id = a.create_article("international", "rahim").unwrap();
    let body =
        Document::from_paragraphs([("p1", "দক্ষিণ কোরিয়ার নির্বাচন"), ("p2", "র\u{200D}\u{09CD}যাব")]);
    a.save_working_copy(id, meta("কোরিয়ার ভোট"), body.clone())
        .unwrap();
    let item = a.export_ninjs(id).unwrap();
    assert_eq!(item["language"], "bn");
    assert_eq!(item["headlines"][0]["value"], "কোরিয়ার ভোট");

    let mut b = Store::open_in_memory().unwrap();
    let report = b
        .import_ninjs(std::slice::from_ref(&item), "imported", "karim")
        .unwrap();
    assert_eq!(report.imported, vec![id]);
    let draft = b.load_article(id).unwrap();
    assert_eq!(draft.meta, meta("কোরিয়ার ভোট"));
    assert_eq!(draft.body, body);
    assert!(
        draft.head.is_some(),
        "an imported article gets a first revision"
    );
    assert_eq!(b.pending_count().unwrap(), 1);
    assert_eq!(b.search(&SearchQuery::text("কোরিয়া")).unwrap().len(), 1);
    // Again: already there, skipped, nothing changes.
    let report = b.import_ninjs(&[item], "imported", "karim").unwrap();
    assert_eq!((report.imported.len(), report.skipped), (0, vec![id]));
    assert_eq!(b.pending_count().unwrap(), 1);
}

#[test]
fn a_batch_with_one_invalid_item_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let good = json!({"headlines": [{"value": "ভালো"}], "bodies": [{"contenttype": "text/plain", "value": "লেখা"}]});
    let bad = json!({"headlines": [{"value": "খারাপ"}], "language": "en",
                     "bodies": [{"contenttype": "text/plain", "value": "text"}]});
    let err = store
        .import_ninjs(&[good.clone(), bad], "national", "rahim")
        .unwrap_err();
    assert!(matches!(err, StoreError::Ninjs(_)), "{err:?}");
    assert!(err.to_string().contains("not Bengali"), "{err}");
    assert!(
        store
            .list_articles(&ListFilter::default())
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.pending_count().unwrap(), 0);
    // A foreign item without a desk takes the default desk.
    let report = store.import_ninjs(&[good], "national", "rahim").unwrap();
    let draft = store.load_article(report.imported[0]).unwrap();
    assert_eq!(draft.summary.desk, "national");
    assert_eq!(draft.body.plain_text(), "লেখা");
}

fn populated() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("old.db")).unwrap();
    for i in 0..5 {
        let id = store.create_article("national", "rahim").unwrap();
        let text = format!("অনুচ্ছেদ {i}: ঢাকায় বৃষ্টি");
        store
            .save_working_copy(
                id,
                meta(&format!("শিরোনাম {i}")),
                Document::from_paragraphs([("p1", text.as_str())]),
            )
            .unwrap();
        store.save_point(id, "rahim").unwrap();
        if i % 2 == 0 {
            // A second revision, then unsaved typing on top.
            let more = format!("{text} আরও");
            store
                .save_working_copy(
                    id,
                    meta(&format!("শিরোনাম {i}")),
                    Document::from_paragraphs([("p1", more.as_str())]),
                )
                .unwrap();
            store.save_point(id, "rahim").unwrap();
            store
                .save_working_copy(
                    id,
                    meta(&format!("খসড়া {i}")),
                    Document::from_paragraphs([("p1", "অসংরক্ষিত")]),
                )
                .unwrap();
            store.add_comment(id, "p1", "editor", "যাচাই করুন").unwrap();
        }
    }
    (dir, store)
}

#[test]
fn the_whole_store_moves_to_a_new_laptop_through_a_folder() {
    let (dir, old) = populated();
    let folder = dir.path().join("archive");
    assert_eq!(old.export_folder(&folder).unwrap(), 5);

    let mut new = Store::open(&dir.path().join("new.db")).unwrap();
    let report = new.import_folder(&folder).unwrap();
    assert_eq!(report.imported.len(), 5);
    assert_eq!(new.pending_count().unwrap(), old.pending_count().unwrap());
    for summary in old.list_articles(&ListFilter::default()).unwrap() {
        let id = summary.id;
        let (a, b) = (old.load_article(id).unwrap(), new.load_article(id).unwrap());
        assert_eq!(a.meta, b.meta);
        assert_eq!(a.body, b.body);
        assert_eq!(a.head, b.head);
        assert_eq!(a.head_sha256, b.head_sha256);
        assert_eq!(old.history(id).unwrap(), new.history(id).unwrap());
        assert_eq!(old.comments(id).unwrap(), new.comments(id).unwrap());
    }
    assert_eq!(new.search(&SearchQuery::text("অসংরক্ষিত")).unwrap().len(), 3);
    assert!(new.integrity_ok().unwrap());
    // Importing again skips everything.
    let again = new.import_folder(&folder).unwrap();
    assert_eq!((again.imported.len(), again.skipped.len()), (0, 5));
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_is_written() {
    let (dir, old) = populated();
    let folder = dir.path().join("archive");
    old.export_folder(&folder).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(folder.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let victim = &files[3];
    let text = std::fs::read_to_string(victim).unwrap();
    // Change the text of the last stored revision (last in the file) without fixing its hash.
    let at = text.rfind("ঢাকায় বৃষ্টি").unwrap();
    let tampered = format!("{}ঢাকায় রোদ{}", &text[..at], &text[at + "ঢাকায় বৃষ্টি".len()..]);
    assert_ne!(text, tampered);
    std::fs::write(victim, tampered).unwrap();

    let mut new = Store::open(&dir.path().join("new.db")).unwrap();
    let err = new.import_folder(&folder).unwrap_err();
    assert!(matches!(err, StoreError::BadArchive { .. }), "{err:?}");
    assert!(
        err.to_string().contains("does not match its sha256"),
        "{err}"
    );
    assert!(
        new.list_articles(&ListFilter::default())
            .unwrap()
            .is_empty()
    );

    std::fs::write(victim, "{ not json").unwrap();
    let err = new.import_folder(&folder).unwrap_err();
    assert!(matches!(err, StoreError::BadArchive { .. }), "{err:?}");
    let err = new.import_folder(&dir.path().join("nowhere")).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(
        new.list_articles(&ListFilter::default())
            .unwrap()
            .is_empty()
    );
}
