//! The harness itself: the real WordPress answers as the publishing tests expect.

use anyhow::Context;
use barta_tests::WordPress;
use serde_json::{Value, json};
use unicode_normalization::is_nfc;

/// An authenticated JSON request to a REST route; the answer's body, failing on non-2xx.
async fn rest(
    wordpress: &WordPress,
    method: reqwest::Method,
    route: &str,
    (user, password): (&str, &str),
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let mut request = reqwest::Client::new()
        .request(method.clone(), wordpress.rest_url(route))
        .basic_auth(user, Some(password));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("{method} {route}"))?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "{method} {route}: {status}: {text}");
    serde_json::from_str(&text).with_context(|| format!("{method} {route}: not JSON: {text}"))
}

fn admin(wordpress: &WordPress) -> (&str, &str) {
    (wordpress.admin_user(), wordpress.app_password())
}

#[tokio::test]
async fn admin_can_publish_and_upload() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let me = wordpress
        .rest_get("/wp/v2/users/me", &[("context", "edit")])
        .await?;
    assert_eq!(me["username"], wordpress.admin_user(), "{me}");
    for capability in ["publish_posts", "upload_files", "edit_others_posts"] {
        assert_eq!(me["capabilities"][capability], true, "{capability}: {me}");
    }
    Ok(())
}

#[tokio::test]
async fn bengali_title_and_tag_read_back_exactly() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let title = "ঢাকায় বন্যা: পানিবন্দি লাখো মানুষ";
    let tag_name = "বন্যা-সতর্কতা";
    assert!(
        is_nfc(title) && is_nfc(tag_name),
        "the test's own text is NFC"
    );
    let tag = rest(
        wordpress,
        reqwest::Method::POST,
        "/wp/v2/tags",
        admin(wordpress),
        Some(json!({"name": tag_name})),
    )
    .await?;
    let tag_id = tag["id"].as_u64().context("tag id")?;
    let created = rest(
        wordpress,
        reqwest::Method::POST,
        "/wp/v2/posts",
        admin(wordpress),
        Some(json!({
            "title": title,
            "content": "<!-- barta-article-harness -->\n<p>নদীর পানি বিপৎসীমার ওপরে।</p>",
            "status": "publish",
            "tags": [tag_id],
        })),
    )
    .await?;
    let id = created["id"].as_u64().context("post id")?;

    let post = wordpress
        .rest_get(&format!("/wp/v2/posts/{id}"), &[("context", "edit")])
        .await?;
    assert_eq!(post["title"]["raw"].as_str(), Some(title), "{post}");
    assert_eq!(post["status"], "publish");
    assert_eq!(post["tags"], json!([tag_id]));
    assert!(
        post["content"]["raw"]
            .as_str()
            .is_some_and(|c| c.starts_with("<!-- barta-article-harness -->")),
        "the marker comment survives in content.raw: {post}"
    );
    // WordPress stores a non-ASCII slug percent-encoded (lower-case hex).
    let slug = post["slug"].as_str().context("slug")?;
    assert!(slug.starts_with("%e0%a6%a2"), "slug {slug}");

    let tag = wordpress
        .rest_get(&format!("/wp/v2/tags/{tag_id}"), &[("context", "edit")])
        .await?;
    assert_eq!(tag["name"].as_str(), Some(tag_name), "{tag}");

    let all = wordpress.all_posts().await?;
    assert!(all.iter().any(|p| p["id"] == id), "all_posts lists {id}");
    Ok(())
}

#[tokio::test]
async fn stopped_web_server_refuses_then_answers_again() -> anyhow::Result<()> {
    // Its own site: stopping the shared one would break the other tests.
    let wordpress = WordPress::start()?;
    wordpress
        .rest_get("/wp/v2/users/me", &[])
        .await
        .context("before stop_web")?;
    wordpress.stop_web()?;
    let error = wordpress
        .rest_get("/wp/v2/users/me", &[])
        .await
        .expect_err("WordPress is down");
    let connect = error.chain().any(|e| {
        e.downcast_ref::<reqwest::Error>()
            .is_some_and(|e| e.is_connect())
    });
    assert!(connect, "a connection error: {error:#}");
    wordpress.start_web()?;
    let me = wordpress
        .rest_get("/wp/v2/users/me", &[])
        .await
        .context("after start_web")?;
    assert_eq!(me["id"], 1, "{me}");
    Ok(())
}

#[tokio::test]
async fn subscriber_lacks_publish_rights() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let (user, password) = wordpress.add_user("harness-subscriber", "subscriber")?;
    let me = rest(
        wordpress,
        reqwest::Method::GET,
        "/wp/v2/users/me&context=edit",
        (&user, &password),
        None,
    )
    .await?;
    assert_eq!(me["username"], user, "{me}");
    assert_eq!(me["roles"], json!(["subscriber"]), "{me}");
    assert_ne!(me["capabilities"]["publish_posts"], true, "{me}");
    assert_ne!(me["capabilities"]["upload_files"], true, "{me}");
    Ok(())
}

#[tokio::test]
async fn scheduled_post_stays_future_and_media_uploads() -> anyhow::Result<()> {
    let wordpress = WordPress::shared()?;
    let post = rest(
        wordpress,
        reqwest::Method::POST,
        "/wp/v2/posts",
        admin(wordpress),
        Some(json!({"title": "নির্ধারিত", "status": "future", "date_gmt": "2030-01-01T10:00:00"})),
    )
    .await?;
    let id = post["id"].as_u64().context("post id")?;
    wordpress.run_cron().await?;
    let post = wordpress
        .rest_get(&format!("/wp/v2/posts/{id}"), &[("context", "edit")])
        .await?;
    assert_eq!(post["status"], "future", "{post}");
    assert_eq!(post["date_gmt"], "2030-01-01T10:00:00", "{post}");
    // The site's time zone is Asia/Dhaka (UTC+6).
    assert_eq!(post["date"], "2030-01-01T16:00:00", "{post}");

    // The smallest valid JPEG: 1×1, grey.
    let jpeg: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x02, 0x02, 0x02, 0x03, 0x02,
        0x02, 0x02, 0x03, 0x03, 0x03, 0x03, 0x04, 0x06, 0x04, 0x04, 0x04, 0x04, 0x04, 0x08, 0x06,
        0x06, 0x05, 0x06, 0x09, 0x08, 0x0A, 0x0A, 0x09, 0x08, 0x09, 0x09, 0x0A, 0x0C, 0x0F, 0x0C,
        0x0A, 0x0B, 0x0E, 0x0B, 0x09, 0x09, 0x0D, 0x11, 0x0D, 0x0E, 0x0F, 0x10, 0x10, 0x11, 0x10,
        0x0A, 0x0C, 0x12, 0x13, 0x12, 0x10, 0x13, 0x0F, 0x10, 0x10, 0x10, 0xFF, 0xC9, 0x00, 0x0B,
        0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xCC, 0x00, 0x06, 0x00, 0x10,
        0x10, 0x05, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xD2, 0xCF, 0x20,
        0xFF, 0xD9,
    ];
    let response = reqwest::Client::new()
        .post(wordpress.rest_url("/wp/v2/media"))
        .basic_auth(wordpress.admin_user(), Some(wordpress.app_password()))
        .header("Content-Type", "image/jpeg")
        .header("Content-Disposition", "attachment; filename=harness.jpg")
        .body(jpeg.to_vec())
        .send()
        .await?;
    let status = response.status();
    let media: Value = response.json().await?;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{media}");
    assert_eq!(media["mime_type"], "image/jpeg", "{media}");
    let source = media["source_url"].as_str().context("source_url")?;
    let bytes = reqwest::get(source)
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    assert_eq!(&bytes[..], jpeg, "the upload is served back unchanged");
    Ok(())
}
