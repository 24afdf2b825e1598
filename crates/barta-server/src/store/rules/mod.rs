//! The newsroom's write rules, written once over [`Tx`], the transaction interface every
//! backend implements: who may push, approve, publish and correct; what a transition does;
//! which feed changes, audit entries, approvals, publications and deliveries an action
//! writes; what a photo upload may be and who may see the photo (`media.rs`). A backend's
//! [`crate::store::Store`] method opens its transaction, calls the rule here and commits; the
//! SQL lives in the backend alone.
//!
//! The pure checks they apply live in [`crate::policy`] (desk and ownership) and
//! `barta_model::workflow` (the state machine); a refusal is audited here before it is
//! returned, so every backend audits the same refusals.

mod comments;
mod correct;
mod deliveries;
mod desk;
mod media;
mod push;
mod tx;
mod workflow;

pub use comments::{MAX_COMMENT_CHARS, put_comment};
pub use correct::{MAX_NOTE_CHARS, correct};
pub use deliveries::delivery_state;
pub use desk::{add_lexicon_word, retry_delivery};
pub use media::{
    MAX_MEDIA_BYTES, MEDIA_TYPES, append_media, create_media, media_bytes, media_file, media_status,
};
pub use push::push;
pub use tx::{
    CompleteUpload, LatestPublication, NewApproval, NewChange, NewComment, NewDelivery,
    NewPublication, NewRevisionRow, NewUpload, PushFacts, RevisionContent, StoredPush, Tx,
};
pub use workflow::{approve, publish, transition};

use crate::policy::{self, ArticleFacts};
use crate::publishing::DeliveryEvent;
use crate::store::{NewAuditEntry, StoreError, timestamp};
use barta_model::api::{ChangeKind, RevisionRecord, UserInfo};
use barta_model::workflow::{RULES, TransitionError, transition as next_state};
use barta_model::{Action, ArticleId, Document, RevisionId, UserId, WorkflowState};

/// An article's row as the rules see it.
#[derive(Clone, Debug)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author_id: UserId,
    pub author: String,
    pub head: RevisionId,
    pub created_at: String,
}

impl ArticleRow {
    /// What the access policy looks at.
    pub fn facts(&self) -> ArticleFacts<'_> {
        ArticleFacts {
            desk: &self.desk,
            author_id: self.author_id,
        }
    }
}

/// The time now, as every backend stores it.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// Appends an entry for the actor to the audit chain.
pub fn audit(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: Option<ArticleId>,
    action: &str,
    outcome: &str,
    detail: &str,
) -> Result<(), StoreError> {
    tx.audit(&NewAuditEntry {
        user_id: Some(actor.id),
        username: actor.username.clone(),
        article_id: article,
        action: action.into(),
        outcome: outcome.into(),
        detail: detail.into(),
        session: None,
        address: None,
    })
}

/// Audits a denial and turns it into the 403 error.
pub fn deny(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: Option<ArticleId>,
    action: &str,
    denial: impl std::fmt::Display,
) -> StoreError {
    let message = denial.to_string();
    match audit(tx, actor, article, action, "denied", &message) {
        Ok(()) => StoreError::Forbidden(message),
        Err(e) => e,
    }
}

/// Audits a refusal (409/422 of a workflow call) and passes the error on.
pub fn refuse(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: ArticleId,
    action: &str,
    error: StoreError,
) -> StoreError {
    let detail = error.to_string();
    match audit(tx, actor, Some(article), action, "refused", &detail) {
        Ok(()) => error,
        Err(e) => e,
    }
}

/// Loads an article or says it is not there.
fn existing_article(tx: &mut impl Tx, id: ArticleId) -> Result<ArticleRow, StoreError> {
    tx.article(id)?
        .ok_or_else(|| StoreError::NotFound(format!("article {id}")))
}

/// Records a workflow state change: the article's state, the feed, the deliveries the event
/// causes, the audit chain.
fn change_state(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: &ArticleRow,
    action: Action,
    to: WorkflowState,
    note: Option<&str>,
) -> Result<(), StoreError> {
    tx.set_state(article.id, to)?;
    let at = now();
    tx.append_change(&NewChange {
        kind: ChangeKind::State,
        article: article.id,
        author: &article.author,
        revision: None,
        desk: &article.desk,
        state: to,
        head: article.head,
        note,
        at: &at,
    })?;
    if let Some(event) = DeliveryEvent::of_action(action) {
        deliveries::enqueue(tx, article, event)?;
    }
    let detail = format!("{} → {}", article.state, to);
    audit(tx, actor, Some(article.id), action.as_str(), "ok", &detail)
}

/// The checks an editor's action (approve, schedule, publish, correct) makes first, denials
/// audited: the role may take the action at all, and the actor may write the article (its
/// desk). Answers the state the action leads to from the article's state, or why that state
/// does not allow it: that is left to the caller, which answers a retry of an action that
/// went through first.
fn editor_may(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: &ArticleRow,
    action: Action,
) -> Result<Result<WorkflowState, TransitionError>, StoreError> {
    let checked = next_state(article.state, action, actor.role);
    if let Err(e @ TransitionError::RoleNotAllowed { .. }) = checked {
        return Err(deny(tx, actor, Some(article.id), action.as_str(), e));
    }
    if let Err(denial) = policy::may_write(actor, article.facts()) {
        return Err(deny(tx, actor, Some(article.id), action.as_str(), denial));
    }
    Ok(checked)
}

/// The version an editor names for approval (or a correction) — its id in the body and in
/// `If-Match`, its hash — checked against the head: it must be the head, with that hash and
/// no conflict block left. A refusal is audited under `action`.
#[allow(clippy::too_many_arguments)]
fn named_head(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: &ArticleRow,
    named: RevisionId,
    if_match: RevisionId,
    sha256: &str,
    action: &str,
    before: &str,
) -> Result<RevisionRecord, StoreError> {
    let id = article.id;
    if named != article.head || if_match != article.head {
        let error = StoreError::Conflict(format!(
            "the head moved: it is {} now; review it before {before}",
            article.head
        ));
        return Err(refuse(tx, actor, id, action, error));
    }
    let revision = tx
        .revision(article.head)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {}", article.head)))?;
    if revision.sha256 != sha256 {
        let error = StoreError::HashMismatch(format!(
            "sha256 {sha256} is not the stored hash of revision {}",
            revision.id
        ));
        return Err(refuse(tx, actor, id, action, error));
    }
    if has_conflict_block(&revision.body) {
        let error = StoreError::UnresolvedConflict(revision.id);
        return Err(refuse(tx, actor, id, action, error));
    }
    Ok(revision)
}

/// The state an action leads to (from the shared rules table).
fn target_of(action: Action) -> Option<WorkflowState> {
    RULES
        .iter()
        .find(|rule| rule.0 == action)
        .map(|rule| rule.3)
}

/// Whether a document still holds conflict blocks a person must resolve.
fn has_conflict_block(body: &Document) -> bool {
    body.content.iter().any(|b| b.kind == "conflict")
}

/// The embargo of a stored revision's metadata, if it has a valid one.
pub fn embargo_of(meta_json: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
    let meta: barta_model::ArticleMeta = serde_json::from_str(meta_json)?;
    Ok(meta
        .embargo
        .as_deref()
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok())
        .map(|e| e.to_utc()))
}

/// The SHA-256s of the photos a document shows (`media:<sha256>.<ext>` sources).
pub fn referenced_media(body: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in &body.content {
        if block.kind != "image" {
            continue;
        }
        let src = block.attr_str("src").unwrap_or("");
        if let Some(name) = src.strip_prefix("media:") {
            let sha = name.split('.').next().unwrap_or("").to_ascii_lowercase();
            if !out.contains(&sha) {
                out.push(sha);
            }
        }
    }
    out
}

/// Refuses to publish a document whose photos have not all finished uploading.
fn require_uploaded(tx: &mut impl Tx, body: &Document) -> Result<(), StoreError> {
    let mut missing = Vec::new();
    for sha in referenced_media(body) {
        if !tx.media_complete(&sha)? {
            missing.push(sha);
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "{} photo(s) have not finished uploading ({}): publish once they have",
            missing.len(),
            missing.join(", ")
        )))
    }
}

/// What a publication makes public and teaches the lexicon: its photos, linked to it, and
/// its Bengali words (headline, tags and text), recorded for its article.
fn publish_content(
    tx: &mut impl Tx,
    article: ArticleId,
    publication_id: &str,
    content: &RevisionContent,
) -> Result<(), StoreError> {
    let meta: barta_model::ArticleMeta = serde_json::from_str(&content.meta_json)?;
    let body: Document = serde_json::from_str(&content.body_json)?;
    tx.link_publication_media(publication_id, &referenced_media(&body))?;
    let text = format!(
        "{}\n{}\n{}",
        meta.headline,
        meta.tags.join("\n"),
        body.plain_text()
    );
    let words: std::collections::BTreeSet<&str> = bangla::spell::bengali_words(&text).collect();
    let words: Vec<&str> = words.into_iter().collect();
    tx.learn_words(article, &words)
}
