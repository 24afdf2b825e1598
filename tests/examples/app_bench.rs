//! Measures the real app under Xvfb through WebDriver (issue 6's figures): keystroke →
//! painted Bengali latency with phonetic typing on in a 10,000-word article, cold start to an
//! editable article, and the memory of the app's processes with 10,000 local articles.
//!
//! Run: `cargo run -p barta-tests --example app_bench` (after `scripts/build`).

use barta_model::{ArticleMeta, Document};
use barta_store::Store;
use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer};
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "দেশের",
    "উত্তরাঞ্চলে",
    "টানা",
    "বৃষ্টিতে",
    "নদীর",
    "পানি",
    "বাড়ছে",
    "সরকার",
    "জানিয়েছে",
    "কৃষকেরা",
    "ক্ষতিগ্রস্ত",
    "হয়েছেন",
    "স্থানীয়",
    "প্রশাসন",
    "ত্রাণ",
    "বিতরণ",
    "শুরু",
    "করেছে",
    "২০২৫",
    "সালের",
];

/// Bengali text of `words` words in paragraphs of 20.
fn corpus(words: usize, seed: usize) -> Vec<String> {
    (0..words.div_ceil(20))
        .map(|p| {
            (0..20)
                .map(|i| WORDS[(p * 7 + i * 3 + seed) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
                + "।"
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A `/proc` field in KiB (`VmRSS:` of `status`, `Pss:` of `smaps_rollup`).
fn kib_field(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0)
}

/// Each process of the tree under `pid`: (name, RSS KiB, PSS KiB).
fn tree_memory(pid: u32) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        let name = std::fs::read_to_string(format!("/proc/{p}/comm"))
            .unwrap_or_default()
            .trim()
            .to_string();
        out.push((
            name,
            kib_field(&format!("/proc/{p}/status"), "VmRSS:"),
            kib_field(&format!("/proc/{p}/smaps_rollup"), "Pss:"),
        ));
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            stack.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

fn app_pid(data_dir: &std::path::Path) -> Option<u32> {
    let needle = format!("BARTA_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
        let env = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        (exe.file_name()? == "barta-app"
            && env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
        .then_some(pid)
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let articles: usize = std::env::var("BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let data_dir = root.path().join("bench");

    // A logged-in reporter with `articles` local drafts.
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/session", server.url))
        .json(&serde_json::json!({"username": REPORTER.username, "password": REPORTER.password}))
        .send()
        .await?
        .json()
        .await?;
    std::fs::create_dir_all(&data_dir)?;
    let fill = Instant::now();
    {
        let mut store = Store::open(&data_dir.join("barta.db"))?;
        store.set_setting(
            "session",
            Some(
                &serde_json::json!({"token": session["token"], "user": session["user"]})
                    .to_string(),
            ),
        )?;
        for i in 0..articles {
            let id = store.create_article("national", REPORTER.username)?;
            let paragraphs = corpus(100, i);
            let ids: Vec<String> = (0..paragraphs.len()).map(|p| format!("b{p}")).collect();
            let body = Document::from_paragraphs(
                ids.iter()
                    .map(String::as_str)
                    .zip(paragraphs.iter().map(String::as_str)),
            );
            let meta = ArticleMeta {
                headline: format!("খবর {i}"),
                desk: "national".into(),
                ..Default::default()
            };
            store.save_working_copy(id, meta, body)?;
        }
    }
    eprintln!(
        "prefilled {articles} local articles in {:?}",
        fill.elapsed()
    );

    // Cold start: process start → an article open in the editor.
    let started = Instant::now();
    let app = AppSession::launch(
        &display,
        AppSettings {
            data_dir: data_dir.clone(),
            server_url: server.url.clone(),
            name: "bench".into(),
        },
    )
    .await?;
    app.click("article-row").await?;
    app.testid("body-editor").await?;
    let cold_start = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let memory = app_pid(&data_dir).map(tree_memory).unwrap_or_default();
    if let Some(hold) = std::env::var("BENCH_HOLD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        // For a look at /proc/PID/smaps by hand before the rest of the run.
        eprintln!("holding {hold} s; app pid {:?}", app_pid(&data_dir));
        tokio::time::sleep(Duration::from_secs(hold)).await;
    }
    let mib = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
    let rss_mib = mib(memory.iter().map(|m| m.1).sum());
    let pss_mib = mib(memory.iter().map(|m| m.2).sum());
    let by_process: Vec<serde_json::Value> = memory
        .iter()
        .map(|(name, rss, pss)| serde_json::json!({"process": name, "rss_mib": mib(*rss), "pss_mib": mib(*pss)}))
        .collect();

    // A new article with a 10,000-word body, pasted.
    app.click("back").await?;
    app.click("new-article").await?;
    let body = corpus(10_000, 1).join("\n\n");
    app.testid("body-editor").await?.click().await?;
    app.client
        .execute(
            "const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]);\n\
             document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));",
            vec![serde_json::Value::String(body)],
        )
        .await?;
    app.wait_attr("stats", "data-words", "10,000 words", |w| {
        w.parse::<usize>().is_ok_and(|n| n >= 10_000)
    })
    .await?;

    // Keystroke → painted Bengali: keydown time to the animation frame after the composer
    // showed the Bengali for that keystroke.
    app.client
        .execute(
            "window.__lat = []; window.__echo = []; window.__t0 = null;\n\
             document.addEventListener('keydown', () => { const t = performance.now(); window.__t0 = t;\n\
               requestAnimationFrame(() => window.__echo.push(performance.now() - t)); }, true);\n\
             document.addEventListener('barta:composed', () => { const t0 = window.__t0; if (t0 === null) return;\n\
               window.__t0 = null; requestAnimationFrame(() => window.__lat.push(performance.now() - t0)); });",
            vec![],
        )
        .await?;
    let typed = "ami banglay gan gai ".repeat(10);
    let editor = app.testid("body-editor").await?;
    editor.send_keys(&typed).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let lat: Vec<f64> =
        serde_json::from_value(app.client.execute("return window.__lat;", vec![]).await?)?;
    let mut echo: Vec<f64> =
        serde_json::from_value(app.client.execute("return window.__echo;", vec![]).await?)?;
    echo.sort_by(|a, b| a.total_cmp(b));
    let mut sorted = lat.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let tail = app.client.execute("const t = document.querySelector('[data-testid=body-editor]').textContent; return [t.slice(-60), window.__t0, document.activeElement.className];", vec![]).await?;
    anyhow::ensure!(!sorted.is_empty(), "no keystroke was measured; {tail}");
    let report = serde_json::json!({
        "local_articles": articles,
        "cold_start_to_editable_ms": cold_start.as_millis(),
        "rss_mib_app_and_webkit": rss_mib,
        "pss_mib_app_and_webkit": pss_mib,
        "memory_by_process": by_process,
        "keystrokes_measured": sorted.len(),
        "keystroke_to_echo_frame_ms": {
            "p50": percentile(&echo, 0.5),
            "p95": percentile(&echo, 0.95),
        },
        "keystroke_to_paint_ms": {
            "p50": percentile(&sorted, 0.5),
            "p95": percentile(&sorted, 0.95),
            "max": sorted[sorted.len() - 1],
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    app.close().await
}
