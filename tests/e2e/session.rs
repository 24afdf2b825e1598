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
    // The app's own sync finds the ended session (every 500 ms here): no click needed, and a
    // failure leaves a picture of the screen it stayed on.
    if let Err(e) = app.testid("session-ended").await {
        let _ = app.screenshot(&format!("{screenshot}-no-dialog")).await;
        return Err(e);
    }
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
    // Unlocked with the password, offline (the store's key needs no server).
    app.unlock(&REPORTER).await?;
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
    // The link is back: the app's next round (it syncs by itself) is refused, and the dialog
    // comes over the article — before any click of "sync now", which it would cover.
    proxy.set_default(Fault::Pass);
    give_the_password(&app, "41-session-revoked").await?;
    let article = server_article(&server, &EDITOR, &id).await?;
    assert!(
        article["head_revision"].to_string().contains("উদ্ধারকাজ চলছে"),
        "the text written before the revocation reached the server: {article}"
    );
    app.close().await
}

#[tokio::test]
async fn two_users_of_one_computer_each_see_and_send_only_their_own_drafts() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let proxy = Proxy::start(&server.url).await?;
    let root = tempfile::tempdir()?;
    let settings = AppSettings {
        data_dir: root.path().join("shared-laptop"),
        server_url: proxy.url.clone(),
        name: "shared-laptop".into(),
    };
    let app = AppSession::launch(&display, settings.clone()).await?;
    log_in(&app, &REPORTER).await?;
    // Written with no link: the draft and its version stay queued on this computer.
    proxy.set_default(Fault::Reset);
    app.click("new-article").await?;
    app.type_into("headline", "রহিমের খসড়া").await?;
    app.type_into("body-editor", "সূত্রের নাম গোপন").await?;
    app.wait_saved().await?;
    app.click("save-version").await?;
    app.wait_attr("sync-pending", "data-count", "the version queued", |c| {
        c != "0"
    })
    .await?;
    let id = screen_article(&app).await?;
    app.click("back").await?;
    app.click("logout").await?;

    // The link is back and another user logs in on the same app: a store of their own,
    // without the first user's draft, and nothing of it sent under their name.
    proxy.set_default(Fault::Pass);
    log_in(&app, &EDITOR).await?;
    app.wait_attr("sync-pending", "data-count", "nothing queued", |c| c == "0")
        .await?;
    app.click("sync-now").await?;
    app.wait_attr("sync-state", "data-online", "online", |o| o == "true")
        .await?;
    // The round over (the board redraws after it): then the page is read.
    app.wait_text("sync-state", "the round over", |t| !t.contains("সিঙ্ক হচ্ছে"))
        .await?;
    let page = app
        .client
        .execute("return document.body.innerText;", vec![])
        .await?;
    assert!(
        !page.to_string().contains("রহিমের খসড়া"),
        "the editor sees the reporter's draft: {page}"
    );
    app.screenshot("44-second-user-own-store").await?;
    let on_server = reqwest::Client::new()
        .get(format!("{}/v1/articles/{id}", server.url))
        .bearer_auth(barta_tests::login_token(&server, &EDITOR).await?)
        .send()
        .await?;
    assert_eq!(on_server.status(), 404, "the draft reached the server");
    app.click("logout").await?;

    // The first user again: the draft is there, and it goes out under their name.
    log_in(&app, &REPORTER).await?;
    app.wait_text("article-row", "the draft", |t| t.contains("রহিমের খসড়া"))
        .await?;
    app.wait_attr("sync-pending", "data-count", "the queue sent", |c| c == "0")
        .await?;
    let article = server_article(&server, &EDITOR, &id).await?;
    assert_eq!(article["author"], REPORTER.username, "{article}");
    app.close().await?;

    // Each store opens with its own user's password only.
    let editors = settings.open_user_store(&EDITOR)?;
    assert!(editors.load_article(id.parse()?).is_err());
    assert!(
        settings
            .open_user_store(&REPORTER)?
            .load_article(id.parse()?)
            .is_ok()
    );
    Ok(())
}
