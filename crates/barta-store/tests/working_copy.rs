//! The working copy kept block by block: whatever sequence of typing saves, reloading gives
//! exactly the last document saved (normalized), also from a new connection, also when another
//! connection wrote in between or a save failed, and also for documents the server sends
//! whose blocks lack unique ids.

use barta_model::api::{Change, ChangeKind, ChangesPage, RevisionRecord};
use barta_model::{ArticleId, ArticleMeta, Block, Document, RevisionId, WorkflowState};
use barta_store::{SearchQuery, Store, StoreError};
use std::time::Duration;

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

fn normalized(mut body: Document) -> Document {
    body.map_text(&bangla::normalize);
    body
}

fn doc(blocks: &[(&str, &str)]) -> Document {
    Document::from_paragraphs(blocks.iter().copied())
}

/// Loads the article from this store and from a fresh connection, and checks both.
fn assert_stored(store: &Store, path: &std::path::Path, id: ArticleId, expected: &Document) {
    let expected = normalized(expected.clone());
    assert_eq!(store.load_article(id).unwrap().body, expected);
    let other = Store::open(path).unwrap();
    assert_eq!(other.load_article(id).unwrap().body, expected);
}

type Edit = Box<dyn Fn(&mut Document)>;

#[test]
fn every_kind_of_edit_reloads_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    assert_stored(&store, &path, id, &Document::empty());

    let mut body = doc(&[("a", "এক"), ("b", "দুই"), ("c", "তিন")]);
    let steps: Vec<Edit> = vec![
        // Typing into one block.
        Box::new(|d| d.content[1] = Block::paragraph("b", "দুই আর")),
        // A block inserted in the middle.
        Box::new(|d| d.content.insert(1, Block::paragraph("n", "নতুন"))),
        // A block deleted.
        Box::new(|d| {
            d.content.remove(0);
        }),
        // Blocks moved.
        Box::new(|d| d.content.reverse()),
        // Nothing changed but the save itself.
        Box::new(|_| {}),
        // Text that normalization changes (a zero-width space, a decomposed ো).
        Box::new(|d| d.content[0] = Block::paragraph("c", "কো\u{200B}রিয়া ক\u{09C7}\u{09BE}ন")),
        // A block whose id comes back after being deleted.
        Box::new(|d| d.content.push(Block::paragraph("a", "ফিরে এল"))),
        // Everything replaced.
        Box::new(|d| *d = doc(&[("x", "সব নতুন"), ("y", "আবার")])),
        // Emptied.
        Box::new(|d| *d = Document::empty()),
        Box::new(|d| *d = doc(&[("z", "শেষ")])),
    ];
    store
        .save_working_copy(id, meta("শিরোনাম"), body.clone())
        .unwrap();
    assert_stored(&store, &path, id, &body);
    for (i, step) in steps.iter().enumerate() {
        step(&mut body);
        store
            .save_working_copy(id, meta(&format!("শিরোনাম {i}")), body.clone())
            .unwrap();
        assert_stored(&store, &path, id, &body);
        // The same document sent again (the editor saving without a change).
        store
            .save_working_copy(id, meta(&format!("শিরোনাম {i}")), body.clone())
            .unwrap();
        assert_stored(&store, &path, id, &body);
        assert_eq!(
            store.load_article(id).unwrap().meta.headline,
            format!("শিরোনাম {i}")
        );
    }
    // A save point hashes what was stored, and the search index sees the last text.
    let rev = store.save_point(id, "rahim").unwrap().unwrap();
    let push = store.revision_push(rev).unwrap();
    assert_eq!(push.body, normalized(body.clone()));
    assert_eq!(
        push.sha256,
        barta_model::RevisionPush::hash_of(&push.meta, &push.body)
    );
    assert_eq!(store.search(&SearchQuery::text("শেষ")).unwrap().len(), 1);
    assert!(store.integrity_ok().unwrap());
}

#[test]
fn the_store_can_move_between_threads() {
    // The app and the sync engine keep it behind a mutex shared by threads.
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
}

#[test]
fn a_write_by_another_connection_is_not_hidden_by_what_this_one_remembers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut mine = Store::open(&path).unwrap();
    let id = mine.create_article("national", "rahim").unwrap();
    let v1 = doc(&[("a", "আমার প্রথম"), ("b", "আমার দ্বিতীয়")]);
    mine.save_working_copy(id, meta("এক"), v1.clone()).unwrap();
    // Another connection (another window, the command-line tool) changes block a.
    let mut other = Store::open(&path).unwrap();
    other
        .save_working_copy(id, meta("এক"), doc(&[("a", "অন্য"), ("b", "আমার দ্বিতীয়")]))
        .unwrap();
    drop(other);
    // This connection saves its document again: block a must be its text, not the other's.
    mine.save_working_copy(id, meta("এক"), v1.clone()).unwrap();
    assert_stored(&mine, &path, id, &v1);
}

#[test]
fn a_failed_save_is_written_in_full_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    store.set_busy_timeout(Duration::from_millis(50)).unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let v1 = doc(&[("a", "প্রথম"), ("b", "দ্বিতীয়")]);
    store.save_working_copy(id, meta("এক"), v1.clone()).unwrap();
    let v2 = doc(&[("a", "প্রথম বদলানো"), ("b", "দ্বিতীয়")]);
    {
        let lock = rusqlite::Connection::open(&path).unwrap();
        lock.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = store
            .save_working_copy(id, meta("এক"), v2.clone())
            .unwrap_err();
        assert!(matches!(err, StoreError::Locked), "{err}");
        lock.execute_batch("ROLLBACK").unwrap();
    }
    assert_stored(&store, &path, id, &v1);
    store.save_working_copy(id, meta("এক"), v2.clone()).unwrap();
    assert_stored(&store, &path, id, &v2);
}

fn server_change(article: ArticleId, body: Document) -> Change {
    let meta = meta("সার্ভার");
    let rev = RevisionRecord {
        id: RevisionId::new(),
        article_id: article,
        parent: None,
        merge_parent: None,
        author: "rahim".into(),
        sha256: barta_model::RevisionPush::hash_of(&meta, &body),
        meta,
        body,
        created_at: "2025-08-01T10:00:00Z".into(),
        seq: 1,
    };
    Change {
        seq: 1,
        kind: ChangeKind::Revision,
        article_id: article,
        desk: "national".into(),
        state: WorkflowState::Draft,
        author: "rahim".into(),
        head: rev.id,
        revision: Some(rev),
        note: None,
        at: "2025-08-01T10:00:00Z".into(),
    }
}

#[test]
fn a_server_document_without_unique_block_ids_is_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    let article = ArticleId::new();
    let mut body = doc(&[("a", "এক"), ("a", "দুই")]);
    body.content.push(paragraph_without_id("তিন"));
    store
        .apply_changes(&ChangesPage {
            changes: vec![server_change(article, body.clone())],
            next: 1,
        })
        .unwrap();
    assert_stored(&store, &path, article, &body);
    // The editor then sends a valid document: it is kept block by block from then on.
    let fixed = doc(&[("a", "এক"), ("b", "দুই")]);
    store
        .save_working_copy(article, meta("সার্ভার"), fixed.clone())
        .unwrap();
    assert_stored(&store, &path, article, &fixed);
    assert!(store.integrity_ok().unwrap());
}

/// A paragraph with no `attrs.id`.
fn paragraph_without_id(text: &str) -> Block {
    Block {
        attrs: None,
        ..Block::paragraph("", text)
    }
}

/// The ids of `body`'s blocks, as the editor sends them with a block save.
fn order(body: &Document) -> Vec<String> {
    body.block_ids().into_iter().map(String::from).collect()
}

#[test]
fn a_block_save_sends_only_what_changed_and_reloads_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let v1 = doc(&[("a", "এক"), ("b", "দুই"), ("c", "তিন")]);
    store
        .save_working_copy(id, meta("শিরোনাম"), v1.clone())
        .unwrap();

    // One block typed into, one inserted, one removed, the rest reordered: only the typed and
    // the new block travel.
    let v2 = doc(&[("c", "তিন"), ("a", "এক আর"), ("d", "নতুন")]);
    let changed = vec![v2.content[1].clone(), v2.content[2].clone()];
    store
        .save_working_blocks(id, meta("শিরোনাম বদল"), order(&v2), changed)
        .unwrap();
    assert_stored(&store, &path, id, &v2);
    assert_eq!(store.load_article(id).unwrap().meta.headline, "শিরোনাম বদল");

    // Nothing changed but the headline: no block travels.
    store
        .save_working_blocks(id, meta("আবার"), order(&v2), vec![])
        .unwrap();
    assert_stored(&store, &path, id, &v2);
    assert_eq!(store.load_article(id).unwrap().summary.headline, "আবার");
}

#[test]
fn a_block_save_the_store_cannot_complete_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let v1 = doc(&[("a", "এক"), ("b", "দুই")]);

    // No typing save known to this connection yet (a restart): the whole text is asked for.
    let stale = store.save_working_blocks(id, meta("ক"), order(&v1), vec![]);
    assert!(
        matches!(stale, Err(StoreError::StaleWorkingCopy(a)) if a == id),
        "{stale:?}"
    );
    store.save_working_copy(id, meta("ক"), v1.clone()).unwrap();

    // A block the last save did not have, and not sent.
    let stale = store.save_working_blocks(id, meta("ক"), vec!["a".into(), "x".into()], vec![]);
    assert!(
        matches!(stale, Err(StoreError::StaleWorkingCopy(_))),
        "{stale:?}"
    );
    // A changed block the order does not name.
    let stale = store.save_working_blocks(
        id,
        meta("ক"),
        order(&v1),
        vec![Block::paragraph("z", "কোথায়")],
    );
    assert!(
        matches!(stale, Err(StoreError::StaleWorkingCopy(_))),
        "{stale:?}"
    );
    // An id named twice.
    let twice = store.save_working_blocks(id, meta("ক"), vec!["a".into(), "a".into()], vec![]);
    assert!(
        matches!(twice, Err(StoreError::InvalidDocument(_))),
        "{twice:?}"
    );
    assert_stored(&store, &path, id, &v1);

    // Another connection writes the working copy: this one's memory is not trusted any more.
    let mut other = Store::open(&path).unwrap();
    let theirs = doc(&[("a", "ওদের"), ("b", "দুই")]);
    other
        .save_working_copy(id, meta("ক"), theirs.clone())
        .unwrap();
    let stale = store.save_working_blocks(
        id,
        meta("ক"),
        order(&v1),
        vec![Block::paragraph("b", "দুই আর")],
    );
    assert!(
        matches!(stale, Err(StoreError::StaleWorkingCopy(_))),
        "{stale:?}"
    );
    assert_stored(&store, &path, id, &theirs);

    // After a whole save, block saves work again.
    store
        .save_working_copy(id, meta("ক"), theirs.clone())
        .unwrap();
    let v3 = doc(&[("a", "ওদের"), ("b", "দুই আর")]);
    store
        .save_working_blocks(id, meta("ক"), order(&v3), vec![v3.content[1].clone()])
        .unwrap();
    assert_stored(&store, &path, id, &v3);
}

#[test]
fn a_sync_page_makes_only_its_own_articles_send_their_whole_text_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut store = Store::open(&path).unwrap();
    let typed = store.create_article("national", "rahim").unwrap();
    let v1 = doc(&[("a", "এক"), ("b", "দুই")]);
    store
        .save_working_copy(typed, meta("ক"), v1.clone())
        .unwrap();

    // An empty page (a round with nothing new) and a page about another article: the typing
    // save of this one is still known, so only its changed block travels.
    store
        .apply_changes(&ChangesPage {
            changes: vec![],
            next: 0,
        })
        .unwrap();
    let other = ArticleId::new();
    store
        .apply_changes(&ChangesPage {
            changes: vec![server_change(other, doc(&[("x", "অন্য")]))],
            next: 1,
        })
        .unwrap();
    let v2 = doc(&[("a", "এক"), ("b", "দুই আর")]);
    store
        .save_working_blocks(typed, meta("ক"), order(&v2), vec![v2.content[1].clone()])
        .unwrap();
    assert_stored(&store, &path, typed, &v2);

    // A page about this article: its working copy may have been written, so the whole text is
    // asked for.
    store
        .apply_changes(&ChangesPage {
            changes: vec![server_change(typed, v2.clone())],
            next: 2,
        })
        .unwrap();
    let stale = store.save_working_blocks(typed, meta("ক"), order(&v2), vec![]);
    assert!(
        matches!(stale, Err(StoreError::StaleWorkingCopy(_))),
        "{stale:?}"
    );
}
