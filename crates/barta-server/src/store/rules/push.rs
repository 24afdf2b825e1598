//! A pushed revision (sync.md's push semantics): stored once, accepted when its parent is
//! the head, stored as a conflict otherwise; a replay gets the first answer again.

use super::{ArticleRow, NewChange, NewRevisionRow, Tx, deny, now, referenced_media};
use crate::failpoint::Failpoint;
use crate::policy;
use crate::store::{NewRevision, PushOutcome, StoreError};
use barta_model::WorkflowState;
use barta_model::api::{ChangeKind, PushAccepted, PushConflict, UserInfo};

/// Stores one pushed revision inside the caller's transaction.
pub fn push(
    tx: &mut impl Tx,
    actor: &UserInfo,
    rev: &NewRevision,
    failpoint: Option<Failpoint>,
) -> Result<PushOutcome, StoreError> {
    let push = &rev.push;
    let desk = push.meta.desk.as_str();
    let parents: Vec<_> = [push.parent, push.merge_parent]
        .into_iter()
        .flatten()
        .collect();
    let facts = tx.push_facts(push.id, rev.article_id, desk, &parents)?;
    if let Some(stored) = facts.stored {
        if stored.article_id != rev.article_id || stored.sha256 != push.sha256 {
            return Err(StoreError::IdempotencyMismatch(push.id));
        }
        let article = facts
            .article
            .ok_or_else(|| StoreError::NotFound(format!("article {}", stored.article_id)))?;
        if let Err(denial) = policy::may_write(actor, article.facts()) {
            return Err(deny(tx, actor, Some(article.id), "push", denial));
        }
        return decode_outcome(stored.status, &stored.body);
    }

    if !facts.desk_exists {
        return Err(StoreError::Invalid(format!("unknown desk {desk:?}")));
    }

    let (article, accepted) = match facts.article {
        None => {
            if !parents.is_empty() {
                return Err(StoreError::Invalid(format!(
                    "article {} is not stored yet: its first revision must have no parent",
                    rev.article_id
                )));
            }
            if let Err(denial) = policy::may_file_to(actor, desk) {
                return Err(deny(tx, actor, Some(rev.article_id), "push", denial));
            }
            let article = ArticleRow {
                id: rev.article_id,
                desk: desk.to_string(),
                state: WorkflowState::Draft,
                author_id: actor.id,
                author: actor.username.clone(),
                head: push.id,
                created_at: now(),
            };
            (article, true)
        }
        Some(article) => {
            if let Err(denial) = policy::may_write(actor, article.facts()) {
                return Err(deny(tx, actor, Some(article.id), "push", denial));
            }
            for (parent, stored) in parents.iter().zip(&facts.parents_stored) {
                if !stored {
                    return Err(StoreError::Invalid(format!(
                        "parent {parent} is not a stored revision of article {}",
                        article.id
                    )));
                }
            }
            let accepted = push.parent == Some(article.head);
            if accepted
                && desk != article.desk
                && let Err(denial) = policy::may_file_to(actor, desk)
            {
                return Err(deny(tx, actor, Some(article.id), "push", denial));
            }
            (article, accepted)
        }
    };

    let is_new = article.head == push.id;
    let at = now();
    if accepted && is_new {
        tx.insert_article(&article)?;
    } else if accepted {
        tx.move_head(article.id, push.id, desk)?;
    }
    if accepted {
        tx.archive_stale(article.id, push.id)?;
    }
    let head_revision = if accepted {
        None
    } else {
        let head = tx
            .revision(article.head)?
            .ok_or_else(|| StoreError::NotFound(format!("revision {}", article.head)))?;
        Some(head)
    };
    tx.link_article_media(article.id, &referenced_media(&push.body))?;
    // The feed entry, then the revision's row that carries its number (on PostgreSQL the
    // number comes after commit: `store/postgres/sequencer.rs`).
    let seq = tx.append_change(&NewChange {
        kind: ChangeKind::Revision,
        article: article.id,
        author: &article.author,
        revision: Some(push.id),
        desk: if accepted { desk } else { &article.desk },
        state: article.state,
        head: if accepted { push.id } else { article.head },
        note: None,
        at: &at,
    })?;
    let (status, response) = match head_revision {
        None => (
            201,
            PushOutcome::Accepted(PushAccepted { head: push.id, seq }),
        ),
        Some(head_revision) => {
            let answer = PushConflict {
                head: article.head,
                head_revision,
                stored: true,
            };
            (409, PushOutcome::Conflict(Box::new(answer)))
        }
    };
    let response_body = match &response {
        PushOutcome::Accepted(a) => serde_json::to_string(a)?,
        PushOutcome::Conflict(c) => serde_json::to_string(c)?,
    };
    tx.insert_revision(&NewRevisionRow {
        id: push.id,
        article: article.id,
        parent: push.parent,
        merge_parent: push.merge_parent,
        author_id: actor.id,
        author: &actor.username,
        meta_json: &rev.meta_json,
        body_json: &rev.body_json,
        sha256: &push.sha256,
        created_at: &push.created_at,
        received_at: &at,
        seq,
        response_status: status,
        response_body: &response_body,
    })?;
    if failpoint == Some(Failpoint::RevisionCommitAbort) {
        // Test only: every row of the push is written, COMMIT has not run.
        Failpoint::RevisionCommitAbort.crash(&format!(
            "revision {} of article {} inserted, not committed",
            push.id, article.id
        ));
    }
    Ok(response)
}

/// The stored answer of a push, decoded for a replay.
fn decode_outcome(status: i64, body: &str) -> Result<PushOutcome, StoreError> {
    Ok(if status == 201 {
        PushOutcome::Accepted(serde_json::from_str(body)?)
    } else {
        PushOutcome::Conflict(Box::new(serde_json::from_str(body)?))
    })
}
