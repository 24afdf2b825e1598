//! The working copy on disk (schema 5). `working_copies` holds the meta and, in `blocks`, the
//! ids of the top-level blocks in order; `working_blocks` holds each block's JSON, compressed.
//! A typing save writes only the blocks that changed since the last save: one word typed into a
//! 10,000-word article rewrites one block row, not the whole ~240 KB document. Rows written
//! before schema 5, and documents whose top-level blocks lack unique ids (which only the server
//! or a merge could hand over; the editor's documents are validated), keep the whole document
//! as JSON in `body` with `blocks` NULL.
//!
//! [`WorkingCache`] remembers, for the last few articles saved, each block as the editor sent
//! it and as it was stored, so unchanged blocks are neither normalized nor serialized again.
//! It is only trusted while no other connection has written (`PRAGMA data_version`); the
//! store's other writers of working copies clear it.

use crate::StoreError;
use crate::codec::{pack, unpack, unpack_json};
use barta_model::{ArticleId, ArticleMeta, Block, Document};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::{HashMap, HashSet};

/// Articles whose blocks the cache keeps (a reporter types into one at a time).
const CACHED_ARTICLES: usize = 4;

/// One saved block: as the editor sent it, and its stored (normalized) JSON.
struct CachedBlock {
    raw: Block,
    json: Vec<u8>,
}

/// The blocks of one article as its last save stored them, by block id.
type Entry = HashMap<String, CachedBlock>;

/// See the module documentation.
#[derive(Default)]
pub(crate) struct WorkingCache {
    data_version: i64,
    entries: Vec<(ArticleId, Entry)>,
}

impl WorkingCache {
    /// Forgets what it holds of `id` (after its working copy was written by another path).
    pub(crate) fn forget(&mut self, id: ArticleId) {
        self.entries.retain(|(a, _)| *a != id);
    }

    /// Takes the article's entry out, when it can still be trusted.
    fn take(&mut self, conn: &Connection, id: ArticleId) -> Result<Option<Entry>, StoreError> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if version != self.data_version {
            self.entries.clear();
            self.data_version = version;
        }
        Ok(self
            .entries
            .iter()
            .position(|(a, _)| *a == id)
            .map(|i| self.entries.remove(i).1))
    }

    /// The whole document from the blocks that changed since the last typing save of `id`
    /// and that save's blocks (see [`crate::Store::save_working_blocks`]). The entry stays in
    /// the cache for the save that follows.
    pub(crate) fn rebuild(
        &mut self,
        conn: &Connection,
        id: ArticleId,
        order: Vec<String>,
        changed: Vec<Block>,
    ) -> Result<Document, StoreError> {
        let stale = || StoreError::StaleWorkingCopy(id);
        let entry = self.take(conn, id)?.ok_or_else(stale)?;
        let mut changed: HashMap<String, Block> = changed
            .into_iter()
            .enumerate()
            .map(|(index, b)| match b.id() {
                Some(block_id) => Ok((block_id.to_string(), b)),
                None => Err(StoreError::InvalidDocument(
                    barta_model::DocumentError::MissingBlockId { index },
                )),
            })
            .collect::<Result<_, _>>()?;
        let content = order
            .iter()
            .map(|block_id| match changed.remove(block_id) {
                Some(block) => Some(block),
                None => entry.get(block_id).map(|c| c.raw.clone()),
            })
            .collect::<Option<Vec<_>>>();
        self.put(id, entry);
        let content = content.ok_or_else(stale)?;
        if !changed.is_empty() {
            // A changed block that the order does not name: the editor's view is not whole.
            return Err(stale());
        }
        Ok(Document {
            kind: "doc".into(),
            content,
        })
    }

    fn put(&mut self, id: ArticleId, entry: Entry) {
        self.entries.push((id, entry));
        if self.entries.len() > CACHED_ARTICLES {
            self.entries.remove(0);
        }
    }
}

/// Whether the document can be kept block by block: every top-level block has its own id.
fn blockwise(body: &Document) -> bool {
    let mut seen = HashSet::new();
    body.kind == "doc"
        && body
            .content
            .iter()
            .all(|b| b.id().is_some_and(|id| seen.insert(id)))
}

/// The stored JSON of each block of an article's working copy, by block id.
fn stored_blocks(conn: &Connection, id: &str) -> Result<HashMap<String, Vec<u8>>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT block_id, block FROM working_blocks WHERE article_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        out.insert(row.get(0)?, unpack(row.get_ref(1)?)?.into_owned());
    }
    Ok(out)
}

/// What is known of the stored blocks before a save.
enum Stored<'a> {
    /// Nothing: they are read from the database.
    Unknown,
    /// The last save's: the document's blocks are stored as they are except those in
    /// `changed`, and the blocks in `gone` are stored but no longer in the document.
    Known {
        changed: &'a HashSet<String>,
        gone: Vec<String>,
    },
}

/// Writes the blocks that differ from what is stored, deletes the stored blocks no longer in
/// the document, and writes the working copy's row.
fn write_blocks(
    tx: &Transaction<'_>,
    id: &str,
    meta: &ArticleMeta,
    blocks: &[(&str, &[u8])],
    stored: Stored<'_>,
    at: &str,
) -> Result<(), StoreError> {
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO working_blocks (article_id, block_id, block) VALUES (?1, ?2, ?3)
             ON CONFLICT(article_id, block_id) DO UPDATE SET block = excluded.block",
        )?;
        let mut delete = tx
            .prepare_cached("DELETE FROM working_blocks WHERE article_id = ?1 AND block_id = ?2")?;
        match stored {
            Stored::Unknown => {
                let stored = stored_blocks(tx, id)?;
                for (block_id, json) in blocks {
                    if stored.get(*block_id).map(Vec::as_slice) != Some(*json) {
                        upsert.execute(params![id, block_id, pack(json)?])?;
                    }
                }
                let kept: HashSet<&str> = blocks.iter().map(|(b, _)| *b).collect();
                for gone in stored.keys().filter(|b| !kept.contains(b.as_str())) {
                    delete.execute(params![id, gone])?;
                }
            }
            Stored::Known { changed, gone } => {
                for (block_id, json) in blocks {
                    if changed.contains(*block_id) {
                        upsert.execute(params![id, block_id, pack(json)?])?;
                    }
                }
                for block_id in gone {
                    delete.execute(params![id, block_id])?;
                }
            }
        }
    }
    let order: Vec<&str> = blocks.iter().map(|(b, _)| *b).collect();
    tx.prepare_cached(
        "INSERT INTO working_copies (article_id, meta, body, blocks, updated_at)
         VALUES (?1, ?2, '', ?3, ?4)
         ON CONFLICT(article_id) DO UPDATE SET meta = excluded.meta, body = '',
           blocks = excluded.blocks, updated_at = excluded.updated_at",
    )?
    .execute(params![
        id,
        serde_json::to_string(meta)?,
        serde_json::to_string(&order)?,
        at
    ])?;
    Ok(())
}

/// Writes an article's working copy whole (a new article, the server's text, a merge, an
/// import). The caller has normalized it.
pub(crate) fn write(
    tx: &Transaction<'_>,
    id: &str,
    meta: &ArticleMeta,
    body: &Document,
    at: &str,
) -> Result<(), StoreError> {
    if !blockwise(body) {
        tx.execute(
            "INSERT INTO working_copies (article_id, meta, body, blocks, updated_at)
             VALUES (?1, ?2, ?3, NULL, ?4)
             ON CONFLICT(article_id) DO UPDATE SET meta = excluded.meta, body = excluded.body,
               blocks = NULL, updated_at = excluded.updated_at",
            params![
                id,
                serde_json::to_string(meta)?,
                serde_json::to_string(body)?,
                at
            ],
        )?;
        tx.execute("DELETE FROM working_blocks WHERE article_id = ?1", [id])?;
        return Ok(());
    }
    let jsons = body
        .content
        .iter()
        .map(serde_json::to_vec)
        .collect::<Result<Vec<_>, _>>()?;
    let blocks: Vec<(&str, &[u8])> = body
        .content
        .iter()
        .zip(&jsons)
        .map(|(b, j)| (b.id().expect("blockwise"), j.as_slice()))
        .collect();
    write_blocks(tx, id, meta, &blocks, Stored::Unknown, at)
}

/// The JSON of a block with its text in stored form.
fn normalized_json(block: &Block) -> Result<Vec<u8>, StoreError> {
    let mut doc = Document {
        kind: "doc".into(),
        content: vec![block.clone()],
    };
    doc.map_text(&bangla::normalize);
    Ok(serde_json::to_vec(&doc.content[0])?)
}

/// A typing save written but not yet committed; [`WorkingCache::saved`] takes it after the
/// commit.
pub(crate) struct TypedSave {
    id: ArticleId,
    entry: Entry,
}

/// The typing path, inside `tx`: writes the blocks of a validated document that changed since
/// the last save (normalizing and serializing only the blocks the editor changed) and the
/// working copy's row; `meta` is already normalized. The caller commits, then hands the result
/// to [`WorkingCache::saved`].
pub(crate) fn write_typed(
    cache: &mut WorkingCache,
    tx: &Transaction<'_>,
    id: ArticleId,
    meta: &ArticleMeta,
    body: Document,
    at: &str,
) -> Result<TypedSave, StoreError> {
    let mut previous = cache.take(tx, id)?;
    let mut entry: Entry = HashMap::with_capacity(body.content.len());
    let mut order: Vec<String> = Vec::with_capacity(body.content.len());
    // Block ids whose JSON was computed afresh (the rest are as the last save stored them).
    let mut fresh: HashSet<String> = HashSet::new();
    for block in body.content {
        let block_id = block
            .id()
            .ok_or_else(|| StoreError::Corrupt("a validated block has no id".into()))?
            .to_string();
        let json = match previous
            .as_mut()
            .and_then(|p| p.remove(&block_id))
            .filter(|c| c.raw == block)
        {
            Some(cached) => cached.json,
            None => {
                fresh.insert(block_id.clone());
                normalized_json(&block)?
            }
        };
        order.push(block_id.clone());
        entry.insert(block_id, CachedBlock { raw: block, json });
    }
    let blocks: Vec<(&str, &[u8])> = order
        .iter()
        .map(|b| (b.as_str(), entry[b].json.as_slice()))
        .collect();
    let stored = match previous {
        // What is left of the last save's entry are the blocks no longer in the document.
        Some(gone) => Stored::Known {
            changed: &fresh,
            gone: gone.into_keys().collect(),
        },
        None => Stored::Unknown,
    };
    write_blocks(tx, &id.to_string(), meta, &blocks, stored, at)?;
    Ok(TypedSave { id, entry })
}

impl WorkingCache {
    /// Records a committed typing save.
    pub(crate) fn saved(&mut self, save: TypedSave) {
        self.put(save.id, save.entry);
    }
}

/// An article's working copy: its meta and body.
pub(crate) fn read(
    conn: &Connection,
    id: ArticleId,
) -> Result<(ArticleMeta, Document), StoreError> {
    enum Body {
        Whole(Result<Document, StoreError>),
        Blocks(String),
    }
    let key = id.to_string();
    let mut stmt =
        conn.prepare_cached("SELECT meta, blocks, body FROM working_copies WHERE article_id = ?1")?;
    let (meta, body) = stmt
        .query_row([&key], |r| {
            let meta: String = r.get(0)?;
            let body = match r.get::<_, Option<String>>(1)? {
                Some(order) => Body::Blocks(order),
                None => Body::Whole(unpack_json(r.get_ref(2)?)),
            };
            Ok((meta, body))
        })
        .optional()?
        .ok_or(StoreError::ArticleNotFound(id))?;
    let meta: ArticleMeta = serde_json::from_str(&meta)?;
    let order: Vec<String> = match body {
        Body::Whole(body) => return Ok((meta, body?)),
        Body::Blocks(order) => serde_json::from_str(&order)?,
    };
    let mut stmt =
        conn.prepare_cached("SELECT block_id, block FROM working_blocks WHERE article_id = ?1")?;
    let mut rows = stmt.query([&key])?;
    let mut by_id: HashMap<String, Block> = HashMap::with_capacity(order.len());
    while let Some(row) = rows.next()? {
        by_id.insert(row.get(0)?, unpack_json(row.get_ref(1)?)?);
    }
    let content = order
        .iter()
        .map(|b| {
            by_id.remove(b).ok_or_else(|| {
                StoreError::Corrupt(format!("working copy of {id}: block {b:?} missing"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        meta,
        Document {
            kind: "doc".into(),
            content,
        },
    ))
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use barta_model::{ArticleMeta, Document};

    fn meta() -> ArticleMeta {
        ArticleMeta {
            headline: "শিরোনাম".into(),
            desk: "national".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_save_that_fails_after_writing_its_blocks_is_forgotten() {
        let mut store = Store::open_in_memory().unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        let v1 = Document::from_paragraphs([("a", "প্রথম"), ("b", "দ্বিতীয়")]);
        let v2 = Document::from_paragraphs([("a", "প্রথম বদলানো"), ("b", "দ্বিতীয়")]);
        store.save_working_copy(id, meta(), v1.clone()).unwrap();
        store.refresh_search().unwrap();
        // The save fails after its blocks are written, when it queues the article for the
        // search index; the transaction is rolled back.
        store
            .conn
            .execute_batch(
                "CREATE TEMP TRIGGER fail BEFORE INSERT ON search_dirty
                 BEGIN SELECT RAISE(ABORT, 'injected'); END;",
            )
            .unwrap();
        assert!(store.save_working_copy(id, meta(), v2.clone()).is_err());
        store.conn.execute_batch("DROP TRIGGER fail").unwrap();
        assert_eq!(store.load_article(id).unwrap().body, v1);
        // The same document again: nothing of the failed save may count as stored.
        store.save_working_copy(id, meta(), v2.clone()).unwrap();
        assert_eq!(store.load_article(id).unwrap().body, v2);
    }
}
