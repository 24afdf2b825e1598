//! The outbox of publication events: which deliveries an event of an article writes, in the
//! event's own transaction — one per target that serves the article's desk. A delivery of
//! the same article that has not come due (a scheduled publication) is dropped: the new
//! event supersedes it.

use super::{ArticleRow, NewDelivery, Tx, embargo_of};
use crate::publishing::{DeliveryEvent, TargetKind};
use crate::store::{StoreError, timestamp};
use barta_model::api::DeliveryState;

/// See the module docs.
pub fn enqueue(
    tx: &mut impl Tx,
    article: &ArticleRow,
    event: DeliveryEvent,
) -> Result<(), StoreError> {
    let now_utc = chrono::Utc::now();
    let now_text = timestamp(now_utc);
    let latest = tx.latest_publication(article.id)?;
    let embargoed = match &latest {
        Some(l) => embargo_of(&l.meta_json)?.is_some_and(|e| e > now_utc),
        None => false,
    };
    for target in tx.targets()? {
        if !target.serves(&article.desk) {
            continue;
        }
        tx.drop_future_delivery(&target.name, article.id, &now_text)?;
        // A scheduled publication: WordPress keeps it as a `future` post and publishes it on
        // time, unless it is under embargo (nothing is sent before the embargo lifts); a
        // webhook receiver hears of it when it comes due.
        let (event, due) = match (event, target.kind) {
            (DeliveryEvent::Schedule, TargetKind::Wordpress) if !embargoed => {
                (DeliveryEvent::Schedule, now_text.as_str())
            }
            (DeliveryEvent::Schedule, _) => (
                DeliveryEvent::Publish,
                latest
                    .as_ref()
                    .map_or(now_text.as_str(), |l| l.published_at.as_str()),
            ),
            (event, _) => (event, now_text.as_str()),
        };
        tx.insert_delivery(&NewDelivery {
            id: &uuid::Uuid::now_v7().to_string(),
            target: &target.name,
            article: article.id,
            event,
            publication_id: latest.as_ref().map(|l| l.id.as_str()),
            due,
            created_at: &now_text,
        })?;
    }
    Ok(())
}

/// A delivery's state as every backend stores it (`pending`, `delivered`, `failed`).
pub fn delivery_state(stored: &str) -> DeliveryState {
    match stored {
        "delivered" => DeliveryState::Delivered,
        "failed" => DeliveryState::Failed,
        _ => DeliveryState::Pending,
    }
}
