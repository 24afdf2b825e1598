//! Spelling against a word list given at run time; a small list written for the test,
//! plus the system hunspell-bn list when it is installed.

use bangla::{SpellChecker, normalize};

const LIST: &str =
    "12\nনির্বাচন\nসরকারি\nকোরিয়া\nবাংলাদেশ\nআমি\nগান\nছেলে/12\nদেশ\nকমিশন\nতিনি\nবলেন\nঢাকা\n";

#[test]
fn checks_inflection_digits_latin_and_user_words() {
    let mut s = SpellChecker::from_word_list(LIST);
    assert_eq!(s.len(), 12);
    let ok = [
        "নির্বাচন",
        "নির্বাচনের",
        "কোরিয়ার",
        "কোরিয়াকে",
        "বাংলাদেশে",
        "ছেলেগুলোকে",
        "১৫",
        "2025",
        "BBC",
        "দেশেই",
    ];
    for w in ok {
        assert!(s.check(w), "{w} flagged");
    }
    for w in ["নিরবাচন", "সরকারী", "পুতিন"] {
        assert!(!s.check(w), "{w} accepted");
    }
    s.add_user_word("পুতিন");
    assert!(s.check("পুতিন"));
    assert!(s.check("পুতিনের"));
}

#[test]
fn suggestions() {
    let s = SpellChecker::from_word_list(LIST);
    assert_eq!(s.suggest("নিরবাচন", 3).first(), Some(&normalize("নির্বাচন")));
    assert_eq!(s.suggest("সরকারী", 3).first(), Some(&normalize("সরকারি")));
    let m = s.misspellings("আমি নিরবাচন কমিশনে গান সরকারী");
    let words: Vec<&str> = m.iter().map(|x| x.word.as_str()).collect();
    assert_eq!(words, ["নিরবাচন", "সরকারী"]);
    assert_eq!(
        &"আমি নিরবাচন কমিশনে গান সরকারী"[m[0].start..m[0].end],
        "নিরবাচন"
    );
}

#[test]
fn empty_list_flags_nothing_and_missing_file_is_an_error() {
    let s = SpellChecker::default();
    assert!(s.check("যাচ্ছেতাই"));
    assert!(s.misspellings("নিরবাচন").is_empty());
    assert!(SpellChecker::load(std::path::Path::new("/nonexistent/bn.dic")).is_err());
}

#[test]
fn system_word_list_when_installed() {
    let Ok(s) = SpellChecker::system() else {
        eprintln!("hunspell-bn not installed; skipped");
        return;
    };
    assert!(s.len() > 100_000);
    assert!(s.check("নির্বাচন"));
    assert!(s.check("বাংলাদেশের"));
    assert!(!s.check("নিরবাচন"));
    assert!(s.suggest("নিরবাচন", 5).contains(&normalize("নির্বাচন")));
}
