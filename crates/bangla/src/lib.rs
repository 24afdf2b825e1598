//! Bengali text for newsrooms: the stored form and search keys, Avro phonetic input, Bijoy
//! ↔ Unicode, counts, numerals, portal date formats, the revised Bangla calendar and
//! spelling. Pure: no I/O, except loading a spelling word list from a path
//! ([`spell::load_word_list`]).
//!
//! The facts this rests on are in the project's design notes (bengali.md).

pub mod bijoy;
pub mod chars;
pub mod count;
pub mod date;
mod error;
pub mod names;
pub mod normalize;
pub mod numerals;
pub mod phonetic;
pub mod search;
pub mod spell;

pub use bijoy::{
    bijoy_bytes_to_unicode, bijoy_runs, bijoy_to_unicode, convert_bijoy_runs, decode_cp1252,
    is_bijoy, unicode_to_bijoy,
};
pub use chrono;
pub use count::{Counts, DEFAULT_WORDS_PER_MINUTE};
pub use date::{BanglaDate, DateInput, format_dateline, format_published};
pub use error::Error;
pub use names::{NameClash, name_clashes};
pub use normalize::{
    Lint, LintKind, lint, loose_key, loose_key_chars, normalize, search_key, search_key_chars, stem,
};
pub use numerals::{
    group_lakh, to_ascii_digit, to_ascii_digits, to_bengali_digit, to_bengali_digits,
};
pub use phonetic::{Composer, phonetic, phonetic_preview, suggestions};
pub use spell::{IssueKind, Misspelling, Source, SpellChecker};
