//! The store's latency budgets on a generated Bengali corpus (built once per run, from a
//! made-up vocabulary: no published text). Prints p50/p95 figures for the budgets,
//! the import rate, the database size per article and a full-scan comparison (`grep -c` and
//! an in-process substring count over the same text), then runs criterion on the same
//! operations.
//!
//! Run: `BARTA_BENCH_ARTICLES=10000 cargo bench -p barta-store --bench store --
//!       --warm-up-time 1 --measurement-time 3`

use barta_model::{ArticleId, ArticleMeta, Document};
use barta_store::{ListFilter, SearchQuery, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const DESKS: &[&str] = &[
    "national",
    "international",
    "economy",
    "sports",
    "culture",
    "technology",
    "health",
    "education",
];
const CONSONANTS: &[&str] = &[
    "ক",
    "খ",
    "গ",
    "চ",
    "জ",
    "ট",
    "ড",
    "ত",
    "থ",
    "দ",
    "ন",
    "প",
    "ব",
    "ভ",
    "ম",
    "র",
    "ল",
    "স",
    "হ",
    "শ",
    "ষ",
    "য়",
    "ড়",
    "ক্ষ",
    "ন্ত",
    "স্ত",
    "প্র",
    "ত্র",
    "ন্দ",
];
const VOWELS: &[&str] = &["", "া", "ি", "ী", "ু", "ে", "ো", "ৈ", "ূ"];
const SUFFIXES: &[&str] = &["", "", "", "র", "কে", "তে", "ের", "রা", "টি", "গুলো"];

/// xorshift64*: deterministic, so every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Corpus {
    vocabulary: Vec<String>,
    rng: Rng,
}

impl Corpus {
    fn new(size: usize) -> Self {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut vocabulary = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        while vocabulary.len() < size {
            let syllables = 2 + rng.below(3);
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(CONSONANTS[rng.below(CONSONANTS.len())]);
                w.push_str(VOWELS[rng.below(VOWELS.len())]);
            }
            let w = bangla::normalize(&w);
            if seen.insert(w.clone()) {
                vocabulary.push(w);
            }
        }
        Self { vocabulary, rng }
    }

    /// A word by a Zipf-like skew: low ranks are common.
    fn word(&mut self) -> String {
        let rank = (self.vocabulary.len() as f64 * self.rng.unit().powi(3)) as usize;
        let suffix = SUFFIXES[self.rng.below(SUFFIXES.len())];
        format!(
            "{}{suffix}",
            self.vocabulary[rank.min(self.vocabulary.len() - 1)]
        )
    }

    fn words(&mut self, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.word());
            if self.rng.below(12) == 0 {
                out.push('।');
            }
        }
        out
    }

    fn body(&mut self, words: usize) -> Document {
        let mut blocks = Vec::new();
        let mut left = words;
        while left > 0 {
            let n = left.min(40 + self.rng.below(60));
            blocks.push(self.words(n));
            left -= n;
        }
        let ids: Vec<String> = (0..blocks.len()).map(|i| format!("p{i}")).collect();
        Document::from_paragraphs(
            ids.iter()
                .map(String::as_str)
                .zip(blocks.iter().map(String::as_str)),
        )
    }

    fn ninjs(&mut self, i: usize) -> serde_json::Value {
        let words = 300 + self.rng.below(1201);
        let body = self.body(words);
        let headline_words = 5 + self.rng.below(4);
        let headline = self.words(headline_words);
        let desk = DESKS[i % DESKS.len()];
        json!({
            "type": "text", "language": "bn",
            "headlines": [{"role": "main", "value": headline}],
            "subjects": [{"name": desk, "uri": format!("urn:barta:desk:{desk}")}],
            "bodies": [{"role": "barta", "contenttype": "application/vnd.barta.document+json",
                        "value": serde_json::to_string(&body).unwrap()}]
        })
    }
}

fn percentiles(name: &str, mut samples: Vec<Duration>, report: &mut Vec<String>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    let line = format!(
        "{name}: n={} p50={:.3} ms p95={:.3} ms max={:.3} ms",
        samples.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );
    eprintln!("{line}");
    report.push(line);
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

struct Setup {
    _dir: tempfile::TempDir,
    store: Store,
    corpus: Corpus,
    ids: Vec<ArticleId>,
    text_file: PathBuf,
    text: String,
    report: Vec<String>,
}

fn build(n: usize) -> Setup {
    let dir =
        tempfile::tempdir_in(std::env::var("BARTA_BENCH_DIR").unwrap_or_else(|_| "/tmp".into()))
            .unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    let mut corpus = Corpus::new(20_000);
    let mut report = Vec::new();
    let mut ids = Vec::with_capacity(n);
    let text_file = dir.path().join("corpus.txt");
    let mut text_out = std::io::BufWriter::new(std::fs::File::create(&text_file).unwrap());
    let mut import_time = Duration::ZERO;
    let mut generated = 0;
    while generated < n {
        let batch: Vec<_> = (generated..(generated + 1000).min(n))
            .map(|i| corpus.ninjs(i))
            .collect();
        for item in &batch {
            let doc: Document =
                serde_json::from_str(item["bodies"][0]["value"].as_str().unwrap()).unwrap();
            writeln!(
                text_out,
                "{}\n{}",
                item["headlines"][0]["value"].as_str().unwrap(),
                doc.plain_text()
            )
            .unwrap();
        }
        let (result, took) = time(|| {
            let r = store.import_ninjs(&batch, "national", "bench").unwrap();
            store.refresh_search().unwrap();
            r
        });
        import_time += took;
        ids.extend(result.imported);
        generated += batch.len();
        if generated % 10_000 == 0 {
            eprintln!("imported {generated} in {:.1} s", import_time.as_secs_f64());
        }
    }
    text_out.flush().unwrap();
    drop(text_out);
    let rate = n as f64 / import_time.as_secs_f64();
    report.push(format!(
        "import (ninjs parse + article + revision + outbox + search index), {n} articles of 300–1,500 words: {:.1} s, {rate:.0} articles/s",
        import_time.as_secs_f64()
    ));
    let stats = store.stats().unwrap();
    let db_bytes = (stats.bytes - stats.free_bytes) as f64;
    let wal_bytes = std::fs::metadata(dir.path().join("bench.db-wal")).map_or(0, |m| m.len());
    let text_bytes = std::fs::metadata(&text_file).unwrap().len();
    report.push(format!(
        "database size (used pages, WAL file of {:.0} MB not counted): {:.1} MB, {:.1} KB per article (its plain text: {:.1} KB per article; each article is stored as working copy + first revision + search keys + display text + index)",
        wal_bytes as f64 / 1e6,
        db_bytes / 1e6,
        db_bytes / n as f64 / 1e3,
        text_bytes as f64 / n as f64 / 1e3
    ));
    for line in &report {
        eprintln!("{line}");
    }
    let text = std::fs::read_to_string(&text_file).unwrap();
    Setup {
        _dir: dir,
        store,
        corpus,
        ids,
        text_file,
        text,
        report,
    }
}

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

/// Query words across the frequency range (ranks spread over the vocabulary).
fn query_words(corpus: &Corpus, count: usize) -> Vec<String> {
    let v = &corpus.vocabulary;
    (0..count)
        .map(|i| v[(i * 7919 + 13) % v.len()].clone())
        .collect()
}

fn budgets(s: &mut Setup) {
    // The floor every durable write pays here: a one-row commit (WAL, synchronous=FULL).
    let samples = (0..60)
        .map(|i| {
            let v = i.to_string();
            time(|| s.store.set_setting("bench", Some(&v)).unwrap()).1
        })
        .collect();
    percentiles(
        "one-row commit (the fsync floor of this disk)",
        samples,
        &mut s.report,
    );

    // Working-copy upsert of a 10,000-word article.
    let big = s.store.create_article("national", "bench").unwrap();
    let bodies: Vec<Document> = (0..2).map(|_| s.corpus.body(10_000)).collect();
    let samples = (0..60)
        .map(|i| {
            time(|| {
                s.store
                    .save_working_copy(big, meta("বড় লেখা"), bodies[i % 2].clone())
                    .unwrap()
            })
            .1
        })
        .collect();
    percentiles(
        "working-copy upsert, 10,000-word article",
        samples,
        &mut s.report,
    );

    // Saving a revision of a typical (~900-word) article after an edit.
    let mut samples = Vec::new();
    for i in 0..100 {
        let id = s.ids[i * 7 % s.ids.len()];
        let draft = s.store.load_article(id).unwrap();
        let mut body = draft.body.clone();
        body.content.push(barta_model::Block::paragraph(
            &format!("new{i}"),
            "নতুন অনুচ্ছেদ",
        ));
        s.store.save_working_copy(id, draft.meta, body).unwrap();
        samples.push(time(|| s.store.save_point(id, "bench").unwrap()).1);
    }
    percentiles(
        "save point (revision + outbox), ~900-word article",
        samples,
        &mut s.report,
    );
    s.store.refresh_search().unwrap();

    let words = query_words(&s.corpus, 60);
    let samples = words
        .iter()
        .map(|w| time(|| black_box(s.store.search(&SearchQuery::text(w)).unwrap())).1)
        .collect();
    percentiles(
        "one-word search (60 words across the frequency range, top 20 with snippets)",
        samples,
        &mut s.report,
    );
    let samples = words
        .iter()
        .map(|w| {
            let q = SearchQuery {
                limit: 1,
                ..SearchQuery::text(w)
            };
            time(|| black_box(s.store.search(&q).unwrap())).1
        })
        .collect();
    percentiles(
        "one-word search, top 1 only (ranking cost without 19 snippets)",
        samples,
        &mut s.report,
    );
    let common: Vec<String> = s.corpus.vocabulary[..10].to_vec();
    let samples = common
        .iter()
        .map(|w| time(|| black_box(s.store.search(&SearchQuery::text(w)).unwrap())).1)
        .collect();
    percentiles(
        "one-word search, the 10 most frequent words (worst case)",
        samples,
        &mut s.report,
    );
    let samples = words
        .chunks(3)
        .map(|c| {
            let q = c.join(" ");
            time(|| black_box(s.store.search(&SearchQuery::text(&q)).unwrap())).1
        })
        .collect();
    percentiles("three-word search", samples, &mut s.report);

    let samples = DESKS
        .iter()
        .cycle()
        .take(80)
        .map(|d| {
            let filter = ListFilter {
                desks: vec![d.to_string()],
                ..Default::default()
            };
            time(|| black_box(s.store.newest(&filter, Some(100)).unwrap())).1
        })
        .collect();
    percentiles("100 newest of a desk", samples, &mut s.report);

    // Full scan of the same text, for comparison with the index.
    let probe = &words[..10];
    let mut grep = Vec::new();
    let mut scan = Vec::new();
    let mut fts = Vec::new();
    for w in probe {
        grep.push(
            time(|| {
                std::process::Command::new("grep")
                    .args(["-c", w])
                    .arg(&s.text_file)
                    .output()
                    .unwrap()
            })
            .1,
        );
        scan.push(time(|| black_box(s.text.matches(w.as_str()).count())).1);
        fts.push(time(|| black_box(s.store.search(&SearchQuery::text(w)).unwrap())).1);
    }
    let mean = |v: &[Duration]| v.iter().sum::<Duration>().as_secs_f64() / v.len() as f64 * 1e3;
    let (g, sc, f) = (mean(&grep), mean(&scan), mean(&fts));
    let line = format!(
        "full scan of the same {:.0} MB text, mean of 10 words: grep -c {g:.1} ms, in-process substring count {sc:.1} ms; indexed search {f:.2} ms → {:.0}× faster than grep, {:.0}× faster than the in-process scan",
        s.text.len() as f64 / 1e6,
        g / f,
        sc / f
    );
    eprintln!("{line}");
    s.report.push(line);
}

fn write_report(s: &Setup, n: usize) {
    let path = std::env::temp_dir().join("barta-store-bench-figures.txt");
    let mut text = format!("corpus: {n} articles\n");
    for line in &s.report {
        text.push_str(line);
        text.push('\n');
    }
    let _ = std::fs::write(path, text);
}

fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("BARTA_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut s = build(n);
    budgets(&mut s);
    write_report(&s, n);

    let words = query_words(&s.corpus, 30);
    let mut i = 0;
    c.bench_function("search one word", |b| {
        b.iter(|| {
            i += 1;
            black_box(
                s.store
                    .search(&SearchQuery::text(&words[i % words.len()]))
                    .unwrap(),
            )
        })
    });
    c.bench_function("search three words", |b| {
        b.iter(|| {
            i += 1;
            let q = format!(
                "{} {} {}",
                words[i % words.len()],
                words[(i + 1) % words.len()],
                words[(i + 2) % words.len()]
            );
            black_box(s.store.search(&SearchQuery::text(&q)).unwrap())
        })
    });
    let filter = ListFilter {
        desks: vec!["economy".into()],
        ..Default::default()
    };
    c.bench_function("100 newest of a desk", |b| {
        b.iter(|| black_box(s.store.newest(&filter, Some(100)).unwrap()))
    });
    let big = s.store.create_article("national", "bench").unwrap();
    let body = s.corpus.body(10_000);
    c.bench_function("working-copy upsert 10k words", |b| {
        b.iter(|| {
            s.store
                .save_working_copy(big, meta("বড় লেখা"), body.clone())
                .unwrap()
        })
    });
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
