//! The desk editor's side of the store on real SQLite: queues with counts, sorting and
//! filters fed by the server's changes; the revisions last submitted and approved; a return
//! with a note queued offline; comments anchored to passages, threaded, synced, and kept when
//! their block is deleted.

use barta_model::api::{
    Change, ChangeKind, ChangesPage, CommentAnchor, CommentRecord, RevisionRecord,
};
use barta_model::workflow::Action;
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, Urgency, WorkflowState};
use barta_store::{DeskQueue, NewComment, OutboxKind, QueueQuery, QueueSort, Store};

fn server_article(
    store: &mut Store,
    seq: &mut i64,
    author: &str,
    urgency: Option<u8>,
    words: usize,
    state: WorkflowState,
) -> (ArticleId, RevisionId) {
    let article = ArticleId::new();
    let meta = ArticleMeta {
        headline: format!("খবর {seq}"),
        desk: "national".into(),
        urgency: urgency.map(Urgency),
        ..Default::default()
    };
    let text = vec!["শব্দ"; words].join(" ");
    let body = Document::from_paragraphs([("b1", text.as_str())]);
    *seq += 1;
    let rev = RevisionRecord {
        id: RevisionId::new(),
        article_id: article,
        parent: None,
        merge_parent: None,
        author: author.into(),
        sha256: barta_model::RevisionPush::hash_of(&meta, &body),
        meta,
        body,
        created_at: "2025-08-01T10:00:00Z".into(),
        seq: *seq,
    };
    let head = rev.id;
    let mut changes = vec![Change {
        seq: *seq,
        kind: ChangeKind::Revision,
        article_id: article,
        desk: "national".into(),
        state: WorkflowState::Draft,
        author: author.into(),
        head,
        revision: Some(rev),
        note: None,
        at: "2025-08-01T10:00:00Z".into(),
    }];
    if state != WorkflowState::Draft {
        *seq += 1;
        changes.push(Change {
            seq: *seq,
            kind: ChangeKind::State,
            article_id: article,
            desk: "national".into(),
            state,
            author: author.into(),
            head,
            revision: None,
            note: None,
            at: "2025-08-01T10:05:00Z".into(),
        });
    }
    store
        .apply_changes(&ChangesPage {
            changes,
            next: *seq,
        })
        .unwrap();
    (article, head)
}

fn query(queue: DeskQueue, sort: QueueSort) -> QueueQuery {
    QueueQuery {
        queue,
        desks: vec!["national".into()],
        sort,
        author: None,
        max_urgency: None,
        limit: None,
    }
}

#[test]
fn queues_count_sort_and_filter_what_the_feed_brings() {
    let mut store = Store::open_in_memory().unwrap();
    let mut seq = 0;
    let (flash, _) = server_article(
        &mut store,
        &mut seq,
        "rahim",
        Some(1),
        120,
        WorkflowState::Submitted,
    );
    let (long, _) = server_article(
        &mut store,
        &mut seq,
        "karim",
        Some(4),
        900,
        WorkflowState::Submitted,
    );
    let (plain, _) = server_article(
        &mut store,
        &mut seq,
        "rahim",
        None,
        300,
        WorkflowState::Submitted,
    );
    let (approved, head) = server_article(
        &mut store,
        &mut seq,
        "karim",
        Some(3),
        50,
        WorkflowState::Approved,
    );
    server_article(
        &mut store,
        &mut seq,
        "rahim",
        None,
        10,
        WorkflowState::Draft,
    );

    let counts = store.queue_counts(&["national".into()]).unwrap();
    let count = |q| counts.iter().find(|c| c.queue == q).unwrap().count;
    assert_eq!(count(DeskQueue::Incoming), 3);
    assert_eq!(count(DeskQueue::Approved), 1);
    assert_eq!(count(DeskQueue::InProgress), 0);
    assert_eq!(count(DeskQueue::Published), 0);

    let ids = |q: &QueueQuery| -> Vec<ArticleId> {
        store.desk_queue(q).unwrap().iter().map(|a| a.id).collect()
    };
    assert_eq!(
        ids(&query(DeskQueue::Incoming, QueueSort::Urgency)),
        vec![flash, long, plain]
    );
    assert_eq!(
        ids(&query(DeskQueue::Incoming, QueueSort::Words)),
        vec![long, plain, flash]
    );
    assert_eq!(
        ids(&query(DeskQueue::Incoming, QueueSort::Oldest))[0],
        flash
    );
    let mut by_rahim = query(DeskQueue::Incoming, QueueSort::Newest);
    by_rahim.author = Some("rahim".into());
    assert_eq!(ids(&by_rahim).len(), 2);
    let mut urgent = query(DeskQueue::Incoming, QueueSort::Newest);
    urgent.max_urgency = Some(2);
    assert_eq!(ids(&urgent), vec![flash]);
    let mut other_desk = query(DeskQueue::Incoming, QueueSort::Newest);
    other_desk.desks = vec!["sports".into()];
    assert!(ids(&other_desk).is_empty());

    let row = &store
        .desk_queue(&query(DeskQueue::Incoming, QueueSort::Words))
        .unwrap()[0];
    assert_eq!(row.words, 900 + 2, "body words plus the headline's");
    assert_eq!(row.urgency, Some(4));
    assert_eq!(row.author, "karim");

    assert_eq!(row.conflicts, 0);

    // The feed's submission and approval are remembered for the review screens.
    let draft = store.load_article(approved).unwrap();
    assert_eq!(draft.approved_rev, Some(head));
    assert_eq!(draft.submitted_rev, None);
    let draft = store.load_article(flash).unwrap();
    assert_eq!(draft.submitted_rev, draft.head);
}

#[test]
fn a_return_with_a_note_is_queued_offline_and_shown() {
    let mut store = Store::open_in_memory().unwrap();
    let mut seq = 0;
    let (id, _) = server_article(
        &mut store,
        &mut seq,
        "rahim",
        None,
        20,
        WorkflowState::Submitted,
    );
    store
        .queue_transition(id, "nasrin", Action::Return, Some("  সূত্রের নাম দিন  "))
        .unwrap();
    let draft = store.load_article(id).unwrap();
    assert_eq!(draft.summary.state, WorkflowState::Returned);
    assert_eq!(draft.summary.note.as_deref(), Some("সূত্রের নাম দিন"));
    let outbox = store.pending_outbox().unwrap();
    let item = outbox
        .iter()
        .find(|o| o.kind == OutboxKind::Transition)
        .unwrap();
    assert_eq!(item.action, Some(Action::Return));
    assert_eq!(item.note.as_deref(), Some("সূত্রের নাম দিন"));
    // Approval and publication are online calls on an exact version, never queued.
    for action in [Action::Approve, Action::Schedule, Action::Publish] {
        assert!(store.queue_transition(id, "nasrin", action, None).is_err());
    }
    assert_eq!(store.pending_outbox().unwrap().len(), outbox.len());
}

#[test]
fn comments_are_anchored_threaded_synced_and_survive_their_block() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let meta = ArticleMeta {
        headline: "বন্যা".into(),
        desk: "national".into(),
        ..Default::default()
    };
    store
        .save_working_copy(
            id,
            meta.clone(),
            Document::from_paragraphs([("b1", "সিলেটে বন্যায় ৫ জন মারা গেছেন।"), ("b2", "পানি কমছে।")]),
        )
        .unwrap();
    let anchor = CommentAnchor {
        block_id: "b1".into(),
        start: 6,
        end: 12,
        quote: "বন্যায়".into(),
    };
    let question = store
        .add_anchored_comment(NewComment {
            article: id,
            anchor: anchor.clone(),
            parent_id: None,
            author: "nasrin",
            body: "সংখ্যাটি কি নিশ্চিত?",
        })
        .unwrap();
    let reply = store
        .add_anchored_comment(NewComment {
            article: id,
            anchor: anchor.clone(),
            parent_id: Some(question.id.clone()),
            author: "rahim",
            body: "হ্যাঁ",
        })
        .unwrap();
    // A reply to a comment that does not exist is refused.
    assert!(
        store
            .add_anchored_comment(NewComment {
                article: id,
                anchor: anchor.clone(),
                parent_id: Some("nope".into()),
                author: "rahim",
                body: "কী?",
            })
            .is_err()
    );
    let unsynced = store.unsynced_comments().unwrap();
    assert_eq!(unsynced.len(), 2);
    assert_eq!(unsynced[0].id, question.id, "parents go first");
    assert_eq!(unsynced[0].to_put().anchor, anchor);

    // The server takes them; a comment from someone else arrives too.
    let record = |c: &barta_store::Comment| CommentRecord {
        id: c.id.clone(),
        article_id: id,
        parent_id: c.parent_id.clone(),
        anchor: c.anchor(),
        author: c.author.clone(),
        body: c.body.clone(),
        created_at: c.created_at.clone(),
        resolved_at: None,
        resolved_by: None,
    };
    store.mark_comment_synced(&record(&question)).unwrap();
    store.mark_comment_synced(&record(&reply)).unwrap();
    let mut theirs = record(&question);
    theirs.id = uuid::Uuid::now_v7().to_string();
    theirs.parent_id = None;
    theirs.author = "farida".into();
    theirs.body = "শিরোনাম বদলান".into();
    theirs.anchor.block_id = "b2".into();
    store.merge_server_comments(id, &[theirs.clone()]).unwrap();
    assert!(store.unsynced_comments().unwrap().is_empty());

    // Resolving makes it unsynced again until the server has the resolution.
    store
        .resolve_comment_by(&question.id, Some("nasrin"))
        .unwrap();
    let unsynced = store.unsynced_comments().unwrap();
    assert_eq!(unsynced.len(), 1);
    assert!(unsynced[0].to_put().resolved);
    // An old server copy without the resolution does not undo it.
    store
        .merge_server_comments(id, &[record(&question)])
        .unwrap();
    let all = store.comments(id).unwrap();
    assert!(
        all.iter()
            .find(|c| c.id == question.id)
            .unwrap()
            .resolved_at
            .is_some()
    );
    assert_eq!(store.unsynced_comments().unwrap().len(), 1);

    // Deleting block b2 keeps its comment, shown as detached.
    store
        .save_working_copy(
            id,
            meta,
            Document::from_paragraphs([("b1", "সিলেটে বন্যায় ৫ জন মারা গেছেন।")]),
        )
        .unwrap();
    let all = store.comments(id).unwrap();
    assert_eq!(all.len(), 3);
    let orphan = all.iter().find(|c| c.id == theirs.id).unwrap();
    assert!(orphan.detached);
    assert!(!all.iter().find(|c| c.id == question.id).unwrap().detached);
}
