//! My articles: instant Bengali search with highlighted snippets, and an article's history —
//! versions, a readable diff, restore as a new version.

use super::{launch, log_in};
use barta_tests::{Display, REPORTER, TestServer, exclusive};

#[tokio::test]
async fn search_finds_inflected_forms_and_history_shows_and_restores_versions() -> anyhow::Result<()>
{
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "search-history").await?;
    log_in(&app, &REPORTER).await?;
    app.click("phonetic-toggle").await?; // type Bengali directly below
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;

    app.click("new-article").await?;
    app.type_into("headline", "পিয়ংইয়ংয়ে বৈঠক").await?;
    app.type_into("body-editor", "পুতিন উত্তর কোরিয়াকে চিঠি লিখেছেন।")
        .await?;
    app.wait_saved().await?;
    app.click("save-version").await?;

    // Change one word, then compare the saved version with the current text.
    app.type_into("body-editor", " দুই দেশ একমত।").await?;
    app.wait_saved().await?;
    app.click("history-open").await?;
    let diff = app
        .wait_text("diff", "a diff", |t| t.contains("একমত"))
        .await?;
    assert!(diff.contains("কোরিয়াকে"), "{diff:?}");
    let inserted = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=diff] ins')).map(e => e.textContent).join('|');",
            vec![],
        )
        .await?;
    assert!(
        inserted.as_str().unwrap_or("").contains("একমত"),
        "inserted runs: {inserted}"
    );
    app.screenshot("14-history-diff").await?;

    // Restore the saved version: a new version with the old text; nothing is lost.
    app.click("history-restore").await?;
    // Restoring asks first, in the page (an alertdialog that takes the focus).
    let dialog = app.text("history-restore-dialog").await?;
    assert!(!dialog.is_empty());
    let focused = app
        .client
        .active_element()
        .await?
        .attr("data-testid")
        .await?;
    assert_eq!(focused.as_deref(), Some("history-restore-confirm"));
    app.click("history-restore-confirm").await?;
    app.wait_text("body-editor", "the old text", |t| !t.contains("একমত"))
        .await?;
    app.click("history-open").await?;
    let versions = app
        .wait_js(
            "three versions listed",
            "const n = document.querySelectorAll('[data-testid=history-from] option').length; return n >= 3 ? n : 0;",
        )
        .await?;
    assert!(
        versions >= 3,
        "old, current and restored versions: {versions}"
    );

    // Any two versions (newest first): the one with the added sentence against the restored
    // one shows the sentence taken out; the first against the restored one shows no change.
    let ids = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=history-from] option')).map(o => o.value);",
            vec![],
        )
        .await?;
    let ids: Vec<String> = serde_json::from_value(ids)?;
    app.set_value("history-from", &ids[1]).await?;
    app.set_value("history-to", &ids[0]).await?;
    app.wait_js(
        "the sentence shown as deleted",
        "return Array.from(document.querySelectorAll('[data-testid=diff] del')).some(e => e.textContent.includes('একমত')) ? 1 : 0;",
    )
    .await?;
    app.set_value("history-from", &ids[ids.len() - 1]).await?;
    app.wait_js(
        "no change between the first version and the restored one",
        "const d = document.querySelector('[data-testid=diff]');\n\
         return d && d.querySelectorAll('ins, del').length === 0 ? 1 : 0;",
    )
    .await?;

    let label = app
        .client
        .execute(
            "return document.querySelector('[data-testid=history-from] option').textContent;",
            vec![],
        )
        .await?;
    let label = label.as_str().unwrap_or_default();
    assert!(
        label.contains("এএম") || label.contains("পিএম"),
        "versions are dated as the portals print times: {label:?}"
    );

    // Search: an inflected form in the body, with the match marked.
    app.click("back").await?;
    app.type_into("search", "কোরিয়া").await?;
    let hit = app
        .wait_text("search-hit", "a hit", |t| t.contains("পিয়ংইয়ংয়ে"))
        .await?;
    assert!(
        hit.contains("কোরিয়াকে"),
        "the snippet shows the inflected form: {hit:?}"
    );
    let marked = app
        .client
        .execute("return document.querySelector('[data-testid=search-snippet] mark')?.textContent ?? '';", vec![])
        .await?;
    assert_eq!(marked, "কোরিয়াকে");
    app.screenshot("15-search").await?;

    // Filters narrow it: another desk finds nothing; this desk, its reporter and today's
    // Dhaka date find it again; a day before today finds nothing.
    app.set_value("filter-desk", "sports").await?;
    app.wait_text("search-hits", "no hit on another desk", |t| {
        !t.contains("পিয়ংইয়ংয়ে") && !t.is_empty()
    })
    .await?;
    app.set_value("filter-desk", "national").await?;
    app.set_value("filter-author", REPORTER.username).await?;
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(6 * 3600).expect("UTC+6"))
        .date_naive();
    app.set_value("filter-from", &today.to_string()).await?;
    app.wait_text("search-hit", "the hit with filters", |t| {
        t.contains("পিয়ংইয়ংয়ে")
    })
    .await?;
    let yesterday = today.pred_opt().expect("a day before");
    app.set_value("filter-from", "").await?;
    app.set_value("filter-until", &yesterday.to_string())
        .await?;
    app.wait_text("search-hits", "nothing changed before today", |t| {
        !t.contains("পিয়ংইয়ংয়ে") && !t.is_empty()
    })
    .await?;
    app.close().await
}
