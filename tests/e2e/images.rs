//! Images in the body: pasted from the clipboard or chosen from disk, stored on this computer,
//! shown inline with a caption that survives a reopen; a 40 MB file that is no readable image
//! is refused with a reason, a photo of over 20 MB is scaled down and kept with a notice.

use super::{launch, log_in};
use barta_tests::{Display, REPORTER, TestServer, exclusive};

/// Pastes a file made in the page into the focused editor.
const PASTE_FILE: &str = "const [bytes, type, name] = [arguments[0], arguments[1], arguments[2]];\n\
    const done = arguments[3];\n\
    const paste = (blob) => { const dt = new DataTransfer(); dt.items.add(new File([blob], name, {type}));\n\
      document.querySelector('[data-testid=body-editor]').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); done(); };\n\
    if (bytes === 'canvas' || bytes === 'big') { const c = document.createElement('canvas');\n\
      c.width = bytes === 'big' ? 4000 : 64; c.height = bytes === 'big' ? 1000 : 48;\n\
      const g = c.getContext('2d'); g.fillStyle = '#b3261e'; g.fillRect(0, 0, c.width, c.height); c.toBlob(paste, 'image/png'); }\n\
    else if (bytes === 'noise') { const c = document.createElement('canvas'); c.width = 3000; c.height = 3000;\n\
      const g = c.getContext('2d'); const img = g.createImageData(3000, 3000); const d = img.data; let x = 12345;\n\
      for (let i = 0; i < d.length; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; d[i] = (i & 3) === 3 ? 255 : x >>> 24; }\n\
      g.putImageData(img, 0, 0); c.toBlob(paste, 'image/png'); }\n\
    else { const b = new Uint8Array(bytes); b.set([0xFF, 0xD8, 0xFF]); paste(new Blob([b], {type})); }";

#[tokio::test]
async fn a_pasted_image_is_shown_with_its_caption_and_a_huge_one_is_refused() -> anyhow::Result<()>
{
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "images").await?;
    log_in(&app, &REPORTER).await?;
    app.click("phonetic-toggle").await?;
    app.click("new-article").await?;
    app.type_into("headline", "ছবির খবর").await?;
    app.click("body-editor").await?;
    app.client
        .execute_async(
            PASTE_FILE,
            vec!["canvas".into(), "image/png".into(), "red.png".into()],
        )
        .await?;
    app.testid("image-block").await?;
    let width = app
        .wait_js(
            "the image loaded",
            "return document.querySelector('[data-testid=image-block] img').naturalWidth;",
        )
        .await?;
    assert_eq!(width, 64);
    // The first article's photo: it is never in a saved version, so it never leaves.
    let media = app.settings().user_dir(&REPORTER).join("media");
    let first_photo: Vec<String> = std::fs::read_dir(&media)?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png"))
        .collect();
    assert_eq!(first_photo.len(), 1, "{first_photo:?}");
    app.type_into("image-caption", "ঢাকায় বৃষ্টি").await?;
    app.wait_saved().await?;
    app.screenshot("16-image-with-caption").await?;

    // Reopen: the picture and its caption are still there.
    app.click("back").await?;
    app.click("article-row").await?;
    let width = app
        .wait_js(
            "the image loaded again",
            "return document.querySelector('[data-testid=image-block] img').naturalWidth;",
        )
        .await?;
    assert_eq!(width, 64);
    assert_eq!(app.text("image-caption").await?, "ঢাকায় বৃষ্টি");

    // 40 MB: refused at once, with the reason; nothing else changes.
    app.click("body-editor").await?;
    app.client
        .execute_async(
            PASTE_FILE,
            vec![
                (40 * 1024 * 1024).into(),
                "image/jpeg".into(),
                "huge.jpg".into(),
            ],
        )
        .await?;
    let error = app
        .wait_text("article-error", "the size refusal", |t| !t.is_empty())
        .await?;
    assert!(
        error.contains("২০ MB") && error.contains("40.0 MB"),
        "{error:?}"
    );
    let images = app
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=image-block]').length;",
            vec![],
        )
        .await?;
    assert_eq!(images, 1);

    // A 4000-pixel-wide photo (in a new article) is scaled down to the longest edge allowed
    // (2048 by default) before it is stored and sent.
    app.click("back").await?;
    app.click("new-article").await?;
    app.type_into("headline", "চওড়া ছবি").await?;
    app.click("body-editor").await?;
    app.client
        .execute_async(
            PASTE_FILE,
            vec!["big".into(), "image/png".into(), "wide.png".into()],
        )
        .await?;
    let width = app
        .wait_js(
            "the wide photo loaded",
            "return document.querySelector('[data-testid=image-block] img')?.naturalWidth ?? 0;",
        )
        .await?;
    assert_eq!(width, 2048, "scaled to the longest edge");
    app.wait_saved().await?;

    // A photo of over 20 MB that can be scaled down is kept, scaled, and the app says so.
    app.client
        .execute_async(
            PASTE_FILE,
            vec!["noise".into(), "image/png".into(), "camera.png".into()],
        )
        .await?;
    // "ছবিটি ছোট করে রাখা হয়েছে: 34.4 MB → 13.1 MB" (the wide photo's notice said KB).
    let megabytes_before = |t: &str| -> f64 {
        t.split(" MB →")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let said = app
        .wait_text("image-scaled", "the scaling notice", |t| {
            megabytes_before(t) > 0.0
        })
        .await?;
    let before = megabytes_before(&said);
    assert!(before > 20.0, "a photo over 20 MB: {said:?}");
    let photos = app
        .wait_js(
            "both photos shown",
            "const n = document.querySelectorAll('[data-testid=image-block]').length; return n === 2 ? n : 0;",
        )
        .await?;
    assert_eq!(photos, 2);
    app.screenshot("17-large-photo-scaled").await?;
    app.wait_saved().await?;

    // From disk, through "add image": the file chosen (WebDriver's file upload, which is what
    // the button's file dialog fills in) is shown inline like a pasted one.
    let photo = root.path().join("from-disk.png");
    let made = std::process::Command::new("convert")
        .args(["-size", "80x60", "xc:#1e6b26"])
        .arg(&photo)
        .status()?;
    anyhow::ensure!(
        made.success(),
        "ImageMagick's convert could not make a test photo"
    );
    let picker = app.testid("image-file").await?;
    app.client
        .execute(
            "arguments[0].hidden = false;",
            vec![serde_json::to_value(&picker)?],
        )
        .await?;
    picker.send_keys(&photo.display().to_string()).await?;
    let photos = app
        .wait_js(
            "the photo from disk shown",
            "const imgs = document.querySelectorAll('[data-testid=image-block] img');\n\
             return imgs.length === 3 && Array.from(imgs).some(i => i.naturalWidth === 80) ? 3 : 0;",
        )
        .await?;
    assert_eq!(photos, 3);
    app.wait_saved().await?;

    // The photos of a saved version reach the server with the next sync round (in chunks,
    // resumable); the first article's, in no saved version, stays on this computer.
    let stored: Vec<String> = std::fs::read_dir(&media)?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png") && !first_photo.contains(n))
        .collect();
    assert_eq!(stored.len(), 3, "{stored:?}");
    app.click("save-version").await?;
    app.click("sync-now").await?;
    // Unpublished, the photos are served only to who may read their article (the reporter).
    let token = barta_tests::login_token(&server, &barta_tests::REPORTER).await?;
    for name in stored {
        let sha = name.trim_end_matches(".png");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let resp = reqwest::Client::new()
                .get(format!("{}/v1/media/{sha}", server.url))
                .bearer_auth(&token)
                .send()
                .await?;
            if resp.status() == 200 {
                assert_eq!(resp.headers()["content-type"], "image/png");
                break;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "photo {sha} never reached the server"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    app.wait_attr("sync-photos", "data-count", "no photo waiting", |c| {
        c == "0"
    })
    .await?;
    let kept_home = first_photo[0].trim_end_matches(".png");
    let resp = reqwest::Client::new()
        .get(format!("{}/v1/media/{kept_home}", server.url))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(resp.status(), 404, "a photo in no saved version was sent");
    app.close().await
}
