//! An article's history: its revisions listed for the UI, and the diff between any two of
//! them (or between a revision and the working copy).

use crate::codec::unpack_json;
use crate::store::parse;
use crate::{Store, StoreError};
use barta_model::diff::{DocumentDiff, diff_articles};
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId};
use serde::Serialize;
use ts_rs::TS;

/// One revision in an article's history.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct RevisionInfo {
    pub id: RevisionId,
    pub parent: Option<RevisionId>,
    pub merge_parent: Option<RevisionId>,
    pub author: String,
    pub created_at: String,
    /// Saved on this device (`local`) or received from the server (`server`).
    pub origin: String,
    pub sha256: String,
    pub headline: String,
    /// Words in the body (UAX #29).
    pub words: u32,
    /// The revision still waits in the outbox.
    pub pending: bool,
}

impl Store {
    /// An article's revisions, newest first.
    pub fn history(&self, id: ArticleId) -> Result<Vec<RevisionInfo>, StoreError> {
        self.summary_exists(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.parent, r.merge_parent, r.author, r.created_at, r.origin, r.sha256,
                    r.meta, r.body,
                    EXISTS (SELECT 1 FROM outbox o WHERE o.revision_id = r.id
                            AND o.kind = 'revision' AND o.status = 'pending')
             FROM revisions r WHERE r.article_id = ?1
             ORDER BY r.created_at DESC, r.rowid DESC",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                unpack_json::<Document>(r.get_ref(8)?),
                r.get::<_, bool>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                rid,
                parent,
                merge_parent,
                author,
                created_at,
                origin,
                sha256,
                meta,
                body,
                pending,
            ) = row?;
            let meta: ArticleMeta = serde_json::from_str(&meta)?;
            let body = body?;
            out.push(RevisionInfo {
                id: parse(&rid, "revision id")?,
                parent: parent.map(|p| parse(&p, "revision id")).transpose()?,
                merge_parent: merge_parent.map(|p| parse(&p, "revision id")).transpose()?,
                author,
                created_at,
                origin,
                sha256,
                headline: meta.headline,
                words: u32::try_from(bangla::count::word_count(&body.plain_text()))
                    .unwrap_or(u32::MAX),
                pending,
            });
        }
        Ok(out)
    }

    /// The meta and body of one revision of `article`.
    pub fn revision_content(
        &self,
        article: ArticleId,
        rev: RevisionId,
    ) -> Result<(ArticleMeta, Document), StoreError> {
        use rusqlite::OptionalExtension;
        let row: Option<(String, String, Result<Document, StoreError>)> = self
            .conn
            .query_row(
                "SELECT article_id, meta, body FROM revisions WHERE id = ?1",
                [rev.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, unpack_json(r.get_ref(2)?))),
            )
            .optional()?;
        let (owner, meta, body) = row.ok_or(StoreError::RevisionNotFound(rev))?;
        let owner: ArticleId = parse(&owner, "article id")?;
        if owner != article {
            return Err(StoreError::RevisionOfOtherArticle {
                revision: rev,
                expected: article,
                actual: owner,
            });
        }
        Ok((serde_json::from_str(&meta)?, body?))
    }

    /// What changed from revision `from` to revision `to` of an article (either order).
    pub fn diff(
        &self,
        article: ArticleId,
        from: RevisionId,
        to: RevisionId,
    ) -> Result<DocumentDiff, StoreError> {
        let (old_meta, old_body) = self.revision_content(article, from)?;
        let (new_meta, new_body) = self.revision_content(article, to)?;
        Ok(diff_articles(&old_meta, &old_body, &new_meta, &new_body))
    }

    /// What changed from revision `from` to the current working copy (unsaved typing).
    pub fn diff_to_working_copy(
        &self,
        article: ArticleId,
        from: RevisionId,
    ) -> Result<DocumentDiff, StoreError> {
        let (old_meta, old_body) = self.revision_content(article, from)?;
        let draft = self.load_article(article)?;
        Ok(diff_articles(
            &old_meta,
            &old_body,
            &draft.meta,
            &draft.body,
        ))
    }

    fn summary_exists(&self, id: ArticleId) -> Result<(), StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT 1 FROM articles WHERE id = ?1",
                [id.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .ok_or(StoreError::ArticleNotFound(id))
    }
}
