//! Avro Phonetic (bengali.md §3): roman → Bengali by the published rules, via the `okkhor`
//! rule engine, made safe for any input; an incremental API for the editor; dictionary
//! suggestions via `upodesh`.

use okkhor::parser::Parser;
use std::sync::LazyLock;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new_phonetic);
static SUGGEST: LazyLock<upodesh::avro::Suggest> = LazyLock::new(upodesh::avro::Suggest::new);

/// Longest roman word handed to the dictionary (its search grows with the input).
const MAX_SUGGEST_LEN: usize = 32;

/// Roman text → Bengali by the Avro Phonetic rules alone (no dictionary), so every caller
/// gets the same answer. Non-ASCII runs (Bengali already typed, other scripts) pass through
/// unchanged; the output is in stored form. Never panics.
///
/// The rule engine (`okkhor`) slices its input byte-wise, so only ASCII runs reach it; a run
/// boundary behaves like punctuation, which is what the Avro rules say of any non-ASCII.
pub fn phonetic(roman: &str) -> String {
    let mut out = String::with_capacity(roman.len() * 3);
    let mut buf = String::with_capacity(64);
    let mut rest = roman;
    while !rest.is_empty() {
        let ascii_len = rest.bytes().take_while(u8::is_ascii).count();
        if ascii_len > 0 {
            PARSER.convert_into(&rest[..ascii_len], &mut buf);
            out.push_str(&buf);
            rest = &rest[ascii_len..];
        }
        let other_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii())
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..other_len]);
        rest = &rest[other_len..];
    }
    crate::normalize(&out)
}

/// The editor's per-keystroke call: the Bengali to show for the roman buffer typed so far
/// in the current word. Stateless and cheap (a word is a few bytes); the right context of
/// later keystrokes can change earlier letters ("k" → ক, "kh" → খ), which is why the whole
/// buffer is converted each time rather than appended to.
pub fn phonetic_preview(roman_word: &str) -> String {
    phonetic(roman_word)
}

/// A phonetic input session for one word: push keystrokes, show [`Composer::preview`],
/// [`Composer::commit`] on space or punctuation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composer {
    roman: String,
}

impl Composer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a keystroke.
    pub fn push(&mut self, c: char) {
        self.roman.push(c);
    }

    /// Removes the last keystroke (a roman backspace while composing).
    pub fn backspace(&mut self) -> Option<char> {
        self.roman.pop()
    }

    /// The roman buffer.
    pub fn roman(&self) -> &str {
        &self.roman
    }

    /// The Bengali to show now.
    pub fn preview(&self) -> String {
        phonetic(&self.roman)
    }

    /// Ends the word: returns its Bengali and empties the buffer.
    pub fn commit(&mut self) -> String {
        let out = self.preview();
        self.roman.clear();
        out
    }
}

/// Dictionary candidates for one roman word ("chottogram" → চট্টগ্রাম), in stored form,
/// without duplicates, the rule-based reading excluded. Empty for anything that is not a
/// short ASCII word.
pub fn suggestions(roman_word: &str) -> Vec<String> {
    let w = roman_word.trim();
    if w.is_empty()
        || w.len() > MAX_SUGGEST_LEN
        || !w.chars().all(|c| c.is_ascii_alphanumeric() || c == '`')
    {
        return Vec::new();
    }
    let rule = phonetic(w);
    let mut out: Vec<String> = Vec::new();
    let mut found = SUGGEST.suggest(w);
    found.sort();
    for s in found {
        let n = crate::normalize(&s);
        if n != rule && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}
