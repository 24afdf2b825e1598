//! The pure planner: local outbox → the ordered list of operations to send. Table-tested; no
//! I/O. Order within an article is the outbox order; a row waits while an earlier row of the
//! same article is blocked. A transition naming a revision whose push is queued after it (a
//! merge revision recorded later) waits for that push.

use barta_model::{ArticleId, RevisionId};
use barta_store::{OutboxItem, OutboxKind};
use std::collections::{HashMap, HashSet};

/// One operation to perform against the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    /// Push the revision of this outbox row.
    PushRevision(OutboxItem),
    /// Send the workflow transition of this outbox row.
    Transition(OutboxItem),
    /// Pull the changes feed after the outbox is drained.
    PullChanges,
}

/// Plans one sync round: every pending row in order, skipping articles that have a `blocked`
/// row (a conflict waiting for a merge), then a pull of the changes feed.
pub fn plan(pending: &[OutboxItem], blocked: &HashSet<ArticleId>) -> Vec<Operation> {
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
    ops.push(Operation::PullChanges);
    ops
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

    #[test]
    fn rows_go_in_outbox_order_then_the_pull() {
        let a = ArticleId::new();
        let b = ArticleId::new();
        let rows = vec![
            row(1, a, OutboxKind::Revision),
            row(2, b, OutboxKind::Revision),
            row(3, a, OutboxKind::Transition),
        ];
        let ops = plan(&rows, &HashSet::new());
        assert_eq!(
            ops,
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
        let ops = plan(&rows, &HashSet::from([a]));
        assert_eq!(
            ops,
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
            plan(&rows, &HashSet::new()),
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
        assert_eq!(plan(&[], &HashSet::new()), vec![Operation::PullChanges]);
    }
}
