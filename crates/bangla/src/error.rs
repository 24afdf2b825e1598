//! Typed errors of the crate.

use thiserror::Error;

/// Everything that can go wrong in `bangla`.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A number string that is not `[-+]?digits[.digits]` (ASCII or Bengali digits).
    #[error("not a number: {0:?}")]
    InvalidNumber(String),
    /// A date or instant that could not be parsed.
    #[error("not a date, RFC 3339 instant or Bangla date: {0:?}")]
    InvalidDate(String),
    /// A Bangla (Bangabda) date that does not exist, e.g. ৩২ বৈশাখ.
    #[error("no such Bangla date: day {day} of month {month} in {year}")]
    NoSuchBanglaDate {
        /// Bangabda year.
        year: i32,
        /// Month, 1 = বৈশাখ.
        month: u32,
        /// Day of month.
        day: u32,
    },
    /// A date outside the supported range.
    #[error("date out of range")]
    OutOfRange,
    /// A format needs a time of day but the input was a plain date.
    #[error("this format needs an RFC 3339 instant with a time, not a plain date")]
    NeedsTime,
    /// The spelling word list could not be read.
    #[error("cannot read word list {path}: {message}")]
    WordList {
        /// The path tried.
        path: String,
        /// The I/O error's text.
        message: String,
    },
    /// No spelling word list is installed at any of the known system paths.
    #[error("no Bengali word list installed (install hunspell-bn or pass a path)")]
    NoWordList,
    /// A names file that is not the JSON expected.
    #[error("cannot read names: {0}")]
    BadNames(String),
}
