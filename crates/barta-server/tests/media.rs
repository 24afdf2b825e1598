//! Photos uploaded resumably (a tus 1.0 subset) over HTTP: chunks at the server's offset, a
//! resume after a cut, a hash mismatch that starts again, the public file, and an article
//! whose photo has not finished uploading that cannot be published.

mod common;

use barta_model::{ArticleId, RevisionId};
use base64::Engine;
use common::{TestServer, expect_error, with_body};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn photo(n: usize) -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0JFIF".to_vec();
    bytes.extend((0..n).map(|i| (i * 31 % 251) as u8));
    bytes
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

async fn create(server: &TestServer, token: &str, bytes: &[u8], sha: &str) -> reqwest::Response {
    server
        .client
        .post(server.url("/v1/media"))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", bytes.len().to_string())
        .header(
            "Upload-Metadata",
            format!("sha256 {},content-type {}", b64(sha), b64("image/jpeg")),
        )
        .send()
        .await
        .unwrap()
}

async fn patch(
    server: &TestServer,
    token: &str,
    location: &str,
    offset: usize,
    chunk: &[u8],
) -> reqwest::Response {
    server
        .client
        .patch(server.url(location))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", offset.to_string())
        .body(chunk.to_vec())
        .send()
        .await
        .unwrap()
}

async fn offset_of(server: &TestServer, token: &str, location: &str) -> u64 {
    let resp = server
        .client
        .head(server.url(location))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_photo_uploads_in_chunks_resumes_and_is_checked() {
    let server = TestServer::start().await;
    let (rahim, karim) = (server.token("rahim"), server.token("karim"));
    let bytes = photo(100_000);
    let sha = hex::encode(Sha256::digest(&bytes));

    let resp = create(&server, &rahim, &bytes, &sha).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(offset_of(&server, &rahim, &location).await, 0);
    // Creating again finds the same upload.
    let again = create(&server, &rahim, &bytes, &sha).await;
    assert_eq!(again.headers()["location"], location.as_str());

    // 63 % arrives, then the link drops; the client asks where to resume.
    let cut = bytes.len() * 63 / 100;
    assert_eq!(
        patch(&server, &rahim, &location, 0, &bytes[..cut])
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(offset_of(&server, &rahim, &location).await, cut as u64);
    // A chunk at the wrong offset is refused and changes nothing.
    expect_error(
        patch(&server, &rahim, &location, 0, &bytes[..10]).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Someone else's upload is not theirs to write.
    expect_error(
        patch(&server, &karim, &location, cut, &bytes[cut..]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Not public before it is complete.
    let early = server
        .client
        .get(server.url(&format!("/v1/media/{sha}")))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), StatusCode::NOT_FOUND);

    let resp = patch(&server, &rahim, &location, cut, &bytes[cut..]).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        resp.headers()["upload-offset"],
        bytes.len().to_string().as_str()
    );
    // Complete: its uploader gets it back (privately: no article shows it yet), nobody else.
    let got = server.get(&rahim, &format!("/v1/media/{sha}")).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    assert_eq!(got.headers()["cache-control"], "private, max-age=3600");
    assert_eq!(got.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let anonymous = server
        .client
        .get(server.url(&format!("/v1/media/{sha}")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);

    // Bytes that do not hash to the declared SHA-256: refused, and the upload starts again.
    let other = photo(5_000);
    let wrong_sha = hex::encode(Sha256::digest(b"something else"));
    let resp = create(&server, &rahim, &other, &wrong_sha).await;
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    expect_error(
        patch(&server, &rahim, &location, 0, &other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "hash_mismatch",
    )
    .await;
    assert_eq!(offset_of(&server, &rahim, &location).await, 0);

    // Bad declarations.
    for (length, meta) in [
        (
            "0",
            format!("sha256 {},content-type {}", b64(&sha), b64("image/jpeg")),
        ),
        (
            "10",
            format!("sha256 {},content-type {}", b64("abc"), b64("image/jpeg")),
        ),
        (
            "10",
            format!("sha256 {},content-type {}", b64(&sha), b64("text/html")),
        ),
        (
            "99999999999",
            format!("sha256 {},content-type {}", b64(&sha), b64("image/jpeg")),
        ),
    ] {
        let resp = server
            .client
            .post(server.url("/v1/media"))
            .bearer_auth(&rahim)
            .header("Upload-Length", length)
            .header("Upload-Metadata", meta)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{length}");
    }
    let resp = server
        .client
        .post(server.url("/v1/media"))
        .bearer_auth(&rahim)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_article_with_an_unfinished_photo_cannot_be_published() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let bytes = photo(20_000);
    let sha = hex::encode(Sha256::digest(&bytes));
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let meta = json!({"headline": "ছবির খবর", "desk": "national"});
    let body = json!({"type": "doc", "content": [
        {"type": "paragraph", "attrs": {"id": "b1"}, "content": [{"type": "text", "text": "বন্যার ছবি"}]},
        {"type": "image", "attrs": {"id": "i1", "src": format!("media:{sha}.jpg"), "alt": "", "caption": "পানিবন্দি মানুষ"}}
    ]});
    let push = with_body(rev, None, meta, body);
    server.push_ok(&rahim, article, &push).await;
    let resp = server
        .post(
            &rahim,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": "submit", "rev_id": rev}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let approval: Value = server
        .approve(&nasrin, article, rev, push["sha256"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    let publish = json!({"approval_id": approval["approval_id"]});
    let path = format!("/v1/articles/{article}/publish");

    // Half uploaded: refused, with the reason.
    let resp = create(&server, &rahim, &bytes, &sha).await;
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    patch(&server, &rahim, &location, 0, &bytes[..10_000]).await;
    let message = expect_error(
        server.post(&nasrin, &path, &publish).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(message.contains("uploading"), "{message}");

    // Complete but unpublished: private to who may read the article.
    patch(&server, &rahim, &location, 10_000, &bytes[10_000..]).await;
    let photo_path = format!("/v1/media/{sha}");
    let anonymous = || async {
        server
            .client
            .get(server.url(&photo_path))
            .send()
            .await
            .unwrap()
    };
    assert_eq!(anonymous().await.status(), StatusCode::NOT_FOUND);
    let sohel = server.token("sohel");
    assert_eq!(
        server.get(&sohel, &photo_path).await.status(),
        StatusCode::NOT_FOUND,
        "an editor of another desk saw a draft's photo"
    );
    let seen = server.get(&nasrin, &photo_path).await;
    assert_eq!(seen.status(), StatusCode::OK);
    assert_eq!(seen.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // Published, and the public page shows the photo from the server.
    let resp = server.post(&nasrin, &path, &publish).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let id = resp.json::<Value>().await.unwrap()["publication_id"]
        .as_str()
        .unwrap()
        .to_string();
    let html = server
        .client
        .get(server.url(&format!("/v1/published/{id}")))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("src=\"/v1/media/{sha}\"")), "{html}");
    assert!(html.contains("পানিবন্দি মানুষ"), "{html}");
    let public = anonymous().await;
    assert_eq!(public.status(), StatusCode::OK);
    assert_eq!(public.headers()["cache-control"], "public, max-age=300");
    assert_eq!(public.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // Killed: private again.
    let resp = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": "kill", "rev_id": rev, "note": "আইনি কারণে"}),
        )
        .await;
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap()
    );
    assert_eq!(anonymous().await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_user_cannot_fill_the_servers_disk_with_uploads() {
    let config = barta_server::ServerConfig {
        upload_quota_bytes: 50_000,
        ..barta_server::ServerConfig::default()
    };
    let server = TestServer::start_with(config).await;
    let (rahim, karim) = (server.token("rahim"), server.token("karim"));
    let first = photo(30_000);
    let resp = create(
        &server,
        &rahim,
        &first,
        &hex::encode(Sha256::digest(&first)),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    // Declared, not yet sent, still counts: a second 30 kB would pass 50 kB.
    let second = photo(30_001);
    let message = expect_error(
        create(
            &server,
            &rahim,
            &second,
            &hex::encode(Sha256::digest(&second)),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "quota_exceeded",
    )
    .await;
    assert!(message.contains("quota"), "{message}");
    // Another user's quota is their own.
    let resp = create(
        &server,
        &karim,
        &second,
        &hex::encode(Sha256::digest(&second)),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
}
