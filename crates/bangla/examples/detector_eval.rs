//! Measures the Bijoy detector: false positives on English text files given as arguments
//! (one sample per line of at least three words), false negatives on Bijoy made by encoding
//! generated Bengali sentences, per sentence and per single word.
//!
//! Run: `cargo run --release -p bangla --example detector_eval -- FILE…`

use std::io::Read;

const WORDS: &[&str] = &[
    "সরকার",
    "নির্বাচন",
    "কমিশন",
    "প্রধানমন্ত্রী",
    "বাংলাদেশ",
    "ঢাকা",
    "চট্টগ্রাম",
    "সম্পর্ক",
    "কর্মকর্তা",
    "বৃহস্পতিবার",
    "আন্তর্জাতিক",
    "উত্তর",
    "কোরিয়ার",
    "সঙ্গে",
    "চিঠি",
    "বলেন",
    "জানিয়েছেন",
    "করেছেন",
    "হয়েছে",
    "রাষ্ট্রীয়",
    "স্বাধীনতা",
    "ভাষা",
    "আইন",
    "আদালত",
    "মামলা",
    "পুলিশ",
    "দুর্ঘটনা",
    "সড়কে",
    "গাড়ি",
    "ট্রাক",
    "বন্যা",
    "বৃষ্টি",
    "খাবার",
    "চাল",
    "দাম",
    "বাজার",
    "বিদ্যুৎ",
    "গ্যাস",
    "শিক্ষার্থী",
    "পরীক্ষা",
    "ক্রিকেট",
    "দল",
    "ভোট",
    "প্রার্থী",
    "নিরাপত্তা",
    "সীমান্ত",
    "নারী",
    "শিশু",
    "ব্যবস্থা",
    "ত্রাণ",
    "অর্থনীতি",
    "টাকা",
    "কোটি",
    "তিনি",
    "এবং",
    "কিন্তু",
    "আজ",
    "একটি",
    "দুই",
    "নতুন",
    "বড়",
    "ছোট",
    "আমি",
    "গান",
    "মা",
];

fn main() {
    let mut english_samples = Vec::new();
    for path in std::env::args().skip(1) {
        let mut s = String::new();
        let Ok(mut f) = std::fs::File::open(&path) else {
            eprintln!("skip {path}");
            continue;
        };
        if f.read_to_string(&mut s).is_err() {
            continue;
        }
        for line in s.lines() {
            let line = line.trim();
            if line.split_whitespace().count() >= 3 && line.is_ascii() {
                english_samples.push(line.to_owned());
            }
        }
    }
    let fp = english_samples
        .iter()
        .filter(|l| bangla::is_bijoy(l))
        .count();
    println!(
        "English lines: {} samples, {} flagged as Bijoy: false-positive rate {:.3}%",
        english_samples.len(),
        fp,
        100.0 * fp as f64 / english_samples.len().max(1) as f64
    );
    for l in english_samples
        .iter()
        .filter(|l| bangla::is_bijoy(l))
        .take(10)
    {
        println!("  FP: {l}");
    }

    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let mut sentences = 0;
    let mut missed = 0;
    for _ in 0..5000 {
        let n = 3 + next() % 10;
        let s: Vec<&str> = (0..n).map(|_| WORDS[next() % WORDS.len()]).collect();
        let b = bangla::unicode_to_bijoy(&(s.join(" ") + "।"));
        sentences += 1;
        if !bangla::is_bijoy(&b) {
            missed += 1;
            if missed <= 5 {
                println!("  FN sentence: {b}");
            }
        }
    }
    println!(
        "Bijoy sentences (3–12 words): {sentences} samples, {missed} missed: false-negative rate {:.3}%",
        100.0 * missed as f64 / sentences as f64
    );
    let mut missed_words = Vec::new();
    for w in WORDS {
        let b = bangla::unicode_to_bijoy(w);
        if !bangla::is_bijoy(&b) {
            missed_words.push(b);
        }
    }
    println!(
        "Single Bijoy words: {} samples, {} missed: false-negative rate {:.1}% (missed: {})",
        WORDS.len(),
        missed_words.len(),
        100.0 * missed_words.len() as f64 / WORDS.len() as f64,
        missed_words.join(" ")
    );
}
