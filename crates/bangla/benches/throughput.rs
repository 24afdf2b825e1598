//! Throughput of the text engine on a generated ≥ 1 MB Bengali news corpus (made here from
//! the crate's own word lists: no published text is shipped).
//!
//! Run: `cargo bench -p bangla --bench throughput -- --measurement-time 3 --warm-up-time 1`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Newsroom vocabulary (stored form after `normalize`).
const WORDS: &[&str] = &[
    "সরকার",
    "নির্বাচন",
    "কমিশন",
    "প্রধানমন্ত্রী",
    "বাংলাদেশ",
    "ঢাকা",
    "চট্টগ্রাম",
    "রাজশাহী",
    "খুলনা",
    "সিলেট",
    "বরিশাল",
    "রংপুর",
    "ময়মনসিংহ",
    "কুমিল্লা",
    "নারায়ণগঞ্জ",
    "প্রেসিডেন্ট",
    "সম্পর্ক",
    "কর্মকর্তা",
    "বৃহস্পতিবার",
    "শুক্রবার",
    "মঙ্গলবার",
    "আন্তর্জাতিক",
    "উত্তর",
    "কোরিয়ার",
    "সঙ্গে",
    "পুতিনের",
    "চিঠি",
    "বিবিসিকে",
    "বলেন",
    "জানিয়েছেন",
    "করেছেন",
    "হয়েছে",
    "রাষ্ট্রীয়",
    "সংবাদমাধ্যম",
    "স্বাধীনতা",
    "মুক্তিযুদ্ধ",
    "শহীদ",
    "ভাষা",
    "আইন",
    "আদালত",
    "বিচার",
    "মামলা",
    "পুলিশ",
    "গ্রেফতার",
    "অভিযোগ",
    "দুর্ঘটনা",
    "সড়কে",
    "গাড়ি",
    "ট্রাক",
    "ট্রেন",
    "বিমান",
    "বন্দর",
    "নদী",
    "বন্যা",
    "বৃষ্টি",
    "আবহাওয়া",
    "শীত",
    "গরম",
    "খাবার",
    "চাল",
    "ডাল",
    "দাম",
    "বাজার",
    "মাছ",
    "বিদ্যুৎ",
    "গ্যাস",
    "জ্বালানি",
    "তেল",
    "বিশ্ববিদ্যালয়",
    "কলেজ",
    "ছাত্রী",
    "শিক্ষার্থী",
    "পরীক্ষা",
    "ফলাফল",
    "খেলা",
    "ক্রিকেট",
    "ফুটবল",
    "দল",
    "অধিনায়ক",
    "ম্যাচ",
    "জয়",
    "পরাজয়",
    "রাজনীতি",
    "দলের",
    "নেত্রী",
    "আন্দোলন",
    "সমাবেশ",
    "সংসদ",
    "সংবিধান",
    "প্রতিবেদক",
    "সম্পাদক",
    "প্রকাশ",
    "বিষয়ে",
    "তথ্য",
    "প্রযুক্তি",
    "ইন্টারনেট",
    "মোবাইল",
    "ফেসবুক",
    "সমস্যা",
    "সমাধান",
    "উন্নয়ন",
    "প্রকল্পের",
    "বাস্তবায়ন",
    "কর্মসূচি",
    "পরিকল্পনা",
    "গুরুত্ব",
    "অনুষ্ঠান",
    "প্রতিষ্ঠান",
    "সম্মেলন",
    "উপদেষ্টা",
    "রাষ্ট্রপতি",
    "বিরোধী",
    "অংশগ্রহণ",
    "ভোট",
    "প্রার্থী",
    "নিরাপত্তা",
    "বাহিনী",
    "সীমান্ত",
    "শরণার্থী",
    "রোহিঙ্গা",
    "অধিকার",
    "নারী",
    "শিশু",
    "পরিবার",
    "ব্যক্তি",
    "ব্যবস্থা",
    "প্রতিক্রিয়া",
    "ক্ষতিগ্রস্ত",
    "সাহায্য",
    "ত্রাণ",
    "উদ্ধার",
    "অর্থনীতি",
    "ব্যাংক",
    "টাকা",
    "কোটি",
    "লাখ",
    "হাজার",
    "১৫.৫",
    "২০২৫",
    "১৯৭১",
    "৩০",
    "র‍্যাব",
    "তিনি",
    "এবং",
    "কিন্তু",
    "যদি",
    "তবে",
    "আজ",
    "গতকাল",
    "আগামীকাল",
    "একটি",
    "দুই",
    "নতুন",
    "বড়",
    "ছোট",
];

/// Roman words as reporters type them in Avro Phonetic.
const ROMAN: &[&str] = &[
    "ami",
    "banglay",
    "gan",
    "gai",
    "sorkar",
    "nirrbacon",
    "kOmishon",
    "bangladesh",
    "Dhaka",
    "cTTogram",
    "kOriyar",
    "somporrko",
    "rZab",
    "prodhan`montrI",
    "presiDenT",
    "bibisike",
    "bolen",
    "tini",
    "korechen",
    "hoyeche",
    "raShTrIy",
    "songbadmadhZom",
    "swadhInota",
    "muktizuddho",
    "shohId",
    "bhaSha",
    "ain",
    "adalot",
    "bicar",
    "pulish",
    "grefotar",
    "obhizOg",
    "durrghoTona",
    "soRoke",
    "gaRi",
    "bonZa",
    "brriShTi",
    "abohaOya",
    "bajar",
    "bidyut``",
    "shikkharrthI",
    "porIkSha",
    "krikeT",
    "odhinayok",
    "andOlon",
    "songsod",
    "protibedok",
    "prokash",
    "tothZ",
    "prozukti",
    "somosZa",
    "unnoyon",
    "korrmokorrta",
    "nirapotta",
    "sImanto",
    "odhikar",
    "bZokti",
    "kShotigrosto",
    "sahazZo",
    "1971",
    "15.5",
    "2025",
    "$100",
    "shesh.",
    "kintu",
    "zodi",
    "aj",
    "notun",
    "boRo",
    "chOTo",
];

/// Deterministic generator (xorshift64*), so every run benches the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize
    }
}

/// Paragraphs of 3–6 sentences of 6–14 words, "।" or "?" or "," inside, until `min_bytes`.
fn corpus(words: &[&str], min_bytes: usize, dari: &str) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(min_bytes + 4096);
    while out.len() < min_bytes {
        let sentences = 3 + rng.next() % 4;
        for s in 0..sentences {
            let n = 6 + rng.next() % 9;
            for i in 0..n {
                out.push_str(words[rng.next() % words.len()]);
                if i + 1 < n {
                    out.push_str(if rng.next().is_multiple_of(9) {
                        ", "
                    } else {
                        " "
                    });
                }
            }
            out.push_str(if rng.next().is_multiple_of(15) {
                "?"
            } else {
                dari
            });
            if s + 1 < sentences {
                out.push(' ');
            }
        }
        out.push('\n');
    }
    out
}

fn benches(c: &mut Criterion) {
    let text = bangla::normalize(&corpus(WORDS, 1 << 20, "।"));
    assert!(text.len() >= 1 << 20);
    // The same text as it arrives from old tools: precomposed য় ড় ঢ়.
    let dirty = text
        .replace("য\u{09BC}", "\u{09DF}")
        .replace("ড\u{09BC}", "\u{09DC}");
    let roman = corpus(ROMAN, 1 << 20, ".");
    let bijoy = bangla::unicode_to_bijoy(&text);
    assert_eq!(bangla::bijoy_to_unicode(&bijoy), text);

    let mut g = c.benchmark_group("bangla");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalize/stored", |b| {
        b.iter(|| bangla::normalize(black_box(&text)))
    });
    g.throughput(Throughput::Bytes(dirty.len() as u64));
    g.bench_function("normalize/precomposed", |b| {
        b.iter(|| bangla::normalize(black_box(&dirty)))
    });
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("search_key", |b| {
        b.iter(|| bangla::search_key(black_box(&text)))
    });
    g.bench_function("counts", |b| {
        b.iter(|| bangla::Counts::of(black_box(&text)))
    });
    g.bench_function("unicode_to_bijoy", |b| {
        b.iter(|| bangla::unicode_to_bijoy(black_box(&text)))
    });
    g.throughput(Throughput::Bytes(bijoy.len() as u64));
    g.bench_function("bijoy_to_unicode", |b| {
        b.iter(|| bangla::bijoy_to_unicode(black_box(&bijoy)))
    });
    g.throughput(Throughput::Bytes(roman.len() as u64));
    g.bench_function("phonetic", |b| {
        b.iter(|| bangla::phonetic(black_box(&roman)))
    });
    g.finish();
}

criterion_group!(throughput, benches);
criterion_main!(throughput);
