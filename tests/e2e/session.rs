//! A session the server ended — its time ran out while the app was closed, or an administrator
//! revoked it — is met by a dialog over the screen the reporter is on, asking for the password
//! in plain words; the draft written meanwhile is kept, and it reaches the server once the
//! password is entered. The real app, the real `barta serve` with a short token lifetime, and a
//! proxy that takes the link down.

use super::{log_in, screen_article, server_article, shown};
use barta_tests::{
    AppSession, AppSettings, Display, EDITOR, Fault, Proxy, REPORTER, TestServer, exclusive,
};
use std::time::{Duration, Instant};

/// The token lifetime of this test's server.
const TOKEN_TTL: Duration = Duration::from_secs(20);

/// Waits for the session-ended dialog, checks its words, enters the password and waits for
/// the queue to empty.
async fn give_the_password(app: &AppSession, screenshot: &str) -> anyhow::Result<()> {
    app.testid("session-ended").await?;
    assert!(
        shown(app, "session-ended").await?,
        "the dialog is on screen"
    );
    let words = app.text("session-ended-text").await?;
    assert!(
        words.contains("আপনার সেশন শেষ হয়েছে; পাঠানো চালিয়ে যেতে পাসওয়ার্ড দিন।"),
        "{words:?}"
    );
    assert!(
        !words.contains("ভুল"),
        "never 'wrong username or password': {words:?}"
    );
    // The status bar says it too, and offers no retry that cannot help.
    let state = app.text("sync-state").await?;
    assert_eq!(state, "সেশন শেষ হয়েছে");
    app.screenshot(screenshot).await?;
    app.type_into("session-password", REPORTER.password).await?;
    app.click("session-resume").await?;
    app.wait_js(
        "the dialog gone",
        "return document.querySelector('[data-testid=session-ended]') === null ? 1 : 0;",
    )
    .await?;
    app.wait_attr("sync-pending", "data-count", "the queue sent", |c| c == "0")
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_ended_session_asks_for_the_password_in_place_and_the_draft_reaches_the_server()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let mut server = TestServer::start_demo()?;
    server.serve_args = vec!["--token-ttl".into(), TOKEN_TTL.as_secs().to_string()];
    server.restart()?;
    let proxy = Proxy::start(&server.url).await?;
    let root = tempfile::tempdir()?;
    let settings = AppSettings {
        data_dir: root.path().join("session"),
        server_url: proxy.url.clone(),
        name: "session".into(),
    };
    let app = AppSession::launch(&display, settings.clone()).await?;
    log_in(&app, &REPORTER).await?;
    let logged_in = Instant::now();

    // In the field with no link: a draft is written and a version queued.
    proxy.set_default(Fault::Reset);
    app.click("new-article").await?;
    app.type_into("headline", "বন্যার খবর").await?;
    app.type_into("body-editor", "সিলেটে পানি বাড়ছে").await?;
    app.wait_saved().await?;
    app.click("save-version").await?;
    app.wait_attr("sync-pending", "data-count", "the version queued", |c| {
        c != "0"
    })
    .await?;
    let id = screen_article(&app).await?;
    app.close().await?;

    // The token's time runs out while the app is closed; the link comes back.
    let expired = logged_in + TOKEN_TTL + Duration::from_secs(2);
    tokio::time::sleep(expired.saturating_duration_since(Instant::now())).await;
    proxy.set_default(Fault::Pass);
    let app = AppSession::launch(&display, settings).await?;
    assert_eq!(screen_article(&app).await?, id, "the article is open again");
    give_the_password(&app, "40-session-expired").await?;
    let body = app.text("body-editor").await?;
    assert!(body.contains("সিলেটে পানি বাড়ছে"), "{body:?}");
    let article = server_article(&server, &EDITOR, &id).await?;
    assert!(
        article["head_revision"]
            .to_string()
            .contains("সিলেটে পানি বাড়ছে"),
        "the draft reached the server: {article}"
    );

    // Written and queued with the link down; meanwhile an administrator revokes the session
    // (a laptop reported lost, say). When the link is back, the next round is refused and the
    // same dialog comes, over the article.
    proxy.set_default(Fault::Reset);
    app.type_at_end("body-editor", "। উদ্ধারকাজ চলছে").await?;
    app.wait_saved().await?;
    app.click("save-version").await?;
    app.wait_attr("sync-pending", "data-count", "the version queued", |c| {
        c != "0"
    })
    .await?;
    let revoked = server.barta(&["session", "revoke", "--user", REPORTER.username], None)?;
    assert!(revoked.status.success(), "{revoked:?}");
    proxy.set_default(Fault::Pass);
    app.click("sync-now").await?;
    give_the_password(&app, "41-session-revoked").await?;
    let article = server_article(&server, &EDITOR, &id).await?;
    assert!(
        article["head_revision"].to_string().contains("উদ্ধারকাজ চলছে"),
        "the text written before the revocation reached the server: {article}"
    );
    app.close().await
}

#[tokio::test]
async fn a_second_user_on_the_same_computer_cannot_log_in_on_the_first_users_work()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = super::launch(&display, &server, root.path(), "shared-laptop").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "রহিমের খসড়া").await?;
    app.wait_saved().await?;
    app.click("logout").await?;

    // Another user on the same app: refused, in plain words, before anything is shown.
    app.type_into("login-username", EDITOR.username).await?;
    app.type_into("login-password", EDITOR.password).await?;
    app.click("login-submit").await?;
    let said = app
        .wait_text("login-error", "the refusal", |t| !t.is_empty())
        .await?;
    assert!(said.contains("অন্য একজনের লেখা"), "{said:?}");
    assert!(app.absent("current-user").await?, "the editor got in");
    app.screenshot("44-second-user-refused").await?;

    // The owner logs in again and finds the draft.
    app.set_value("login-username", REPORTER.username).await?;
    app.set_value("login-password", REPORTER.password).await?;
    app.click("login-submit").await?;
    app.wait_text("current-user", "the reporter back", |t| {
        t.starts_with(REPORTER.username)
    })
    .await?;
    app.wait_text("article-row", "the draft", |t| t.contains("রহিমের খসড়া"))
        .await?;
    app.close().await
}
