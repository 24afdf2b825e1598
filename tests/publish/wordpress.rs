//! Delivery to a real WordPress: the post as the portal shows it, scheduling, corrections,
//! unpublishing and kills, and exactly one post whatever WordPress or the network does.

use crate::{Newsroom, PNG, SETTLE, Story, only_post, posts_of};
use anyhow::Context;
use barta_model::api::DeliveryState;
use barta_model::workflow::Action;
use barta_tests::{Fault, Proxy, WordPress};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;

fn admin(wordpress: &WordPress) -> (&str, &str) {
    (wordpress.admin_user(), wordpress.app_password())
}

/// A category made on WordPress by its administrator; its id.
async fn category(wordpress: &WordPress, name: &str) -> anyhow::Result<u64> {
    let answer: Value = reqwest::Client::new()
        .post(wordpress.rest_url("/wp/v2/categories"))
        .basic_auth(wordpress.admin_user(), Some(wordpress.app_password()))
        .json(&json!({"name": name}))
        .send()
        .await?
        .json()
        .await?;
    if let Some(id) = answer["id"].as_u64() {
        return Ok(id);
    }
    // Made by an earlier test on the shared site.
    answer["data"]["term_id"]
        .as_u64()
        .with_context(|| format!("no category id in {answer}"))
}

/// A canned WordPress 500 that asks to be retried after a second.
fn wordpress_500() -> Fault {
    let body = r#"{"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500}}"#;
    Fault::Respond(
        format!(
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\
             retry-after: 1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_puts_the_exact_bengali_post_with_tags_category_and_featured_photo_on_wordpress()
-> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    let national = category(wordpress, "জাতীয়").await?;
    newsroom.add_wordpress(
        "website",
        &wordpress.base_url(),
        admin(wordpress),
        &["--category", &format!("national={national}")],
    )?;
    let png = hex::decode(PNG)?;
    let sha = newsroom.upload_photo(&png).await?;
    let mut story = Story::new("প্রকাশ");
    story.tags = vec!["বন্যা-সতর্কতা".into(), "ঢাকা বিভাগ".into()];
    story.slugline = Some("dhaka-flood-rescue".into());
    story.photo = Some((
        sha.clone(),
        "পানিতে ডুবে যাওয়া সড়ক".into(),
        "মিরপুরের একটি সড়ক। ছবি: প্রতিবেদক".into(),
    ));
    let id = newsroom.publish(&story, None).await?;

    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    let post = only_post(wordpress, id).await?;
    assert_eq!(post["status"], "publish", "{post}");
    assert_eq!(
        delivery.remote_url.as_deref(),
        post["link"].as_str(),
        "the desk sees the post's own link"
    );
    assert_eq!(post["title"]["raw"].as_str(), Some(story.headline.as_str()));
    assert_eq!(
        post["slug"], "dhaka-flood-rescue",
        "the slug is the article's slugline"
    );
    let content = post["content"]["raw"].as_str().context("content.raw")?;
    assert_eq!(content, nfc(content), "the post's text is NFC");
    for paragraph in &story.paragraphs {
        assert!(
            content.contains(&format!("<p>{}</p>", nfc(paragraph))),
            "{paragraph} missing from {content}"
        );
    }
    assert!(content.contains("নিজস্ব প্রতিবেদক"), "byline: {content}");
    assert!(
        content.contains("<p class=\"dateline\">ঢাকা "),
        "the dateline as the portal prints it: {content}"
    );
    assert!(
        !content.contains("<h1"),
        "WordPress prints the title itself: {content}"
    );
    assert_eq!(
        post["excerpt"]["raw"].as_str(),
        Some(nfc(&story.paragraphs[0]).as_str()),
        "the excerpt is the first paragraph"
    );
    assert_eq!(post["categories"], json!([national]));

    // Tags: created on WordPress with the Bengali names kept exactly.
    let tag_ids: Vec<String> = post["tags"]
        .as_array()
        .context("tags")?
        .iter()
        .map(|t| t.to_string())
        .collect();
    let tags = wordpress
        .rest_get(
            "/wp/v2/tags",
            &[("include", &tag_ids.join(",")), ("per_page", "100")],
        )
        .await?;
    let names: BTreeSet<&str> = tags
        .as_array()
        .context("tags list")?
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    let expected: BTreeSet<&str> = story.tags.iter().map(String::as_str).collect();
    assert_eq!(names, expected);

    // The photo: uploaded once, the featured image, with its alt text and caption, and the
    // text points at WordPress's copy.
    let featured = post["featured_media"].as_u64().context("featured_media")?;
    assert_ne!(featured, 0, "{post}");
    let media = wordpress
        .rest_get(&format!("/wp/v2/media/{featured}"), &[("context", "edit")])
        .await?;
    assert_eq!(media["alt_text"], "পানিতে ডুবে যাওয়া সড়ক");
    assert_eq!(
        media["caption"]["raw"].as_str(),
        Some("মিরপুরের একটি সড়ক। ছবি: প্রতিবেদক")
    );
    let source = media["source_url"].as_str().context("source_url")?;
    assert!(
        content.contains(&format!("src=\"{source}\"")),
        "{source} not in {content}"
    );
    assert!(!content.contains("/v1/media/"), "{content}");
    let served = reqwest::get(source).await?;
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await?.as_ref(), png.as_slice());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_publication_is_a_future_post_at_the_right_utc_time() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let at = (chrono::Utc::now() + chrono::Duration::hours(3))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let id = newsroom.publish(&Story::new("নির্ধারিত"), Some(&at)).await?;
    let delivery = newsroom.settled(id, "website", "schedule").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    let post = only_post(wordpress, id).await?;
    assert_eq!(post["status"], "future", "{post}");
    let simple = id.0.simple().to_string();
    assert_eq!(
        post["slug"].as_str(),
        Some(format!("barta-{}", &simple[simple.len() - 12..]).as_str()),
        "without a slugline, Barta's stable slug"
    );
    assert_eq!(
        post["date_gmt"].as_str().map(|d| format!("{d}Z")),
        Some(at.clone()),
        "WordPress's date_gmt is the scheduled instant in UTC"
    );
    // The site's clock is Asia/Dhaka (UTC+6): its local date is six hours later.
    let local = chrono::DateTime::parse_from_rfc3339(&at)?.to_utc() + chrono::Duration::hours(6);
    assert_eq!(
        post["date"].as_str(),
        Some(local.format("%Y-%m-%dT%H:%M:%S").to_string().as_str())
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correction_updates_the_same_post_with_the_new_text_and_the_note() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let mut story = Story::new("সংশোধন");
    // A photo of its own (bytes after IEND are ignored by image readers): counted below.
    let mut png = hex::decode(PNG)?;
    png.extend_from_slice(b"correction test");
    let sha = newsroom.upload_photo(&png).await?;
    story.photo = Some((sha.clone(), "আশ্রয়কেন্দ্র".into(), "একটি আশ্রয়কেন্দ্র".into()));
    let id = newsroom.publish(&story, None).await?;
    newsroom.settled(id, "website", "publish").await?;
    let before = only_post(wordpress, id).await?;

    let mut corrected = story.clone();
    corrected.paragraphs[1] = "আশ্রয়কেন্দ্রে ১২ হাজার মানুষ রয়েছেন বলে জেলা প্রশাসন জানিয়েছে।".into();
    let note = "আগের সংস্করণে আশ্রয়কেন্দ্রের সংখ্যা ভুল ছিল।";
    newsroom.correct(id, &corrected, note).await?;
    let delivery = newsroom.settled(id, "website", "correct").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");

    let after = only_post(wordpress, id).await?;
    assert_eq!(after["id"], before["id"], "the same post, updated in place");
    assert_eq!(
        after["featured_media"], before["featured_media"],
        "the photo is the one uploaded before"
    );
    let copies = wordpress
        .rest_get(
            "/wp/v2/media",
            &[("search", sha.as_str()), ("context", "edit")],
        )
        .await?;
    assert_eq!(
        copies.as_array().map(Vec::len),
        Some(1),
        "uploaded once, reused by the correction: {copies}"
    );
    assert_eq!(after["status"], "publish");
    let content = after["content"]["raw"].as_str().context("content")?;
    assert!(content.contains(&corrected.paragraphs[1]), "{content}");
    assert!(!content.contains(&story.paragraphs[1]), "{content}");
    assert!(
        content.contains(&format!("সংশোধনী:</strong> {note}")),
        "{content}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unpublish_makes_the_post_a_draft_and_kill_moves_it_to_the_trash() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let id = newsroom.publish(&Story::new("প্রত্যাহার"), None).await?;
    newsroom.settled(id, "website", "publish").await?;
    let published = only_post(wordpress, id).await?;

    newsroom.act(id, Action::Unpublish).await?;
    let delivery = newsroom.settled(id, "website", "unpublish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    let draft = only_post(wordpress, id).await?;
    assert_eq!(draft["id"], published["id"]);
    assert_eq!(draft["status"], "draft", "unpublished → draft");

    newsroom.act(id, Action::Kill).await?;
    let delivery = newsroom.settled(id, "website", "kill").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    let killed = only_post(wordpress, id).await?;
    assert_eq!(killed["id"], published["id"]);
    assert_eq!(killed["status"], "trash", "killed → trash");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_of_a_published_article_trashes_its_post() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let id = newsroom.publish(&Story::new("বাতিল"), None).await?;
    newsroom.settled(id, "website", "publish").await?;
    newsroom.act(id, Action::Kill).await?;
    let delivery = newsroom.settled(id, "website", "kill").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert_eq!(only_post(wordpress, id).await?["status"], "trash");
    Ok(())
}

/// Its own WordPress: this test stops the web server, which others must not see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wordpress_stopped_during_publish_stays_pending_and_is_delivered_once_it_returns()
-> anyhow::Result<()> {
    let wordpress = tokio::task::block_in_place(WordPress::start)?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(&wordpress), &[])?;
    tokio::task::block_in_place(|| wordpress.stop_web())?;

    let id = newsroom.publish(&Story::new("বন্ধ"), None).await?;
    let waiting = newsroom
        .wait_for(id, "website", SETTLE, |d| d.attempts >= 2)
        .await?;
    assert_eq!(waiting.state, DeliveryState::Pending, "{waiting:?}");
    assert!(waiting.next_attempt_at.is_some(), "{waiting:?}");
    assert!(
        waiting.error.as_deref().is_some_and(|e| !e.is_empty()),
        "the desk sees why: {waiting:?}"
    );

    tokio::task::block_in_place(|| wordpress.start_web())?;
    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert_eq!(delivery.error, None);
    assert_eq!(only_post(&wordpress, id).await?["status"], "publish");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wordpress_answering_500_three_times_is_retried_and_delivered_once() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let proxy = Proxy::start(&wordpress.base_url()).await?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &proxy.url, admin(wordpress), &[])?;
    proxy.then([wordpress_500(), wordpress_500(), wordpress_500()]);

    let id = newsroom.publish(&Story::new("পাঁচশো"), None).await?;
    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert_eq!(
        delivery.attempts, 4,
        "three 500s, then success: {delivery:?}"
    );
    let answered_500 = proxy
        .seen()
        .iter()
        .filter(|s| matches!(s.fault, Fault::Respond(_)))
        .count();
    assert_eq!(answered_500, 3);
    assert_eq!(only_post(wordpress, id).await?["status"], "publish");
    assert_eq!(
        proxy.count("POST", "wp%2Fv2%2Fposts") + proxy.count("POST", "wp/v2/posts"),
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_application_password_fails_with_the_reason_and_no_retry_storm() -> anyhow::Result<()>
{
    let wordpress = WordPress::shared()?;
    let proxy = Proxy::start(&wordpress.base_url()).await?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress(
        "website",
        &proxy.url,
        (wordpress.admin_user(), "abcd efgh ijkl mnop qrst uvwx"),
        &[],
    )?;
    let id = newsroom.publish(&Story::new("ভুল পাসওয়ার্ড"), None).await?;
    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Failed, "{delivery:?}");
    assert_eq!(delivery.attempts, 1, "{delivery:?}");
    let error = delivery.error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("WordPress refused the user name or application password: HTTP 401: ")
            && error.ends_with(')'),
        "the reason, then WordPress's own message and code: {error}"
    );
    let requests = proxy.seen().len();
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(proxy.seen().len(), requests, "nothing more is sent");
    assert_eq!(
        newsroom.article(id).await?.deliveries[0].attempts,
        1,
        "no retry"
    );
    assert!(posts_of(wordpress, id).await?.is_empty());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_killed_after_wordpress_made_the_post_leaves_exactly_one_post_after_restart()
-> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let mut newsroom =
        Newsroom::start_with_env(&[("BARTA_FAILPOINT", "delivery-record-abort")]).await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let id = newsroom.publish(&Story::new("বিপর্যয়"), None).await?;
    let exit = tokio::task::block_in_place(|| newsroom.server.wait_exit(Duration::from_secs(60)));
    assert!(
        exit.is_some_and(|s| !s.success()),
        "the failpoint aborts serve: {exit:?}"
    );
    assert_eq!(
        posts_of(wordpress, id).await?.len(),
        1,
        "WordPress made the post before the crash"
    );

    tokio::task::block_in_place(|| newsroom.server.restart())?;
    let newsroom = Newsroom::of(newsroom.server).await?;
    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    // The interrupted attempt left no record; the one after the restart found the post by
    // its marker instead of making a second.
    assert_eq!(delivery.attempts, 1, "{delivery:?}");
    let post = only_post(wordpress, id).await?;
    assert_eq!(delivery.remote_url.as_deref(), post["link"].as_str());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_articles_published_at_once_make_fifty_posts_and_no_duplicates() -> anyhow::Result<()>
{
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    // Approved first, published together: the outbox gets 50 deliveries at once.
    let mut approved = Vec::new();
    for i in 0..50 {
        let mut story = Story::new(&format!("পঞ্চাশ-{i}"));
        story.tags = vec![format!("ধারাবাহিক-{}", i % 5)];
        approved.push(newsroom.approved(&story).await?);
    }
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    for (id, approval_id) in &approved {
        newsroom
            .client
            .publish(
                &newsroom.editor,
                *id,
                &barta_model::api::PublishRequest {
                    approval_id: approval_id.clone(),
                    at: None,
                },
            )
            .await?;
    }
    for (id, _) in &approved {
        let delivery = newsroom.settled(*id, "website", "publish").await?;
        assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    }
    let posts = wordpress.all_posts().await?;
    let mut remote_ids = BTreeSet::new();
    for (id, _) in &approved {
        let marker = crate::marker(*id);
        let mine: Vec<&Value> = posts
            .iter()
            .filter(|p| {
                p["content"]["raw"]
                    .as_str()
                    .is_some_and(|c| c.contains(&marker))
            })
            .collect();
        assert_eq!(mine.len(), 1, "{id}: {} posts", mine.len());
        remote_ids.insert(mine[0]["id"].to_string());
    }
    assert_eq!(remote_ids.len(), 50);
    // Five tags shared by fifty posts: each made once.
    for i in 0..5 {
        let found = wordpress
            .rest_get("/wp/v2/tags", &[("search", &format!("ধারাবাহিক-{i}"))])
            .await?;
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_embargoed_article_reaches_wordpress_only_once_the_embargo_lifts() -> anyhow::Result<()>
{
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let now = chrono::Utc::now();
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut story = Story::new("নিষেধাজ্ঞা");
    story.embargo = Some(stamp(now + chrono::Duration::seconds(6)));
    let at = stamp(now + chrono::Duration::seconds(7));
    let id = newsroom.publish(&story, Some(&at)).await?;

    // Held: nothing on WordPress, not even a `future` post, while the embargo holds.
    let held = newsroom.article(id).await?.deliveries;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0].state, DeliveryState::Pending);
    let due = held[0].next_attempt_at.as_deref().unwrap_or_default();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(due)?,
        chrono::DateTime::parse_from_rfc3339(&at)?,
        "due at the scheduled time, after the embargo"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        posts_of(wordpress, id).await?.is_empty(),
        "sent before the embargo lifted"
    );

    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert!(chrono::Utc::now() >= chrono::DateTime::parse_from_rfc3339(&at)?.to_utc());
    assert_eq!(only_post(wordpress, id).await?["status"], "publish");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_retries_a_failed_delivery_after_fixing_the_password_and_a_reporter_may_not()
-> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let newsroom = Newsroom::start().await?;
    newsroom.add_wordpress(
        "website",
        &wordpress.base_url(),
        (wordpress.admin_user(), "zzzz zzzz zzzz zzzz zzzz zzzz"),
        &[],
    )?;
    let id = newsroom.publish(&Story::new("আবার"), None).await?;
    let failed = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(failed.state, DeliveryState::Failed, "{failed:?}");

    let by_reporter = newsroom
        .client
        .retry_delivery(&newsroom.reporter, id, "website")
        .await;
    assert_eq!(by_reporter.unwrap_err().status(), Some(403));
    let unknown = newsroom
        .client
        .retry_delivery(&newsroom.editor, id, "no-such-site")
        .await;
    assert_eq!(unknown.unwrap_err().status(), Some(404));

    // The newsroom's IT person sets the right password; the editor sends it again.
    newsroom.barta_ok(&["target", "remove", "website"], None)?;
    newsroom.add_wordpress("website", &wordpress.base_url(), admin(wordpress), &[])?;
    let answer = newsroom
        .client
        .retry_delivery(&newsroom.editor, id, "website")
        .await?;
    assert_eq!(answer[0].state, DeliveryState::Pending, "{answer:?}");
    let delivery = newsroom.settled(id, "website", "publish").await?;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert_eq!(delivery.attempts, 2);
    assert_eq!(only_post(wordpress, id).await?["status"], "publish");
    let again = newsroom
        .client
        .retry_delivery(&newsroom.editor, id, "website")
        .await;
    assert_eq!(again.unwrap_err().status(), Some(409), "delivered already");
    Ok(())
}
