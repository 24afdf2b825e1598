//! The store's latency budgets on a generated Bengali corpus (made-up vocabulary: no
//! published text). Prints p50/p95 figures for the budgets, the import rate, the
//! database size per article and a full-scan comparison (`grep -c` and an in-process substring
//! count over the same text), then runs criterion on the same operations.
//!
//! The corpus database is built once and kept for later runs in
//! `$BARTA_BENCH_DIR` (default: the system temp dir), in a folder named after the article
//! count, the generator version and the schema version; its import figures are kept beside it.
//! Runs only add a few articles and revisions to it.
//!
//! Run: `BARTA_BENCH_ARTICLES=100000 cargo bench -p barta-store --bench store --
//!       --warm-up-time 1 --measurement-time 3`
//!
//! `BARTA_BENCH_ENCRYPTED=1` measures the same on an encrypted store (SQLCipher under a
//! password-wrapped key, as the laptop keeps it), in its own corpus folder; the time to
//! unlock the key with the password is printed too.

use barta_model::{ArticleId, ArticleMeta, Document};
use barta_store::{ListFilter, SCHEMA_VERSION, SearchQuery, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::collections::HashSet;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Bump when the generated corpus changes, so a kept corpus of the old kind is not reused.
const GENERATOR: u32 = 2;
const VOCABULARY: usize = 20_000;

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
    /// The vocabulary ranks used by the article being generated.
    used: HashSet<usize>,
}

impl Corpus {
    fn new(seed: u64) -> Self {
        // The vocabulary is the same for every seed; `seed` only varies the texts.
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut vocabulary = Vec::with_capacity(VOCABULARY);
        let mut seen = HashSet::new();
        while vocabulary.len() < VOCABULARY {
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
        Self {
            vocabulary,
            rng: Rng(seed),
            used: HashSet::new(),
        }
    }

    /// A word by a Zipf-like skew: low ranks are common.
    fn word(&mut self) -> String {
        let rank = ((self.vocabulary.len() as f64 * self.rng.unit().powi(3)) as usize)
            .min(self.vocabulary.len() - 1);
        self.used.insert(rank);
        let suffix = SUFFIXES[self.rng.below(SUFFIXES.len())];
        format!("{}{suffix}", self.vocabulary[rank])
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentiles(name: &str, mut samples: Vec<Duration>, report: &mut Vec<String>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let line = format!(
        "{name}: n={} p50={:.3} ms p95={:.3} ms max={:.3} ms mean={:.3} ms",
        samples.len(),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(*samples.last().unwrap()),
        ms(mean)
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
    store: Store,
    /// Generates new text for the timed edits (not the corpus's own stream).
    corpus: Corpus,
    ids: Vec<ArticleId>,
    /// How many corpus articles use each vocabulary rank.
    doc_freq: Vec<u32>,
    text_file: PathBuf,
    db_file: PathBuf,
    report: Vec<String>,
}

fn corpus_dir(n: usize) -> PathBuf {
    let base = std::env::var_os("BARTA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let encrypted = if encrypted() { "-encrypted" } else { "" };
    base.join(format!(
        "barta-store-bench-n{n}-g{GENERATOR}-s{SCHEMA_VERSION}{encrypted}"
    ))
}

/// Whether this run measures an encrypted store (`BARTA_BENCH_ENCRYPTED=1`).
fn encrypted() -> bool {
    std::env::var("BARTA_BENCH_ENCRYPTED").is_ok_and(|v| v == "1")
}

/// The benchmark store's password (the corpus is made-up text).
const BENCH_PASSWORD: &str = "bench-পাসওয়ার্ড";

/// The data key of an encrypted corpus in `dir` (made with it when `create`), unlocked once
/// per run and kept.
fn bench_key(dir: &Path, create: bool) -> Option<&'static barta_store::vault::DataKey> {
    static KEY: std::sync::OnceLock<barta_store::vault::DataKey> = std::sync::OnceLock::new();
    if !encrypted() {
        return None;
    }
    Some(KEY.get_or_init(|| {
        if create {
            barta_store::vault::create(dir, BENCH_PASSWORD).unwrap()
        } else {
            let started = Instant::now();
            let key = barta_store::vault::unlock(dir, BENCH_PASSWORD).unwrap();
            println!(
                "unlocking the store's key with the password (Argon2id 64 MiB, 3 passes): {:.0} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            key
        }
    }))
}

/// Opens the benchmark database, encrypted when the run is.
fn open_store(dir: &Path, create: bool) -> Store {
    let path = dir.join("bench.db");
    match bench_key(dir, create) {
        Some(key) => Store::open_encrypted(&path, key).unwrap(),
        None => Store::open(&path).unwrap(),
    }
}

/// Imports `n` generated articles into a new database in `dir`, writing the plain text, the
/// ids, the vocabulary's document frequencies and the import figures beside it.
fn build_corpus(n: usize, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut store = open_store(dir, true);
    let mut corpus = Corpus::new(0x2545_F491_4F6C_DD1D);
    let mut doc_freq = vec![0u32; VOCABULARY];
    let mut ids = Vec::with_capacity(n);
    let mut text_out =
        std::io::BufWriter::new(std::fs::File::create(dir.join("corpus.txt")).unwrap());
    let mut import_time = Duration::ZERO;
    let mut generated = 0;
    while generated < n {
        let mut batch = Vec::new();
        for i in generated..(generated + 1000).min(n) {
            corpus.used.clear();
            batch.push(corpus.ninjs(i));
            for &rank in &corpus.used {
                doc_freq[rank] += 1;
            }
        }
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
    let stats = store.stats().unwrap();
    let db_bytes = (stats.bytes - stats.free_bytes) as f64;
    let wal_bytes = std::fs::metadata(dir.join("bench.db-wal")).map_or(0, |m| m.len());
    let text_bytes = std::fs::metadata(dir.join("corpus.txt")).unwrap().len();
    let built = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let figures = [
        format!(
            "import (ninjs parse + article + revision + outbox + search index), {n} articles of 300–1,500 words, built {built}: {:.1} s, {rate:.0} articles/s",
            import_time.as_secs_f64()
        ),
        format!(
            "database size after import (used pages; the WAL file of {:.0} MB not counted): {:.1} MB, {:.1} KB per article (its plain text: {:.1} KB per article)",
            wal_bytes as f64 / 1e6,
            db_bytes / 1e6,
            db_bytes / n as f64 / 1e3,
            text_bytes as f64 / n as f64 / 1e3
        ),
    ];
    drop(store);
    let lines = |v: Vec<String>| v.join("\n") + "\n";
    std::fs::write(dir.join("figures.txt"), lines(figures.to_vec())).unwrap();
    std::fs::write(
        dir.join("ids.txt"),
        lines(ids.iter().map(ToString::to_string).collect()),
    )
    .unwrap();
    std::fs::write(
        dir.join("doc_freq.txt"),
        lines(doc_freq.iter().map(ToString::to_string).collect()),
    )
    .unwrap();
    // Written last: a corpus without it was interrupted and is built again.
    std::fs::write(dir.join("complete"), "").unwrap();
}

fn open_corpus(n: usize) -> Setup {
    let dir = corpus_dir(n);
    if dir.join("complete").exists() {
        eprintln!("reusing the corpus in {}", dir.display());
    } else {
        eprintln!("building a corpus of {n} articles in {}", dir.display());
        build_corpus(n, &dir);
    }
    let read_lines = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let mut report = read_lines("figures.txt");
    let ids = read_lines("ids.txt")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let doc_freq = read_lines("doc_freq.txt")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let store = open_store(&dir, false);
    let stats = store.stats().unwrap();
    let wal_bytes = std::fs::metadata(dir.join("bench.db-wal")).map_or(0, |m| m.len());
    report.push(format!(
        "database now: {:.1} MB used in {} articles and {} revisions, WAL file {:.0} MB",
        (stats.bytes - stats.free_bytes) as f64 / 1e6,
        stats.articles,
        stats.revisions,
        wal_bytes as f64 / 1e6
    ));
    for line in &report {
        eprintln!("{line}");
    }
    // A new text stream for each run, so repeated runs do not edit the same way.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    Setup {
        store,
        corpus: Corpus::new(seed),
        ids,
        doc_freq,
        text_file: dir.join("corpus.txt"),
        db_file: dir.join("bench.db"),
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

/// Typing into a long article: one word added to one paragraph.
fn type_a_word(corpus: &mut Corpus, body: &mut Document, step: usize) {
    let at = (step * 37) % body.content.len();
    let block = &mut body.content[at];
    let text = block.content.as_mut().unwrap()[0].text.as_mut().unwrap();
    text.push(' ');
    text.push_str(&corpus.word());
}

fn describe_frequencies(s: &Setup, words: &[String], what: &str) -> String {
    let rank = |w: &String| s.corpus.vocabulary.iter().position(|v| v == w).unwrap();
    let mut df: Vec<u32> = words.iter().map(|w| s.doc_freq[rank(w)]).collect();
    df.sort_unstable();
    let n = s.ids.len() as f64;
    let pct = |v: u32| v as f64 * 100.0 / n;
    format!(
        "{what}: each word (uninflected) is in {:.2}%–{:.1}% of the articles, median {:.1}%, 95th percentile {:.1}%",
        pct(df[0]),
        pct(df[df.len() - 1]),
        pct(df[df.len() / 2]),
        pct(df[(df.len() * 95 / 100).min(df.len() - 1)])
    )
}

fn budgets(s: &mut Setup) {
    // The floor every durable write pays here: a one-row commit (WAL, synchronous=FULL).
    let samples = (0..200)
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

    // Working-copy upsert of a 10,000-word article, as typing saves it: each save has one
    // more word in one paragraph.
    let big = s.store.create_article("national", "bench").unwrap();
    let mut body = s.corpus.body(10_000);
    s.store
        .save_working_copy(big, meta("বড় লেখা"), body.clone())
        .unwrap();
    let samples = (0..400)
        .map(|i| {
            type_a_word(&mut s.corpus, &mut body, i);
            let body = body.clone();
            time(|| {
                s.store
                    .save_working_copy(big, meta("বড় লেখা"), body)
                    .unwrap()
            })
            .1
        })
        .collect();
    percentiles(
        "working-copy upsert, 10,000-word article, one word typed between saves",
        samples,
        &mut s.report,
    );
    // The first save after the store is opened: nothing is remembered of the last save, so
    // every block is normalized and compared with what is stored.
    let samples = (0..20)
        .map(|i| {
            s.store = match bench_key(s.db_file.parent().unwrap(), false) {
                Some(key) => Store::open_encrypted(&s.db_file, key).unwrap(),
                None => Store::open(&s.db_file).unwrap(),
            };
            type_a_word(&mut s.corpus, &mut body, 400 + i);
            let body = body.clone();
            time(|| {
                s.store
                    .save_working_copy(big, meta("বড় লেখা"), body)
                    .unwrap()
            })
            .1
        })
        .collect();
    percentiles(
        "working-copy upsert, 10,000-word article, first save after the store is opened",
        samples,
        &mut s.report,
    );
    // The worst case: every paragraph differs from the last save (a whole new text pasted).
    let bodies: Vec<Document> = (0..2).map(|_| s.corpus.body(10_000)).collect();
    let samples = (0..60)
        .map(|i| {
            let body = bodies[i % 2].clone();
            time(|| {
                s.store
                    .save_working_copy(big, meta("বড় লেখা"), body)
                    .unwrap()
            })
            .1
        })
        .collect();
    percentiles(
        "working-copy upsert, 10,000-word article, every paragraph replaced",
        samples,
        &mut s.report,
    );

    // Saving a revision of a corpus article (300–1,500 words) after an edit.
    let mut samples = Vec::new();
    for i in 0..200 {
        let id = s.ids[(i * 7919 + 1) % s.ids.len()];
        let draft = s.store.load_article(id).unwrap();
        let mut body = draft.body.clone();
        type_a_word(&mut s.corpus, &mut body, i);
        s.store.save_working_copy(id, draft.meta, body).unwrap();
        samples.push(time(|| s.store.save_point(id, "bench").unwrap().unwrap()).1);
    }
    percentiles(
        "save point (revision + outbox in one transaction), corpus article after an edit",
        samples,
        &mut s.report,
    );
    s.store.refresh_search().unwrap();

    let words = query_words(&s.corpus, 200);
    let line = describe_frequencies(s, &words, "one-word queries");
    eprintln!("{line}");
    s.report.push(line);
    let line = cache_residency(&s.db_file);
    eprintln!("{line}");
    s.report.push(line);
    for (i, pass) in [
        "first pass: each word searched for the first time since the store was opened",
        "second pass: the same words again",
    ]
    .into_iter()
    .enumerate()
    {
        let samples: Vec<Duration> = words
            .iter()
            .map(|w| time(|| black_box(s.store.search(&SearchQuery::text(w)).unwrap())).1)
            .collect();
        percentiles(
            &format!(
                "one-word search (200 words across the frequency range, top 20 with snippets), {pass}"
            ),
            samples.clone(),
            &mut s.report,
        );
        if i == 0 {
            // The same samples by how common the word is.
            let share = |w: &String| {
                let rank = s.corpus.vocabulary.iter().position(|v| v == w).unwrap();
                s.doc_freq[rank] as f64 * 100.0 / s.ids.len() as f64
            };
            for (low, high) in [(0.0, 2.5), (2.5, 5.0), (5.0, 10.0), (10.0, 100.0)] {
                let band: Vec<Duration> = words
                    .iter()
                    .zip(&samples)
                    .filter(|(w, _)| (low..high).contains(&share(w)))
                    .map(|(_, d)| *d)
                    .collect();
                if !band.is_empty() {
                    percentiles(
                        &format!("  of which words in {low}–{high}% of the articles (first pass)"),
                        band,
                        &mut s.report,
                    );
                }
            }
        }
    }
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
    let line = describe_frequencies(s, &common, "the 10 most frequent words");
    eprintln!("{line}");
    s.report.push(line);
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
    percentiles(
        "three-word search (the same words, three at a time)",
        samples,
        &mut s.report,
    );

    let samples = DESKS
        .iter()
        .cycle()
        .take(200)
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
    let text = std::fs::read_to_string(&s.text_file).unwrap();
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
        scan.push(time(|| black_box(text.matches(w.as_str()).count())).1);
        fts.push(time(|| black_box(s.store.search(&SearchQuery::text(w)).unwrap())).1);
    }
    let mean = |v: &[Duration]| ms(v.iter().sum::<Duration>()) / v.len() as f64;
    let (g, sc, f) = (mean(&grep), mean(&scan), mean(&fts));
    let line = format!(
        "full scan of the same {:.0} MB text, mean of 10 words: grep -c {g:.1} ms, in-process substring count {sc:.1} ms; indexed search {f:.2} ms → {:.0}× faster than grep, {:.0}× faster than the in-process scan",
        text.len() as f64 / 1e6,
        g / f,
        sc / f
    );
    eprintln!("{line}");
    s.report.push(line);
}

/// How much of the database file is in the OS page cache (`fincore`, when installed).
fn cache_residency(db: &Path) -> String {
    let out = std::process::Command::new("fincore")
        .args(["--bytes", "--noheadings", "--output", "RES,SIZE"])
        .arg(db)
        .output();
    let numbers: Vec<f64> = out
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [res, size] => format!(
            "database file in the OS page cache before the searches: {:.0} of {:.0} MB ({:.0}%)",
            res / 1e6,
            size / 1e6,
            res * 100.0 / size
        ),
        _ => "database file in the OS page cache: unknown (no fincore)".into(),
    }
}

fn write_report(s: &Setup, n: usize) {
    let path = std::env::temp_dir().join("barta-store-bench-figures.txt");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut text = format!("corpus: {n} articles; load average at the end: {load}");
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
    let mut s = open_corpus(n);
    budgets(&mut s);
    write_report(&s, n);

    let words = query_words(&s.corpus, 200);
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
    let mut body = s.corpus.body(10_000);
    let mut step = 0;
    // Only the store call is timed; the edit before it is not.
    c.bench_function("working-copy upsert 10k words, one word typed", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                step += 1;
                type_a_word(&mut s.corpus, &mut body, step);
                let body = body.clone();
                total += time(|| {
                    s.store
                        .save_working_copy(big, meta("বড় লেখা"), body)
                        .unwrap()
                })
                .1;
            }
            total
        })
    });
    let mut k = 0;
    c.bench_function("save point after an edit", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                k += 1;
                let id = s.ids[(k * 104_729 + 3) % s.ids.len()];
                let draft = s.store.load_article(id).unwrap();
                let mut body = draft.body;
                type_a_word(&mut s.corpus, &mut body, k);
                s.store.save_working_copy(id, draft.meta, body).unwrap();
                total += time(|| s.store.save_point(id, "bench").unwrap()).1;
            }
            total
        })
    });
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
