//! Articles outside the window a laptop holds (`GET /v1/window`): older ones stay on the
//! server until the user opens one; [`fetch_article`] then downloads its head and keeps it,
//! and from then on the changes feed keeps it current like any other.

use crate::auth::Session;
use crate::client::Client;
use crate::engine::{StoreAccess, SyncError};
use barta_model::ArticleId;
use barta_model::api::{Change, ChangeKind, ChangesPage};

/// Downloads `id`'s head revision into the store (its history comes when it is needed: a
/// merge fetches the parents it lacks). A 401 logs in again once if the session can.
pub async fn fetch_article(
    store: &impl StoreAccess,
    client: &Client,
    session: &mut Session,
    id: ArticleId,
) -> Result<(), SyncError> {
    let answer = match client.article(&session.token, id).await {
        Err(e) if e.status() == Some(401) && session.renew(client).await? => {
            client.article(&session.token, id).await?
        }
        answer => answer?,
    };
    let change = Change {
        seq: answer.head_revision.seq,
        kind: ChangeKind::Revision,
        article_id: answer.id,
        desk: answer.desk,
        state: answer.state,
        author: answer.author,
        head: answer.head,
        at: answer.head_revision.created_at.clone(),
        revision: Some(answer.head_revision),
        note: None,
    };
    // The feed's cursor does not move: the article joins the store, not the feed's reading.
    let page = ChangesPage {
        changes: vec![change],
        next: 0,
    };
    store.with(|s| s.apply_changes(&page))?;
    Ok(())
}
