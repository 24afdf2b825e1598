//! The pure planner: local state → the ordered list of operations of one sync round.
//! Table-tested; no I/O. The order of a round:
//!
//! 1. The outbox rows in order. A row waits while an earlier row of the same article is
//!    blocked; a transition naming a revision whose push is queued after it (a merge revision
//!    recorded later) waits for that push; consecutive revision pushes go as one batch.
//! 2. The comments the server lacks. A comment on an article the server does not have yet
//!    goes only after that article's first push in this plan; without one it waits.
//! 3. The changes feed.
//! 4. The comments of the articles the caller watches (open on screen), when the server can
//!    have them (the same rule as 2).
//! 5. The photos the server lacks, last: a photo is large, and a slow or cut upload must not
//!    keep the text of the steps before from arriving.

use barta_model::ArticleId;
use barta_model::RevisionId;
use barta_store::{Comment, OutboxItem, OutboxKind, PendingUpload};
use std::collections::{HashMap, HashSet};

/// One operation to perform against the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    /// Push the revision of this outbox row on its own.
    PushRevision(OutboxItem),
    /// Push the revisions of these consecutive outbox rows in one `POST /v1/revisions/batch`.
    PushBatch(Vec<OutboxItem>),
    /// Send the workflow transition of this outbox row.
    Transition(OutboxItem),
    /// Send a comment (new, or newly resolved) the server does not have.
    PushComment(Comment),
    /// Pull the changes feed.
    PullChanges,
    /// Take the server's comments of a watched article.
    PullComments(ArticleId),
    /// Upload a photo stored here that the server does not have, resuming where it stopped.
    UploadPhoto(PendingUpload),
}

/// What a round is planned from: the local state, and what the round learnt so far.
#[derive(Clone, Copy, Debug)]
pub struct PlanInput<'a> {
    /// The pending outbox rows, oldest first.
    pub outbox: &'a [OutboxItem],
    /// Articles whose rows wait for a later round (a conflict past the merge limit, a refusal).
    pub blocked: &'a HashSet<ArticleId>,
    /// Articles whose revisions go one at a time (a batch did not get one of theirs accepted).
    pub one_by_one: &'a HashSet<ArticleId>,
    /// Consecutive revision pushes go as one batch of at most this many (1: never batched).
    pub batch_max: usize,
    /// The comments the server does not have yet, oldest first (parents before replies).
    pub comments: &'a [Comment],
    /// Articles the server has not acknowledged a revision of yet.
    pub not_on_server: &'a HashSet<ArticleId>,
    /// The articles open on screen: their comments are pulled.
    pub watched: &'a [ArticleId],
    /// Photos stored here that the server does not have yet.
    pub photos: &'a [PendingUpload],
}

/// Plans one sync round (see the module's documentation for the order).
pub fn plan(input: &PlanInput<'_>) -> Vec<Operation> {
    let mut operations = batched(
        outbox_in_order(input.outbox, input.blocked),
        input.one_by_one,
        input.batch_max,
    );
    let first_pushes: HashSet<ArticleId> = operations
        .iter()
        .flat_map(|operation| match operation {
            Operation::PushRevision(item) => std::slice::from_ref(item),
            Operation::PushBatch(items) => items.as_slice(),
            _ => &[],
        })
        .map(|item| item.article_id)
        .filter(|article| input.not_on_server.contains(article))
        .collect();
    let server_has = |article: &ArticleId| {
        !input.not_on_server.contains(article) || first_pushes.contains(article)
    };
    operations.extend(
        input
            .comments
            .iter()
            .filter(|comment| server_has(&comment.article_id))
            .cloned()
            .map(Operation::PushComment),
    );
    operations.push(Operation::PullChanges);
    let mut watched = HashSet::new();
    operations.extend(
        input
            .watched
            .iter()
            .filter(|article| watched.insert(**article) && server_has(article))
            .map(|article| Operation::PullComments(*article)),
    );
    operations.extend(input.photos.iter().cloned().map(Operation::UploadPhoto));
    operations
}

/// Every pending row in order, skipping articles that have a `blocked` row; a transition
/// waits for a later push of its revision.
fn outbox_in_order(pending: &[OutboxItem], blocked: &HashSet<ArticleId>) -> Vec<Operation> {
    let live: Vec<&OutboxItem> = pending
        .iter()
        .filter(|item| !blocked.contains(&item.article_id))
        .collect();
    // Transitions waiting for a later push of their revision, by that revision.
    let mut waiting: HashMap<RevisionId, Vec<&OutboxItem>> = HashMap::new();
    let mut ops = Vec::new();
    for (i, item) in live.iter().enumerate() {
        match item.kind {
            OutboxKind::Transition => {
                let pushed_later = live[i + 1..].iter().any(|later| {
                    later.kind == OutboxKind::Revision && later.revision_id == item.revision_id
                });
                if pushed_later {
                    waiting.entry(item.revision_id).or_default().push(item);
                } else {
                    ops.push(Operation::Transition((*item).clone()));
                }
            }
            OutboxKind::Revision => {
                ops.push(Operation::PushRevision((*item).clone()));
                for t in waiting.remove(&item.revision_id).into_iter().flatten() {
                    ops.push(Operation::Transition(t.clone()));
                }
            }
        }
    }
    ops
}

/// Joins runs of consecutive revision pushes (of articles not pushed one by one) into batches
/// of at most `batch_max`; a run of one stays a single push.
fn batched(
    operations: Vec<Operation>,
    one_by_one: &HashSet<ArticleId>,
    batch_max: usize,
) -> Vec<Operation> {
    fn close_run(run: &mut Vec<OutboxItem>, out: &mut Vec<Operation>) {
        match run.len() {
            0 => {}
            1 => out.extend(run.drain(..).map(Operation::PushRevision)),
            _ => out.push(Operation::PushBatch(std::mem::take(run))),
        }
    }
    let mut out = Vec::with_capacity(operations.len());
    let mut run = Vec::new();
    for operation in operations {
        match operation {
            Operation::PushRevision(item)
                if batch_max > 1 && !one_by_one.contains(&item.article_id) =>
            {
                run.push(item);
                if run.len() == batch_max {
                    close_run(&mut run, &mut out);
                }
            }
            other => {
                close_run(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    close_run(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use barta_model::Action;

    fn row(id: i64, article: ArticleId, kind: OutboxKind) -> OutboxItem {
        OutboxItem {
            id,
            article_id: article,
            kind,
            revision_id: RevisionId::new(),
            action: (kind == OutboxKind::Transition).then_some(Action::Submit),
            note: None,
            attempts: 0,
        }
    }

    fn comment(id: &str, article: ArticleId) -> Comment {
        Comment {
            id: id.into(),
            article_id: article,
            parent_id: None,
            block_id: "b1".into(),
            start: 0,
            end: 0,
            quote: String::new(),
            author: "nasrin".into(),
            body: "সূত্র কে?".into(),
            created_at: "2025-08-01T10:00:00.000Z".into(),
            resolved_at: None,
            resolved_by: None,
            detached: false,
            synced: false,
        }
    }

    fn photo(sha: char) -> PendingUpload {
        PendingUpload {
            sha256: sha.to_string().repeat(64),
            content_type: "image/jpeg",
            path: format!("/media/{sha}.jpg").into(),
        }
    }

    /// The local state of a table row; `plan()` plans it.
    #[derive(Default)]
    struct Local {
        outbox: Vec<OutboxItem>,
        blocked: HashSet<ArticleId>,
        one_by_one: HashSet<ArticleId>,
        batch_max: usize,
        comments: Vec<Comment>,
        not_on_server: HashSet<ArticleId>,
        watched: Vec<ArticleId>,
        photos: Vec<PendingUpload>,
    }

    impl Local {
        fn outbox(outbox: Vec<OutboxItem>) -> Self {
            Self {
                outbox,
                ..Self::default()
            }
        }

        fn plan(&self) -> Vec<Operation> {
            plan(&PlanInput {
                outbox: &self.outbox,
                blocked: &self.blocked,
                one_by_one: &self.one_by_one,
                batch_max: self.batch_max.max(1),
                comments: &self.comments,
                not_on_server: &self.not_on_server,
                watched: &self.watched,
                photos: &self.photos,
            })
        }
    }

    #[test]
    fn rows_go_in_outbox_order_then_the_pull() {
        let a = ArticleId::new();
        let b = ArticleId::new();
        let rows = vec![
            row(1, a, OutboxKind::Revision),
            row(2, b, OutboxKind::Revision),
            row(3, a, OutboxKind::Transition),
        ];
        assert_eq!(
            Local::outbox(rows.clone()).plan(),
            vec![
                Operation::PushRevision(rows[0].clone()),
                Operation::PushRevision(rows[1].clone()),
                Operation::Transition(rows[2].clone()),
                Operation::PullChanges,
            ]
        );
    }

    #[test]
    fn a_blocked_article_waits_and_the_others_go() {
        let a = ArticleId::new();
        let b = ArticleId::new();
        let rows = vec![
            row(1, a, OutboxKind::Revision),
            row(2, b, OutboxKind::Revision),
        ];
        let local = Local {
            blocked: HashSet::from([a]),
            ..Local::outbox(rows.clone())
        };
        assert_eq!(
            local.plan(),
            vec![
                Operation::PushRevision(rows[1].clone()),
                Operation::PullChanges
            ]
        );
    }

    #[test]
    fn a_transition_waits_for_the_push_of_its_revision() {
        let a = ArticleId::new();
        let mut submit = row(5, a, OutboxKind::Transition);
        let mut merge = row(7, a, OutboxKind::Revision);
        merge.revision_id = submit.revision_id;
        let other = row(6, a, OutboxKind::Revision);
        submit.note = Some("after the merge".into());
        let rows = vec![submit.clone(), other.clone(), merge.clone()];
        assert_eq!(
            Local::outbox(rows).plan(),
            vec![
                Operation::PushRevision(other),
                Operation::PushRevision(merge),
                Operation::Transition(submit),
                Operation::PullChanges
            ]
        );
    }

    #[test]
    fn nothing_pending_still_pulls() {
        assert_eq!(Local::default().plan(), vec![Operation::PullChanges]);
    }

    #[test]
    fn consecutive_pushes_go_as_batches_of_at_most_batch_max() {
        let (a, b, c) = (ArticleId::new(), ArticleId::new(), ArticleId::new());
        let rows = vec![
            row(1, a, OutboxKind::Revision),
            row(2, b, OutboxKind::Revision),
            row(3, c, OutboxKind::Revision),
            row(4, a, OutboxKind::Transition),
            row(5, b, OutboxKind::Revision),
        ];
        let r = |i: usize| rows[i].clone();
        let local = Local {
            batch_max: 2,
            ..Local::outbox(rows.clone())
        };
        assert_eq!(
            local.plan(),
            vec![
                Operation::PushBatch(vec![r(0), r(1)]),
                Operation::PushRevision(r(2)),
                Operation::Transition(r(3)),
                Operation::PushRevision(r(4)),
                Operation::PullChanges,
            ],
            "a transition ends a run; a run of one is a single push"
        );
        let one_by_one = Local {
            batch_max: 50,
            one_by_one: HashSet::from([b]),
            ..Local::outbox(rows.clone())
        };
        assert_eq!(
            one_by_one.plan(),
            vec![
                Operation::PushRevision(r(0)),
                Operation::PushRevision(r(1)),
                Operation::PushRevision(r(2)),
                Operation::Transition(r(3)),
                Operation::PushRevision(r(4)),
                Operation::PullChanges,
            ],
            "an article pushed one by one splits the run around it"
        );
    }

    #[test]
    fn a_comment_on_an_article_the_server_lacks_waits_for_its_first_push() {
        let on_server = ArticleId::new();
        let first_push_queued = ArticleId::new();
        let never_saved = ArticleId::new();
        let first_push_blocked = ArticleId::new();
        let rows = vec![
            row(1, first_push_queued, OutboxKind::Revision),
            row(2, first_push_blocked, OutboxKind::Revision),
        ];
        let comments = vec![
            comment("c1", never_saved),
            comment("c2", on_server),
            comment("c3", first_push_queued),
            comment("c4", first_push_blocked),
        ];
        let local = Local {
            comments: comments.clone(),
            blocked: HashSet::from([first_push_blocked]),
            not_on_server: HashSet::from([first_push_queued, never_saved, first_push_blocked]),
            ..Local::outbox(rows.clone())
        };
        assert_eq!(
            local.plan(),
            vec![
                Operation::PushRevision(rows[0].clone()),
                Operation::PushComment(comments[1].clone()),
                Operation::PushComment(comments[2].clone()),
                Operation::PullChanges,
            ]
        );
    }

    #[test]
    fn watched_comments_are_pulled_after_the_feed_and_photos_go_last() {
        let (a, b, new) = (ArticleId::new(), ArticleId::new(), ArticleId::new());
        let rows = vec![row(1, b, OutboxKind::Revision)];
        let local = Local {
            watched: vec![a, new, a, b],
            not_on_server: HashSet::from([new]),
            photos: vec![photo('a'), photo('b')],
            comments: vec![comment("c1", a)],
            ..Local::outbox(rows.clone())
        };
        assert_eq!(
            local.plan(),
            vec![
                Operation::PushRevision(rows[0].clone()),
                Operation::PushComment(comment("c1", a)),
                Operation::PullChanges,
                Operation::PullComments(a),
                Operation::PullComments(b),
                Operation::UploadPhoto(photo('a')),
                Operation::UploadPhoto(photo('b')),
            ],
            "each watched article once; one the server lacks is not asked for"
        );
    }
}
