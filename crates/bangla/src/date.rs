//! Dates: the two portal formats in Asia/Dhaka and the revised Bangla calendar (Bangabda,
//! Bangladesh's 2019 revision) both ways (bengali.md §6).

use crate::Error;
use crate::numerals::{to_ascii_digits, to_bengali_digits};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Asia::Dhaka;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Gregorian month names, NFC (stored form).
pub const GREGORIAN_MONTHS: [&str; 12] = [
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
];

/// Weekday names, Sunday first.
pub const WEEKDAYS: [&str; 7] = [
    "রবিবার",
    "সোমবার",
    "মঙ্গলবার",
    "বুধবার",
    "বৃহস্পতিবার",
    "শুক্রবার",
    "শনিবার",
];

/// Bangla month names, বৈশাখ first.
pub const BANGLA_MONTHS: [&str; 12] = [
    "বৈশাখ",
    "জ্যৈষ্ঠ",
    "আষাঢ়",
    "শ্রাবণ",
    "ভাদ্র",
    "আশ্বিন",
    "কার্তিক",
    "অগ্রহায়ণ",
    "পৌষ",
    "মাঘ",
    "ফাল্গুন",
    "চৈত্র",
];

fn weekday_name(w: Weekday) -> &'static str {
    WEEKDAYS[w.num_days_from_sunday() as usize]
}

fn month_name(m: u32) -> &'static str {
    GREGORIAN_MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// Publication time as a Bangladeshi portal prints it, in Asia/Dhaka:
/// "আগস্ট ১৫, ২০২২, ০১:৪২ পিএম" (12-hour clock, zero-padded, এএম/পিএম).
pub fn format_published(instant: DateTime<Utc>) -> String {
    let t = Dhaka.from_utc_datetime(&instant.naive_utc());
    let (pm, hour12) = t.hour12();
    let s = format!(
        "{} {:02}, {}, {:02}:{:02} {}",
        month_name(t.month()),
        t.day(),
        t.year(),
        hour12,
        t.minute(),
        if pm { "পিএম" } else { "এএম" }
    );
    crate::normalize(&to_bengali_digits(&s))
}

/// The dateline for a calendar date: "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫".
pub fn format_dateline(place: &str, date: NaiveDate) -> String {
    let s = format!(
        "{} {}, {:02} {}, {}",
        place.trim(),
        weekday_name(date.weekday()),
        date.day(),
        month_name(date.month()),
        date.year()
    );
    crate::normalize(to_bengali_digits(&s).trim_start())
}

/// The dateline for an instant, dated in Asia/Dhaka.
pub fn format_dateline_at(place: &str, instant: DateTime<Utc>) -> String {
    format_dateline(place, dhaka_date(instant))
}

/// The calendar date of an instant in Asia/Dhaka.
pub fn dhaka_date(instant: DateTime<Utc>) -> NaiveDate {
    Dhaka.from_utc_datetime(&instant.naive_utc()).date_naive()
}

/// A date in the revised Bangla calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BanglaDate {
    /// Bangabda year (১৪৩২ began on 14 April 2025).
    pub year: i32,
    /// Month, 1 = বৈশাখ … 12 = চৈত্র.
    pub month: u32,
    /// Day of month, from 1.
    pub day: u32,
}

fn pohela_boishakh(gregorian_year: i32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(gregorian_year, 4, 14).ok_or(Error::OutOfRange)
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Month lengths of the Bangla year that starts on 14 April of `start_gregorian_year`.
/// ফাল্গুন has 30 days when the Gregorian year it falls in (the next one) is a leap year.
fn month_lengths(start_gregorian_year: i32) -> [u32; 12] {
    let falgun = if is_leap(start_gregorian_year + 1) {
        30
    } else {
        29
    };
    [31, 31, 31, 31, 31, 31, 30, 30, 30, 30, falgun, 30]
}

impl BanglaDate {
    /// The Bangla date of a Gregorian date.
    pub fn from_gregorian(date: NaiveDate) -> Result<Self, Error> {
        let g = date.year();
        let this_start = pohela_boishakh(g)?;
        let (start_year, start) = if date >= this_start {
            (g, this_start)
        } else {
            (g - 1, pohela_boishakh(g - 1)?)
        };
        let mut offset = u32::try_from((date - start).num_days()).map_err(|_| Error::OutOfRange)?;
        for (m, len) in month_lengths(start_year).iter().enumerate() {
            if offset < *len {
                return Ok(BanglaDate {
                    year: start_year - 593,
                    month: m as u32 + 1,
                    day: offset + 1,
                });
            }
            offset -= len;
        }
        Err(Error::OutOfRange)
    }

    /// Builds a date, checking that it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, Error> {
        let err = Error::NoSuchBanglaDate { year, month, day };
        // Keep well inside chrono's range (±262,143 years) so no arithmetic can overflow.
        if !(-263_000..=263_000).contains(&year) {
            return Err(Error::OutOfRange);
        }
        if !(1..=12).contains(&month) || day == 0 {
            return Err(err);
        }
        let start_year = year.checked_add(593).ok_or(Error::OutOfRange)?;
        if day > month_lengths(start_year)[(month - 1) as usize] {
            return Err(err);
        }
        Ok(BanglaDate { year, month, day })
    }

    /// The Gregorian date of this Bangla date.
    pub fn to_gregorian(self) -> Result<NaiveDate, Error> {
        let checked = Self::new(self.year, self.month, self.day)?;
        let start_year = checked.year + 593;
        let start = pohela_boishakh(start_year)?;
        let lengths = month_lengths(start_year);
        let before: u32 = lengths[..(checked.month - 1) as usize].iter().sum();
        start
            .checked_add_days(chrono::Days::new(u64::from(before + checked.day - 1)))
            .ok_or(Error::OutOfRange)
    }

    /// The month's name.
    pub fn month_name(&self) -> &'static str {
        BANGLA_MONTHS[(self.month.clamp(1, 12) - 1) as usize]
    }
}

impl fmt::Display for BanglaDate {
    /// "১ বৈশাখ ১৪৩২".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{} {} {}", self.day, self.month_name(), self.year);
        f.write_str(&to_bengali_digits(&s))
    }
}

impl FromStr for BanglaDate {
    type Err = Error;

    /// Parses "১ বৈশাখ ১৪৩২" (Bengali or ASCII digits; "বঙ্গাব্দ" after the year is allowed).
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidDate(s.to_owned());
        let norm = crate::normalize(s);
        let ascii = to_ascii_digits(&norm);
        let parts: Vec<&str> = ascii
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|p| !p.is_empty())
            .collect();
        let parts: Vec<&str> = parts
            .into_iter()
            .filter(|p| *p != "বঙ্গাব্দ" && *p != "সন")
            .collect();
        let [day, month, year] = parts.as_slice() else {
            return Err(bad());
        };
        let day: u32 = day.parse().map_err(|_| bad())?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month = BANGLA_MONTHS
            .iter()
            .position(|m| crate::normalize(m) == *month)
            .ok_or_else(bad)? as u32
            + 1;
        BanglaDate::new(year, month, day)
    }
}

/// What a line of date input held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    /// A plain calendar date ("2025-08-01").
    Date(NaiveDate),
    /// An instant ("2022-08-15T07:42:00Z").
    Instant(DateTime<Utc>),
    /// A Bangla date ("১ বৈশাখ ১৪৩২").
    Bangla(BanglaDate),
}

impl DateInput {
    /// Parses an ISO date, an RFC 3339 instant or a Bangla date (digits may be Bengali).
    pub fn parse(s: &str) -> Result<Self, Error> {
        let t = to_ascii_digits(s.trim());
        if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            return Ok(DateInput::Date(d));
        }
        if let Ok(i) = DateTime::parse_from_rfc3339(&t) {
            return Ok(DateInput::Instant(i.with_timezone(&Utc)));
        }
        s.parse::<BanglaDate>()
            .map(DateInput::Bangla)
            .map_err(|_| Error::InvalidDate(s.to_owned()))
    }

    /// The calendar date meant: an instant is dated in Asia/Dhaka.
    pub fn date(self) -> Result<NaiveDate, Error> {
        match self {
            DateInput::Date(d) => Ok(d),
            DateInput::Instant(i) => Ok(dhaka_date(i)),
            DateInput::Bangla(b) => b.to_gregorian(),
        }
    }
}
