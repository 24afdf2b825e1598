//! The two backends measured in one run (issue 17), with the real `barta serve` on loopback:
//! revision pushes by 50 concurrent clients, the rate at which a client reads the changes
//! feed, and `barta migrate` of a 100,000-article SQLite newsroom into PostgreSQL. PostgreSQL
//! runs in a cluster of the benchmark's own with `fsync` on (its defaults otherwise), as
//! SQLite runs with `synchronous=FULL`. Benchmarks, not tests: run in release mode, see
//! BENCHMARKS.md ("Two backends").

use crate::wire::{article, as_refs};
use barta_model::{ArticleId, Document, RevisionId, RevisionPush};
use barta_sync::{Client, PushResult};
use barta_tests::{EDITOR, REPORTER, TestServer, binary, login_token, pg_cluster};
use std::time::{Duration, Instant};

/// What a timed run of pushes gave.
pub struct Pushes {
    count: usize,
    took: Duration,
    p50: Duration,
    p99: Duration,
}

impl std::fmt::Display for Pushes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pushes in {:.1?}: {:.0}/s, p50 {:.1?}, p99 {:.1?}",
            self.count,
            self.took,
            self.count as f64 / self.took.as_secs_f64(),
            self.p50,
            self.p99
        )
    }
}

/// 50 clients push 200-word revisions for `run` (each its own article, one revision on the
/// last when `new_articles` is false; a new article every push when it is true), or until
/// `total` pushes were answered.
pub async fn pushes_by_50_clients(
    server: &TestServer,
    run: Duration,
    total: usize,
    new_articles: bool,
) -> anyhow::Result<Pushes> {
    let token = login_token(server, &REPORTER).await?;
    let client = Client::new(&server.url)?;
    let body = Document::from_paragraphs(as_refs(&article(200, 1)));
    let deadline = Instant::now() + run;
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (client, token, body) = (client.clone(), token.clone(), body.clone());
        let answered = answered.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut article = ArticleId::new();
            let mut parent = None;
            while Instant::now() < deadline
                && answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < total
            {
                if new_articles {
                    (article, parent) = (ArticleId::new(), None);
                }
                let push = RevisionPush::new(
                    RevisionId::new(),
                    parent,
                    crate::meta("চাপ"),
                    body.clone(),
                    "2026-01-01T00:00:00Z".into(),
                );
                let start = Instant::now();
                let answer = client.push_revision(&token, article, &push).await;
                latencies.push(start.elapsed());
                match answer {
                    Ok(PushResult::Accepted(_)) => parent = Some(push.id),
                    other => anyhow::bail!("a push was not accepted: {other:?}"),
                }
            }
            Ok(latencies)
        }));
    }
    let start = Instant::now();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let took = start.elapsed();
    all.sort();
    Ok(Pushes {
        count: all.len(),
        took,
        p50: all[all.len() / 2],
        p99: all[all.len() * 99 / 100],
    })
}

/// An editor reads the whole changes feed from the start in pages of 1,000 (the largest the
/// API gives); the changes read and how long it took.
async fn read_feed(server: &TestServer) -> anyhow::Result<(usize, Duration)> {
    let token = login_token(server, &EDITOR).await?;
    let client = Client::new(&server.url)?;
    let (mut since, mut read) = (0, 0);
    let start = Instant::now();
    loop {
        let page = client.changes(&token, since, 1000).await?;
        if page.changes.is_empty() {
            break;
        }
        read += page.changes.len();
        since = page.next;
    }
    Ok((read, start.elapsed()))
}

/// `barta migrate` of the stopped SQLite newsroom in `data` into the database at `url`: what
/// it printed (an error when it failed).
pub fn migrate(data: &std::path::Path, url: &str) -> anyhow::Result<std::process::Output> {
    let out = std::process::Command::new(binary("barta")?)
        .args(["migrate", "--from-data"])
        .arg(data)
        .args(["--to", url])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "barta migrate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(out)
}

/// A newsroom on PostgreSQL in a fresh database of `cluster`.
fn on_postgres(cluster: &pg_cluster::Cluster) -> anyhow::Result<TestServer> {
    let (url, _) = cluster.fresh_database_named();
    TestServer::start_demo_on_postgres(&url)
}

#[tokio::test]
#[ignore = "benchmark: run in release mode, see BENCHMARKS.md"]
async fn bench_backends_pushes_and_feed() -> anyhow::Result<()> {
    const RUN: Duration = Duration::from_secs(10);
    let cluster = tokio::task::spawn_blocking(pg_cluster::durable_cluster).await?;
    // SQLite then PostgreSQL, each on a fresh newsroom.
    let sqlite = TestServer::start_demo_sqlite()?;
    let pushed = pushes_by_50_clients(&sqlite, RUN, usize::MAX, false).await?;
    println!("SQLite: {pushed}");
    let (read, took) = read_feed(&sqlite).await?;
    println!(
        "SQLite: the feed read whole, {read} changes in {took:.1?}: {:.0} changes/s",
        read as f64 / took.as_secs_f64()
    );
    drop(sqlite);
    let (postgres, cluster) = tokio::task::spawn_blocking(move || {
        let server = on_postgres(&cluster);
        (server, cluster)
    })
    .await?;
    let postgres = postgres?;
    let pushed = pushes_by_50_clients(&postgres, RUN, usize::MAX, false).await?;
    println!("PostgreSQL: {pushed}");
    let (read, took) = read_feed(&postgres).await?;
    println!(
        "PostgreSQL: the feed read whole, {read} changes in {took:.1?}: {:.0} changes/s",
        read as f64 / took.as_secs_f64()
    );
    drop(postgres);
    drop(cluster);
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run in release mode, see BENCHMARKS.md"]
async fn bench_backends_migration_of_100000_articles() -> anyhow::Result<()> {
    const ARCHIVE: usize = 100_000;
    let cluster = tokio::task::spawn_blocking(pg_cluster::durable_cluster).await?;
    // A SQLite newsroom of 100,000 articles (one 200-word revision each), moved to PostgreSQL.
    let mut archive = TestServer::start_demo_sqlite()?;
    let filled = pushes_by_50_clients(&archive, Duration::from_secs(3600), ARCHIVE, true).await?;
    println!("SQLite: filled with {ARCHIVE} articles: {filled}");
    archive.stop();
    let size = std::fs::metadata(archive.database_path())?.len();
    let (url, cluster) = tokio::task::spawn_blocking(move || {
        let (url, _) = cluster.fresh_database_named();
        (url, cluster)
    })
    .await?;
    let start = Instant::now();
    let out = migrate(&archive.data_dir(), &url)?;
    let took = start.elapsed();
    println!(
        "barta migrate: {ARCHIVE} articles ({} MB of SQLite) into PostgreSQL in {took:.1?}",
        size / 1_000_000
    );
    print!("{}", String::from_utf8_lossy(&out.stdout));
    drop(cluster);
    Ok(())
}
