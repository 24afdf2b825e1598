//! The archive search on SQLite: each article's search keys in the contentless FTS5 table
//! `archive_fts` (migration 15), queried with the laptop's expressions and bm25 weights
//! (headline above body), among the newest [`RANK_WINDOW`] matches.

use super::parsed;
use crate::store::StoreError;
use crate::store::archive::{ArchiveMatch, RANK_WINDOW, SearchDoc};
use bangla::search::Term;
use barta_model::api::UserInfo;
use barta_model::{ArticleId, RevisionId};
use rusqlite::{Connection, OptionalExtension, params};

/// bm25 column weights: headline, body, headline stems, body stems, loose forms (the
/// laptop's).
const BM25: &str = "bm25(archive_fts, 10.0, 1.0, 5.0, 0.5, 0.5)";

/// Stores `article`'s keys, replacing the ones it had.
fn index(conn: &Connection, article: ArticleId, doc: &SearchDoc) -> Result<(), StoreError> {
    let id = article.to_string();
    let existing: Option<i64> = conn
        .prepare_cached("SELECT doc FROM archive_docs WHERE article_id = ?1")?
        .query_row([&id], |r| r.get(0))
        .optional()?;
    let doc_id = match existing {
        Some(doc_id) => {
            conn.prepare_cached("DELETE FROM archive_fts WHERE rowid = ?1")?
                .execute([doc_id])?;
            doc_id
        }
        None => conn
            .prepare_cached("INSERT INTO archive_docs (article_id) VALUES (?1) RETURNING doc")?
            .query_row([&id], |r| r.get(0))?,
    };
    conn.prepare_cached(
        "INSERT INTO archive_fts (rowid, headline, body, hstem, bstem, loose)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc_id,
        doc.headline,
        doc.body,
        doc.headline_stems,
        doc.body_stems,
        doc.loose
    ])?;
    Ok(())
}

/// Notes that the index lacks `article`'s head `head` (a push made it the head).
pub fn stale(conn: &Connection, article: ArticleId, head: RevisionId) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO archive_stale (article_id, head) VALUES (?1, ?2)
         ON CONFLICT (article_id) DO UPDATE SET head = excluded.head",
    )?
    .execute(params![article.to_string(), head.to_string()])?;
    Ok(())
}

/// Up to `limit` articles whose head the index lacks, each with that head and its keys.
pub fn backlog(
    conn: &Connection,
    limit: u32,
) -> Result<Vec<(ArticleId, RevisionId, SearchDoc)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.article_id, s.head, r.meta, r.body
         FROM archive_stale s JOIN revisions r ON r.id = s.head
         LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok((
                parsed::<ArticleId>(r, 0)?,
                parsed::<RevisionId>(r, 1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, head, meta, body)| Ok((id, head, SearchDoc::of_json(&meta, &body)?)))
        .collect()
}

/// Stores the keys of `article`'s head `head`, and strikes it from the stale list unless a
/// push has moved the head since (then it stays listed, with the new head).
pub fn index_head(
    conn: &Connection,
    article: ArticleId,
    head: RevisionId,
    doc: &SearchDoc,
) -> Result<(), StoreError> {
    index(conn, article, doc)?;
    conn.prepare_cached("DELETE FROM archive_stale WHERE article_id = ?1 AND head = ?2")?
        .execute(params![article.to_string(), head.to_string()])?;
    Ok(())
}

/// The FTS5 expression of the terms: every term, in any of its forms.
fn expression(terms: &[Term]) -> String {
    terms
        .iter()
        .map(Term::fts)
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The articles the actor may read matching every term, best first.
pub fn search(
    conn: &Connection,
    actor: &UserInfo,
    terms: &[Term],
    limit: u32,
) -> Result<Vec<ArchiveMatch>, StoreError> {
    let fts = expression(terms);
    // Where the newest RANK_WINDOW matches start (a walk of the index, no ranking).
    let window_start: i64 = conn
        .prepare_cached(
            "SELECT rowid FROM archive_fts WHERE archive_fts MATCH ?1
             ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
        )?
        .query_row(params![fts, RANK_WINDOW - 1], |r| r.get(0))
        .optional()?
        .unwrap_or(i64::MIN);
    // The visibility is the SQL twin of policy::may_read, as in `changes`.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.desk, a.state, a.author, a.touched_at, {BM25} AS score,
                    r.meta, r.body
             FROM archive_fts
             CROSS JOIN archive_docs d ON d.doc = archive_fts.rowid
             CROSS JOIN articles a ON a.id = d.article_id
             JOIN revisions r ON r.id = a.head
             WHERE archive_fts MATCH ?1 AND archive_fts.rowid >= ?2
               AND (?3 = 'admin'
                    OR (?3 = 'reporter' AND a.author_id = ?4)
                    OR (?3 = 'editor' AND a.desk IN
                          (SELECT desk FROM user_desks WHERE user_id = ?4)))
             ORDER BY score, archive_fts.rowid DESC
             LIMIT ?5"
    ))?;
    let matches = stmt
        .query_map(
            params![
                fts,
                window_start,
                actor.role.as_str(),
                actor.id.to_string(),
                limit
            ],
            |r| {
                Ok(ArchiveMatch {
                    id: parsed(r, 0)?,
                    desk: r.get(1)?,
                    state: parsed(r, 2)?,
                    author: r.get(3)?,
                    touched_at: r.get(4)?,
                    score: -r.get::<_, f64>(5)?,
                    meta_json: r.get(6)?,
                    body_json: r.get(7)?,
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(matches)
}
