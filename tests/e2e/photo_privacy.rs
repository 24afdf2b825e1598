//! A photo keeps its secrets on no disk but the reporter's camera: a GPS-tagged JPEG pasted in
//! the app is stored and sent without its EXIF (the app says so, once), and the server serves
//! it only to who may read the article until it is published.

use super::{launch, log_in, screen_article};
use barta_tests::photos::{GPS_MARKER, gps_tagged_jpeg, holds};
use barta_tests::{Display, REPORTER, TestServer, exclusive, login_token};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Pastes the bytes in `arguments[0]` as a file of type `arguments[1]` into the body.
const PASTE_BYTES: &str = "const [bytes, type, done] = [arguments[0], arguments[1], arguments[2]];\n\
    const dt = new DataTransfer(); dt.items.add(new File([new Uint8Array(bytes)], 'phone.jpg', {type}));\n\
    document.querySelector('[data-testid=body-editor]').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));\n\
    done();";

#[tokio::test]
async fn a_gps_tagged_photo_reaches_the_server_without_its_gps() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "photo-privacy").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "বন্যার ছবি").await?;
    app.click("body-editor").await?;

    let photo = gps_tagged_jpeg(120, 80, "steelblue")?;
    assert!(holds(&photo, GPS_MARKER), "the test photo carries its GPS");
    app.client
        .execute_async(
            PASTE_BYTES,
            vec![Value::from(photo.clone()), "image/jpeg".into()],
        )
        .await?;
    app.testid("image-block").await?;
    let said = app.text("image-metadata-removed").await?;
    assert!(said.contains("জিপিএস"), "{said:?}");
    app.screenshot("43-photo-metadata-removed").await?;

    // Stored on this computer without it, and sealed with the store's key: not even a JPEG
    // to look at on a copy of the disk.
    let media = app.settings().user_dir(&REPORTER).join("media");
    let stored: Vec<_> = std::fs::read_dir(&media)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jpg"))
        .collect();
    assert_eq!(stored.len(), 1);
    let kept = std::fs::read(stored[0].path())?;
    assert!(
        !holds(&kept, GPS_MARKER) && !holds(&kept, b"Exif"),
        "EXIF kept on disk"
    );
    assert!(
        !kept.starts_with(&[0xFF, 0xD8, 0xFF]) && !holds(&kept, b"JFIF"),
        "a readable JPEG on disk"
    );
    let sha = stored[0]
        .file_name()
        .to_string_lossy()
        .trim_end_matches(".jpg")
        .to_string();

    app.wait_saved().await?;
    let id = screen_article(&app).await?;
    app.click("save-version").await?;

    // Said once: a photo in another article brings no notice.
    app.click("back").await?;
    app.click("new-article").await?;
    app.type_into("headline", "আরেকটি ছবি").await?;
    app.click("body-editor").await?;
    let second = gps_tagged_jpeg(60, 40, "seagreen")?;
    app.client
        .execute_async(PASTE_BYTES, vec![Value::from(second), "image/jpeg".into()])
        .await?;
    app.testid("image-block").await?;
    assert!(
        !super::shown(&app, "image-metadata-removed").await?,
        "the notice came a second time"
    );

    // Sent: the server has the clean bytes, for the reporter; not for anyone.
    app.click("sync-now").await?;
    let token = login_token(&server, &REPORTER).await?;
    let url = format!("{}/v1/media/{sha}", server.url);
    let deadline = Instant::now() + Duration::from_secs(30);
    let served = loop {
        let answer = reqwest::Client::new()
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await?;
        if answer.status() == 200 {
            break answer.bytes().await?;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the photo of {id} never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&served)),
        sha,
        "the photo as stored"
    );
    assert!(
        served.starts_with(&[0xFF, 0xD8, 0xFF]),
        "a JPEG on the server"
    );
    assert!(!holds(&served, GPS_MARKER), "the server has the GPS");
    let anonymous = reqwest::get(&url).await?;
    assert_eq!(
        anonymous.status(),
        404,
        "an unpublished photo served to anyone"
    );
    app.close().await
}
