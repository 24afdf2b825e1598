//! A query as terms (each word with its forms), and which words of stored text match them:
//! the same rule as the index's, checked word by word to mark hits in headlines and snippets.

use super::forms::{Forms, forms};
use super::words::words;

/// One query word in all its forms.
#[derive(Debug)]
pub struct Term {
    /// The word's search key, its stem, loose key and loose stem, without repeats.
    forms: Vec<String>,
    /// The user asked for words starting with it (`কোরিয়া*`).
    prefix: bool,
}

impl Term {
    fn new(word: &str, prefix: bool) -> Option<Self> {
        let key = crate::search_key(word).to_lowercase();
        if key.is_empty() {
            return None;
        }
        let f = forms(&key);
        let mut all = vec![key];
        all.extend(f.all().cloned());
        Some(Self { forms: all, prefix })
    }

    /// The word's search key first, then its other forms, each once (lower case).
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// Whether the user asked for words starting with it.
    pub fn prefix(&self) -> bool {
        self.prefix
    }

    /// The FTS5 expression: any form of the word in any column. The columns hold each text
    /// word, its stem and its loose forms, so a text word matches when one of its forms is
    /// one of the query word's forms.
    pub fn fts(&self) -> String {
        let star = if self.prefix { "*" } else { "" };
        let parts: Vec<String> = self
            .forms
            .iter()
            .map(|f| format!("\"{f}\"{star}"))
            .collect();
        format!("({})", parts.join(" OR "))
    }

    /// Whether a word of stored text (given as its key) matches, by the rule of [`Term::fts`].
    fn matches(&self, key: &str, word_forms: &mut Option<Forms>) -> bool {
        let like = |candidate: &str| {
            self.forms.iter().any(|f| {
                if self.prefix {
                    candidate.starts_with(f.as_str())
                } else {
                    candidate == f
                }
            })
        };
        if like(key) {
            return true;
        }
        let f = word_forms.get_or_insert_with(|| forms(key));
        f.all().any(|form| like(form))
    }
}

/// The terms of a query text, each word once.
pub fn terms(text: &str) -> Vec<Term> {
    let text = crate::normalize(text);
    let mut out: Vec<Term> = Vec::new();
    for (start, w) in words(&text) {
        let prefix = text[start + w.len()..].starts_with('*');
        if let Some(t) = Term::new(w, prefix)
            && !out.iter().any(|o| o.forms[0] == t.forms[0])
        {
            out.push(t);
        }
    }
    out
}

/// The search key of a word of stored text (already normalized): [`crate::search_key_chars`],
/// lower case. Equal to `search_key(word).to_lowercase()` for stored text.
fn stored_word_key(word: &str) -> String {
    crate::search_key_chars(word)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first letter of a key as the loose key folds it (`None`: it may fold with what
/// follows or vanish, so it says nothing).
fn loose_first(key: &str) -> Option<char> {
    match key.chars().next()? {
        'শ' | 'ষ' => Some('স'),
        'ণ' => Some('ন'),
        'ড' | 'ঢ' | '\u{0981}' => None,
        c => Some(c),
    }
}

/// First letters a text word may start with to match any of `terms`, loose variants
/// included (শ/ষ/স, ণ/ন, ড়/ঢ়/র fold together in the loose key).
pub fn first_letters(terms: &[Term]) -> Vec<char> {
    let mut out = Vec::new();
    for form in terms.iter().flat_map(|t| &t.forms) {
        let Some(c) = form.chars().next() else {
            continue;
        };
        let variants: &[char] = match c {
            'স' => &['স', 'শ', 'ষ'],
            'ন' => &['ন', 'ণ'],
            'র' => &['র', 'ড', 'ঢ'],
            _ => &[],
        };
        for v in std::iter::once(c).chain(variants.iter().copied()) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The first letter of a stored word as its key starts (digits folded, lower case).
fn key_first(word: &str) -> Option<char> {
    key_chars(word).next()
}

/// A character of a search key in lower case (its first lower-case character; Bengali has no
/// case, so its block skips the case tables).
fn lower_case(c: char) -> char {
    if crate::chars::is_bengali(c) {
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// The characters of a stored word's search key ([`crate::search_key_chars`]: ZWJ/ZWNJ
/// dropped, digits folded) in lower case, without allocating.
fn key_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    crate::search_key_chars(word).map(lower_case)
}

fn starts_with(mut chars: impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| chars.next() == Some(p))
}

/// Whether a stored word matches any term. Two cheap tests rule out nearly every word
/// before its forms are computed: its first letter must be one of `firsts`
/// ([`first_letters`]), and its key or loose key must start with one of the query forms
/// (a word's stems start its key; their loose keys start its loose key).
pub fn word_matches_fast(terms: &[Term], firsts: &[char], word: &str) -> bool {
    if !key_first(word).is_some_and(|c| firsts.contains(&c) || c == '\u{0981}') {
        return false;
    }
    let candidate = terms.iter().flat_map(|t| &t.forms).any(|f| {
        starts_with(key_chars(word), f) || starts_with(crate::loose_key_chars(key_chars(word)), f)
    });
    candidate && word_matches(terms, word)
}

fn word_matches(terms: &[Term], word: &str) -> bool {
    let key = stored_word_key(word);
    let first = loose_first(&key);
    let mut word_forms = None;
    terms.iter().any(|t| {
        // A word's stems start its key and its loose forms start with its loose first letter:
        // when no query form can agree, skip computing the word's forms.
        let possible = t.forms.iter().any(|f| {
            key.starts_with(f.as_str())
                || f.starts_with(key.as_str())
                || first.is_none_or(|c| f.starts_with(c))
        });
        possible && t.matches(&key, &mut word_forms)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_word_keys_fold_as_bangla_keys() {
        let stored = [
            "কোরিয়ার",
            "র\u{200D}\u{09CD}যাব",
            "ক্\u{200C}ষ",
            "২০২৫",
            "Samsung",
            "BBC",
            "সরকারী",
            "মহাসড়কে",
            "চাঁদ",
            "শহর",
            "কারণ",
            "ঢাকায়",
        ];
        for word in stored {
            let key = stored_word_key(word);
            assert_eq!(key, crate::search_key(word).to_lowercase(), "{word}");
            assert_eq!(key_chars(word).collect::<String>(), key, "{word}");
            assert_eq!(key_first(word), key.chars().next(), "{word}");
            assert_eq!(
                crate::loose_key_chars(key_chars(word)).collect::<String>(),
                crate::loose_key(&key),
                "{word}"
            );
        }
    }

    #[test]
    fn query_expressions_hold_every_form() {
        let t = Term::new("কোরিয়ার", false).unwrap();
        assert_eq!(t.fts(), "(\"কোরিয়ার\" OR \"কোরিয়া\")");
        let t = Term::new("জানুয়ারীতে", false).unwrap();
        assert_eq!(
            t.fts(),
            "(\"জানুয়ারীতে\" OR \"জানুয়ারী\" OR \"জানুয়ারিতে\" OR \"জানুয়ারি\")"
        );
        let t = Term::new("ঢাকা", true).unwrap();
        assert_eq!(t.fts(), "(\"ঢাকা\"*)");
        let starred: Vec<bool> = terms("ঢাকা* বৃষ্টি").iter().map(|t| t.prefix).collect();
        assert_eq!(starred, vec![true, false]);
    }
}
