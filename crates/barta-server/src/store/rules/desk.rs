//! The desk's own tools: sending a failed delivery again, adding a word to the newsroom's
//! lexicon. Editors only.

use super::{Tx, audit, deny, existing_article, now, refuse};
use crate::policy::{self, Denial};
use crate::store::StoreError;
use barta_model::api::{DeliveryInfo, DeliveryState, UserInfo};
use barta_model::{ArticleId, Role};

/// An editor sends an article's failed delivery to a target again; answers the article's
/// deliveries.
pub fn retry_delivery(
    tx: &mut impl Tx,
    actor: &UserInfo,
    id: ArticleId,
    target: &str,
) -> Result<Vec<DeliveryInfo>, StoreError> {
    const ACTION: &str = "retry_delivery";
    let article = existing_article(tx, id)?;
    if actor.role == Role::Reporter {
        return Err(deny(tx, actor, Some(id), ACTION, Denial::EditorsOnly));
    }
    if let Err(denial) = policy::may_write(actor, article.facts()) {
        return Err(deny(tx, actor, Some(id), ACTION, denial));
    }
    // The latest delivery goes again, due now: a failed one back in the queue, a pending
    // one made due now; a delivered one is not sent twice.
    let requeued = match tx.latest_delivery(id, target)? {
        None => Err(StoreError::NotFound(format!(
            "a delivery of article {id} to target {target:?}"
        ))),
        Some((_, DeliveryState::Delivered)) => Err(StoreError::Conflict(format!(
            "the article's latest delivery to {target:?} went through already"
        ))),
        Some((delivery, _)) => Ok(delivery),
    };
    let delivery = requeued.map_err(|e| refuse(tx, actor, id, ACTION, e))?;
    tx.requeue_delivery(&delivery, &now())?;
    audit(tx, actor, Some(id), ACTION, "ok", target)?;
    tx.deliveries_of(id)
}

/// An editor adds a word to the newsroom's lexicon (its stored, normalized form).
pub fn add_lexicon_word(tx: &mut impl Tx, actor: &UserInfo, word: &str) -> Result<(), StoreError> {
    const ACTION: &str = "add_lexicon_word";
    if actor.role == Role::Reporter {
        return Err(deny(tx, actor, None, ACTION, Denial::EditorsOnly));
    }
    if !bangla::spell::is_lexicon_word(word) {
        return Err(StoreError::Invalid(format!(
            "{word:?} is not one Bengali word in its stored form (at most 64 characters)"
        )));
    }
    tx.add_lexicon_word(word, &actor.username)?;
    audit(tx, actor, None, ACTION, "ok", word)
}
