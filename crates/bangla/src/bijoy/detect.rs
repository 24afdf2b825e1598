//! Detecting Bijoy text pasted among Unicode: the glyphs typical of Bijoy, a score per word
//! against common English words, the Bijoy runs of a text, and converting only those.

use super::cp1252::CP1252_HIGH;
use super::to_unicode::bijoy_to_unicode;
use std::ops::Range;

/// Whether a character is a non-ASCII glyph that is typical of Bijoy text and rare
/// elsewhere (used by the detector and by the linter).
pub fn is_bijoy_signature(c: char) -> bool {
    matches!(
        c,
        '‡' | '†'
            | 'ˆ'
            | '‰'
            | 'Š'
            | '©'
            | '¨'
            | 'ª'
            | '«'
            | '¬'
            | '¯'
            | '°'
            | '±'
            | '³'
            | 'µ'
            | '¶'
            | '·'
            | '¸'
            | '»'
            | '¼'
            | '½'
            | '¾'
            | '¤'
            | '¥'
            | '¦'
            | '§'
            | '¡'
            | '¢'
            | '£'
            | 'œ'
            | 'Ÿ'
            | 'š'
            | '›'
            | '˜'
            | '™'
            | '„'
            | 'ƒ'
            | '‚'
            | '‹'
            | 'Œ'
            | '−'
            | '÷'
            | '×'
            | 'Ö'
            | 'ÿ'
    )
}

/// Common English words: a run made of them is English, not Bijoy.
const ENGLISH: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "for",
    "from",
    "has",
    "have",
    "he",
    "her",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "may",
    "more",
    "most",
    "new",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "said",
    "she",
    "so",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "to",
    "two",
    "up",
    "us",
    "use",
    "was",
    "we",
    "were",
    "what",
    "when",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    "file",
    "files",
    "data",
    "see",
    "license",
    "software",
    "version",
    "free",
    "under",
    "should",
    "must",
    "used",
    "using",
    "program",
    "code",
    "set",
    "get",
    "first",
    "each",
    "any",
    "such",
    "same",
    "make",
    "made",
    "time",
    "year",
    "years",
    "people",
    "government",
    "minister",
    "police",
    "country",
    "news",
    "world",
    "president",
    "dhaka",
    "bangladesh",
    "city",
    "day",
    "week",
    "report",
    "reported",
    "support",
    "system",
    "user",
    "users",
    "value",
    "default",
    "option",
    "options",
    "number",
    "line",
    "text",
    "page",
    "name",
    "public",
    "work",
    "works",
    "without",
    "where",
    "why",
    "there",
    "here",
    "very",
    "well",
    "many",
    "much",
    "between",
    "because",
    "before",
    "during",
];

fn is_english_word(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    ENGLISH.contains(&lower.as_str())
}

/// A character that can appear in a Bijoy run: ASCII printable, or a cp1252 high glyph.
fn is_bijoy_char(c: char) -> bool {
    (' '..='~').contains(&c)
        || matches!(c, '\u{A1}'..='\u{FF}')
        || CP1252_HIGH.contains(&c)
        || c == '−'
}

/// Score of one whitespace-separated word: > 0 leans Bijoy, < 0 leans English.
fn word_score(w: &str) -> f32 {
    let letters: Vec<char> = w
        .chars()
        .filter(|&c| c.is_ascii_alphabetic() || !c.is_ascii())
        .collect();
    if letters.is_empty() {
        return 0.0;
    }
    let core: String = w
        .trim_matches(|c: char| c.is_ascii_punctuation() && !matches!(c, '`' | '_' | '^' | '~'))
        .to_string();
    if core.chars().all(|c| c.is_ascii_alphabetic()) && is_english_word(&core) {
        return -2.0;
    }
    // Technical tokens: paths, URLs, versions, identifiers with digits or dots inside.
    let inner = core.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    if inner.contains("://")
        || inner.contains('/')
        || inner.contains('=')
        || inner.contains('@')
        || (inner.contains('.') && !inner.starts_with('.'))
        || (inner.chars().any(|c| c.is_ascii_digit())
            && inner.chars().any(|c| c.is_ascii_alphabetic()))
    {
        return -1.0;
    }
    let mut score = 0.0f32;
    let n = letters.len() as f32;
    let signature = letters.iter().filter(|&&c| is_bijoy_signature(c)).count() as f32;
    score += 2.0 * signature;
    // Accented Latin letters: weak evidence either way (European words vs Bijoy conjuncts).
    let high = letters.iter().filter(|&&c| !c.is_ascii()).count() as f32 - signature;
    score += 0.5 * high;
    // Bijoy: া (v) and ি (w) are the commonest glyphs; uppercase letters inside words.
    let vw = letters
        .iter()
        .filter(|&&c| matches!(c, 'v' | 'w' | 'x'))
        .count() as f32;
    score += 1.5 * vw / n * 4.0;
    let inner_upper = letters
        .iter()
        .skip(1)
        .filter(|c| c.is_ascii_uppercase())
        .count() as f32;
    let lower = letters.iter().filter(|c| c.is_ascii_lowercase()).count();
    let bijoy_letters = vw > 0.0 || signature > 0.0;
    if lower > 0 && bijoy_letters {
        score += 1.0 * inner_upper.min(3.0);
    } else if lower > 0 && inner_upper > 0.0 {
        // CamelCase identifiers (NetBSD, OpenServer) with no া/ি glyphs.
        score -= 0.5;
    }
    // English: vowel-rich letter sequences.
    let vowels = letters
        .iter()
        .filter(|&&c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U'))
        .count() as f32;
    let ascii = letters.iter().filter(|c| c.is_ascii_alphabetic()).count() as f32;
    if ascii >= 3.0 && vowels / ascii >= 0.3 && signature == 0.0 && vw == 0.0 {
        score -= 1.0;
    }
    if ascii == n && inner_upper == 0.0 && vw == 0.0 {
        score -= 0.5;
    }
    score
}

/// Byte ranges of the runs of `text` that look like Bijoy (a run is a maximal stretch of
/// ASCII and cp1252 glyph characters; Bengali Unicode and other scripts split runs).
pub fn bijoy_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    let push_run = |s: usize, e: usize, runs: &mut Vec<Range<usize>>| {
        let run = &text[s..e];
        if run_is_bijoy(run) {
            // Trim surrounding whitespace and plain punctuation from the reported range.
            let edge = |c: char| {
                c.is_whitespace()
                    || (c.is_ascii_punctuation() && !matches!(c, '`' | '_' | '^' | '|' | '&' | '~'))
            };
            let lead = run.len() - run.trim_start_matches(edge).len();
            let trail = run.len() - run.trim_end_matches(edge).len();
            if lead + trail >= run.len() {
                return;
            }
            runs.push(s + lead..e - trail);
        }
    };
    for (pos, c) in text.char_indices() {
        if is_bijoy_char(c) {
            if start.is_none() {
                start = Some(pos);
            }
        } else if let Some(s) = start.take() {
            push_run(s, pos, &mut runs);
        }
    }
    if let Some(s) = start {
        push_run(s, text.len(), &mut runs);
    }
    runs
}

fn run_is_bijoy(run: &str) -> bool {
    let words: Vec<&str> = run.split_whitespace().collect();
    let scored: Vec<f32> = words.iter().map(|w| word_score(w)).collect();
    let letters = run.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 {
        return false;
    }
    let total: f32 = scored.iter().sum();
    let english = scored.iter().filter(|&&s| s <= -2.0).count();
    // A run that is mostly English words is English whatever else it holds.
    if english * 3 >= words.len().max(1) && words.len() >= 3 {
        return false;
    }
    total / (words.len().max(1) as f32) > 0.6
}

/// Whether `text` as a whole looks like Bijoy: at least half of its letters are in runs the
/// detector takes for Bijoy.
pub fn is_bijoy(text: &str) -> bool {
    let runs = bijoy_runs(text);
    let in_runs: usize = runs
        .iter()
        .map(|r| {
            text[r.clone()]
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
        })
        .sum();
    let total = text.chars().filter(|c| c.is_alphabetic()).count();
    total > 0 && in_runs * 2 >= total
}

/// Converts only the Bijoy runs of a mixed string (a paste from an old document into new
/// copy), leaving Unicode Bengali and English as they are; the result is normalized.
pub fn convert_bijoy_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut last = 0;
    for r in bijoy_runs(text) {
        out.push_str(&text[last..r.start]);
        out.push_str(&bijoy_to_unicode(&text[r.clone()]));
        last = r.end;
    }
    out.push_str(&text[last..]);
    crate::normalize(&out)
}
