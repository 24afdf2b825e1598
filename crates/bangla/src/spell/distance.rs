//! The two measures behind suggestions: the *skeleton key* (a word with the letters Bengali
//! typists confuse folded together and the hasanta, joiners and ফলা dropped, so that
//! নিরবাচন and নির্বাচন, সরকারী and সরকারি share a key) and a weighted edit distance in
//! which those confusions cost little (the costs are the table [`sub_cost`] and
//! [`indel_cost`]).

use crate::chars::{CHANDRABINDU, HASANTA, NUKTA, ZWJ, ZWNJ};

/// Confusion classes: letters in one class are typed for each other; each class folds to
/// its first letter in the skeleton key and costs [`CONFUSION_COST`] to swap.
pub const CONFUSIONS: &[&[char]] = &[
    &['ি', 'ী'],
    &['ু', 'ূ'],
    &['ই', 'ঈ'],
    &['উ', 'ঊ'],
    &['ন', 'ণ'],
    &['স', 'শ', 'ষ'],
    &['জ', 'য'],
    &['র', '\u{09DC}', '\u{09DD}'],
    &['ত', 'ৎ'],
    &['ঙ', 'ং'],
];

/// The cost of swapping two letters of one confusion class.
pub const CONFUSION_COST: f32 = 0.25;

/// Plain letters and their aspirated ones (ক/খ, দ/ধ …): swapped at [`ASPIRATE_COST`].
pub const ASPIRATES: &[(char, char)] = &[
    ('ক', 'খ'),
    ('গ', 'ঘ'),
    ('চ', 'ছ'),
    ('জ', 'ঝ'),
    ('ট', 'ঠ'),
    ('ড', 'ঢ'),
    ('ত', 'থ'),
    ('দ', 'ধ'),
    ('প', 'ফ'),
    ('ব', 'ভ'),
];

/// The cost of swapping a letter and its aspirated one.
pub const ASPIRATE_COST: f32 = 0.6;

/// Other pairs of letters that are near: cheaper than an unrelated swap.
pub const NEAR_PAIRS: &[(char, char, f32)] = &[
    ('ট', 'ত', 0.7),
    ('ড', 'দ', 0.7),
    ('ে', 'ৈ', 0.5),
    ('ো', 'ৌ', 0.5),
    ('ে', 'ো', 0.6),
    ('া', 'ো', 0.7),
    ('ি', 'ে', 0.7),
    ('ু', 'ো', 0.7),
    ('ই', 'ি', 0.5),
    ('ঈ', 'ী', 0.5),
    ('উ', 'ু', 0.5),
    ('ঊ', 'ূ', 0.5),
    ('এ', 'ে', 0.5),
    ('ও', 'ো', 0.5),
    ('আ', 'া', 0.5),
    ('য', '\u{09DF}', 0.5),
    ('অ', 'আ', 0.6),
];

/// Second parts of a conjunct typed or left out as a unit: ্য (য-ফলা), ্র (র-ফলা), ্ব, ্ম, ্ন.
pub const PHALAS: &[(char, f32)] = &[('য', 0.4), ('র', 0.4), ('ব', 0.45), ('ম', 0.6), ('ন', 0.6)];

/// The cost of a reph (র্) typed or left out.
pub const REPH_COST: f32 = 0.4;

/// The cost of swapping two neighbours.
pub const TRANSPOSE_COST: f32 = 0.5;

/// Precomposed nukta letters as one unit, for the distance and the key.
fn units(word: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(word.len() / 2);
    for c in word.chars() {
        if c == NUKTA {
            match out.last() {
                Some('ড') => {
                    out.pop();
                    out.push('\u{09DC}');
                    continue;
                }
                Some('ঢ') => {
                    out.pop();
                    out.push('\u{09DD}');
                    continue;
                }
                Some('য') => {
                    out.pop();
                    out.push('\u{09DF}');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

fn fold(c: char) -> char {
    for class in CONFUSIONS {
        if class.contains(&c) {
            return class[0];
        }
    }
    c
}

/// The skeleton key of a normalized word (see the module doc).
pub fn skeleton(word: &str) -> String {
    let u = units(word);
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < u.len() {
        let c = u[i];
        if c == HASANTA {
            // A ফলা after a hasanta goes with it; a hasanta elsewhere (a reph, a conjunct)
            // just goes.
            if let Some(&next) = u.get(i + 1)
                && PHALAS.iter().any(|(p, _)| *p == next)
                && i > 0
                && u[i - 1] != 'র'
            {
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        if matches!(c, ZWJ | ZWNJ | CHANDRABINDU | NUKTA | 'ঃ') {
            i += 1;
            continue;
        }
        out.push(fold(c));
        i += 1;
    }
    out
}

/// A key for finding the spellings of one word among a whole lexicon
/// (`SpellChecker::mark_rarer_spellings`): the skeleton of the word with an aspirated letter
/// after a hasanta as its plain one — in a conjunct the aspiration is not heard, so স্থ/স্ত
/// and ষ্ঠ/ষ্ট are typed for each other (ক্ষতিগ্রস্থ, যথেষ্ঠ), while elsewhere it makes
/// another word (খাটা, কাটা). A reph is left out, as typists leave it out or put it on the
/// wrong letter (কতৃপক্ষ, সর্তক). Vowel signs are kept: এখন and এখনো are two words.
pub fn variant_key(word: &str) -> String {
    let mut plain = String::with_capacity(word.len());
    let mut after_hasanta = false;
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == 'র' && chars.get(i) == Some(&HASANTA) && chars.get(i + 1) != Some(&ZWJ) {
            i += 1;
            continue;
        }
        let c = if after_hasanta {
            ASPIRATES
                .iter()
                .find(|(_, aspirated)| *aspirated == c)
                .map_or(c, |(plain, _)| *plain)
        } else {
            c
        };
        after_hasanta = c == HASANTA;
        plain.push(c);
    }
    skeleton(&plain)
}

/// The cost of replacing `a` by `b`.
pub fn sub_cost(a: char, b: char) -> f32 {
    if a == b {
        return 0.0;
    }
    if fold(a) == fold(b) {
        return CONFUSION_COST;
    }
    if ASPIRATES.contains(&(a, b)) || ASPIRATES.contains(&(b, a)) {
        return ASPIRATE_COST;
    }
    for &(x, y, c) in NEAR_PAIRS {
        if (a == x && b == y) || (a == y && b == x) {
            return c;
        }
    }
    let vs = crate::chars::is_vowel_sign;
    if vs(a) && vs(b) {
        return 0.8;
    }
    1.0
}

/// The cost of typing `c` where it does not belong, or leaving it out.
pub fn indel_cost(c: char) -> f32 {
    match c {
        ZWJ | ZWNJ => 0.1,
        HASANTA | CHANDRABINDU | NUKTA => 0.3,
        'ো' => 0.4,
        'ং' | 'ঃ' => 0.5,
        _ if crate::chars::is_vowel_sign(c) => 0.6,
        _ => 1.0,
    }
}

/// Cost of the two units `x` `y` typed or left out together, if they are a ফলা or a reph.
fn pair_cost(x: char, y: char) -> Option<f32> {
    if x == HASANTA {
        return PHALAS.iter().find(|(p, _)| *p == y).map(|(_, c)| *c);
    }
    if x == 'র' && y == HASANTA {
        return Some(REPH_COST);
    }
    None
}

/// Whether a reph sits on the neighbouring letter: `র্` + c in one, c + `র্` in the other
/// (সর্তক / সতর্ক), one slip that costs [`REPH_COST`].
pub fn reph_moved(x: &[char], y: &[char]) -> bool {
    let moved = |p: &[char], q: &[char]| {
        matches!((p, q), ([r, h, c], [d, s, k])
            if *r == 'র' && *h == HASANTA && c == d && *s == 'র' && *k == HASANTA)
    };
    moved(x, y) || moved(y, x)
}

/// The weighted (restricted Damerau-Levenshtein) distance between two normalized words.
pub fn distance(a: &str, b: &str) -> f32 {
    let a = units(a);
    let b = units(b);
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut d = vec![0f32; (n + 1) * w];
    for i in 1..=n {
        d[i * w] = d[(i - 1) * w] + indel_cost(a[i - 1]);
        if i >= 2
            && let Some(c) = pair_cost(a[i - 2], a[i - 1])
        {
            d[i * w] = d[i * w].min(d[(i - 2) * w] + c);
        }
    }
    for j in 1..=m {
        d[j] = d[j - 1] + indel_cost(b[j - 1]);
        if j >= 2
            && let Some(c) = pair_cost(b[j - 2], b[j - 1])
        {
            d[j] = d[j].min(d[j - 2] + c);
        }
    }
    for i in 1..=n {
        for j in 1..=m {
            let mut best = (d[(i - 1) * w + j - 1] + sub_cost(a[i - 1], b[j - 1]))
                .min(d[(i - 1) * w + j] + indel_cost(a[i - 1]))
                .min(d[i * w + j - 1] + indel_cost(b[j - 1]));
            if i >= 2
                && j >= 2
                && a[i - 1] == b[j - 2]
                && a[i - 2] == b[j - 1]
                && a[i - 1] != a[i - 2]
            {
                best = best.min(d[(i - 2) * w + j - 2] + TRANSPOSE_COST);
            }
            if i >= 3 && j >= 3 && reph_moved(&a[i - 3..i], &b[j - 3..j]) {
                best = best.min(d[(i - 3) * w + j - 3] + REPH_COST);
            }
            if i >= 2
                && let Some(c) = pair_cost(a[i - 2], a[i - 1])
            {
                best = best.min(d[(i - 2) * w + j] + c);
            }
            if j >= 2
                && let Some(c) = pair_cost(b[j - 2], b[j - 1])
            {
                best = best.min(d[i * w + j - 2] + c);
            }
            d[i * w + j] = best;
        }
    }
    d[n * w + m]
}

/// Every string one edit (insert, delete, replace, swap) away from `key` over `alphabet`,
/// passed to `f`. `key` is a skeleton key.
pub fn key_edits(key: &str, alphabet: &[char], mut f: impl FnMut(&str)) {
    let chars: Vec<char> = key.chars().collect();
    let mut buf = String::with_capacity(key.len() + 4);
    let mut emit = |parts: &mut dyn Iterator<Item = char>, f: &mut dyn FnMut(&str)| {
        buf.clear();
        buf.extend(parts);
        f(&buf);
    };
    for i in 0..=chars.len() {
        for &a in alphabet {
            emit(
                &mut chars[..i]
                    .iter()
                    .copied()
                    .chain(std::iter::once(a))
                    .chain(chars[i..].iter().copied()),
                &mut f,
            );
            if i < chars.len() && chars[i] != a {
                emit(
                    &mut chars[..i]
                        .iter()
                        .copied()
                        .chain(std::iter::once(a))
                        .chain(chars[i + 1..].iter().copied()),
                    &mut f,
                );
            }
        }
        if i < chars.len() {
            emit(
                &mut chars[..i]
                    .iter()
                    .copied()
                    .chain(chars[i + 1..].iter().copied()),
                &mut f,
            );
        }
        if i + 1 < chars.len() && chars[i] != chars[i + 1] {
            let mut c = chars.clone();
            c.swap(i, i + 1);
            emit(&mut c.into_iter(), &mut f);
        }
    }
}
