//! Comments anchored to a passage of a top-level block (block id, offsets and the quoted
//! passage), threaded by `parent_id`, and synced with the server. A comment outlives its block:
//! when the block is deleted the comment is reported as detached (orphaned), never dropped;
//! comments are resolved, never deleted.

use crate::store::{now, parse};
use crate::{Store, StoreError};
use barta_model::ArticleId;
use barta_model::api::{CommentAnchor, CommentPut, CommentRecord};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

/// A comment on a passage of one block of an article.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Comment {
    pub id: String,
    pub article_id: ArticleId,
    /// The comment this one answers (a thread), if any.
    pub parent_id: Option<String>,
    /// The stable id of the top-level block it is attached to.
    pub block_id: String,
    /// The passage when the comment was made: offsets in Unicode scalar values of the block's
    /// text, and the passage itself (the UI finds it again after edits).
    pub start: u32,
    pub end: u32,
    pub quote: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    /// The block is no longer in the working copy.
    pub detached: bool,
    /// The server has it (and its resolution).
    pub synced: bool,
}

impl Comment {
    /// The anchor as the API carries it.
    pub fn anchor(&self) -> CommentAnchor {
        CommentAnchor {
            block_id: self.block_id.clone(),
            start: self.start,
            end: self.end,
            quote: self.quote.clone(),
        }
    }

    /// The request that stores (or resolves) this comment on the server.
    pub fn to_put(&self) -> CommentPut {
        CommentPut {
            parent_id: self.parent_id.clone(),
            anchor: self.anchor(),
            body: self.body.clone(),
            resolved: self.resolved_at.is_some(),
            created_at: self.created_at.clone(),
        }
    }
}

/// A new comment: what the user wrote and where.
#[derive(Clone, Debug)]
pub struct NewComment<'a> {
    pub article: ArticleId,
    pub anchor: CommentAnchor,
    pub parent_id: Option<String>,
    pub author: &'a str,
    pub body: &'a str,
}

const COLUMNS: &str = "id, article_id, parent_id, block_id, start_offset, end_offset, quote,
    author, body, created_at, resolved_at, resolved_by, synced";

fn comment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    let article: String = r.get(1)?;
    let article_id = article.parse::<ArticleId>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Comment {
        id: r.get(0)?,
        article_id,
        parent_id: r.get(2)?,
        block_id: r.get(3)?,
        start: r.get(4)?,
        end: r.get(5)?,
        quote: r.get(6)?,
        author: r.get(7)?,
        body: r.get(8)?,
        created_at: r.get(9)?,
        resolved_at: r.get(10)?,
        resolved_by: r.get(11)?,
        detached: false,
        synced: r.get(12)?,
    })
}

impl Store {
    /// Adds a comment to block `block_id` of the article's working copy (the whole block).
    pub fn add_comment(
        &mut self,
        article: ArticleId,
        block_id: &str,
        author: &str,
        body: &str,
    ) -> Result<Comment, StoreError> {
        self.add_anchored_comment(NewComment {
            article,
            anchor: CommentAnchor {
                block_id: block_id.to_string(),
                start: 0,
                end: 0,
                quote: String::new(),
            },
            parent_id: None,
            author,
            body,
        })
    }

    /// Adds a comment on a passage (or a reply in a thread). The text is normalized; an empty
    /// comment, an unknown block or an unknown parent is refused and nothing is written.
    pub fn add_anchored_comment(&mut self, new: NewComment<'_>) -> Result<Comment, StoreError> {
        let body = bangla::normalize(new.body.trim());
        if body.is_empty() {
            return Err(StoreError::EmptyComment);
        }
        let article = new.article;
        let draft = self.load_article(article)?;
        if !draft
            .body
            .block_ids()
            .contains(&new.anchor.block_id.as_str())
        {
            return Err(StoreError::BlockNotFound {
                article,
                block: new.anchor.block_id,
            });
        }
        if let Some(parent) = &new.parent_id
            && self.comment_article(parent)? != article
        {
            return Err(StoreError::CommentNotFound(parent.clone()));
        }
        let (start, end) = if new.anchor.start <= new.anchor.end {
            (new.anchor.start, new.anchor.end)
        } else {
            (new.anchor.end, new.anchor.start)
        };
        let comment = Comment {
            id: uuid::Uuid::now_v7().to_string(),
            article_id: article,
            parent_id: new.parent_id,
            block_id: new.anchor.block_id,
            start,
            end,
            quote: bangla::normalize(&new.anchor.quote),
            author: bangla::normalize(new.author),
            body,
            created_at: now(),
            resolved_at: None,
            resolved_by: None,
            detached: false,
            synced: false,
        };
        self.conn.execute(
            "INSERT INTO comments (id, article_id, parent_id, block_id, start_offset, end_offset,
             quote, author, body, created_at, synced) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, 0)",
            params![
                comment.id,
                article.to_string(),
                comment.parent_id,
                comment.block_id,
                comment.start,
                comment.end,
                comment.quote,
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
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 ORDER BY created_at, rowid"
        ))?;
        let rows = stmt.query_map([article.to_string()], comment_row)?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = row?;
            c.detached = !blocks.contains(&c.block_id.as_str());
            out.push(c);
        }
        Ok(out)
    }

    /// Marks a comment resolved (it stays in the store); to be synced.
    pub fn resolve_comment(&mut self, id: &str) -> Result<(), StoreError> {
        self.resolve_comment_by(id, None)
    }

    /// Marks a comment resolved by `by`; to be synced.
    pub fn resolve_comment_by(&mut self, id: &str, by: Option<&str>) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE comments SET resolved_at = COALESCE(resolved_at, ?2),
             resolved_by = COALESCE(resolved_by, ?3),
             synced = CASE WHEN resolved_at IS NULL THEN 0 ELSE synced END
             WHERE id = ?1",
            params![id, now(), by],
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

    /// Comments (new ones and new resolutions) the server does not have yet, oldest first;
    /// parents come before their replies.
    pub fn unsynced_comments(&self) -> Result<Vec<Comment>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM comments WHERE synced = 0 ORDER BY created_at, rowid"
        ))?;
        let rows = stmt.query_map([], comment_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }

    /// Takes the server's comments of an article as they are: new ones are added, known ones
    /// take the server's resolution; all are marked synced. Text is normalized.
    pub fn merge_server_comments(
        &mut self,
        article: ArticleId,
        records: &[CommentRecord],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for c in records.iter().filter(|c| c.article_id == article) {
            tx.execute(
                "INSERT INTO comments (id, article_id, parent_id, block_id, start_offset,
                 end_offset, quote, author, body, created_at, resolved_at, resolved_by, synced)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)
                 ON CONFLICT(id) DO UPDATE SET
                   resolved_at = COALESCE(comments.resolved_at, excluded.resolved_at),
                   resolved_by = COALESCE(comments.resolved_by, excluded.resolved_by),
                   synced = CASE WHEN comments.resolved_at IS NOT NULL
                                  AND excluded.resolved_at IS NULL THEN 0 ELSE 1 END",
                params![
                    c.id,
                    article.to_string(),
                    c.parent_id,
                    c.anchor.block_id,
                    c.anchor.start,
                    c.anchor.end,
                    bangla::normalize(&c.anchor.quote),
                    bangla::normalize(&c.author),
                    bangla::normalize(&c.body),
                    c.created_at,
                    c.resolved_at,
                    c.resolved_by
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The server stored this comment (with this resolution).
    pub fn mark_comment_synced(&mut self, record: &CommentRecord) -> Result<(), StoreError> {
        let article = record.article_id;
        self.merge_server_comments(article, std::slice::from_ref(record))
    }
}
