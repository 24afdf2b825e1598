//! Measures publishing to a real WordPress on loopback (issue 13): the time from the editor's
//! publish call to the post being visible on WordPress (its REST API lists it, published),
//! one article at a time without photos; then the time for 50 deliveries queued at once
//! (50 articles published back to back) until WordPress has all 50 posts.
//!
//! Run: `cargo run --release -p barta-tests --example publish_bench` after
//! `cargo build --release -p barta-cli` (`BARTA_PROFILE=release` picks that `barta`;
//! `BENCH_RUNS` sets the number of single publications, default 40).

use barta_model::api::{DeliveryState, PublishRequest};
use barta_tests::WordPress;
use barta_tests::newsroom::{Newsroom, Story, marker};
use std::time::{Duration, Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Whether WordPress lists a published post carrying `marker`.
async fn visible(http: &reqwest::Client, wordpress: &WordPress, marker: &str) -> bool {
    let Ok(answer) = http
        .get(format!("{}/", wordpress.base_url()))
        .query(&[
            ("rest_route", "/wp/v2/posts"),
            ("search", marker),
            ("status", "publish"),
            ("context", "edit"),
        ])
        .basic_auth(wordpress.admin_user(), Some(wordpress.app_password()))
        .send()
        .await
    else {
        return false;
    };
    let Ok(posts) = answer.json::<serde_json::Value>().await else {
        return false;
    };
    posts.as_array().is_some_and(|p| !p.is_empty())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let wordpress = tokio::task::block_in_place(WordPress::start)?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress(
        "website",
        &wordpress.base_url(),
        (wordpress.admin_user(), wordpress.app_password()),
        &[],
    )?;
    let http = reqwest::Client::new();

    // One at a time: publish call → the post is listed as published on WordPress.
    let mut times = Vec::new();
    for i in 0..runs + 2 {
        let (id, approval_id) = newsroom.approved(&Story::new(&format!("মাপ-{i}"))).await?;
        let marker = marker(id);
        let start = Instant::now();
        newsroom
            .client
            .publish(
                &newsroom.editor,
                id,
                &PublishRequest {
                    approval_id,
                    at: None,
                },
            )
            .await?;
        while !visible(&http, &wordpress, &marker).await {
            anyhow::ensure!(
                start.elapsed() < Duration::from_secs(60),
                "article {i} never appeared"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The first two warm WordPress's and SQLite's caches.
        if i >= 2 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "publish → visible on WordPress, {runs} runs: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or_default()
    );

    // 50 at once: approved first, then published back to back; until all 50 are delivered.
    let mut approved = Vec::new();
    for i in 0..50 {
        approved.push(
            newsroom
                .approved(&Story::new(&format!("একসাথে-{i}")))
                .await?,
        );
    }
    let start = Instant::now();
    for (id, approval_id) in &approved {
        newsroom
            .client
            .publish(
                &newsroom.editor,
                *id,
                &PublishRequest {
                    approval_id: approval_id.clone(),
                    at: None,
                },
            )
            .await?;
    }
    let queued = start.elapsed();
    for (id, _) in &approved {
        loop {
            let delivery = newsroom.article(*id).await?.deliveries;
            if delivery
                .first()
                .is_some_and(|d| d.state != DeliveryState::Pending)
            {
                anyhow::ensure!(
                    delivery[0].state == DeliveryState::Delivered,
                    "{delivery:?}"
                );
                break;
            }
            anyhow::ensure!(start.elapsed() < Duration::from_secs(300), "not delivered");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    println!(
        "50 deliveries queued at once (publish calls took {:.1} s): all 50 on WordPress after {:.1} s",
        queued.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
