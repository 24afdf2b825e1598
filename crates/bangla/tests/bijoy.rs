//! Bijoy (SutonnyMJ) ↔ Unicode: the pairs of bengali.md §4, 200+ hand-written word pairs,
//! 20 paragraphs written for this test (round trip), a hand-checked paragraph in Bijoy,
//! cp1252 bytes, and the detector.

use bangla::{
    bijoy_bytes_to_unicode, bijoy_runs, bijoy_to_unicode, convert_bijoy_runs, is_bijoy, normalize,
    unicode_to_bijoy,
};

fn check(bijoy: &str, unicode: &str) -> Result<(), String> {
    let got = bijoy_to_unicode(bijoy);
    if got == normalize(unicode) {
        Ok(())
    } else {
        Err(format!("{bijoy:?}: expected {unicode}, got {got}"))
    }
}

fn run(rows: &[(&str, &str)]) {
    let failures: Vec<String> = rows.iter().filter_map(|(b, u)| check(b, u).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

const DESIGN_PAIRS: &[(&str, &str)] = &[
    ("Avwg evsjvq Mvb MvB", "আমি বাংলায় গান গাই"),
    ("m¤úK©", "সম্পর্ক"),
    ("Kg©x", "কর্মী"),
    ("†cÖwm‡W›U", "প্রেসিডেন্ট"),
    ("ˆekvL", "বৈশাখ"),
    ("e„n¯úwZevi", "বৃহস্পতিবার"),
    ("i¨ve", "র‍্যাব"),
    ("cov", "পড়া"),
    ("D‡j−L", "উল্লেখ"),
    ("Bb÷vMÖvg", "ইনস্টাগ্রাম"),
    ("Kvh©Ki", "কার্যকর"),
    ("wbe©vPb", "নির্বাচন"),
    ("¶", "ক্ষ"),
    ("¯œvb", "স্নান"),
];

const WORDS: &[(&str, &str)] = &[
    ("evsjv", "বাংলা"),
    ("evsjv‡`k", "বাংলাদেশ"),
    ("XvKv", "ঢাকা"),
    ("miKvi", "সরকার"),
    ("miKvwi", "সরকারি"),
    ("cÖavbgš¿x", "প্রধানমন্ত্রী"),
    ("gš¿x", "মন্ত্রী"),
    ("Mvb", "গান"),
    ("MvB", "গাই"),
    ("evsjvq", "বাংলায়"),
    ("DËi", "উত্তর"),
    ("†Kvwiqv", "কোরিয়া"),
    ("†Kvwiqvi", "কোরিয়ার"),
    ("m‡½", "সঙ্গে"),
    ("cywZb", "পুতিন"),
    ("wPwV", "চিঠি"),
    ("Rvcvb", "জাপান"),
    ("ivwkqv", "রাশিয়া"),
    ("eÜzZ¡", "বন্ধুত্ব"),
    ("mn‡hvwMZv", "সহযোগিতা"),
    ("mgw_©Z", "সমর্থিত"),
    ("kw³kvjx", "শক্তিশালী"),
    ("`yB", "দুই"),
    ("†`k", "দেশ"),
    ("¯^v_©", "স্বার্থ"),
    ("Rb¨", "জন্য"),
    ("cÖ‡qvRb", "প্রয়োজন"),
    ("g‡b", "মনে"),
    ("K‡ib", "করেন"),
    ("wZwb", "তিনি"),
    ("ivóªxq", "রাষ্ট্রীয়"),
    ("msev`gva¨g", "সংবাদমাধ্যম"),
    ("wewewm", "বিবিসি"),
    ("Rvwb‡q‡Q", "জানিয়েছে"),
    ("gyw³", "মুক্তি"),
    ("w`em", "দিবস"),
    ("†bZv", "নেতা"),
    ("cvVv‡bv", "পাঠানো"),
    ("GK", "এক"),
    ("c`‡¶c", "পদক্ষেপ"),
    ("Dfq", "উভয়"),
    ("AbyK‚j", "অনুকূল"),
    ("wØZxq", "দ্বিতীয়"),
    ("wek¦hy×", "বিশ্বযুদ্ধ"),
    ("weiy‡×", "বিরুদ্ধে"),
    ("weR‡qi", "বিজয়ের"),
    ("ga¨", "মধ্য"),
    ("w`‡q", "দিয়ে"),
    ("M‡o", "গড়ে"),
    ("D‡VwQj", "উঠেছিল"),
    ("Zv‡`i", "তাদের"),
    ("mn‡hv×v", "সহযোদ্ধা"),
    ("Av‡iv", "আরো"),
    ("nq", "হয়"),
    ("n‡e", "হবে"),
    ("†KŠkjMZ", "কৌশলগত"),
    ("mg_©b", "সমর্থন"),
    ("msnwZ", "সংহতি"),
    ("bZyb", "নতুন"),
    ("gvÎvq", "মাত্রায়"),
    ("DbœxZ", "উন্নীত"),
    ("kÎy", "শত্রু"),
    ("dj", "ফল"),
    ("¯‹zj", "স্কুল"),
    ("QvÎ", "ছাত্র"),
    ("wk¶K", "শিক্ষক"),
    ("wk¶v", "শিক্ষা"),
    ("cixÿv", "পরীক্ষা"),
    ("cÖkœ", "প্রশ্ন"),
    ("cÖ_g", "প্রথম"),
    ("Z…Zxq", "তৃতীয়"),
    ("PZz_©", "চতুর্থ"),
    ("cÂg", "পঞ্চম"),
    ("lô", "ষষ্ঠ"),
    ("mßg", "সপ্তম"),
    ("Aóg", "অষ্টম"),
    ("beg", "নবম"),
    ("`kg", "দশম"),
    ("GKv`k", "একাদশ"),
    ("nvRvi", "হাজার"),
    ("j¶", "লক্ষ"),
    ("†KvwU", "কোটি"),
    ("UvKv", "টাকা"),
    ("e¨vsK", "ব্যাংক"),
    ("evwYR¨", "বাণিজ্য"),
    ("A_©bxwZ", "অর্থনীতি"),
    ("e¨emv", "ব্যবসা"),
    ("wkí", "শিল্প"),
    ("K…wl", "কৃষি"),
    ("K…lK", "কৃষক"),
    ("¯^v¯’¨", "স্বাস্থ্য"),
    ("wPwKrmv", "চিকিৎসা"),
    ("nvmcvZvj", "হাসপাতাল"),
    ("Wv³vi", "ডাক্তার"),
    ("†ivMx", "রোগী"),
    ("g„Zy¨", "মৃত্যু"),
    ("AvB‡bi", "আইনের"),
    ("Av`vjZ", "আদালত"),
    ("wePvi", "বিচার"),
    ("gvgjv", "মামলা"),
    ("cywjk", "পুলিশ"),
    ("†MÖdZvi", "গ্রেফতার"),
    ("Awf‡hvM", "অভিযোগ"),
    ("NUbv", "ঘটনা"),
    ("`yN©Ubv", "দুর্ঘটনা"),
    ("mo‡K", "সড়কে"),
    ("Mvwo", "গাড়ি"),
    ("evm", "বাস"),
    ("U«vK", "ট্রাক"),
    ("†Uªb", "ট্রেন"),
    ("wegvb", "বিমান"),
    ("e›`i", "বন্দর"),
    ("b`x", "নদী"),
    ("eb¨v", "বন্যা"),
    ("e„wó", "বৃষ্টি"),
    ("S‡o", "ঝড়ে"),
    ("AvenvIqv", "আবহাওয়া"),
    ("kxZ", "শীত"),
    ("Mig", "গরম"),
    ("Lvevi", "খাবার"),
    ("Pvj", "চাল"),
    ("Wvj", "ডাল"),
    ("`vg", "দাম"),
    ("evRvi", "বাজার"),
    ("gvQ", "মাছ"),
    ("`ya", "দুধ"),
    ("wWg", "ডিম"),
    ("mewR", "সবজি"),
    ("cvwb", "পানি"),
    ("we`y¨r", "বিদ্যুৎ"),
    ("M¨vm", "গ্যাস"),
    ("R¡vjvwb", "জ্বালানি"),
    ("†Zj", "তেল"),
    ("wek¦we`¨vjq", "বিশ্ববিদ্যালয়"),
    ("K‡jR", "কলেজ"),
    ("QvÎx", "ছাত্রী"),
    ("wk¶v_©x", "শিক্ষার্থী"),
    ("djvdj", "ফলাফল"),
    ("†Ljv", "খেলা"),
    ("wµ‡KU", "ক্রিকেট"),
    ("dzUej", "ফুটবল"),
    ("`j", "দল"),
    ("AwabvqK", "অধিনায়ক"),
    ("g¨vP", "ম্যাচ"),
    ("Rq", "জয়"),
    ("civRq", "পরাজয়"),
    ("ivRbxwZ", "রাজনীতি"),
    ("`‡ji", "দলের"),
    ("†bÎx", "নেত্রী"),
    ("Av‡›`vjb", "আন্দোলন"),
    ("mgv‡ek", "সমাবেশ"),
    ("niZvj", "হরতাল"),
    ("msm`", "সংসদ"),
    ("AvBb", "আইন"),
    ("msweavb", "সংবিধান"),
    ("¯^vaxbZv", "স্বাধীনতা"),
    ("gyw³hy×", "মুক্তিযুদ্ধ"),
    ("knx`", "শহীদ"),
    ("fvlv", "ভাষা"),
    ("Ab¨", "অন্য"),
    ("AvšÍR©vwZK", "আন্তর্জাতিক"),
    ("Avš—R©vwZK", "আন্তর্জাতিক"),
    ("†W¯‹", "ডেস্ক"),
    ("m~Î", "সূত্র"),
    ("c~e©", "পূর্ব"),
    ("cwð‡g", "পশ্চিমে"),
    ("`w¶Y", "দক্ষিণ"),
    ("AvM÷", "আগস্ট"),
    ("Rvbyqvwi", "জানুয়ারি"),
    ("†deªyqvwi", "ফেব্রুয়ারি"),
    ("gvP©", "মার্চ"),
    ("GwcÖj", "এপ্রিল"),
    ("Ryb", "জুন"),
    ("RyjvB", "জুলাই"),
    ("†m‡Þ¤^i", "সেপ্টেম্বর"),
    ("A‡±vei", "অক্টোবর"),
    ("b‡f¤^i", "নভেম্বর"),
    ("wW‡m¤^i", "ডিসেম্বর"),
    ("iweevi", "রবিবার"),
    ("†mvgevi", "সোমবার"),
    ("g½jevi", "মঙ্গলবার"),
    ("eyaevi", "বুধবার"),
    ("ïµevi", "শুক্রবার"),
    ("kwbevi", "শনিবার"),
    ("eQi", "বছর"),
    ("Zvwi‡L", "তারিখে"),
    ("mgq", "সময়"),
    ("NÈv", "ঘণ্টা"),
    ("wgwbU", "মিনিট"),
    ("mßvn", "সপ্তাহ"),
    ("gvm", "মাস"),
    ("†KD", "কেউ"),
    ("KLbI", "কখনও"),
    ("AvR", "আজ"),
    ("MZKvj", "গতকাল"),
    ("AvMvgxKvj", "আগামীকাল"),
    ("wKš‘", "কিন্তু"),
    ("Ges", "এবং"),
    ("A_ev", "অথবা"),
    ("hw`", "যদি"),
    ("Z‡e", "তবে"),
    ("†Kb", "কেন"),
    ("†Kv_vq", "কোথায়"),
    ("eo", "বড়"),
    ("†QvU", "ছোট"),
    ("fv‡jv", "ভালো"),
    ("Lvivc", "খারাপ"),
    ("mwµq", "সক্রিয়"),
    ("¯^vfvweK", "স্বাভাবিক"),
    ("`xN©", "দীর্ঘ"),
    ("¯’vbxq", "স্থানীয়"),
    ("†Rjv", "জেলা"),
    ("Dc‡Rjv", "উপজেলা"),
    ("MÖvg", "গ্রাম"),
    ("kni", "শহর"),
    ("PÆMÖvg", "চট্টগ্রাম"),
    ("ivRkvnx", "রাজশাহী"),
    ("Lyjbv", "খুলনা"),
    ("wm‡jU", "সিলেট"),
    ("ewikvj", "বরিশাল"),
    ("iscyi", "রংপুর"),
    ("gqgbwmsn", "ময়মনসিংহ"),
    ("Kzwgjøv", "কুমিল্লা"),
    ("bvivqYMÄ", "নারায়ণগঞ্জ"),
    ("MvRxcyi", "গাজীপুর"),
    ("Av‡jvPbv", "আলোচনা"),
    ("e³e¨", "বক্তব্য"),
    ("mvsevw`K", "সাংবাদিক"),
    ("cwÎKv", "পত্রিকা"),
    ("msev`", "সংবাদ"),
    ("cÖwZ‡e`K", "প্রতিবেদক"),
    ("m¤úv`K", "সম্পাদক"),
    ("cÖKvk", "প্রকাশ"),
    ("wel‡q", "বিষয়ে"),
    ("Z_¨", "তথ্য"),
    ("cÖhyw³", "প্রযুক্তি"),
    ("B›Uvi‡bU", "ইন্টারনেট"),
    ("†gvevBj", "মোবাইল"),
    ("†dmeyK", "ফেসবুক"),
    ("mgm¨v", "সমস্যা"),
    ("mgvavb", "সমাধান"),
    ("Dbœqb", "উন্নয়ন"),
    ("cÖK‡íi", "প্রকল্পের"),
    ("ev¯—evqb", "বাস্তবায়ন"),
    ("Kg©KZ©v", "কর্মকর্তা"),
    ("Kg©m~wP", "কর্মসূচি"),
    ("cwiKíbv", "পরিকল্পনা"),
    ("¸i“Z¡", "গুরুত্ব"),
    ("iƒc", "রূপ"),
    ("Abyôvb", "অনুষ্ঠান"),
    ("cÖwZôvb", "প্রতিষ্ঠান"),
    ("m‡¤§jb", "সম্মেলন"),
    ("Dc‡`óv", "উপদেষ্টা"),
    ("ivóªcwZ", "রাষ্ট্রপতি"),
    ("we‡ivax", "বিরোধী"),
    ("AskMÖnY", "অংশগ্রহণ"),
    ("†fvU", "ভোট"),
    ("cÖv_©x", "প্রার্থী"),
    ("Avmb", "আসন"),
    ("wbivcËv", "নিরাপত্তা"),
    ("evwnbx", "বাহিনী"),
    ("mxgvšÍ", "সীমান্ত"),
    ("kiYv_©x", "শরণার্থী"),
    ("†ivwn½v", "রোহিঙ্গা"),
    ("AwaKvi", "অধিকার"),
    ("bvix", "নারী"),
    ("wkï", "শিশু"),
    ("cwievi", "পরিবার"),
    ("Rb¥", "জন্ম"),
    ("AvZ¥nZ¨v", "আত্মহত্যা"),
    ("Dcw¯’Z", "উপস্থিত"),
    ("e¨w³", "ব্যক্তি"),
    ("e¨e¯’v", "ব্যবস্থা"),
    ("Ae¯’vb", "অবস্থান"),
    ("cÖwZwµqv", "প্রতিক্রিয়া"),
    ("ÿwZMÖ¯—", "ক্ষতিগ্রস্ত"),
    ("mvnvh¨", "সাহায্য"),
    ("ÎvY", "ত্রাণ"),
    ("D×vi", "উদ্ধার"),
    ("A_©", "অর্থ"),
    ("1971 mv‡j", "১৯৭১ সালে"),
    ("†kl|", "শেষ।"),
    ("15.5%", "১৫.৫%"),
    ("Òe½eÜzÓ", "“বঙ্গবন্ধু”"),
    ("Kvh©µg", "কার্যক্রম"),
    ("Avlvp", "আষাঢ়"),
    ("Drme", "উৎসব"),
];

/// Paragraphs written for this test (not from any publication).
const PARAGRAPHS: &[&str] = &[
    "ঢাকায় আজ সকাল থেকে বৃষ্টি হচ্ছে। আবহাওয়া অধিদপ্তর জানিয়েছে, আগামী দুই দিন এমন আবহাওয়া থাকবে।",
    "নির্বাচন কমিশন বৃহস্পতিবার নতুন তফসিল ঘোষণা করেছে। প্রার্থীরা আগামী সপ্তাহ থেকে মনোনয়নপত্র জমা দিতে পারবেন।",
    "চট্টগ্রাম বন্দরে কনটেইনার জট কমেছে। বন্দর কর্তৃপক্ষ বলছে, নতুন ব্যবস্থায় জাহাজ দ্রুত খালাস হচ্ছে।",
    "শিক্ষার্থীদের পরীক্ষার ফলাফল প্রকাশিত হয়েছে। এবার পাসের হার গত বছরের চেয়ে বেশি।",
    "সড়ক দুর্ঘটনায় তিনজন নিহত হয়েছেন। পুলিশ জানায়, একটি ট্রাক বাসটিকে ধাক্কা দেয়।",
    "বাজারে চাল, ডাল ও তেলের দাম বেড়েছে। ক্রেতারা বলছেন, আয়ের সঙ্গে ব্যয়ের হিসাব মিলছে না।",
    "প্রধানমন্ত্রী আন্তর্জাতিক সম্মেলনে যোগ দিতে বিদেশ যাচ্ছেন। সফরে কয়েকটি চুক্তি সইয়ের কথা রয়েছে।",
    "কৃষকেরা এবার ধানের ভালো দাম পাচ্ছেন। কৃষি বিভাগের কর্মকর্তারা উৎপাদন বাড়ার কথা বলছেন।",
    "হাসপাতালে রোগীর চাপ বেড়েছে। চিকিৎসকেরা জ্বর ও সর্দিকাশি নিয়ে সতর্ক থাকার পরামর্শ দিয়েছেন।",
    "বিদ্যুৎ ও জ্বালানি মন্ত্রণালয় লোডশেডিং কমানোর পরিকল্পনা নিয়েছে। গ্যাস সরবরাহ বাড়ানো হবে।",
    "ক্রিকেট দলের অধিনায়ক বলেছেন, তাঁরা সিরিজ জয়ের লক্ষ্য নিয়ে মাঠে নামবেন।",
    "বন্যায় উত্তরের কয়েকটি জেলার মানুষ ক্ষতিগ্রস্ত হয়েছেন। ত্রাণ নিয়ে স্বেচ্ছাসেবকেরা কাজ করছেন।",
    "রাজধানীর যানজট নিরসনে মেট্রোরেলের নতুন অংশ চালু হয়েছে। যাত্রীরা সন্তোষ প্রকাশ করেছেন।",
    "বিশ্ববিদ্যালয়ের গবেষকেরা নদীর পানির মান নিয়ে একটি প্রতিবেদন দিয়েছেন। দূষণ বাড়ছে বলে তাঁরা জানান।",
    "মুক্তিযুদ্ধের স্মৃতি সংরক্ষণে জাদুঘরে নতুন প্রদর্শনী শুরু হয়েছে। দর্শনার্থীদের ভিড় ছিল চোখে পড়ার মতো।",
    "রাষ্ট্রপতি স্বাধীনতা দিবসে জাতির উদ্দেশে ভাষণ দেবেন। অনুষ্ঠানের প্রস্তুতি শেষ পর্যায়ে।",
    "সীমান্তে নিরাপত্তা জোরদার করা হয়েছে। বাহিনীর একজন মুখপাত্র পরিস্থিতি স্বাভাবিক বলে জানিয়েছেন।",
    "শহরের স্কুলগুলোতে নতুন পাঠ্যবই পৌঁছেছে। শিক্ষকেরা বলছেন, শিশুরা খুশি।",
    "ব্যাংক খাতের সংস্কার নিয়ে অর্থনীতিবিদেরা আলোচনা করেছেন। তাঁরা স্বচ্ছতা ও জবাবদিহির ওপর জোর দেন।",
    "ফেব্রুয়ারির একুশ তারিখে ভাষাশহীদদের স্মরণে মানুষ শহীদ মিনারে ফুল দেয়। এ দিনটি এখন আন্তর্জাতিক মাতৃভাষা দিবস।",
];

/// Paragraph 5 in SutonnyMJ, typed by hand for this test (not produced by the encoder).
const HAND_TYPED_BIJOY: (&str, &str) = (
    "moK `yN©Ubvq wZbRb wbnZ n‡q‡Qb| cywjk Rvbvq, GKwU UªvK evmwU‡K av°v †`q|",
    "সড়ক দুর্ঘটনায় তিনজন নিহত হয়েছেন। পুলিশ জানায়, একটি ট্রাক বাসটিকে ধাক্কা দেয়।",
);

#[test]
fn design_pairs() {
    run(DESIGN_PAIRS);
}

#[test]
fn two_hundred_words() {
    assert!(WORDS.len() >= 200, "only {} words", WORDS.len());
    run(WORDS);
}

#[test]
fn hand_typed_paragraph() {
    run(&[HAND_TYPED_BIJOY]);
}

#[test]
fn words_round_trip_through_bijoy() {
    for (_, unicode) in DESIGN_PAIRS.iter().chain(WORDS) {
        let u = normalize(unicode);
        let b = unicode_to_bijoy(&u);
        assert!(
            !b.chars().any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
            "{u} → {b}"
        );
        assert_eq!(bijoy_to_unicode(&b), u, "{u} → {b}");
    }
}

#[test]
fn encoder_writes_the_usual_glyphs() {
    let rows = [
        ("সম্পর্ক", "m¤úK©"),
        ("কর্মী", "Kg©x"),
        ("প্রেসিডেন্ট", "†cÖwm‡W›U"),
        ("বৈশাখ", "ˆekvL"),
        ("বৃহস্পতিবার", "e„n¯úwZevi"),
        ("র‍্যাব", "i¨ve"),
        ("পড়া", "cov"),
        ("ইনস্টাগ্রাম", "Bb÷vMÖvg"),
        ("কার্যকর", "Kvh©Ki"),
        ("নির্বাচন", "wbe©vPb"),
        ("আমি বাংলায় গান গাই", "Avwg evsjvq Mvb MvB"),
        ("গুরুত্ব", "¸i“Z¡"),
        ("রূপ", "iƒc"),
        ("কৌশল", "†KŠkj"),
        ("শুক্রবার", "ïµevi"),
        ("১৯৭১ সালে।", "1971 mv‡j|"),
    ];
    for (u, b) in rows {
        assert_eq!(unicode_to_bijoy(u), b, "{u}");
    }
}

#[test]
fn twenty_paragraphs_round_trip() {
    assert_eq!(PARAGRAPHS.len(), 20);
    for p in PARAGRAPHS {
        let u = normalize(p);
        let b = unicode_to_bijoy(&u);
        assert!(
            !b.chars().any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
            "unencoded Bengali left in {b}"
        );
        assert_eq!(bijoy_to_unicode(&b), u, "paragraph via {b}");
        assert!(is_bijoy(&b), "detector misses {b}");
        assert!(!is_bijoy(&u));
    }
    // The hand-typed Bijoy of paragraph 5 and the encoder's output decode alike.
    assert_eq!(
        bijoy_to_unicode(&unicode_to_bijoy(PARAGRAPHS[4])),
        bijoy_to_unicode(HAND_TYPED_BIJOY.0)
    );
}

#[test]
fn cp1252_bytes_and_latin1_misdecoding() {
    // "†cÖwm‡W›U" as stored in a file: † = 0x86, Ö = 0xD6, ‡ = 0x87, › = 0x9B.
    let bytes = [0x86, b'c', 0xD6, b'w', b'm', 0x87, b'W', 0x9B, b'U'];
    assert_eq!(bijoy_bytes_to_unicode(&bytes), normalize("প্রেসিডেন্ট"));
    // The same bytes wrongly decoded as Latin-1 (C1 controls) still convert.
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    assert_eq!(bijoy_to_unicode(&latin1), normalize("প্রেসিডেন্ট"));
    // ˆ = 0x88.
    assert_eq!(
        bijoy_bytes_to_unicode(&[0x88, b'e', b'k', b'v', b'L']),
        "বৈশাখ"
    );
}

#[test]
fn reph_at_end_and_ya_phala_with_zwj() {
    assert_eq!(bijoy_to_unicode("m¤úK©"), normalize("সম্পর্ক"));
    assert_eq!(bijoy_to_unicode("i¨ve"), "র\u{200D}\u{09CD}যাব");
    assert_eq!(bijoy_to_unicode("©"), "র্");
}

#[test]
fn detector_on_english_and_mixed_text() {
    let english = [
        "The minister said the government would review the report next week.",
        "Free software licence: see the file COPYING for details.",
        "Dhaka, Aug 1 (Reuters) - Bangladesh's central bank kept its policy rate unchanged.",
        "I have a cat.",
        "version 2.4.1 (2024-05-01)",
        "Click OK to continue, or Cancel to go back.",
    ];
    for e in english {
        assert!(!is_bijoy(e), "false positive on {e:?}");
        assert!(bijoy_runs(e).is_empty(), "false positive run in {e:?}");
    }
    let bijoy = [
        "Avwg evsjvq Mvb MvB",
        "wbe©vPb Kwgkb e„n¯úwZevi bZyb Zdwmj †NvlYv K‡i‡Q|",
        "†cÖwm‡W›U",
        "miKvi",
    ];
    for b in bijoy {
        assert!(is_bijoy(b), "missed {b:?}");
    }
    // Mixed: Unicode Bengali, a Bijoy run, English.
    let mixed = "আজকের খবর: wbe©vPb Kwgkb bZyb Zdwmj †NvlYv K‡i‡Q। Source: BBC News";
    let runs = bijoy_runs(mixed);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(
        &mixed[runs[0].clone()],
        "wbe©vPb Kwgkb bZyb Zdwmj †NvlYv K‡i‡Q"
    );
    assert_eq!(
        convert_bijoy_runs(mixed),
        normalize("আজকের খবর: নির্বাচন কমিশন নতুন তফসিল ঘোষণা করেছে। Source: BBC News")
    );
}
