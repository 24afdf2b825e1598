//! Unicode → Bijoy: each consonant cluster with its vowel signs and reph written in the
//! SutonnyMJ glyph order, by greedy longest match through the table.

use super::table::{encode_char, encode_seq, passes_through};
use crate::chars::{HASANTA, NUKTA, ZWJ, is_bengali_letter_or_mark, is_consonant};

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
