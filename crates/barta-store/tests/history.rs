//! History, diffs between stored revisions, and comments anchored to block ids.

use barta_model::diff::{BlockChange, RunOp};
use barta_model::{ArticleMeta, Document};
use barta_store::{Store, StoreError};

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

#[test]
fn history_lists_revisions_newest_first_and_diffs_any_two() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let versions = [
        ("ঢাকায় বৃষ্টি", vec![("a", "সকাল থেকে বৃষ্টি হচ্ছে।")]),
        (
            "ঢাকায় ভারী বৃষ্টি",
            vec![("a", "সকাল থেকে ভারী বৃষ্টি হচ্ছে।"), ("b", "জলাবদ্ধতা।")],
        ),
        ("ঢাকায় ভারী বৃষ্টি", vec![("b", "তীব্র জলাবদ্ধতা।")]),
    ];
    let mut revs = Vec::new();
    for (headline, blocks) in &versions {
        store
            .save_working_copy(
                id,
                meta(headline),
                Document::from_paragraphs(blocks.clone()),
            )
            .unwrap();
        revs.push(store.save_point(id, "rahim").unwrap().unwrap());
    }
    let history = store.history(id).unwrap();
    let ids: Vec<_> = history.iter().map(|h| h.id).collect();
    assert_eq!(ids, vec![revs[2], revs[1], revs[0]]);
    assert_eq!(history[2].parent, None);
    assert_eq!(history[0].parent, Some(revs[1]));
    assert_eq!(history[0].headline, "ঢাকায় ভারী বৃষ্টি");
    assert_eq!(history[2].words, 4);
    assert!(history.iter().all(|h| h.pending && h.origin == "local"));

    // First to last: block a removed, b added (it did not exist in the first).
    let d = store.diff(id, revs[0], revs[2]).unwrap();
    let shape: Vec<(&str, BlockChange)> =
        d.blocks.iter().map(|b| (b.id.as_str(), b.change)).collect();
    assert_eq!(
        shape,
        vec![("a", BlockChange::Removed), ("b", BlockChange::Added)]
    );
    // Middle to last: b changed by one inserted word.
    let d = store.diff(id, revs[1], revs[2]).unwrap();
    let b = d.blocks.iter().find(|b| b.id == "b").unwrap();
    assert_eq!(b.change, BlockChange::Changed);
    let inserted: Vec<&str> = b
        .runs
        .iter()
        .filter(|r| r.op == RunOp::Insert)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(inserted, vec!["তীব্র "]);
    // Backwards works too, and the headline diff is word by word.
    let d = store.diff(id, revs[1], revs[0]).unwrap();
    let deleted: Vec<&str> = d
        .headline
        .iter()
        .filter(|r| r.op == RunOp::Delete)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(deleted, vec!["ভারী "]);
    assert!(store.diff(id, revs[2], revs[2]).unwrap().is_empty());

    // Unsaved typing against the head.
    store
        .save_working_copy(
            id,
            meta("ঢাকায় ভারী বৃষ্টি"),
            Document::from_paragraphs([("b", "জলাবদ্ধতা কমেছে।")]),
        )
        .unwrap();
    let d = store.diff_to_working_copy(id, revs[2]).unwrap();
    assert_eq!(d.blocks[0].change, BlockChange::Changed);
}

#[test]
fn a_revision_of_another_article_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let a = store.create_article("national", "rahim").unwrap();
    let b = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(a, meta("ক"), Document::from_paragraphs([("x", "এক")]))
        .unwrap();
    let rev = store.save_point(a, "rahim").unwrap().unwrap();
    let err = store.diff(b, rev, rev).unwrap_err();
    assert!(
        matches!(err, StoreError::RevisionOfOtherArticle { .. }),
        "{err}"
    );
    let missing = barta_model::RevisionId::new();
    let err = store.diff(a, rev, missing).unwrap_err();
    assert!(
        matches!(err, StoreError::RevisionNotFound(r) if r == missing),
        "{err}"
    );
    let err = store.history(barta_model::ArticleId::new()).unwrap_err();
    assert!(matches!(err, StoreError::ArticleNotFound(_)), "{err}");
}

#[test]
fn comments_stay_anchored_to_their_block() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    store
        .save_working_copy(
            id,
            meta("শিরোনাম"),
            Document::from_paragraphs([("p1", "এক"), ("p2", "দুই")]),
        )
        .unwrap();
    let c1 = store
        .add_comment(id, "p1", "editor", "সূত্র যাচাই করুন")
        .unwrap();
    let c2 = store
        .add_comment(id, "p2", "editor", " কো\u{200B}রিয়া ")
        .unwrap();
    assert_eq!(c2.body, "কোরিয়া", "normalized and trimmed");
    let err = store.add_comment(id, "p9", "editor", "কোথায়?").unwrap_err();
    assert!(matches!(err, StoreError::BlockNotFound { .. }), "{err}");
    let err = store.add_comment(id, "p1", "editor", "  ").unwrap_err();
    assert!(matches!(err, StoreError::EmptyComment), "{err}");

    // Block p1 is deleted: its comment stays, detached.
    store
        .save_working_copy(
            id,
            meta("শিরোনাম"),
            Document::from_paragraphs([("p2", "দুই")]),
        )
        .unwrap();
    store.resolve_comment(&c2.id).unwrap();
    let comments = store.comments(id).unwrap();
    let view: Vec<(&str, bool, bool)> = comments
        .iter()
        .map(|c| (c.block_id.as_str(), c.detached, c.resolved_at.is_some()))
        .collect();
    assert_eq!(view, vec![("p1", true, false), ("p2", false, true)]);
    assert_eq!(store.comment_article(&c1.id).unwrap(), id);
    assert!(matches!(
        store.resolve_comment("nope"),
        Err(StoreError::CommentNotFound(_))
    ));
}
