//! Spelling quality on Barta's own test set (`tests/data/spell-set/`): false-flag rate on
//! correct sentences, catch rate and top-1/top-5 suggestion accuracy on misspellings, for
//! our checker and for the Debian `hunspell` binary with the same hunspell-bn list in the
//! same run; plus the false-flag rate on `../shared/reference/article-sample.txt` when
//! present (read from there, never copied).
//!
//! Run: `cargo run -p bangla --example spell_quality --release [-- --verbose]`

use bangla::SpellChecker;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

struct Figures {
    words: usize,
    flagged: usize,
    typos: usize,
    caught: usize,
    top1: usize,
    top5: usize,
}

fn words_of(text: &str) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.unicode_words().map(bangla::normalize).collect::<Vec<_>>())
        .filter(|w| {
            w.chars().any(|c| ('\u{0985}'..='\u{09FF}').contains(&c))
                && !w.chars().any(|c| c.is_numeric() || c.is_ascii_alphabetic())
        })
        .collect()
}

/// Precomposed য় ড় ঢ়, as hunspell-bn's list has them.
fn precompose(w: &str) -> String {
    w.replace("য\u{09BC}", "\u{09DF}")
        .replace("ড\u{09BC}", "\u{09DC}")
        .replace("ঢ\u{09BC}", "\u{09DD}")
}

/// Runs `hunspell -d DICT -a` over words: (accepted, suggestions) per word. Hunspell
/// splits a word where its tokenizer sees no letter (with Debian's bn_BD.aff, at every vowel
/// sign and hasanta): a word is accepted when all its pieces are, and has suggestions only
/// when it stayed whole.
fn hunspell(dict: &str, words: &[String]) -> Option<Vec<(bool, Vec<String>)>> {
    let mut child = Command::new("hunspell")
        .args(["-d", dict, "-a", "-i", "utf-8"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input: String = words
        .iter()
        .map(|w| format!("^{}\n", precompose(w)))
        .collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let reader = BufReader::new(child.stdout.take()?);
    let mut out = Vec::with_capacity(words.len());
    let mut pieces: Vec<(bool, Vec<String>)> = Vec::new();
    for line in reader.lines().skip(1) {
        let line = line.ok()?;
        if line.is_empty() {
            let ok = pieces.iter().all(|p| p.0);
            let sugg = match pieces.as_slice() {
                [one] => one.1.clone(),
                _ => Vec::new(),
            };
            out.push((ok, sugg));
            pieces.clear();
            continue;
        }
        let verdict = match line.chars().next() {
            Some('*' | '+' | '-') => (true, Vec::new()),
            Some('&') => {
                let sugg = line
                    .split_once(": ")
                    .map(|(_, s)| s.split(", ").map(bangla::normalize).collect())
                    .unwrap_or_default();
                (false, sugg)
            }
            _ => (false, Vec::new()),
        };
        pieces.push(verdict);
    }
    let _ = writer.join();
    let _ = child.wait();
    (out.len() == words.len()).then_some(out)
}

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spell-set");
    let article_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/article-sample.txt");
    let article = std::fs::read_to_string(&article_path).ok();

    let t = Instant::now();
    let checker = match SpellChecker::system() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("no word list: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "loaded {} words in {:.0} ms",
        checker.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let article_words = article.as_deref().map(words_of).unwrap_or_default();
    for (label, correct_file, typos_file, with_article) in [
        (
            "spell set (used while tuning)",
            "correct.txt",
            "misspellings.tsv",
            true,
        ),
        (
            "held-out set (written after the first tuning; its misses were looked at since)",
            "heldout-correct.txt",
            "heldout-misspellings.tsv",
            false,
        ),
        (
            "second held-out set (written before its first run, never tuned on)",
            "heldout2-correct.txt",
            "heldout2-misspellings.tsv",
            false,
        ),
    ] {
        let correct = std::fs::read_to_string(dir.join(correct_file)).unwrap_or_default();
        let typos_text = std::fs::read_to_string(dir.join(typos_file)).unwrap_or_default();
        let no_article: Vec<String> = Vec::new();
        run_set(
            &checker,
            label,
            &correct,
            &typos_text,
            if with_article {
                &article_words
            } else {
                &no_article
            },
            verbose,
        );
    }
}

fn run_set(
    checker: &SpellChecker,
    label: &str,
    correct: &str,
    typos_text: &str,
    article_words: &[String],
    verbose: bool,
) {
    println!("\n== {label}");
    let typos: Vec<(String, String, String)> = typos_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut p = l.split('\t');
            Some((
                bangla::normalize(p.next()?),
                bangla::normalize(p.next()?),
                p.next().unwrap_or("").to_string(),
            ))
        })
        .collect();
    let correct_words = words_of(correct);

    // Ours.
    let t = Instant::now();
    let mut ours = Figures {
        words: correct_words.len(),
        flagged: 0,
        typos: typos.len(),
        caught: 0,
        top1: 0,
        top5: 0,
    };
    for w in &correct_words {
        if !checker.check(w) {
            ours.flagged += 1;
            if verbose {
                println!("  ours flags correct: {w}");
            }
        }
    }
    let mut by_class: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    for (typo, intended, class) in &typos {
        let e = by_class.entry(class.as_str()).or_default();
        e.0 += 1;
        if !checker.check(typo) {
            ours.caught += 1;
        } else if verbose {
            println!("  ours misses: {typo} ({intended})");
        }
        let s = checker.suggest(typo, 5);
        if s.first() == Some(intended) {
            ours.top1 += 1;
            e.1 += 1;
        }
        if s.contains(intended) {
            ours.top5 += 1;
            e.2 += 1;
        } else if verbose {
            println!("  ours: {typo} → {intended} not in {s:?}");
        }
    }
    let ours_ms = t.elapsed().as_secs_f64() * 1e3;
    let article_flagged: Vec<&String> =
        article_words.iter().filter(|w| !checker.check(w)).collect();
    if verbose {
        for w in &article_flagged {
            println!("  ours flags in the article: {w}");
        }
    }

    // hunspell, same list, same words.
    let mut all: Vec<String> = correct_words.clone();
    all.extend(typos.iter().map(|t| t.0.clone()));
    all.extend(article_words.iter().cloned());
    // Debian's configuration as installed, and the same word list with WORDCHARS added to a
    // copy of its .aff (so that hunspell keeps Bengali words whole).
    let hun = hunspell("bn_BD", &all);
    let fixed_dir = std::env::temp_dir().join(format!("barta-hunspell-{}", std::process::id()));
    let fixed = (|| -> Option<Vec<(bool, Vec<String>)>> {
        std::fs::create_dir_all(&fixed_dir).ok()?;
        let aff = std::fs::read_to_string("/usr/share/hunspell/bn_BD.aff").ok()?;
        std::fs::write(
            fixed_dir.join("bn_words.aff"),
            format!("{aff}\nWORDCHARS ািীুূৃৄেৈোৌৗ্ঁংঃ\u{09BC}\u{200C}\u{200D}\n"),
        )
        .ok()?;
        std::fs::copy(
            "/usr/share/hunspell/bn_BD.dic",
            fixed_dir.join("bn_words.dic"),
        )
        .ok()?;
        hunspell(fixed_dir.join("bn_words").to_str()?, &all)
    })();
    let _ = std::fs::remove_dir_all(&fixed_dir);

    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "\ntest set: {} words of correct text, {} misspellings",
        ours.words, ours.typos
    );
    println!("checker   false flags   caught   top-1   top-5   article false flags");
    let article_cell = |n: usize| {
        if article_words.is_empty() {
            "n/a".to_string()
        } else {
            format!(
                "{:.1} % ({n}/{})",
                pct(n, article_words.len()),
                article_words.len()
            )
        }
    };
    println!(
        "barta     {:>9.1} %  {:>5.1} %  {:>4.1} %  {:>4.1} %   {}",
        pct(ours.flagged, ours.words),
        pct(ours.caught, ours.typos),
        pct(ours.top1, ours.typos),
        pct(ours.top5, ours.typos),
        article_cell(article_flagged.len())
    );
    for (label, hun) in [("hunspell", hun), ("hunspell+W", fixed)] {
        match hun {
            Some(h) => {
                let (c, rest) = h.split_at(correct_words.len());
                let (t, a) = rest.split_at(typos.len());
                let flagged = c.iter().filter(|r| !r.0).count();
                let caught = t.iter().filter(|r| !r.0).count();
                let top1 = t
                    .iter()
                    .zip(&typos)
                    .filter(|(r, ty)| r.1.first() == Some(&ty.1))
                    .count();
                let top5 = t
                    .iter()
                    .zip(&typos)
                    .filter(|(r, ty)| r.1.iter().take(5).any(|s| *s == ty.1))
                    .count();
                let af = a.iter().filter(|r| !r.0).count();
                println!(
                    "{label:<10}{:>8.1} %  {:>5.1} %  {:>4.1} %  {:>4.1} %   {}",
                    pct(flagged, ours.words),
                    pct(caught, ours.typos),
                    pct(top1, ours.typos),
                    pct(top5, ours.typos),
                    article_cell(af)
                );
            }
            None => println!("{label:<10}(not installed: apt-get install hunspell hunspell-bn)"),
        }
    }
    println!("hunspell: Debian's bn_BD as installed; hunspell+W: the same list, WORDCHARS added");
    println!("\nby confusion class (barta): class  n  top-1  top-5");
    for (class, (n, t1, t5)) in by_class {
        println!("  {class:<14} {n:>3} {t1:>5} {t5:>6}");
    }
    println!(
        "\nbarta: {:.2} ms for the test set's checks and suggestions",
        ours_ms
    );
}
