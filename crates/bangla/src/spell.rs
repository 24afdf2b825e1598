//! Spelling (bengali.md §7): a Bengali word list loaded at run time (Debian's hunspell-bn is
//! GPL-2, so it is never compiled in), normalized at load, tolerant of inflection by
//! suffix-stripping, with suggestions. Only [`load_word_list`] and [`SpellChecker::system`]
//! touch the file system.

use crate::Error;
use crate::chars::{is_bengali_letter_or_mark, is_consonant, is_vowel_sign};
use serde::Serialize;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;

/// Where Debian's hunspell-bn installs its word lists.
pub const SYSTEM_WORD_LISTS: &[&str] = &[
    "/usr/share/hunspell/bn_BD.dic",
    "/usr/share/hunspell/bn_IN.dic",
    "/usr/share/myspell/bn_BD.dic",
];

/// Inflectional endings tried when a word is not in the list, longest first.
const ENDINGS: &[&str] = &[
    "গুলোকে",
    "গুলোর",
    "গুলোতে",
    "গুলিকে",
    "গুলির",
    "গুলো",
    "গুলি",
    "খানা",
    "টিকে",
    "টির",
    "টাকে",
    "টার",
    "দেরকে",
    "দের",
    "েরই",
    "য়েরা",
    "য়ের",
    "য়েই",
    "তেই",
    "কেই",
    "রাই",
    "ের",
    "এর",
    "কে",
    "তে",
    "য়ে",
    "য়",
    "রা",
    "টি",
    "টা",
    "ও",
    "ই",
    "র",
    "ে",
];

/// A misspelled word found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misspelling {
    /// The word as written.
    pub word: String,
    /// Byte offset in the checked text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Suggested corrections, best first.
    pub suggestions: Vec<String>,
}

/// A spelling checker over a normalized word set plus user-added words.
#[derive(Debug, Clone, Default)]
pub struct SpellChecker {
    words: WordIndex,
    user: HashSet<String>,
    alphabet: Vec<char>,
}

/// The word list, compact (it stays in the desktop app's memory all day): a 64-bit hash per
/// word for membership (a misspelling passes by accident with odds of about 1 in 10^14 per
/// word), and the words themselves once, in one buffer, ordered by the hash of their loose
/// key for the spelling variants. Debian's 110,000 Bengali words take about 6 MB this way,
/// against some 20 MB as hash sets of strings.
#[derive(Debug, Clone, Default)]
struct WordIndex {
    hashes: HashSet<u64>,
    text: String,
    /// (hash of the loose key, start, length) of each word in `text`, sorted.
    by_loose: Vec<(u64, u32, u32)>,
}

fn hash_of(s: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl WordIndex {
    fn new(words: HashSet<String>) -> Self {
        let mut sorted: Vec<(u64, String)> = words
            .into_iter()
            .map(|w| (hash_of(&crate::loose_key(&w)), w))
            .collect();
        sorted.sort_unstable();
        let mut index = WordIndex {
            hashes: HashSet::with_capacity(sorted.len()),
            text: String::with_capacity(sorted.iter().map(|(_, w)| w.len()).sum()),
            by_loose: Vec::with_capacity(sorted.len()),
        };
        for (loose, word) in sorted {
            index.hashes.insert(hash_of(&word));
            let start = index.text.len() as u32;
            index.text.push_str(&word);
            index.by_loose.push((loose, start, word.len() as u32));
        }
        index.text.shrink_to_fit();
        index
    }

    fn len(&self) -> usize {
        self.by_loose.len()
    }

    fn contains(&self, word: &str) -> bool {
        self.hashes.contains(&hash_of(word))
    }

    /// Every listed word whose loose key is `loose`.
    fn variants<'a>(&'a self, loose: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let h = hash_of(loose);
        let first = self.by_loose.partition_point(|e| e.0 < h);
        self.by_loose[first..]
            .iter()
            .take_while(move |e| e.0 == h)
            .map(|&(_, start, len)| &self.text[start as usize..(start + len) as usize])
            .filter(move |w| crate::loose_key(w) == loose)
    }

    /// Every word, for building the alphabet.
    fn iter(&self) -> impl Iterator<Item = &str> {
        self.by_loose
            .iter()
            .map(|&(_, start, len)| &self.text[start as usize..(start + len) as usize])
    }
}

/// Reads a word list file (hunspell .dic or one word a line). The only file access of the
/// crate besides [`SpellChecker::system`].
pub fn load_word_list(path: &Path) -> Result<String, Error> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| Error::WordList {
            path: path.display().to_string(),
            message: e.to_string(),
        })
}

impl SpellChecker {
    /// A checker over the words of a list in hunspell .dic format (a count line, then
    /// `word[/flags]` lines) or plain one-word-a-line text. Words are normalized.
    pub fn from_word_list(list: &str) -> Self {
        let mut words = HashSet::new();
        for (i, line) in list.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || (i == 0 && line.bytes().all(|b| b.is_ascii_digit())) {
                continue;
            }
            let word = line.split(['/', '\t', ' ']).next().unwrap_or("");
            if !word.is_empty() {
                words.insert(crate::normalize(word));
            }
        }
        let words = WordIndex::new(words);
        let mut alphabet: HashSet<char> = HashSet::new();
        for w in words.iter() {
            alphabet.extend(w.chars().filter(|&c| is_bengali_letter_or_mark(c)));
        }
        let mut alphabet: Vec<char> = alphabet.into_iter().collect();
        alphabet.sort_unstable();
        SpellChecker {
            words,
            user: HashSet::new(),
            alphabet,
        }
    }

    /// Loads a word list from a path.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Ok(Self::from_word_list(&load_word_list(path)?))
    }

    /// Loads the first system word list found; [`Error::NoWordList`] if none is installed.
    pub fn system() -> Result<Self, Error> {
        for p in SYSTEM_WORD_LISTS {
            let path = Path::new(p);
            if path.exists() {
                return Self::load(path);
            }
        }
        Err(Error::NoWordList)
    }

    /// Number of distinct words in the list (after normalization).
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the list is empty (then nothing is ever flagged).
    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    /// Adds a word the user accepts (a name, a new coinage); never flagged afterwards.
    pub fn add_user_word(&mut self, word: &str) {
        self.user.insert(crate::normalize(word));
    }

    fn known(&self, w: &str) -> bool {
        self.words.contains(w) || self.user.contains(w)
    }

    /// Whether a single word is acceptable. Digits, Latin and other non-Bengali words, user
    /// words and inflected forms of listed words are; with an empty list everything is.
    pub fn check(&self, word: &str) -> bool {
        let w = crate::normalize(word);
        if self.is_empty()
            || !w.chars().any(is_bengali_letter_or_mark)
            || w.chars().any(|c| c.is_numeric() || c.is_ascii_alphabetic())
        {
            return true;
        }
        if self.known(&w) {
            return true;
        }
        for ending in ENDINGS {
            if let Some(stem) = w.strip_suffix(ending)
                && stem.graphemes(true).count() >= 1
                && self.known(stem)
            {
                return true;
            }
        }
        // Two endings: ছেলেগুলোকেই.
        for e1 in ENDINGS {
            if let Some(s1) = w.strip_suffix(e1) {
                for e2 in ENDINGS {
                    if let Some(stem) = s1.strip_suffix(e2)
                        && !stem.is_empty()
                        && self.known(stem)
                    {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Up to `limit` corrections for a word: spelling variants first (same loose key),
    /// then words one edit away (a letter or sign inserted, deleted, replaced or two swapped).
    pub fn suggest(&self, word: &str, limit: usize) -> Vec<String> {
        let w = crate::normalize(word);
        let mut out: Vec<String> = Vec::new();
        let loose = crate::loose_key(&w);
        let mut vars: Vec<&str> = self.words.variants(&loose).collect();
        vars.sort_unstable();
        for v in vars {
            if v != w && !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        let chars: Vec<char> = w.chars().collect();
        if chars.len() > 40 {
            out.truncate(limit);
            return out;
        }
        let mut edits: Vec<(u8, String)> = Vec::new();
        let consider = |cand: Vec<char>, rank: u8, edits: &mut Vec<(u8, String)>| {
            let s: String = cand.into_iter().collect();
            if s != w && self.words.contains(&s) {
                edits.push((rank, s));
            }
        };
        for i in 0..=chars.len() {
            for &a in &self.alphabet {
                // Insertion; a missing hasanta or vowel sign is the commonest slip.
                let mut c = chars.clone();
                c.insert(i, a);
                let rank = if a == crate::chars::HASANTA || is_vowel_sign(a) {
                    0
                } else {
                    1
                };
                consider(c, rank, &mut edits);
                if i < chars.len() {
                    let mut c = chars.clone();
                    c[i] = a;
                    let rank = if is_consonant(a) == is_consonant(chars[i]) {
                        1
                    } else {
                        2
                    };
                    consider(c, rank, &mut edits);
                }
            }
            if i < chars.len() {
                let mut c = chars.clone();
                c.remove(i);
                consider(c, 1, &mut edits);
            }
            if i + 1 < chars.len() {
                let mut c = chars.clone();
                c.swap(i, i + 1);
                consider(c, 0, &mut edits);
            }
        }
        edits.sort();
        for (_, e) in edits {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out.truncate(limit);
        out
    }

    /// The misspelled words of a text with up to five suggestions each.
    pub fn misspellings(&self, text: &str) -> Vec<Misspelling> {
        text.unicode_word_indices()
            .filter(|(_, w)| !self.check(w))
            .map(|(start, w)| Misspelling {
                word: w.to_owned(),
                start,
                end: start + w.len(),
                suggestions: self.suggest(w, 5),
            })
            .collect()
    }
}
