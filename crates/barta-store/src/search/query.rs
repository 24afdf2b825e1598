//! The search itself: the FTS5 query of the terms with the filters, bm25 ranking (within
//! [`RANK_WINDOW`](super::RANK_WINDOW) when unfiltered) and the hits with their marked
//! headline and snippet.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params, params_from_iter};

use bangla::search::{Term, first_letters, headline_runs, snippet, terms};

use super::{DEFAULT_LIMIT, SearchHit, SearchQuery, TextRun};
use crate::codec::unpack;
use crate::store::parse;
use crate::{Store, StoreError};

/// bm25 column weights: headline, body, headline stems, body stems, loose keys.
const BM25: &str = "bm25(search_fts, 10.0, 1.0, 5.0, 0.5, 0.5)";

impl Store {
    /// Full-text search in Bengali (and Latin, and digits in either script), best first.
    /// Every word of the query must occur, inflected or spelt loosely; an empty query finds
    /// nothing.
    pub fn search(&mut self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        self.refresh_search()?;
        let terms = terms(&query.text);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let fts = terms
            .iter()
            .map(Term::fts)
            .collect::<Vec<_>>()
            .join(" AND ");
        let firsts = first_letters(&terms);
        let limit = if query.limit == 0 {
            DEFAULT_LIMIT
        } else {
            query.limit
        };
        // Ranking reads only the index (and, with filters, the article rows, found through
        // `articles.search_doc`); the article and its snippet text are read for the hits kept. CROSS JOIN keeps the full-text
        // index as the outer loop.
        let mut sql = format!(
            "SELECT search_fts.rowid, {BM25} AS score
             FROM search_fts CROSS JOIN articles a ON a.search_doc = search_fts.rowid
             WHERE search_fts MATCH ?"
        );
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(fts)];
        let mut any_of = |column: &str, values: Vec<String>, sql: &mut String| {
            if values.is_empty() {
                return;
            }
            let marks = vec!["?"; values.len()].join(", ");
            sql.push_str(&format!(" AND {column} IN ({marks})"));
            args.extend(values.into_iter().map(SqlValue::Text));
        };
        any_of(
            "a.desk",
            query.desks.iter().map(|d| bangla::normalize(d)).collect(),
            &mut sql,
        );
        any_of(
            "a.state",
            query
                .states
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            &mut sql,
        );
        any_of(
            "a.author",
            query.author.iter().map(|a| bangla::normalize(a)).collect(),
            &mut sql,
        );
        if let Some(from) = &query.from {
            sql.push_str(" AND a.updated_at >= ?");
            args.push(SqlValue::Text(from.clone()));
        }
        if let Some(until) = &query.until {
            sql.push_str(" AND a.updated_at < ?");
            args.push(SqlValue::Text(until.clone()));
        }
        if let Some(tag) = &query.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?)",
            );
            args.push(SqlValue::Text(bangla::normalize(tag)));
        }
        if args.len() == 1 {
            // No filter: rank from the index alone, among the newest RANK_WINDOW matches
            // (finding where they start walks the index without ranking: well under 1 ms).
            let window_start: Option<i64> = self
                .conn
                .prepare_cached(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ?
                     ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                )?
                .query_row(params![&args[0], self.rank_window - 1], |r| r.get(0))
                .optional()?;
            sql = format!(
                "SELECT rowid, {BM25} AS score FROM search_fts WHERE search_fts MATCH ?
                 AND rowid >= ? ORDER BY score, rowid DESC LIMIT {limit}"
            );
            args.push(SqlValue::Integer(window_start.unwrap_or(i64::MIN)));
        } else {
            sql.push_str(&format!(
                " ORDER BY score, search_fts.rowid DESC LIMIT {limit}"
            ));
        }
        let ranked: Vec<(i64, f64)> = {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut hit_stmt = self.conn.prepare_cached(
            "SELECT id, headline, desk, state, author, updated_at FROM articles
             WHERE search_doc = ?1",
        )?;
        let mut text_stmt = self
            .conn
            .prepare_cached("SELECT text FROM search_text WHERE doc = ?1 ORDER BY chunk")?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (doc, score) in ranked {
            let (id, headline, desk, state, author, updated_at) =
                hit_stmt.query_row([doc], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?;
            let mut chunks = text_stmt.query([doc])?;
            let mut next = || -> Result<Option<String>, StoreError> {
                let Some(row) = chunks.next()? else {
                    return Ok(None);
                };
                String::from_utf8(unpack(row.get_ref(0)?)?.into_owned())
                    .map(Some)
                    .map_err(|_| StoreError::Corrupt("stored text is not UTF-8".into()))
            };
            hits.push(SearchHit {
                id: parse(&id, "article id")?,
                headline_runs: TextRun::from_search(headline_runs(&headline, &terms, &firsts)),
                snippet: TextRun::from_search(snippet(&mut next, &terms, &firsts)?),
                headline,
                desk,
                state: parse(&state, "workflow state")?,
                author,
                updated_at,
                score: -score,
            });
        }
        Ok(hits)
    }
}
