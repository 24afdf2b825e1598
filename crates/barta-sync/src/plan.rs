//! The pure planner: local outbox → the ordered list of operations to send. Table-tested; no
//! I/O. Order within an article is the outbox order; a row waits while an earlier row of the
//! same article is blocked.

use barta_model::ArticleId;
use barta_store::{OutboxItem, OutboxKind};
use std::collections::HashSet;

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
    let mut ops: Vec<Operation> = pending
        .iter()
        .filter(|item| !blocked.contains(&item.article_id))
        .map(|item| match item.kind {
            OutboxKind::Revision => Operation::PushRevision(item.clone()),
            OutboxKind::Transition => Operation::Transition(item.clone()),
        })
        .collect();
    ops.push(Operation::PullChanges);
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use barta_model::{Action, RevisionId};

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
    fn nothing_pending_still_pulls() {
        assert_eq!(plan(&[], &HashSet::new()), vec![Operation::PullChanges]);
    }
}
