//! Comments anchored to a top-level block id of an article's body. A comment outlives its
//! block: when the block is deleted the comment is reported as detached, never dropped.

use crate::store::{now, parse};
use crate::{Store, StoreError};
use barta_model::ArticleId;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

/// A comment on one block of an article.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Comment {
    pub id: String,
    pub article_id: ArticleId,
    /// The stable id of the top-level block it is attached to.
    pub block_id: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub resolved_at: Option<String>,
    /// The block is no longer in the working copy.
    pub detached: bool,
}

impl Store {
    /// Adds a comment to block `block_id` of the article's working copy. The text is
    /// normalized; an empty comment or an unknown block is refused.
    pub fn add_comment(
        &mut self,
        article: ArticleId,
        block_id: &str,
        author: &str,
        body: &str,
    ) -> Result<Comment, StoreError> {
        let body = bangla::normalize(body.trim());
        if body.is_empty() {
            return Err(StoreError::EmptyComment);
        }
        let draft = self.load_article(article)?;
        if !draft.body.block_ids().contains(&block_id) {
            return Err(StoreError::BlockNotFound {
                article,
                block: block_id.to_string(),
            });
        }
        let comment = Comment {
            id: uuid::Uuid::now_v7().to_string(),
            article_id: article,
            block_id: block_id.to_string(),
            author: bangla::normalize(author),
            body,
            created_at: now(),
            resolved_at: None,
            detached: false,
        };
        self.conn.execute(
            "INSERT INTO comments (id, article_id, block_id, author, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                comment.id,
                article.to_string(),
                comment.block_id,
                comment.author,
                comment.body,
                comment.created_at
            ],
        )?;
        Ok(comment)
    }

    /// An article's comments, oldest first, each marked detached when its block is gone.
    pub fn comments(&self, article: ArticleId) -> Result<Vec<Comment>, StoreError> {
        let draft = self.load_article(article)?;
        let blocks = draft.body.block_ids();
        let mut stmt = self.conn.prepare(
            "SELECT id, block_id, author, body, created_at, resolved_at FROM comments
             WHERE article_id = ?1 ORDER BY created_at, rowid",
        )?;
        let rows = stmt.query_map([article.to_string()], |r| {
            Ok(Comment {
                id: r.get(0)?,
                article_id: article,
                block_id: r.get(1)?,
                author: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
                resolved_at: r.get(5)?,
                detached: false,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = row?;
            c.detached = !blocks.contains(&c.block_id.as_str());
            out.push(c);
        }
        Ok(out)
    }

    /// Marks a comment resolved (it stays in the store).
    pub fn resolve_comment(&mut self, id: &str) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE comments SET resolved_at = COALESCE(resolved_at, ?2) WHERE id = ?1",
            params![id, now()],
        )?;
        if n == 0 {
            return Err(StoreError::CommentNotFound(id.to_string()));
        }
        Ok(())
    }

    /// The article a comment belongs to.
    pub fn comment_article(&self, id: &str) -> Result<ArticleId, StoreError> {
        let article: String = self
            .conn
            .query_row("SELECT article_id FROM comments WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::CommentNotFound(id.to_string()))?;
        parse(&article, "article id")
    }
}
