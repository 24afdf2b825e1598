//! End-to-end tests of the real desktop app under Xvfb, driven through WebDriver, against the
//! real `barta serve` on loopback. Screenshots of the key screens go to artifacts/screenshots.

mod desk;
mod editor;
mod flows;
mod history;
mod images;
mod look;
mod sync_bar;

use barta_tests::{AppSession, AppSettings, DemoUser, Display, TestServer};

/// Logs `user` in and waits for the list screen.
async fn log_in(app: &AppSession, user: &DemoUser) -> anyhow::Result<()> {
    app.type_into("login-username", user.username).await?;
    app.type_into("login-password", user.password).await?;
    app.click("login-submit").await?;
    app.wait_text("current-user", "the logged-in user", |t| {
        t.starts_with(user.username)
    })
    .await?;
    Ok(())
}

/// An app instance with its own data directory under `root`.
async fn launch(
    display: &Display,
    server: &TestServer,
    root: &std::path::Path,
    name: &str,
) -> anyhow::Result<AppSession> {
    AppSession::launch(
        display,
        AppSettings {
            data_dir: root.join(name),
            server_url: server.url.clone(),
            name: name.to_string(),
        },
    )
    .await
}
