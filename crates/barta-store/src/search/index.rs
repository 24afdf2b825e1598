//! Keeping the index up to date: an article's searchable text and search row, recomputed
//! for every article changed since the last search, and the stored text chunks that
//! snippets are cut from.

use barta_model::ArticleId;
use rusqlite::{Transaction, params};

use crate::codec::pack;
use crate::store::parse;
use crate::{Store, StoreError};
use bangla::search::{derived, text_chunks};

/// Recomputes one article's search row and tags inside `tx`.
pub(super) fn index_article(tx: &Transaction<'_>, article_id: &str) -> Result<(), StoreError> {
    let id: ArticleId = parse(article_id, "article id")?;
    let (meta, body) = crate::working::read(tx, id)?;
    let text = barta_model::searchable_text(&meta, &body);
    let headline = bangla::search_key(&meta.headline);
    let body_key = bangla::search_key(&text);
    let (hstem, hloose) = derived(&headline);
    let (bstem, bloose) = derived(&body_key);
    // The snippet text lives in `search_text` (schema 5; in chunks since 6): `text` here
    // stays empty.
    let doc: i64 = tx.query_row(
        "INSERT INTO search_docs (article_id, headline, body, hstem, bstem, loose, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '')
         ON CONFLICT(article_id) DO UPDATE SET headline = excluded.headline,
           body = excluded.body, hstem = excluded.hstem, bstem = excluded.bstem,
           loose = excluded.loose, text = ''
         RETURNING doc",
        params![
            article_id,
            headline,
            body_key,
            hstem,
            bstem,
            format!("{hloose}{bloose}")
        ],
        |r| r.get(0),
    )?;
    tx.execute("DELETE FROM search_text WHERE doc = ?1", [doc])?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO search_text (doc, chunk, text) VALUES (?1, ?2, ?3)")?;
        for (i, chunk) in text_chunks(&text, TEXT_CHUNK).enumerate() {
            insert.execute(params![doc, i as i64, pack(chunk.as_bytes())?])?;
        }
    }
    tx.execute(
        "UPDATE articles SET search_doc = ?2 WHERE id = ?1 AND search_doc IS NOT ?2",
        params![article_id, doc],
    )?;
    tx.execute(
        "DELETE FROM article_tags WHERE article_id = ?1",
        [article_id],
    )?;
    for tag in &meta.tags {
        tx.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?1, ?2)",
            params![article_id, tag],
        )?;
    }
    Ok(())
}

/// Bytes of snippet text in a chunk of `search_text`. Each chunk is compressed on its own (to
/// about 700 bytes for Bengali), which keeps a chunk inside its b-tree page (up to about
/// 1,000 bytes in a `WITHOUT ROWID` table) and costs next to nothing in size.
pub(super) const TEXT_CHUNK: usize = 2048;

impl Store {
    /// Recomputes the search keys of every article changed since the last search, in one
    /// transaction. Searching calls this first; returns how many articles were indexed.
    pub fn refresh_search(&mut self) -> Result<usize, StoreError> {
        let any: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM search_dirty)", [], |r| {
                    r.get(0)
                })?;
        if !any {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        let dirty: Vec<String> = {
            let mut stmt = tx.prepare("SELECT article_id FROM search_dirty")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for id in &dirty {
            index_article(&tx, id)?;
        }
        tx.execute("DELETE FROM search_dirty", [])?;
        tx.commit()?;
        Ok(dirty.len())
    }

    /// The tags of an article as last indexed.
    pub fn tags(&mut self, id: ArticleId) -> Result<Vec<String>, StoreError> {
        self.refresh_search()?;
        let mut stmt = self
            .conn
            .prepare("SELECT tag FROM article_tags WHERE article_id = ?1 ORDER BY tag")?;
        let tags = stmt
            .query_map([id.to_string()], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(tags)
    }
}
