//! Bijoy → Unicode: the glyphs through the table, then the pre-base vowel signs moved after
//! their cluster and the reph before it (bengali.md §4), in stored form.

use super::cp1252::{c1_to_cp1252, decode_cp1252};
use super::table::{glyph, pre_base_glyph};
use crate::chars::{HASANTA, NUKTA, ZWJ, is_consonant};
use crate::numerals::to_bengali_digit;

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
