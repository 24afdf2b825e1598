//! The laptop store as a thief or a border guard meets it: a copy of the disk (the data
//! directory and the WebView's own storage) holds no word of a draft, `sqlite3` cannot open
//! the database, the app starts locked and the password opens it offline (a wrong one does
//! not); left alone for the newsroom's idle time, or locked by the reporter, the app drops
//! what it shows and asks for the password, and everything typed is there after it.

use super::{log_in, screen_article};
use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer, exclusive};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A word only this test's draft has.
const SECRET: &str = "গোপনসূত্রজোবেদা";

/// Every file under `dir` (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Where the WebView keeps its own data for the app (WebKitGTK: local storage, IndexedDB,
/// caches), under the user's data and cache directories by the app's identifier.
fn webview_dirs() -> Vec<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".local/share"));
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cache"));
    ["org.barta.desktop", "barta-app"]
        .iter()
        .flat_map(|name| [data.join(name), cache.join(name)])
        .collect()
}

#[tokio::test]
async fn a_copy_of_the_laptops_disk_gives_up_no_word_and_the_password_opens_it_offline()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let mut server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let settings = AppSettings {
        data_dir: root.path().join("seized"),
        server_url: server.url.clone(),
        name: "seized".into(),
    };
    let app = AppSession::launch(&display, settings.clone()).await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "চরের ভাঙন").await?;
    app.type_into("body-editor", &format!("সূত্র {SECRET} জানালেন"))
        .await?;
    app.wait_saved().await?;
    app.click("save-version").await?;
    let id = screen_article(&app).await?;
    app.kill_app().await?;

    // The disk as it is after a kill (WAL and all): no word of the draft anywhere.
    let mut looked = 0;
    for path in files_under(&settings.data_dir)
        .into_iter()
        .chain(webview_dirs().iter().flat_map(|d| files_under(d)))
    {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        looked += 1;
        for word in [SECRET, "চরের ভাঙন"] {
            assert!(
                !barta_tests::photos::holds(&bytes, word.as_bytes()),
                "{word} readable in {}",
                path.display()
            );
        }
    }
    assert!(looked >= 3, "the store's files were looked at ({looked})");
    let db = settings.user_dir(&REPORTER).join("barta.db");
    let said = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()?;
    assert!(!said.status.success(), "sqlite3 read the store");
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("not a database"),
        "{said:?}"
    );

    // The server is gone (a border post): the app starts locked and opens with the
    // password alone; a wrong one is refused in plain words.
    server.stop();
    let app = AppSession::launch(&display, settings.clone()).await?;
    app.testid("unlock-screen").await?;
    assert!(app.absent("body-editor").await?);
    app.type_into("unlock-password", "ভুল-পাসওয়ার্ড").await?;
    app.click("unlock-submit").await?;
    let refused = app
        .wait_text("unlock-error", "the refusal", |t| !t.is_empty())
        .await?;
    assert!(refused.contains("এই পাসওয়ার্ডে"), "{refused:?}");
    app.screenshot("45-unlock-wrong-password").await?;
    app.set_value("unlock-password", "").await?;
    app.unlock(&REPORTER).await?;
    assert_eq!(screen_article(&app).await?, id, "the article is open again");
    let body = app.text("body-editor").await?;
    assert!(body.contains(SECRET), "{body:?}");
    app.close().await
}

#[tokio::test]
async fn left_alone_the_app_locks_and_keeps_what_was_typed() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let mut server = TestServer::start_demo()?;
    // The newsroom's idle time: 6 seconds for the test (15 minutes by default).
    server.serve_args = vec!["--app-lock-after".into(), "6".into()];
    server.restart()?;
    let root = tempfile::tempdir()?;
    let app = super::launch(&display, &server, root.path(), "idle-lock").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "রাতের খবর").await?;
    app.type_into("body-editor", "লেখা চলছে").await?;
    app.wait_saved().await?;
    let id = screen_article(&app).await?;

    // Nothing done for longer than the idle time: the unlock screen, the text gone from it.
    tokio::time::sleep(Duration::from_secs(8)).await;
    app.testid("unlock-screen").await?;
    assert!(
        app.absent("body-editor").await?,
        "the draft still on screen"
    );
    let page = app
        .client
        .execute("return document.body.innerText;", vec![])
        .await?;
    assert!(!page.to_string().contains("লেখা চলছে"), "{page}");
    app.screenshot("46-locked-when-idle").await?;
    app.unlock(&REPORTER).await?;
    assert_eq!(screen_article(&app).await?, id);
    assert_eq!(app.text("body-editor").await?.trim_end(), "লেখা চলছে");

    // Locked on request: the word being typed is saved first.
    app.type_at_end("body-editor", " আরও").await?;
    app.click("lock-now").await?;
    app.testid("unlock-screen").await?;
    app.unlock(&REPORTER).await?;
    assert_eq!(app.text("body-editor").await?.trim_end(), "লেখা চলছে আরও");

    // Typing keeps it open past the idle time.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        app.type_at_end("body-editor", "।").await?;
    }
    assert!(!app.absent("body-editor").await?, "locked while typing");
    app.close().await
}
