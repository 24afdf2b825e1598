//! What a revision costs on the wire, and the benchmarks of BENCHMARKS.md. The byte figures
//! are asserted (they are deterministic); the timed ones are `#[ignore]`d and run in release
//! mode by the commands in BENCHMARKS.md (section "Sync and the backend").

use crate::{Device, Rig};
use barta_model::Document;
use barta_sync::{Backoff, SyncConfig};
use barta_tests::{Fault, REPORTER};
use std::time::{Duration, Instant};

/// A deterministic Bengali article of `words` words in paragraphs of 50 words.
pub fn article(words: usize, seed: u64) -> Vec<(String, String)> {
    const WORDS: &[&str] = &[
        "বাংলাদেশ",
        "সরকার",
        "মন্ত্রী",
        "আজ",
        "বলেছেন",
        "দেশের",
        "মানুষ",
        "উন্নয়ন",
        "নির্বাচন",
        "কমিশন",
        "ঢাকা",
        "শহরে",
        "বৃষ্টি",
        "হয়েছে",
        "পুলিশ",
        "জানায়",
        "জন",
        "নিহত",
        "আহত",
        "হাসপাতালে",
        "ভর্তি",
        "করা",
        "বাজেট",
        "অর্থনীতি",
        "শিক্ষার্থী",
        "বিশ্ববিদ্যালয়",
        "প্রধানমন্ত্রী",
        "সংসদ",
        "আলোচনা",
        "প্রতিবেদন",
        "অনুযায়ী",
        "গতকাল",
        "সকালে",
        "এলাকায়",
        "ঘটনা",
        "তদন্ত",
    ];
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..words.div_ceil(50))
        .map(|p| {
            let n = 50.min(words - p * 50);
            let text: Vec<&str> = (0..n).map(|_| WORDS[next() % WORDS.len()]).collect();
            (format!("p{p:03}"), format!("{}।", text.join(" ")))
        })
        .collect()
}

pub fn as_refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Bytes of the one push of a one-paragraph edit to a 5,000-word article.
async fn edit_cost(deltas: bool, zstd: bool) -> anyhow::Result<(usize, usize)> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    reporter.config.deltas = deltas;
    reporter.config.zstd_above = zstd.then_some(512);
    let text = article(5_000, 7);
    let id = reporter.write_new("বড় প্রতিবেদন", &as_refs(&text));
    reporter.sync().await?;
    let full_doc = serde_json::to_vec(&Document::from_paragraphs(as_refs(&text)))?.len();
    let mut edited = text.clone();
    edited[40].1.push_str(" সংশোধিত তথ্য যোগ করা হলো।");
    reporter.edit(id, &as_refs(&edited));
    let before = rig.proxy.seen().len();
    reporter.sync().await?;
    let pushes: Vec<usize> = rig.proxy.seen()[before..]
        .iter()
        .filter(|s| s.method == "POST" && s.path.contains("/revisions"))
        .map(|s| s.request_bytes)
        .collect();
    assert_eq!(pushes.len(), 1, "one push, no fallback: {pushes:?}");
    let head = rig.article(id).await?.head_revision;
    assert_eq!(head.body, Document::from_paragraphs(as_refs(&edited)));
    Ok((pushes[0], full_doc))
}

#[tokio::test]
async fn a_one_paragraph_edit_travels_as_a_small_zstd_delta() -> anyhow::Result<()> {
    let (naive, full_doc) = edit_cost(false, false).await?;
    let (delta_zstd, _) = edit_cost(true, true).await?;
    println!(
        "one-paragraph edit of a 5,000-word article: full JSON push {naive} B (document {full_doc} B), \
         delta+zstd push {delta_zstd} B ({:.2} %)",
        delta_zstd as f64 * 100.0 / naive as f64
    );
    assert!(delta_zstd <= 2_048, "{delta_zstd} bytes");
    assert!(delta_zstd * 20 <= naive, "{delta_zstd} of {naive}");
    Ok(())
}

/// 120 queued revisions of six articles travel as three batch requests (50 + 50 + 20), each
/// committed whole and marked done in one local transaction; every revision is on the server
/// once, in order.
#[tokio::test]
async fn queued_revisions_travel_in_batches() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let text = article(200, 7);
    let mut ids = Vec::new();
    for a in 0..6 {
        let mut doc = text.clone();
        let id = reporter.write_new(&format!("প্রতিবেদন {a}"), &as_refs(&doc));
        for r in 1..20 {
            let n = doc.len();
            doc[r % n].1.push_str(&format!(" সংশোধন{r}"));
            reporter.edit(id, &as_refs(&doc));
        }
        ids.push((id, doc));
    }
    assert_eq!(reporter.pending(), 120);
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.pushed, 120);
    assert_eq!(reporter.pending(), 0);
    assert_eq!(rig.proxy.count("POST", "/v1/revisions/batch"), 3);
    assert_eq!(
        rig.proxy.count("POST", "/v1/articles/"),
        0,
        "no single pushes"
    );
    for (id, doc) in ids {
        let history = rig.history(id).await?;
        assert_eq!(history.len(), 20);
        let last = doc.last().map(|(_, t)| t.clone()).unwrap_or_default();
        assert!(crate::all_text(&history[0].body).contains(&last));
    }
    Ok(())
}

/// A server without the batch route (an older one: 404) gets the revisions one by one.
#[tokio::test]
async fn without_the_batch_route_revisions_go_one_by_one() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let id = reporter.write_new("শিরোনাম", &[("b1", "প্রথম")]);
    reporter.edit(id, &[("b1", "প্রথম"), ("b2", "দ্বিতীয়")]);
    reporter.edit(id, &[("b1", "প্রথম"), ("b2", "দ্বিতীয়"), ("b3", "তৃতীয়")]);
    let body = r#"{"error":{"code":"not_found","message":"no such route"}}"#;
    rig.proxy.then([Fault::Respond(
        format!(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )]);
    let outcome = reporter.sync().await?;
    assert_eq!(outcome.pushed, 3);
    assert_eq!(rig.proxy.count("POST", "/v1/revisions/batch"), 1);
    assert_eq!(
        rig.proxy
            .count("POST", &format!("/v1/articles/{id}/revisions")),
        3
    );
    assert_eq!(rig.history(id).await?.len(), 3);
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run in release mode, see BENCHMARKS.md"]
async fn bench_drain_1000_queued_revisions_over_loopback() -> anyhow::Result<()> {
    // The naive way first (one request and one local commit per revision), then batches.
    for batch_max in [1, SyncConfig::default().batch_max] {
        let rig = Rig::start().await?;
        let mut reporter = Device::new(&rig.server, &rig.server.url, REPORTER).await?;
        reporter.config = SyncConfig {
            backoff: Backoff::default(),
            batch_max,
            ..SyncConfig::default()
        };
        let text = article(300, 3);
        for a in 0..50 {
            let mut doc = text.clone();
            let id = reporter.write_new(&format!("প্রতিবেদন {a}"), &as_refs(&doc));
            for r in 1..20 {
                let n = doc.len();
                doc[r % n].1.push_str(" আরও");
                reporter.edit(id, &as_refs(&doc));
            }
        }
        assert_eq!(reporter.pending(), 1_000);
        let start = Instant::now();
        let outcome = reporter.sync().await?;
        let took = start.elapsed();
        println!(
            "batches of {batch_max}: drained {} revisions in {took:?} ({:.0}/s)",
            outcome.pushed,
            outcome.pushed as f64 / took.as_secs_f64()
        );
        assert_eq!(outcome.pushed, 1_000);
    }
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run in release mode, see BENCHMARKS.md"]
async fn bench_submit_1000_words_at_256_kbit_with_300_ms_round_trips() -> anyhow::Result<()> {
    let rig = Rig::start().await?;
    let mut reporter = Device::new(&rig.server, &rig.proxy.url, REPORTER).await?;
    let text = article(1_000, 5);
    let id = reporter.write_new("প্রতিবেদন", &as_refs(&text));
    reporter.with(|s| s.submit(id, "rahim"))?;
    let link = Fault::Throttle {
        bytes_per_sec: 256_000 / 8,
        one_way: Duration::from_millis(150),
    };
    rig.proxy.set_default(link);
    let start = Instant::now();
    let outcome = reporter.sync().await?;
    let took = start.elapsed();
    let sent: usize = rig.proxy.seen().iter().map(|s| s.request_bytes).sum();
    println!(
        "submitted a 1,000-word article (push, submit, feed pull: {} requests, {sent} request bytes) in {took:?}",
        rig.proxy.seen().len()
    );
    assert_eq!((outcome.pushed, outcome.transitions), (1, 1));
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run in release mode, see BENCHMARKS.md"]
async fn bench_server_revision_pushes_with_50_concurrent_clients() -> anyhow::Result<()> {
    // The naive way first (every push its own commit), then group commit.
    for group in ["1", "16", "32", "64"] {
        pushes_by_50_clients(group).await?;
    }
    Ok(())
}

async fn pushes_by_50_clients(write_group: &str) -> anyhow::Result<()> {
    let mut rig = Rig::start().await?;
    rig.server.serve_args = vec!["--write-group".into(), write_group.into()];
    rig.server.restart()?;
    let pushed = crate::backends::pushes_by_50_clients(
        &rig.server,
        Duration::from_secs(10),
        usize::MAX,
        false,
    )
    .await?;
    println!("--write-group {write_group}: {pushed}");
    Ok(())
}
