//! [`rules::Tx`] on a SQLite transaction: the SQL of every load and write the rules make
//! (some of it in this directory's modules: `comments.rs`, `deliveries.rs`, `lexicon.rs`,
//! `media.rs`). SQLite has one writer, so the loads that lock on PostgreSQL lock nothing here.

use super::{exec, load_article, load_revision, parsed, query_cached};
use crate::publishing::TargetRecord;
use crate::store::rules::{
    self, ArticleRow, CompleteUpload, LatestPublication, NewApproval, NewChange, NewComment,
    NewDelivery, NewPublication, NewRevisionRow, NewUpload, RevisionContent, StoredPush,
};
use crate::store::{MediaStatus, NewAuditEntry, StoreError};
use barta_model::api::{
    ApprovalInfo, ChangeKind, CommentRecord, DeliveryInfo, DeliveryState, RevisionRecord,
};
use barta_model::{ArticleId, RevisionId, UserId, WorkflowState};
use rusqlite::{Connection, OptionalExtension, params};

/// The rules' view of a SQLite connection inside a transaction the caller opened.
pub struct SqliteTx<'c>(pub &'c Connection);

impl rules::Tx for SqliteTx<'_> {
    fn article(&mut self, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
        load_article(self.0, id)
    }

    fn revision(&mut self, id: RevisionId) -> Result<Option<RevisionRecord>, StoreError> {
        load_revision(self.0, id)
    }

    fn revision_content(&mut self, id: RevisionId) -> Result<Option<RevisionContent>, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT meta, body, sha256 FROM revisions WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(RevisionContent {
                    meta_json: r.get(0)?,
                    body_json: r.get(1)?,
                    sha256: r.get(2)?,
                })
            },
        )
        .optional()?)
    }

    fn stored_push(&mut self, id: RevisionId) -> Result<Option<StoredPush>, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT article_id, sha256, response_status, response_body
                 FROM revisions WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(StoredPush {
                    article_id: parsed(r, 0)?,
                    sha256: r.get(1)?,
                    status: r.get(2)?,
                    body: r.get(3)?,
                })
            },
        )
        .optional()?)
    }

    fn is_revision_of(
        &mut self,
        revision: RevisionId,
        article: ArticleId,
    ) -> Result<bool, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT 1 FROM revisions WHERE id = ?1 AND article_id = ?2",
            [revision.to_string(), article.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
    }

    fn desk_exists(&mut self, slug: &str) -> Result<bool, StoreError> {
        super::desk_exists(self.0, slug)
    }

    fn insert_article(&mut self, article: &ArticleRow) -> Result<(), StoreError> {
        exec(
            self.0,
            "INSERT INTO articles (id, desk, state, author_id, author, head, created_at,
                 touched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                article.id.to_string(),
                article.desk,
                article.state.as_str(),
                article.author_id.to_string(),
                article.author,
                article.head.to_string(),
                article.created_at
            ],
        )?;
        Ok(())
    }

    fn move_head(
        &mut self,
        article: ArticleId,
        head: RevisionId,
        desk: &str,
    ) -> Result<(), StoreError> {
        exec(
            self.0,
            "UPDATE articles SET head = ?1, desk = ?2 WHERE id = ?3",
            params![head.to_string(), desk, article.to_string()],
        )?;
        Ok(())
    }

    fn set_state(&mut self, article: ArticleId, state: WorkflowState) -> Result<(), StoreError> {
        exec(
            self.0,
            "UPDATE articles SET state = ?1 WHERE id = ?2",
            params![state.as_str(), article.to_string()],
        )?;
        Ok(())
    }

    fn archive_stale(&mut self, article: ArticleId, head: RevisionId) -> Result<(), StoreError> {
        super::archive::stale(self.0, article, head)
    }

    fn append_change(&mut self, change: &NewChange<'_>) -> Result<i64, StoreError> {
        let kind = match change.kind {
            ChangeKind::Revision => "revision",
            ChangeKind::State => "state",
        };
        exec(
            self.0,
            "INSERT INTO changes (kind, article_id, revision_id, desk, state, author, head, note,
                 at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                kind,
                change.article.to_string(),
                change.revision.map(|r| r.to_string()),
                change.desk,
                change.state.as_str(),
                change.author,
                change.head.to_string(),
                change.note,
                change.at
            ],
        )?;
        // The changes table's INTEGER PRIMARY KEY: SQLite has one writer, so sequence
        // numbers become visible in the order they are taken.
        let seq = self.0.last_insert_rowid();
        exec(
            self.0,
            "UPDATE articles SET touched_at = ?2 WHERE id = ?1",
            params![change.article.to_string(), change.at],
        )?;
        Ok(seq)
    }

    fn insert_revision(&mut self, rev: &NewRevisionRow<'_>) -> Result<(), StoreError> {
        exec(
            self.0,
            "INSERT INTO revisions (id, article_id, parent, merge_parent, author_id, author,
                 meta, body, sha256, created_at, received_at, seq, response_status,
                 response_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                rev.id.to_string(),
                rev.article.to_string(),
                rev.parent.map(|p| p.to_string()),
                rev.merge_parent.map(|p| p.to_string()),
                rev.author_id.to_string(),
                rev.author,
                rev.meta_json,
                rev.body_json,
                rev.sha256,
                rev.created_at,
                rev.received_at,
                rev.seq,
                rev.response_status,
                rev.response_body
            ],
        )?;
        Ok(())
    }

    fn audit(&mut self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        super::audit::append(self.0, entry)
    }

    fn latest_approval(&mut self, article: ArticleId) -> Result<Option<ApprovalInfo>, StoreError> {
        super::approval_info(self.0, article)
    }

    fn approved_revision(
        &mut self,
        approval_id: &str,
        article: ArticleId,
    ) -> Result<Option<RevisionId>, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT revision_id FROM approvals WHERE id = ?1 AND article_id = ?2",
            [approval_id, &article.to_string()],
            |r| parsed::<RevisionId>(r, 0),
        )
        .optional()?)
    }

    fn insert_approval(&mut self, approval: &NewApproval<'_>) -> Result<(), StoreError> {
        exec(
            self.0,
            "INSERT INTO approvals (id, article_id, revision_id, sha256, editor_id, editor,
                 created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                approval.id,
                approval.article.to_string(),
                approval.revision.to_string(),
                approval.sha256,
                approval.editor_id.to_string(),
                approval.editor,
                approval.at
            ],
        )?;
        Ok(())
    }

    fn publication_of_approval(&mut self, approval_id: &str) -> Result<Option<String>, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT id FROM publications WHERE approval_id = ?1",
            [approval_id],
            |r| r.get(0),
        )
        .optional()?)
    }

    fn latest_publication(
        &mut self,
        article: ArticleId,
    ) -> Result<Option<LatestPublication>, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT id, revision_id, published_at, meta FROM publications WHERE article_id = ?1
                 ORDER BY seq DESC LIMIT 1",
            [article.to_string()],
            |r| {
                Ok(LatestPublication {
                    id: r.get(0)?,
                    revision: parsed(r, 1)?,
                    published_at: r.get(2)?,
                    meta_json: r.get(3)?,
                })
            },
        )
        .optional()?)
    }

    fn insert_publication(&mut self, p: &NewPublication<'_>) -> Result<(), StoreError> {
        exec(
            self.0,
            "INSERT INTO publications (id, article_id, revision_id, approval_id, sha256, meta,
                 body, published_at, created_at, created_by, correction, replaces)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                p.id,
                p.article.to_string(),
                p.revision.to_string(),
                p.approval_id,
                p.sha256,
                p.meta_json,
                p.body_json,
                p.published_at,
                p.created_at,
                p.created_by.to_string(),
                p.correction,
                p.replaces
            ],
        )?;
        Ok(())
    }

    fn set_published_at(&mut self, publication_id: &str, at: &str) -> Result<(), StoreError> {
        exec(
            self.0,
            "UPDATE publications SET published_at = ?1 WHERE id = ?2",
            params![at, publication_id],
        )?;
        Ok(())
    }

    fn media_complete(&mut self, sha256: &str) -> Result<bool, StoreError> {
        Ok(query_cached(
            self.0,
            "SELECT 1 FROM media WHERE sha256 = ?1 AND complete = 1 LIMIT 1",
            [sha256],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
    }

    fn link_article_media(
        &mut self,
        article: ArticleId,
        shas: &[String],
    ) -> Result<(), StoreError> {
        for sha in shas {
            exec(
                self.0,
                "INSERT OR IGNORE INTO article_media (sha256, article_id) VALUES (?1, ?2)",
                params![sha, article.to_string()],
            )?;
        }
        Ok(())
    }

    fn link_publication_media(
        &mut self,
        publication_id: &str,
        shas: &[String],
    ) -> Result<(), StoreError> {
        for sha in shas {
            exec(
                self.0,
                "INSERT OR IGNORE INTO publication_media (sha256, publication_id) VALUES (?1, ?2)",
                params![sha, publication_id],
            )?;
        }
        Ok(())
    }

    fn upload(
        &mut self,
        id: &str,
        owner: UserId,
        _lock: bool,
    ) -> Result<Option<MediaStatus>, StoreError> {
        // One writer: the write transaction holds the database already.
        super::media::upload(self.0, id, owner)
    }

    fn upload_of_file(
        &mut self,
        owner: UserId,
        sha256: &str,
    ) -> Result<Option<MediaStatus>, StoreError> {
        super::media::upload_of_file(self.0, owner, sha256)
    }

    fn lock_uploader(&mut self, _owner: UserId) -> Result<(), StoreError> {
        // One writer: the write transaction holds the database already.
        Ok(())
    }

    fn upload_bytes_held(&mut self, owner: UserId) -> Result<u64, StoreError> {
        super::media::bytes_held(self.0, owner)
    }

    fn insert_upload(&mut self, upload: &NewUpload<'_>) -> Result<(), StoreError> {
        super::media::insert(self.0, upload)
    }

    fn append_chunk(
        &mut self,
        id: &str,
        offset: u64,
        data: &[u8],
        received: u64,
    ) -> Result<(), StoreError> {
        super::media::append_chunk(self.0, id, offset, data, received)
    }

    fn read_chunks(&mut self, id: &str, each: &mut dyn FnMut(&[u8])) -> Result<(), StoreError> {
        super::media::read_chunks(self.0, id, each)
    }

    fn reset_upload(&mut self, id: &str) -> Result<(), StoreError> {
        super::media::reset(self.0, id)
    }

    fn complete_upload(&mut self, id: &str) -> Result<(), StoreError> {
        super::media::complete(self.0, id)
    }

    fn complete_upload_of(&mut self, sha256: &str) -> Result<Option<CompleteUpload>, StoreError> {
        super::media::complete_upload_of(self.0, sha256)
    }

    fn media_shown_publicly(&mut self, sha256: &str, now: &str) -> Result<bool, StoreError> {
        super::media::shown_publicly(self.0, sha256, now)
    }

    fn articles_showing(&mut self, sha256: &str) -> Result<Vec<ArticleRow>, StoreError> {
        super::media::articles_showing(self.0, sha256)
    }

    fn learn_words(&mut self, article: ArticleId, words: &[&str]) -> Result<(), StoreError> {
        let mut insert = self.0.prepare_cached(
            "INSERT OR IGNORE INTO lexicon_seen (word, article_id) VALUES (?1, ?2)",
        )?;
        let article = article.to_string();
        for word in words {
            insert.execute(params![word, article])?;
        }
        Ok(())
    }

    fn targets(&mut self) -> Result<Vec<TargetRecord>, StoreError> {
        super::deliveries::targets(self.0)
    }

    fn drop_future_delivery(
        &mut self,
        target: &str,
        article: ArticleId,
        after: &str,
    ) -> Result<(), StoreError> {
        exec(
            self.0,
            "DELETE FROM deliveries
             WHERE target = ?1 AND article_id = ?2 AND state = 'pending' AND attempts = 0
               AND next_attempt_at > ?3",
            params![target, article.to_string(), after],
        )?;
        Ok(())
    }

    fn insert_delivery(&mut self, d: &NewDelivery<'_>) -> Result<(), StoreError> {
        exec(
            self.0,
            "INSERT INTO deliveries (id, target, article_id, event, publication_id, state,
                 next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)",
            params![
                d.id,
                d.target,
                d.article.to_string(),
                d.event.as_str(),
                d.publication_id,
                d.due,
                d.created_at
            ],
        )?;
        Ok(())
    }

    fn latest_delivery(
        &mut self,
        article: ArticleId,
        target: &str,
    ) -> Result<Option<(String, DeliveryState)>, StoreError> {
        super::deliveries::latest(self.0, article, target)
    }

    fn requeue_delivery(&mut self, id: &str, at: &str) -> Result<(), StoreError> {
        super::deliveries::requeue(self.0, id, at)
    }

    fn deliveries_of(&mut self, article: ArticleId) -> Result<Vec<DeliveryInfo>, StoreError> {
        super::deliveries::of_article(self.0, article)
    }

    fn add_lexicon_word(&mut self, word: &str, by: &str) -> Result<(), StoreError> {
        super::lexicon::add(self.0, word, by)
    }

    fn comment(&mut self, id: &str) -> Result<Option<CommentRecord>, StoreError> {
        super::comments::load(self.0, id)
    }

    fn insert_comment(&mut self, comment: &NewComment<'_>) -> Result<(), StoreError> {
        super::comments::insert(self.0, comment)
    }

    fn resolve_comment(&mut self, id: &str, at: &str, by: &str) -> Result<(), StoreError> {
        super::comments::resolve(self.0, id, at, by)
    }
}
