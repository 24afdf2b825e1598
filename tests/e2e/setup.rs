//! The first run without environment variables: no server is set, so the app asks for the
//! newsroom's address, checks it before saving, says in plain words what is wrong with a wrong
//! one, remembers the right one, and shows its version in About. A server that wants a newer
//! app says so in plain words instead of failing obscurely.

use super::log_in;
use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer, exclusive};
use std::io::{Read, Write};
use std::net::TcpListener;

/// Launches the app in `data_dir` as a reporter's fresh install would start: no
/// `BARTA_SERVER_URL` (set empty, which the app treats as unset).
async fn first_launch(
    display: &Display,
    data_dir: &std::path::Path,
    name: &str,
) -> anyhow::Result<AppSession> {
    AppSession::launch_with_env(
        display,
        AppSettings {
            data_dir: data_dir.to_path_buf(),
            server_url: String::new(),
            name: name.to_string(),
        },
        &[("BARTA_SERVER_URL", "")],
    )
    .await
}

/// A web server that is not Barta: it answers every request with a small HTML page (a
/// newsroom's website, a hotel's login page). Its address.
fn some_other_website() -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let page = "<html><body>স্বাগতম</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    Ok(url)
}

/// Submits `address` in the setup form and waits for the refusal's code.
async fn refused(app: &AppSession, address: &str) -> anyhow::Result<(String, String)> {
    app.set_value("setup-address", address).await?;
    app.click("setup-connect").await?;
    app.wait_attr("setup-error", "data-code", "a refusal", |c| !c.is_empty())
        .await?;
    let error = app.testid("setup-error").await?;
    let code = error.attr("data-code").await?.unwrap_or_default();
    Ok((code, error.text().await?))
}

#[tokio::test]
async fn a_first_run_asks_for_the_newsroom_checks_it_and_remembers_it() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start_sized(1366, 768)?;
    let mut server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let data = root.path().join("fresh");
    let app = first_launch(&display, &data, "first-run").await?;

    // The setup screen, in Bengali, with the app's version.
    let title = app
        .wait_text("setup-screen", "the setup screen", |t| {
            t.contains("নিউজরুমের সার্ভার")
        })
        .await?;
    assert!(title.contains(env!("CARGO_PKG_VERSION")), "{title}");
    app.screenshot("40-first-run-setup").await?;

    // Nothing answers: said plainly, nothing saved.
    let (code, words) = refused(&app, "http://127.0.0.1:9").await?;
    assert_eq!(code, "server_unreachable", "{words}");
    assert!(words.contains("পৌঁছানো যাচ্ছে না"), "{words}");
    assert!(!data.join("server.json").exists());

    // Another website: it answers, but it is not Barta.
    let (code, words) = refused(&app, &some_other_website()?).await?;
    assert_eq!(code, "not_barta_server", "{words}");
    assert!(words.contains("বার্তার সার্ভার নয়"), "{words}");
    app.screenshot("41-first-run-not-barta").await?;

    // Not an address at all.
    let (code, _) = refused(&app, "barta server").await?;
    assert_eq!(code, "invalid");

    // The newsroom's server: checked, saved, and the login screen follows.
    app.set_value("setup-address", &format!("{}/", server.url))
        .await?;
    app.click("setup-connect").await?;
    app.testid("login-username").await?;
    let saved = std::fs::read_to_string(data.join("server.json"))?;
    assert!(saved.contains(&server.url), "{saved}");
    log_in(&app, &REPORTER).await?;

    // About: the version and the server.
    app.click("about").await?;
    let version = app.text("about-version").await?;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert_eq!(app.text("about-server").await?, server.url);
    app.screenshot("42-about").await?;
    app.click("about-close").await?;
    app.close().await?;

    // The next start asks only for the password (the address was remembered, and the store
    // is locked), then goes straight to the user's articles.
    let app = first_launch(&display, &data, "first-run-again").await?;
    let user = app.text("unlock-user").await?;
    assert!(user.contains(REPORTER.username), "{user:?}");
    app.unlock(&REPORTER).await?;
    app.close().await?;

    // The newsroom now wants a newer app: the installed app says so in its sync bar, in
    // plain words, and a new install is told before it saves the address.
    server.serve_args = vec!["--min-client-version".into(), "99.0.0".into()];
    server.restart()?;
    let app = first_launch(&display, &data, "installed-too-old").await?;
    app.unlock(&REPORTER).await?;
    app.click("sync-now").await?;
    app.wait_attr("sync-error", "data-code", "told to update", |c| {
        c == "client_too_old"
    })
    .await?;
    let said = app.text("sync-error-text").await?;
    assert!(said.contains("হালনাগাদ"), "{said}");
    app.screenshot("44-sync-app-too-old").await?;
    app.close().await?;
    let app = first_launch(&display, &root.path().join("old-app"), "too-old").await?;
    let (code, words) = refused(&app, &server.url).await?;
    assert_eq!(code, "client_too_old", "{words}");
    assert!(words.contains("হালনাগাদ"), "{words}");
    app.screenshot("43-first-run-app-too-old").await?;
    app.close().await
}

#[tokio::test]
async fn another_server_restarts_the_app_with_that_servers_own_drafts() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let first = TestServer::start_demo()?;
    let second = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let data = root.path().join("switching");
    let app = first_launch(&display, &data, "switch-first").await?;
    app.set_value("setup-address", &first.url).await?;
    app.click("setup-connect").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "প্রথম সার্ভারের খসড়া").await?;
    app.wait_saved().await?;
    app.click("back").await?;
    app.wait_text("list-mine", "the draft listed", |t| {
        t.contains("প্রথম সার্ভারের খসড়া")
    })
    .await?;

    // About → another server: checked, saved, and the app starts again by itself.
    let before = app.pids();
    app.click("about").await?;
    app.set_value("setup-address", &second.url).await?;
    app.click("setup-connect").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let saved = std::fs::read_to_string(data.join("server.json")).unwrap_or_default();
        let restarted = app.pids().iter().any(|pid| !before.contains(pid));
        if saved.contains(&second.url) && restarted {
            break;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the app did not start again with the new server (server.json: {saved})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The restarted app runs outside WebDriver: stop it, and look at it through a new launch.
    app.kill_app().await?;
    let app = first_launch(&display, &data, "switch-second").await?;
    // A new server, a new session: log in there; the first server's draft is not listed.
    log_in(&app, &REPORTER).await?;
    app.click("about").await?;
    assert_eq!(app.text("about-server").await?, second.url);
    app.click("about-close").await?;
    let list = app.text("list-mine").await.unwrap_or_default();
    assert!(!list.contains("প্রথম সার্ভারের খসড়া"), "{list}");
    app.click("sync-now").await?;
    app.wait_text("sync-pending", "nothing waiting", |t| t.contains('০'))
        .await?;
    let mine = barta_tests::changes_feed(&second, &REPORTER).await?;
    assert!(
        !mine.to_string().contains("প্রথম সার্ভারের খসড়া"),
        "the second server got the first one's draft: {mine}"
    );
    app.screenshot("45-another-server").await?;
    app.close().await
}
