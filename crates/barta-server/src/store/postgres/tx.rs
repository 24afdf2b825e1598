//! [`rules::Tx`] on a PostgreSQL transaction: the SQL of every load and write the rules make.
//!
//! Where SQLite has one writer, PostgreSQL has many: an article the rules load is locked
//! (`FOR UPDATE`) until the transaction ends, so two pushes to one article are decided one
//! after the other; the feed's sequence numbers and the audit chain are taken under
//! transaction-level advisory locks ([`FEED_LOCK`], [`AUDIT_LOCK`]), so they become visible
//! in the order they were taken. Locks are always taken in that order (article, feed,
//! audit); a deadlock between two batches of several articles is retried by the caller.
//! Photo uploads lock their own rows (`media.rs`, whose SQL the upload methods run): the
//! uploader's `users` row while an upload is started (the quota is checked in turn), the
//! upload's row while a chunk is appended. Read paths wrap their read-only transaction in a
//! `PgTx` too, and call only the methods that do not lock.

use super::rows::{
    COMMENT_COLUMNS, REVISION_COLUMNS, article_row, comment_row, json, parsed, revision_at,
};
use super::{AUDIT_LOCK, FEED_LOCK, media};
use crate::publishing::TargetRecord;
use crate::store::audit::{AuditEntry, GENESIS};
use crate::store::rules::{
    self, ArticleRow, CompleteUpload, LatestPublication, NewApproval, NewChange, NewComment,
    NewDelivery, NewPublication, NewRevisionRow, NewUpload, PushFacts, RevisionContent, StoredPush,
    delivery_state,
};
use crate::store::{MediaStatus, NewAuditEntry, StoreError};
use barta_model::api::{
    ApprovalInfo, ChangeKind, CommentRecord, DeliveryInfo, DeliveryState, RevisionRecord,
};
use barta_model::{ArticleId, RevisionId, UserId, WorkflowState};
use tokio_postgres::types::ToSql;

/// The rules' view of an open PostgreSQL transaction, with what it has noted on the way.
pub struct PgTx<'a, 'c>(pub &'a mut super::Db<'c>, Noted);

/// What a [`PgTx`] notes while the rules run.
#[derive(Default)]
struct Noted {
    /// It added entries to the changes feed (numbered once it commits: `sequencer.rs`).
    appended_to_feed: bool,
    /// The audit chain's last entry (id, link), once this transaction holds the chain's lock:
    /// its next entries then link without reading it again.
    audit_end: Option<(i64, [u8; 32])>,
    /// Articles whose row it wrote with their last-changed time already: their feed entries
    /// then need no second update of the row.
    touched: Vec<ArticleId>,
}

impl<'a, 'c> PgTx<'a, 'c> {
    pub fn new(tx: &'a mut super::Db<'c>) -> Self {
        Self(tx, Noted::default())
    }

    /// Whether the transaction added entries to the changes feed.
    pub fn appended_to_feed(&self) -> bool {
        self.1.appended_to_feed
    }
}

/// An article's row, locked until the transaction ends.
const ARTICLE_LOCKED: &str = "SELECT id, desk, state, author_id, author, head, created_at
                              FROM articles WHERE id = $1 FOR UPDATE";
/// How a revision id was stored ([`stored_push`] reads the row).
const STORED_PUSH: &str = "SELECT article_id, sha256, response_status, response_body
                           FROM revisions WHERE id = $1";
const IS_REVISION_OF: &str = "SELECT 1 FROM revisions WHERE id = $1 AND article_id = $2";
const DESK_EXISTS: &str = "SELECT 1 FROM desks WHERE slug = $1";

/// A row of [`STORED_PUSH`].
fn stored_push(r: &tokio_postgres::Row) -> Result<StoredPush, StoreError> {
    Ok(StoredPush {
        article_id: parsed(r, 0)?,
        sha256: r.try_get(1)?,
        status: i64::from(r.try_get::<_, i32>(2)?),
        body: r.try_get(3)?,
    })
}

impl PgTx<'_, '_> {
    /// The next number of the published feed, taken under [`FEED_LOCK`] (held until commit:
    /// publications are few). The changes feed is numbered after commit (`sequencer.rs`).
    fn next_publication_number(&mut self) -> Result<i64, StoreError> {
        self.0
            .write("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK])?;
        let row = self
            .0
            .query_one("SELECT COALESCE(MAX(seq), 0) + 1 FROM publications", &[])?;
        Ok(row.try_get(0)?)
    }
}

impl rules::Tx for PgTx<'_, '_> {
    fn article(&mut self, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
        self.0
            .query_opt(ARTICLE_LOCKED, &[&id.to_string()])?
            .map(|r| article_row(&r))
            .transpose()
    }

    fn revision(&mut self, id: RevisionId) -> Result<Option<RevisionRecord>, StoreError> {
        self.0
            .query_opt(
                &format!("SELECT {REVISION_COLUMNS} FROM revisions r WHERE r.id = $1"),
                &[&id.to_string()],
            )?
            .map(|r| revision_at(&r, 0))
            .transpose()
    }

    fn revision_content(&mut self, id: RevisionId) -> Result<Option<RevisionContent>, StoreError> {
        self.0
            .query_opt(
                "SELECT meta, body, sha256 FROM revisions WHERE id = $1",
                &[&id.to_string()],
            )?
            .map(|r| {
                Ok(RevisionContent {
                    meta_json: r.try_get(0)?,
                    body_json: r.try_get(1)?,
                    sha256: r.try_get(2)?,
                })
            })
            .transpose()
    }

    fn stored_push(&mut self, id: RevisionId) -> Result<Option<StoredPush>, StoreError> {
        self.0
            .query_opt(STORED_PUSH, &[&id.to_string()])?
            .map(|r| stored_push(&r))
            .transpose()
    }

    fn is_revision_of(
        &mut self,
        revision: RevisionId,
        article: ArticleId,
    ) -> Result<bool, StoreError> {
        Ok(self
            .0
            .query_opt(
                IS_REVISION_OF,
                &[&revision.to_string(), &article.to_string()],
            )?
            .is_some())
    }

    fn desk_exists(&mut self, slug: &str) -> Result<bool, StoreError> {
        Ok(self.0.query_opt(DESK_EXISTS, &[&slug])?.is_some())
    }

    fn push_facts(
        &mut self,
        push: RevisionId,
        article: ArticleId,
        desk: &str,
        parents: &[RevisionId],
    ) -> Result<PushFacts, StoreError> {
        // Sent together, one round trip; run in this order, so the parents are looked up
        // after the article's lock is held.
        let (push, article) = (push.to_string(), article.to_string());
        let parents: Vec<String> = parents.iter().map(ToString::to_string).collect();
        let stored_params: [&(dyn ToSql + Sync); 1] = [&push];
        let desk_params: [&(dyn ToSql + Sync); 1] = [&desk];
        let article_params: [&(dyn ToSql + Sync); 1] = [&article];
        let parent_params: Vec<[&(dyn ToSql + Sync); 2]> =
            parents.iter().map(|p| [p as _, &article as _]).collect();
        let mut reads: Vec<(&str, super::db::Params<'_>)> = vec![
            (STORED_PUSH, &stored_params),
            (DESK_EXISTS, &desk_params),
            (ARTICLE_LOCKED, &article_params),
        ];
        reads.extend(parent_params.iter().map(|p| (IS_REVISION_OF, &p[..])));
        let mut answers = self.0.query_together(&reads)?.into_iter();
        let mut next = || answers.next().unwrap_or_default();
        let stored = next().first().map(stored_push).transpose()?;
        let desk_exists = !next().is_empty();
        let article = next().first().map(article_row).transpose()?;
        let parents_stored = parents.iter().map(|_| !next().is_empty()).collect();
        Ok(PushFacts {
            stored,
            desk_exists,
            article,
            parents_stored,
        })
    }

    fn insert_article(&mut self, a: &ArticleRow) -> Result<(), StoreError> {
        self.0.write(
            "INSERT INTO articles (id, desk, state, author_id, author, head, created_at,
                 touched_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            &[
                &a.id.to_string(),
                &a.desk,
                &a.state.as_str(),
                &a.author_id.to_string(),
                &a.author,
                &a.head.to_string(),
                &a.created_at,
            ],
        )?;
        self.1.touched.push(a.id);
        Ok(())
    }

    fn move_head(
        &mut self,
        article: ArticleId,
        head: RevisionId,
        desk: &str,
    ) -> Result<(), StoreError> {
        self.0.write(
            "UPDATE articles SET head = $1, desk = $2, touched_at = $4 WHERE id = $3",
            &[
                &head.to_string(),
                &desk,
                &article.to_string(),
                &rules::now(),
            ],
        )?;
        self.1.touched.push(article);
        Ok(())
    }

    fn set_state(&mut self, article: ArticleId, state: WorkflowState) -> Result<(), StoreError> {
        self.0.write(
            "UPDATE articles SET state = $1, touched_at = $3 WHERE id = $2",
            &[&state.as_str(), &article.to_string(), &rules::now()],
        )?;
        self.1.touched.push(article);
        Ok(())
    }

    fn archive_stale(&mut self, article: ArticleId, head: RevisionId) -> Result<(), StoreError> {
        super::archive::stale(self.0, article, head)
    }

    fn append_change(&mut self, c: &NewChange<'_>) -> Result<i64, StoreError> {
        let kind = match c.kind {
            ChangeKind::Revision => "revision",
            ChangeKind::State => "state",
        };
        // Unnumbered: the sequencer numbers it once it has committed (`sequencer.rs`). The
        // article's last-changed time with it, unless this transaction wrote the article's row
        // with it already (a new head, a new state: one version of the row, not two).
        let sql = if self.1.touched.contains(&c.article) {
            "INSERT INTO changes (kind, article_id, revision_id, desk, state, author, head,
                                  note, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        } else {
            "WITH c AS (
                 INSERT INTO changes (kind, article_id, revision_id, desk, state, author, head,
                                      note, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 RETURNING article_id, at)
             UPDATE articles SET touched_at = c.at FROM c WHERE articles.id = c.article_id"
        };
        self.0.write(
            sql,
            &[
                &kind,
                &c.article.to_string(),
                &c.revision.map(|r| r.to_string()),
                &c.desk,
                &c.state.as_str(),
                &c.author,
                &c.head.to_string(),
                &c.note,
                &c.at,
            ],
        )?;
        self.1.appended_to_feed = true;
        Ok(super::sequencer::UNNUMBERED)
    }

    fn insert_revision(&mut self, r: &NewRevisionRow<'_>) -> Result<(), StoreError> {
        let status = i32::try_from(r.response_status)
            .map_err(|_| StoreError::Database(format!("status {}", r.response_status)))?;
        self.0.write(
            "INSERT INTO revisions (id, article_id, parent, merge_parent, author_id, author,
                 meta, body, sha256, created_at, received_at, seq, response_status,
                 response_body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[
                &r.id.to_string(),
                &r.article.to_string(),
                &r.parent.map(|p| p.to_string()),
                &r.merge_parent.map(|p| p.to_string()),
                &r.author_id.to_string(),
                &r.author,
                &r.meta_json,
                &r.body_json,
                &r.sha256,
                &r.created_at,
                &r.received_at,
                // Numbered with its change, after commit.
                &(r.seq != super::sequencer::UNNUMBERED).then_some(r.seq),
                &status,
                &r.response_body,
            ],
        )?;
        Ok(())
    }

    fn audit(&mut self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        let (last_id, previous) = match self.1.audit_end {
            // The lock is held until commit: the chain's end is still this transaction's.
            Some(end) => end,
            None => {
                self.0
                    .write("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_LOCK])?;
                let last = self
                    .0
                    .query_opt("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])?;
                match last {
                    None => (0, GENESIS),
                    Some(row) => {
                        let hash: Option<Vec<u8>> = row.try_get(1)?;
                        let previous = hash.and_then(|h| h.try_into().ok()).unwrap_or(GENESIS);
                        (row.try_get::<_, i64>(0)?, previous)
                    }
                }
            }
        };
        let id = last_id + 1;
        let stored = AuditEntry {
            id,
            at: rules::now(),
            user_id: entry.user_id,
            username: entry.username.clone(),
            article_id: entry.article_id,
            action: entry.action.clone(),
            outcome: entry.outcome.clone(),
            detail: entry.detail.clone(),
            session: entry.session.clone(),
            address: entry.address.clone(),
            hash: None,
        };
        let hash = stored.link_after(&previous);
        self.1.audit_end = Some((id, hash));
        self.0.write(
            "INSERT INTO audit (id, at, user_id, username, article_id, action, outcome, detail,
                                session, address, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &stored.id,
                &stored.at,
                &stored.user_id.map(|u| u.to_string()),
                &stored.username,
                &stored.article_id.map(|a| a.to_string()),
                &stored.action,
                &stored.outcome,
                &stored.detail,
                &stored.session,
                &stored.address,
                &&hash[..],
            ],
        )?;
        Ok(())
    }

    fn latest_approval(&mut self, article: ArticleId) -> Result<Option<ApprovalInfo>, StoreError> {
        self.0
            .query_opt(
                "SELECT id, revision_id, sha256, editor, created_at FROM approvals
                 WHERE article_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&article.to_string()],
            )?
            .map(|r| {
                Ok(ApprovalInfo {
                    id: r.try_get(0)?,
                    rev_id: parsed(&r, 1)?,
                    sha256: r.try_get(2)?,
                    editor: r.try_get(3)?,
                    at: r.try_get(4)?,
                })
            })
            .transpose()
    }

    fn approved_revision(
        &mut self,
        approval_id: &str,
        article: ArticleId,
    ) -> Result<Option<RevisionId>, StoreError> {
        self.0
            .query_opt(
                "SELECT revision_id FROM approvals WHERE id = $1 AND article_id = $2",
                &[&approval_id, &article.to_string()],
            )?
            .map(|r| parsed(&r, 0))
            .transpose()
    }

    fn insert_approval(&mut self, a: &NewApproval<'_>) -> Result<(), StoreError> {
        self.0.write(
            "INSERT INTO approvals (id, article_id, revision_id, sha256, editor_id, editor,
                 created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &a.id,
                &a.article.to_string(),
                &a.revision.to_string(),
                &a.sha256,
                &a.editor_id.to_string(),
                &a.editor,
                &a.at,
            ],
        )?;
        Ok(())
    }

    fn publication_of_approval(&mut self, approval_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .0
            .query_opt(
                "SELECT id FROM publications WHERE approval_id = $1",
                &[&approval_id],
            )?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    fn latest_publication(
        &mut self,
        article: ArticleId,
    ) -> Result<Option<LatestPublication>, StoreError> {
        self.0
            .query_opt(
                "SELECT id, revision_id, published_at, meta FROM publications
                 WHERE article_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&article.to_string()],
            )?
            .map(|r| {
                Ok(LatestPublication {
                    id: r.try_get(0)?,
                    revision: parsed(&r, 1)?,
                    published_at: r.try_get(2)?,
                    meta_json: r.try_get(3)?,
                })
            })
            .transpose()
    }

    fn insert_publication(&mut self, p: &NewPublication<'_>) -> Result<(), StoreError> {
        let seq = self.next_publication_number()?;
        self.0.write(
            "INSERT INTO publications (seq, id, article_id, revision_id, approval_id, sha256,
                 meta, body, published_at, created_at, created_by, correction, replaces)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &seq,
                &p.id,
                &p.article.to_string(),
                &p.revision.to_string(),
                &p.approval_id,
                &p.sha256,
                &p.meta_json,
                &p.body_json,
                &p.published_at,
                &p.created_at,
                &p.created_by.to_string(),
                &p.correction,
                &p.replaces,
            ],
        )?;
        Ok(())
    }

    fn set_published_at(&mut self, publication_id: &str, at: &str) -> Result<(), StoreError> {
        self.0.write(
            "UPDATE publications SET published_at = $1 WHERE id = $2",
            &[&at, &publication_id],
        )?;
        Ok(())
    }

    fn media_complete(&mut self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self
            .0
            .query_opt(
                "SELECT 1 FROM media WHERE sha256 = $1 AND complete = 1 LIMIT 1",
                &[&sha256],
            )?
            .is_some())
    }

    fn link_article_media(
        &mut self,
        article: ArticleId,
        shas: &[String],
    ) -> Result<(), StoreError> {
        for sha in shas {
            self.0.write(
                "INSERT INTO article_media (sha256, article_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[sha, &article.to_string()],
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
            self.0.write(
                "INSERT INTO publication_media (sha256, publication_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[sha, &publication_id],
            )?;
        }
        Ok(())
    }

    fn upload(
        &mut self,
        id: &str,
        owner: UserId,
        lock: bool,
    ) -> Result<Option<MediaStatus>, StoreError> {
        media::upload(self.0, id, owner, lock)
    }

    fn upload_of_file(
        &mut self,
        owner: UserId,
        sha256: &str,
    ) -> Result<Option<MediaStatus>, StoreError> {
        media::upload_of_file(self.0, owner, sha256)
    }

    fn lock_uploader(&mut self, owner: UserId) -> Result<(), StoreError> {
        media::lock_uploader(self.0, owner)
    }

    fn upload_bytes_held(&mut self, owner: UserId) -> Result<u64, StoreError> {
        media::bytes_held(self.0, owner)
    }

    fn insert_upload(&mut self, upload: &NewUpload<'_>) -> Result<(), StoreError> {
        media::insert(self.0, upload)
    }

    fn append_chunk(
        &mut self,
        id: &str,
        offset: u64,
        data: &[u8],
        received: u64,
    ) -> Result<(), StoreError> {
        media::append_chunk(self.0, id, offset, data, received)
    }

    fn read_chunks(&mut self, id: &str, each: &mut dyn FnMut(&[u8])) -> Result<(), StoreError> {
        media::read_chunks(self.0, id, each)
    }

    fn reset_upload(&mut self, id: &str) -> Result<(), StoreError> {
        media::reset(self.0, id)
    }

    fn complete_upload(&mut self, id: &str) -> Result<(), StoreError> {
        media::complete(self.0, id)
    }

    fn complete_upload_of(&mut self, sha256: &str) -> Result<Option<CompleteUpload>, StoreError> {
        media::complete_upload_of(self.0, sha256)
    }

    fn media_shown_publicly(&mut self, sha256: &str, now: &str) -> Result<bool, StoreError> {
        media::shown_publicly(self.0, sha256, now)
    }

    fn articles_showing(&mut self, sha256: &str) -> Result<Vec<ArticleRow>, StoreError> {
        media::articles_showing(self.0, sha256)
    }

    fn learn_words(&mut self, article: ArticleId, words: &[&str]) -> Result<(), StoreError> {
        let words: Vec<&str> = words.to_vec();
        self.0.write(
            "INSERT INTO lexicon_seen (word, article_id)
             SELECT w, $2 FROM unnest($1::text[]) AS w
             ON CONFLICT DO NOTHING",
            &[&words, &article.to_string()],
        )?;
        Ok(())
    }

    fn targets(&mut self) -> Result<Vec<TargetRecord>, StoreError> {
        self.0
            .query(
                "SELECT name, kind, url, username, secret, desks, categories, created_at
                 FROM targets ORDER BY name",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(TargetRecord {
                    name: r.try_get(0)?,
                    kind: parsed(r, 1)?,
                    url: r.try_get(2)?,
                    username: r.try_get(3)?,
                    sealed_secret: r.try_get(4)?,
                    desks: json(r, 5)?,
                    categories: json(r, 6)?,
                    created_at: r.try_get(7)?,
                })
            })
            .collect()
    }

    fn drop_future_delivery(
        &mut self,
        target: &str,
        article: ArticleId,
        after: &str,
    ) -> Result<(), StoreError> {
        self.0.write(
            "DELETE FROM deliveries
             WHERE target = $1 AND article_id = $2 AND state = 'pending' AND attempts = 0
               AND next_attempt_at > $3",
            &[&target, &article.to_string(), &after],
        )?;
        Ok(())
    }

    fn insert_delivery(&mut self, d: &NewDelivery<'_>) -> Result<(), StoreError> {
        self.0.write(
            "INSERT INTO deliveries (id, target, article_id, event, publication_id, state,
                 next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
            &[
                &d.id,
                &d.target,
                &d.article.to_string(),
                &d.event.as_str(),
                &d.publication_id,
                &d.due,
                &d.created_at,
            ],
        )?;
        Ok(())
    }

    fn latest_delivery(
        &mut self,
        article: ArticleId,
        target: &str,
    ) -> Result<Option<(String, DeliveryState)>, StoreError> {
        self.0
            .query_opt(
                "SELECT id, state FROM deliveries WHERE article_id = $1 AND target = $2
                 ORDER BY seq DESC LIMIT 1",
                &[&article.to_string(), &target],
            )?
            .map(|r| {
                let state: String = r.try_get(1)?;
                Ok((r.try_get(0)?, delivery_state(&state)))
            })
            .transpose()
    }

    fn requeue_delivery(&mut self, id: &str, at: &str) -> Result<(), StoreError> {
        self.0.write(
            "UPDATE deliveries SET state = 'pending', next_attempt_at = $2, finished_at = NULL
             WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn deliveries_of(&mut self, article: ArticleId) -> Result<Vec<DeliveryInfo>, StoreError> {
        self.0
            .query(
                "SELECT d.target, d.event, d.state, p.remote_url, d.error, d.attempts,
                        d.next_attempt_at
                 FROM deliveries d
                 LEFT JOIN remote_posts p ON p.target = d.target AND p.article_id = d.article_id
                 WHERE d.article_id = $1
                   AND d.seq = (SELECT max(e.seq) FROM deliveries e
                                WHERE e.article_id = d.article_id AND e.target = d.target)
                 ORDER BY d.target",
                &[&article.to_string()],
            )?
            .iter()
            .map(|r| {
                let state = delivery_state(&r.try_get::<_, String>(2)?);
                Ok(DeliveryInfo {
                    target: r.try_get(0)?,
                    event: r.try_get(1)?,
                    state,
                    remote_url: r.try_get(3)?,
                    error: r.try_get(4)?,
                    attempts: u32::try_from(r.try_get::<_, i64>(5)?).unwrap_or(u32::MAX),
                    next_attempt_at: if state == DeliveryState::Pending {
                        r.try_get(6)?
                    } else {
                        None
                    },
                })
            })
            .collect()
    }

    fn add_lexicon_word(&mut self, word: &str, by: &str) -> Result<(), StoreError> {
        self.0.write(
            "INSERT INTO lexicon_added (word, added_by, added_at) VALUES ($1, $2, $3)
             ON CONFLICT (word) DO NOTHING",
            &[&word, &by, &rules::now()],
        )?;
        Ok(())
    }

    fn comment(&mut self, id: &str) -> Result<Option<CommentRecord>, StoreError> {
        self.0
            .query_opt(
                &format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"),
                &[&id],
            )?
            .map(|r| comment_row(&r))
            .transpose()
    }

    fn insert_comment(&mut self, c: &NewComment<'_>) -> Result<(), StoreError> {
        self.0.write(
            "INSERT INTO comments (id, article_id, parent_id, block_id, start_offset,
                 end_offset, quote, author_id, author, body, created_at, resolved_at,
                 resolved_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &c.id,
                &c.article.to_string(),
                &c.parent_id,
                &c.anchor.block_id,
                &i64::from(c.anchor.start),
                &i64::from(c.anchor.end),
                &c.quote,
                &c.author_id.to_string(),
                &c.author,
                &c.body,
                &c.created_at,
                &c.resolved.then_some(c.created_at),
                &c.resolved.then_some(c.author),
            ],
        )?;
        Ok(())
    }

    fn resolve_comment(&mut self, id: &str, at: &str, by: &str) -> Result<(), StoreError> {
        self.0.write(
            "UPDATE comments SET resolved_at = $2, resolved_by = $3 WHERE id = $1",
            &[&id, &at, &by],
        )?;
        Ok(())
    }
}
