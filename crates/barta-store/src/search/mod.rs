//! Bengali full-text search (bengali.md §2): FTS5 with `unicode61 categories 'L* N* Co M*'`
//! over search keys, kept in an external-content table (`search_docs`). Besides each word,
//! the index holds its stems (noun suffixes, the locative ে) and its loose keys (spelling
//! variants); a query word matches a text word when one of its forms is one of the text
//! word's forms, and a trailing `*` asks for words starting with it. Ranking is bm25 with
//! the headline weighted above the body; snippets are cut from the stored text, so digits
//! and র‍্যাব print as the reporter typed them.
//!
//! The search keys, terms and snippets are `bangla::search`'s (shared with the server's
//! archive search); here `index.rs` keeps the index up to date and `query.rs` runs the search
//! and ranks it.

mod index;
mod query;

use barta_model::{ArticleId, WorkflowState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Ranking by bm25 costs about a microsecond per matching article, so a query without filters
/// ranks (by default) the newest this many of its matches, newest by when the article was
/// first indexed: every match for all but common words. A filter (desk, date range, …) ranks
/// every match; [`crate::Store::set_rank_window`] changes the number.
pub const RANK_WINDOW: i64 = 2_000;
/// Results returned when a query does not say.
pub const DEFAULT_LIMIT: u32 = 20;

/// What to search for and where. Empty filter lists mean "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    /// The words to find (all of them must occur, in any form).
    pub text: String,
    pub desks: Vec<String>,
    pub states: Vec<WorkflowState>,
    pub author: Option<String>,
    /// Only articles changed at or after this instant (RFC 3339, UTC).
    pub from: Option<String>,
    /// Only articles changed before this instant (RFC 3339, UTC).
    pub until: Option<String>,
    /// Only articles carrying this tag.
    pub tag: Option<String>,
    /// At most this many hits ([`DEFAULT_LIMIT`] when 0).
    pub limit: u32,
}

impl SearchQuery {
    /// A query for `text` with no filters.
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_string(),
            ..Default::default()
        }
    }
}

pub use barta_model::api::TextRun;

/// One search result, best first.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub id: ArticleId,
    pub headline: String,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    pub updated_at: String,
    /// Higher is better (the negated bm25).
    pub score: f64,
    /// The headline with matched words marked.
    pub headline_runs: Vec<TextRun>,
    /// A few words of the body around the first match, matched words marked.
    pub snippet: Vec<TextRun>,
}

impl SearchHit {
    /// The snippet as one string with matches wrapped in `open`…`close` (e.g. for a terminal).
    pub fn snippet_marked(&self, open: &str, close: &str) -> String {
        mark_runs(&self.snippet, open, close)
    }
}

/// Joins runs, wrapping hits in `open`…`close`.
pub fn mark_runs(runs: &[TextRun], open: &str, close: &str) -> String {
    runs.iter()
        .map(|r| {
            if r.hit {
                format!("{open}{}{close}", r.text)
            } else {
                r.text.clone()
            }
        })
        .collect()
}
