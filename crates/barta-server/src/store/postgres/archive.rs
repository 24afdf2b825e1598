//! The archive search on PostgreSQL: each article's search keys (the laptop's, from
//! `bangla::search`) stored as the lexemes of a `tsvector` built here — no text-search
//! configuration parses them, so the keys are exactly SQLite's and the laptop's — with the
//! headline's weighted A; a query is a `tsquery` of every term, each in any of its forms,
//! ranked by `ts_rank` among the newest [`RANK_WINDOW`] matches.

use super::Db;
use super::rows::parsed;
use crate::store::StoreError;
use crate::store::archive::{ArchiveMatch, RANK_WINDOW, SearchDoc};
use bangla::search::{Term, words};
use barta_model::api::UserInfo;
use barta_model::{ArticleId, RevisionId};
use std::collections::BTreeMap;

/// A lexeme quoted for `tsvector`/`tsquery` input.
fn quoted(lexeme: &str) -> String {
    format!("'{}'", lexeme.replace('\\', "\\\\").replace('\'', "''"))
}

/// PostgreSQL's longest lexeme, in bytes.
const MAX_LEXEME: usize = 2_046;
/// Bytes of lexemes a document's `tsvector` holds at most (PostgreSQL refuses one of 1 MB;
/// each lexeme costs its bytes and about 8 more). An article beyond it — some 50,000
/// distinct words — is found by its headline and its first words.
const MAX_LEXEME_BYTES: usize = 900_000;

/// The `tsvector` of a document's keys, as text: headline lexemes at position 1 with weight
/// A, the others at position 2 (weight D). Words longer than PostgreSQL takes are left out.
pub fn tsvector(doc: &SearchDoc) -> String {
    // lexeme → (in the headline, in the rest)
    let mut lexemes: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    let mut bytes = 0;
    let mut add = |text: &str, headline: bool| {
        for (_, word) in words(text) {
            let lexeme = word.to_lowercase();
            if lexeme.len() > MAX_LEXEME {
                continue;
            }
            if !lexemes.contains_key(&lexeme) {
                if bytes + lexeme.len() + 8 > MAX_LEXEME_BYTES {
                    continue;
                }
                bytes += lexeme.len() + 8;
            }
            let entry = lexemes.entry(lexeme).or_default();
            if headline {
                entry.0 = true;
            } else {
                entry.1 = true;
            }
        }
    };
    add(&doc.headline, true);
    add(&doc.headline_stems, true);
    add(&doc.body, false);
    add(&doc.body_stems, false);
    add(&doc.loose, false);
    lexemes
        .iter()
        .map(|(lexeme, place)| {
            let positions = match place {
                (true, true) => "1A,2",
                (true, false) => "1A",
                _ => "2",
            };
            format!("{}:{positions}", quoted(lexeme))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `tsquery` of the terms, as text: every term, in any of its forms.
pub fn tsquery(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|term| {
            let star = if term.prefix() { ":*" } else { "" };
            let forms: Vec<String> = term
                .forms()
                .iter()
                .map(|f| format!("{}{star}", quoted(f)))
                .collect();
            format!("({})", forms.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Stores `article`'s keys, replacing the ones it had.
pub fn index(client: &mut Db<'_>, article: ArticleId, doc: &SearchDoc) -> Result<(), StoreError> {
    client.execute(
        "INSERT INTO archive_terms (article_id, terms) VALUES ($1, ($2::text)::tsvector)
         ON CONFLICT (article_id) DO UPDATE SET terms = excluded.terms",
        &[&article.to_string(), &tsvector(doc)],
    )?;
    Ok(())
}

/// Notes that the index lacks `article`'s head `head` (a push made it the head).
pub fn stale(client: &mut Db<'_>, article: ArticleId, head: RevisionId) -> Result<(), StoreError> {
    client.write(
        "INSERT INTO archive_stale (article_id, head) VALUES ($1, $2)
         ON CONFLICT (article_id) DO UPDATE SET head = excluded.head",
        &[&article.to_string(), &head.to_string()],
    )
}

/// Up to `limit` articles whose head the index lacks, each with that head and its keys.
pub fn backlog(
    client: &mut Db<'_>,
    limit: u32,
) -> Result<Vec<(ArticleId, RevisionId, SearchDoc)>, StoreError> {
    client
        .query(
            "SELECT s.article_id, s.head, r.meta, r.body
             FROM archive_stale s JOIN revisions r ON r.id = s.head
             LIMIT $1",
            &[&i64::from(limit)],
        )?
        .iter()
        .map(|r| {
            let doc = SearchDoc::of_json(r.try_get(2)?, r.try_get(3)?)?;
            Ok((parsed(r, 0)?, parsed(r, 1)?, doc))
        })
        .collect()
}

/// Strikes `article` from the stale list, unless a push has moved its head from `head` since
/// (then it stays listed, with the new head).
pub fn indexed(
    client: &mut Db<'_>,
    article: ArticleId,
    head: RevisionId,
) -> Result<(), StoreError> {
    client.execute(
        "DELETE FROM archive_stale WHERE article_id = $1 AND head = $2",
        &[&article.to_string(), &head.to_string()],
    )?;
    Ok(())
}

/// The articles the actor may read matching every term, best first.
pub fn search(
    tx: &mut Db<'_>,
    actor: &UserInfo,
    terms: &[Term],
    limit: u32,
) -> Result<Vec<ArchiveMatch>, StoreError> {
    // The visibility is the SQL twin of policy::may_read, as in `changes`. The newest
    // matches are found with only their ids and docs in hand; the tsvectors are read for
    // those to rank, the revisions for the hits kept. How the newest are found depends on the
    // query: a word in most articles is found by walking the newest documents back (a few
    // thousand tested), a rare one through the GIN index (its matches sorted by age). Only
    // a plan made for the query's own words can choose, and the planner's statistics of
    // the lexemes tell it; a plan kept for every query (a prepared statement's generic
    // plan, made after five runs) takes the index for all, and a word in most of a million
    // articles then sorts a million matches (1.6 s). Hence a custom plan, every time.
    // The lookups of each of those newest are kept as such (`OFFSET 0` keeps the planner
    // from turning them into a merge join that reads every article's row).
    tx.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")?;
    let rows = tx.query(
        "WITH newest AS MATERIALIZED (
                  SELECT t.article_id, t.doc FROM archive_terms t
                  WHERE t.terms @@ ($1::text)::tsquery
                  ORDER BY t.doc DESC LIMIT $2),
              ranked AS MATERIALIZED (
                  SELECT a.id, a.desk, a.state, a.author, a.touched_at, a.head, n.doc,
                         ts_rank(t.terms, ($1::text)::tsquery)::float8 AS score
                  FROM newest n
                  CROSS JOIN LATERAL (SELECT terms FROM archive_terms
                                      WHERE article_id = n.article_id OFFSET 0) t
                  CROSS JOIN LATERAL (SELECT * FROM articles
                                      WHERE id = n.article_id OFFSET 0) a
                  WHERE ($3::text = 'admin'
                         OR ($3::text = 'reporter' AND a.author_id = $4::text)
                         OR ($3::text = 'editor' AND a.desk IN
                               (SELECT desk FROM user_desks WHERE user_id = $4::text)))
                  ORDER BY score DESC, n.doc DESC
                  LIMIT $5)
         SELECT k.id, k.desk, k.state, k.author, k.touched_at, k.score, r.meta, r.body
         FROM ranked k JOIN revisions r ON r.id = k.head
         ORDER BY k.score DESC, k.doc DESC",
        &[
            &tsquery(terms),
            &RANK_WINDOW,
            &actor.role.as_str(),
            &actor.id.to_string(),
            &i64::from(limit),
        ],
    )?;
    rows.iter()
        .map(|r| {
            Ok(ArchiveMatch {
                id: parsed(r, 0)?,
                desk: r.try_get(1)?,
                state: parsed(r, 2)?,
                author: r.try_get(3)?,
                touched_at: r.try_get(4)?,
                score: r.try_get(5)?,
                meta_json: r.try_get(6)?,
                body_json: r.try_get(7)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_become_weighted_lexemes_and_queries_alternatives_of_forms() {
        let doc = SearchDoc {
            headline: "ঢাকায় বৃষ্টি".into(),
            body: "বৃষ্টি Samsung it's".into(),
            headline_stems: "ঢাকা ".into(),
            body_stems: String::new(),
            loose: String::new(),
        };
        assert_eq!(
            tsvector(&doc),
            "'it':2 's':2 'samsung':2 'ঢাকা':1A 'ঢাকায়':1A 'বৃষ্টি':1A,2"
        );
        let terms = bangla::search::terms("ঢাকায় বৃষ্টি*");
        // বৃস্টি: the loose form (ষ and স fold together).
        assert_eq!(tsquery(&terms), "('ঢাকায়' | 'ঢাকা') & ('বৃষ্টি':* | 'বৃস্টি':*)");
        assert_eq!(quoted("a'b\\c"), "'a''b\\\\c'");
    }

    #[test]
    fn a_document_past_postgresqls_limits_keeps_its_headline_and_first_words() {
        let long_word = "ক".repeat(1_000); // 3,000 bytes: longer than a lexeme may be
        let many: String = (0..200_000).map(|n| format!("শব্দ{n} ")).collect();
        let doc = SearchDoc {
            headline: format!("ঢাকা {long_word}"),
            body: many,
            ..SearchDoc::default()
        };
        let vector = tsvector(&doc);
        assert!(vector.len() < 1_000_000, "{}", vector.len());
        assert!(vector.contains("'ঢাকা':1A"));
        assert!(vector.contains("'শব্দ0':2"));
        assert!(!vector.contains(&long_word));
        assert!(!vector.contains("'শব্দ199999'"));
    }
}
