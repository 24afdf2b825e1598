//! The writing view on a 1366×768 laptop screen, in the real app: on opening an article the
//! headline and at least 15 lines of its body are in view at a comfortable size; the details
//! sit in a side panel that Ctrl+Shift+D hides and shows again (remembered); F11 leaves only
//! the text and the live counts. Screenshots of each, in Bengali and in English, for the README.

use super::{launch, log_in, paste_text, shown};
use barta_tests::{AppSession, Display, REPORTER, TestServer, exclusive};
use fantoccini::key::Key;
use serde_json::Value;

const HEADLINE: &str = "উপকূলে ঘূর্ণিঝড়ের সতর্কসংকেত, আশ্রয়কেন্দ্রে মানুষ";

/// Twenty paragraphs of a storm report: far more than a screenful.
fn long_body() -> String {
    let sentences = [
        "ঘূর্ণিঝড়টি আজ সন্ধ্যার মধ্যে উপকূল অতিক্রম করতে পারে বলে আবহাওয়া অধিদপ্তর জানিয়েছে।",
        "চট্টগ্রাম ও কক্সবাজার সমুদ্রবন্দরকে দশ নম্বর মহাবিপৎসংকেত দেখিয়ে যেতে বলা হয়েছে।",
        "উপকূলের বারোটি জেলায় চার হাজারের বেশি আশ্রয়কেন্দ্র খুলে দেওয়া হয়েছে।",
        "মাছ ধরার সব নৌকা ও ট্রলারকে নিরাপদ আশ্রয়ে থাকতে বলা হয়েছে।",
    ];
    (0..20)
        .map(|i| {
            format!(
                "{} {} {}",
                sentences[i % 4],
                sentences[(i + 1) % 4],
                sentences[(i + 2) % 4]
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// What is in view of the body and headline: the lines of the body's text (one per line box,
/// whatever the paragraphs) whose whole box lies above the footer, the body's font size in
/// pixels, whether the headline is in view, and the page's size.
const BODY_IN_VIEW: &str = "\
const body = document.querySelector('[data-testid=body-editor]');\
const headline = document.querySelector('[data-testid=headline]');\
const footer = document.querySelector('footer');\
const bottom = window.innerHeight - (footer ? footer.getBoundingClientRect().height : 0);\
const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);\
const tops = [];\
for (let node = walker.nextNode(); node; node = walker.nextNode()) {\
  const range = document.createRange();\
  range.selectNodeContents(node);\
  for (const r of range.getClientRects()) {\
    if (r.height > 0 && r.top >= 0 && r.bottom <= bottom + 0.5 && !tops.some((t) => Math.abs(t - r.top) < 4)) tops.push(r.top);\
  }\
}\
const h = headline.getBoundingClientRect();\
return [tops.length, parseFloat(getComputedStyle(body).fontSize), h.top >= 0 && h.bottom <= bottom, window.innerWidth, window.innerHeight];";

async fn in_view(app: &AppSession) -> anyhow::Result<(u64, f64, bool, u64, u64)> {
    let v = app.client.execute(BODY_IN_VIEW, vec![]).await?;
    Ok((
        v[0].as_u64().unwrap_or(0),
        v[1].as_f64().unwrap_or(0.0),
        v[2] == Value::Bool(true),
        v[3].as_u64().unwrap_or(0),
        v[4].as_u64().unwrap_or(0),
    ))
}

async fn press(app: &AppSession, keys: &str) -> anyhow::Result<()> {
    app.testid("body-editor").await?.send_keys(keys).await?;
    Ok(())
}

#[tokio::test]
async fn a_laptop_screen_shows_the_headline_and_fifteen_lines_on_opening() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    // A laptop's screen, wide enough for a 1366×768 window.
    let display = Display::start_sized(1366, 800)?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "writing").await?;
    app.client.set_window_size(1366, 768).await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", HEADLINE).await?;
    paste_text(&app, "body-editor", &long_body()).await?;
    app.type_into("dateline_place", "কক্সবাজার").await?;
    app.wait_saved().await?;

    // Opened again from the list, as a reporter would.
    app.click("back").await?;
    app.click("article-row").await?;
    app.testid("article-screen").await?;
    let (lines, font_px, headline_seen, width, height) = in_view(&app).await?;
    assert!(
        width >= 1300 && height >= 700,
        "the window is {width}×{height}"
    );
    assert!(headline_seen, "the headline is not in view");
    assert!(lines >= 15, "only {lines} lines of the body in view");
    assert!(font_px >= 18.0, "the body's Bengali is {font_px} px");
    assert!(shown(&app, "details-panel").await?);
    assert!(
        shown(&app, "submit").await?,
        "the primary action is in view"
    );
    assert!(
        !shown(&app, "history-open").await?,
        "secondary actions wait in the menu"
    );
    app.screenshot("65-writing-view-bn").await?;

    // The menu holds the rest.
    app.click("more-actions").await?;
    assert!(shown(&app, "history-open").await?);
    app.screenshot("66-writing-menu-bn").await?;
    app.click("more-actions").await?;

    // Ctrl+Shift+D hides the details; the choice is kept for the next article.
    press(&app, &format!("{}{}d", Key::Control, Key::Shift)).await?;
    assert!(
        !shown(&app, "details-panel").await?,
        "Ctrl+Shift+D did not hide the details"
    );
    app.screenshot("67-writing-no-details-bn").await?;
    app.click("back").await?;
    app.click("article-row").await?;
    app.testid("article-screen").await?;
    assert!(
        !shown(&app, "details-panel").await?,
        "the hidden panel came back"
    );
    app.click("details-toggle").await?;
    assert!(shown(&app, "details-panel").await?);

    // F11: only the text and the live counts.
    press(&app, &Key::F11.to_string()).await?;
    assert!(!shown(&app, "details-panel").await?);
    assert!(!shown(&app, "back").await?);
    assert!(!shown(&app, "sync-bar").await?);
    assert!(
        shown(&app, "stats").await?,
        "the live counts went with the rest"
    );
    app.screenshot("68-focus-mode-bn").await?;
    press(&app, &Key::Escape.to_string()).await?;
    assert!(
        shown(&app, "back").await?,
        "Escape did not leave focus mode"
    );

    // The same screen in English.
    app.click("lang").await?;
    app.wait_text("back", "English", |t| t == "Back").await?;
    let (lines, ..) = in_view(&app).await?;
    assert!(lines >= 15, "only {lines} lines in English");
    app.screenshot("69-writing-view-en").await?;
    Ok(())
}
