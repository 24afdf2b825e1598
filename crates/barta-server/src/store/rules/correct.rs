//! Corrections: an editor approves the exact version of a published article they corrected,
//! and it is published at once in place of the published one, with a note for readers. The
//! old publication stays stored (publications are immutable); its link shows the correction
//! and the feed lists only the newest.

use super::{
    NewApproval, NewPublication, Tx, change_state, editor_may, existing_article, named_head, now,
    publish_content, refuse, require_uploaded,
};
use crate::store::{StoreError, timestamp};
use barta_model::api::{CorrectRequest, PublishResponse, UserInfo};
use barta_model::workflow::{Action, WorkflowState};
use barta_model::{ArticleId, RevisionId};

/// The longest correction note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// See the module docs.
pub fn correct(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: ArticleId,
    if_match: RevisionId,
    req: CorrectRequest,
) -> Result<PublishResponse, StoreError> {
    const ACTION: &str = "correct";
    let article = existing_article(tx, id)?;
    let checked = editor_may(tx, actor, &article, Action::Correct)?;
    // A retry of a correction that went through gets the same answer.
    let latest = tx.latest_publication(id)?;
    if article.state == WorkflowState::Corrected
        && let Some(published) = &latest
        && published.revision == req.rev_id
        && article.head == req.rev_id
    {
        return Ok(PublishResponse {
            publication_id: published.id.clone(),
        });
    }
    let to =
        checked.map_err(|e| refuse(tx, actor, id, ACTION, StoreError::Conflict(e.to_string())))?;
    let revision = named_head(
        tx,
        actor,
        &article,
        req.rev_id,
        if_match,
        &req.sha256,
        ACTION,
        "correcting",
    )?;
    require_uploaded(tx, &revision.body).map_err(|e| refuse(tx, actor, id, ACTION, e))?;
    let note = bangla::normalize(req.note.trim());
    if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Invalid(format!(
            "a correction needs a note for readers (at most {MAX_NOTE_CHARS} characters)"
        )));
    }
    let approval_id = uuid::Uuid::now_v7().to_string();
    let at = now();
    tx.insert_approval(&NewApproval {
        id: &approval_id,
        article: id,
        revision: revision.id,
        sha256: &revision.sha256,
        editor_id: actor.id,
        editor: &actor.username,
        at: &at,
    })?;
    let content = tx
        .revision_content(revision.id)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {}", revision.id)))?;
    let publication_id = uuid::Uuid::now_v7().to_string();
    tx.insert_publication(&NewPublication {
        id: &publication_id,
        article: id,
        revision: revision.id,
        approval_id: &approval_id,
        sha256: &revision.sha256,
        meta_json: &content.meta_json,
        body_json: &content.body_json,
        published_at: &timestamp(chrono::Utc::now()),
        created_at: &at,
        created_by: actor.id,
        correction: Some(&note),
        replaces: latest.as_ref().map(|p| p.id.as_str()),
    })?;
    publish_content(tx, id, &publication_id, &content)?;
    change_state(tx, actor, &article, Action::Correct, to, Some(&note))?;
    Ok(PublishResponse { publication_id })
}
