//! The editor's Bengali text services over the `bangla` crate: phonetic previews, paste
//! cleaning (Bijoy detection and conversion, normalization), live counts with typing-error
//! flags, and datelines. Pure functions; the commands call them.

use crate::ipc_types::{
    DatelineText, NameVariant, PastedText, SpellIssue, SpellReport, TextFlag, TextStats,
};
use chrono::{DateTime, Utc};

/// The Bengali to show for the roman letters of the word being typed.
pub fn phonetic_preview(roman: &str) -> String {
    bangla::phonetic_preview(roman)
}

/// Dictionary candidates for a roman word.
pub fn phonetic_suggestions(roman: &str) -> Vec<String> {
    bangla::suggestions(roman)
}

/// Pasted plain text in stored form; Bijoy runs converted to Unicode.
pub fn paste(text: &str) -> PastedText {
    let converted = !bangla::bijoy_runs(text).is_empty();
    let text = if converted {
        bangla::convert_bijoy_runs(text)
    } else {
        bangla::normalize(text)
    };
    PastedText {
        text,
        bijoy_converted: converted,
    }
}

/// Counts and typing-error flags of an article's text.
pub fn stats(text: &str) -> TextStats {
    let stored = bangla::normalize(text);
    let counts = bangla::Counts::of(&stored);
    let flags = bangla::lint(&stored)
        .into_iter()
        .map(|lint| TextFlag {
            kind: match lint.kind {
                bangla::LintKind::PreBaseSignAtWordStart => "pre_base_sign_at_word_start",
                bangla::LintKind::VowelSignWithoutBase => "vowel_sign_without_base",
                bangla::LintKind::StrayHasanta => "stray_hasanta",
                bangla::LintKind::MixedBijoyUnicode => "mixed_bijoy_unicode",
            }
            .to_string(),
            text: stored
                .get(lint.start..lint.end)
                .unwrap_or_default()
                .to_string(),
            start: lint.start,
            end: lint.end,
        })
        .collect();
    TextStats {
        words: counts.words,
        graphemes: counts.graphemes,
        sentences: counts.sentences,
        paragraphs: counts.paragraphs,
        reading_seconds: counts.reading_seconds,
        flags,
        name_variants: bangla::name_clashes(&stored)
            .into_iter()
            .map(|c| NameVariant {
                first: c.first,
                second: c.second,
                first_at: c.first_at,
                second_at: c.second_at,
            })
            .collect(),
    }
}

/// The dateline for `place` at `instant` ("ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫") and the Bangla date
/// beside it ("১৭ শ্রাবণ ১৪৩২"), both in Asia/Dhaka.
pub fn dateline(place: &str, instant: DateTime<Utc>) -> DatelineText {
    let place = bangla::normalize(place.trim());
    let date = bangla::date::dhaka_date(instant);
    DatelineText {
        dateline: bangla::format_dateline(&place, date),
        bangabda: bangla::BanglaDate::from_gregorian(date)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

/// Instants printed as the portals print a publication time ("আগস্ট ১৫, ২০২২, ০১:৪২ পিএম",
/// Asia/Dhaka); an unreadable instant is returned as it came.
pub fn published_times(instants: &[String]) -> Vec<String> {
    instants
        .iter()
        .map(|i| match i.parse::<DateTime<Utc>>() {
            Ok(t) => bangla::format_published(t),
            Err(_) => i.clone(),
        })
        .collect()
}

/// An article as Bijoy (SutonnyMJ) text for print layout: headline, then the body's blocks,
/// separated by blank lines.
pub fn to_bijoy(headline: &str, body: &barta_model::Document) -> String {
    let mut parts = vec![headline.to_string()];
    parts.extend(body.content.iter().map(barta_model::Block::plain_text));
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| bangla::unicode_to_bijoy(p))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The UTF-16 offset of byte offset `byte` in `text`.
fn utf16_offset(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or(0, |prefix| prefix.encode_utf16().count())
}

/// Misspellings of each text, with UTF-16 offsets for the editor. Digits and Latin words are
/// never flagged (the checker knows only Bengali words and skips the rest).
pub fn spell_check(checker: Option<&bangla::SpellChecker>, texts: &[String]) -> SpellReport {
    let Some(checker) = checker else {
        return SpellReport {
            available: false,
            blocks: texts.iter().map(|_| Vec::new()).collect(),
        };
    };
    let blocks = texts
        .iter()
        .map(|text| {
            checker
                .misspellings(text)
                .into_iter()
                .filter(|m| {
                    m.word
                        .chars()
                        .any(|c| ('\u{0980}'..='\u{09FF}').contains(&c))
                })
                .filter(|m| !m.word.chars().any(bangla::numerals::is_digit))
                .map(|m| SpellIssue {
                    from: utf16_offset(text, m.start),
                    to: utf16_offset(text, m.end),
                    word: m.word,
                    suggestions: m.suggestions,
                    style: m.kind == bangla::spell::IssueKind::Style,
                })
                .collect()
        })
        .collect();
    SpellReport {
        available: true,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bijoy_paste_is_converted_and_plain_unicode_only_normalized() {
        let bijoy = paste("Avwg evsjvq Mvb MvB");
        assert_eq!(bijoy.text, "আমি বাংলায় গান গাই");
        assert!(bijoy.bijoy_converted);
        let unicode = paste("কো\u{200B}রিয়া");
        assert_eq!(unicode.text, "কোরিয়া");
        assert!(!unicode.bijoy_converted);
        let english = paste("The minister said on Friday");
        assert_eq!(english.text, "The minister said on Friday");
        assert!(!english.bijoy_converted);
    }

    #[test]
    fn counts_are_bengali_correct() {
        let s = stats("ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫");
        assert_eq!(s.words, 5, "Bengali digits are words");
        assert_eq!(stats("স্নায়ুযুদ্ধের").graphemes, 5);
    }

    #[test]
    fn a_pre_base_sign_at_a_word_start_is_flagged_where_it_is() {
        let s = stats("আমি েক");
        assert_eq!(s.flags.len(), 1, "{:?}", s.flags);
        assert_eq!(s.flags[0].kind, "pre_base_sign_at_word_start");
    }

    #[test]
    fn misspellings_come_with_utf16_offsets_and_skip_digits_and_latin() {
        let checker = bangla::SpellChecker::from_word_list("নির্বাচন\nকমিশন\nআজ\n");
        let texts = vec!["আজ নিরবাচন কমিশন ২০২৫ Dhaka".to_string()];
        let report = spell_check(Some(&checker), &texts);
        assert!(report.available);
        let issues = &report.blocks[0];
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].word, "নিরবাচন");
        // "আজ " is 3 UTF-16 units; "নিরবাচন" is 7.
        assert_eq!((issues[0].from, issues[0].to), (3, 10));
        assert_eq!(
            issues[0].suggestions.first().map(String::as_str),
            Some("নির্বাচন")
        );
    }

    #[test]
    fn times_print_in_the_portal_format_in_dhaka() {
        let out = published_times(&["2022-08-15T07:42:00Z".into(), "yesterday".into()]);
        assert_eq!(
            out,
            vec!["আগস্ট ১৫, ২০২২, ০১:৪২ পিএম".to_string(), "yesterday".into()]
        );
    }

    #[test]
    fn an_article_exports_to_bijoy_block_by_block() {
        let body = barta_model::Document::from_paragraphs([("b1", "আমি বাংলায় গান গাই"), ("b2", "")]);
        // The bengali.md pair: "Avwg evsjvq Mvb MvB" = আমি বাংলায় গান গাই.
        assert_eq!(to_bijoy("সম্পর্ক", &body), "m¤úK©\n\nAvwg evsjvq Mvb MvB");
    }

    #[test]
    fn without_a_word_list_nothing_is_flagged() {
        let report = spell_check(None, &["যা খুশি".to_string()]);
        assert!(!report.available);
        assert_eq!(report.blocks, vec![Vec::new()]);
    }

    #[test]
    fn one_name_spelled_two_ways_is_reported() {
        let s = stats("কিং জং উনকে চিঠি লিখেছেন। নেতা কিম জং উনকে পাঠানো চিঠি।");
        assert_eq!(s.name_variants.len(), 1);
        assert_eq!(s.name_variants[0].first, "কিং জং উনকে");
        assert_eq!(s.name_variants[0].second, "কিম জং উনকে");
    }

    #[test]
    fn the_dateline_is_printed_in_dhaka_time() {
        // 31 July 2025 20:00 UTC is already Friday 1 August in Dhaka (UTC+6).
        let instant = "2025-07-31T20:00:00Z".parse().unwrap();
        let d = dateline("ঢাকা", instant);
        assert_eq!(d.dateline, "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫");
        assert_eq!(d.bangabda, "১৭ শ্রাবণ ১৪৩২");
    }
}
