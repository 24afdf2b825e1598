//! End-to-end tests of the real desktop app under Xvfb, driven through WebDriver, against the
//! real `barta serve` on loopback. Screenshots of the key screens go to artifacts/screenshots.

mod archive;
mod desk;
mod durability;
mod editor;
mod flows;
mod history;
mod images;
mod links;
mod live;
mod lock;
mod look;
mod photo_privacy;
mod session;
mod setup;
mod spelling;
mod sync_bar;
mod website;
mod writing;

use barta_tests::{AppSession, AppSettings, DemoUser, Display, TestServer, login_token};
use serde_json::Value;
use std::time::Duration;

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

/// Opens the desk board's first row for editing: a click selects it for the reading pane,
/// whose button opens it.
async fn open_first_row(app: &AppSession) -> anyhow::Result<()> {
    app.click("queue-row").await?;
    app.click("reading-open").await?;
    app.testid("article-screen").await?;
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

/// Pastes `text` as plain text into `data-testid="testid"` through a real `paste` event.
async fn paste_text(app: &AppSession, testid: &str, text: &str) -> anyhow::Result<()> {
    app.click(testid).await?;
    app.client
        .execute(
            "const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]);\n\
             document.activeElement.dispatchEvent(new ClipboardEvent('paste', \
             {clipboardData: dt, bubbles: true, cancelable: true}));",
            vec![Value::String(text.to_string())],
        )
        .await?;
    Ok(())
}

/// Whether `data-testid="id"` is in the page and drawn (neither it nor anything around it
/// hidden), read once without waiting.
async fn shown(app: &AppSession, id: &str) -> anyhow::Result<bool> {
    let answer = app
        .client
        .execute(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); \
             return e !== null && e.getClientRects().length > 0;",
            vec![Value::from(id)],
        )
        .await?;
    Ok(answer == Value::Bool(true))
}

/// The id of the article on `app`'s screen.
async fn screen_article(app: &AppSession) -> anyhow::Result<String> {
    Ok(app
        .testid("article-screen")
        .await?
        .attr("data-article-id")
        .await?
        .expect("the screen names its article"))
}

/// GET `url` from the API as the holder of `token`.
async fn get_json(url: &str, token: &str) -> anyhow::Result<Value> {
    Ok(reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .timeout(Duration::from_secs(10))
        .send()
        .await?
        .json()
        .await?)
}

/// The server's view of article `id` (`GET /v1/articles/{id}`), asked as `user`.
async fn server_article(server: &TestServer, user: &DemoUser, id: &str) -> anyhow::Result<Value> {
    let token = login_token(server, user).await?;
    get_json(&format!("{}/v1/articles/{id}", server.url), &token).await
}
