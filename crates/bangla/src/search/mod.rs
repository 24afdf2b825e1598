//! Bengali full-text search keys (bengali.md §2), the same for the laptop's index and the
//! server's archive: text split into words as FTS5's `unicode61 categories 'L* N* Co M*'`
//! splits it (`words.rs`), a word's stems and loose keys (`forms.rs`), a query as terms and
//! which stored words match them (`matching.rs`), and a hit's marked headline and snippet
//! (`snippet.rs`). A query word matches a text word when one of its forms is one of the text
//! word's forms; a trailing `*` asks for words starting with it.

mod forms;
mod matching;
mod snippet;
mod words;

use serde::{Deserialize, Serialize};

pub use forms::{Forms, derived, forms};
pub use matching::{Term, first_letters, terms, word_matches_fast};
pub use snippet::{headline_runs, runs, snippet, text_chunks};
pub use words::{Scan, scan, words};

/// A piece of displayed text; `hit` runs matched the query and are shown highlighted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRun {
    pub text: String,
    pub hit: bool,
}

/// The lower-case search keys of a text's words and their forms, each once, in the order
/// met: what a backend without FTS5 indexes (PostgreSQL: the lexemes of a `tsvector`), and
/// what [`Term::forms`] are compared with. `key_text` is a [`crate::search_key`].
pub fn lexemes(key_text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, w) in words(key_text) {
        let word = w.to_lowercase();
        if seen.contains(&word) {
            continue;
        }
        let f = forms(&word);
        seen.insert(word.clone());
        out.push(word);
        for form in f.all() {
            if seen.insert(form.clone()) {
                out.push(form.clone());
            }
        }
    }
    out
}
