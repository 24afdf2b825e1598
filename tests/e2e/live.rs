//! State pushed from Rust, with a reporter's and a desk editor's real apps side by side: a
//! reply being typed survives a comment arriving from the desk; a return made by the desk
//! reaches the reporter's open article without a reload and changes the buttons on both
//! screens; an action the screen does not offer, forged through the IPC, is refused by the
//! server.

use super::{launch, log_in, screen_article, shown};
use barta_tests::{AppSession, Display, EDITOR, REPORTER, TestServer, exclusive};
use serde_json::Value;
use std::time::{Duration, Instant};

const HEADLINE: &str = "নদীভাঙনে ঘর হারাল দুই শ পরিবার";
const BODY: &str = "কুড়িগ্রামে তিস্তার ভাঙনে দুই শ পরিবার ঘর হারিয়েছে বলে ইউএনও জানিয়েছেন।";
const REPORTER_NOTE: &str = "ইউএনওর নাম পরে যোগ করব";
const DESK_COMMENT: &str = "পরিবারের সংখ্যাটি কোথা থেকে?";
const REPLY: &str = "ইউনিয়ন পরিষদের তালিকা";
const RETURN_NOTE: &str = "ইউএনওর নাম ও উদ্ধৃতি যোগ করুন";

/// Waits until `what` holds, looking every 100 ms for at most 30 s.
async fn eventually<F, Fut>(what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await? {
        anyhow::ensure!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits until the comments on `app`'s screen show `text`; says which events the page heard
/// when they never do.
async fn comments_show(app: &AppSession, what: &str, text: &str) -> anyhow::Result<()> {
    if let Err(e) = app.wait_text("comments", what, |t| t.contains(text)).await {
        let heard = app
            .client
            .execute(
                "return [window.__bartaEvents, window.__bartaListenError ?? null];",
                vec![],
            )
            .await?;
        anyhow::bail!("{e}; the page heard {heard}");
    }
    Ok(())
}

/// The reply field being typed in: its value, and whether it has the focus.
async fn reply_being_typed(app: &AppSession) -> anyhow::Result<(String, bool)> {
    let answer = app
        .client
        .execute(
            "const e = document.querySelector('[data-testid=reply-input]'); \
             return [e ? e.value : null, e !== null && document.activeElement === e];",
            vec![],
        )
        .await?;
    Ok((
        answer[0].as_str().unwrap_or_default().to_string(),
        answer[1] == Value::Bool(true),
    ))
}

#[tokio::test]
async fn the_desk_and_the_reporter_see_each_other_live_without_reloading() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;

    // The reporter files the story with a note of their own on a passage.
    let reporter = launch(&display, &server, root.path(), "reporter").await?;
    log_in(&reporter, &REPORTER).await?;
    reporter.click("new-article").await?;
    reporter.type_into("headline", HEADLINE).await?;
    reporter.type_into("body-editor", BODY).await?;
    reporter.wait_saved().await?;
    reporter.select_text("body-editor", "দুই শ পরিবার").await?;
    reporter.type_into("comment-input", REPORTER_NOTE).await?;
    reporter.click("comment-add").await?;
    reporter.click("submit").await?;
    reporter
        .wait_text("article-state", "submitted", |t| t == "জমা দেওয়া")
        .await?;
    reporter
        .wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    // Submitted: the reporter has nothing left to submit.
    assert!(!shown(&reporter, "submit").await?, "submit offered again");
    let id = screen_article(&reporter).await?;
    let token = barta_tests::login_token(&server, &EDITOR).await?;
    eventually("the reporter's note reaches the server", || async {
        let comments =
            super::get_json(&format!("{}/v1/articles/{id}/comments", server.url), &token).await?;
        Ok(comments.to_string().contains(REPORTER_NOTE))
    })
    .await?;

    // The desk opens it and sees the reporter's note.
    let editor_display = Display::start()?;
    let editor = launch(&editor_display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    editor
        .wait_attr("queue-incoming", "data-count", "one incoming", |c| c == "1")
        .await?;
    super::open_first_row(&editor).await?;
    comments_show(&editor, "the reporter's note", REPORTER_NOTE).await?;
    assert!(
        shown(&editor, "approve").await?,
        "an editor may approve a submitted story"
    );

    // The reporter starts a reply and, while it is being typed, the desk comments elsewhere.
    comments_show(&reporter, "the note synced", REPORTER_NOTE).await?;
    let reply = reporter.testid("reply-input").await?;
    reporter.click_element(&reply).await?;
    reply.send_keys(REPLY).await?;
    editor.select_text("body-editor", "ইউএনও").await?;
    editor.type_into("comment-input", DESK_COMMENT).await?;
    editor.click("comment-add").await?;
    editor
        .wait_attr("sync-pending", "data-count", "the comment sent", |c| {
            c == "0"
        })
        .await?;

    // It arrives on the reporter's screen by itself; the reply keeps its text and its focus.
    comments_show(&reporter, "the desk's comment", DESK_COMMENT).await?;
    let (typed, focused) = reply_being_typed(&reporter).await?;
    assert_eq!(typed, REPLY, "the reply being typed was lost");
    assert!(focused, "the reply being typed lost the focus");
    reporter.screenshot("63-live-comment-arrives").await?;

    // The desk returns the story: the reporter's open article follows, without a reload.
    editor.click("return").await?;
    editor.type_into("return-note-input", RETURN_NOTE).await?;
    editor.click("return-send").await?;
    editor
        .wait_text("article-state", "returned", |t| t == "ফেরত")
        .await?;
    eventually("the desk's approve button goes with the return", || async {
        Ok(!shown(&editor, "approve").await? && !shown(&editor, "return").await?)
    })
    .await?;
    // A mark on today's screen element: a rebuilt screen would not carry it.
    reporter
        .client
        .execute(
            "document.querySelector('[data-testid=article-screen]').dataset.mark = 'kept'; return true;",
            vec![],
        )
        .await?;
    reporter
        .wait_text("article-state", "returned on the reporter's screen", |t| {
            t == "ফেরত"
        })
        .await?;
    reporter
        .wait_text("return-note", "the return note", |t| {
            t.contains(RETURN_NOTE)
        })
        .await?;
    eventually("submit offered again to the reporter", || async {
        shown(&reporter, "submit").await
    })
    .await?;
    let mark = reporter
        .client
        .execute(
            "return document.querySelector('[data-testid=article-screen]').dataset.mark ?? null;",
            vec![],
        )
        .await?;
    assert_eq!(mark, Value::from("kept"), "the article screen was rebuilt");
    let (typed, _) = reply_being_typed(&reporter).await?;
    assert_eq!(typed, REPLY, "the return took the reply being typed");
    reporter.screenshot("64-live-return-arrives").await?;

    // A take forged through the IPC (the reporter's screen offers none) is queued, sent and
    // refused by the server; the screen says so and the story stays returned.
    assert!(!shown(&reporter, "take").await?);
    reporter
        .client
        .execute(
            "return window.__TAURI_INTERNALS__.invoke('act_on_article', \
             {id: arguments[0], action: 'take', note: null}).then(() => true, (e) => e);",
            vec![Value::from(id.clone())],
        )
        .await?;
    reporter
        .wait_attr(
            "article-rejected",
            "data-code",
            "the server's refusal",
            |c| c == "forbidden",
        )
        .await?;
    let on_server = super::get_json(&format!("{}/v1/articles/{id}", server.url), &token).await?;
    assert_eq!(on_server["state"], "returned", "{on_server}");
    Ok(())
}
