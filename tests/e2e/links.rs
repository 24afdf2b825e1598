//! The window stays the app: a link in an article, clicked in the editor's reading pane, opens
//! outside (the system's browser; here a recording program stands in for it, since no browser
//! runs under Xvfb) and the window keeps showing the app.

use super::log_in;
use barta_model::api::TransitionRequest;
use barta_model::workflow::Action;
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use barta_sync::{Client, PushResult};
use barta_tests::{
    AppSession, AppSettings, Display, EDITOR, REPORTER, TestServer, exclusive, login_token,
};
use fantoccini::Locator;
use std::time::{Duration, Instant};

const SOURCE: &str = "https://example.com/flood-report";

#[tokio::test]
async fn clicking_a_link_in_an_article_leaves_the_window_on_the_app() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;

    // The reporter's article cites its source with a link.
    let client = Client::new(&server.url)?;
    let reporter = login_token(&server, &REPORTER).await?;
    let body: Document = serde_json::from_value(serde_json::json!({"type": "doc", "content": [
        {"type": "paragraph", "attrs": {"id": "p1"}, "content": [
            {"type": "text", "text": "পানি উন্নয়ন বোর্ডের "},
            {"type": "text", "text": "প্রতিবেদন", "marks": [{"type": "link", "attrs": {"href": SOURCE}}]},
            {"type": "text", "text": " বলছে, পানি বাড়ছে।"}
        ]}
    ]}))?;
    let meta = ArticleMeta {
        headline: "নদীর পানি বাড়ছে".into(),
        desk: "national".into(),
        ..Default::default()
    };
    let push = RevisionPush::new(
        RevisionId::new(),
        None,
        meta,
        body,
        chrono::Utc::now().to_rfc3339(),
    );
    let id = ArticleId::new();
    let pushed = client.push_revision(&reporter, id, &push).await?;
    assert!(matches!(pushed, PushResult::Accepted(_)), "{pushed:?}");
    client
        .transition(
            &reporter,
            id,
            &TransitionRequest {
                action: Action::Submit,
                rev_id: push.id,
                note: None,
            },
        )
        .await?;

    // The editor's app, with a program that writes down what it was asked to open.
    let root = tempfile::tempdir()?;
    let opened = root.path().join("opened.txt");
    let opener = root.path().join("record-link");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))?;
    }
    let opener = opener.display().to_string();
    let app = AppSession::launch_with_env(
        &display,
        AppSettings {
            data_dir: root.path().join("links"),
            server_url: server.url.clone(),
            name: "links".into(),
        },
        &[("BARTA_TEST_LINK_OPENER", opener.as_str())],
    )
    .await?;
    log_in(&app, &EDITOR).await?;
    let own_page = app.client.current_url().await?;
    app.click("queue-row").await?;
    app.wait_text("reading-text", "the article in the reading pane", |t| {
        t.contains("প্রতিবেদন")
    })
    .await?;
    let link = app
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=reading-text] a"))
        .await?;
    app.click_element(&link).await?;

    // Handed to the system, once; the window still shows the app.
    let deadline = Instant::now() + Duration::from_secs(20);
    let recorded = loop {
        let recorded = std::fs::read_to_string(&opened).unwrap_or_default();
        if !recorded.is_empty() || Instant::now() > deadline {
            break recorded;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        recorded.trim(),
        SOURCE,
        "the link went to the system's browser"
    );
    assert_eq!(app.client.current_url().await?, own_page);
    let still = app.text("reading-text").await?;
    assert!(still.contains("প্রতিবেদন"), "{still:?}");
    app.screenshot("42-link-opened-outside").await?;
    app.close().await
}
