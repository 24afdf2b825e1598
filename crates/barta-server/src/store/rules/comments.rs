//! Comments: anchored to a passage of a top-level block, threaded, resolved but never
//! deleted. Anyone who may read an article may comment on it; a comment id is the client's
//! own, so a retried comment is a replay, not a second comment.

use super::{NewComment, Tx, deny, existing_article, now};
use crate::policy;
use crate::store::StoreError;
use barta_model::ArticleId;
use barta_model::api::{CommentPut, CommentRecord, UserInfo};

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// Checks a comment's id and content; returns the normalized body and quote.
fn checked(comment_id: &str, put: &CommentPut) -> Result<(String, String), StoreError> {
    if uuid::Uuid::parse_str(comment_id).is_err() {
        return Err(StoreError::Invalid(format!(
            "{comment_id:?} is not a comment id (a UUID)"
        )));
    }
    let body = bangla::normalize(put.body.trim());
    if body.is_empty() {
        return Err(StoreError::Invalid("a comment cannot be empty".into()));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(StoreError::Invalid(format!(
            "a comment may hold at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    let anchor = &put.anchor;
    if anchor.block_id.trim().is_empty() || anchor.block_id.len() > 200 {
        return Err(StoreError::Invalid(
            "a comment needs the id of the block it is about".into(),
        ));
    }
    if anchor.start > anchor.end || anchor.quote.chars().count() > MAX_COMMENT_CHARS {
        return Err(StoreError::Invalid(
            "the comment's passage is invalid (start after end, or too long)".into(),
        ));
    }
    Ok((body, bangla::normalize(&anchor.quote)))
}

/// Stores, replays or resolves a comment.
pub fn put_comment(
    tx: &mut impl Tx,
    actor: &UserInfo,
    article: ArticleId,
    comment_id: &str,
    put: CommentPut,
) -> Result<CommentRecord, StoreError> {
    let article = existing_article(tx, article)?;
    if let Err(denial) = policy::may_read(actor, article.facts()) {
        return Err(deny(tx, actor, Some(article.id), "comment", denial));
    }
    let (body, quote) = checked(comment_id, &put)?;
    let stored = |tx: &mut _| -> Result<CommentRecord, StoreError> {
        Tx::comment(tx, comment_id)?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
    };
    if let Some(existing) = tx.comment(comment_id)? {
        if existing.article_id != article.id
            || existing.body != body
            || existing.anchor.block_id != put.anchor.block_id
            || existing.parent_id != put.parent_id
        {
            return Err(StoreError::Conflict(format!(
                "comment {comment_id} exists already with other content"
            )));
        }
        if put.resolved && existing.resolved_at.is_none() {
            tx.resolve_comment(comment_id, &now(), &actor.username)?;
        }
        return stored(tx);
    }
    if let Some(parent) = &put.parent_id {
        match tx.comment(parent)? {
            Some(p) if p.article_id == article.id => {}
            _ => {
                return Err(StoreError::Invalid(format!(
                    "comment {parent} is not a comment on this article"
                )));
            }
        }
    }
    let at = now();
    tx.insert_comment(&NewComment {
        id: comment_id,
        article: article.id,
        parent_id: put.parent_id.as_deref(),
        anchor: &put.anchor,
        quote: &quote,
        author_id: actor.id,
        author: &actor.username,
        body: &body,
        created_at: &at,
        resolved: put.resolved,
    })?;
    stored(tx)
}
