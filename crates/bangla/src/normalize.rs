//! The stored form (bengali.md §1), search keys, the loose key, the noun-suffix stemmer
//! (§2) and the typing-error linter.

use crate::chars::{
    CHANDRABINDU, DARI, HASANTA, NUKTA, ZWJ, ZWNJ, is_bengali, is_bengali_letter_or_mark,
    is_consonant, is_pre_base_sign, is_vowel_sign,
};
use crate::numerals::to_ascii_digit;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;

/// Characters removed on the way in: ZWSP, BOM, soft hyphen, word joiner, LRM, RLM.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}' | '\u{200E}' | '\u{200F}'
    )
}

/// The stored form of a text: NFC plus the nine repairs of bengali.md §1.
///
/// Idempotent: `normalize(&normalize(x)) == normalize(x)` for every string.
pub fn normalize(text: &str) -> String {
    if is_stored_form_fast(text) {
        return text.to_owned();
    }
    // Every repair and NFC itself act within a whitespace-delimited word (whitespace is a
    // starter that composes with nothing), except `|` → dari, which looks past spaces (and
    // past the invisibles it removes) to the next letter: a chunk whose last `|` has nothing
    // visible after it is kept together with the next one. So only
    // the words that need it take the slow path.
    let mut out = String::with_capacity(text.len() + 16);
    let mut start = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        let end = piece.as_ptr() as usize - text.as_ptr() as usize + piece.len();
        let chunk = &text[start..end];
        if end < text.len()
            && let Some(bar) = chunk.rfind('|')
            && chunk[bar + 1..]
                .chars()
                .all(|c| c.is_whitespace() || is_invisible(c) || c == ZWJ || c == ZWNJ)
        {
            continue;
        }
        if is_stored_form_fast(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str(&normalize_slow(chunk));
        }
        start = end;
    }
    if start < text.len() {
        out.push_str(&normalize_slow(&text[start..]));
    }
    out
}

/// [`normalize`] without the per-word fast path: the whole text through NFC and the
/// repairs. Same result, slower; public for tests that check exactly that.
#[doc(hidden)]
pub fn normalize_unchunked(text: &str) -> String {
    normalize_slow(text)
}

fn normalize_slow(text: &str) -> String {
    let mut current = repair_pass(text);
    // Each pass is NFC + repairs; a repair can, in pathological input, create a sequence
    // that another pass would change (e.g. removing a ZWJ between ে and া). Iterate to the
    // fixed point; real text converges in one pass.
    for _ in 0..8 {
        let next = repair_pass(&current);
        if next == current {
            return current;
        }
        current = next;
    }
    current
}

/// Whether `text` is certainly in stored form, judged in one cheap left-to-right scan.
/// `false` means "maybe not" and sends the text through the full pipeline.
fn is_stored_form_fast(text: &str) -> bool {
    let mut prev = '\0';
    let mut it = text.chars();
    while let Some(c) = it.next() {
        if c.is_ascii() {
            if c == '|' {
                return false;
            }
        } else if is_bengali(c) {
            match c {
                // Precomposed nukta letters; the sandhi mark (the block's only ccc-230 mark,
                // which canonical ordering moves).
                '\u{09DC}' | '\u{09DD}' | '\u{09DF}' | '\u{09FE}' => return false,
                NUKTA if !is_consonant(prev) => return false,
                '\u{09BE}' if prev == '\u{0985}' => return false,
                '\u{09BE}' | '\u{09D7}' if prev == '\u{09C7}' => return false,
                _ if is_vowel_sign(c) && prev == CHANDRABINDU => return false,
                _ => {}
            }
        } else {
            // ZWJ, ZWNJ and the invisibles always take the slow path; anything else must be
            // a starter that cannot combine with what precedes it.
            if c == ZWJ {
                // Kept only in র‍্য.
                let mut ahead = it.clone();
                if !(prev == '\u{09B0}'
                    && ahead.next() == Some(HASANTA)
                    && ahead.next() == Some('\u{09AF}'))
                {
                    return false;
                }
            } else if c == ZWNJ {
                if prev != HASANTA {
                    return false;
                }
            } else if is_invisible(c)
                || canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
            {
                return false;
            }
            prev = c;
            continue;
        }
        prev = c;
    }
    true
}

/// One pass: drop invisibles, NFC, then the Bengali repairs on the NFC text.
fn repair_pass(text: &str) -> String {
    let nfc: Vec<char> = text.chars().filter(|&c| !is_invisible(c)).nfc().collect();
    let mut out: Vec<char> = Vec::with_capacity(nfc.len());
    let n = nfc.len();
    let mut i = 0;
    while i < n {
        let c = nfc[i];
        let next = nfc.get(i + 1).copied();
        match c {
            // #4: ত + ্ + ZWJ → ৎ
            '\u{09A4}' if next == Some(HASANTA) && nfc.get(i + 2) == Some(&ZWJ) => {
                out.push('\u{09CE}');
                i += 3;
                continue;
            }
            // র ্ ZWJ য (joiner typed after the hasanta) is the same intent as র‍্য.
            '\u{09B0}'
                if next == Some(HASANTA)
                    && nfc.get(i + 2) == Some(&ZWJ)
                    && nfc.get(i + 3) == Some(&'\u{09AF}') =>
            {
                out.extend_from_slice(&['\u{09B0}', ZWJ, HASANTA, '\u{09AF}']);
                i += 4;
                continue;
            }
            // #8: ZWJ kept only in র‍্য.
            ZWJ => {
                let keep = out.last() == Some(&'\u{09B0}')
                    && next == Some(HASANTA)
                    && nfc.get(i + 2) == Some(&'\u{09AF}');
                if keep {
                    out.push(ZWJ);
                }
            }
            // #8: ZWNJ kept only after an explicit hasanta.
            ZWNJ => {
                if out.last() == Some(&HASANTA) {
                    out.push(ZWNJ);
                }
            }
            // #2: nukta typed after vowel signs / chandrabindu: move it to its consonant.
            NUKTA => {
                let mut k = out.len();
                while k > 0 && (is_vowel_sign(out[k - 1]) || out[k - 1] == CHANDRABINDU) {
                    k -= 1;
                }
                if k < out.len() && k > 0 && is_consonant(out[k - 1]) {
                    out.insert(k, NUKTA);
                } else {
                    out.push(NUKTA);
                }
            }
            // #5: অ + া → আ
            '\u{09BE}' if out.last() == Some(&'\u{0985}') => {
                out.pop();
                out.push('\u{0986}');
            }
            // #9: `|` between Bengali letters → dari.
            '|' if out.last().is_some_and(|&p| is_bengali_letter_or_mark(p)) && {
                let after = nfc[i + 1..].iter().find(|&&x| x != ' ');
                after.is_none_or(|&x| is_bengali(x))
            } =>
            {
                out.push(DARI);
            }
            _ if is_vowel_sign(c) => push_vowel_sign(&mut out, c),
            _ => out.push(c),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Pushes a vowel sign, moving a chandrabindu typed before it (#6) and composing ে+া, ে+ৗ (#3).
fn push_vowel_sign(out: &mut Vec<char>, c: char) {
    let had_chandrabindu = out.last() == Some(&CHANDRABINDU);
    if had_chandrabindu {
        out.pop();
    }
    match (out.last(), c) {
        (Some('\u{09C7}'), '\u{09BE}') => {
            out.pop();
            out.push('\u{09CB}');
        }
        (Some('\u{09C7}'), '\u{09D7}') => {
            out.pop();
            out.push('\u{09CC}');
        }
        _ => out.push(c),
    }
    if had_chandrabindu {
        out.push(CHANDRABINDU);
    }
}

/// The search key of a text: stored form, ZWJ/ZWNJ removed, Bengali digits folded to ASCII.
/// Index it and apply it to queries alike.
pub fn search_key(text: &str) -> String {
    search_key_chars(&normalize(text)).collect()
}

/// The loose key: the search key with common spelling variants folded (ী→ি, ূ→ু, শ/ষ→স,
/// ণ→ন, ড়/ঢ়→র, chandrabindu dropped), so সরকারী finds সরকারি.
pub fn loose_key(text: &str) -> String {
    loose_key_chars(search_key_chars(&normalize(text))).collect()
}

/// The characters of the search key of a text already in the stored form ([`normalize`]d),
/// without allocating: ZWJ/ZWNJ removed, Bengali digits folded to ASCII
/// ([`crate::numerals::to_ascii_digit`]). This is the one definition of the key:
/// [`search_key`] is `search_key_chars(&normalize(text)).collect()`.
pub fn search_key_chars(stored: &str) -> impl Iterator<Item = char> + '_ {
    stored
        .chars()
        .filter(|&c| !matches!(c, ZWJ | ZWNJ))
        .map(to_ascii_digit)
}

/// Folds the characters of a search key as the loose key does (ী→ি, ূ→ু, শ/ষ→স, ণ→ন,
/// ড়/ঢ়→র, chandrabindu dropped), without allocating. This is the one definition of the loose
/// fold: [`loose_key`] is `loose_key_chars(search_key_chars(&normalize(text))).collect()`.
/// Other characters pass through, so a caller may fold a key it has lower-cased.
pub fn loose_key_chars(key: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    let mut key = key.peekable();
    std::iter::from_fn(move || {
        loop {
            let c = key.next()?;
            return Some(match c {
                '\u{09C0}' => '\u{09BF}',
                '\u{09C2}' => '\u{09C1}',
                '\u{09B6}' | '\u{09B7}' => '\u{09B8}',
                '\u{09A3}' => '\u{09A8}',
                '\u{09A1}' | '\u{09A2}' if key.peek() == Some(&NUKTA) => {
                    key.next();
                    '\u{09B0}'
                }
                CHANDRABINDU => continue,
                _ => c,
            });
        }
    })
}

/// Noun suffixes stripped by [`stem`], longest first.
const NOUN_SUFFIXES: &[&str] = &[
    "গুলোর",
    "গুলোকে",
    "গুলো",
    "গুলি",
    "খানা",
    "দের",
    "য়ে",
    "এর",
    "ের",
    "কে",
    "তে",
    "য়",
    "রা",
    "টি",
    "টা",
    "র",
];

/// Strips noun suffixes (র, এর, ের, কে, তে, য়, য়ে, রা, দের, গুলো, গুলি, টি, টা, খানা) from a
/// word, repeatedly, keeping at least two grapheme clusters. Meant for an extra search column:
/// it over-strips some words (সরকার → সরকা) but does so alike for index and query, so
/// "কোরিয়া" finds কোরিয়ার and কোরিয়াকে.
pub fn stem(word: &str) -> String {
    let mut w = normalize(word);
    loop {
        let mut changed = false;
        for suffix in NOUN_SUFFIXES {
            if let Some(rest) = w.strip_suffix(suffix)
                && rest.graphemes(true).count() >= 2
                && rest.chars().last().is_some_and(|c| c != HASANTA)
            {
                w.truncate(rest.len());
                changed = true;
                break;
            }
        }
        if !changed {
            return w;
        }
    }
}

/// A likely typing error found by [`lint`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LintKind {
    /// A pre-base vowel sign (ি ে ৈ) starts a word: "েক" for "কে".
    PreBaseSignAtWordStart,
    /// Any other dependent vowel sign with no consonant before it.
    VowelSignWithoutBase,
    /// A hasanta not between two consonants (and not an explicit hasanta with ZWNJ).
    StrayHasanta,
    /// Bengali letters and Bijoy glyphs (or Latin letters) in one word: a half-converted paste.
    MixedBijoyUnicode,
}

/// A finding of [`lint`]: what and where (byte offsets into the linted text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// What looks wrong.
    #[serde(flatten)]
    pub kind: LintKind,
    /// Byte offset of the offending character or word.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

/// Flags likely typing errors with their byte positions. Lint the stored form (the offsets
/// refer to the string passed in).
pub fn lint(text: &str) -> Vec<Lint> {
    let mut found = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (idx, &(pos, c)) in chars.iter().enumerate() {
        let prev = idx.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(idx + 1).map(|&(_, n)| n);
        let end = pos + c.len_utf8();
        if is_vowel_sign(c) {
            let has_base = prev.is_some_and(|p| {
                is_consonant(p)
                    || p == NUKTA
                    || (is_vowel_sign(p) && c == '\u{09D7}')
                    || crate::chars::is_vowel_letter(p) && c == '\u{09BE}'
            });
            if !has_base {
                let word_start = prev.is_none_or(|p| !is_bengali_letter_or_mark(p));
                let kind = if is_pre_base_sign(c) && word_start {
                    LintKind::PreBaseSignAtWordStart
                } else {
                    LintKind::VowelSignWithoutBase
                };
                found.push(Lint {
                    kind,
                    start: pos,
                    end,
                });
            }
        } else if c == HASANTA {
            let after_consonant = prev.is_some_and(|p| is_consonant(p) || p == NUKTA || p == ZWJ);
            let before_consonant = next.is_some_and(|n| is_consonant(n) || n == ZWNJ);
            if !(after_consonant && before_consonant) {
                found.push(Lint {
                    kind: LintKind::StrayHasanta,
                    start: pos,
                    end,
                });
            }
        }
    }
    // Mixed words: split on whitespace only, since Bijoy glyphs are punctuation to UAX #29.
    let mut offset = 0;
    for token in text.split(char::is_whitespace) {
        let has_bengali = token.chars().any(is_bengali_letter_or_mark);
        let has_glyph = token.chars().any(crate::bijoy::is_bijoy_signature);
        let mut latin_touches_bengali = false;
        let mut prev: Option<char> = None;
        for c in token.chars() {
            if let Some(p) = prev
                && ((p.is_ascii_alphabetic() && is_bengali_letter_or_mark(c))
                    || (is_bengali_letter_or_mark(p) && c.is_ascii_alphabetic()))
            {
                latin_touches_bengali = true;
            }
            prev = Some(c);
        }
        if has_bengali && (has_glyph || latin_touches_bengali) {
            found.push(Lint {
                kind: LintKind::MixedBijoyUnicode,
                start: offset,
                end: offset + token.len(),
            });
        }
        offset += token.len();
        offset += text[offset..].chars().next().map_or(0, char::len_utf8);
    }
    found.sort_by_key(|l| (l.start, l.end));
    found
}
