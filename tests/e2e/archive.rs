//! The newsroom's archive from the app (issue 17): an editor's laptop holds the window, not an
//! article published before it; the search finds that article on the server, labels it, and
//! opening it fetches it into the laptop, where it stays (on the desk board, readable with the
//! server gone). With the server gone, the search answers from the laptop and says the archive
//! was not searched because it is offline.

use super::{launch, log_in, open_first_row, screen_article};
use barta_tests::newsroom::{Newsroom, Story};
use barta_tests::{Display, EDITOR, TestServer, exclusive};
use serde_json::Value;

const OLD_HEADLINE: &str = "চাঁদপুরে ইলিশের মৌসুম শুরু";
const OLD_TEXT: &str = "পদ্মা ও মেঘনায় জেলেরা ইলিশ ধরতে নদীতে নেমেছেন।";
const OWN_HEADLINE: &str = "বাজারে ইলিশের দাম কমেছে";
const OWN_TEXT: &str = "কারওয়ান বাজারে আজ ইলিশ বিক্রি হয়েছে কেজিপ্রতি বারোশো টাকায়।";
/// A word of both articles, searched as typed.
const WORD: &str = "ইলিশ";

/// The search list's rows as (source, article id, text).
async fn hit_rows(app: &barta_tests::AppSession) -> anyhow::Result<Vec<(String, String, String)>> {
    let rows = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=search-hit]'))\n\
             .map(b => [b.dataset.source, b.dataset.articleId, b.textContent]);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

/// Types `WORD` into the search box of the list on screen and waits for the archive's part to
/// be settled as `mark` (`searched`, or why it was not).
async fn search(app: &barta_tests::AppSession, mark: &str) -> anyhow::Result<()> {
    app.type_into("search", WORD).await?;
    app.wait_attr("archive-note", "data-archive", mark, |a| a == mark)
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_old_article_is_found_in_the_archive_opened_and_kept_and_offline_the_search_says_so()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    // Published by the desk (written by the reporter), then the newsroom's window shrunk to
    // 0 days: a new laptop of the editor holds neither it nor its history.
    let mut newsroom = Newsroom::of(TestServer::start_demo()?).await?;
    let old = Story {
        headline: OLD_HEADLINE.into(),
        paragraphs: vec![OLD_TEXT.into()],
        ..Story::new("archive")
    };
    let old_id = newsroom.publish(&old, None).await?.to_string();
    newsroom.barta_ok(&["newsroom", "set", "sync.window-days", "0"], None)?;

    let display = Display::start()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &newsroom.server, root.path(), "archive").await?;
    log_in(&app, &EDITOR).await?;
    app.click("phonetic-toggle").await?; // type Bengali directly below
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;

    // The editor's own article with the word, saved as a version and sent: by then the
    // laptop's first round (the window) is long done.
    app.click("tab-mine").await?;
    app.click("new-article").await?;
    app.type_into("headline", OWN_HEADLINE).await?;
    app.type_into("body-editor", OWN_TEXT).await?;
    app.wait_saved().await?;
    app.click("save-version").await?;
    app.wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    app.click("back").await?;
    // The published article is not on the laptop: the board's published column is empty.
    app.click("tab-desk_queue").await?;
    app.wait_attr("queue-published", "data-count", "empty", |c| c == "0")
        .await?;
    app.click("tab-mine").await?;

    // The search: the own article from the laptop first, then the old one from the archive,
    // labelled; the own article, which the server has too, is not shown twice.
    search(&app, "searched").await?;
    let rows = hit_rows(&app).await?;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "local", "{rows:?}");
    assert!(rows[0].2.contains(OWN_HEADLINE), "{rows:?}");
    assert_eq!(rows[1].0, "archive", "{rows:?}");
    assert_eq!(rows[1].1, old_id);
    assert!(rows[1].2.contains(OLD_HEADLINE), "{rows:?}");
    let label = app.text("archive-label").await?;
    assert_eq!(label, "আর্কাইভ");
    let marked = app
        .client
        .execute(
            "return document.querySelector('[data-source=archive] [data-testid=search-snippet] mark')?.textContent ?? '';",
            vec![],
        )
        .await?;
    assert_eq!(
        marked,
        Value::from(WORD),
        "the archive's snippet marks the word"
    );
    assert!(
        app.testid("archive-note")
            .await?
            .attr("hidden")
            .await?
            .is_some(),
        "nothing to say when the archive was searched"
    );
    app.screenshot("80-archive-search").await?;

    // Opening it fetches it, then it opens as any article, with its text.
    let archived = app
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=search-hit][data-source=archive]",
        ))
        .await?;
    app.click_element(&archived).await?;
    app.testid("article-screen").await?;
    assert_eq!(screen_article(&app).await?, old_id);
    assert_eq!(app.text("headline").await?, OLD_HEADLINE);
    let body = app
        .wait_text("body-editor", "the archived text", |t| t.contains(OLD_TEXT))
        .await?;
    assert!(body.contains(OLD_TEXT), "{body:?}");
    app.wait_attr("article-state", "data-state", "published", |s| {
        s == "published"
    })
    .await?;
    app.click("back").await?;

    // It is the laptop's now: on the board, and readable with the server gone.
    app.click("tab-desk_queue").await?;
    app.wait_attr("queue-published", "data-count", "one article", |c| c == "1")
        .await?;
    newsroom.server.stop();
    open_first_row(&app).await?;
    assert_eq!(screen_article(&app).await?, old_id);
    app.wait_text("body-editor", "the archived text offline", |t| {
        t.contains(OLD_TEXT)
    })
    .await?;
    app.click("back").await?;

    // Offline, the search answers from the laptop and says why the archive was not searched.
    app.click("tab-mine").await?;
    search(&app, "offline").await?;
    let note = app.text("archive-note").await?;
    assert_eq!(note, "আর্কাইভ খোঁজা হয়নি — অফলাইন");
    let rows = hit_rows(&app).await?;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "local");
    assert!(rows[0].2.contains(OWN_HEADLINE), "{rows:?}");
    app.screenshot("81-archive-offline").await?;
    app.close().await
}
