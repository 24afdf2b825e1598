//! The reporter's and the editor's main flows, for real.

use super::{launch, log_in, open_first_row, screen_article, server_article};
use barta_tests::{Display, EDITOR, REPORTER, TestServer, exclusive};
use std::time::Duration;

const HEADLINE: &str = "উত্তর কোরিয়ার সঙ্গে সম্পর্ক বাড়ানোর অঙ্গীকার";
const BODY: &str = "রাষ্ট্রীয় সংবাদমাধ্যম জানিয়েছে, দুই দেশের সম্পর্ক জোরদার হবে।";

/// Opens a new article and types the Bengali headline and body.
async fn write_article(app: &barta_tests::AppSession) -> anyhow::Result<()> {
    app.click("new-article").await?;
    app.type_into("headline", HEADLINE).await?;
    app.type_into("body-editor", BODY).await?;
    app.wait_saved().await?;
    Ok(())
}

#[tokio::test]
async fn typed_bengali_reads_back_from_the_dom() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "typing").await?;
    app.screenshot("01-login").await?;
    log_in(&app, &REPORTER).await?;
    write_article(&app).await?;
    assert_eq!(app.text("headline").await?, HEADLINE);
    assert_eq!(app.text("body-editor").await?.trim(), BODY);
    app.screenshot("02-editor-bengali").await?;
    app.close().await
}

#[tokio::test]
async fn wrong_password_shows_the_servers_answer() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "wrong-password").await?;
    app.type_into("login-username", REPORTER.username).await?;
    app.type_into("login-password", "not-the-password").await?;
    app.click("login-submit").await?;
    let error = app
        .wait_text("login-error", "an error", |t| !t.is_empty())
        .await?;
    assert!(
        error.contains("পাসওয়ার্ড"),
        "a plain-words refusal, got {error:?}"
    );
    app.screenshot("03-login-refused").await?;
    app.close().await
}

#[tokio::test]
async fn a_killed_app_restarts_with_the_draft_intact_while_the_server_is_down() -> anyhow::Result<()>
{
    let _gate = exclusive().await;
    let display = Display::start()?;
    let mut server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "restart").await?;
    log_in(&app, &REPORTER).await?;
    write_article(&app).await?;
    server.stop();
    app.kill_app().await?;

    // Unlocked offline with the password (the server is down); still logged in.
    let app = launch(&display, &server, root.path(), "restart").await?;
    app.unlock(&REPORTER).await?;
    app.wait_text("sync-state", "offline", |t| t == "অফলাইন")
        .await?;
    // It opens again on the article that was open, by itself.
    app.testid("article-screen").await?;
    assert_eq!(app.text("headline").await?, HEADLINE);
    assert_eq!(app.text("body-editor").await?.trim(), BODY);
    app.screenshot("04-restarted-offline").await?;

    // Submitting offline queues it; the server coming back drains the queue.
    app.click("submit").await?;
    app.wait_attr("sync-pending", "data-count", "queued", |c| c != "0")
        .await?;
    server.restart()?;
    app.wait_attr("sync-pending", "data-count", "drained", |c| c == "0")
        .await?;
    // The server has it, submitted, with the text typed offline.
    let article = server_article(&server, &REPORTER, &screen_article(&app).await?).await?;
    assert_eq!(article["state"], "submitted", "{article}");
    assert_eq!(article["head_revision"]["meta"]["headline"], HEADLINE);
    app.close().await
}

#[tokio::test]
async fn a_reporter_submits_and_an_editor_approves_across_two_apps() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;

    let reporter = launch(&display, &server, root.path(), "reporter").await?;
    log_in(&reporter, &REPORTER).await?;
    write_article(&reporter).await?;
    reporter.click("submit").await?;
    reporter
        .wait_text("article-state", "submitted", |t| t == "জমা দেওয়া")
        .await?;
    reporter
        .wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    reporter.screenshot("05-reporter-submitted").await?;

    // A second app instance, running at the same time, for the editor.
    // Its own screen: screenshots are the X server's copy of the screen, one window each.
    let editor_display = Display::start()?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    let row = editor.wait_text("queue-items", "the submitted article", |t| {
        t.contains(HEADLINE)
    });
    row.await?;
    editor.screenshot("06-editor-queue").await?;
    open_first_row(&editor).await?;
    assert_eq!(editor.text("body-editor").await?.trim(), BODY);
    editor.click("approve").await?;
    editor
        .wait_text("article-state", "approved", |t| t == "অনুমোদিত")
        .await?;
    editor.screenshot("07-editor-approved").await?;

    // The server agrees: the article's state is approved.
    let article_id = editor
        .testid("article-screen")
        .await?
        .attr("data-article-id")
        .await?
        .expect("the screen names its article");
    let token = barta_tests::login_token(&server, &EDITOR).await?;
    let answer: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v1/articles/{article_id}", server.url))
        .bearer_auth(token)
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(answer["state"], "approved", "{answer}");

    // The approval reaches the reporter's app through the changes feed.
    reporter.click("back").await?;
    reporter
        .wait_text("article-row", "approved in the reporter's list", |t| {
            t.contains("অনুমোদিত")
        })
        .await?;
    reporter.screenshot("08-reporter-sees-approval").await?;
    editor.close().await?;
    reporter.close().await
}

#[tokio::test]
async fn a_kill_mid_typing_loses_at_most_about_a_second() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "kill-mid-typing").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "খবর").await?;
    // Type continuously (no pause for the debounce), then kill at once.
    let text: String = "দেশের উত্তরাঞ্চলে টানা বৃষ্টিতে নদীর পানি বাড়ছে। ".repeat(8);
    let body = app.testid("body-editor").await?;
    app.click_element(&body).await?;
    let started = std::time::Instant::now();
    body.send_keys(&text).await?;
    let typing = started.elapsed();
    app.kill_app().await?;

    let app = launch(&display, &server, root.path(), "kill-mid-typing").await?;
    app.unlock(&REPORTER).await?;
    app.testid("article-screen").await?;
    let saved = app.text("body-editor").await?;
    let saved = saved.trim_end();
    assert!(
        text.starts_with(saved),
        "the saved text is what was typed, in order"
    );
    let typed = text.chars().count() as f64;
    let per_second = typed / typing.as_secs_f64();
    let lost = typed - saved.chars().count() as f64;
    eprintln!("typed {typed} chars in {typing:?}; {lost} not saved");
    // About a second of typing, plus the save's own round trip.
    assert!(
        lost <= per_second * 1.5,
        "lost {lost} characters; typing ran at {per_second:.0}/s for {typing:?}"
    );
    app.close().await
}

/// WebDriver key codes.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SHIFT: &str = "\u{E008}";
const ESCAPE: &str = "\u{E00C}";
const ARROW_DOWN: &str = "\u{E015}";
const CTRL: &str = "\u{E009}";
const ALT: &str = "\u{E00A}";
const F1: &str = "\u{E031}";
const F12: &str = "\u{E03C}";

#[tokio::test]
async fn the_main_flow_works_from_the_keyboard_alone() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "keyboard").await?;
    let active = || async { app.client.active_element().await };

    // Log in: the cursor starts in the username field.
    app.testid("login-username").await?;
    let login = format!("{}{TAB}{}{ENTER}", REPORTER.username, REPORTER.password);
    active().await?.send_keys(&login).await?;
    app.wait_text("current-user", "logged in", |t| {
        t.starts_with(REPORTER.username)
    })
    .await?;

    // Tab to "new article" and press Enter.
    let mut reached = false;
    for _ in 0..20 {
        let focused = active().await?.attr("data-testid").await?;
        if focused.as_deref() == Some("new-article") {
            reached = true;
            break;
        }
        active().await?.send_keys(TAB).await?;
    }
    assert!(reached, "Tab reaches the new-article button");
    active().await?.send_keys(ENTER).await?;

    // The new article opens with the cursor in its headline.
    app.testid("article-screen").await?;
    let mut focused = None;
    for _ in 0..50 {
        focused = active().await?.attr("data-testid").await?;
        if focused.as_deref() == Some("headline") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(focused.as_deref(), Some("headline"));
    active().await?.send_keys("কিবোর্ডে লেখা").await?;
    app.wait_saved().await?;
    assert_eq!(app.text("headline").await?, "কিবোর্ডে লেখা");

    // On to the body: the block toolbar is one Tab stop on the way.
    tab_to(&app, "body-editor").await?;
    // F12 turns phonetic typing off; a misspelled word gets its menu from the keyboard
    // (Alt+Enter), ArrowDown/Enter take a suggestion.
    active()
        .await?
        .send_keys(&format!("{F12}বন্যায় নিরবাচন"))
        .await?;
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;
    app.testid("misspelled").await?;
    active()
        .await?
        .send_keys(&format!("{ALT}{ENTER}{ALT}"))
        .await?;
    app.testid("spell-menu").await?;
    let in_menu = active().await?.attr("class").await?;
    let first = active().await?.text().await?;
    assert_eq!(
        first, "নির্বাচন",
        "the focus is on the first suggestion ({in_menu:?})"
    );
    active().await?.send_keys(ENTER).await?;
    app.wait_text("body-editor", "the suggestion taken", |t| {
        t.trim_end().ends_with("বন্যায় নির্বাচন")
    })
    .await?;
    // Ctrl+Alt+2 makes the paragraph a subheading.
    active()
        .await?
        .send_keys(&format!("{CTRL}{ALT}2{ALT}{CTRL}"))
        .await?;
    app.wait_js(
        "a subheading",
        "return document.querySelector('[data-testid=body-editor] h2') ? 1 : 0;",
    )
    .await?;
    app.wait_saved().await?;

    // F1 lists the shortcuts; Escape closes the list.
    active().await?.send_keys(F1).await?;
    let help = app.text("shortcuts-help").await?;
    assert!(help.contains("F12"), "{help:?}");
    active().await?.send_keys(ESCAPE).await?;
    app.wait_js(
        "the shortcut list closed",
        "const d = document.querySelector('[data-testid=shortcuts-help]');\n\
         return d === null || !d.open ? 1 : 0;",
    )
    .await?;

    // Back to the list, search, ArrowDown to the hit, Enter opens it.
    shift_tab_to(&app, "back").await?;
    active().await?.send_keys(ENTER).await?;
    tab_to(&app, "search").await?;
    active().await?.send_keys("বন্যা").await?;
    app.testid("search-hit").await?;
    active().await?.send_keys(ARROW_DOWN).await?;
    let on_hit = active().await?.attr("data-testid").await?;
    assert_eq!(on_hit.as_deref(), Some("search-hit"));
    active().await?.send_keys(ENTER).await?;
    app.wait_text("headline", "the article opened from the hit", |t| {
        t == "কিবোর্ডে লেখা"
    })
    .await?;
    app.close().await
}

/// Presses Tab until the element with `data-testid="id"` has the focus.
async fn tab_to(app: &barta_tests::AppSession, id: &str) -> anyhow::Result<()> {
    press_until_focused(app, id, TAB).await
}

/// Presses Shift+Tab (backwards) until the element with `data-testid="id"` has the focus.
async fn shift_tab_to(app: &barta_tests::AppSession, id: &str) -> anyhow::Result<()> {
    press_until_focused(app, id, &format!("{SHIFT}{TAB}")).await
}

async fn press_until_focused(
    app: &barta_tests::AppSession,
    id: &str,
    keys: &str,
) -> anyhow::Result<()> {
    for _ in 0..60 {
        let active = app.client.active_element().await?;
        // The screen may be replaced between the two calls (a list rendering after Back): the
        // element is then stale, and the next round asks again.
        match active.attr("data-testid").await {
            Ok(testid) if testid.as_deref() == Some(id) => return Ok(()),
            Ok(_) => {}
            Err(_) => continue,
        }
        if active.send_keys(keys).await.is_err() {
            continue;
        }
    }
    anyhow::bail!("{keys:?} never reached [data-testid={id}]")
}
