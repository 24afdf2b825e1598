//! Sync you can see, in the real app behind a fault-injecting proxy: the progress bar with items
//! and bytes on a slow link, the link going down (offline, the error in Bengali and English, a
//! retry), and a refusal by the real server shown on the article with its text kept.

use super::{log_in, paste_text, screen_article};
use barta_tests::{
    AppSession, AppSettings, Display, EDITOR, Fault, Proxy, REPORTER, TestServer, exclusive,
    login_token,
};
use serde_json::Value;
use std::time::Duration;

/// Roughly 3,000 different words: a body that compresses poorly, so it takes a while on a
/// slow link.
fn long_body() -> String {
    let stems = [
        "নদী",
        "পানি",
        "মানুষ",
        "সরকার",
        "বাজার",
        "কৃষক",
        "শহর",
        "গ্রাম",
        "স্কুল",
        "হাসপাতাল",
        "রাস্তা",
        "সেতু",
        "বৃষ্টি",
        "বন্যা",
        "ফসল",
    ];
    let endings = ["", "র", "কে", "তে", "গুলো", "দের", "য়", "ের"];
    (0..150)
        .map(|p| {
            (0..20)
                .map(|w| {
                    let n = p * 20 + w;
                    format!(
                        "{}{}{}",
                        stems[n % stems.len()],
                        endings[(n / stems.len()) % endings.len()],
                        n
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

async fn api(
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> anyhow::Result<(u16, Value)> {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token)
        .timeout(Duration::from_secs(10));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = request.send().await?;
    let status = answer.status().as_u16();
    Ok((status, answer.json().await.unwrap_or(Value::Null)))
}

#[tokio::test]
async fn progress_offline_retry_and_a_refusal_are_shown_and_the_text_is_kept() -> anyhow::Result<()>
{
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let proxy = Proxy::start(&server.url).await?;
    let root = tempfile::tempdir()?;
    let app = AppSession::launch(
        &display,
        AppSettings {
            data_dir: root.path().join("sync-bar"),
            server_url: proxy.url.clone(),
            name: "sync-bar".into(),
        },
    )
    .await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "bonZa").await?;
    paste_text(&app, "body-editor", &long_body()).await?;
    app.wait_attr("stats", "data-words", "3,000 words", |w| {
        w.parse::<usize>().is_ok_and(|n| n >= 3_000)
    })
    .await?;
    app.wait_saved().await?;

    // A slow link (8 KB/s): saving a version sends it, and the bar shows items and bytes.
    proxy.set_default(Fault::Throttle {
        bytes_per_sec: 8_000,
        one_way: Duration::from_millis(100),
    });
    app.click("save-version").await?;
    let bytes_total = app
        .wait_attr("sync-amount", "data-bytes-total", "bytes to send", |b| {
            b.parse::<u64>().is_ok_and(|n| n > 1_000)
        })
        .await?;
    let items_total = app
        .testid("sync-amount")
        .await?
        .attr("data-items-total")
        .await?;
    assert!(
        items_total.as_deref().and_then(|n| n.parse::<u64>().ok()) >= Some(1),
        "items: {items_total:?}"
    );
    let progress_shown = app
        .client
        .execute(
            "const p = document.querySelector('[data-testid=sync-progress]');\n\
             return !p.hidden && p.getBoundingClientRect().width > 0;",
            vec![],
        )
        .await?;
    assert_eq!(
        progress_shown,
        Value::Bool(true),
        "the progress bar is visible"
    );
    let amount = app.text("sync-amount").await?;
    assert!(
        amount.contains("কেবি") && amount.contains('/'),
        "items and bytes in words: {amount:?}"
    );
    app.screenshot("30-sync-progress").await?;
    app.wait_attr("sync-amount", "data-bytes-done", "everything sent", |b| {
        b == bytes_total
    })
    .await?;
    app.wait_attr("sync-pending", "data-count", "nothing pending", |c| {
        c == "0"
    })
    .await?;
    proxy.set_default(Fault::Pass);

    // The server has it; an editor spikes the draft while the reporter's link is down.
    let article_id = screen_article(&app).await?;
    let editor = login_token(&server, &EDITOR).await?;
    let (status, article) = api(
        reqwest::Method::GET,
        format!("{}/v1/articles/{article_id}", server.url),
        &editor,
        None,
    )
    .await?;
    assert_eq!(status, 200, "{article}");
    proxy.set_default(Fault::Reset);
    app.click("sync-now").await?;
    app.wait_attr("sync-state", "data-online", "offline", |o| o == "false")
        .await?;
    let error = app
        .wait_text("sync-error-text", "the error in plain words", |t| {
            !t.is_empty()
        })
        .await?;
    let other = app.text("sync-error-other").await?;
    assert!(
        error
            .chars()
            .any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
        "Bengali first: {error:?}"
    );
    assert!(
        other.chars().any(|c| c.is_ascii_alphabetic())
            && !other
                .chars()
                .any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
        "English beside it: {other:?}"
    );
    app.screenshot("31-sync-offline-error").await?;

    let head = article["head"].as_str().unwrap_or_default();
    let (status, spiked) = api(
        reqwest::Method::POST,
        format!("{}/v1/articles/{article_id}/transitions", server.url),
        &editor,
        Some(serde_json::json!({"action": "spike", "rev_id": head})),
    )
    .await?;
    assert_eq!(status, 200, "the editor spiked the draft: {spiked}");

    // Submitting offline is queued.
    app.click("submit").await?;
    app.wait_attr("sync-pending", "data-count", "the submission queued", |c| {
        c != "0"
    })
    .await?;

    assert!(
        app.absent("article-rejected").await?,
        "no refusal before the server has answered"
    );

    // The link comes back; retry sends the queue, the error goes, and the server refuses the
    // submission of a spiked article. The app's own next round may get there first (seen once
    // in CI: the bar already online, the retry button hidden, before the click): then there is
    // nothing left to click, and what follows is checked all the same.
    proxy.set_default(Fault::Pass);
    let retry = app.testid("sync-retry").await?;
    if retry.is_displayed().await?
        && let Err(refused) = app.click_element(&retry).await
        && retry.is_displayed().await?
    {
        return Err(refused.context("clicking [data-testid=sync-retry]"));
    }
    app.wait_attr("sync-state", "data-online", "online", |o| o == "true")
        .await?;
    app.wait_js(
        "the error cleared",
        "const e = document.querySelector('[data-testid=sync-error-text]');\n\
         return e === null || e.textContent.trim() === '' ? 1 : 0;",
    )
    .await?;
    app.wait_attr("sync-pending", "data-count", "the queue drained", |c| {
        c == "0"
    })
    .await?;

    // The refusal shows on the article while it stays open (the screen follows the store).
    let reason = app
        .wait_text("article-rejected", "the refusal on the open article", |t| {
            !t.is_empty()
        })
        .await?;
    assert!(
        reason
            .chars()
            .any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
        "{reason:?}"
    );
    let code = app
        .testid("article-rejected")
        .await?
        .attr("data-code")
        .await?;
    assert_eq!(code.as_deref(), Some("conflict"), "{reason:?}");
    // In view, though the caret is at the end of a 3,000-word body.
    let in_view = app
        .client
        .execute(
            "const r = document.querySelector('[data-testid=article-rejected]').getBoundingClientRect();\n\
             return r.top >= 0 && r.bottom <= window.innerHeight && window.scrollY > 1000;",
            vec![],
        )
        .await?;
    assert_eq!(
        in_view,
        serde_json::Value::Bool(true),
        "the refusal is in view"
    );
    // The editor's spike reached the open article too: its state, and no submit button.
    app.wait_attr("article-state", "data-state", "the spike shown", |s| {
        s == "spiked"
    })
    .await?;
    let submit_hidden = app.testid("submit").await?.prop("hidden").await?;
    assert_eq!(
        submit_hidden.as_deref(),
        Some("true"),
        "a spiked article cannot be submitted"
    );
    // The whole text is still there, first word to last.
    let body = app.text("body-editor").await?;
    assert!(
        body.starts_with("নদী0 ") && body.trim_end().ends_with("2999"),
        "the text is kept: {:?} … {:?}",
        body.chars().take(40).collect::<String>(),
        body.chars().rev().take(40).collect::<String>()
    );
    app.wait_attr("stats", "data-words", "every word counted", |w| {
        w.parse::<usize>().is_ok_and(|n| n >= 3_000)
    })
    .await?;
    app.screenshot("32-rejected-submission").await?;
    app.close().await
}
