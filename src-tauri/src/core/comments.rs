//! Comments on passages: read from the local store, added and resolved here (queued; the sync
//! round sends them and brings the server's comments of the article on screen), each change
//! announced to the page.

use super::App;
use crate::error::AppError;
use barta_model::ArticleId;
use barta_model::api::CommentAnchor;
use barta_store::{Comment, NewComment};
use barta_sync::StoreAccess;

impl App {
    /// The article's comments as kept here (each sync round brings the server's comments of
    /// the article on screen, and the page hears of a change).
    pub async fn comments(&self, id: ArticleId) -> Result<Vec<Comment>, AppError> {
        Ok(self.store()?.with(|s| s.comments(id))?)
    }

    /// Adds a comment on a passage (or a reply); it reaches the server with the next sync.
    pub fn add_comment(
        &self,
        id: ArticleId,
        anchor: CommentAnchor,
        parent_id: Option<String>,
        body: &str,
    ) -> Result<Comment, AppError> {
        let user = self.user()?;
        let comment = self.store()?.with(|s| {
            s.add_anchored_comment(NewComment {
                article: id,
                anchor,
                parent_id,
                author: &user.username,
                body,
            })
        })?;
        self.events.comments(id);
        self.sync.wake.notify_one();
        Ok(comment)
    }

    /// Resolves a comment (kept, shown as resolved); synced with the next round.
    pub fn resolve_comment(&self, id: ArticleId, comment_id: &str) -> Result<(), AppError> {
        let user = self.user()?;
        self.store()?
            .with(|s| s.resolve_comment_by(comment_id, Some(&user.username)))?;
        self.events.comments(id);
        self.sync.wake.notify_one();
        Ok(())
    }
}
