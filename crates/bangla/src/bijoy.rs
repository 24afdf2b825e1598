//! Bijoy (SutonnyMJ ANSI) ↔ Unicode, and a detector for Bijoy text pasted among Unicode
//! (bengali.md §4).
//!
//! The glyph table below was written for this crate from the SutonnyMJ layout: independent
//! vowels, consonants and vowel signs are certain; the conjunct glyphs are the common ones.
//! Half forms (¯ স্, ¤ ম্, š/› ন্, ® ষ্, ˜/™ দ্, ” চ্, • ঙ্) and second-part glyphs
//! (ú ্প, Í/— ্ত, ’ ্থ, ‹ ্ক, œ ্ন …) both carry their hasanta; the decoder folds the
//! doubled hasanta, so ¯ú = স্প and ¤ú = ম্প fall out without a table row each.

use crate::chars::{HASANTA, NUKTA, ZWJ, is_bengali_letter_or_mark, is_consonant};
use crate::numerals::to_bengali_digit;
use std::ops::Range;

/// One glyph of SutonnyMJ and the Unicode it stands for.
fn glyph(c: char) -> Option<&'static str> {
    Some(match c {
        // Independent vowels.
        'A' => "অ",
        'B' => "ই",
        'C' => "ঈ",
        'D' => "উ",
        'E' => "ঊ",
        'F' => "ঋ",
        'G' => "এ",
        'H' => "ঐ",
        'I' => "ও",
        'J' => "ঔ",
        // Consonants.
        'K' => "ক",
        'L' => "খ",
        'M' => "গ",
        'N' => "ঘ",
        'O' => "ঙ",
        'P' => "চ",
        'Q' => "ছ",
        'R' => "জ",
        'S' => "ঝ",
        'T' => "ঞ",
        'U' => "ট",
        'V' => "ঠ",
        'W' => "ড",
        'X' => "ঢ",
        'Y' => "ণ",
        'Z' => "ত",
        '_' => "থ",
        '`' => "দ",
        'a' => "ধ",
        'b' => "ন",
        'c' => "প",
        'd' => "ফ",
        'e' => "ব",
        'f' => "ভ",
        'g' => "ম",
        'h' => "য",
        'i' => "র",
        'j' => "ল",
        'k' => "শ",
        'l' => "ষ",
        'm' => "স",
        'n' => "হ",
        'o' => "ড\u{09BC}",
        'p' => "ঢ\u{09BC}",
        'q' => "য\u{09BC}",
        'r' => "ৎ",
        's' => "ং",
        't' => "ঃ",
        'u' => "ঁ",
        // Post-base vowel signs (the pre-base ones are handled by the tokenizer).
        'v' => "া",
        'x' => "ী",
        // æ is the u-kar SutonnyMJ draws under র (ïiæ = শুরু), not a conjunct.
        'y' | 'z' | '“' | 'æ' => "ু",
        '~' | 'ƒ' | '‚' => "ূ",
        '„' | '…' => "ৃ",
        'Š' => "ৗ",
        // Signs and punctuation.
        '|' => "।",
        '&' => "্",
        'Ò' => "“",
        'Ó' => "”",
        'Ô' => "‘",
        'Õ' => "’",
        'Ñ' => "–",
        // Second-part (phala) glyphs.
        '‹' => "্ক",
        'Œ' => "্ক্র",
        '—' | 'Í' => "্ত",
        '‘' => "্তু",
        '’' => "্থ",
        'œ' => "্ন",
        'ú' => "্প",
        '^' | '¡' | 'Ÿ' | '¦' => "্ব",
        '¢' => "্ভ",
        '£' => "্ভ্র",
        '¥' | '§' => "্ম",
        '¨' => "্য",
        'ª' | 'Ö' | '«' => "্র",
        '¬' | 'ø' | '−' => "্ল",
        '¿' => "্ত্র",
        // Half forms.
        '¤' => "ম্",
        '¯' => "স্",
        'š' | '›' => "ন্",
        '®' => "ষ্",
        '˜' | '™' => "দ্",
        '”' => "চ্",
        '•' => "ঙ্",
        // Conjunct ligatures.
        '°' => "ক্ক",
        '±' => "ক্ট",
        '²' => "ক্ষ্ণ",
        '³' => "ক্ত",
        '´' => "ক্ম",
        'µ' => "ক্র",
        '¶' | 'ÿ' => "ক্ষ",
        '·' => "ক্স",
        '¸' => "গু",
        'º' => "গ্দ",
        '»' => "গ্ধ",
        '¼' => "ঙ্ক",
        '½' => "ঙ্গ",
        '¾' => "জ্জ",
        'À' => "জ্ঝ",
        'Á' => "জ্ঞ",
        'Â' => "ঞ্চ",
        'Ã' => "ঞ্ছ",
        'Ä' => "ঞ্জ",
        'Å' => "ঞ্ঝ",
        'Æ' => "ট্ট",
        'Ç' => "ড্ড",
        'È' => "ণ্ট",
        'É' => "ণ্ঠ",
        'Ê' => "ণ্ড",
        'Ë' => "ত্ত",
        'Ì' => "ত্থ",
        'Î' => "ত্র",
        'Ï' => "দ্দ",
        '×' => "দ্ধ",
        'Ø' => "দ্ব",
        'Ù' => "দ্ম",
        'Ú' => "ন্ঠ",
        'Û' => "ন্ড",
        'Ü' => "ন্ধ",
        'Ý' => "ন্স",
        'Þ' => "প্ট",
        'ß' => "প্ত",
        'à' => "প্প",
        'á' => "প্স",
        'â' => "ব্জ",
        'ã' => "ব্দ",
        'ä' => "ব্ধ",
        'å' => "ভ্র",
        'ç' => "ম্ফ",
        'é' => "ল্ক",
        'ê' => "ল্গ",
        'ë' => "ল্ট",
        'ì' => "ল্ড",
        'í' => "ল্প",
        'î' => "ল্ফ",
        'ï' => "শু",
        'ð' => "শ্চ",
        'ñ' => "শ্ছ",
        'ò' => "ষ্ণ",
        'ó' => "ষ্ট",
        'ô' => "ষ্ঠ",
        'õ' => "ষ্ফ",
        'ö' => "স্খ",
        '÷' => "স্ট",
        'ù' => "স্ফ",
        'û' => "হু",
        'ü' => "হৃ",
        'ý' => "হ্ন",
        'þ' => "হ্ম",
        _ => return None,
    })
}

/// Every glyph of the Bijoy → Unicode table with what it stands for (the single glyphs; the
/// pre-base signs, the reph © and অ + া are handled by the converter itself).
pub fn glyph_table() -> Vec<(char, &'static str)> {
    ('\u{20}'..='\u{2FFF}')
        .filter_map(|c| glyph(c).map(|u| (c, u)))
        .collect()
}

/// Pre-base vowel-sign glyphs: ি (w), ে (‡ †), ৈ (ˆ ‰).
fn pre_base_glyph(c: char) -> Option<char> {
    match c {
        'w' => Some('\u{09BF}'),
        '‡' | '†' => Some('\u{09C7}'),
        'ˆ' | '‰' => Some('\u{09C8}'),
        _ => None,
    }
}

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

/// The character that a C1 control stands for when cp1252 bytes were mis-decoded as
/// Latin-1 (0x86 → U+0086 instead of †).
fn c1_to_cp1252(c: char) -> char {
    match c {
        '\u{80}'..='\u{9F}' => CP1252_HIGH[(c as usize) - 0x80],
        _ => c,
    }
}

/// cp1252 bytes 0x80–0x9F. The five undefined positions map to the C1 control of the same
/// number, as the WHATWG decoder does.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes Windows-1252 bytes (how Bijoy files are stored). Never fails.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Ch(char),
    Pre(char),
    Reph,
}

/// Pushes a glyph's Unicode. A second-part glyph (্প, ্ত …) after a half form (স্, ম্ …)
/// would double the hasanta: the two share one.
fn push_str(items: &mut Vec<Item>, s: &str) {
    let mut chars = s.chars();
    if s.len() > HASANTA.len_utf8()
        && s.starts_with(HASANTA)
        && items.last() == Some(&Item::Ch(HASANTA))
    {
        chars.next();
    }
    items.extend(chars.map(Item::Ch));
}

/// Bijoy text (glyphs as Unicode code points of cp1252) → Unicode, in stored form.
/// Characters that are not Bijoy glyphs pass through.
pub fn bijoy_to_unicode(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(c1_to_cp1252).collect();
    let mut items: Vec<Item> = Vec::with_capacity(chars.len() + chars.len() / 4);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('A', Some('v')) => {
                items.push(Item::Ch('আ'));
                i += 2;
                continue;
            }
            ('i', Some('¨')) => {
                items.extend_from_slice(&[
                    Item::Ch('র'),
                    Item::Ch(ZWJ),
                    Item::Ch(HASANTA),
                    Item::Ch('য'),
                ]);
                i += 2;
                continue;
            }
            _ => {}
        }
        if c == '©' {
            items.push(Item::Reph);
        } else if let Some(p) = pre_base_glyph(c) {
            items.push(Item::Pre(p));
        } else if let Some(s) = glyph(c) {
            push_str(&mut items, s);
        } else if c.is_ascii_digit() {
            items.push(Item::Ch(to_bengali_digit(c)));
        } else {
            items.push(Item::Ch(c));
        }
        i += 1;
    }
    let stored = crate::normalize(&reorder(&items));
    if !["\u{09C1}\u{09CD}", "\u{09C2}\u{09CD}", "\u{09C3}\u{09CD}"]
        .iter()
        .any(|p| stored.contains(p))
    {
        return stored;
    }
    let mut chars: Vec<char> = stored.chars().collect();
    if swap_below_sign_and_phala(&mut chars) {
        crate::normalize(&chars.into_iter().collect::<String>())
    } else {
        stored
    }
}

/// Bijoy typists put ু ূ ৃ before a following ya- or ra-phala (মৃত্যু = g„Zy¨); Unicode wants
/// the phala first.
fn swap_below_sign_and_phala(chars: &mut [char]) -> bool {
    let mut swapped = false;
    let mut k = 1;
    while k + 2 < chars.len() {
        if (is_consonant(chars[k - 1]) || chars[k - 1] == NUKTA)
            && matches!(chars[k], '\u{09C1}' | '\u{09C2}' | '\u{09C3}')
            && chars[k + 1] == HASANTA
            && matches!(chars[k + 2], 'য' | 'র')
        {
            // The sign goes past the phala's consonant and its nukta (য়), if any.
            let len = if chars.get(k + 3) == Some(&NUKTA) {
                4
            } else {
                3
            };
            chars[k..k + len].rotate_left(1);
            swapped = true;
            // The sign may now sit before another phala (ু্য্র): keep moving it.
            k += len - 1;
        } else {
            k += 1;
        }
    }
    swapped
}

/// Decodes cp1252 bytes and converts them from Bijoy.
pub fn bijoy_bytes_to_unicode(bytes: &[u8]) -> String {
    bijoy_to_unicode(&decode_cp1252(bytes))
}

fn is_cluster_consonant(item: Option<&Item>) -> bool {
    matches!(item, Some(Item::Ch(c)) if is_consonant(*c))
}

/// End (exclusive) of the consonant cluster C(্C)* starting at `j`, or `j` if none.
fn cluster_end(items: &[Item], j: usize) -> usize {
    if !is_cluster_consonant(items.get(j)) {
        return j;
    }
    let mut k = j + 1;
    loop {
        if items.get(k) == Some(&Item::Ch(NUKTA)) {
            k += 1;
        }
        if items.get(k) == Some(&Item::Ch(ZWJ))
            && items.get(k + 1) == Some(&Item::Ch(HASANTA))
            && is_cluster_consonant(items.get(k + 2))
        {
            k += 3;
        } else if items.get(k) == Some(&Item::Ch(HASANTA)) && is_cluster_consonant(items.get(k + 1))
        {
            k += 2;
        } else {
            return k;
        }
    }
}

/// Start of the consonant cluster that ends at `end` (exclusive) in `out`, if any.
fn cluster_start_back(out: &[char], end: usize) -> Option<usize> {
    let mut k = end;
    if k > 0 && out[k - 1] == NUKTA {
        k -= 1;
    }
    if k == 0 || !is_consonant(out[k - 1]) {
        return None;
    }
    k -= 1;
    loop {
        // k is at a consonant; look for ্ (or ZWJ ্ after র) before it.
        if k >= 2 && out[k - 1] == HASANTA {
            let mut m = k - 1;
            if m >= 1 && out[m - 1] == ZWJ {
                m -= 1;
            }
            let mut p = m;
            if p >= 1 && out[p - 1] == NUKTA {
                p -= 1;
            }
            if p >= 1 && is_consonant(out[p - 1]) {
                k = p - 1;
                continue;
            }
        }
        return Some(k);
    }
}

/// Places pre-base vowel signs after their cluster and the reph before its cluster.
fn reorder(items: &[Item]) -> String {
    let mut out: Vec<char> = Vec::with_capacity(items.len() + 8);
    let mut i = 0;
    while i < items.len() {
        match items[i] {
            Item::Ch(c) => {
                out.push(c);
                i += 1;
            }
            Item::Pre(sign) => {
                let end = cluster_end(items, i + 1);
                if end == i + 1 {
                    out.push(sign);
                    i += 1;
                    continue;
                }
                for item in &items[i + 1..end] {
                    if let Item::Ch(c) = item {
                        out.push(*c);
                    }
                }
                i = end;
                match (sign, items.get(i)) {
                    ('\u{09C7}', Some(Item::Ch('\u{09BE}'))) => {
                        out.push('\u{09CB}');
                        i += 1;
                    }
                    ('\u{09C7}', Some(Item::Ch('\u{09D7}'))) => {
                        out.push('\u{09CC}');
                        i += 1;
                    }
                    _ => out.push(sign),
                }
            }
            Item::Reph => {
                let mut end = out.len();
                if end > 0 && crate::chars::is_vowel_sign(out[end - 1]) {
                    end -= 1;
                }
                match cluster_start_back(&out, end) {
                    Some(start) => {
                        out.splice(start..start, ['র', HASANTA]);
                    }
                    None => out.extend(['র', HASANTA]),
                }
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Unicode → Bijoy
// ---------------------------------------------------------------------------------------

/// Unicode sequences with a preferred Bijoy spelling, longest first within the lookup.
fn encode_seq(s: &str) -> Option<&'static str> {
    Some(match s {
        "র\u{200D}্য" => "i¨",
        "ন্ত্র" => "š¿",
        "স্ত্র" => "¯¿",
        "ক্ষ" => "¶",
        "ক্ক" => "°",
        "ক্ট" => "±",
        "ক্ত" => "³",
        "ক্র" => "µ",
        "ক্স" => "·",
        "গ্ধ" => "»",
        "ঙ্ক" => "¼",
        "ঙ্গ" => "½",
        "জ্জ" => "¾",
        "জ্ঝ" => "À",
        "জ্ঞ" => "Á",
        "ঞ্চ" => "Â",
        "ঞ্ছ" => "Ã",
        "ঞ্জ" => "Ä",
        "ঞ্ঝ" => "Å",
        "ট্ট" => "Æ",
        "ড্ড" => "Ç",
        "ণ্ট" => "È",
        "ণ্ঠ" => "É",
        "ণ্ড" => "Ê",
        "ত্ত" => "Ë",
        "ত্থ" => "Ì",
        "ত্র" => "Î",
        "দ্দ" => "Ï",
        "দ্ধ" => "×",
        "দ্ব" => "Ø",
        "দ্ম" => "Ù",
        "ন্ঠ" => "Ú",
        "ন্ড" => "Û",
        "ন্ধ" => "Ü",
        "ন্স" => "Ý",
        "প্ট" => "Þ",
        "প্ত" => "ß",
        "প্প" => "à",
        "প্স" => "á",
        "ব্জ" => "â",
        "ব্দ" => "ã",
        "ব্ধ" => "ä",
        "ভ্র" => "å",
        "ম্ন" => "gœ",
        "ম্ফ" => "ç",
        "ল্ক" => "é",
        "ল্গ" => "ê",
        "ল্ট" => "ë",
        "ল্ড" => "ì",
        "ল্প" => "í",
        "ল্ফ" => "î",
        "শ্চ" => "ð",
        "শ্ছ" => "ñ",
        "ষ্ণ" => "ò",
        "ষ্ট" => "ó",
        "ষ্ঠ" => "ô",
        "ষ্ফ" => "õ",
        "স্খ" => "ö",
        "স্ট" => "÷",
        "স্ফ" => "ù",
        "হ্ন" => "ý",
        "হ্ম" => "þ",
        "ল্ল" => "jø",
        // Half form + second-part glyph.
        "স্ক" => "¯‹",
        "স্ত" => "¯Í",
        "স্থ" => "¯’",
        "স্ন" => "¯œ",
        "স্প" => "¯ú",
        "স্ব" => "¯^",
        "স্ম" => "¯§",
        "স্ল" => "¯ø",
        "ম্প" => "¤ú",
        "ম্ব" => "¤^",
        "ম্ভ" => "¤¢",
        "ম্ম" => "¤§",
        "ম্ল" => "¤ø",
        "ন্ত" => "šÍ",
        "ন্থ" => "š’",
        "ন্ব" => "š^",
        "ন্ট" => "›U",
        "ন্দ" => "›`",
        "ষ্ক" => "®‹",
        "ষ্প" => "®ú",
        "ষ্ম" => "®§",
        "দ্গ" => "˜M",
        "দ্ঘ" => "˜N",
        "দ্ভ" => "™¢",
        "চ্চ" => "”P",
        "চ্ছ" => "”Q",
        "ঙ্খ" => "•L",
        "ঙ্ঘ" => "•N",
        // Phala (second-part) glyphs.
        "্র" => "Ö",
        "্য" => "¨",
        "্ব" => "¡",
        "্ল" => "¬",
        "্ম" => "¥",
        "্ন" => "œ",
        "্ক" => "‹",
        "্ত" => "Í",
        "্থ" => "’",
        "্প" => "ú",
        "্ভ" => "¢",
        // Nukta letters.
        "ড\u{09BC}" => "o",
        "ঢ\u{09BC}" => "p",
        "য\u{09BC}" => "q",
        _ => return None,
    })
}

/// Single Unicode characters → glyph.
fn encode_char(c: char) -> Option<&'static str> {
    Some(match c {
        'অ' => "A",
        'আ' => "Av",
        'ই' => "B",
        'ঈ' => "C",
        'উ' => "D",
        'ঊ' => "E",
        'ঋ' => "F",
        'এ' => "G",
        'ঐ' => "H",
        'ও' => "I",
        'ঔ' => "J",
        'ক' => "K",
        'খ' => "L",
        'গ' => "M",
        'ঘ' => "N",
        'ঙ' => "O",
        'চ' => "P",
        'ছ' => "Q",
        'জ' => "R",
        'ঝ' => "S",
        'ঞ' => "T",
        'ট' => "U",
        'ঠ' => "V",
        'ড' => "W",
        'ঢ' => "X",
        'ণ' => "Y",
        'ত' => "Z",
        'থ' => "_",
        'দ' => "`",
        'ধ' => "a",
        'ন' => "b",
        'প' => "c",
        'ফ' => "d",
        'ব' => "e",
        'ভ' => "f",
        'ম' => "g",
        'য' => "h",
        'র' => "i",
        'ল' => "j",
        'শ' => "k",
        'ষ' => "l",
        'স' => "m",
        'হ' => "n",
        'ৎ' => "r",
        'ং' => "s",
        'ঃ' => "t",
        'ঁ' => "u",
        'া' => "v",
        'ি' => "w",
        'ী' => "x",
        'ু' => "y",
        'ূ' => "~",
        'ৃ' => "„",
        'ে' => "‡",
        'ৈ' => "ˆ",
        'ৗ' => "Š",
        '।' => "|",
        '্' => "&",
        '“' => "Ò",
        '”' => "Ó",
        '‘' => "Ô",
        '’' => "Õ",
        '০' => "0",
        '১' => "1",
        '২' => "2",
        '৩' => "3",
        '৪' => "4",
        '৫' => "5",
        '৬' => "6",
        '৭' => "7",
        '৮' => "8",
        '৯' => "9",
        _ => return None,
    })
}

/// Whether Unicode → Bijoy passes `c` through unchanged. Such characters must not be
/// Bijoy glyphs themselves, or the round trip would change them.
fn passes_through(c: char) -> bool {
    encode_char(c).is_none()
}

/// Unicode → Bijoy (SutonnyMJ). The text is normalized first; characters with no Bijoy
/// glyph (Latin letters, other scripts) pass through unchanged — a Bijoy font would show
/// them as Bengali, so keep such text out of what you send to layout.
pub fn unicode_to_bijoy(text: &str) -> String {
    let norm = crate::normalize(text);
    let chars: Vec<char> = norm.chars().collect();
    let mut out = String::with_capacity(norm.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let word_start = i == 0 || !is_bengali_letter_or_mark(chars[i - 1]);
        // Reph: র ্ C (not র‍্য, which has the ZWJ before the hasanta).
        let reph = c == 'র'
            && chars.get(i + 1) == Some(&HASANTA)
            && chars.get(i + 2).is_some_and(|&n| is_consonant(n));
        let start = if reph { i + 2 } else { i };
        if !is_consonant(chars[start]) {
            if crate::chars::is_pre_base_sign(c) {
                // A pre-base sign with no consonant before it: its glyph would attach to
                // the next cluster on the way back, so keep the Unicode sign as it is.
                out.push(c);
            } else {
                encode_other(&mut out, c);
            }
            i += 1;
            continue;
        }
        let end = cluster_end_chars(&chars, start);
        let sign = chars
            .get(end)
            .copied()
            .filter(|&s| crate::chars::is_vowel_sign(s));
        // A hasanta + consonant right after the sign would join the cluster on the way back
        // (malformed text); then keep the sign in Unicode after the cluster.
        let joins_after = chars.get(end + 1) == Some(&HASANTA)
            || (chars.get(end + 1) == Some(&ZWJ) && chars.get(end + 2) == Some(&HASANTA));
        if joins_after
            && let Some(sg) = sign.filter(|&sg| {
                matches!(
                    sg,
                    '\u{09BF}' | '\u{09C7}' | '\u{09C8}' | '\u{09CB}' | '\u{09CC}'
                )
            })
        {
            encode_cluster(&mut out, &chars[start..end]);
            if reph {
                out.push('©');
            }
            out.push(sg);
            i = end + 1;
            continue;
        }
        let (pre, post): (Option<&str>, Option<char>) = match sign {
            Some('\u{09BF}') => (Some("w"), None),
            Some('\u{09C7}') => (Some(if word_start { "†" } else { "‡" }), None),
            Some('\u{09C8}') => (Some("ˆ"), None),
            Some('\u{09CB}') => (Some(if word_start { "†" } else { "‡" }), Some('\u{09BE}')),
            Some('\u{09CC}') => (Some(if word_start { "†" } else { "‡" }), Some('\u{09D7}')),
            other => (None, other),
        };
        if let Some(p) = pre {
            out.push_str(p);
        }
        let cluster = &chars[start..end];
        let mut post_done = false;
        if cluster.len() == 1 {
            let lig = match (cluster[0], post) {
                ('গ', Some('ু')) => Some("¸"),
                ('শ', Some('ু')) => Some("ï"),
                ('হ', Some('ু')) => Some("û"),
                ('হ', Some('ৃ')) => Some("ü"),
                ('র', Some('ু')) => Some("i“"),
                ('র', Some('ূ')) => Some("iƒ"),
                ('ক', Some('ু')) => Some("Kz"),
                _ => None,
            };
            if let Some(l) = lig {
                out.push_str(l);
                post_done = true;
            }
        }
        if !post_done {
            encode_cluster(&mut out, cluster);
        }
        if reph {
            out.push('©');
        }
        if !post_done && let Some(p) = post {
            encode_other(&mut out, p);
        }
        i = if sign.is_some() { end + 1 } else { end };
    }
    out
}

fn encode_other(out: &mut String, c: char) {
    match encode_char(c) {
        Some(g) => out.push_str(g),
        None => {
            debug_assert!(passes_through(c));
            out.push(c);
        }
    }
}

/// End (exclusive) of the cluster C(্C)* starting at `j` in `chars` (j is a consonant).
fn cluster_end_chars(chars: &[char], j: usize) -> usize {
    let mut k = j + 1;
    loop {
        if chars.get(k) == Some(&NUKTA) {
            k += 1;
        }
        let is_cons = |x: Option<&char>| x.is_some_and(|&c| is_consonant(c));
        if chars.get(k) == Some(&ZWJ)
            && chars.get(k + 1) == Some(&HASANTA)
            && is_cons(chars.get(k + 2))
        {
            k += 3;
        } else if chars.get(k) == Some(&HASANTA) && is_cons(chars.get(k + 1)) {
            k += 2;
        } else {
            return k;
        }
    }
}

/// Greedy longest match over a cluster.
fn encode_cluster(out: &mut String, cluster: &[char]) {
    let mut buf = String::with_capacity(24);
    let mut i = 0;
    while i < cluster.len() {
        // র + ্য inside a cluster (no ZWJ): "i¨" would come back as র‍্য, so the hasanta
        // is written as its own glyph.
        if cluster[i] == 'র'
            && cluster.get(i + 1) == Some(&HASANTA)
            && cluster.get(i + 2) == Some(&'য')
        {
            out.push_str("i&h");
            i += 3;
            continue;
        }
        let max = (cluster.len() - i).min(5);
        let mut matched = false;
        for len in (2..=max).rev() {
            buf.clear();
            buf.extend(&cluster[i..i + len]);
            if let Some(g) = encode_seq(&buf) {
                out.push_str(g);
                i += len;
                matched = true;
                break;
            }
        }
        if !matched {
            match encode_char(cluster[i]) {
                Some(g) => out.push_str(g),
                None => out.push(cluster[i]),
            }
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

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
