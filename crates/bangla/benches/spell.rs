//! Spelling speed: a 10,000-word article checked (every word judged, suggestions for the
//! flagged ones) with the installed sources (hunspell-bn and the lexicon directory). The
//! article is made here from the crate's own test set (`tests/data/spell-set/`): its
//! correct sentences' words, each also with the particles ই and ও (so the morphology
//! works), and one word in fifty a misspelling from the set. Skipped with a note when no
//! word list is installed.
//!
//! Run: `cargo bench -p bangla --bench spell -- --measurement-time 5 --warm-up-time 1`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use unicode_segmentation::UnicodeSegmentation;

fn article(words: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spell-set");
    let correct = std::fs::read_to_string(dir.join("correct.txt")).unwrap_or_default();
    let typos = std::fs::read_to_string(dir.join("misspellings.tsv")).unwrap_or_default();
    let mut pool: Vec<String> = Vec::new();
    for w in correct
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.unicode_words())
    {
        pool.push(w.to_string());
        pool.push(format!("{w}ই"));
        pool.push(format!("{w}ও"));
    }
    let bad: Vec<&str> = typos
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    if pool.is_empty() || bad.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..words {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = if i % 50 == 49 {
            bad[(x as usize) % bad.len()]
        } else {
            pool[(x as usize) % pool.len()].as_str()
        };
        out.push_str(w);
        out.push(if i % 12 == 11 { '।' } else { ' ' });
        if i % 12 == 11 {
            out.push(' ');
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let Ok(checker) = bangla::SpellChecker::system() else {
        eprintln!("no word list installed: spelling bench skipped");
        return;
    };
    let text = article(10_000);
    assert_eq!(text.unicode_words().count(), 10_000);
    let flagged = checker.misspellings(&text).len();
    eprintln!(
        "{} words in the checker; {flagged} findings in the 10,000-word article",
        checker.len()
    );
    c.bench_function("spell_10000_word_article", |b| {
        b.iter(|| checker.misspellings(black_box(&text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
