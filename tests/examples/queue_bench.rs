//! Measures the desk editor's queue with 5,000 articles on a desk (issue 7): opening a queue in
//! the real app under Xvfb through WebDriver (a click on the queue's tab → its rows rendered and
//! painted), and, on the same database file, the store's query alone (the queue and every
//! queue's count).
//!
//! Run: `BARTA_PROFILE=release cargo run --release -p barta-tests --example queue_bench`
//! (after `scripts/build`; `BENCH_ARTICLES` sets the number of incoming articles).

use barta_model::api::{Change, ChangeKind, ChangesPage, RevisionRecord};
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, Urgency, WorkflowState};
use barta_store::{DeskQueue, QueueQuery, QueueSort};
use barta_tests::{AppSession, AppSettings, Display, EDITOR, TestServer};
use std::time::{Duration, Instant};

/// The rows a queue shows when it opens (ui/src/features/desk/queue.ts).
const PAGE: u32 = 100;

const WORDS: &[&str] = &[
    "সিলেটে",
    "বন্যায়",
    "পানিবন্দি",
    "মানুষ",
    "সরকার",
    "জানিয়েছে",
    "ত্রাণ",
    "বিতরণ",
    "শুরু",
    "হয়েছে",
    "নদীর",
    "পানি",
    "বাড়ছে",
    "কৃষকেরা",
    "ক্ষতিগ্রস্ত",
    "২০২৫",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "n": samples.len(),
        "p50": (percentile(&samples, 0.5) * 100.0).round() / 100.0,
        "p95": (percentile(&samples, 0.95) * 100.0).round() / 100.0,
        "max": (samples[samples.len() - 1] * 100.0).round() / 100.0,
    })
}

/// One article as the changes feed brings it: a revision, then its state.
fn article_changes(i: usize, state: WorkflowState, seq: &mut i64) -> Vec<Change> {
    let article = ArticleId::new();
    let words = 300 + (i * 37) % 1200;
    let text: Vec<&str> = (0..words)
        .map(|w| WORDS[(w * 7 + i) % WORDS.len()])
        .collect();
    let paragraphs: Vec<String> = text.chunks(40).map(|c| c.join(" ") + "।").collect();
    let ids: Vec<String> = (0..paragraphs.len()).map(|p| format!("b{p}")).collect();
    let body = Document::from_paragraphs(
        ids.iter()
            .map(String::as_str)
            .zip(paragraphs.iter().map(String::as_str)),
    );
    let meta = ArticleMeta {
        headline: format!("{} {i}", WORDS[i % WORDS.len()]),
        desk: "national".into(),
        urgency: Some(Urgency((i % 5) as u8 + 1)),
        ..Default::default()
    };
    let author = ["rahim", "karim", "salma", "jamal"][i % 4];
    *seq += 1;
    let rev = RevisionRecord {
        id: RevisionId::new(),
        article_id: article,
        parent: None,
        merge_parent: None,
        author: author.into(),
        sha256: barta_model::RevisionPush::hash_of(&meta, &body),
        meta,
        body,
        created_at: "2025-08-01T10:00:00Z".into(),
        seq: *seq,
    };
    let head = rev.id;
    let change = |seq: i64, kind, state, revision| Change {
        seq,
        kind,
        article_id: article,
        desk: "national".into(),
        state,
        author: author.into(),
        head,
        revision,
        note: None,
        at: "2025-08-01T10:00:00Z".into(),
    };
    let mut out = vec![change(
        *seq,
        ChangeKind::Revision,
        WorkflowState::Draft,
        Some(rev),
    )];
    *seq += 1;
    out.push(change(*seq, ChangeKind::State, state, None));
    out
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let incoming: usize = std::env::var("BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let data_dir = root.path().join("desk");
    std::fs::create_dir_all(&data_dir)?;
    let settings = AppSettings {
        data_dir: data_dir.clone(),
        server_url: server.url.clone(),
        name: "queue-bench".into(),
    };

    // A logged-in editor whose store holds the desk: `incoming` submitted articles and 500
    // each approved and published, as the changes feed would have brought them.
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/session", server.url))
        .json(&serde_json::json!({"username": EDITOR.username, "password": EDITOR.password}))
        .send()
        .await?
        .json()
        .await?;
    let fill = Instant::now();
    {
        // The editor's encrypted store, as the app keeps it.
        let mut store = settings.create_user_store(&EDITOR, &session)?;
        let mut seq = 0;
        let plan = std::iter::repeat_n(WorkflowState::Submitted, incoming)
            .chain(std::iter::repeat_n(WorkflowState::Approved, 500))
            .chain(std::iter::repeat_n(WorkflowState::Published, 500));
        let mut page = Vec::new();
        for (i, state) in plan.enumerate() {
            page.extend(article_changes(i, state, &mut seq));
            if page.len() >= 200 {
                store.apply_changes(&ChangesPage {
                    changes: std::mem::take(&mut page),
                    next: seq,
                })?;
            }
        }
        store.apply_changes(&ChangesPage {
            changes: page,
            next: seq,
        })?;
    }
    eprintln!("seeded the desk in {:?}", fill.elapsed());

    // The store alone, on the same file: the incoming queue's first page and every count.
    let store_ms = {
        let store = settings.open_user_store(&EDITOR)?;
        let mut samples = Vec::new();
        for round in 0..50 {
            let query = QueueQuery {
                queue: DeskQueue::Incoming,
                desks: vec!["national".into(), "international".into()],
                sort: [
                    QueueSort::Newest,
                    QueueSort::Urgency,
                    QueueSort::Words,
                    QueueSort::Oldest,
                ][round % 4],
                author: None,
                max_urgency: None,
                limit: Some(PAGE),
            };
            let t = Instant::now();
            let rows = store.desk_queue(&query)?;
            let counts = store.queue_counts(&query.desks)?;
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(
                rows.len() == PAGE.min(incoming as u32) as usize,
                "{} rows",
                rows.len()
            );
            anyhow::ensure!(counts[0].count == incoming as i64, "{counts:?}");
        }
        summary(samples)
    };

    // The real app: click a queue's tab, wait for its rows, then one painted frame.
    let app = AppSession::launch(&display, settings).await?;
    app.unlock(&EDITOR).await?;
    app.wait_attr("queue-incoming", "data-count", "the seeded count", |c| {
        c == incoming.to_string()
    })
    .await?;
    let mut samples = Vec::new();
    let mut query_samples = Vec::new();
    for round in 0..30 {
        let queue = ["approved", "incoming", "published", "incoming"][round % 4];
        let ms = app
            .client
            .execute_async(
                "const [queue, done] = arguments;
                 const items = document.querySelector('[data-testid=queue-items]');
                 const t0 = performance.now();
                 document.querySelector(`[data-testid=queue-${queue}]`).click();
                 const poll = () => {
                   if (items.dataset.queue === queue && Number(items.dataset.loadedAt) > t0) {
                     const query = Number(items.dataset.queryMs);
                     requestAnimationFrame(() => done([performance.now() - t0, query]));
                   } else {
                     setTimeout(poll, 1);
                   }
                 };
                 poll();",
                vec![serde_json::Value::from(queue)],
            )
            .await?;
        let total = ms[0].as_f64().unwrap_or(f64::NAN);
        let query = ms[1].as_f64().unwrap_or(f64::NAN);
        if round >= 2 {
            samples.push(total);
            query_samples.push(query);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows: u64 = app
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=queue-row]').length;",
            vec![],
        )
        .await?
        .as_u64()
        .unwrap_or(0);
    let report = serde_json::json!({
        "incoming_articles": incoming,
        "articles_on_the_desk": incoming + 1000,
        "rows_rendered": rows,
        "open_queue_in_app_ms": summary(samples),
        "of_which_ipc_and_query_ms": summary(query_samples),
        "store_queue_and_counts_ms": store_ms,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    app.close().await
}
