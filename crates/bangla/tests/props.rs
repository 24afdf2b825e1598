//! Property tests: normalize is idempotent and fixes stored text; Bijoy round trips are
//! stable; the search and loose keys agree with their first definition; nothing panics on
//! arbitrary input.

use proptest::prelude::*;

/// Strings biased towards Bengali, the joiners, Bijoy glyphs and ASCII.
fn texty() -> impl Strategy<Value = String> {
    let alphabet = prop_oneof![
        4 => proptest::char::range('\u{0980}', '\u{09FF}'),
        1 => prop::sample::select(vec!['\u{200C}', '\u{200D}', '\u{200B}', '\u{FEFF}', '|', ' ', '\u{00AD}']),
        2 => prop::sample::select("†‡ˆ‰Š©¨ª«¬¯°±³µ¶·¸»¼½¾¤¥¦§¡¢£œŸš›˜™„…ƒ‚‹Œ—−“”‘’ÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçéêëìíîïðñòóôõö÷øùúûüýþÿ".chars().collect::<Vec<_>>()),
        3 => proptest::char::range(' ', '~'),
        1 => any::<char>(),
    ];
    prop::collection::vec(alphabet, 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn normalize_is_idempotent(s in texty()) {
        let once = bangla::normalize(&s);
        prop_assert_eq!(bangla::normalize(&once), once);
    }

    #[test]
    fn fast_path_agrees_with_full_pipeline(s in texty()) {
        prop_assert_eq!(bangla::normalize(&s), bangla::normalize::normalize_unchunked(&s));
    }

    #[test]
    fn normalize_idempotent_on_any_string(s in any::<String>()) {
        let once = bangla::normalize(&s);
        prop_assert_eq!(bangla::normalize(&once), once);
    }

    #[test]
    fn bijoy_round_trip_is_stable(s in texty()) {
        let u1 = bangla::bijoy_to_unicode(&s);
        let b = bangla::unicode_to_bijoy(&u1);
        let u2 = bangla::bijoy_to_unicode(&b);
        prop_assert_eq!(&u2, &u1, "via {:?}", b);
    }

    #[test]
    fn nothing_panics(s in texty(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = bangla::search_key(&s);
        let _ = bangla::loose_key(&s);
        let _ = bangla::stem(&s);
        let _ = bangla::lint(&s);
        let _ = bangla::phonetic(&s);
        let _ = bangla::suggestions(&s);
        let _ = bangla::bijoy_runs(&s);
        let _ = bangla::is_bijoy(&s);
        let _ = bangla::convert_bijoy_runs(&s);
        let _ = bangla::bijoy_bytes_to_unicode(&bytes);
        let _ = bangla::Counts::of(&s);
        let _ = bangla::group_lakh(&s);
        let _ = bangla::DateInput::parse(&s);
        let _ = s.parse::<bangla::BanglaDate>();
        let checker = bangla::SpellChecker::from_word_list(&s);
        let _ = checker.misspellings(&s);
    }

    #[test]
    fn phonetic_output_is_stored_and_non_ascii_survives(s in "[a-zA-Z`^$.,:0-9 ]{0,30}", t in "[\u{0985}-\u{09B9}]{1,5}") {
        let out = bangla::phonetic(&format!("{s}{t}"));
        prop_assert_eq!(bangla::normalize(&out), out.clone());
        prop_assert!(out.ends_with(&bangla::normalize(&t)));
    }

    #[test]
    fn stored_text_unchanged(words in prop::collection::vec(prop::sample::select(vec![
        "আমি", "বাংলায়", "গান", "গাই", "র‍্যাব", "কার্য", "ক্\u{200C}ষ", "উৎসব", "চাঁদ", "১৫.৫", "BBC", "।", ",",
    ]), 0..12)) {
        let s = words.join(" ");
        let stored = bangla::normalize(&s);
        prop_assert_eq!(bangla::normalize(&stored), stored.clone());
        prop_assert_eq!(stored, s);
    }

    #[test]
    fn dates_never_panic(days in -95_000_000i64..95_000_000, secs in any::<i64>(), y in any::<i32>(), m in any::<u32>(), d in any::<u32>()) {
        use bangla::chrono::{DateTime, NaiveDate};
        if let Some(date) = NaiveDate::from_ymd_opt(1970, 1, 1).and_then(|e| e.checked_add_signed(bangla::chrono::TimeDelta::days(days))) {
            if let Ok(b) = bangla::BanglaDate::from_gregorian(date) {
                prop_assert_eq!(b.to_gregorian().ok(), Some(date));
                let _ = b.to_string().parse::<bangla::BanglaDate>();
            }
            let _ = bangla::format_dateline("ঢাকা", date);
        }
        if let Some(t) = DateTime::from_timestamp(secs % 8_000_000_000_000, 0) {
            let _ = bangla::format_published(t);
            let _ = bangla::date::format_dateline_at("ঢাকা", t);
        }
        if let Ok(b) = bangla::BanglaDate::new(y, m, d) {
            let _ = b.to_gregorian();
        }
    }
}

/// `search_key` as written before its fold became the iterator `search_key_chars`: the
/// oracle the one definition must agree with.
fn search_key_as_first_written(text: &str) -> String {
    bangla::normalize(text)
        .chars()
        .filter_map(|c| match c {
            '\u{200C}' | '\u{200D}' => None,
            '\u{09E6}'..='\u{09EF}' => char::from_digit(c as u32 - 0x09E6, 10),
            _ => Some(c),
        })
        .collect()
}

/// `loose_key` as written before its fold became the iterator `loose_key_chars`.
fn loose_key_as_first_written(text: &str) -> String {
    let key = search_key_as_first_written(text);
    let mut out = String::with_capacity(key.len());
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'ী' => out.push('ি'),
            'ূ' => out.push('ু'),
            'শ' | 'ষ' => out.push('স'),
            'ণ' => out.push('ন'),
            'ড' | 'ঢ' if chars.peek() == Some(&'\u{09BC}') => {
                chars.next();
                out.push('র');
            }
            '\u{0981}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The strings of the crate's key and normalization tests.
const KEY_CORPUS: &[&str] = &[
    "র‍্যাব ১৫.৫",
    "ক্\u{200C}ষ",
    "কোরিয়া",
    "সরকারী সরকারি বেসরকারি",
    "জানুয়ারী জানুয়ারি",
    "পূর্ব পুর্ব শহর সহর বিষয় বিসয় কারণ কারন",
    "বাড়ি বারি চাঁদ চাদ চঁাদ",
    "\u{09DC}\u{09DD}\u{09DF} ড় ঢ় য়",
    "ড ঢ ড\u{09BC}া",
    "২০২৫ সালে 10% ০১২৩৪৫৬৭৮৯",
    "উত্তর কোরিয়ার সঙ্গে সম্পর্ক।প্রেসিডেন্ট বিবিসিকে বলেন",
    "Hello, world café cafe\u{0301} ÀÉÎ",
    "",
];

#[test]
fn key_iterators_collect_to_the_keys_as_first_written() {
    for text in KEY_CORPUS {
        assert_eq!(
            bangla::search_key(text),
            search_key_as_first_written(text),
            "{text}"
        );
        assert_eq!(
            bangla::loose_key(text),
            loose_key_as_first_written(text),
            "{text}"
        );
    }
}

#[test]
fn digit_folds_go_both_ways() {
    assert_eq!(
        bangla::to_ascii_digits("০১২৩৪৫৬৭৮৯ ১৫.৫%"),
        "0123456789 15.5%"
    );
    assert_eq!(
        bangla::to_bengali_digits("0123456789 15.5%"),
        "০১২৩৪৫৬৭৮৯ ১৫.৫%"
    );
    for c in ['a', 'ক', '৳', '\u{09F4}', '/', ':'] {
        assert_eq!(bangla::to_ascii_digit(c), c);
        assert_eq!(bangla::to_bengali_digit(c), c);
        assert!(!bangla::numerals::is_digit(c));
    }
    assert!(bangla::numerals::is_digit('৭') && bangla::numerals::is_digit('7'));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn key_iterators_agree_with_the_keys_as_first_written(s in texty()) {
        prop_assert_eq!(bangla::search_key(&s), search_key_as_first_written(&s));
        prop_assert_eq!(bangla::loose_key(&s), loose_key_as_first_written(&s));
    }

    #[test]
    fn digit_folds_agree_char_by_char(s in texty()) {
        let ascii: String = s.chars().map(bangla::to_ascii_digit).collect();
        prop_assert_eq!(bangla::to_ascii_digits(&s), ascii);
        let bengali: String = s.chars().map(bangla::to_bengali_digit).collect();
        prop_assert_eq!(bangla::to_bengali_digits(&s), bengali);
    }
}
