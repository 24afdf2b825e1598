//! Counting on the check text of bengali.md §5 and the reference article.

use bangla::Counts;
use bangla::count::{grapheme_count, paragraph_count, reading_seconds, sentence_count, word_count};

const CHECK_TEXT: &str = "উত্তর কোরিয়ার সঙ্গে সম্পর্ক।প্রেসিডেন্ট বিবিসিকে বলেন, \"স্নায়ুযুদ্ধের সময় শেষ।\" তিনি ১৫.৫% বেশি পেয়েছেন।";

fn check(text: &str, words: usize, sentences: usize) {
    assert_eq!(word_count(text), words, "words of {text:?}");
    assert_eq!(sentence_count(text), sentences, "sentences of {text:?}");
}

#[test]
fn words_and_sentences() {
    let rows: &[(&str, usize, usize)] = &[
        (CHECK_TEXT, 14, 3),
        ("ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫", 5, 1),
        ("বিজ্ঞান।সে", 2, 2),
        ("সঙ্গে তিনি", 2, 1),
        ("র‍্যাব ১৫.৫", 2, 1),
        ("কী হলো? জানি না! শেষ।", 5, 3),
        ("কী?!", 1, 1),
        ("", 0, 0),
        ("।।", 0, 0),
        ("শেষ", 1, 1),
    ];
    for &(t, w, s) in rows {
        check(t, w, s);
    }
}

#[test]
fn grapheme_clusters() {
    let rows = [
        ("স্নায়ুযুদ্ধের", 5),
        ("ক্ষ্ম", 1),
        ("স্ত্রী", 1),
        ("র‍্যাব", 2),
        ("", 0),
        ("abc", 3),
    ];
    for (t, n) in rows {
        assert_eq!(grapheme_count(t), n, "{t}");
    }
}

#[test]
fn paragraphs_and_reading_time() {
    assert_eq!(paragraph_count("এক\n\nদুই\nতিন\n  \n"), 3);
    assert_eq!(reading_seconds(160, 160), 60);
    assert_eq!(reading_seconds(1, 160), 1);
    assert_eq!(reading_seconds(0, 160), 0);
    assert_eq!(reading_seconds(10, 0), 600);
    let c = Counts::with_wpm(CHECK_TEXT, 120);
    assert_eq!((c.words, c.sentences, c.reading_seconds), (14, 3, 7));
    assert_eq!(Counts::of(CHECK_TEXT).reading_seconds, 6);
}

#[test]
fn reference_article_counts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/article-sample.txt");
    // The project's shared reference lies beside the checkout (as on CI): without it the test
    // cannot run, and says so.
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the shared reference article {} is needed: {e}",
            path.display()
        )
    });
    let c = Counts::of(&text);
    assert!(c.words > 300, "{c:?}");
    assert!(c.sentences >= 10, "{c:?}");
    assert!(c.graphemes < text.chars().count(), "{c:?}");
    // The dateline counts as five words (the digits are words).
    assert!(text.contains("ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫"));
    // Normalizing the article is idempotent and leaves its word count alone.
    let n = bangla::normalize(&text);
    assert_eq!(bangla::normalize(&n), n);
    assert_eq!(word_count(&n), c.words);
}
