//! The name-consistency check: one name spelled two ways in one article ("কিম জং উন" and
//! "কিং জং উন"), the error a desk exists to catch. A heuristic: two runs of two or three words
//! that agree in every word but one, where that word differs by a single letter at the same
//! length, are flagged; runs of function words, and differences that are inflections, are not.

use serde::Serialize;
use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// One name written two ways, with where each is (byte ranges into the checked text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameClash {
    /// The first spelling, as written.
    pub first: String,
    /// Its byte range.
    pub first_at: (usize, usize),
    /// The other spelling.
    pub second: String,
    /// Its byte range.
    pub second_at: (usize, usize),
}

/// Words too common to be part of a name.
const FUNCTION_WORDS: &[&str] = &[
    "এই",
    "সেই",
    "ওই",
    "যে",
    "সে",
    "তিনি",
    "তারা",
    "এক",
    "একটি",
    "এবং",
    "ও",
    "না",
    "কি",
    "কী",
    "তা",
    "এর",
    "থেকে",
    "করে",
    "হয়",
    "হয়ে",
    "জন্য",
    "সঙ্গে",
    "সাথে",
    "বলে",
    "বলেন",
    "আর",
    "যা",
    "তার",
    "এটি",
    "সব",
    "কোন",
    "কোনো",
    "এখন",
    "তখন",
    "যখন",
    "হবে",
    "ছিল",
    "আছে",
    "নেই",
];

fn is_function_word(w: &str) -> bool {
    // The list in stored form, built once (the source may hold precomposed য়).
    static STORED: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| FUNCTION_WORDS.iter().map(|w| crate::normalize(w)).collect());
    STORED.iter().any(|f| f == w)
}

fn is_bengali_word(w: &str) -> bool {
    w.chars().any(|c| ('\u{0985}'..='\u{09B9}').contains(&c))
        && !w
            .chars()
            .any(|c| c.is_ascii_alphanumeric() || crate::chars::is_bengali_digit(c))
}

/// True when `a` and `b` have the same number of code points (at least three) and differ in
/// exactly one: কিম / কিং (ম for ং). Code points, not graphemes: ং joins the grapheme before it,
/// so কিং is one grapheme and কিম two. Inflections change the length (কোরিয়ার / কোরিয়াকে,
/// দেশে / দেশের) and so are not taken for a second spelling.
fn one_letter_apart(a: &str, b: &str) -> bool {
    let ca: Vec<char> = a.chars().collect();
    let cb: Vec<char> = b.chars().collect();
    ca.len() == cb.len() && ca.len() >= 3 && ca.iter().zip(&cb).filter(|(x, y)| x != y).count() == 1
}

/// The names of `text` written two ways. Each pair is reported once, first occurrences first.
pub fn name_clashes(text: &str) -> Vec<NameClash> {
    // Words with byte offsets; a sentence end breaks runs.
    let mut runs: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
    for (start, word) in text.split_word_bound_indices() {
        if word.contains(['।', '?', '!', '\n']) {
            runs.push(Vec::new());
        } else if word.chars().any(char::is_alphanumeric)
            && let Some(run) = runs.last_mut()
        {
            run.push((start, word));
        }
    }
    let mut grams: Vec<&[(usize, &str)]> = Vec::new();
    for run in &runs {
        for n in [3usize, 2] {
            grams.extend(run.windows(n));
        }
    }
    // Bucket every gram by its words with one position masked: two grams in one bucket agree
    // in every word but that one. Linear in the text, not quadratic.
    let mut buckets: HashMap<(usize, usize, Vec<&str>), Vec<usize>> = HashMap::new();
    for (i, g) in grams.iter().enumerate() {
        for k in 0..g.len() {
            let shared: Vec<&str> = (0..g.len()).filter(|&j| j != k).map(|j| g[j].1).collect();
            if shared
                .iter()
                .all(|w| is_bengali_word(w) && !is_function_word(w))
            {
                buckets.entry((g.len(), k, shared)).or_default().push(i);
            }
        }
    }
    let mut keys: Vec<_> = buckets.keys().cloned().collect();
    keys.sort_by_key(|(n, k, _)| (std::cmp::Reverse(*n), *k));
    let mut out: Vec<NameClash> = Vec::new();
    for key in keys {
        let (_, k, _) = key;
        // The first gram of each distinct word at position k: repeats of one spelling are
        // one candidate, so a long article stays linear.
        let mut distinct: Vec<usize> = Vec::new();
        for &i in &buckets[&key] {
            if !distinct.iter().any(|&d| grams[d][k].1 == grams[i][k].1) {
                distinct.push(i);
            }
        }
        for (x, &ia) in distinct.iter().enumerate() {
            for &ib in &distinct[x + 1..] {
                let (a, b) = (grams[ia], grams[ib]);
                let (wa, wb) = (a[k].1, b[k].1);
                if wa == wb
                    || !is_bengali_word(wa)
                    || !is_bengali_word(wb)
                    || is_function_word(wa)
                    || is_function_word(wb)
                    || !one_letter_apart(wa, wb)
                {
                    continue;
                }
                let span =
                    |g: &[(usize, &str)]| (g[0].0, g[g.len() - 1].0 + g[g.len() - 1].1.len());
                let (fa, sa) = (span(a), span(b));
                let first = text[fa.0..fa.1].to_string();
                let second = text[sa.0..sa.1].to_string();
                // Each pair once; a 2-word clash inside a reported 3-word one is not repeated.
                let known = out.iter().any(|c| {
                    (c.first.contains(&first) && c.second.contains(&second))
                        || (c.first.contains(&second) && c.second.contains(&first))
                });
                if !known {
                    out.push(NameClash {
                        first,
                        first_at: fa,
                        second,
                        second_at: sa,
                    });
                }
            }
        }
    }
    out.sort_by_key(|c| c.first_at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_articles_two_spellings_of_one_leader_are_flagged() {
        let text = "কিং জং উনকে চিঠি লিখেছেন পুতিন। শীর্ষ নেতা কিম জং উনকে পাঠানো চিঠিতে বলেন।";
        let clashes = name_clashes(text);
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(clashes[0].first, "কিং জং উনকে");
        assert_eq!(clashes[0].second, "কিম জং উনকে");
        assert_eq!(
            &text[clashes[0].second_at.0..clashes[0].second_at.1],
            "কিম জং উনকে"
        );
    }

    #[test]
    fn ordinary_prose_and_inflections_are_not_flagged() {
        for text in [
            "এই সময় সেই সময় দুটোই কঠিন।",
            "উত্তর কোরিয়ার সঙ্গে সম্পর্ক। উত্তর কোরিয়াকে চিঠি।",
            "ঢাকা শহরে বৃষ্টি। ঢাকা শহরের মানুষ।",
            "২০২৫ সালে নির্বাচন। ২০২৬ সালে নির্বাচন।",
            "",
        ] {
            assert_eq!(name_clashes(text), vec![], "{text}");
        }
    }

    #[test]
    fn the_reference_article_has_exactly_its_one_known_clash() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/article-sample.txt"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!(
                "the shared reference article {path} is needed (../shared beside the checkout): {e}"
            )
        });
        let clashes = name_clashes(&crate::normalize(&text));
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(
            (clashes[0].first.as_str(), clashes[0].second.as_str()),
            ("কিং জং উনকে", "কিম জং উনকে")
        );
    }

    #[test]
    fn repeated_sentences_are_one_spelling_not_a_clash() {
        let text = "রাজধানীতে আজ বৃষ্টি হয়েছে এবং নদীর পানি বাড়ছে। ".repeat(2_000);
        assert_eq!(name_clashes(&text), vec![]);
    }
}
