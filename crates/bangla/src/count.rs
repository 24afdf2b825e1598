//! Counting (bengali.md §5): words, grapheme clusters, sentences, paragraphs, reading time.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// Default Bengali reading speed in words per minute for [`reading_seconds`].
///
/// A deliberately conservative figure for news copy read on screen: Bengali words are long
/// (a conjunct-heavy word is one "word" but many keystrokes) and newsroom estimates run
/// lower than the ~230 wpm often quoted for English. Configure with [`Counts::with_wpm`].
pub const DEFAULT_WORDS_PER_MINUTE: u32 = 160;

/// Words: UAX #29 words (`unicode_words`), right for Bengali: keeps ১৫.৫ and র‍্যাব whole,
/// counts Bengali digits, splits at the dari.
pub fn word_count(text: &str) -> usize {
    text.unicode_words().count()
}

/// User-perceived characters: extended grapheme clusters with the Unicode 15.1 conjunct
/// rule (ক্ষ্ম is one). Never count code points.
pub fn grapheme_count(text: &str) -> usize {
    text.graphemes(true).count()
}

fn is_terminator(c: char) -> bool {
    matches!(c, '।' | '?' | '!' | '\u{0965}')
}

/// Sentences end at । ? ! (॥ too), with or without a following space; a run of terminators
/// ends one sentence, and trailing text with a word but no terminator is a sentence too.
pub fn sentence_count(text: &str) -> usize {
    let mut count = 0;
    let mut pending_words = false;
    let mut last_end = 0;
    for (pos, c) in text.char_indices() {
        if is_terminator(c) {
            let segment = &text[last_end..pos];
            if segment.unicode_words().next().is_some() {
                pending_words = true;
            }
            if pending_words {
                count += 1;
                pending_words = false;
            }
            last_end = pos + c.len_utf8();
        }
    }
    if text[last_end..].unicode_words().next().is_some() {
        count += 1;
    }
    count
}

/// Paragraphs: non-blank lines (a blank line between paragraphs does not add one, so
/// blank-line-separated and line-per-paragraph text count alike).
pub fn paragraph_count(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Reading time in whole seconds (rounded up) at `wpm` words per minute.
pub fn reading_seconds(words: usize, wpm: u32) -> u64 {
    let wpm = u64::from(wpm.max(1));
    let words = words as u64;
    (words * 60).div_ceil(wpm)
}

/// All counts of a text at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Words.
    pub words: usize,
    /// Grapheme clusters.
    pub graphemes: usize,
    /// Sentences.
    pub sentences: usize,
    /// Paragraphs (non-blank lines).
    pub paragraphs: usize,
    /// Reading time in seconds at the chosen words per minute.
    pub reading_seconds: u64,
}

impl Counts {
    /// Counts at [`DEFAULT_WORDS_PER_MINUTE`].
    pub fn of(text: &str) -> Self {
        Self::with_wpm(text, DEFAULT_WORDS_PER_MINUTE)
    }

    /// Counts with a chosen reading speed.
    pub fn with_wpm(text: &str, wpm: u32) -> Self {
        let words = word_count(text);
        Counts {
            words,
            graphemes: grapheme_count(text),
            sentences: sentence_count(text),
            paragraphs: paragraph_count(text),
            reading_seconds: reading_seconds(words, wpm),
        }
    }
}
