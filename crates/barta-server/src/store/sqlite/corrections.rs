//! Corrections on the SQLite store: an editor approves the exact version of a published article
//! they corrected, and it is published at once in place of the published one, with a note for
//! readers. The old publication stays stored (publications are immutable); its link shows the
//! correction and the feed lists only the newest.

use super::{
    change_state, deny, has_conflict_block, load_article, load_revision, now, refuse, timestamp,
};
use crate::policy;
use crate::store::StoreError;
use barta_model::api::{CorrectRequest, PublishResponse, UserInfo};
use barta_model::workflow::{Action, TransitionError, WorkflowState, transition};
use barta_model::{ArticleId, RevisionId};
use rusqlite::{Connection, OptionalExtension, params};

/// The longest correction note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// See the module docs.
pub fn correct(
    tx: &Connection,
    actor: &UserInfo,
    id: ArticleId,
    if_match: RevisionId,
    req: CorrectRequest,
) -> Result<PublishResponse, StoreError> {
    const ACTION: &str = "correct";
    let article =
        load_article(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("article {id}")))?;
    let checked = transition(article.state, Action::Correct, actor.role);
    if let Err(e @ TransitionError::RoleNotAllowed { .. }) = checked {
        return Err(deny(tx, actor, Some(id), ACTION, e));
    }
    if let Err(denial) = policy::may_write(actor, article.facts()) {
        return Err(deny(tx, actor, Some(id), ACTION, denial));
    }
    // A retry of a correction that went through gets the same answer.
    let latest: Option<(String, String)> = super::query_cached(
        tx,
        "SELECT id, revision_id FROM publications WHERE article_id = ?1
             ORDER BY seq DESC LIMIT 1",
        [id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?;
    if article.state == WorkflowState::Corrected
        && let Some((publication_id, rev)) = &latest
        && *rev == req.rev_id.to_string()
        && article.head == req.rev_id
    {
        return Ok(PublishResponse {
            publication_id: publication_id.clone(),
        });
    }
    let to =
        checked.map_err(|e| refuse(tx, actor, id, ACTION, StoreError::Conflict(e.to_string())))?;
    if req.rev_id != article.head || if_match != article.head {
        let error = StoreError::Conflict(format!(
            "the head moved: it is {} now; review it before correcting",
            article.head
        ));
        return Err(refuse(tx, actor, id, ACTION, error));
    }
    let revision = load_revision(tx, article.head)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {}", article.head)))?;
    if revision.sha256 != req.sha256 {
        let error = StoreError::HashMismatch(format!(
            "sha256 {} is not the stored hash of revision {}",
            req.sha256, revision.id
        ));
        return Err(refuse(tx, actor, id, ACTION, error));
    }
    if has_conflict_block(&revision.body) {
        return Err(refuse(
            tx,
            actor,
            id,
            ACTION,
            StoreError::UnresolvedConflict(revision.id),
        ));
    }
    super::media::require_uploaded(tx, &revision.body)
        .map_err(|e| refuse(tx, actor, id, ACTION, e))?;
    let note = bangla::normalize(req.note.trim());
    if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Invalid(format!(
            "a correction needs a note for readers (at most {MAX_NOTE_CHARS} characters)"
        )));
    }
    let approval_id = uuid::Uuid::now_v7().to_string();
    let at = now();
    super::exec(
        tx,
        "INSERT INTO approvals (id, article_id, revision_id, sha256, editor_id, editor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            approval_id,
            id.to_string(),
            revision.id.to_string(),
            revision.sha256,
            actor.id.to_string(),
            actor.username,
            at
        ],
    )?;
    let (meta, body): (String, String) = super::query_cached(
        tx,
        "SELECT meta, body FROM revisions WHERE id = ?1",
        [revision.id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let publication_id = uuid::Uuid::now_v7().to_string();
    super::exec(
        tx,
        "INSERT INTO publications (id, article_id, revision_id, approval_id, sha256, meta, body,
             published_at, created_at, created_by, correction, replaces)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            publication_id,
            id.to_string(),
            revision.id.to_string(),
            approval_id,
            revision.sha256,
            meta,
            body,
            timestamp(chrono::Utc::now()),
            at,
            actor.id.to_string(),
            note,
            latest.map(|(p, _)| p),
        ],
    )?;
    super::media::link_publication(tx, &publication_id, &serde_json::from_str(&body)?)?;
    super::lexicon::learn(tx, id, &meta, &body)?;
    change_state(tx, actor, &article, Action::Correct, to, Some(&note))?;
    Ok(PublishResponse { publication_id })
}
