//! Bengali morphology for the spelling checker, as tables: a word is correct when it is a
//! known stem plus endings from these tables (noun inflection, verb conjugation, derivational
//! endings, prefixes) or a compound of two known words. The code that walks the tables is in
//! [`analyse`]; the tables are data, tested in `tests/spell.rs`.

use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// What a stem must end in for an ending to follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Any stem.
    Any,
    /// A stem ending in a vowel (sign or letter) or ং: কোরিয়া + র, ঢাকা + য়.
    Vowel,
    /// A stem ending in a consonant (inherent vowel): দেশ + ের, দেশ + ে.
    Consonant,
}

/// Number and classifier endings (first slot of a noun's inflection), with what they need
/// before them and the case endings that may follow them.
pub const NOUN_NUMBER: &[(&str, After, &[&str])] = &[
    ("টি", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("টা", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("টো", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("খানা", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("খানি", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("গুলো", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("গুলি", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("গুলা", After::Any, NOUN_CASE_AFTER_CLASSIFIER),
    ("সমূহ", After::Any, &["", "ের", "কে", "ে"]),
    ("গণ", After::Any, &["", "ের", "কে"]),
    ("বৃন্দ", After::Any, &["", "ের", "কে"]),
    ("রা", After::Vowel, &[""]),
    ("েরা", After::Consonant, &[""]),
    ("এরা", After::Any, &[""]),
    ("দের", After::Any, &["", "কে"]),
    ("েদের", After::Consonant, &["", "কে"]),
    ("এদের", After::Any, &["", "কে"]),
    ("দেরকে", After::Any, &[""]),
];

/// Case endings that may follow a classifier (টির, গুলোকে, গুলোতে, টায়).
pub const NOUN_CASE_AFTER_CLASSIFIER: &[&str] = &["", "র", "কে", "তে", "য়", "য়ে"];

/// Case endings directly after a stem: genitive, objective, locative/instrumental.
pub const NOUN_CASE: &[(&str, After)] = &[
    ("র", After::Vowel),
    ("ের", After::Consonant),
    ("এর", After::Any),
    ("য়ের", After::Vowel),
    ("কে", After::Any),
    ("েকে", After::Consonant),
    ("তে", After::Any),
    ("েতে", After::Consonant),
    ("এতে", After::Any),
    ("য়", After::Vowel),
    ("য়ে", After::Vowel),
    ("ে", After::Consonant),
    ("এ", After::Any),
    ("রও", After::Vowel),
    ("কার", After::Any),
];

/// Particles that close a word: emphatic ই, inclusive ও, and the limiters.
pub const PARTICLES: &[&str] = &["", "ই", "ও", "টুকু", "টুকুও", "মাত্র", "সহ"];

/// Verb endings after a root ending in a consonant (কর, বল, লিখ, পার): person × tense,
/// negatives, non-finite forms, verbal nouns and causatives.
pub const VERB_CONSONANT_ROOT: &[&str] = &[
    // present simple; imperative
    "ি",
    "িস",
    "ে",
    "েন",
    "ো",
    "ুন",
    "ুক", // present continuous
    "ছি",
    "ছিস",
    "ছে",
    "ছেন",
    "ছো",
    "ছ", // present perfect
    "েছি",
    "েছিস",
    "েছে",
    "েছেন",
    "েছো",
    "েছ", // past simple
    "লাম",
    "লুম",
    "লি",
    "লে",
    "ল",
    "লো",
    "লেন", // past continuous
    "ছিলাম",
    "ছিলি",
    "ছিলে",
    "ছিল",
    "ছিলো",
    "ছিলেন", // past perfect
    "েছিলাম",
    "েছিলি",
    "েছিলে",
    "েছিল",
    "েছিলো",
    "েছিলেন", // habitual past
    "তাম",
    "তিস",
    "তে",
    "ত",
    "তো",
    "তেন",
    "তুম", // future
    "ব",
    "বো",
    "বি",
    "বে",
    "বেন",
    "বা", // negatives
    "িনি",
    "েনি",
    "োনি",
    "েননি",
    "ছিনা", // non-finite
    "তেই",
    "লেই",
    "েই",
    "তেও",
    "লেও",
    "েও", // verbal nouns
    "া",
    "ার",
    "ায়",
    "াটা",
    "াটাই",
    "াতে",
    "ারই",
    "াও",
    "ায়ও", // causative
    "ানো",
    "ানোর",
    "ানোয়",
    "ানোটা",
    "ানোই",
    "াই",
    "ান",
    "ানা",
    "িয়ে",
    "িয়েছে",
    "িয়েছেন",
    "িয়েছিল",
    "িয়েছিলেন",
    "াচ্ছে",
    "াচ্ছেন",
    "াচ্ছিল",
    "াল",
    "ালো",
    "ালেন",
    "াবে",
    "াবেন",
    "াত",
    "াতো",
    "াতেন",
    "াননি",
    "ায়নি",
    "ানি",
];

/// Verb endings after a root ending in a vowel (হ, যা, খা, দি, নি, পা, চা).
pub const VERB_VOWEL_ROOT: &[&str] = &[
    "ই",
    "ও",
    "য়",
    "ন",
    "স",
    "ক",
    "চ্ছি",
    "চ্ছিস",
    "চ্ছে",
    "চ্ছেন",
    "চ্ছো",
    "চ্ছিল",
    "চ্ছিলো",
    "চ্ছিলেন",
    "চ্ছিলাম",
    "য়েছি",
    "য়েছে",
    "য়েছেন",
    "য়েছিল",
    "য়েছিলো",
    "য়েছিলেন",
    "য়েছিলাম",
    "লাম",
    "লি",
    "লে",
    "ল",
    "লো",
    "লেন",
    "তাম",
    "তে",
    "ত",
    "তো",
    "তেন",
    "ব",
    "বো",
    "বি",
    "বে",
    "বেন",
    "য়নি",
    "ননি",
    "ইনি",
    "ওনি",
    "য়ে",
    "য়েই",
    "য়েও",
    "তেই",
    "লেই",
    "তেও",
    "লেও",
    "ওয়া",
    "ওয়ার",
    "ওয়ায়",
    "ওয়াটা",
    "ওয়াই",
    "ওয়াও",
    "য়া",
    "য়ার",
];

/// How a verb root is recognized: one of these, added to the root (after a vowel change of
/// [`ROOT_VOWEL_CHANGES`]), is a listed word (the verbal noun: করা, হওয়া, লেখা, দেওয়া;
/// or a common finite form: বদলেছে).
pub const VERBAL_NOUN_ENDINGS: &[&str] = &["া", "ওয়া", "য়া", "ানো", "েছে", "ছে", "েছেন"];

/// Vowel changes between a root as conjugated and its verbal noun (লিখ → লেখা, শুন → শোনা,
/// দি → দেওয়া, খে → খাওয়া). The last vowel sign of the root is replaced.
pub const ROOT_VOWEL_CHANGES: &[(&str, &str)] = &[("", ""), ("ি", "ে"), ("ু", "ো"), ("ে", "া")];

/// Finite verb forms that may take the negative নি or an emphatic particle (হয় → হয়নি,
/// করেন → করেননি, যায় → যায়ই).
pub const VERB_PARTICLES: &[&str] = &["নি", "না", "ই", "ও"];

/// Derivational endings common in news (কৌশলগত, আনুষ্ঠানিকভাবে, উসকানিমূলক, সহযোদ্ধাসুলভ).
/// A word made with one may be inflected further.
pub const DERIVATIONAL: &[&str] = &[
    "ভাবে",
    "ভাবেই",
    "গত",
    "মূলক",
    "পূর্ণ",
    "কারী",
    "কারি",
    "জনক",
    "সূচক",
    "বাদী",
    "বাদ",
    "তা",
    "ত্ব",
    "হীন",
    "যোগ্য",
    "সুলভ",
    "ময়",
    "শীল",
    "প্রবণ",
    "সম্মত",
    "ভিত্তিক",
    "কেন্দ্রিক",
    "মুখী",
    "মুখি",
    "জাত",
    "পন্থী",
    "বিরোধী",
    "গ্রস্ত",
    "রত",
    "ভুক্ত",
    "সংক্রান্ত",
    "ব্যাপী",
    "কালীন",
    "পূর্ব",
    "পরবর্তী",
    "বাহী",
    "দার",
    "ওয়ালা",
    "ীয়",
    "সহ",
    "হেতু",
    "বশত",
    "স্থ",
    "প্রাপ্ত",
    "কৃত",
    "জনিত",
    "প্রতি",
    "মতো",
];

/// Prefixes that make words of known words (অস্থির, পুনর্নির্বাচন, সহসভাপতি).
pub const PREFIXES: &[&str] = &[
    "অ",
    "অন",
    "দু",
    "অনা",
    "বে",
    "প্রতি",
    "পুনঃ",
    "পুনর্",
    "সহ",
    "উপ",
    "মহা",
    "অতি",
    "আন্তঃ",
    "অপ",
    "দুর্",
    "দুঃ",
    "প্রাক",
    "সাবেক",
    "ভারপ্রাপ্ত",
];

/// The names of the Latin letters as Bengali writes them: a word made only of them is an
/// initialism (বিবিসি, কেসিএনএ, টিএইচ, বিএনপি).
pub const LETTER_NAMES: &[&str] = &[
    "এ",
    "বি",
    "সি",
    "ডি",
    "ই",
    "এফ",
    "জি",
    "এইচ",
    "আই",
    "জে",
    "কে",
    "এল",
    "এম",
    "এন",
    "ও",
    "পি",
    "কিউ",
    "আর",
    "এস",
    "টি",
    "ইউ",
    "ভি",
    "ডব্লিউ",
    "ডাব্লিউ",
    "এক্স",
    "ওয়াই",
    "জেড",
    "জেট",
];

/// Whether a word is an initialism of at least two letter names (see [`LETTER_NAMES`]).
pub fn initialism(word: &str) -> bool {
    fn parts(w: &str) -> Option<usize> {
        if w.is_empty() {
            return Some(0);
        }
        LETTER_NAMES
            .iter()
            .filter_map(|l| w.strip_prefix(l).and_then(parts).map(|n| n + 1))
            .max()
    }
    word.len() <= 60 && parts(word).is_some_and(|n| n >= 2)
}

/// Minimum number of grapheme clusters of each part of a compound (শত্রু|পক্ষ,
/// স্নায়ু|যুদ্ধ). Short parts would let too many slips pass as compounds.
pub const COMPOUND_MIN_GRAPHEMES: usize = 2;

/// Minimum length of a compound as a whole, in grapheme clusters.
pub const COMPOUND_MIN_TOTAL: usize = 4;

/// How a word was accepted, for ranking suggestions (a listed word is likelier than an
/// inflected one, an inflected one than a compound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Analysis {
    /// The word is listed as it is.
    Listed,
    /// A listed stem with inflection or derivation.
    Inflected,
    /// Two listed words joined.
    Compound,
}

/// The noun endings of the tables, combined (number? + case? + particle?), longest first,
/// with the condition on the stem.
pub fn noun_endings() -> &'static [(String, After)] {
    static ENDINGS: std::sync::OnceLock<Vec<(String, After)>> = std::sync::OnceLock::new();
    ENDINGS.get_or_init(|| {
        let mut out: Vec<(String, After)> = Vec::new();
        let mut push = |s: String, a: After| {
            if !s.is_empty() && !out.iter().any(|(e, b)| *e == s && *b == a) {
                out.push((s, a));
            }
        };
        for p in PARTICLES {
            push((*p).to_string(), After::Any);
            for (num, after, cases) in NOUN_NUMBER {
                for c in *cases {
                    push(format!("{num}{c}{p}"), *after);
                }
            }
            for (case, after) in NOUN_CASE {
                push(format!("{case}{p}"), *after);
            }
        }
        out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        out
    })
}

/// The noun endings by their text, each with its conditions, and the longest's length in
/// bytes: a word's endings are then found by looking up its few suffixes, not by trying all
/// 600 endings on it.
fn noun_ending_index() -> &'static (HashMap<&'static str, Vec<After>>, usize) {
    static INDEX: std::sync::OnceLock<(HashMap<&'static str, Vec<After>>, usize)> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<&'static str, Vec<After>> = HashMap::new();
        for (ending, after) in noun_endings() {
            index.entry(ending.as_str()).or_default().push(*after);
        }
        let longest = index.keys().map(|e| e.len()).max().unwrap_or(0);
        (index, longest)
    })
}

/// Every way `word` is a stem plus a noun ending of the tables whose condition the stem
/// fits: (stem, ending's condition), the stem never empty.
pub fn noun_splits(word: &str) -> impl Iterator<Item = (&str, After)> {
    let (index, longest) = noun_ending_index();
    word.char_indices()
        .skip(1)
        .filter(move |(i, _)| word.len() - i <= *longest)
        .flat_map(move |(i, _)| {
            let stem = &word[..i];
            index
                .get(&word[i..])
                .into_iter()
                .flatten()
                .filter(move |after| fits(stem, **after))
                .map(move |after| (stem, *after))
        })
}

/// Whether the stem's last character fits the ending's condition.
pub fn fits(stem: &str, after: After) -> bool {
    let Some(last) = stem.chars().last() else {
        return false;
    };
    // A final ং takes the vowel endings too (পিয়ংইয়ংয়ের).
    let vowel =
        crate::chars::is_vowel_sign(last) || crate::chars::is_vowel_letter(last) || last == 'ং';
    match after {
        After::Any => last != crate::chars::HASANTA,
        After::Vowel => vowel,
        After::Consonant => {
            crate::chars::is_consonant(last) || last == crate::chars::NUKTA || last == 'ং'
        }
    }
}

/// At least `n` grapheme clusters.
pub fn has_graphemes(s: &str, n: usize) -> bool {
    s.graphemes(true).nth(n.saturating_sub(1)).is_some()
}

/// The analysis of a word against a lexicon (`listed`), or `None` if it is not a word.
pub fn analyse(word: &str, listed: &dyn Fn(&str) -> bool) -> Option<Analysis> {
    if listed(word) {
        return Some(Analysis::Listed);
    }
    if initialism(word) {
        return Some(Analysis::Inflected);
    }
    if noun_splits(word).any(|(stem, _)| initialism(stem)) {
        return Some(Analysis::Inflected);
    }
    if prefixed(word, listed) {
        return Some(Analysis::Compound);
    }
    if inflected(word, listed, 2) {
        return Some(Analysis::Inflected);
    }
    if compound_inflected(word, listed) {
        return Some(Analysis::Compound);
    }
    None
}

/// A stem with inflection or derivation, `depth` layers of derivation deep at most.
fn inflected(word: &str, listed: &dyn Fn(&str) -> bool, depth: u8) -> bool {
    if noun_splits(word).any(|(stem, _)| listed(stem) || derived(stem, listed, depth)) {
        return true;
    }
    if derived(word, listed, depth) {
        return true;
    }
    verb_form(word, listed)
}

/// A listed word with a derivational ending (and possibly inflected before it).
fn derived(word: &str, listed: &dyn Fn(&str) -> bool, depth: u8) -> bool {
    if depth == 0 {
        return false;
    }
    DERIVATIONAL.iter().any(|d| {
        word.strip_suffix(d).is_some_and(|base| {
            has_graphemes(base, 2)
                && fits(base, After::Any)
                && (listed(base)
                    || inflected_noun_only(base, listed)
                    || derived(base, listed, depth - 1))
        })
    })
}

/// A listed word with a noun ending only (রাষ্ট্রের + ভাবে is not a word, but
/// কোরিয়ার-ভিত্তিক … is rare; only used under derivation).
fn inflected_noun_only(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    word.strip_suffix("ের")
        .or_else(|| word.strip_suffix("র"))
        .is_some_and(|s| has_graphemes(s, 2) && listed(s))
}

/// A prefix from [`PREFIXES`] on a listed word.
fn prefixed(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    PREFIXES.iter().any(|p| {
        word.strip_prefix(p)
            .is_some_and(|rest| has_graphemes(rest, 2) && starts_cleanly(rest) && listed(rest))
    })
}

/// Whether a string starts a grapheme cluster (not with a sign).
fn starts_cleanly(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        !crate::chars::is_vowel_sign(c)
            && !matches!(
                c,
                crate::chars::HASANTA
                    | crate::chars::NUKTA
                    | crate::chars::ZWJ
                    | crate::chars::ZWNJ
                    | 'ং'
                    | 'ঃ'
                    | 'ঁ'
            )
    })
}

/// A conjugated verb: root + ending from the tables, the root recognized by its verbal noun;
/// or a listed finite form + negative/particle (হয়নি).
fn verb_form(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    for p in VERB_PARTICLES {
        if let Some(base) = word.strip_suffix(p)
            && has_graphemes(base, 2)
            && (listed(base) || verb_conjugated(base, listed))
        {
            return true;
        }
    }
    verb_conjugated(word, listed)
}

fn verb_conjugated(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    for (table, after) in [
        (VERB_CONSONANT_ROOT, After::Consonant),
        (VERB_VOWEL_ROOT, After::Vowel),
    ] {
        for ending in table {
            // হ conjugates like a vowel root: its verbal noun is হওয়া.
            if let Some(root) = word.strip_suffix(ending)
                && (fits(root, after)
                    || (after == After::Vowel && !root.is_empty() && listed(&format!("{root}ওয়া"))))
                && verb_root(root, listed)
            {
                return true;
            }
        }
    }
    false
}

/// Whether `root` is a verb root: its verbal noun is listed.
pub fn verb_root(root: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    let mut buf = String::with_capacity(root.len() + 12);
    for (from, to) in ROOT_VOWEL_CHANGES {
        let base: &str;
        let changed: String;
        if from.is_empty() {
            base = root;
        } else {
            let Some(pos) = root.rfind(from) else {
                continue;
            };
            // The vowel of the root's last syllable only.
            if root[pos + from.len()..]
                .chars()
                .any(|c| crate::chars::is_vowel_sign(c) || crate::chars::is_vowel_letter(c))
            {
                continue;
            }
            changed = format!("{}{}{}", &root[..pos], to, &root[pos + from.len()..]);
            base = &changed;
        }
        for n in VERBAL_NOUN_ENDINGS {
            buf.clear();
            buf.push_str(base);
            buf.push_str(n);
            if listed(&buf) {
                return true;
            }
        }
    }
    false
}

/// Two listed words joined (শত্রুপক্ষ), the second possibly derived; then inflected
/// (স্নায়ুযুদ্ধের).
fn compound_inflected(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    if compound(word, listed) {
        return true;
    }
    noun_splits(word).any(|(stem, _)| prefixed(stem, listed))
        || noun_splits(word).any(|(stem, _)| compound(stem, listed))
}

/// Whether `word` splits into two listed words at a grapheme boundary.
pub fn compound(word: &str, listed: &dyn Fn(&str) -> bool) -> bool {
    let bounds: Vec<usize> = word.grapheme_indices(true).map(|(i, _)| i).collect();
    if bounds.len() < COMPOUND_MIN_TOTAL {
        return false;
    }
    for &b in &bounds[COMPOUND_MIN_GRAPHEMES..=bounds.len() - COMPOUND_MIN_GRAPHEMES] {
        let (a, rest) = word.split_at(b);
        if !starts_cleanly(rest) || !listed(a) {
            continue;
        }
        if listed(rest) || derived(rest, listed, 1) {
            return true;
        }
    }
    false
}
