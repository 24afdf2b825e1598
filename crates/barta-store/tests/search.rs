//! Search quality on a hand-written corpus of 56 short Bengali articles with known answers:
//! inflection, spelling variants, digits in both scripts, nukta forms typed both ways, ZWJ
//! words, Latin and mixed queries, and the false hits a naive tokenizer produces.

use barta_model::{ArticleId, ArticleMeta, Document, WorkflowState};
use barta_store::{SearchQuery, Store, mark_runs};
use std::collections::{BTreeSet, HashMap};

/// (key, desk, headline, body, tags). Keys name groups: k Korea, g government, d digits,
/// r RAB, n nukta, v variants, l Latin, i inflection, h headline weight, f false hits, others
/// are filler that must not show up.
const CORPUS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "k1",
        "international",
        "কোরিয়ার নির্বাচনে নতুন প্রেসিডেন্ট",
        "দক্ষিণ কোরিয়ার ভোটাররা আজ নতুন প্রেসিডেন্ট বেছে নিয়েছেন।",
        &[],
    ),
    (
        "k2",
        "international",
        "জাপান ও চীনের বাণিজ্য আলোচনা",
        "টোকিওতে বৈঠকের পর উত্তর কোরিয়াকে নিয়ে উদ্বেগ জানানো হয়।",
        &[],
    ),
    (
        "k3",
        "international",
        "কোরিয়া সফরে প্রধানমন্ত্রী",
        "প্রধানমন্ত্রী তিন দিনের সফরে সিউল যাচ্ছেন।",
        &[],
    ),
    // Typed with the precomposed য় (U+09DF).
    (
        "k4",
        "international",
        "কোরি\u{09DF}া\u{09DF} বন্যা",
        "কোরি\u{09DF}া\u{09DF} ভারী বৃষ্টিতে বন্যা দেখা দিয়েছে।",
        &[],
    ),
    (
        "g1",
        "national",
        "সরকারি চাকরিতে নিয়োগ বিজ্ঞপ্তি",
        "সরকারি কর্মকর্তাদের বেতন বাড়ছে।",
        &[],
    ),
    (
        "g2",
        "education",
        "বেসরকারি বিশ্ববিদ্যালয়ে ভর্তি শুরু",
        "দেশের বেসরকারি বিশ্ববিদ্যালয়গুলোতে ভর্তি কার্যক্রম চলছে।",
        &[],
    ),
    (
        "g3",
        "health",
        "সরকারী হাসপাতালে চিকিৎসা",
        "সরকারী হাসপাতালে রোগীর ভিড়।",
        &[],
    ),
    (
        "g4",
        "economy",
        "বেসরকারী খাতে বিনিয়োগ",
        "বেসরকারী ব্যাংকের ঋণ বেড়েছে।",
        &[],
    ),
    (
        "g5",
        "economy",
        "সরকারের নতুন বাজেট",
        "সরকার আগামী মাসে বাজেট ঘোষণা করবে।",
        &[],
    ),
    (
        "d1",
        "economy",
        "২০২৫ সালের বাজেট ঘোষণা",
        "অর্থমন্ত্রী ২০২৫-২৬ অর্থবছরের বাজেট পেশ করেন।",
        &["বাজেট"],
    ),
    (
        "d2",
        "national",
        "Election 2025: ভোটের প্রস্তুতি",
        "The Election Commission says voting will be on paper ballots.",
        &[],
    ),
    (
        "d3",
        "national",
        "১৯৭১ সালের মুক্তিযুদ্ধ",
        "মুক্তিযুদ্ধের ইতিহাস নিয়ে নতুন বই প্রকাশিত হয়েছে।",
        &[],
    ),
    (
        "r1",
        "crime",
        "র\u{200D}\u{09CD}যাবের অভিযানে গ্রেপ্তার ৫",
        "র\u{200D}\u{09CD}যাব জানিয়েছে, অভিযানে অস্ত্র উদ্ধার হয়েছে।",
        &[],
    ),
    (
        "r2",
        "national",
        "কার্যালয়ে আগুন",
        "জেলা প্রশাসকের কার্যালয়ে আগুন লেগেছে।",
        &[],
    ),
    // Typed with the decomposed য + nukta.
    (
        "n1",
        "national",
        "বিয\u{09BC}ের অনুষ্ঠানে হামলা",
        "গ্রামের একটি বিয\u{09BC}ে বাড়িতে হামলার ঘটনা ঘটেছে।",
        &[],
    ),
    // Typed with the precomposed ড় (U+09DC).
    (
        "n2",
        "education",
        "\u{09AA}\u{09DC}াশোনায় মনোযোগ",
        "শিশুদের \u{09AA}\u{09DC}াশোনায় মনোযোগ বাড়াতে নতুন উদ্যোগ।",
        &[],
    ),
    (
        "v1",
        "weather",
        "জানুয়ারী মাসের শীত",
        "জানুয়ারী মাসে তাপমাত্রা কমেছে।",
        &[],
    ),
    (
        "v2",
        "economy",
        "জানুয়ারিতে মেলা শুরু",
        "বাণিজ্য মেলা জানুয়ারির প্রথম দিন শুরু হবে।",
        &[],
    ),
    (
        "l1",
        "technology",
        "Samsung নতুন ফোন আনছে",
        "Samsung Galaxy সিরিজের নতুন মডেল বাজারে এসেছে।",
        &[],
    ),
    (
        "l2",
        "technology",
        "Apple-এর আয় বেড়েছে",
        "Apple Inc. জানিয়েছে তাদের আয় বেড়েছে।",
        &[],
    ),
    (
        "i1",
        "national",
        "ঢাকায় বৃষ্টি",
        "রাজধানী ঢাকার রাস্তায় পানি জমেছে।",
        &[],
    ),
    (
        "i2",
        "national",
        "ঢাকা-চট্টগ্রাম মহাসড়কে যানজট",
        "মহাসড়কে গাড়ির দীর্ঘ সারি।",
        &[],
    ),
    (
        "i3",
        "environment",
        "ঢাকাকে সবুজ করার উদ্যোগ",
        "সিটি করপোরেশন গাছ লাগাবে।",
        &[],
    ),
    (
        "i4",
        "education",
        "শিক্ষার্থীদের আন্দোলন",
        "শিক্ষার্থীরা রাস্তায় নেমেছে।",
        &[],
    ),
    (
        "i5",
        "national",
        "সড়ক দুর্ঘটনা",
        "সড়ক দুর্ঘটনায় একজন শিক্ষার্থী আহত হয়েছেন।",
        &[],
    ),
    (
        "h1",
        "national",
        "পদ্মা সেতুতে টোল আদায়",
        "সেতু কর্তৃপক্ষ জানিয়েছে, গতকাল রেকর্ড টোল আদায় হয়েছে।",
        &[],
    ),
    (
        "h2",
        "national",
        "নদীভাঙন বাড়ছে",
        "পদ্মা নদীর তীরে ভাঙন বেড়েছে। পদ্মা পাড়ের মানুষ আতঙ্কে।",
        &[],
    ),
    ("f1", "lifestyle", "কেক খেলাম", "জন্মদিনে কেক খেলাম।", &[]),
    (
        "f2",
        "international",
        "সম্পর্কের টানাপোড়েন",
        "দুই দেশের সম্পর্ক ভালো নয়।",
        &[],
    ),
    (
        "sp1",
        "sports",
        "ক্রিকেটে বাংলাদেশের জয়",
        "মিরপুরে টেস্ট ম্যাচে বাংলাদেশ সাত উইকেটে জিতেছে।",
        &["ক্রিকেট"],
    ),
    (
        "sp2",
        "sports",
        "ফুটবল লিগের ফাইনাল আজ",
        "আবাহনী ও মোহামেডান ফাইনালে মুখোমুখি হবে।",
        &[],
    ),
    (
        "sp3",
        "sports",
        "সাকিবের অলরাউন্ড নৈপুণ্য",
        "সাকিব আল হাসান ব্যাট ও বলে দারুণ খেলেছেন।",
        &["ক্রিকেট"],
    ),
    (
        "ec1",
        "economy",
        "পেঁয়াজের দাম বেড়েছে",
        "বাজারে পেঁয়াজের কেজি একশো টাকা ছাড়িয়েছে।",
        &[],
    ),
    (
        "ec2",
        "economy",
        "রপ্তানি আয় কমেছে",
        "তৈরি পোশাক খাতের রপ্তানি গত মাসে কমেছে।",
        &[],
    ),
    (
        "ec3",
        "economy",
        "রেমিট্যান্স প্রবাহে রেকর্ড",
        "প্রবাসীরা গত মাসে রেকর্ড পরিমাণ অর্থ পাঠিয়েছেন।",
        &[],
    ),
    (
        "we1",
        "weather",
        "শৈত্যপ্রবাহে কাঁপছে উত্তরাঞ্চল",
        "পঞ্চগড়ে সর্বনিম্ন তাপমাত্রা রেকর্ড করা হয়েছে।",
        &[],
    ),
    (
        "we2",
        "weather",
        "ঘূর্ণিঝড়ের সতর্কসংকেত",
        "উপকূলীয় এলাকায় সাত নম্বর বিপদসংকেত দেখাতে বলা হয়েছে।",
        &[],
    ),
    (
        "he1",
        "health",
        "ডেঙ্গু রোগী বাড়ছে",
        "হাসপাতালগুলোতে ডেঙ্গু আক্রান্ত রোগীর চাপ বাড়ছে।",
        &["ডেঙ্গু"],
    ),
    (
        "he2",
        "health",
        "টিকাদান কর্মসূচি শুরু",
        "শিশুদের হামের টিকা দেওয়া হবে।",
        &[],
    ),
    (
        "ed1",
        "education",
        "এইচএসসি পরীক্ষার ফল প্রকাশ",
        "এবার পাসের হার বেড়েছে।",
        &[],
    ),
    (
        "ed2",
        "education",
        "নতুন শিক্ষাক্রম নিয়ে বিতর্ক",
        "অভিভাবকেরা মূল্যায়ন পদ্ধতি নিয়ে প্রশ্ন তুলেছেন।",
        &[],
    ),
    (
        "cu1",
        "culture",
        "বইমেলায় নতুন বই",
        "একুশের বইমেলায় পাঁচশো নতুন বই এসেছে।",
        &[],
    ),
    (
        "cu2",
        "culture",
        "রবীন্দ্রসংগীতের আসর",
        "ছায়ানটের শিল্পীরা গান পরিবেশন করেন।",
        &[],
    ),
    (
        "in1",
        "international",
        "গাজায় যুদ্ধবিরতি",
        "মধ্যস্থতাকারীরা নতুন প্রস্তাব দিয়েছেন।",
        &[],
    ),
    (
        "in2",
        "international",
        "ইউক্রেনে ড্রোন হামলা",
        "কিয়েভে রাতভর বিস্ফোরণের শব্দ শোনা গেছে।",
        &[],
    ),
    (
        "in3",
        "international",
        "মার্কিন নির্বাচনের প্রচারণা",
        "দুই প্রার্থী শেষ বিতর্কে অংশ নেন।",
        &[],
    ),
    (
        "te1",
        "technology",
        "মোবাইল ইন্টারনেটের দাম",
        "অপারেটররা ডেটা প্যাকেজের দাম বাড়িয়েছে।",
        &[],
    ),
    (
        "te2",
        "technology",
        "ফাইভজি চালু হচ্ছে",
        "পরীক্ষামূলকভাবে কয়েকটি শহরে 5G সেবা চালু হবে।",
        &[],
    ),
    (
        "ag1",
        "agriculture",
        "বোরো ধানের বাম্পার ফলন",
        "কৃষকেরা ধানের ভালো দাম পাচ্ছেন।",
        &[],
    ),
    (
        "ag2",
        "agriculture",
        "ইলিশ ধরায় নিষেধাজ্ঞা",
        "প্রজনন মৌসুমে বাইশ দিন ইলিশ ধরা বন্ধ থাকবে।",
        &[],
    ),
    (
        "tr1",
        "national",
        "মেট্রোরেলের নতুন স্টেশন",
        "উত্তরা থেকে মতিঝিল পর্যন্ত মেট্রোরেল চলছে।",
        &[],
    ),
    (
        "tr2",
        "national",
        "ট্রেনের টিকিট অনলাইনে",
        "ঈদের আগাম টিকিট বিক্রি শুরু হয়েছে।",
        &[],
    ),
    (
        "cr1",
        "crime",
        "চট্টগ্রামে ছিনতাইকারী আটক",
        "পুলিশ দুজনকে আটক করেছে।",
        &[],
    ),
    (
        "cr2",
        "crime",
        "সাইবার অপরাধ বাড়ছে",
        "অনলাইনে প্রতারণার অভিযোগ বেড়েছে।",
        &[],
    ),
    (
        "en1",
        "environment",
        "সুন্দরবনে বাঘের সংখ্যা",
        "জরিপে একশো চোদ্দটি বাঘ পাওয়া গেছে।",
        &[],
    ),
    (
        "en2",
        "environment",
        "বায়ুদূষণে শীর্ষে",
        "বায়ুমান সূচকে শহরটি আবারও শীর্ষে উঠেছে।",
        &[],
    ),
];

struct Fixture {
    store: Store,
    keys: HashMap<ArticleId, &'static str>,
}

fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let mut keys = HashMap::new();
    for (i, &(key, desk, headline, body, tags)) in CORPUS.iter().enumerate() {
        let author = if key.starts_with('k') {
            "karim"
        } else {
            "rahim"
        };
        let id = store.create_article(desk, author).unwrap();
        let meta = ArticleMeta {
            headline: headline.into(),
            desk: desk.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        };
        let block = format!("b{i}");
        let doc = Document::from_paragraphs([(block.as_str(), body)]);
        store.save_working_copy(id, meta, doc).unwrap();
        keys.insert(id, key);
    }
    Fixture { store, keys }
}

impl Fixture {
    fn find(&mut self, query: &SearchQuery) -> Vec<&'static str> {
        let hits = self.store.search(query).unwrap();
        hits.iter().map(|h| self.keys[&h.id]).collect()
    }
}

#[test]
fn the_corpus_has_at_least_fifty_articles() {
    assert!(CORPUS.len() >= 50, "{}", CORPUS.len());
}

#[test]
fn queries_find_exactly_the_known_answers() {
    let mut f = fixture();
    // (query, the exact set of articles it must find)
    let cases: &[(&str, &[&str])] = &[
        // Inflection: the bare noun finds its inflected forms and vice versa.
        ("কোরিয়া", &["k1", "k2", "k3", "k4"]),
        ("কোরিয়ার", &["k1", "k2", "k3", "k4"]),
        ("ঢাকা", &["i1", "i2", "i3"]),
        ("শিক্ষার্থীদের", &["i4", "i5"]),
        ("শিক্ষার্থী", &["i4", "i5"]),
        // The locative ে: নির্বাচনে, নির্বাচনের; মহাসড়কে.
        ("নির্বাচন", &["k1", "in3"]),
        ("মহাসড়ক", &["i2"]),
        // Prefix search on request.
        ("ঢাকা*", &["i1", "i2", "i3"]),
        ("বিশ্ববিদ্যালয়*", &["g2"]),
        // The false hit of substring search: সরকারি must never find বেসরকারি.
        ("সরকারি", &["g1", "g3"]),
        // Spelling variants through the loose key, both directions.
        ("সরকারী", &["g1", "g3"]),
        ("জানুয়ারি", &["v1", "v2"]),
        ("জানুয়ারী", &["v1", "v2"]),
        // Digits in either script.
        ("2025", &["d1", "d2"]),
        ("২০২৫", &["d1", "d2"]),
        ("1971", &["d3"]),
        // ZWJ word, typed with and without the ZWJ; not confused with the reph in কার্যালয়.
        ("র\u{200D}\u{09CD}যাব", &["r1"]),
        ("র\u{09CD}যাব", &["r1"]),
        ("কার্যালয়", &["r2"]),
        // Nukta typed the other way from the stored text.
        ("বি\u{09DF}ে", &["n1"]),
        ("বি\u{09DF}ের", &["n1"]),
        ("প\u{09A1}\u{09BC}াশোনা", &["n2"]),
        ("কোরিয\u{09BC}া", &["k1", "k2", "k3", "k4"]),
        // Latin, any case, and mixed.
        ("samsung", &["l1"]),
        ("SAMSUNG galaxy", &["l1"]),
        ("Apple আয়", &["l2"]),
        ("election", &["d2"]),
        ("5G", &["te2"]),
        // A conjunct word is one token, so "পর" is not found inside সম্পর্ক, nor কাকা in কেক খেলাম.
        ("সম্পর্ক", &["f2"]),
        ("কাকা", &[]),
        // All words must occur.
        ("কোরিয়া প্রধানমন্ত্রী", &["k3"]),
        ("ক্রিকেট", &["sp1", "sp3"]),
        // Punctuation-only and empty queries find nothing.
        ("।,", &[]),
        ("", &[]),
    ];
    for &(query, expected) in cases {
        let got: BTreeSet<&str> = f.find(&SearchQuery::text(query)).into_iter().collect();
        let want: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(got, want, "query {query:?}");
    }
}

#[test]
fn pr_is_not_found_inside_a_conjunct() {
    let mut f = fixture();
    let got = f.find(&SearchQuery::text("পর"));
    assert!(!got.contains(&"f2"), "{got:?}");
    assert!(got.contains(&"k2"), "k2 has the word পর: {got:?}");
}

#[test]
fn the_headline_ranks_above_the_body() {
    let mut f = fixture();
    assert_eq!(f.find(&SearchQuery::text("পদ্মা")), vec!["h1", "h2"]);
    // বাড়ছে is in the headline of he1, h2, cr2 and only in the body of g1.
    let got = f.find(&SearchQuery::text("বাড়ছে"));
    assert_eq!(got.last(), Some(&"g1"), "{got:?}");
    assert_eq!(got.len(), 4, "{got:?}");
}

#[test]
fn snippets_show_the_stored_text_with_the_match_marked() {
    let mut f = fixture();
    // (query, the key of the article, the marked snippet expected)
    let cases = [
        // d1's tag (বাজেট) follows its body in the searchable text.
        (
            "2025",
            "d1",
            "অর্থমন্ত্রী [২০২৫]-২৬ অর্থবছরের বাজেট পেশ করেন। বাজেট",
        ),
        (
            "কোরিয়া",
            "k2",
            "টোকিওতে বৈঠকের পর উত্তর [কোরিয়াকে] নিয়ে উদ্বেগ জানানো হয়।",
        ),
        (
            "র্যাব",
            "r1",
            "[র\u{200D}\u{09CD}যাব] জানিয়েছে, অভিযানে অস্ত্র উদ্ধার হয়েছে।",
        ),
        ("সরকারি", "g3", "[সরকারী] হাসপাতালে রোগীর ভিড়।"),
    ];
    for (query, key, expected) in cases {
        let hits = f.store.search(&SearchQuery::text(query)).unwrap();
        let hit = hits.iter().find(|h| f.keys[&h.id] == key).unwrap();
        assert_eq!(hit.snippet_marked("[", "]").trim(), expected, "{query}");
    }
    let hits = f.store.search(&SearchQuery::text("কোরিয়া")).unwrap();
    let k3 = hits.iter().find(|h| f.keys[&h.id] == "k3").unwrap();
    assert_eq!(
        mark_runs(&k3.headline_runs, "[", "]"),
        "[কোরিয়া] সফরে প্রধানমন্ত্রী"
    );
}

#[test]
fn long_bodies_are_cut_around_the_first_match() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let filler = "এক দুই তিন চার পাঁচ ছয় সাত আট নয় দশ ".repeat(5);
    let body = format!("{filler}এখানে বিস্ফোরণ ঘটেছে {filler}");
    let meta = ArticleMeta {
        headline: "শিরোনাম".into(),
        desk: "national".into(),
        ..Default::default()
    };
    store
        .save_working_copy(id, meta, Document::from_paragraphs([("b1", body.as_str())]))
        .unwrap();
    let hit = &store.search(&SearchQuery::text("বিস্ফোরণ")).unwrap()[0];
    let text = hit.snippet_marked("[", "]");
    assert!(
        text.starts_with("… ছয় সাত আট নয় দশ এখানে [বিস্ফোরণ] ঘটেছে"),
        "{text}"
    );
    assert!(text.ends_with(" …"), "{text}");
}

#[test]
fn filters_narrow_the_results() {
    let mut f = fixture();
    let query = |desks: &[&str], tag: Option<&str>, author: Option<&str>| SearchQuery {
        text: "বাড়ছে".into(),
        desks: desks.iter().map(|d| d.to_string()).collect(),
        tag: tag.map(str::to_string),
        author: author.map(str::to_string),
        ..Default::default()
    };
    let cases: &[(SearchQuery, &[&str])] = &[
        (query(&[], None, None), &["cr2", "g1", "h2", "he1"]),
        (query(&["health"], None, None), &["he1"]),
        (query(&["health", "crime"], None, None), &["cr2", "he1"]),
        (query(&[], Some("ডেঙ্গু"), None), &["he1"]),
        (query(&[], None, Some("karim")), &[]),
        (
            SearchQuery {
                author: Some("karim".into()),
                ..SearchQuery::text("নির্বাচন")
            },
            &["k1"],
        ),
    ];
    for (q, expected) in cases {
        let got: BTreeSet<&str> = f.find(q).into_iter().collect();
        let want: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(got, want, "{q:?}");
    }
}

#[test]
fn state_and_date_filters() {
    let mut f = fixture();
    let he1 = *f.keys.iter().find(|(_, k)| **k == "he1").unwrap().0;
    f.store.set_state(he1, WorkflowState::Submitted).unwrap();
    let submitted = SearchQuery {
        states: vec![WorkflowState::Submitted],
        ..SearchQuery::text("বাড়ছে")
    };
    assert_eq!(f.find(&submitted), vec!["he1"]);

    std::thread::sleep(std::time::Duration::from_millis(5));
    let cut = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let g1 = *f.keys.iter().find(|(_, k)| **k == "g1").unwrap().0;
    f.store.set_state(g1, WorkflowState::Submitted).unwrap();
    let after = SearchQuery {
        from: Some(cut.clone()),
        ..SearchQuery::text("বাড়ছে")
    };
    assert_eq!(f.find(&after), vec!["g1"]);
    let before = SearchQuery {
        until: Some(cut),
        ..SearchQuery::text("বাড়ছে")
    };
    let got: BTreeSet<&str> = f.find(&before).into_iter().collect();
    assert_eq!(got, BTreeSet::from(["cr2", "h2", "he1"]));
}

#[test]
fn edits_are_searchable_at_once_and_old_words_are_gone() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_article("national", "rahim").unwrap();
    let meta = |h: &str| ArticleMeta {
        headline: h.into(),
        desk: "national".into(),
        ..Default::default()
    };
    store
        .save_working_copy(
            id,
            meta("প্রথম"),
            Document::from_paragraphs([("b1", "আমবাগান")]),
        )
        .unwrap();
    assert_eq!(store.search(&SearchQuery::text("আমবাগান")).unwrap().len(), 1);
    store
        .save_working_copy(
            id,
            meta("দ্বিতীয়"),
            Document::from_paragraphs([("b1", "জামবাগান")]),
        )
        .unwrap();
    assert!(
        store
            .search(&SearchQuery::text("আমবাগান"))
            .unwrap()
            .is_empty()
    );
    assert!(store.search(&SearchQuery::text("প্রথম")).unwrap().is_empty());
    assert_eq!(store.search(&SearchQuery::text("জামবাগান")).unwrap().len(), 1);
    assert_eq!(store.search(&SearchQuery::text("দ্বিতীয়")).unwrap().len(), 1);
    assert!(store.integrity_ok().unwrap());
}

/// An unfiltered search ranks only the newest `rank_window` matches (the default keeps very
/// common words within the time budget); a filter, or a larger window, ranks them all.
#[test]
fn an_unfiltered_search_ranks_the_newest_matches_of_a_common_word() {
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for i in 0..12 {
        let id = store.create_article("national", "rahim").unwrap();
        // The oldest article has the word in its headline: it ranks first when everything
        // is ranked.
        let headline = if i == 0 {
            "বাজেট ঘোষণা"
        } else {
            "সংসদ অধিবেশন"
        };
        let meta = ArticleMeta {
            headline: headline.into(),
            desk: "national".into(),
            ..Default::default()
        };
        let body = format!("সংসদে আজ বাজেট নিয়ে আলোচনা হয়েছে। প্রতিবেদন {i}।");
        let doc = Document::from_paragraphs([("b1", body.as_str())]);
        store.save_working_copy(id, meta, doc).unwrap();
        ids.push(id);
    }
    let found = |store: &mut Store, q: &SearchQuery| -> Vec<ArticleId> {
        store.search(q).unwrap().iter().map(|h| h.id).collect()
    };
    let everything = SearchQuery::text("বাজেট");

    store.set_rank_window(4);
    let windowed = found(&mut store, &everything);
    let newest: BTreeSet<ArticleId> = ids[8..].iter().copied().collect();
    assert_eq!(windowed.iter().copied().collect::<BTreeSet<_>>(), newest);

    // A filter ranks every match: the oldest article's headline puts it first.
    let filtered = SearchQuery {
        desks: vec!["national".into()],
        ..everything.clone()
    };
    let all = found(&mut store, &filtered);
    assert_eq!(all.len(), 12);
    assert_eq!(all[0], ids[0]);

    // So does a window larger than the match count; a rare word is always ranked in full.
    store.set_rank_window(100);
    assert_eq!(found(&mut store, &everything), all);
    store.set_rank_window(4);
    assert_eq!(found(&mut store, &SearchQuery::text("ঘোষণা")), vec![ids[0]]);
}
