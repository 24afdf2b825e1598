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
    let s = SpellChecker::system().expect("hunspell-bn is not installed: run scripts/setup");
    assert!(s.len() > 100_000);
    assert!(s.check("নির্বাচন"));
    assert!(s.check("বাংলাদেশের"));
    assert!(!s.check("নিরবাচন"));
    assert!(s.suggest("নিরবাচন", 5).contains(&normalize("নির্বাচন")));
}

/// A small lexicon written for these tests: stems, verbal nouns and names.
const STEMS: &str = "দেশ\nকোরিয়া\nছেলে\nসরকার\nকৌশল\nআনুষ্ঠানিক\nকরা\nহওয়া\nযাওয়া\nলেখা\nবলা\nশত্রু\nপক্ষ\nস্নায়ু\nযুদ্ধ\nউসকানি\nসহযোদ্ধা\nনির্বাচন\nকমিশন\nবিশ্বাস\nঅর্থনীতি\nপরিবেশ\nকারণ\nদুর্ঘটনা\nমুহূর্ত\nপূর্ব\nপ্রতিযোগিতা\nসাংবাদিক\nজরুরি\nবাড়ি\nগভীর\nব্যবস্থা\nস্বাস্থ্য\nপ্রকাশিত\nপ্রতিমন্ত্রী\nযুক্তরাষ্ট্র\nযোগাযোগ\nযৌথ\nচিকিৎসা\nদাঁড়ানো\nসরকারি\n";

fn stems() -> SpellChecker {
    SpellChecker::from_word_list(STEMS)
}

#[test]
fn noun_endings_from_the_table() {
    let s = stems();
    for w in [
        "কোরিয়ার",
        "কোরিয়াকে",
        "কোরিয়ায়",
        "কোরিয়াতেই",
        "দেশের",
        "দেশে",
        "দেশেই",
        "দেশটির",
        "দেশগুলোর",
        "দেশগুলোকে",
        "ছেলেরা",
        "ছেলেদের",
        "ছেলেটি",
        "ছেলেগুলোকেই",
        "দেশও",
        "সরকারকেও",
    ] {
        assert!(s.check(w), "{w} flagged");
    }
    // Endings that do not fit the stem's last sound are not accepted.
    for w in ["দেশর", "কোরিয়াের", "দেশয়"] {
        assert!(!s.check(w), "{w} accepted");
    }
}

#[test]
fn verb_conjugations_from_the_table() {
    let s = stems();
    for w in [
        "করেনি",
        "করছিলেন",
        "করেছেন",
        "করবে",
        "করতো",
        "করলেন",
        "করিনি",
        "হতো",
        "হবে",
        "হয়েছে",
        "হচ্ছে",
        "হয়নি",
        "যাবে",
        "যাচ্ছেন",
        "লিখেছেন",
        "লিখছি",
        "বলেছিলেন",
        "বলেননি",
    ] {
        assert!(s.check(w), "{w} flagged");
    }
    for w in ["করেছিন", "হচ্ছন", "যাবেল"] {
        assert!(!s.check(w), "{w} accepted");
    }
}

#[test]
fn derivations_and_compounds() {
    let s = stems();
    for w in [
        "কৌশলগত",
        "আনুষ্ঠানিকভাবে",
        "উসকানিমূলক",
        "সহযোদ্ধাসুলভ",
        "কৌশলগতভাবে",
        "শত্রুপক্ষ",
        "শত্রুপক্ষের",
        "স্নায়ুযুদ্ধ",
        "স্নায়ুযুদ্ধের",
        "বিবিসি",
        "কেসিএনএ’র",
        "বিএনপির",
    ] {
        assert!(s.check(w), "{w} flagged");
    }
    assert_eq!(
        s.analyse("শত্রুপক্ষ"),
        Some(bangla::spell::morph::Analysis::Compound)
    );
    assert_eq!(
        s.analyse("কৌশলগত"),
        Some(bangla::spell::morph::Analysis::Inflected)
    );
    // A slip of a listed word is not taken for a compound of two short words.
    let mut s2 = SpellChecker::from_word_list("কমিশন\nকমি\nসন\n");
    assert!(!s2.check("কমিসন"));
    s2.add_words(["কমিসন"], bangla::Source::User);
    assert!(s2.check("কমিসন"));
}

#[test]
fn names_from_cldr_json_and_a_names_source() {
    let mut s = stems();
    let json = r#"{"main":{"bn":{"identity":{"language":"bn"},"localeDisplayNames":{"territories":{"KP":"উত্তর কোরিয়া","UA":"ইউক্রেন","JP":"জাপান"}}}}}"#;
    assert!(!s.check("ইউক্রেনের"));
    assert_eq!(s.add_names_json(json).unwrap(), 3);
    assert!(s.check("ইউক্রেনের"));
    assert!(s.check("জাপানের"));
    assert!(s.check("উত্তর"));
    assert!(s.add_names_json("not json").is_err());
    // The server's learnt lexicon plugs in the same way.
    s.add_words(["পিয়ংইয়ং"], bangla::Source::Learnt);
    assert!(s.check("পিয়ংইয়ংয়ের"));
}

#[test]
fn cldr_names_when_installed() {
    let dir = std::path::Path::new("/usr/share/barta/lexicon");
    let json = std::fs::read_to_string(dir.join("cldr-bn-territories.json"))
        .expect("the lexicon directory is not built: run scripts/setup");
    let mut s = SpellChecker::from_word_list("দেশ\n");
    s.add_names_json(&json).unwrap();
    for w in ["বাংলাদেশ", "জাপানের", "আফগানিস্তানের", "কোরিয়ার"]
    {
        assert!(s.check(w), "{w} flagged");
    }
}

#[test]
fn standard_spelling_is_a_separate_switchable_kind() {
    let mut s = SpellChecker::from_word_list("সরকারী\nসরকারি\nপূর্বসূরী\nপূর্বসূরি\nদেশ\nজাপানী\n");
    s.add_words(["জাপান"], bangla::Source::Names);
    let text = "সরকারী দেশ পূর্বসূরী জাপানী";
    assert!(s.misspellings(text).is_empty(), "off by default");
    s.set_standard_spelling(true);
    let found = s.misspellings(text);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.word.as_str(), m.suggestions[0].as_str()))
        .collect();
    assert_eq!(
        got,
        [("সরকারী", "সরকারি"), ("পূর্বসূরী", "পূর্বসূরি"), ("জাপানী", "জাপানি")]
    );
    assert!(found.iter().all(|m| m.kind == bangla::IssueKind::Style));
    assert_eq!(s.standard_form("সরকারীভাবে").as_deref(), Some("সরকারিভাবে"));
    s.set_standard_spelling(false);
    assert!(s.misspellings(text).is_empty());
}

#[test]
fn suggestion_ranking_per_confusion_class() {
    let s = stems();
    // (typed, intended, class)
    let rows = [
        ("অর্থনিতি", "অর্থনীতি", "ি/ী"),
        ("মূহুর্ত", "মুহূর্ত", "ু/ূ"),
        ("কারন", "কারণ", "ন/ণ"),
        ("বিশ্বাষ", "বিশ্বাস", "শ/ষ/স"),
        ("সাংবাদীক", "সাংবাদিক", "ি/ী"),
        ("শাংবাদিক", "সাংবাদিক", "শ/ষ/স"),
        ("যরুরি", "জরুরি", "জ/য"),
        ("জৌথ", "যৌথ", "জ/য"),
        ("বারির", "বাড়ির", "র/ড়"),
        ("গভীড়", "গভীর", "র/ড়"),
        ("নিরবাচন", "নির্বাচন", "hasanta"),
        ("নিরবাচনের", "নির্বাচনের", "hasanta + ending"),
        ("বেবস্থা", "ব্যবস্থা", "য-ফলা"),
        ("সাস্থ্য", "স্বাস্থ্য", "ব-ফলা"),
        ("পকাশিত", "প্রকাশিত", "র-ফলা"),
        ("পতিমন্ত্রী", "প্রতিমন্ত্রী", "র-ফলা"),
        ("চিকিতসা", "চিকিৎসা", "ৎ"),
        ("দাড়ানো", "দাঁড়ানো", "chandrabindu"),
        ("দূর্ঘটনা", "দুর্ঘটনা", "ু/ূ"),
        ("প্রতিযোগীতা", "প্রতিযোগিতা", "ি/ী"),
    ];
    for (typed, intended, class) in rows {
        let got = s.suggest(typed, 5);
        assert_eq!(
            got.first().map(String::as_str),
            Some(normalize(intended).as_str()),
            "{class}: {typed} → {got:?}"
        );
    }
}

#[test]
fn frequency_hook_breaks_ties() {
    let mut s = SpellChecker::from_word_list("কাল\nকাজ\n");
    let before = s.suggest("কাম", 2);
    assert_eq!(before.len(), 2);
    let other = before[1].clone();
    s.add_counts([(other.as_str(), 1000)]);
    assert_eq!(s.suggest("কাম", 2)[0], other);
}

#[test]
fn the_spell_set_when_the_lexicon_is_installed() {
    let s = SpellChecker::system().expect("no word list is installed: run scripts/setup");
    assert!(
        s.len() >= 120_000,
        "the lexicon directory is not built ({} words): run scripts/setup",
        s.len()
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spell-set");
    let correct = std::fs::read_to_string(dir.join("correct.txt")).unwrap();
    let found: Vec<String> = correct
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| s.misspellings(l).into_iter().map(|m| m.word))
        .collect();
    assert!(found.len() <= 5, "false flags: {found:?}");
    let typos = std::fs::read_to_string(dir.join("misspellings.tsv")).unwrap();
    let rows: Vec<(&str, &str)> = typos
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut p = l.split('\t');
            Some((p.next()?, p.next()?))
        })
        .collect();
    let caught = rows.iter().filter(|(t, _)| !s.check(t)).count();
    let top5 = rows
        .iter()
        .filter(|(t, i)| s.suggest(t, 5).contains(&normalize(i)))
        .count();
    assert!(
        caught * 100 >= rows.len() * 95,
        "caught {caught}/{}",
        rows.len()
    );
    assert!(top5 * 100 >= rows.len() * 85, "top-5 {top5}/{}", rows.len());
}

#[test]
fn a_newsroom_lexicon_learns_bengali_words_only() {
    let words: Vec<&str> =
        bangla::spell::bengali_words("কিম জং উন ও Moon Jae-in ১২ জন, ক").collect();
    assert_eq!(words, ["কিম", "জং", "উন", "জন"]);
    let name = bangla::normalize("পিয়ংইয়ং");
    assert!(bangla::spell::is_lexicon_word(&name));
    assert!(!bangla::spell::is_lexicon_word("দুই শব্দ"));
    assert!(!bangla::spell::is_lexicon_word("Seoul"));
    assert!(!bangla::spell::is_lexicon_word(""));
    assert!(!bangla::spell::is_lexicon_word(&"ক".repeat(65)));
}

/// The compact word index: words added one at a time (put in place) and in large batches
/// (appended and sorted) are all found, a word listed again by another source is not new,
/// and words are found again through their skeleton keys for suggestions.
#[test]
fn words_added_singly_and_in_batches_are_all_found() {
    use bangla::spell::Source;
    let mut s = SpellChecker::from_word_list(LIST);
    // A large batch: made-up words of three letters, then a duplicate batch from another source.
    let letters = [
        'ক', 'খ', 'গ', 'ঘ', 'চ', 'ছ', 'জ', 'ঝ', 'ট', 'ঠ', 'ড', 'ত', 'থ', 'দ', 'ধ', 'ন',
    ];
    let mut batch: Vec<String> = Vec::new();
    for a in letters {
        for b in letters {
            for c in letters {
                batch.push(format!("{a}{b}{c}া"));
            }
        }
    }
    assert_eq!(s.add_words(&batch, Source::Names), batch.len());
    assert_eq!(
        s.add_words(&batch, Source::Learnt),
        0,
        "no word is new the second time"
    );
    // Single words, one of them twice in its own batch.
    assert_eq!(s.add_words(["পদ্মাসেতু", "পদ্মাসেতু", "যমুনাপার"], Source::User), 2);
    s.add_user_word("মেঘনাতীর");
    assert_eq!(s.len(), 12 + batch.len() + 3);
    for w in batch.iter().step_by(97).chain(&[
        "পদ্মাসেতু".to_owned(),
        "মেঘনাতীর".to_owned(),
        "নির্বাচন".to_owned(),
    ]) {
        assert!(s.is_listed(w), "{w} lost");
        assert!(s.check(w), "{w} flagged");
    }
    assert!(
        !s.is_listed("পদ্মাসেতুর"),
        "an inflected form is not listed itself"
    );
    // The one-letter slips of words added both ways are suggested back.
    assert_eq!(
        s.suggest("মেঘনাতির", 1).first().map(String::as_str),
        Some("মেঘনাতীর")
    );
    assert_eq!(
        s.suggest("নিরবাচন", 1).first().map(String::as_str),
        Some("নির্বাচন")
    );
}

#[test]
fn rarer_spellings_of_much_commoner_words_are_marked_misspellings() {
    use bangla::Source;
    let mut s = SpellChecker::default();
    // hunspell-bn's old spellings beside the words a web list adds.
    s.add_words(["কমিশন", "কমিসন", "পড়াও", "পরাও", "খামারী"], Source::Hunspell);
    s.add_words(
        [
            "দক্ষিণ",
            "দক্ষিন",
            "ক্ষতিগ্রস্ত",
            "ক্ষতিগ্রস্থ",
            "কাটার",
            "খাটার",
            "কন্টেইনার",
            "কনটেইনার",
            "খামারি",
            "এলাকাবাসী",
            "এলাকাবাসি",
            "আসার",
            "আষাঢ়",
            "নারায়ণগঞ্জ",
            "নারায়নগঞ্জ",
            "কর্তৃপক্ষ",
            "কতৃপক্ষ",
            "সতর্ক",
            "সর্তক",
        ],
        Source::Tesseract,
    );
    s.add_words(["নারায়নগঞ্জ"], Source::Learnt);
    let bins = [
        ("দক্ষিণ", 336),
        ("দক্ষিন", 459),
        ("কমিশন", 401),
        ("কমিসন", 761),
        ("পড়াও", 597),
        ("পরাও", 675),
        ("ক্ষতিগ্রস্ত", 423),
        ("ক্ষতিগ্রস্থ", 466),
        ("কাটার", 452),
        ("খাটার", 591),
        ("কন্টেইনার", 500),
        ("কনটেইনার", 700),
        ("খামারী", 614),
        ("খামারি", 663),
        ("এলাকাবাসী", 502),
        ("আসার", 372),
        ("আষাঢ়", 568),
        ("নারায়ণগঞ্জ", 442),
        ("নারায়নগঞ্জ", 700),
        ("কর্তৃপক্ষ", 393),
        ("কতৃপক্ষ", 548),
        ("সতর্ক", 393),
        ("সর্তক", 533),
    ];
    assert_eq!(s.mark_rarer_spellings(bins), 6);
    // A web list's misspelling (ন/ণ), an old list's one far rarer (শ/স), an aspirate in a
    // conjunct, a 2012 final ি no text uses, a reph left out or on the wrong letter:
    // misspellings, and the common word comes first.
    for (typo, meant) in [
        ("দক্ষিন", "দক্ষিণ"),
        ("কমিসন", "কমিশন"),
        ("ক্ষতিগ্রস্থ", "ক্ষতিগ্রস্ত"),
        ("এলাকাবাসি", "এলাকাবাসী"),
        ("কতৃপক্ষ", "কর্তৃপক্ষ"),
        ("সর্তক", "সতর্ক"),
    ] {
        assert!(!s.check(typo), "{typo} accepted");
        assert_eq!(s.suggest(typo, 5).first().map(String::as_str), Some(meant));
        assert!(s.check(meant), "{meant} flagged");
    }
    // Kept: an edited list's word not rare enough (a real word), an aspirate that makes
    // another word, a hasanta alternative, a 2012 spelling in use, two places apart, and
    // the newsroom's own spelling.
    for kept in ["পরাও", "খাটার", "কনটেইনার", "খামারি", "আষাঢ়", "নারায়নগঞ্জ"]
    {
        assert!(s.check(kept), "{kept} flagged");
    }
    // A word the user adds is correct again.
    s.add_user_word("দক্ষিন");
    assert!(s.check("দক্ষিন"));
}

#[test]
fn a_wordfreq_file_in_the_lexicon_directory_marks_rarer_spellings() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("barta-wordfreq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tesseract-ben.txt"), "দক্ষিণ\nদক্ষিন\nপূর্ব\n").unwrap();
    // wordfreq's layout: a header, then bin i's words (used 10^(-i/100) of the time).
    let mut packed = Vec::new();
    rmp::encode::write_array_len(&mut packed, 461).unwrap();
    rmp::encode::write_map_len(&mut packed, 2).unwrap();
    rmp::encode::write_str(&mut packed, "format").unwrap();
    rmp::encode::write_str(&mut packed, "cB").unwrap();
    rmp::encode::write_str(&mut packed, "version").unwrap();
    rmp::encode::write_uint(&mut packed, 1).unwrap();
    for bin in 0..460 {
        let words: &[&str] = match bin {
            336 => &["দক্ষিণ", "পূর্ব"],
            459 => &["দক্ষিন"],
            _ => &[],
        };
        rmp::encode::write_array_len(&mut packed, words.len() as u32).unwrap();
        for w in words {
            rmp::encode::write_str(&mut packed, w).unwrap();
        }
    }
    let path = dir.join(bangla::spell::lexicon::FREQUENCY_FILE);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&packed).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();

    let mut seen = Vec::new();
    bangla::spell::lexicon::read_frequencies(&path, |w, bin| seen.push((w.to_owned(), bin)))
        .unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.contains(&("দক্ষিন".to_owned(), 459)));

    let mut s = SpellChecker::default();
    s.load_lexicon_dir(&dir).unwrap();
    assert!(s.check("দক্ষিণ") && s.check("পূর্ব"));
    assert!(!s.check("দক্ষিন"));

    // A file that is not wordfreq's is refused with its path, and nothing is half-applied.
    std::fs::write(&path, b"not gzip").unwrap();
    let mut s = SpellChecker::default();
    let error = s.load_lexicon_dir(&dir).unwrap_err().to_string();
    assert!(
        error.contains(bangla::spell::lexicon::FREQUENCY_FILE),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_reph_on_the_neighbouring_letter_is_one_slip() {
    use bangla::spell::distance::{REPH_COST, distance, variant_key};
    let (typed, meant) = (normalize("সর্তকতা"), normalize("সতর্কতা"));
    assert_eq!(distance(&typed, &meant), REPH_COST);
    assert_eq!(distance(&meant, &typed), REPH_COST);
    // Left out or moved, a reph keeps the variant key; an aspirate only inside a conjunct.
    assert_eq!(variant_key(&typed), variant_key(&meant));
    assert_eq!(variant_key("কতৃপক্ষ"), variant_key("কর্তৃপক্ষ"));
    assert_eq!(variant_key("ক্ষতিগ্রস্থ"), variant_key("ক্ষতিগ্রস্ত"));
    assert_ne!(variant_key("খাটার"), variant_key("কাটার"));
    assert_ne!(variant_key("এখন"), variant_key("এখনো"));
}
