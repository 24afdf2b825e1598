//! Standard spelling (the Bangla Academy's rules of 2012) as an optional style check: a word
//! that is not wrong, but has a standard form the desk may prefer (সরকারী → সরকারি). The
//! rules are a table; they were written for this crate from the Academy's published rules:
//!
//! - ই-কার, not ঈ-কার, in words that are not tatsama: names of nationalities and languages,
//!   words of foreign origin, তদ্ভব and দেশি words (সরকারি, জানুয়ারি, বিদেশি, ইংরেজি);
//! - স্ট, not ষ্ট, in words of foreign origin (স্টেশন, স্টেডিয়াম);
//! - ন, not ণ, in words of foreign origin (গভর্নর, কর্নার);
//! - the tatsama ending -সূরি of পূর্বসূরি and its kin.

/// Whole words and their standard forms.
pub const STANDARD_WORDS: &[(&str, &str)] = &[
    ("সরকারী", "সরকারি"),
    ("বেসরকারী", "বেসরকারি"),
    ("আধাসরকারী", "আধাসরকারি"),
    ("দরকারী", "দরকারি"),
    ("জানুয়ারী", "জানুয়ারি"),
    ("ফেব্রুয়ারী", "ফেব্রুয়ারি"),
    ("পূর্বসূরী", "পূর্বসূরি"),
    ("উত্তরসূরী", "উত্তরসূরি"),
    ("বিদেশী", "বিদেশি"),
    ("দেশী", "দেশি"),
    ("ইংরেজী", "ইংরেজি"),
    ("বাঙালী", "বাঙালি"),
    ("বাঙ্গালী", "বাঙালি"),
    ("গাড়ী", "গাড়ি"),
    ("বাড়ী", "বাড়ি"),
    ("শাড়ী", "শাড়ি"),
    ("পাখী", "পাখি"),
    ("হাতী", "হাতি"),
    ("বেশী", "বেশি"),
    ("দামী", "দামি"),
    ("খুশী", "খুশি"),
    ("তৈরী", "তৈরি"),
    ("জরুরী", "জরুরি"),
    ("চাকরী", "চাকরি"),
    ("কোম্পানী", "কোম্পানি"),
    ("ডিগ্রী", "ডিগ্রি"),
    ("ফৌজদারী", "ফৌজদারি"),
    ("দেওয়ানী", "দেওয়ানি"),
    ("কাহিনী", "কাহিনি"),
    ("রানী", "রানি"),
    ("গভর্ণর", "গভর্নর"),
    ("কর্ণার", "কর্নার"),
    ("হর্ণ", "হর্ন"),
    ("ইরাণ", "ইরান"),
];

/// Beginnings of words and their standard forms (foreign words: ষ্ট → স্ট).
pub const STANDARD_PREFIXES: &[(&str, &str)] = &[("ষ্ট", "স্ট")];

/// Endings of words made from a name of a country or language (given as names to the
/// checker): the adjective takes ই-কার (পাকিস্তানী → পাকিস্তানি, জাপানী → জাপানি).
pub const STANDARD_NAME_ENDINGS: &[(&str, &str)] = &[("ী", "ি")];

/// The standard form of a normalized word, if it differs; `is_name` tells whether a stem is
/// a name (a country, a language). Inflected forms keep their ending (সরকারীভাবে →
/// সরকারিভাবে).
pub fn standard_form(word: &str, is_name: &dyn Fn(&str) -> bool) -> Option<String> {
    for (from, to) in STANDARD_WORDS {
        let from = crate::normalize(from);
        if let Some(rest) = word.strip_prefix(from.as_str())
            && (rest.is_empty() || ending_follows(rest))
        {
            return Some(format!("{}{rest}", crate::normalize(to)));
        }
    }
    for (from, to) in STANDARD_PREFIXES {
        if let Some(rest) = word.strip_prefix(from) {
            return Some(format!("{to}{rest}"));
        }
    }
    for (from, to) in STANDARD_NAME_ENDINGS {
        if let Some(stem) = word.strip_suffix(from)
            && super::morph::has_graphemes(stem, 2)
            && is_name(stem)
        {
            return Some(format!("{stem}{to}"));
        }
    }
    None
}

/// Whether `rest` is an inflection or derivation that can follow a word.
fn ending_follows(rest: &str) -> bool {
    super::morph::noun_endings().iter().any(|(e, _)| e == rest)
        || super::morph::DERIVATIONAL.contains(&rest)
}
