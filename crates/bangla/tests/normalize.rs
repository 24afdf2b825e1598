//! The stored form (bengali.md §1), search keys, loose key, stemmer and linter.

use bangla::{LintKind, lint, loose_key, normalize, search_key, stem};

fn check(input: &str, expected: &str) {
    assert_eq!(normalize(input), expected, "normalize({input:?})");
    assert_eq!(
        normalize(expected),
        expected,
        "stored form changed: {expected:?}"
    );
}

#[test]
fn the_nine_repairs() {
    let rows = [
        // 1: precomposed য় ড় ঢ় → letter + nukta.
        ("\u{09DF}", "\u{09AF}\u{09BC}"),
        ("\u{09DC}", "\u{09A1}\u{09BC}"),
        ("\u{09DD}", "\u{09A2}\u{09BC}"),
        ("বাংলা\u{09DF}", "বাংলা\u{09AF}\u{09BC}"),
        // 2: nukta after a vowel sign → after its consonant.
        ("\u{09AF}\u{09CB}\u{09BC}", "\u{09AF}\u{09BC}\u{09CB}"),
        ("প\u{09A1}\u{09BE}\u{09BC}", "প\u{09A1}\u{09BC}\u{09BE}"),
        (
            "\u{09AF}\u{09C7}\u{09BE}\u{09BC}",
            "\u{09AF}\u{09BC}\u{09CB}",
        ),
        // 3: ে + া → ো, ে + ৗ → ৌ.
        ("ক\u{09C7}\u{09BE}", "ক\u{09CB}"),
        ("ক\u{09C7}\u{09D7}", "ক\u{09CC}"),
        // 4: ত + ্ + ZWJ → ৎ.
        ("উ\u{09A4}\u{09CD}\u{200D}সব", "উ\u{09CE}সব"),
        // 5: অ + া → আ.
        ("\u{0985}\u{09BE}মি", "\u{0986}মি"),
        // 6: chandrabindu before a vowel sign → after it.
        ("চ\u{0981}\u{09BE}দ", "চ\u{09BE}\u{0981}দ"),
        ("চ\u{0981}\u{09C7}\u{09BE}", "চ\u{09CB}\u{0981}"),
        // 7: invisibles removed.
        ("ঢাকা\u{200B}", "ঢাকা"),
        ("\u{FEFF}ঢাকা", "ঢাকা"),
        ("ঢা\u{00AD}কা", "ঢাকা"),
        ("ঢা\u{2060}কা", "ঢাকা"),
        ("\u{200E}ঢাকা\u{200F}", "ঢাকা"),
        // 8: ZWJ/ZWNJ kept only in র‍্য and after an explicit hasanta.
        ("র\u{200D}\u{09CD}যাব", "র\u{200D}\u{09CD}যাব"),
        ("কার\u{200D}\u{09CD}য", "কার\u{200D}\u{09CD}য"),
        ("কার\u{09CD}য", "কার\u{09CD}য"),
        ("র\u{09CD}\u{200D}যাব", "র\u{200D}\u{09CD}যাব"),
        ("ক\u{200D}খ", "কখ"),
        ("ক\u{200C}খ", "কখ"),
        ("ক\u{09CD}\u{200C}ষ", "ক\u{09CD}\u{200C}ষ"),
        ("ক\u{09CD}\u{200D}ষ", "ক\u{09CD}ষ"),
        // 9: | between Bengali letters → dari.
        ("শেষ|তিনি", "শেষ।তিনি"),
        ("শেষ| তিনি", "শেষ। তিনি"),
        ("শেষ|", "শেষ।"),
        ("a|b", "a|b"),
        ("ক | খ", "ক | খ"),
        // Untouched.
        ("", ""),
        ("Hello, world", "Hello, world"),
        ("café", "café"),
        ("cafe\u{0301}", "café"),
        ("আমি বাংলায় গান গাই", "আমি বাংলায় গান গাই"),
        ("েক", "েক"),
    ];
    for (i, e) in rows {
        check(i, e);
    }
}

#[test]
fn search_and_loose_keys() {
    assert_eq!(search_key("র‍্যাব ১৫.৫"), "র\u{09CD}যাব 15.5");
    assert_eq!(search_key("ক্\u{200C}ষ"), "ক্ষ");
    assert_eq!(search_key("কোরিয়া"), normalize("কোরিয়া"));
    let same = [
        ("সরকারী", "সরকারি"),
        ("জানুয়ারী", "জানুয়ারি"),
        ("পূর্ব", "পুর্ব"),
        ("শহর", "সহর"),
        ("বিষয়", "বিসয়"),
        ("কারণ", "কারন"),
        ("বাড়ি", "বারি"),
        ("চাঁদ", "চাদ"),
    ];
    for (a, b) in same {
        assert_eq!(loose_key(a), loose_key(b), "{a} / {b}");
    }
    assert_ne!(loose_key("সরকারি"), loose_key("বেসরকারি"));
}

#[test]
fn noun_suffix_stemmer() {
    let rows = [
        ("কোরিয়ার", "কোরিয়া"),
        ("কোরিয়াকে", "কোরিয়া"),
        ("কোরিয়া", "কোরিয়া"),
        ("কোরিয়ায়", "কোরিয়া"),
        ("বাংলাদেশের", "বাংলাদেশ"),
        ("ঢাকাতে", "ঢাকা"),
        ("ছেলেগুলো", "ছেলে"),
        ("মেয়েটি", "মেয়ে"),
        ("বইখানা", "বই"),
        ("শিক্ষকদের", "শিক্ষক"),
        ("ছাত্ররা", "ছাত্র"),
        ("কে", "কে"),
        ("এর", "এর"),
    ];
    for (w, s) in rows {
        assert_eq!(stem(w), normalize(s), "{w}");
    }
    // Index and query reduce alike even where the stem is not a word.
    assert_eq!(stem("সরকার"), stem("সরকারের"));
}

#[test]
fn lint_flags_typing_errors_with_positions() {
    let t = "েকউ এসেছে";
    let l = lint(t);
    assert_eq!(l.len(), 1, "{l:?}");
    assert_eq!(l[0].kind, LintKind::PreBaseSignAtWordStart);
    assert_eq!((l[0].start, l[0].end), (0, 3));

    let t = "ক্ খ";
    let l = lint(t);
    assert_eq!(l[0].kind, LintKind::StrayHasanta);
    assert_eq!(&t[l[0].start..l[0].end], "\u{09CD}");

    let t = "আমি wbe©vPbে গেলাম";
    let l = lint(t);
    assert!(
        l.iter()
            .any(|x| x.kind == LintKind::MixedBijoyUnicode && &t[x.start..x.end] == "wbe©vPbে"),
        "{l:?}"
    );

    for clean in [
        "আমি বাংলায় গান গাই",
        "র‍্যাব",
        "ক্\u{200C}ষ",
        "Facebook-এ",
        "২০২৫ সালে",
    ] {
        assert!(
            lint(&normalize(clean)).is_empty(),
            "{clean}: {:?}",
            lint(clean)
        );
    }
}
