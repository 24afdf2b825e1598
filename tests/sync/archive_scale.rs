//! The archive at scale (issue 17), with the real `barta serve` on loopback: a newsroom of
//! `BENCH_ARCHIVE` articles (default 100,000; the goal is measured at 1,000,000) filled
//! by 50 clients, each article its own 200 words (the vocabulary of `wire::article`, so its
//! words are each in most articles: the worst case of a search) and two marker words, one
//! shared by 1 in 100 articles and one by 1 in 5,000; archive searches (`GET /v1/search`) and
//! the fetch of an old article (`GET /v1/articles/{id}`) timed on SQLite, then the newsroom
//! migrated into PostgreSQL (`barta migrate`, which indexes it) and the same timed there.
//! Before the searches, all but the newest `BENCH_RECENT` articles (default 2 %) are made
//! published and last changed long ago — an archive as years of work leave it — and a new
//! editor's laptop takes its first sync (the window: the recent ones) from each backend, timed
//! with the size of its store (and, with `BENCH_FULL_REPLICA=1`, a laptop taking every article
//! as before the window, on SQLite). A benchmark, not a test: run in release mode, see BENCHMARKS.md
//! ("The archive at scale").

use crate::Device;
use crate::wire::{article, as_refs};
use barta_model::{ArticleId, Document, RevisionId, RevisionPush};
use barta_sync::{Client, PushResult};
use barta_tests::{EDITOR, REPORTER, TestServer, login_token, pg_cluster};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Articles in the benchmark's newsroom (`BENCH_ARCHIVE`, default 100,000).
fn archive_size() -> usize {
    std::env::var("BENCH_ARCHIVE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Articles left recent (`BENCH_RECENT`, default 2 % of the archive).
fn recent_size(total: usize) -> usize {
    std::env::var("BENCH_RECENT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(total / 50)
}

/// Makes all but the newest `recent` articles of a stopped SQLite newsroom published and last
/// changed long ago (their feed entries stay as they were): the archive years of work leave.
fn age_the_archive(database: &std::path::Path, recent: usize) -> anyhow::Result<usize> {
    let conn = rusqlite::Connection::open(database)?;
    Ok(conn.execute(
        "UPDATE articles SET state = 'published', touched_at = '2024-01-01T00:00:00.000Z'
         WHERE id NOT IN (SELECT id FROM articles ORDER BY created_at DESC, id DESC LIMIT ?1)",
        [recent as i64],
    )?)
}

/// A new editor's laptop syncs until nothing more comes: how long, what it applied and the
/// size of its store.
async fn time_first_sync(
    server: &TestServer,
    backend: &str,
    windowed: bool,
) -> anyhow::Result<usize> {
    let mut laptop = Device::new(server, &server.url, EDITOR).await?;
    laptop.config.windowed = windowed;
    let what = if windowed {
        "a new laptop's first sync (the window)"
    } else {
        "the same as a full replica (every article, as before the window)"
    };
    let start = Instant::now();
    let mut applied = 0;
    loop {
        let outcome = laptop.sync().await?;
        applied += outcome.changes_applied;
        if outcome.changes_applied == 0 {
            break;
        }
    }
    println!(
        "{backend}: {what}: {applied} articles in {:.1?}, its store {:.1} MB",
        start.elapsed(),
        laptop.store_bytes() as f64 / 1e6
    );
    Ok(applied)
}

/// The marker words of article `n`: one in 1 in 100 articles, one in 1 in 5,000.
fn markers(n: usize) -> (String, String) {
    (format!("চিহ্ন{}", n % 100), format!("সূচক{}", n % 5_000))
}

/// 50 clients push `total` new articles; every 1,000th article's id, and how long it took.
async fn fill(server: &TestServer, total: usize) -> anyhow::Result<(Vec<ArticleId>, Duration)> {
    let token = login_token(server, &REPORTER).await?;
    let client = Client::new(&server.url)?;
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (client, token, next) = (client.clone(), token.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut sampled = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return anyhow::Ok(sampled);
                }
                let mut paragraphs = article(200, n as u64 + 1);
                let (common, rare) = markers(n);
                paragraphs.push(("m".into(), format!("{common} {rare}।")));
                let body = Document::from_paragraphs(as_refs(&paragraphs));
                let push = RevisionPush::new(
                    RevisionId::new(),
                    None,
                    crate::meta(&format!("সংবাদ {n}")),
                    body,
                    "2026-01-01T00:00:00Z".into(),
                );
                let id = ArticleId::new();
                match client.push_revision(&token, id, &push).await {
                    Ok(PushResult::Accepted(_)) => {}
                    other => anyhow::bail!("a push was not accepted: {other:?}"),
                }
                if n % 1_000 == 0 {
                    sampled.push(id);
                }
            }
        }));
    }
    let mut sampled = Vec::new();
    for t in tasks {
        sampled.extend(t.await??);
    }
    Ok((sampled, start.elapsed()))
}

/// p50 and p95 of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (
        samples[samples.len() / 2],
        samples[(samples.len() * 95 / 100).min(samples.len() - 1)],
    )
}

/// Hits a search answers (at most 20) for a marker shared by articles `n < total` with
/// `n % every == at`.
fn marked_hits(total: usize, every: usize, at: usize) -> usize {
    (total.saturating_sub(at)).div_ceil(every).min(20)
}

/// The searches timed, each with the hits it must answer when that is known: words in most
/// articles (20, as long as the archive holds 20), markers in 1 in 100 and 1 in 5,000 (as many
/// as carry it), and two words together.
fn queries(total: usize) -> Vec<(&'static str, Vec<(String, usize)>)> {
    let rare = total.clamp(1, 5_000);
    let common = ["বাংলাদেশ", "সরকার", "নির্বাচন", "বাজেট", "পুলিশ", "হাসপাতালে"];
    let most = total.min(20);
    vec![
        (
            "a word in most articles",
            common.iter().map(|w| (w.to_string(), most)).collect(),
        ),
        (
            "a word in 1 of 100 articles",
            (0..20)
                .map(|i| (markers(i * 5).0, marked_hits(total, 100, i * 5)))
                .collect(),
        ),
        (
            "a word in 1 of 5,000 articles",
            (0..20)
                .map(|i| {
                    let at = i * 250 % rare;
                    (markers(at).1, marked_hits(total, 5_000, at))
                })
                .collect(),
        ),
        (
            "two words (1 of 100, then most)",
            (0..20)
                .map(|i| {
                    let q = format!("{} {}", markers(i * 5).0, common[i % common.len()]);
                    (q, marked_hits(total, 100, i * 5))
                })
                .collect(),
        ),
    ]
}

/// Times each query 5 times as the editor and checks its hits; prints p50/p95 per kind and
/// over all.
async fn time_searches(
    server: &TestServer,
    backend: &str,
    total: usize,
) -> anyhow::Result<Duration> {
    let token = login_token(server, &EDITOR).await?;
    let client = Client::new(&server.url)?;
    let mut all = Vec::new();
    for (kind, words) in queries(total) {
        let mut samples = Vec::new();
        for _ in 0..5 {
            for (q, expected) in &words {
                let start = Instant::now();
                let page = client.search_archive(&token, q, 20).await?;
                samples.push(start.elapsed());
                // A common word's hits: the best 20 of its newest matches; with a marker,
                // those of the marker's articles that hold it too (most, not all).
                if kind.starts_with("a word in most") || kind.starts_with("two words") {
                    anyhow::ensure!(
                        !page.hits.is_empty() && page.hits.len() <= *expected,
                        "{backend}: {q}: {} hits",
                        page.hits.len()
                    );
                } else {
                    anyhow::ensure!(
                        page.hits.len() == *expected,
                        "{backend}: {q}: {} hits, {expected} expected",
                        page.hits.len()
                    );
                }
            }
        }
        all.extend(samples.iter().copied());
        let (p50, p95) = percentiles(samples);
        println!("{backend}: archive search, {kind}: p50 {p50:.1?}, p95 {p95:.1?}");
    }
    let (p50, p95) = percentiles(all);
    println!("{backend}: archive search, all: p50 {p50:.1?}, p95 {p95:.1?}");
    Ok(p95)
}

/// Times the fetch of the sampled old articles (what opening one downloads) as the editor.
async fn time_opening(server: &TestServer, backend: &str, ids: &[ArticleId]) -> anyhow::Result<()> {
    let token = login_token(server, &EDITOR).await?;
    let client = Client::new(&server.url)?;
    let mut samples = Vec::new();
    for id in ids {
        let start = Instant::now();
        client.article(&token, *id).await?;
        samples.push(start.elapsed());
    }
    let (p50, p95) = percentiles(samples);
    println!(
        "{backend}: an old article fetched ({} sampled): p50 {p50:.1?}, p95 {p95:.1?}",
        ids.len()
    );
    Ok(())
}

#[tokio::test]
#[ignore = "run by scripts/test at 20,000 articles (CI), and by hand in release at 100,000 and 1,000,000: BENCHMARKS.md"]
async fn bench_archive_search_and_old_articles_on_both_backends() -> anyhow::Result<()> {
    let total = archive_size();
    let cluster = tokio::task::spawn_blocking(pg_cluster::durable_cluster).await?;
    let mut sqlite = TestServer::start_demo_sqlite()?;
    let (sampled, took) = fill(&sqlite, total).await?;
    println!(
        "SQLite: filled with {total} articles in {took:.1?} ({:.0}/s; indexed beside the pushes)",
        total as f64 / took.as_secs_f64()
    );
    sqlite.stop();
    let aged = age_the_archive(&sqlite.database_path(), recent_size(total))?;
    anyhow::ensure!(aged == total - recent_size(total), "{aged} articles aged");
    println!("SQLite: {aged} articles made published and old");
    sqlite.restart()?;
    sqlite.wait_serving()?;
    let recent = recent_size(total);
    let taken = time_first_sync(&sqlite, "SQLite", true).await?;
    anyhow::ensure!(
        taken == recent,
        "SQLite: the window held {taken} articles, not {recent}"
    );
    if std::env::var_os("BENCH_FULL_REPLICA").is_some() {
        let every = time_first_sync(&sqlite, "SQLite", false).await?;
        anyhow::ensure!(every == total, "the full replica held {every} articles");
    }
    time_searches(&sqlite, "SQLite", total).await?;
    time_opening(&sqlite, "SQLite", &sampled).await?;
    sqlite.stop();
    let size = std::fs::metadata(sqlite.database_path())?.len();
    println!("SQLite: the database is {} MB", size / 1_000_000);

    let (url, cluster) = tokio::task::spawn_blocking(move || {
        let (url, _) = cluster.fresh_database_named();
        (url, cluster)
    })
    .await?;
    let start = Instant::now();
    let out = crate::backends::migrate(&sqlite.data_dir(), &url)?;
    println!("barta migrate (copy and index) in {:.1?}:", start.elapsed());
    print!("{}", String::from_utf8_lossy(&out.stdout));
    let postgres = sqlite.serving_database(url)?;
    let taken = time_first_sync(&postgres, "PostgreSQL", true).await?;
    anyhow::ensure!(
        taken == recent,
        "PostgreSQL: the window held {taken} articles, not {recent}"
    );
    time_searches(&postgres, "PostgreSQL", total).await?;
    time_opening(&postgres, "PostgreSQL", &sampled).await?;
    drop(postgres);
    drop(cluster);
    Ok(())
}
