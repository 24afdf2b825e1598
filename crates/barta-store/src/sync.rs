//! What the sync engine needs from the store beyond the outbox basics: reading a revision
//! with its author, keeping server revisions it fetched (a missing parent, the head a 409
//! named), and recording a merge — the merge revision, its outbox row, the superseded rows and
//! the rewritten working copy — in one transaction.

use crate::codec::pack_json;
use crate::store::Store;
use crate::types::{OutboxItem, StoreError};
use barta_model::api::RevisionRecord;
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashSet;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A merge to record: the merged content and the revisions it joins.
#[derive(Clone, Debug)]
pub struct MergeRecord<'a> {
    /// The outbox row whose push met a moved head (stored server-side as a sibling).
    pub conflicted: &'a OutboxItem,
    /// The server's head the merge is made on (its first parent).
    pub server_head: &'a RevisionRecord,
    pub meta: ArticleMeta,
    pub body: Document,
    pub author: &'a str,
    /// The working copy after the merge (the merged text, plus any unsaved typing merged in).
    pub working_copy: (ArticleMeta, Document),
}

impl Store {
    /// A revision held locally, with its author; `None` when it is not here.
    pub fn local_revision(
        &self,
        rev: RevisionId,
    ) -> Result<Option<(RevisionPush, String)>, StoreError> {
        let author: Option<String> = self
            .conn
            .query_row(
                "SELECT author FROM revisions WHERE id = ?1",
                [rev.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match author {
            None => Ok(None),
            Some(author) => Ok(Some((self.revision_push(rev)?, author))),
        }
    }

    /// Keeps revisions fetched from the server (a missing parent, a head named by a 409).
    /// Already known ones are left as they are; no head moves.
    pub fn keep_server_revisions(&mut self, revs: &[RevisionRecord]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for rev in revs {
            keep_server_revision(&tx, rev)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The revisions among `revs` that are not stored locally.
    pub fn missing_revisions(&self, revs: &[RevisionId]) -> Result<Vec<RevisionId>, StoreError> {
        let mut out = Vec::new();
        for rev in revs {
            let known = self
                .conn
                .query_row(
                    "SELECT 1 FROM revisions WHERE id = ?1",
                    [rev.to_string()],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if !known && !out.contains(rev) {
                out.push(*rev);
            }
        }
        Ok(out)
    }

    /// Records a merge in one transaction: the server head is kept; the conflicted row is done
    /// (the server stored it as a sibling) and later unsent revision rows of the article are
    /// marked superseded (their text is in the merge); the merge revision (parents: the server
    /// head and the conflicted revision) gets its outbox row; queued transitions naming a
    /// superseded revision now name the merge; the working copy becomes `working_copy`.
    pub fn record_merge(&mut self, merge: MergeRecord<'_>) -> Result<RevisionId, StoreError> {
        let article = merge.conflicted.article_id;
        self.working.forget(article);
        let aid = article.to_string();
        let at = now();
        let rev = RevisionId::new();
        let tx = self.conn.transaction()?;
        keep_server_revision(&tx, merge.server_head)?;
        tx.execute(
            "UPDATE outbox SET status = 'done', attempts = attempts + 1, error_code = 'merged',
             error_message = ?2, finished_at = ?3 WHERE id = ?1",
            params![
                merge.conflicted.id,
                format!(
                    "stored on the server beside {}; merged into {rev}",
                    merge.server_head.id
                ),
                at
            ],
        )?;
        let superseded: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT revision_id FROM outbox WHERE article_id = ?1 AND kind = 'revision'
                 AND status = 'pending' AND id > ?2",
            )?;
            stmt.query_map(params![aid, merge.conflicted.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        tx.execute(
            "UPDATE outbox SET status = 'conflict', error_code = 'superseded_by_merge',
             error_message = ?3, finished_at = ?4
             WHERE article_id = ?1 AND kind = 'revision' AND status = 'pending' AND id > ?2",
            params![
                aid,
                merge.conflicted.id,
                format!("not sent: its text is in merge revision {rev}"),
                at
            ],
        )?;
        let push = RevisionPush {
            merge_parent: Some(merge.conflicted.revision_id),
            ..RevisionPush::new(
                rev,
                Some(merge.server_head.id),
                merge.meta,
                merge.body,
                at.clone(),
            )
        };
        insert_local(&tx, article, &push, merge.author)?;
        tx.execute(
            "INSERT INTO outbox (article_id, kind, revision_id, created_at)
             VALUES (?1, 'revision', ?2, ?3)",
            params![aid, rev.to_string(), at],
        )?;
        let mut renamed = superseded;
        renamed.push(merge.conflicted.revision_id.to_string());
        for old in &renamed {
            tx.execute(
                "UPDATE outbox SET revision_id = ?3 WHERE article_id = ?1 AND kind = 'transition'
                 AND status = 'pending' AND revision_id = ?2",
                params![aid, old, rev.to_string()],
            )?;
        }
        let (wc_meta, wc_body) = merge.working_copy;
        tx.execute(
            "UPDATE articles SET head = ?2, server_head = ?3, headline = ?4, sync_state = 'pending',
             updated_at = ?5 WHERE id = ?1",
            params![
                aid,
                rev.to_string(),
                merge.server_head.id.to_string(),
                wc_meta.headline,
                at
            ],
        )?;
        crate::working::write(&tx, &aid, &wc_meta, &wc_body, &at)?;
        tx.commit()?;
        Ok(rev)
    }

    /// Which of `among` the server has not acknowledged a revision of yet (no server head):
    /// their comments wait for the article's first push.
    pub fn not_on_server(
        &self,
        among: impl IntoIterator<Item = ArticleId>,
    ) -> Result<HashSet<ArticleId>, StoreError> {
        // One primary-key lookup each: a scan of every article on each round would fill the
        // page cache with a 10,000-article store's rows for nothing.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1 AND server_head IS NULL")?;
        let mut out = HashSet::new();
        for id in among {
            if stmt.exists([id.to_string()])? {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// Which of the photos `among` (their SHA-256s) a revision written on this computer shows:
    /// only those are sent to the server. A photo added to a draft and taken out again
    /// before a version was saved never leaves the laptop. Reads the local revisions only
    /// when there is a photo to ask about.
    pub fn photos_in_own_revisions(&self, among: &[String]) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        if among.is_empty() {
            return Ok(found);
        }
        let wanted: Vec<(String, String)> = among
            .iter()
            .map(|sha| (sha.clone(), format!("\"media:{sha}.")))
            .collect();
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM revisions WHERE origin = 'local'")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let body = crate::codec::unpack(row.get_ref(0)?)?;
            for (sha, needle) in &wanted {
                if !found.contains(sha)
                    && body
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                {
                    found.insert(sha.clone());
                }
            }
            if found.len() == wanted.len() {
                break;
            }
        }
        Ok(found)
    }

    /// The outbox rows of an article with their status, oldest first (for tests and the UI).
    pub fn outbox_statuses(
        &self,
        article: ArticleId,
    ) -> Result<Vec<(RevisionId, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT revision_id, status FROM outbox WHERE article_id = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([article.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(rev, status)| {
                rev.parse()
                    .map(|r| (r, status))
                    .map_err(|_| StoreError::Corrupt(format!("bad revision id {rev:?}")))
            })
            .collect()
    }
}

fn insert_local(
    tx: &Transaction<'_>,
    article: ArticleId,
    push: &RevisionPush,
    author: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO revisions (id, article_id, parent, merge_parent, author, meta, body, sha256,
         created_at, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'local')",
        params![
            push.id.to_string(),
            article.to_string(),
            push.parent.map(|p| p.to_string()),
            push.merge_parent.map(|p| p.to_string()),
            author,
            serde_json::to_string(&push.meta)?,
            pack_json(&push.body)?,
            push.sha256,
            push.created_at
        ],
    )?;
    Ok(())
}

fn keep_server_revision(tx: &Transaction<'_>, rev: &RevisionRecord) -> Result<(), StoreError> {
    let article_known = tx
        .query_row(
            "SELECT 1 FROM articles WHERE id = ?1",
            [rev.article_id.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !article_known {
        // A revision of an article this store has not seen yet arrives with the feed.
        return Ok(());
    }
    tx.execute(
        "INSERT INTO revisions (id, article_id, parent, merge_parent, author, meta, body, sha256,
         created_at, origin, server_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'server', ?10)
         ON CONFLICT(id) DO NOTHING",
        params![
            rev.id.to_string(),
            rev.article_id.to_string(),
            rev.parent.map(|p| p.to_string()),
            rev.merge_parent.map(|p| p.to_string()),
            rev.author,
            serde_json::to_string(&rev.meta)?,
            pack_json(&rev.body)?,
            rev.sha256,
            rev.created_at,
            rev.seq
        ],
    )?;
    Ok(())
}
