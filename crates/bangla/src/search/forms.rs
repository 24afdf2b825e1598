//! A search-key word's forms besides itself: its stems and its loose keys, as indexed in their
//! own columns and as added to each query word.

use unicode_segmentation::UnicodeSegmentation;

use super::words::words;

/// The extra forms of a search-key text's words, each distinct form once: stems that differ
/// from their word (stems column), and loose keys that differ from both (loose column).
pub fn derived(key_text: &str) -> (String, String) {
    let mut seen = std::collections::HashSet::new();
    let mut stems = String::new();
    let mut loose = String::new();
    for (_, w) in words(key_text) {
        if !seen.insert(w) {
            continue;
        }
        let f = forms(w);
        for s in &f.stems {
            stems.push_str(s);
            stems.push(' ');
        }
        for l in &f.loose {
            loose.push_str(l);
            loose.push(' ');
        }
    }
    (stems, loose)
}

/// A word's searchable forms besides itself.
#[derive(Debug)]
pub struct Forms {
    /// Stems that differ from the word.
    stems: Vec<String>,
    /// Loose keys of the word and its stems that differ from the word and the stems.
    loose: Vec<String>,
}

impl Forms {
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.stems.iter().chain(&self.loose)
    }
}

/// The stems used for search: [`crate::stem`], and the word with a final locative ে
/// dropped (when the stemmer found no suffix, or read ক + ে as -কে) if at least three
/// grapheme clusters remain (নির্বাচনে → নির্বাচন; মহাসড়কে →
/// মহাসড়ক, which the noun-suffix stemmer over-strips to মহাসড়). Applied alike to text
/// and queries.
fn search_stems(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let stem = crate::stem(key);
    if stem != key {
        out.push(stem);
    }
    // Only where the noun-suffix stemmer found nothing, or read a final ক + ে as -কে.
    let ambiguous = out.is_empty() || key.ends_with("কে");
    if ambiguous
        && let Some(rest) = key.strip_suffix('\u{09C7}')
        && rest.graphemes(true).count() >= 3
        && rest
            .chars()
            .last()
            .is_some_and(|c| !crate::chars::is_vowel_sign(c))
        && !out.iter().any(|s| s == rest)
    {
        out.push(rest.to_string());
    }
    out
}

pub fn forms(key: &str) -> Forms {
    let stems = search_stems(key);
    let mut loose = Vec::new();
    for base in std::iter::once(key).chain(stems.iter().map(String::as_str)) {
        let l = crate::loose_key(base);
        if l != key && !stems.contains(&l) && !loose.contains(&l) {
            loose.push(l);
        }
    }
    Forms { stems, loose }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_stems_and_loose_forms() {
        let check = |word: &str, stems: &[&str], loose: &[&str]| {
            let f = forms(word);
            assert_eq!(f.stems, stems, "stems of {word}");
            assert_eq!(f.loose, loose, "loose forms of {word}");
        };
        check("নির্বাচনে", &["নির্বাচন"], &[]);
        check("মহাসড়কে", &["মহাসড়", "মহাসড়ক"], &["মহাসরকে", "মহাসর", "মহাসরক"]);
        check("কোরিয়ার", &["কোরিয়া"], &[]);
        check("সরকারি", &[], &[]);
        check("বেসরকারি", &[], &[]);
        check("সরকারী", &[], &["সরকারি"]);
        check("জানুয়ারীতে", &["জানুয়ারী"], &["জানুয়ারিতে", "জানুয়ারি"]);
        // Too short to drop the ে: কর would be one of too many words.
        check("করে", &[], &[]);
        check("samsung", &[], &[]);
    }
}
