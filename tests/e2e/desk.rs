//! The desk editor's app with a reporter's app beside it, both real, against the real backend:
//! the review cycle to the public page, a clash on one paragraph resolved before approval, an
//! edit after approval, what a reporter may not do, and the desk board (read in the reading
//! pane, approved from the keyboard, arrivals highlighted) at a laptop's 1366×768.

use super::{get_json, launch, log_in, open_first_row, screen_article, server_article};
use barta_tests::{
    AppSession, Display, EDITOR, Fault, Proxy, REPORTER, TestServer, exclusive, login_token,
};
use serde_json::Value;
use std::time::Duration;

const HEADLINE: &str = "সিলেটে বন্যায় পানিবন্দি লাখো মানুষ";
const BODY: &str = "সিলেটে বন্যায় পাঁচ জন মারা গেছেন বলে পুলিশ জানিয়েছে।";
const COMMENT: &str = "সংখ্যাটি কি হাসপাতাল নিশ্চিত করেছে?";
const NOTE: &str = "হাসপাতালের সূত্র যোগ করুন";
const FIX: &str = " ওসমানী হাসপাতাল সংখ্যাটি নিশ্চিত করেছে।";
const EDIT: &str = " (সিলেট সদর)";
const CORRECTION: &str = " মৃতদের একজন শিশু।";
const CORRECTION_NOTE: &str = "মৃতদের পরিচয় যোগ করা হয়েছে";

async fn write_and_submit(reporter: &AppSession) -> anyhow::Result<()> {
    write_and_submit_titled(reporter, HEADLINE).await
}

/// A new article headed `headline` (with [`BODY`]), submitted and sent.
async fn write_and_submit_titled(reporter: &AppSession, headline: &str) -> anyhow::Result<()> {
    reporter.click("new-article").await?;
    reporter.type_into("headline", headline).await?;
    reporter.type_into("body-editor", BODY).await?;
    reporter.wait_saved().await?;
    reporter.click("submit").await?;
    reporter
        .wait_text("article-state", "submitted", |t| t == "জমা দেওয়া")
        .await?;
    sent(reporter).await
}

/// Waits until nothing waits in the app's outbox.
async fn sent(app: &AppSession) -> anyhow::Result<()> {
    app.wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    Ok(())
}

/// Opens the first row of the editor's incoming queue once it shows the article.
async fn open_incoming(editor: &AppSession) -> anyhow::Result<()> {
    editor.click("queue-incoming").await?;
    editor
        .wait_text("queue-items", "the submitted article", |t| {
            t.contains(HEADLINE)
        })
        .await?;
    open_first_row(editor).await
}

/// Approves the server's head of `article_id` straight through the API, as `token`'s user:
/// what a forged call from a modified client would do.
async fn forged_approval(
    server: &TestServer,
    token: &str,
    article_id: &str,
) -> anyhow::Result<reqwest::Response> {
    let article = get_json(&format!("{}/v1/articles/{article_id}", server.url), token).await?;
    let head = article["head"].as_str().unwrap_or_default().to_string();
    Ok(reqwest::Client::new()
        .post(format!("{}/v1/articles/{article_id}/approve", server.url))
        .bearer_auth(token)
        .header("If-Match", format!("\"{head}\""))
        .json(&serde_json::json!({"rev_id": head, "sha256": article["head_revision"]["sha256"]}))
        .send()
        .await?)
}

#[tokio::test]
async fn the_review_cycle_runs_from_submission_to_the_public_page() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let reporter = launch(&display, &server, root.path(), "reporter").await?;
    log_in(&reporter, &REPORTER).await?;
    write_and_submit(&reporter).await?;

    // The editor's queue counts it and shows who filed it, how long it is and since when.
    // Its own screen: screenshots are the X server's copy of the screen, one window each.
    let editor_display = Display::start()?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    editor
        .wait_attr("queue-incoming", "data-count", "one incoming", |c| c == "1")
        .await?;
    let row = editor
        .wait_text("queue-items", "the row", |t| t.contains(HEADLINE))
        .await?;
    assert!(row.contains("rahim"), "{row}");
    assert!(row.contains("শব্দ"), "{row}");
    editor.screenshot("20-desk-queue").await?;
    open_incoming(&editor).await?;

    // The reporter still has it open: the editor is told, and nothing is locked. The editor's
    // app asks who else is there when it opens the article and then every 20 s, and the
    // reporter's first heartbeat may reach the server just after that first look (it retries
    // every 3 s until the article is on the server): so within two looks, not one.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    loop {
        if editor.text("presence").await?.contains("rahim") {
            break;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the editor was never told that the reporter has the article open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // A comment on a passage.
    editor.select_text("body-editor", "পাঁচ জন").await?;
    editor.type_into("comment-input", COMMENT).await?;
    editor.click("comment-add").await?;
    editor
        .wait_text("comments", "the comment", |t| {
            t.contains(COMMENT) && t.contains("পাঁচ জন")
        })
        .await?;
    editor.scroll_to("body-editor").await?;
    editor.screenshot("21-review-comment-presence").await?;

    // Returned with a note.
    editor.click("return").await?;
    editor.type_into("return-note-input", NOTE).await?;
    editor.click("return-send").await?;
    editor
        .wait_text("article-state", "returned", |t| t == "ফেরত")
        .await?;
    sent(&editor).await?;

    // The reporter sees the note and the comment, fixes the text and submits again.
    reporter.click("back").await?;
    reporter
        .wait_text("list-mine", "returned in the list", |t| t.contains("ফেরত"))
        .await?;
    reporter.click("article-row").await?;
    reporter
        .wait_text("return-note", "the editor's note", |t| t.contains(NOTE))
        .await?;
    reporter
        .wait_text("comments", "the editor's comment", |t| t.contains(COMMENT))
        .await?;
    reporter
        .screenshot("22-reporter-returned-with-note")
        .await?;
    reporter.type_at_end("body-editor", FIX).await?;
    reporter.wait_saved().await?;
    reporter.click("submit").await?;
    reporter
        .wait_text("article-state", "submitted again", |t| t == "জমা দেওয়া")
        .await?;
    sent(&reporter).await?;

    // The editor sees what changed since the first submission, approves and previews.
    editor.click("back").await?;
    open_incoming(&editor).await?;
    editor
        .wait_text("body-editor", "the fix", |t| t.contains(FIX.trim()))
        .await?;
    // The editor's own edits are tracked against the submitted text.
    editor.click("track-changes").await?;
    editor
        .wait_text("tracked-changes", "nothing changed yet", |t| {
            t.contains("কিছু বদলায়নি")
        })
        .await?;
    editor.click("track-changes").await?;
    editor.type_at_end("body-editor", EDIT).await?;
    editor.wait_saved().await?;
    editor.click("track-changes").await?;
    let tracked = editor
        .wait_text("tracked-changes", "the inserted words", |t| {
            t.contains("সিলেট সদর")
        })
        .await?;
    assert!(
        tracked.contains("ওসমানী"),
        "the unchanged text is shown too: {tracked}"
    );
    let inserted = editor
        .testid("tracked-changes")
        .await?
        .find(fantoccini::Locator::Css("ins"))
        .await?
        .text()
        .await?;
    assert!(
        inserted.contains("সিলেট সদর"),
        "inserted words are marked: {inserted}"
    );
    editor.scroll_to("tracked-changes").await?;
    editor.screenshot("23-tracked-changes").await?;
    editor.click("approve").await?;
    editor
        .wait_text("article-state", "approved", |t| t == "অনুমোদিত")
        .await?;
    editor.click("preview-open").await?;
    let preview = editor
        .wait_text("preview", "the portal page", |t| t.contains(HEADLINE))
        .await?;
    assert!(preview.contains("ঢাকা"), "the Bengali dateline: {preview}");
    assert!(preview.contains("ওসমানী"), "{preview}");
    editor.screenshot("24-publication-preview").await?;

    // Published: the public page is the backend's HTML with the approved text.
    editor.click("publish-now").await?;
    let url = editor
        .wait_text("public-url", "the public link", |t| t.starts_with("http"))
        .await?;
    editor
        .wait_text("article-state", "published", |t| t == "প্রকাশিত")
        .await?;
    editor.screenshot("25-published").await?;
    let page = reqwest::Client::new()
        .get(&url)
        .header("Accept", "text/html")
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains(HEADLINE), "{page}");
    assert!(page.contains("ওসমানী হাসপাতাল"), "{page}");
    assert!(
        page.contains("সিলেট সদর"),
        "the editor's edit is in the approved text: {page}"
    );
    assert!(
        page.contains("পিএম") || page.contains("এএম"),
        "the portal's time: {page}"
    );

    // In the published queue, the article shows its public page; unpublished, it leaves the
    // public feed.
    editor.click("back").await?;
    editor.click("queue-published").await?;
    editor
        .wait_text("queue-items", "the published article", |t| {
            t.contains(HEADLINE)
        })
        .await?;
    open_first_row(&editor).await?;
    editor
        .wait_text("public-url", "the public link again", |t| t == url)
        .await?;

    // A correction: the edited text replaces the published one, with a note for readers;
    // the same public link shows it.
    editor.type_at_end("body-editor", CORRECTION).await?;
    editor.wait_saved().await?;
    editor.type_into("correction-note", CORRECTION_NOTE).await?;
    editor.click("correct").await?;
    editor
        .wait_text("article-state", "corrected", |t| t == "সংশোধিত")
        .await?;
    let page = reqwest::Client::new()
        .get(&url)
        .header("Accept", "text/html")
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains(CORRECTION.trim()), "{page}");
    assert!(page.contains(CORRECTION_NOTE), "{page}");
    editor.screenshot("29-correction-published").await?;
    editor.click("unpublish").await?;
    editor
        .wait_text("article-state", "unpublished", |t| t == "অপ্রকাশিত")
        .await?;
    sent(&editor).await?;
    let feed: Value = reqwest::Client::new()
        .get(format!("{}/v1/published", server.url))
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(0), "{feed}");

    editor.close().await?;
    reporter.close().await
}

#[tokio::test]
async fn a_clash_on_one_paragraph_is_shown_and_resolved_before_approval() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    // The reporter's link goes through a proxy the test can cut.
    let proxy = Proxy::start(&server.url).await?;
    let reporter = AppSession::launch(
        &display,
        barta_tests::AppSettings {
            data_dir: root.path().join("reporter"),
            server_url: proxy.url.clone(),
            name: "reporter".into(),
        },
    )
    .await?;
    log_in(&reporter, &REPORTER).await?;
    write_and_submit(&reporter).await?;
    // Its own screen: screenshots are the X server's copy of the screen, one window each.
    let editor_display = Display::start()?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    open_incoming(&editor).await?;

    // Offline, the reporter changes the paragraph; the editor changes it too, online.
    proxy.set_default(Fault::Reset);
    reporter.type_at_end("body-editor", " সাত জন আহত।").await?;
    reporter.wait_saved().await?;
    reporter.click("save-version").await?;
    editor
        .type_at_end("body-editor", " আহতদের হাসপাতালে নেওয়া হয়েছে।")
        .await?;
    editor.wait_saved().await?;
    editor.click("save-version").await?;
    sent(&editor).await?;

    // Back online: the reporter's push meets the editor's version, and the clash becomes a
    // conflict block (nothing is dropped, nothing chosen silently).
    proxy.set_default(Fault::Pass);
    sent(&reporter).await?;
    editor.click("back").await?;
    // The queue marks the article.
    editor
        .wait_text("queue-conflict", "the conflict mark", |t| {
            t.contains("দ্বন্দ্ব")
        })
        .await?;
    open_incoming(&editor).await?;
    editor
        .wait_attr("conflict-count", "data-count", "one conflict", |c| c == "1")
        .await?;
    let conflict = editor.text("conflict").await?;
    assert!(
        conflict.contains("সাত জন আহত"),
        "the reporter's side: {conflict}"
    );
    assert!(
        conflict.contains("আহতদের হাসপাতালে"),
        "the editor's side: {conflict}"
    );
    assert!(
        conflict.contains("rahim") && conflict.contains("nasrin"),
        "who wrote each: {conflict}"
    );
    let approve = editor.testid("approve").await?;
    assert!(
        approve.attr("disabled").await?.is_some(),
        "approval is impossible while a conflict remains"
    );
    editor.scroll_to("conflict").await?;
    editor.screenshot("26-conflict-side-by-side").await?;

    // The server refuses a forged approval of the conflicted head, too.
    let token = login_token(&server, &EDITOR).await?;
    let forged = forged_approval(&server, &token, &screen_article(&editor).await?).await?;
    assert_eq!(forged.status().as_u16(), 422);

    // Resolved by keeping both versions and merging them by hand: then approval goes through.
    editor.click("conflict-keep-both").await?;
    editor
        .wait_attr("conflict-count", "data-count", "no conflict", |c| c == "0")
        .await?;
    let body = editor.text("body-editor").await?;
    assert!(
        body.contains("সাত জন আহত") && body.contains("আহতদের হাসপাতালে"),
        "{body}"
    );
    editor.wait_saved().await?;
    editor.click("approve").await?;
    editor
        .wait_text("article-state", "approved", |t| t == "অনুমোদিত")
        .await?;

    // An edit after approval: the screen says the approved and current versions differ.
    editor
        .wait_attr("approved-diff", "data-same", "the same at first", |s| {
            s == "true"
        })
        .await?;
    editor
        .type_at_end("body-editor", " সন্ধ্যায় আরও বৃষ্টি হতে পারে।")
        .await?;
    editor.wait_saved().await?;
    editor
        .wait_attr(
            "approved-diff",
            "data-same",
            "different after the edit",
            |s| s == "false",
        )
        .await?;
    // The diff follows each save of the typing, so wait for the whole sentence to reach it.
    editor
        .wait_text("approved-diff", "the new sentence in the diff", |t| {
            t.contains("সন্ধ্যায় আরও বৃষ্টি")
        })
        .await?;
    editor.scroll_to("approved-diff").await?;
    editor
        .screenshot("27-approved-differs-from-current")
        .await?;

    // A publication time in the past is refused with a clear message; nothing changes.
    editor.set_value("schedule-at", "2020-01-01T10:00").await?;
    editor.click("schedule").await?;
    let error = editor
        .wait_text("article-error", "the refusal", |t| t.contains("past"))
        .await?;
    assert!(error.contains("2020"), "{error}");
    assert_eq!(editor.text("article-state").await?, "অনুমোদিত");

    editor.close().await?;
    reporter.close().await
}

#[tokio::test]
async fn a_reporter_cannot_approve_and_an_approval_survives_the_backend_going_away()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let mut server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let reporter = launch(&display, &server, root.path(), "reporter").await?;
    log_in(&reporter, &REPORTER).await?;
    write_and_submit(&reporter).await?;

    // The reporter's app offers no approval, and the server refuses a forged one.
    assert!(
        reporter.absent("approve").await?,
        "no approve button for a reporter"
    );
    assert!(reporter.absent("publish-now").await?);
    let token = login_token(&server, &REPORTER).await?;
    let forged = forged_approval(&server, &token, &screen_article(&reporter).await?).await?;
    assert_eq!(forged.status().as_u16(), 403);
    let answer: Value = forged.json().await?;
    assert_eq!(answer["error"]["code"], "forbidden", "{answer}");

    // The backend goes away as the editor approves: a clear error, nothing changes; when it
    // is back, the approval goes through.
    // Its own screen: screenshots are the X server's copy of the screen, one window each.
    let editor_display = Display::start()?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    open_incoming(&editor).await?;
    server.stop();
    editor.click("approve").await?;
    let error = editor
        .wait_text("article-error", "the error", |t| !t.is_empty())
        .await?;
    assert!(
        error.contains("সার্ভারে পৌঁছানো যাচ্ছে না") || error.contains("server"),
        "{error}"
    );
    assert_eq!(editor.text("article-state").await?, "জমা দেওয়া");
    editor.screenshot("28-approve-while-offline").await?;
    server.restart()?;
    editor.click("approve").await?;
    editor
        .wait_text("article-state", "approved", |t| t == "অনুমোদিত")
        .await?;
    editor.close().await?;
    reporter.close().await
}

/// The text of the desk board's `queue` column.
async fn column_text(app: &AppSession, queue: &str) -> anyhow::Result<String> {
    Ok(app
        .client
        .execute(
            "const c = document.querySelector(`[data-testid=board-column][data-queue=${arguments[0]}]`);\n\
             return c ? c.textContent : '';",
            vec![Value::from(queue)],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// Presses `keys` where the focus is (the page itself when nothing is focused).
async fn press(app: &AppSession, keys: &str) -> anyhow::Result<()> {
    app.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

#[tokio::test]
async fn the_desk_board_reads_and_approves_an_article_without_opening_it() -> anyhow::Result<()> {
    const SECOND: &str = "চট্টগ্রামে পাহাড়ধসের শঙ্কা";
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let reporter = launch(&display, &server, root.path(), "reporter").await?;
    log_in(&reporter, &REPORTER).await?;
    write_and_submit(&reporter).await?;

    // The editor's laptop: a 1366×768 screen, the window as large.
    let editor_display = Display::start_sized(1366, 768)?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    editor.client.set_window_rect(0, 0, 1366, 768).await?;
    log_in(&editor, &EDITOR).await?;
    editor
        .wait_attr("queue-incoming", "data-count", "one incoming", |c| c == "1")
        .await?;
    let incoming = column_text(&editor, "incoming").await?;
    assert!(
        incoming.contains(HEADLINE) && incoming.contains("rahim"),
        "{incoming}"
    );

    // `j` selects it; the reading pane shows its text without opening it for editing.
    press(&editor, "j").await?;
    editor
        .wait_text("reading-text", "the article's text", |t| {
            t.contains("পাঁচ জন মারা গেছেন")
        })
        .await?;
    assert!(
        editor.absent("article-screen").await?,
        "the article was not opened"
    );
    editor
        .wait_text("reading-comments", "no comments", |t| {
            t.contains("মন্তব্য নেই")
        })
        .await?;
    editor
        .wait_text("reading-changes", "nothing changed since submission", |t| {
            t.contains("কিছু বদলায়নি")
        })
        .await?;

    // A second article arrives by sync while the editor looks: it is highlighted.
    reporter.click("back").await?;
    write_and_submit_titled(&reporter, SECOND).await?;
    editor
        .wait_attr("queue-incoming", "data-count", "two incoming", |c| c == "2")
        .await?;
    let arrived: Value = editor
        .client
        .execute(
            "return [...document.querySelectorAll('[data-arrived=true]')].map(r => r.textContent).join('|');",
            vec![],
        )
        .await?;
    assert!(
        arrived.as_str().unwrap_or_default().contains(SECOND),
        "{arrived}"
    );
    let selected = editor
        .testid("reading-pane")
        .await?
        .attr("data-article-id")
        .await?;
    editor.screenshot("70-desk-board-bn").await?;

    // `a` approves the selected article: it moves to the approved column.
    let first = editor
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=queue-row]')].find(r => r.textContent.includes(arguments[0])).dataset.articleId;",
            vec![Value::from(HEADLINE)],
        )
        .await?;
    assert_eq!(
        selected.as_deref(),
        first.as_str(),
        "the selection stayed on the first article"
    );
    press(&editor, "a").await?;
    editor
        .wait_attr("queue-approved", "data-count", "one approved", |c| c == "1")
        .await?;
    let approved = column_text(&editor, "approved").await?;
    assert!(approved.contains(HEADLINE), "{approved}");
    assert!(!column_text(&editor, "incoming").await?.contains(HEADLINE));
    assert!(
        editor.absent("article-screen").await?,
        "approved without opening it"
    );
    sent(&editor).await?;
    let on_server = server_article(&server, &EDITOR, first.as_str().unwrap_or_default()).await?;
    assert_eq!(on_server["state"], "approved", "{on_server}");

    // The same board in English.
    editor.click("lang").await?;
    editor
        .wait_text("queue-approved", "English column names", |t| {
            t.contains("Approved")
        })
        .await?;
    press(&editor, "j").await?;
    editor
        .wait_text("reading-text", "the article's text", |t| {
            t.contains("পাঁচ জন মারা গেছেন")
        })
        .await?;
    editor.screenshot("71-desk-board-en").await?;

    // One desk at a time: the desk chooser appears; the national desk has both articles.
    editor.click("board-layout-desk").await?;
    editor
        .wait_attr("board", "data-layout", "the per-desk layout", |l| {
            l == "desk"
        })
        .await?;
    editor.set_value("board-desk", "national").await?;
    editor
        .wait_attr("queue-approved", "data-count", "the national desk", |c| {
            c == "1"
        })
        .await?;
    // The focus was on the layout button: `j` takes it to a row of the board again.
    press(&editor, "j").await?;
    editor
        .wait_text("reading-text", "the article's text", |t| {
            t.contains("পাঁচ জন মারা গেছেন")
        })
        .await?;
    editor.screenshot("72-desk-board-per-desk-en").await?;

    // Enter opens the selected article for editing.
    press(&editor, "\u{E007}").await?; // Enter
    editor.testid("article-screen").await?;
    editor.close().await?;
    reporter.close().await
}
