//! The desk editor's app and the newsroom's real WordPress: publishing shows "on the website"
//! with the post's link; with WordPress down, the app shows why the article is not there yet
//! and the editor sends it again once it is back.

use super::{launch, log_in, open_first_row};
use barta_model::api::TransitionRequest;
use barta_model::workflow::Action;
use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use barta_sync::Client;
use barta_tests::{Display, EDITOR, REPORTER, TestServer, WordPress, exclusive, login_token};

/// The reporter files an article straight through the API (this test is about the desk).
async fn file_article(
    server: &TestServer,
    headline: &str,
    text: &str,
) -> anyhow::Result<ArticleId> {
    let client = Client::new(&server.url)?;
    let token = login_token(server, &REPORTER).await?;
    let id = ArticleId::new();
    let meta = ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        byline: Some("নিজস্ব প্রতিবেদক".into()),
        tags: vec!["বন্যা".into()],
        ..Default::default()
    };
    let push = RevisionPush::new(
        RevisionId::new(),
        None,
        meta,
        Document::from_paragraphs([("b1", text)]),
        chrono::Utc::now().to_rfc3339(),
    );
    client.push_revision(&token, id, &push).await?;
    client
        .transition(
            &token,
            id,
            &TransitionRequest {
                action: Action::Submit,
                rev_id: push.id,
                note: None,
            },
        )
        .await?;
    Ok(id)
}

/// The editor opens the incoming article with `headline`, approves and publishes it now.
async fn approve_and_publish(
    editor: &barta_tests::AppSession,
    headline: &str,
) -> anyhow::Result<()> {
    editor.click("queue-incoming").await?;
    editor
        .wait_text("queue-items", "the filed article", |t| t.contains(headline))
        .await?;
    open_first_row(editor).await?;
    editor
        .wait_text("headline", "the article", |t| t == headline)
        .await?;
    editor.click("approve").await?;
    editor
        .wait_text("article-state", "approved", |t| t == "অনুমোদিত")
        .await?;
    editor.click("publish-now").await?;
    editor
        .wait_text("article-state", "published", |t| t == "প্রকাশিত")
        .await?;
    Ok(())
}

/// The link of the one post of article `id` on WordPress.
async fn post_link(wordpress: &WordPress, id: ArticleId) -> anyhow::Result<String> {
    let post = barta_tests::newsroom::only_post(wordpress, id).await?;
    Ok(post["link"].as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn the_editor_sees_the_article_on_the_website_and_retries_when_wordpress_was_down()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    // Its own WordPress: this test stops it.
    let wordpress = WordPress::start()?;
    let server = TestServer::start_demo()?;
    let added = server.barta(
        &[
            "target",
            "add",
            "website",
            "--kind",
            "wordpress",
            "--url",
            &wordpress.base_url(),
            "--user",
            wordpress.admin_user(),
            "--app-password-stdin",
        ],
        Some(&format!("{}\n", wordpress.app_password())),
    )?;
    anyhow::ensure!(added.status.success(), "{added:?}");

    let first = "বুড়িগঙ্গায় লঞ্চডুবি: উদ্ধারকাজ চলছে";
    let first_id = file_article(
        &server,
        first,
        "সদরঘাটের কাছে একটি লঞ্চ ডুবে গেছে বলে নৌ পুলিশ জানিয়েছে।",
    )
    .await?;
    let display = Display::start()?;
    let root = tempfile::tempdir()?;
    let editor = launch(&display, &server, root.path(), "editor").await?;
    log_in(&editor, &EDITOR).await?;
    approve_and_publish(&editor, first).await?;
    editor
        .wait_attr("delivery", "data-state", "delivered", |s| s == "delivered")
        .await?;
    let link = post_link(&wordpress, first_id).await?;
    editor
        .wait_text("website-url", "the post's link", |t| t == link)
        .await?;
    editor
        .wait_text("delivery", "on the website", |t| t.contains("ওয়েবসাইটে আছে"))
        .await?;
    editor.scroll_to("website").await?;
    editor.screenshot("60-on-the-website").await?;

    // WordPress goes down: the second article waits, and the editor sees why.
    wordpress.stop_web()?;
    let second = "গাজীপুরে কারখানায় আগুন, নিয়ন্ত্রণে ফায়ার সার্ভিস";
    let second_id = file_article(
        &server,
        second,
        "কারখানার তৃতীয় তলায় আগুন লাগে বলে ফায়ার সার্ভিস জানিয়েছে।",
    )
    .await?;
    editor.click("back").await?;
    approve_and_publish(&editor, second).await?;
    let error = editor
        .wait_text("delivery-error", "the reason", |t| !t.is_empty())
        .await?;
    assert!(error.contains("cannot connect"), "{error}");
    editor
        .wait_text("delivery", "being sent", |t| {
            t.contains("ওয়েবসাইটে পাঠানো হচ্ছে")
        })
        .await?;
    editor.scroll_to("website").await?;
    editor.screenshot("61-website-down").await?;

    // Back up: the editor sends it again at once.
    wordpress.start_web()?;
    // The line is redrawn when an automatic attempt changes it: click what is there now.
    let mut clicked = editor.click("delivery-retry").await;
    for _ in 0..20 {
        if clicked.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        clicked = editor.click("delivery-retry").await;
    }
    clicked?;
    editor
        .wait_attr("delivery", "data-state", "delivered", |s| s == "delivered")
        .await?;
    let link = post_link(&wordpress, second_id).await?;
    editor
        .wait_text("website-url", "the second post's link", |t| t == link)
        .await?;
    editor.screenshot("62-on-the-website-after-retry").await?;
    editor.close().await?;
    Ok(())
}
