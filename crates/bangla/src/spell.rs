//! Spelling (bengali.md §7): words from several sources loaded at run time (Debian's
//! hunspell-bn, Tesseract's Bengali word list, names from CLDR and Bangladesh's places, the
//! user's and the newsroom's words; none is compiled in), normalized at load; a word is
//! correct when listed or made of listed parts by the morphology tables ([`morph`]);
//! suggestions ranked by an edit distance that knows Bengali typing confusions
//! ([`distance`]) and then by how common a word is; an optional style check for the Bangla
//! Academy's standard spelling ([`style`]). Only the loaders ([`load_word_list`],
//! [`SpellChecker::load`], [`SpellChecker::load_lexicon_dir`], [`SpellChecker::system`])
//! touch the file system.

pub mod distance;
pub mod lexicon;
pub mod morph;
pub mod style;

use crate::Error;
use crate::chars::is_bengali_letter_or_mark;
pub use lexicon::{SYSTEM_WORD_LISTS, Source};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Not a word: a misspelling.
    #[default]
    Misspelling,
    /// A word with a standard (Bangla Academy) spelling that differs; only reported when
    /// [`SpellChecker::set_standard_spelling`] is on.
    Style,
}

/// A misspelled (or, with the style check on, non-standard) word found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misspelling {
    /// The word as written.
    pub word: String,
    /// Byte offset in the checked text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Suggested corrections, best first (for a style finding: the standard form).
    pub suggestions: Vec<String>,
    /// A misspelling or a style suggestion.
    pub kind: IssueKind,
}

/// A spelling checker over normalized words from several sources.
#[derive(Debug, Clone, Default)]
pub struct SpellChecker {
    words: WordIndex,
    /// Letters of the skeleton keys, for the edits of suggestions.
    alphabet: Vec<char>,
    /// Counts of use (the newsroom's text), by word hash: the frequency hook.
    counts: HashMap<u64, u32>,
    standard_spelling: bool,
}

/// The words, compact (they stay in the desktop app's memory all day; 138,000 words take
/// about 7.5 MiB): for membership, an open-addressing table of one `u64` per word — a 56-bit
/// hash of the word with its sources' bits in the low byte (a misspelling passes by accident
/// with odds of about 1 in 10^11 per word); for suggestions, the words themselves once, in
/// one buffer, each ended by a newline, found through their skeleton keys' hashes (sorted),
/// with a bit set of the keys present to skip most absent ones without a search.
#[derive(Debug, Clone, Default)]
struct WordIndex {
    /// `hash & !0xff | sources` of each word at the first free slot from its hash (linear
    /// probing; 0 is a free slot), at most [`MAX_LOAD`] full; the length a power of two.
    slots: Vec<u64>,
    /// How many slots are full.
    filled: usize,
    /// The words, each followed by `\n`.
    text: String,
    /// (upper 32 bits of the skeleton key's hash, start of the word in `text`), sorted.
    by_key: Vec<(u32, u32)>,
    /// One bit per [`KEY_BITS`]-bit prefix of a skeleton key's hash: set when some word has
    /// a key with that prefix.
    key_bits: Vec<u64>,
}

/// The bits of a key hash's prefix that index [`WordIndex::key_bits`] (512 KiB; about 3 %
/// of absent keys pass it with 138,000 words).
const KEY_BITS: u32 = 22;

/// The low byte of a slot: the sources' bits ([`Source::bit`]).
const SOURCE_MASK: u64 = 0xff;

/// The most a word table is filled (3/4; with linear probing an absent word then takes up to
/// about 8 probes, most within one or two cache lines). 138,365 words fill 262,144 slots
/// (2 MiB) to 53 %.
const MAX_LOAD: (usize, usize) = (3, 4);

/// A word's hash as its slot holds it: the upper 56 bits, never 0 (0 marks a free slot).
fn slot_hash(h: u64) -> u64 {
    (h & !SOURCE_MASK).max(1 << 8)
}

/// A slot's bit for a word that frequencies show to be the rarer spelling of a much commoner
/// word ([`SpellChecker::mark_rarer_spellings`]): it stays in the table but counts as
/// unlisted, until the user or the newsroom adds it.
const RARER_SPELLING: u64 = 0x80;

/// Up to this many new words are inserted in place; more are appended and sorted once.
const SMALL_BATCH: usize = 64;

fn hash_of(s: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl WordIndex {
    /// The slot of the word with hash `h`: `Ok` where it is, `Err` the free slot where it
    /// would go.
    fn find(&self, h: u64) -> Result<usize, usize> {
        let h = slot_hash(h);
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let mut i = (h >> 32) as usize & mask;
        loop {
            match self.slots[i] {
                0 => return Err(i),
                e if e & !SOURCE_MASK == h => return Ok(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Makes room for `more` words, doubling the table (and placing every word again) when
    /// it would be over [`MAX_LOAD`] full.
    fn reserve(&mut self, more: usize) {
        let needed = self.filled + more;
        if !self.slots.is_empty() && needed * MAX_LOAD.1 <= self.slots.len() * MAX_LOAD.0 {
            return;
        }
        let mut len = self.slots.len().max(1024);
        while needed * MAX_LOAD.1 > len * MAX_LOAD.0 {
            len *= 2;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; len]);
        for e in old.into_iter().filter(|e| *e != 0) {
            if let Err(i) = self.find(e) {
                self.slots[i] = e;
            }
        }
    }

    /// Adds normalized words; returns how many were new.
    fn extend(&mut self, words: impl Iterator<Item = String>, source: Source) -> usize {
        if self.key_bits.is_empty() {
            self.key_bits = vec![0; 1 << (KEY_BITS - 6)];
        }
        let bit = u64::from(source.bit());
        let before = self.by_key.len();
        for w in words {
            if w.is_empty() || w.contains('\n') || self.text.len() + w.len() >= u32::MAX as usize {
                continue;
            }
            self.reserve(1);
            let h = hash_of(&w);
            let i = match self.find(h) {
                Ok(i) => {
                    self.slots[i] |= bit;
                    if matches!(source, Source::User | Source::Learnt) {
                        self.slots[i] &= !RARER_SPELLING;
                    }
                    continue;
                }
                Err(i) => i,
            };
            self.slots[i] = slot_hash(h) | bit;
            self.filled += 1;
            let key = hash_of(&distance::skeleton(&w));
            let prefix = (key >> (64 - KEY_BITS)) as usize;
            self.key_bits[prefix / 64] |= 1 << (prefix % 64);
            let start = self.text.len() as u32;
            self.text.push_str(&w);
            self.text.push('\n');
            self.by_key.push(((key >> 32) as u32, start));
        }
        let new = self.by_key.len() - before;
        if new <= SMALL_BATCH {
            // A user's or an editor's word: put in place, without sorting or reallocating all.
            for k in self.by_key.split_off(before) {
                let i = self.by_key.partition_point(|x| *x < k);
                self.by_key.insert(i, k);
            }
        } else {
            self.by_key.sort_unstable();
            self.by_key.shrink_to_fit();
            self.text.shrink_to_fit();
        }
        new
    }

    fn len(&self) -> usize {
        self.by_key.len()
    }

    /// The sources of a listed word (0: not listed, or marked a rarer spelling).
    fn sources(&self, word: &str) -> u8 {
        self.find(hash_of(word)).map_or(0, |i| {
            let slot = self.slots[i];
            if slot & RARER_SPELLING != 0 {
                0
            } else {
                (slot & SOURCE_MASK) as u8
            }
        })
    }

    /// Whether a word is listed (and not marked a rarer spelling).
    fn contains(&self, word: &str) -> bool {
        self.find(hash_of(word))
            .is_ok_and(|i| self.slots[i] & RARER_SPELLING == 0)
    }

    /// Marks the words of these hashes as rarer spellings ([`RARER_SPELLING`]).
    fn mark_rarer(&mut self, hashes: &[u64]) {
        for &h in hashes {
            if let Ok(i) = self.find(h) {
                self.slots[i] |= RARER_SPELLING;
            }
        }
    }

    /// Whether some word may have the skeleton key `key` (false: surely none has).
    fn may_have_key(&self, key: &str) -> bool {
        let prefix = (hash_of(key) >> (64 - KEY_BITS)) as usize;
        self.key_bits
            .get(prefix / 64)
            .is_some_and(|b| b & (1 << (prefix % 64)) != 0)
    }

    fn word_at(&self, start: u32) -> &str {
        let rest = &self.text[start as usize..];
        rest.split('\n').next().unwrap_or(rest)
    }

    /// Every word whose skeleton key is `key`.
    fn with_key<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let h = (hash_of(key) >> 32) as u32;
        let first = if self.may_have_key(key) {
            self.by_key.partition_point(|e| e.0 < h)
        } else {
            self.by_key.len()
        };
        self.by_key[first..]
            .iter()
            .take_while(move |e| e.0 == h)
            .map(|&(_, start)| self.word_at(start))
            .filter(move |w| distance::skeleton(w) == key && self.contains(w))
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.by_key.iter().map(|&(_, start)| self.word_at(start))
    }
}

/// The words of `text` a newsroom's lexicon learns from: Unicode words of two or more
/// characters with a Bengali letter in them (no Latin words, no numbers).
pub fn bengali_words(text: &str) -> impl Iterator<Item = &str> {
    text.unicode_words()
        .filter(|w| w.chars().nth(1).is_some() && w.chars().any(is_bengali_letter_or_mark))
}

/// Whether `word` may enter a newsroom's lexicon as it is: one word (see [`bengali_words`]),
/// at most 64 characters, already in the stored form.
pub fn is_lexicon_word(word: &str) -> bool {
    word.chars().count() <= 64
        && crate::normalize(word) == word
        && bengali_words(word).eq(std::iter::once(word))
}

/// Reads a word list file (hunspell .dic or one word a line). File access.
pub fn load_word_list(path: &Path) -> Result<String, Error> {
    lexicon::read_source(path)
}

/// Whether `word` (in the modern list only) is a variant of `edited` (in hunspell-bn) that
/// the modern list should not be trusted for. Not counted: a difference of hasanta or
/// joiners only (সংসদ / সংসদ্‌), of ং/ঙ্, of শ/ষ/স (পুলিশ / পুলিস: the old list has old spellings),
/// and the 2012 reform's final ি for ী (শ্রেণি / শ্রেণী).
fn counts_as_variant(word: &str, edited: &str) -> bool {
    // ং for ঙ্ (জাতিসংঘ / জাতিসঙ্ঘ) is an accepted alternative too.
    let bare = |s: &str| -> String {
        without_hasanta(s)
            .map(|c| if c == 'ং' { 'ঙ' } else { c })
            .collect()
    };
    let sibilants =
        |s: &str| -> String { s.chars().filter(|c| matches!(c, 'শ' | 'ষ' | 'স')).collect() };
    bare(word) != bare(edited)
        && sibilants(word) == sibilants(edited)
        && !is_reform_spelling(word, edited)
}

/// Whether one typing slip turns one word into the other: they differ at one place only
/// (what is left of each after their common beginning and end is at most two characters:
/// ন/ণ, ং/ঙ্, থ/ত, ্য, a reph) and are within [`VARIANT_DISTANCE`], or a reph sits on the
/// neighbouring letter (সর্তক / সতর্ক). আষাঢ় and আসার, two confusions apart, are two words.
fn one_slip_apart(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let head = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let tail = x[head..]
        .iter()
        .rev()
        .zip(y[head..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let (mx, my) = (&x[head..x.len() - tail], &y[head..y.len() - tail]);
    (mx.len() <= 2 && my.len() <= 2 && distance::distance(a, b) <= VARIANT_DISTANCE)
        || distance::reph_moved(mx, my)
}

/// Whether two words differ only in hasanta and joiners (কনটেইনার / কন্টেইনার, both
/// written): alternatives, never a misspelling of each other.
fn same_but_for_hasanta(a: &str, b: &str) -> bool {
    without_hasanta(a).eq(without_hasanta(b))
}

/// A word's characters without hasanta and joiners.
fn without_hasanta(s: &str) -> impl Iterator<Item = char> + '_ {
    use crate::chars::{HASANTA, ZWJ, ZWNJ};
    s.chars().filter(|c| !matches!(*c, HASANTA | ZWJ | ZWNJ))
}

/// The 2012 reform's final ি where the old list has ী (শ্রেণি / শ্রেণী).
fn is_reform_spelling(word: &str, edited: &str) -> bool {
    word.strip_suffix('ি')
        .is_some_and(|s| edited.strip_suffix('ী') == Some(s))
}

/// How much rarer (in centibels: 40 is 2.5 times) a spelling must be than a near one to be
/// marked a misspelling by [`SpellChecker::mark_rarer_spellings`].
pub const RARER_BY_CB: u16 = 40;

/// How much rarer a word only hunspell-bn lists (an edited dictionary: its rarer words are
/// mostly real words, পরাও beside পড়াও, খাটার beside কাটার) must be to be marked: 150
/// centibels, about 30 times (কমিসন, 761, beside কমিশন, 401).
pub const RARER_THAN_EDITED_BY_CB: u16 = 150;

/// How near (by [`distance::distance`]) a commoner spelling must be for a rarer one to be
/// marked: a confusion or two (ন/ণ, ং/ঙ্), or an aspirate (স্থ/স্ত), not a different word.
pub const VARIANT_DISTANCE: f32 = 0.6;

/// The bin of a word the frequencies do not list: rarer than their rarest bin (800).
const UNLISTED_BIN: u16 = 850;

/// The distance under which a compound reading gives way to a listed word.
pub const NEAR_A_WORD: f32 = 0.75;

/// A word the checker never judges: digits, Latin, other scripts.
fn out_of_scope(w: &str) -> bool {
    !w.chars().any(is_bengali_letter_or_mark)
        || w.chars().any(|c| c.is_numeric() || c.is_ascii_alphabetic())
}

impl SpellChecker {
    /// A checker over the words of a list in hunspell .dic format (a count line, then
    /// `word[/flags]` lines) or plain one-word-a-line text. Words are normalized.
    pub fn from_word_list(list: &str) -> Self {
        let mut s = SpellChecker::default();
        s.add_word_list(list, Source::List);
        s
    }

    /// Adds the words of a list (as [`SpellChecker::from_word_list`] reads it) from a source.
    pub fn add_word_list(&mut self, list: &str, source: Source) -> usize {
        self.add_words(lexicon::parse_word_list(list), source)
    }

    /// Adds words from a source (names, the newsroom's learnt lexicon, the user's words);
    /// each is normalized. Returns how many were new.
    pub fn add_words<I, S>(&mut self, words: I, source: Source) -> usize
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let normalized = words
            .into_iter()
            .map(|w| crate::normalize(w.as_ref().trim()));
        let new = if matches!(source, Source::Tesseract | Source::Names) {
            // Built from web text, the list carries the web's commonest misspellings
            // (কারন, দক্ষিন, দূর্ঘটনা), and so do the place names (দক্ষিন): a word
            // hunspell-bn lacks while it has a spelling of the same skeleton is left out
            // (see [`SpellChecker::is_variant_of_edited`]).
            let kept: Vec<String> = normalized
                .filter(|w| !self.is_variant_of_edited(w))
                .collect();
            self.words.extend(kept.into_iter(), source)
        } else {
            self.words.extend(normalized, source)
        };
        if new > 0 {
            self.rebuild_alphabet();
        }
        new
    }

    /// Whether `word` (normalized) is missing from the edited list (hunspell-bn) while a
    /// word of the same skeleton key is in it, for the word or its stem: then it is a
    /// variant spelling, most often a misspelling. Spellings of the 2012 reform (a final ি
    /// where the old list has ী: শ্রেণি, জানুয়ারি) are not counted as variants.
    pub fn is_variant_of_edited(&self, word: &str) -> bool {
        const STEM_ENDINGS: &[&str] =
            &["", "ের", "র", "ে", "কে", "তে", "য়", "রা", "দের", "টি", "গুলো"];
        let hun = Source::Hunspell.bit();
        if self.words.sources(word) & hun != 0 {
            return false;
        }
        // A reading with a stem the edited list, CLDR or the user has (রাত + ে,
        // ব্রাজিল + ের) makes it a word.
        let trusted = hun | Source::Cldr.bit() | Source::User.bit() | Source::Learnt.bit();
        if STEM_ENDINGS.iter().any(|e| {
            !e.is_empty()
                && word.strip_suffix(e).is_some_and(|stem| {
                    morph::has_graphemes(stem, 2) && self.words.sources(stem) & trusted != 0
                })
        }) {
            return false;
        }
        let mut variant = false;
        for e in STEM_ENDINGS {
            let Some(stem) = word.strip_suffix(e) else {
                continue;
            };
            if !morph::has_graphemes(stem, 2) || self.words.sources(stem) & hun != 0 {
                continue;
            }
            let key = distance::skeleton(stem);
            for v in self.words.with_key(&key) {
                if v == stem || self.words.sources(v) & hun == 0 {
                    continue;
                }
                if is_reform_spelling(stem, v) {
                    // সরকারির: its stem is the reformed সরকারি of the old সরকারী.
                    return false;
                }
                variant |= counts_as_variant(stem, v);
            }
        }
        variant
    }

    /// Adds the names of a JSON document (CLDR `territories.json` / `languages.json`, or any
    /// JSON whose Bengali string values are names) as [`Source::Names`].
    pub fn add_names_json(&mut self, json: &str) -> Result<usize, Error> {
        let names = lexicon::parse_names_json(json)?;
        Ok(self.add_words(names, Source::Names))
    }

    /// The frequency hook: adds counts of use (e.g. from the newsroom's published text);
    /// suggestions prefer words used more.
    pub fn add_counts<I, S>(&mut self, counts: I)
    where
        I: IntoIterator<Item = (S, u32)>,
        S: AsRef<str>,
    {
        for (w, n) in counts {
            let e = self
                .counts
                .entry(hash_of(&crate::normalize(w.as_ref())))
                .or_insert(0);
            *e = e.saturating_add(n);
        }
    }

    /// Sets counts of use from one source that is counted afresh each time (the newsroom's
    /// published text): a word's count becomes the given one instead of growing.
    pub fn set_counts<I, S>(&mut self, counts: I)
    where
        I: IntoIterator<Item = (S, u32)>,
        S: AsRef<str>,
    {
        for (w, n) in counts {
            self.counts
                .insert(hash_of(&crate::normalize(w.as_ref())), n);
        }
    }

    /// Turns the standard-spelling style check on or off (off by default).
    pub fn set_standard_spelling(&mut self, on: bool) {
        self.standard_spelling = on;
    }

    /// Whether the standard-spelling style check is on.
    pub fn standard_spelling(&self) -> bool {
        self.standard_spelling
    }

    fn rebuild_alphabet(&mut self) {
        let mut alphabet: HashSet<char> = HashSet::new();
        for w in self.words.iter() {
            alphabet.extend(
                distance::skeleton(w)
                    .chars()
                    .filter(|&c| is_bengali_letter_or_mark(c)),
            );
        }
        let mut alphabet: Vec<char> = alphabet.into_iter().collect();
        alphabet.sort_unstable();
        self.alphabet = alphabet;
    }

    /// Marks as misspellings the listed words that frequencies of use show to be a rarer
    /// spelling of a much commoner listed word. Lists built from web text carry the web's
    /// commonest misspellings (Tesseract's দক্ষিন, মন্ত্রনালয়, ক্ষতিগ্রস্থ; CLDR's দক্ষিন too)
    /// and old lists old ones (hunspell-bn's কমিসন); how often each spelling is used tells
    /// them from the spelling people mean. A word is marked when a word of the same
    /// [`distance::variant_key`] that differs from it at one place, within
    /// [`VARIANT_DISTANCE`], is [`RARER_BY_CB`] centibels commoner ([`RARER_THAN_EDITED_BY_CB`]
    /// for a word only hunspell-bn lists; a word the frequencies lack counts as rarer than
    /// their rarest). Never marked: words under three letters, the user's and the newsroom's
    /// words, spellings that differ only in hasanta (কনটেইনার / কন্টেইনার), and a 2012
    /// final ি the frequencies have seen in use (খামারি beside খামারী). `frequencies`:
    /// (word, bin in centibels, higher rarer) as wordfreq gives them, not yet normalized;
    /// returns how many words were marked.
    pub fn mark_rarer_spellings<I, S>(&mut self, frequencies: I) -> usize
    where
        I: IntoIterator<Item = (S, u16)>,
        S: AsRef<str>,
    {
        let mut bins: HashMap<u64, u16> = HashMap::new();
        for (w, bin) in frequencies {
            self.note_bin(&mut bins, w.as_ref(), bin);
        }
        self.mark_rarer_by_bins(&bins)
    }

    /// Keeps a listed word's frequency bin (the commonest of its spellings that normalize
    /// alike).
    fn note_bin(&self, bins: &mut HashMap<u64, u16>, word: &str, bin: u16) {
        let w = crate::normalize(word);
        if self.words.contains(&w) {
            let e = bins.entry(hash_of(&w)).or_insert(bin);
            *e = (*e).min(bin);
        }
    }

    /// [`SpellChecker::mark_rarer_spellings`] over the listed words' bins, by word hash.
    fn mark_rarer_by_bins(&mut self, bins: &HashMap<u64, u16>) -> usize {
        let mut by_variant_key: Vec<(u64, u32)> = self
            .words
            .by_key
            .iter()
            .map(|&(_, start)| {
                let w = self.words.word_at(start);
                (hash_of(&distance::variant_key(w)), start)
            })
            .collect();
        by_variant_key.sort_unstable();
        let protected = Source::User.bit() | Source::Learnt.bit();
        let mut rarer = Vec::new();
        for group in by_variant_key.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            let members: Vec<(&str, u64, u16)> = group
                .iter()
                .map(|&(_, start)| {
                    let w = self.words.word_at(start);
                    let h = hash_of(w);
                    (w, h, bins.get(&h).copied().unwrap_or(UNLISTED_BIN))
                })
                .collect();
            for &(w, h, bin) in &members {
                let sources = self.words.sources(w);
                if sources & protected != 0 || !morph::has_graphemes(w, 3) {
                    continue;
                }
                // Only in hunspell-bn: an edited list's rare word is mostly a real word.
                let by = if sources & !Source::Hunspell.bit() == 0 {
                    RARER_THAN_EDITED_BY_CB
                } else {
                    RARER_BY_CB
                };
                if members.iter().any(|&(v, _, v_bin)| {
                    v_bin.saturating_add(by) <= bin
                        && v != w
                        && !same_but_for_hasanta(w, v)
                        && !(bin < UNLISTED_BIN && is_reform_spelling(w, v))
                        && one_slip_apart(w, v)
                }) {
                    rarer.push(h);
                }
            }
        }
        self.words.mark_rarer(&rarer);
        rarer.len()
    }

    /// Loads a word list from a path.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Ok(Self::from_word_list(&load_word_list(path)?))
    }

    /// Adds a word list or names file from a path (`.json`: names; else a word list).
    pub fn load_source(&mut self, path: &Path, source: Source) -> Result<usize, Error> {
        let text = lexicon::read_source(path)?;
        if path.extension().is_some_and(|e| e == "json") {
            let names = lexicon::parse_names_json(&text)?;
            let source = if source == Source::Cldr {
                Source::Cldr
            } else {
                Source::Names
            };
            Ok(self.add_words(names, source))
        } else {
            Ok(self.add_word_list(&text, source))
        }
    }

    /// Adds every source of a lexicon directory (`barta text lexicon build`'s output).
    pub fn load_lexicon_dir(&mut self, dir: &Path) -> Result<usize, Error> {
        let mut n = 0;
        for (path, source, _) in lexicon::lexicon_files(dir)? {
            n += self.load_source(&path, source)?;
        }
        let frequencies = dir.join(lexicon::FREQUENCY_FILE);
        if frequencies.is_file() {
            let mut bins = HashMap::new();
            lexicon::read_frequencies(&frequencies, |w, bin| self.note_bin(&mut bins, w, bin))?;
            self.mark_rarer_by_bins(&bins);
        }
        Ok(n)
    }

    /// Loads every source installed: the first hunspell-bn list found and the first lexicon
    /// directory of [`lexicon::lexicon_dirs`] that exists; [`Error::NoWordList`] if there
    /// is none.
    pub fn system() -> Result<Self, Error> {
        let mut s = SpellChecker::default();
        let mut found = false;
        if let Some(p) = SYSTEM_WORD_LISTS.iter().map(Path::new).find(|p| p.exists()) {
            s.load_source(p, Source::Hunspell)?;
            found = true;
        }
        if let Some(dir) = lexicon::lexicon_dirs().into_iter().find(|d| d.is_dir()) {
            s.load_lexicon_dir(&dir)?;
            found = true;
        }
        if found { Ok(s) } else { Err(Error::NoWordList) }
    }

    /// Number of distinct words (after normalization), all sources.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words (then nothing is ever flagged).
    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    /// Adds a word the user accepts (a name, a new coinage); never flagged afterwards.
    pub fn add_user_word(&mut self, word: &str) {
        self.add_words([word], Source::User);
    }

    /// Whether a normalized word is listed in any source.
    pub fn is_listed(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// How a word is accepted, if it is (see [`morph::analyse`]).
    pub fn analyse(&self, word: &str) -> Option<morph::Analysis> {
        let w = crate::normalize(word);
        morph::analyse(&w, &|s| self.words.contains(s))
    }

    /// Whether a single word is acceptable. Digits, Latin and other non-Bengali words, user
    /// words and words the morphology makes of listed parts are; with no words everything is.
    pub fn check(&self, word: &str) -> bool {
        let w = crate::normalize(word);
        if self.is_empty() || out_of_scope(&w) {
            return true;
        }
        // An ending set off by an apostrophe (কেসিএনএ’র, বিবিসি'র): the word before it counts.
        if let Some((base, ending)) = w.split_once(['’', '\'', '‘'])
            && !base.is_empty()
            && morph::noun_endings().iter().any(|(e, _)| e == ending)
        {
            return self.check(base);
        }
        match morph::analyse(&w, &|s| self.words.contains(s)) {
            None => false,
            Some(morph::Analysis::Compound) => !self.near_a_word(&w),
            // An inflected reading gives way to a confusion variant the edited list has
            // (ঘোষনা is not ঘোষ + না but ঘোষণা mistyped).
            Some(morph::Analysis::Inflected) => !self.is_variant_of_edited(&w),
            Some(morph::Analysis::Listed) => true,
        }
    }

    /// Whether a listed or inflected word is within a slip of `w` ([`NEAR_A_WORD`]): then a
    /// compound reading of `w` (কমি|সনের for কমিশনের) is more likely a misspelling.
    fn near_a_word(&self, w: &str) -> bool {
        self.suggest_ranked(w, 1, false)
            .first()
            .is_some_and(|(_, c)| distance::distance(w, c) <= NEAR_A_WORD)
    }

    /// The standard spelling of a word, if it differs (whether or not the style check is on).
    pub fn standard_form(&self, word: &str) -> Option<String> {
        let w = crate::normalize(word);
        style::standard_form(&w, &|s| {
            self.words.sources(s) & (Source::Names.bit() | Source::Cldr.bit()) != 0
        })
        .filter(|s| *s != w)
    }

    /// How common a word is, as a bonus to subtract from a suggestion's distance.
    fn commonness(&self, word: &str) -> f32 {
        let src = self.words.sources(word);
        let mut bonus = 0.0;
        if src & Source::Tesseract.bit() != 0 {
            bonus += 0.15;
        }
        if src & (Source::User.bit() | Source::Learnt.bit()) != 0 {
            bonus += 0.1;
        }
        if src & (Source::Names.bit() | Source::Cldr.bit()) != 0 {
            bonus += 0.05;
        }
        if let Some(&n) = self.counts.get(&hash_of(word)) {
            bonus += (0.05 * ((n as f32) + 1.0).log2()).min(0.3);
        }
        bonus
    }

    /// Up to `limit` corrections for a word, best first: candidates share the word's
    /// skeleton key or are one edit of it away (also for the stem of an inflected word,
    /// with its ending kept), ranked by the weighted distance and then by commonness.
    pub fn suggest(&self, word: &str, limit: usize) -> Vec<String> {
        let w = crate::normalize(word);
        self.suggest_ranked(&w, limit, true)
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    }

    /// Ranked candidates for a normalized word; compounds among them only if `compounds`.
    fn suggest_ranked(&self, w: &str, limit: usize, compounds: bool) -> Vec<(f32, String)> {
        let w = w.to_owned();
        if w.chars().count() > 40 || limit == 0 {
            return Vec::new();
        }
        let listed = |s: &str| self.words.contains(s);
        let mut cands: HashMap<String, f32> = HashMap::new();
        let consider = |cand: String, penalty: f32, cands: &mut HashMap<String, f32>| {
            if cand == w || cands.contains_key(&cand) {
                return;
            }
            let score = distance::distance(&w, &cand) + penalty - self.commonness(&cand);
            cands.insert(cand, score);
        };
        let key = distance::skeleton(&w);
        let mut keys: Vec<String> = vec![key.clone()];
        distance::key_edits(&key, &self.alphabet, |k| {
            if self.words.may_have_key(k) {
                keys.push(k.to_owned());
            }
        });
        for k in &keys {
            for v in self.words.with_key(k) {
                consider(v.to_owned(), 0.0, &mut cands);
            }
        }
        // The stem of an inflected word, its ending kept: নির্বাচনের from নিরবাচনের.
        for (ending, _) in morph::noun_endings()
            .iter()
            .map(|(e, a)| (e.as_str(), *a))
            .chain(
                morph::VERB_CONSONANT_ROOT
                    .iter()
                    .chain(morph::VERB_VOWEL_ROOT)
                    .map(|e| (*e, morph::After::Any)),
            )
        {
            let Some(stem) = w.strip_suffix(ending) else {
                continue;
            };
            if !morph::has_graphemes(stem, 2) {
                continue;
            }
            let skey = distance::skeleton(stem);
            let mut stem_keys = vec![skey.clone()];
            distance::key_edits(&skey, &self.alphabet, |k| {
                if self.words.may_have_key(k) {
                    stem_keys.push(k.to_owned());
                }
            });
            for k in &stem_keys {
                for v in self.words.with_key(k) {
                    let cand = format!("{v}{ending}");
                    if !cands.contains_key(&cand)
                        && morph::analyse(&cand, &listed)
                            .is_some_and(|a| compounds || a != morph::Analysis::Compound)
                    {
                        consider(cand, 0.1, &mut cands);
                    }
                }
            }
        }
        let mut ranked: Vec<(f32, String)> = cands.into_iter().map(|(c, s)| (s, c)).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        ranked.truncate(limit);
        ranked
    }

    /// The misspelled words of a text with up to five suggestions each, and, with the style
    /// check on, the words with a different standard spelling (kind [`IssueKind::Style`]).
    pub fn misspellings(&self, text: &str) -> Vec<Misspelling> {
        let mut memo: HashMap<&str, Option<(IssueKind, Vec<String>)>> = HashMap::new();
        let mut out = Vec::new();
        for (start, w) in text.unicode_word_indices() {
            let verdict = memo.entry(w).or_insert_with(|| {
                if !self.check(w) {
                    Some((IssueKind::Misspelling, self.suggest(w, 5)))
                } else if self.standard_spelling
                    && !out_of_scope(w)
                    && let Some(s) = self.standard_form(w)
                {
                    Some((IssueKind::Style, vec![s]))
                } else {
                    None
                }
            });
            if let Some((kind, suggestions)) = verdict {
                out.push(Misspelling {
                    word: w.to_owned(),
                    start,
                    end: start + w.len(),
                    suggestions: suggestions.clone(),
                    kind: *kind,
                });
            }
        }
        out
    }
}
