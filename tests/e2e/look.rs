//! How the app looks to different people: the English UI (chosen once, kept after a restart),
//! the system's dark theme, and the window zoomed to 200 % with the keyboard.

use super::log_in;
use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer, exclusive};
use serde_json::Value;

/// WebDriver's key code for Control.
const CTRL: &str = "\u{E009}";

fn settings(root: &std::path::Path, server: &TestServer) -> AppSettings {
    AppSettings {
        data_dir: root.join("look"),
        server_url: server.url.clone(),
        name: "look".into(),
    }
}

/// True when no screen content needs sideways scrolling.
async fn fits_sideways(app: &AppSession) -> anyhow::Result<bool> {
    let overflow = app
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    Ok(overflow.as_f64().is_some_and(|o| o <= 0.0))
}

#[tokio::test]
async fn english_stays_chosen_dark_theme_follows_the_system_and_200_percent_zoom_fits()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let dark = [("GTK_THEME", "Adwaita:dark")];
    let app = AppSession::launch_with_env(&display, settings(root.path(), &server), &dark).await?;

    // The system's dark theme reaches the page, and the page follows it.
    let scheme = app
        .client
        .execute(
            "return [matchMedia('(prefers-color-scheme: dark)').matches,\n\
                     getComputedStyle(document.body).backgroundColor];",
            vec![],
        )
        .await?;
    assert_eq!(scheme[0], Value::Bool(true), "dark scheme: {scheme}");
    let background = scheme[1].as_str().unwrap_or_default().to_string();
    let channels: Vec<u32> = background
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    assert!(
        channels.len() == 3 && channels.iter().all(|c| *c < 80),
        "a dark page background: {background}"
    );

    // English, chosen on the login screen.
    app.click("lang").await?;
    app.wait_text("login-submit", "English login", |t| t == "Log in")
        .await?;
    log_in(&app, &REPORTER).await?;
    app.wait_text("new-article", "English", |t| t == "New article")
        .await?;
    let user = app.text("current-user").await?;
    assert!(user.contains("(reporter)"), "{user:?}");
    app.click("new-article").await?;
    app.wait_text("phonetic-toggle", "English labels", |t| {
        t.starts_with("Phonetic")
    })
    .await?;
    app.type_into("headline", "Dhaka").await?;
    app.screenshot("33-english-dark").await?;
    // Closed at once with the window's ✕: the last word, still being typed, is saved first.
    app.close_like_a_user().await?;

    // A restart keeps English, and opens the article that was open, the word being typed
    // at the close kept.
    let app = AppSession::launch_with_env(&display, settings(root.path(), &server), &dark).await?;
    app.wait_text("unlock-submit", "the unlock screen in English", |t| {
        t == "Unlock"
    })
    .await?;
    app.unlock(&REPORTER).await?;
    app.wait_text("back", "the article again, in English", |t| t == "Back")
        .await?;
    assert_eq!(app.text("headline").await?, "ঢাকা");
    app.click("back").await?;
    app.wait_text("new-article", "still English after a restart", |t| {
        t == "New article"
    })
    .await?;
    let sync_now = app.text("sync-now").await?;
    assert!(
        sync_now.is_ascii(),
        "the status bar is English too: {sync_now:?}"
    );

    // Ctrl+= five times: 200 % (Tauri's zoom hotkeys step 20 %). The layout reflows into half
    // the CSS width and nothing needs sideways scrolling, on the list and in the editor.
    let width = |v: Value| v.as_f64().unwrap_or(0.0);
    let before = width(
        app.client
            .execute("return document.documentElement.clientWidth;", vec![])
            .await?,
    );
    let body = app.testid("new-article").await?;
    for _ in 0..5 {
        body.send_keys(&format!("{CTRL}={CTRL}")).await?;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    let after = width(
        app.client
            .execute("return document.documentElement.clientWidth;", vec![])
            .await?,
    );
    assert!(
        (after * 2.0 - before).abs() <= before * 0.06,
        "200 % zoom halves the CSS width: {before} → {after}"
    );
    assert!(fits_sideways(&app).await?, "the list fits at 200 %");
    app.screenshot("34-list-zoom-200").await?;
    // Opened from the keyboard (WebDriver's pointer does not follow the page zoom).
    let row = app.testid("article-row").await?;
    app.client
        .execute("arguments[0].focus();", vec![serde_json::to_value(&row)?])
        .await?;
    row.send_keys("\u{E007}").await?;
    app.testid("body-editor").await?;
    let headline = app.text("headline").await?;
    assert_eq!(headline, "ঢাকা", "the uncommitted phonetic word was saved");
    assert!(fits_sideways(&app).await?, "the editor fits at 200 %");
    let writing_room = app
        .client
        .execute(
            "const footer = document.querySelector('footer').getBoundingClientRect().height;\n\
             return (window.innerHeight - footer) / window.innerHeight;",
            vec![],
        )
        .await?;
    assert!(
        writing_room.as_f64().is_some_and(|r| r >= 0.6),
        "the footer leaves room to write at 200 %: {writing_room}"
    );
    app.screenshot("35-editor-zoom-200").await?;
    app.close().await
}
