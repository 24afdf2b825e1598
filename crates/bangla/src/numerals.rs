//! Bengali digits both ways and lakh–crore grouping (bengali.md §6).

use crate::Error;
use crate::chars::is_bengali_digit;

/// An ASCII digit as its Bengali digit (`'7'` → `'৭'`); any other character unchanged.
pub fn to_bengali_digit(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(0x09E6 + (c as u32 - '0' as u32)).unwrap_or(c),
        _ => c,
    }
}

/// A Bengali digit as its ASCII digit (`'৭'` → `'7'`); any other character unchanged. The one
/// digit fold of the crate: search keys ([`crate::search_key`]) and [`to_ascii_digits`] use it.
pub fn to_ascii_digit(c: char) -> char {
    match c {
        '০'..='৯' => char::from_u32('0' as u32 + (c as u32 - 0x09E6)).unwrap_or(c),
        _ => c,
    }
}

/// A digit in either script: ASCII 0–9 or Bengali ০–৯.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || is_bengali_digit(c)
}

/// ASCII digits → Bengali digits (০–৯); everything else unchanged.
pub fn to_bengali_digits(text: &str) -> String {
    text.chars().map(to_bengali_digit).collect()
}

/// Bengali digits → ASCII digits; everything else unchanged.
pub fn to_ascii_digits(text: &str) -> String {
    text.chars().map(to_ascii_digit).collect()
}

/// Groups a decimal number the Bengali way (lakh–crore: last three digits, then twos) in
/// Bengali digits: `"1234567.5"` → `"১২,৩৪,৫৬৭.৫"`. Accepts ASCII or Bengali digits, an
/// optional sign and fraction, and existing commas.
pub fn group_lakh(number: &str) -> Result<String, Error> {
    let bad = || Error::InvalidNumber(number.to_owned());
    let ascii: String = to_ascii_digits(number.trim())
        .chars()
        .filter(|&c| c != ',')
        .collect();
    let (sign, rest) = match ascii.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", ascii.strip_prefix('+').unwrap_or(&ascii)),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let mut out = String::with_capacity(ascii.len() * 4);
    out.push_str(sign);
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        out.push(ch);
        let left = n - i - 1;
        if left > 0 && (left == 3 || (left > 3 && (left - 3) % 2 == 0)) {
            out.push(',');
        }
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Ok(to_bengali_digits(&out))
}

/// [`group_lakh`] for an integer.
pub fn group_lakh_int(n: i128) -> String {
    group_lakh(&n.to_string()).unwrap_or_default()
}
