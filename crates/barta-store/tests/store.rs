//! The local store against real SQLite files: drafts survive reopening, save points are
//! atomic, the changes feed never overwrites unsent local text.

use barta_model::api::{Change, ChangeKind, ChangesPage, RevisionRecord};
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, SyncState, WorkflowState};
use barta_store::{ListFilter, OutboxKind, Store, StoreError};

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

#[test]
fn a_draft_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barta.db");
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        let body = Document::from_paragraphs([("b1", "আমি বাংলায় গান গাই")]);
        store.save_working_copy(id, meta("ঢাকায় বৃষ্টি"), body).unwrap();
        id
    };
    let store = Store::open(&path).unwrap();
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.meta.headline, "ঢাকায় বৃষ্টি");
    assert_eq!(draft.body.plain_text(), "আমি বাংলায় গান গাই");
    assert_eq!(draft.summary.sync_state, SyncState::LocalOnly);
    assert!(store.integrity_ok().unwrap());
}

#[test]
fn text_is_stored_normalized() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    // A zero-width space and a decomposed ো (ে + া) as typed on some keyboards.
    let body = Document::from_paragraphs([("b1", "কো\u{200B}রিয়া")]);
    store
        .save_working_copy(id, meta("ক\u{09C7}\u{09BE}ন"), body)
        .unwrap();
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.meta.headline, "কোন");
    assert_eq!(draft.body.plain_text(), "কোরিয়া");
}

#[test]
fn invalid_documents_are_refused_and_nothing_saved_is_touched() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(id, meta("ভালো"), Document::from_paragraphs([("b1", "ঠিক")]))
        .unwrap();
    let dup = Document::from_paragraphs([("b1", "এক"), ("b1", "দুই")]);
    let err = store.save_working_copy(id, meta("খারাপ"), dup).unwrap_err();
    assert!(matches!(err, StoreError::InvalidDocument(_)), "{err}");
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.meta.headline, "ভালো");
    assert_eq!(draft.body.plain_text(), "ঠিক");
}

#[test]
fn a_save_point_writes_a_revision_and_its_outbox_row_once() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    assert_eq!(
        store.save_point(id, "rahim").unwrap(),
        None,
        "nothing written yet"
    );
    store
        .save_working_copy(id, meta("এক"), Document::from_paragraphs([("b1", "প্রথম")]))
        .unwrap();
    let first = store.save_point(id, "rahim").unwrap().expect("a revision");
    assert_eq!(
        store.save_point(id, "rahim").unwrap(),
        None,
        "unchanged since the head"
    );
    store
        .save_working_copy(
            id,
            meta("দুই"),
            Document::from_paragraphs([("b1", "দ্বিতীয়")]),
        )
        .unwrap();
    let second = store.save_point(id, "rahim").unwrap().expect("a revision");

    let outbox = store.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[0].revision_id, first);
    assert_eq!(outbox[1].revision_id, second);
    assert!(outbox.iter().all(|o| o.kind == OutboxKind::Revision));
    let push = store.revision_push(second).unwrap();
    assert_eq!(push.parent, Some(first));
    assert_eq!(
        push.sha256,
        barta_model::RevisionPush::hash_of(&push.meta, &push.body)
    );
    assert_eq!(store.revision_ids(id).unwrap(), vec![first, second]);
}

#[test]
fn submit_works_offline_and_queues_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(id, meta("খবর"), Document::from_paragraphs([("b1", "লেখা")]))
        .unwrap();
    let rev = store.submit(id, "rahim").unwrap();
    let outbox = store.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[0].kind, OutboxKind::Revision);
    assert_eq!(outbox[1].kind, OutboxKind::Transition);
    assert_eq!(outbox[1].revision_id, rev);
    let summary = &store.list_articles(&ListFilter::default()).unwrap()[0];
    assert_eq!(summary.state, WorkflowState::Submitted);
    assert_eq!(summary.sync_state, SyncState::Pending);

    for item in &outbox {
        store.mark_done(item).unwrap();
    }
    assert_eq!(store.pending_count().unwrap(), 0);
    let summary = &store.list_articles(&ListFilter::default()).unwrap()[0];
    assert_eq!(summary.sync_state, SyncState::Synced);
}

#[test]
fn a_rejected_row_keeps_its_text_and_reason() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(id, meta("খবর"), Document::from_paragraphs([("b1", "লেখা")]))
        .unwrap();
    store.save_point(id, "rahim").unwrap();
    let item = store.pending_outbox().unwrap().remove(0);
    store
        .mark_rejected(&item, "invalid", "unknown desk")
        .unwrap();
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.summary.sync_state, SyncState::Rejected);
    assert_eq!(draft.summary.last_error.as_deref(), Some("unknown desk"));
    assert_eq!(draft.body.plain_text(), "লেখা");
    assert_eq!(store.pending_count().unwrap(), 0);
}

#[test]
fn a_newer_database_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barta.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let err = Store::open(&path).err().expect("refused");
    assert!(err.to_string().contains("newer Barta"), "{err}");
}

fn server_revision(
    article: ArticleId,
    parent: Option<RevisionId>,
    text: &str,
    seq: i64,
) -> RevisionRecord {
    let meta = meta("সার্ভারের শিরোনাম");
    let body = Document::from_paragraphs([("b1", text)]);
    RevisionRecord {
        id: RevisionId::new(),
        article_id: article,
        parent,
        merge_parent: None,
        author: "rahim".into(),
        sha256: barta_model::RevisionPush::hash_of(&meta, &body),
        meta,
        body,
        created_at: "2025-08-01T10:00:00Z".into(),
        seq,
    }
}

fn revision_change(rev: &RevisionRecord, state: WorkflowState) -> Change {
    Change {
        seq: rev.seq,
        kind: ChangeKind::Revision,
        article_id: rev.article_id,
        desk: "national".into(),
        state,
        author: rev.author.clone(),
        head: rev.id,
        revision: Some(rev.clone()),
        note: None,
        at: "2025-08-01T10:00:00Z".into(),
    }
}

#[test]
fn the_changes_feed_brings_in_new_articles_and_advances_the_cursor() {
    let mut store = Store::open_in_memory().unwrap();
    let article = ArticleId::new();
    let rev = server_revision(article, None, "সার্ভার থেকে", 7);
    let page = ChangesPage {
        changes: vec![revision_change(&rev, WorkflowState::Submitted)],
        next: 7,
    };
    store.apply_changes(&page).unwrap();
    store.apply_changes(&page).unwrap(); // a duplicate page changes nothing
    assert_eq!(store.changes_cursor().unwrap(), 7);
    let list = store
        .list_articles(&ListFilter {
            states: vec![WorkflowState::Submitted],
            desks: vec!["national".into()],
            author: None,
        })
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].headline, "সার্ভারের শিরোনাম");
    let draft = store.load_article(article).unwrap();
    assert_eq!(draft.body.plain_text(), "সার্ভার থেকে");
    assert_eq!(draft.head, Some(rev.id));
    assert_eq!(store.revision_ids(article).unwrap(), vec![rev.id]);
}

#[test]
fn the_changes_feed_never_overwrites_unsent_local_text() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(
            id,
            meta("আমার"),
            Document::from_paragraphs([("b1", "আমার লেখা")]),
        )
        .unwrap();
    let rev = server_revision(id, None, "অন্য কারও লেখা", 3);
    store
        .apply_changes(&ChangesPage {
            changes: vec![revision_change(&rev, WorkflowState::Draft)],
            next: 3,
        })
        .unwrap();
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.body.plain_text(), "আমার লেখা");
    assert_eq!(store.changes_cursor().unwrap(), 3);
}
