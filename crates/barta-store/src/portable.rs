//! Moving articles in and out: one article as ninjs, and the whole store to or from a folder
//! (a reporter's way to move to a new laptop or hand an archive over). Imports are all or
//! nothing: every file is read and checked before the one transaction that writes them.

use crate::codec::{pack_json, unpack_json};
use crate::ninjs::{NinjsArticle, from_ninjs, to_ninjs};
use crate::store::{insert_local_revision, mark_dirty, now, parse};
use crate::{Store, StoreError};
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `format` of an archive's `manifest.json`.
pub const ARCHIVE_FORMAT: &str = "barta-store-archive";
/// The archive layout version this build writes and reads.
pub const ARCHIVE_VERSION: u32 = 1;

/// `manifest.json` of an exported folder.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    schema_version: u32,
    exported_at: String,
    articles: usize,
}

/// Everything the store holds about one article, beyond its ninjs.
#[derive(Debug, Serialize, Deserialize)]
struct ArchivedArticle {
    id: ArticleId,
    desk: String,
    author: String,
    state: String,
    sync_state: String,
    head: Option<RevisionId>,
    server_head: Option<RevisionId>,
    note: Option<String>,
    created_at: String,
    updated_at: String,
    working_meta: ArticleMeta,
    working_body: Document,
    revisions: Vec<ArchivedRevision>,
    comments: Vec<ArchivedComment>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ArchivedRevision {
    id: RevisionId,
    parent: Option<RevisionId>,
    merge_parent: Option<RevisionId>,
    author: String,
    meta: ArticleMeta,
    body: Document,
    sha256: String,
    created_at: String,
    origin: String,
    server_seq: Option<i64>,
    /// The status of its outbox row (local revisions only).
    outbox: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ArchivedComment {
    id: String,
    block_id: String,
    author: String,
    body: String,
    created_at: String,
    resolved_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(default)]
    start: u32,
    #[serde(default)]
    end: u32,
    #[serde(default)]
    quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resolved_by: Option<String>,
    #[serde(default)]
    synced: bool,
}

/// One article file of an archive: its ninjs plus the store's own record.
#[derive(Debug, Serialize, Deserialize)]
struct ArchiveFile {
    ninjs: Value,
    barta: ArchivedArticle,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Articles written.
    pub imported: Vec<ArticleId>,
    /// Articles already in the store, left as they were.
    pub skipped: Vec<ArticleId>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(path: &Path, reason: impl std::fmt::Display) -> StoreError {
    StoreError::BadArchive {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn exists(tx: &Transaction<'_>, id: ArticleId) -> Result<bool, StoreError> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM articles WHERE id = ?1",
            [id.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Creates an article from an imported ninjs item with a first local revision.
fn insert_ninjs(
    tx: &Transaction<'_>,
    article: NinjsArticle,
    default_desk: &str,
    author: &str,
) -> Result<Option<ArticleId>, StoreError> {
    let id = article.id.unwrap_or_default();
    if exists(tx, id)? {
        return Ok(None);
    }
    let mut meta = article.meta;
    if meta.desk.trim().is_empty() {
        meta.desk = bangla::normalize(default_desk);
    }
    if meta.desk.trim().is_empty() {
        return Err(StoreError::MissingDesk);
    }
    let at = now();
    tx.execute(
        "INSERT INTO articles (id, desk, author, state, sync_state, headline, created_at,
         updated_at) VALUES (?1, ?2, ?3, 'draft', 'local_only', ?4, ?5, ?5)",
        params![id.to_string(), meta.desk, author, meta.headline, at],
    )?;
    crate::working::write(tx, &id.to_string(), &meta, &article.body, &at)?;
    insert_local_revision(tx, id, author, meta, article.body)?;
    mark_dirty(tx, &id.to_string())?;
    Ok(Some(id))
}

fn insert_archived(tx: &Transaction<'_>, a: &ArchivedArticle) -> Result<bool, StoreError> {
    if exists(tx, a.id)? {
        return Ok(false);
    }
    let id = a.id.to_string();
    tx.execute(
        "INSERT INTO articles (id, desk, author, state, sync_state, head, server_head, headline,
         note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            a.desk,
            a.author,
            a.state,
            a.sync_state,
            a.head.map(|h| h.to_string()),
            a.server_head.map(|h| h.to_string()),
            a.working_meta.headline,
            a.note,
            a.created_at,
            a.updated_at
        ],
    )?;
    crate::working::write(tx, &id, &a.working_meta, &a.working_body, &a.updated_at)?;
    for r in &a.revisions {
        tx.execute(
            "INSERT INTO revisions (id, article_id, parent, merge_parent, author, meta, body,
             sha256, created_at, origin, server_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                r.id.to_string(),
                id,
                r.parent.map(|p| p.to_string()),
                r.merge_parent.map(|p| p.to_string()),
                r.author,
                serde_json::to_string(&r.meta)?,
                pack_json(&r.body)?,
                r.sha256,
                r.created_at,
                r.origin,
                r.server_seq
            ],
        )?;
        if r.origin == "local" {
            let status = r.outbox.as_deref().unwrap_or("done");
            tx.execute(
                "INSERT INTO outbox (article_id, kind, revision_id, status, created_at,
                 finished_at) VALUES (?1, 'revision', ?2, ?3, ?4,
                 CASE WHEN ?3 = 'pending' THEN NULL ELSE ?4 END)",
                params![id, r.id.to_string(), status, r.created_at],
            )?;
        }
    }
    for c in &a.comments {
        tx.execute(
            "INSERT OR IGNORE INTO comments (id, article_id, block_id, author, body, created_at,
             resolved_at, parent_id, start_offset, end_offset, quote, resolved_by, synced)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                c.id,
                id,
                c.block_id,
                c.author,
                c.body,
                c.created_at,
                c.resolved_at,
                c.parent_id,
                c.start,
                c.end,
                c.quote,
                c.resolved_by,
                c.synced
            ],
        )?;
    }
    mark_dirty(tx, &id)?;
    Ok(true)
}

/// Checks an archived article before anything is written: valid documents, normalized text,
/// every revision's hash matching its content, and a head that is one of its revisions.
fn check_archived(path: &Path, a: &mut ArchivedArticle) -> Result<(), StoreError> {
    a.working_meta.map_text(&bangla::normalize);
    a.working_body.map_text(&bangla::normalize);
    a.working_body.validate().map_err(|e| bad(path, e))?;
    for r in &a.revisions {
        r.body.validate().map_err(|e| bad(path, e))?;
        if RevisionPush::hash_of(&r.meta, &r.body) != r.sha256 {
            return Err(bad(
                path,
                format!("revision {} does not match its sha256", r.id),
            ));
        }
        // Revisions are immutable and hashed: their text must already be in stored form.
        let (mut meta, mut body) = (r.meta.clone(), r.body.clone());
        meta.map_text(&bangla::normalize);
        body.map_text(&bangla::normalize);
        if meta != r.meta || body != r.body {
            return Err(bad(
                path,
                format!("revision {} is not normalized text", r.id),
            ));
        }
        if !matches!(r.origin.as_str(), "local" | "server") {
            return Err(bad(
                path,
                format!("revision {} has origin {:?}", r.id, r.origin),
            ));
        }
    }
    if let Some(head) = a.head
        && !a.revisions.iter().any(|r| r.id == head)
    {
        return Err(bad(path, format!("head {head} is not among the revisions")));
    }
    parse::<barta_model::WorkflowState>(&a.state, "workflow state").map_err(|e| bad(path, e))?;
    parse::<barta_model::SyncState>(&a.sync_state, "sync state").map_err(|e| bad(path, e))?;
    for c in &mut a.comments {
        c.body = bangla::normalize(&c.body);
    }
    Ok(())
}

impl Store {
    /// One article as a ninjs 2.x item (its working copy).
    pub fn export_ninjs(&self, id: ArticleId) -> Result<Value, StoreError> {
        let draft = self.load_article(id)?;
        let (created_at, versions): (String, usize) = self.conn.query_row(
            "SELECT created_at, (SELECT COUNT(*) FROM revisions WHERE article_id = ?1)
             FROM articles WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(to_ninjs(
            id,
            &draft.summary.desk,
            &draft.meta,
            &draft.body,
            &created_at,
            &draft.summary.updated_at,
            versions,
        ))
    }

    /// Imports ninjs items as new local articles, each with a first revision queued for the
    /// server, all in one transaction: when one item is invalid nothing is written. Items
    /// exported by Barta keep their id; one already in the store is skipped.
    pub fn import_ninjs(
        &mut self,
        items: &[Value],
        default_desk: &str,
        author: &str,
    ) -> Result<ImportReport, StoreError> {
        let parsed = items
            .iter()
            .map(from_ninjs)
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self.conn.transaction()?;
        let mut report = ImportReport::default();
        for article in parsed {
            let wanted = article.id;
            match insert_ninjs(&tx, article, default_desk, author)? {
                Some(id) => report.imported.push(id),
                None => report.skipped.extend(wanted),
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// Writes the whole store to `dir` (created if needed): `manifest.json` and one
    /// `articles/<id>.json` per article holding its ninjs and its full history.
    pub fn export_folder(&self, dir: &Path) -> Result<usize, StoreError> {
        let articles_dir = dir.join("articles");
        std::fs::create_dir_all(&articles_dir).map_err(io(&articles_dir))?;
        // One read transaction: a consistent snapshot even while the app keeps writing.
        let tx = self.conn.unchecked_transaction()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM articles ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for id in &ids {
            let article = self.archived(&tx, parse(id, "article id")?)?;
            let file = ArchiveFile {
                ninjs: self.export_ninjs(article.id)?,
                barta: article,
            };
            let path = articles_dir.join(format!("{id}.json"));
            let text = serde_json::to_string_pretty(&file)?;
            std::fs::write(&path, text).map_err(io(&path))?;
        }
        tx.finish()?;
        let manifest = Manifest {
            format: ARCHIVE_FORMAT.into(),
            version: ARCHIVE_VERSION,
            schema_version: crate::SCHEMA_VERSION,
            exported_at: now(),
            articles: ids.len(),
        };
        let path = dir.join("manifest.json");
        std::fs::write(&path, serde_json::to_string_pretty(&manifest)?).map_err(io(&path))?;
        Ok(ids.len())
    }

    fn archived(&self, tx: &Transaction<'_>, id: ArticleId) -> Result<ArchivedArticle, StoreError> {
        let draft = self.load_article(id)?;
        let (author, state, sync_state, server_head, note, created_at): (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        ) = tx.query_row(
            "SELECT author, state, sync_state, server_head, note, created_at FROM articles
             WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let mut revisions = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT r.id, r.parent, r.merge_parent, r.author, r.meta, r.body, r.sha256,
                        r.created_at, r.origin, r.server_seq,
                        (SELECT o.status FROM outbox o WHERE o.revision_id = r.id
                         AND o.kind = 'revision' ORDER BY o.id DESC LIMIT 1)
                 FROM revisions r WHERE r.article_id = ?1 ORDER BY r.created_at, r.rowid",
            )?;
            let rows = stmt.query_map([id.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    unpack_json::<Document>(r.get_ref(5)?),
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })?;
            for row in rows {
                let (rid, parent, merge, author, meta, body, sha, at, origin, seq, outbox) = row?;
                revisions.push(ArchivedRevision {
                    id: parse(&rid, "revision id")?,
                    parent: parent.map(|p| parse(&p, "revision id")).transpose()?,
                    merge_parent: merge.map(|p| parse(&p, "revision id")).transpose()?,
                    author,
                    meta: serde_json::from_str(&meta)?,
                    body: body?,
                    sha256: sha,
                    created_at: at,
                    origin,
                    server_seq: seq,
                    outbox,
                });
            }
        }
        let comments = {
            let mut stmt = tx.prepare(
                "SELECT id, block_id, author, body, created_at, resolved_at, parent_id,
                 start_offset, end_offset, quote, resolved_by, synced FROM comments
                 WHERE article_id = ?1 ORDER BY created_at, rowid",
            )?;
            stmt.query_map([id.to_string()], |r| {
                Ok(ArchivedComment {
                    id: r.get(0)?,
                    block_id: r.get(1)?,
                    author: r.get(2)?,
                    body: r.get(3)?,
                    created_at: r.get(4)?,
                    resolved_at: r.get(5)?,
                    parent_id: r.get(6)?,
                    start: r.get(7)?,
                    end: r.get(8)?,
                    quote: r.get(9)?,
                    resolved_by: r.get(10)?,
                    synced: r.get(11)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?
        };
        Ok(ArchivedArticle {
            id,
            desk: draft.summary.desk,
            author,
            state,
            sync_state,
            head: draft.head,
            server_head: server_head.map(|h| parse(&h, "revision id")).transpose()?,
            note,
            created_at,
            updated_at: draft.summary.updated_at,
            working_meta: draft.meta,
            working_body: draft.body,
            revisions,
            comments,
        })
    }

    /// Imports a folder written by [`Store::export_folder`]: every article with its history,
    /// its unsent revisions still queued, its comments. Everything is checked first; then
    /// one transaction writes it all. Articles already in the store are skipped.
    pub fn import_folder(&mut self, dir: &Path) -> Result<ImportReport, StoreError> {
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest_path).map_err(io(&manifest_path))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(&manifest_path, e))?;
        if manifest.format != ARCHIVE_FORMAT || manifest.version != ARCHIVE_VERSION {
            return Err(bad(
                &manifest_path,
                format!(
                    "format {:?} version {} is not {ARCHIVE_FORMAT} {ARCHIVE_VERSION}",
                    manifest.format, manifest.version
                ),
            ));
        }
        let articles_dir = dir.join("articles");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&articles_dir)
            .map_err(io(&articles_dir))?
            .map(|e| e.map(|e| e.path()).map_err(io(&articles_dir)))
            .collect::<Result<_, _>>()?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        if paths.len() != manifest.articles {
            return Err(bad(
                &articles_dir,
                format!(
                    "{} article files, the manifest lists {}",
                    paths.len(),
                    manifest.articles
                ),
            ));
        }
        let mut articles = Vec::with_capacity(paths.len());
        for path in &paths {
            let text = std::fs::read_to_string(path).map_err(io(path))?;
            let mut file: ArchiveFile = serde_json::from_str(&text).map_err(|e| bad(path, e))?;
            check_archived(path, &mut file.barta)?;
            articles.push(file.barta);
        }
        let tx = self.conn.transaction()?;
        let mut report = ImportReport::default();
        for a in &articles {
            if insert_archived(&tx, a)? {
                report.imported.push(a.id);
            } else {
                report.skipped.push(a.id);
            }
        }
        tx.commit()?;
        Ok(report)
    }
}
