//! The archive search's backend-neutral half: an article's search keys ([`SearchDoc`], made
//! by the backlog from its stored head, outside the write, with `bangla::search` — the
//! laptop's keys), what a backend answers for a query ([`ArchiveMatch`]), and the hit made of a match
//! (the marked headline and snippet, cut outside any transaction). Each backend indexes the
//! keys its own way: FTS5 on SQLite (`sqlite/archive.rs`), a `tsvector` with a GIN index on
//! PostgreSQL (`postgres/archive.rs`).

use barta_model::api::{ArchiveHit, TextRun};
use barta_model::{ArticleId, ArticleMeta, Document, WorkflowState, searchable_text};

use super::StoreError;

/// A query ranks (by relevance) the newest this many of its matches — every match of all
/// but the commonest words; ranking costs per match (as on the laptop, `RANK_WINDOW`).
pub const RANK_WINDOW: i64 = 2_000;

/// An article's search keys as both indexes take them: the headline's and the text's
/// search keys, and their words' stems and loose forms (`bangla::search::derived`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    pub headline: String,
    pub body: String,
    pub headline_stems: String,
    pub body_stems: String,
    pub loose: String,
}

impl SearchDoc {
    /// The keys of a revision's content.
    pub fn of(meta: &ArticleMeta, body: &Document) -> Self {
        let headline = bangla::search_key(&meta.headline);
        let body = bangla::search_key(&searchable_text(meta, body));
        let (headline_stems, headline_loose) = bangla::search::derived(&headline);
        let (body_stems, body_loose) = bangla::search::derived(&body);
        Self {
            headline,
            body,
            headline_stems,
            body_stems,
            loose: headline_loose + &body_loose,
        }
    }

    /// The keys of a revision stored as JSON text (the backlog of articles stored before the
    /// archive index existed).
    pub fn of_json(meta_json: &str, body_json: &str) -> Result<Self, StoreError> {
        let meta: ArticleMeta = serde_json::from_str(meta_json)?;
        let body: Document = serde_json::from_str(body_json)?;
        Ok(Self::of(&meta, &body))
    }
}

/// An article a backend found for a query, with its head revision's content (for the
/// snippet), best first.
#[derive(Clone, Debug)]
pub struct ArchiveMatch {
    pub id: ArticleId,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    pub touched_at: String,
    /// Higher is better.
    pub score: f64,
    pub meta_json: String,
    pub body_json: String,
}

impl ArchiveMatch {
    /// The hit shown for it: the headline and a snippet with the query's words marked.
    pub fn hit(self, terms: &[bangla::search::Term]) -> Result<ArchiveHit, StoreError> {
        let meta: ArticleMeta = serde_json::from_str(&self.meta_json)?;
        let body: Document = serde_json::from_str(&self.body_json)?;
        let firsts = bangla::search::first_letters(terms);
        let text = searchable_text(&meta, &body);
        let mut whole = Some(text);
        let mut next = || Ok::<_, StoreError>(whole.take());
        let snippet = bangla::search::snippet(&mut next, terms, &firsts)?;
        Ok(ArchiveHit {
            id: self.id,
            headline_runs: TextRun::from_search(bangla::search::headline_runs(
                &meta.headline,
                terms,
                &firsts,
            )),
            snippet: TextRun::from_search(snippet),
            headline: meta.headline,
            desk: self.desk,
            state: self.state,
            author: self.author,
            touched_at: self.touched_at,
            score: self.score,
        })
    }
}
