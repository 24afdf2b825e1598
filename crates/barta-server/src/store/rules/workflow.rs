//! Workflow actions on an article: a transition (submit, send back, kill, …), an editor's
//! approval of one exact version, and publishing (now or scheduled) what was approved.

use super::{
    NewApproval, NewPublication, Tx, change_state, deny, editor_may, existing_article, named_head,
    now, publish_content, refuse, require_uploaded, target_of,
};
use crate::policy;
use crate::store::{PublishOrder, StoreError, timestamp};
use barta_model::api::{
    ApproveRequest, ApproveResponse, PublishResponse, TransitionRequest, TransitionResponse,
    UserInfo,
};
use barta_model::workflow::{TransitionError, transition as next_state};
use barta_model::{Action, ArticleId, Document, RevisionId, WorkflowState};

/// How far in the past a publication time may be and still mean "now" (clock skew, the time
/// the request took); anything older is refused.
const SCHEDULE_SLACK: chrono::TimeDelta = chrono::TimeDelta::seconds(120);

/// A workflow transition other than approving and publishing (which have their own calls).
pub fn transition(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: ArticleId,
    req: TransitionRequest,
) -> Result<TransitionResponse, StoreError> {
    let action = req.action;
    let article = existing_article(tx, id)?;
    if let Err(denial) = policy::may_write(actor, article.facts()) {
        return Err(deny(tx, actor, Some(id), action.as_str(), denial));
    }
    let to = match next_state(article.state, action, actor.role) {
        Ok(to) => to,
        Err(e @ TransitionError::RoleNotAllowed { .. }) => {
            return Err(deny(tx, actor, Some(id), action.as_str(), e));
        }
        Err(e @ TransitionError::WrongState { .. }) => {
            // A retried request whose first attempt went through: same answer.
            if target_of(action) == Some(article.state) && req.rev_id == article.head {
                return Ok(TransitionResponse {
                    state: article.state,
                });
            }
            let error = StoreError::Conflict(e.to_string());
            return Err(refuse(tx, actor, id, action.as_str(), error));
        }
    };
    if matches!(action, Action::Approve | Action::Schedule | Action::Publish) {
        let error = StoreError::Invalid(format!(
            "{action} has its own endpoint: POST /v1/articles/{id}/{}",
            if action == Action::Approve {
                "approve"
            } else {
                "publish"
            }
        ));
        return Err(refuse(tx, actor, id, action.as_str(), error));
    }
    if req.rev_id != article.head {
        let error = StoreError::Conflict(format!(
            "revision {} is not the head any more: the head is {}",
            req.rev_id, article.head
        ));
        return Err(refuse(tx, actor, id, action.as_str(), error));
    }
    change_state(tx, actor, &article, action, to, req.note.as_deref())?;
    Ok(TransitionResponse { state: to })
}

/// An editor approves the head, named by its id and hash (`if_match` is the request's
/// `If-Match`).
pub fn approve(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: ArticleId,
    if_match: RevisionId,
    req: ApproveRequest,
) -> Result<ApproveResponse, StoreError> {
    const ACTION: &str = "approve";
    let article = existing_article(tx, id)?;
    let checked = editor_may(tx, actor, &article, Action::Approve)?;
    let revision = named_head(
        tx,
        actor,
        &article,
        req.rev_id,
        if_match,
        &req.sha256,
        ACTION,
        "approving",
    )?;
    if article.state == WorkflowState::Approved
        && let Some(approval) = tx.latest_approval(id)?
        && approval.rev_id == revision.id
        && approval.sha256 == revision.sha256
    {
        // A retry by the same editor gets the same approval; another editor who approved
        // the same version at the same moment is told who was first.
        if approval.editor == actor.username {
            return Ok(ApproveResponse {
                approval_id: approval.id,
            });
        }
        let error = StoreError::Conflict(format!(
            "{} approved this version already (at {})",
            approval.editor, approval.at
        ));
        return Err(refuse(tx, actor, id, ACTION, error));
    }
    let to =
        checked.map_err(|e| refuse(tx, actor, id, ACTION, StoreError::Conflict(e.to_string())))?;
    let approval_id = uuid::Uuid::now_v7().to_string();
    tx.insert_approval(&NewApproval {
        id: &approval_id,
        article: id,
        revision: revision.id,
        sha256: &revision.sha256,
        editor_id: actor.id,
        editor: &actor.username,
        at: &now(),
    })?;
    change_state(tx, actor, &article, Action::Approve, to, None)?;
    Ok(ApproveResponse { approval_id })
}

/// Publishes an approval now, or schedules it (`order.at` in the future).
pub fn publish(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: ArticleId,
    order: PublishOrder,
) -> Result<PublishResponse, StoreError> {
    let article = existing_article(tx, id)?;
    let now_utc = chrono::Utc::now();
    if let Some(at) = order.at
        && at < now_utc - SCHEDULE_SLACK
    {
        return Err(StoreError::Invalid(format!(
            "the publication time {} is in the past (it is {} now): choose a later time, or \
             publish now",
            timestamp(at),
            timestamp(now_utc)
        )));
    }
    let at = order.at.filter(|at| *at > now_utc);
    let action = if at.is_some() {
        Action::Schedule
    } else {
        Action::Publish
    };
    let checked = editor_may(tx, actor, &article, action)?;
    let Some(revision_id) = tx.approved_revision(&order.approval_id, id)? else {
        return Err(StoreError::NotFound(format!(
            "approval {:?} of article {id}",
            order.approval_id
        )));
    };
    if let Some(publication_id) = tx.publication_of_approval(&order.approval_id)? {
        return match (article.state, action) {
            // Publish now what was scheduled.
            (WorkflowState::Scheduled, Action::Publish) => {
                tx.set_published_at(&publication_id, &timestamp(now_utc))?;
                change_state(tx, actor, &article, action, WorkflowState::Published, None)?;
                Ok(PublishResponse { publication_id })
            }
            // A retry of a publication that went through.
            (WorkflowState::Published | WorkflowState::Scheduled, _) => {
                Ok(PublishResponse { publication_id })
            }
            (state, _) => {
                let error = StoreError::Conflict(format!(
                    "approval {} was published already; the article is {state} now",
                    order.approval_id
                ));
                Err(refuse(tx, actor, id, action.as_str(), error))
            }
        };
    }
    let to = checked.map_err(|e| {
        refuse(
            tx,
            actor,
            id,
            action.as_str(),
            StoreError::Conflict(e.to_string()),
        )
    })?;
    if tx.latest_approval(id)?.map(|a| a.id) != Some(order.approval_id.clone()) {
        let error = StoreError::Conflict(format!(
            "approval {} is not the article's latest approval",
            order.approval_id
        ));
        return Err(refuse(tx, actor, id, action.as_str(), error));
    }
    let content = tx
        .revision_content(revision_id)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {revision_id}")))?;
    let body: Document = serde_json::from_str(&content.body_json)?;
    require_uploaded(tx, &body).map_err(|e| refuse(tx, actor, id, action.as_str(), e))?;
    if let Some(embargo) = super::embargo_of(&content.meta_json)?
        && at.unwrap_or(now_utc) < embargo
    {
        return Err(StoreError::Invalid(format!(
            "the article is embargoed until {} (Dhaka {}): schedule it at or after that time",
            timestamp(embargo),
            bangla::format_published(embargo)
        )));
    }
    let publication_id = uuid::Uuid::now_v7().to_string();
    tx.insert_publication(&NewPublication {
        id: &publication_id,
        article: id,
        revision: revision_id,
        approval_id: &order.approval_id,
        sha256: &content.sha256,
        meta_json: &content.meta_json,
        body_json: &content.body_json,
        published_at: &timestamp(at.unwrap_or(now_utc)),
        created_at: &timestamp(now_utc),
        created_by: actor.id,
        correction: None,
        replaces: None,
    })?;
    publish_content(tx, id, &publication_id, &content)?;
    change_state(tx, actor, &article, action, to, None)?;
    Ok(PublishResponse { publication_id })
}
