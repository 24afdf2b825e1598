//! The reporter's editor in the real app: phonetic typing, Bijoy paste conversion with undo,
//! live Bengali counts, and the Bengali dateline.

use super::{get_json, launch, log_in, paste_text, screen_article, server_article};
use barta_tests::{AppSession, Display, REPORTER, TestServer, exclusive, login_token};

/// The underlined (misspelled) word `text` in the body, once the spelling check flags it.
async fn flagged(
    app: &barta_tests::AppSession,
    text: &str,
) -> anyhow::Result<fantoccini::elements::Element> {
    let xpath = format!("//*[@data-testid='misspelled' and normalize-space(.)='{text}']");
    Ok(app
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(fantoccini::Locator::XPath(&xpath))
        .await?)
}

/// The word count the footer shows once two looks 1 s apart agree.
async fn settled_words(app: &barta_tests::AppSession) -> anyhow::Result<Option<String>> {
    let mut last = app.testid("stats").await?.attr("data-words").await?;
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = app.testid("stats").await?.attr("data-words").await?;
        if now == last {
            return Ok(now);
        }
        last = now;
    }
    anyhow::bail!("the word count never settled (last {last:?})")
}

/// A right click on `element` as the page sees it (the `contextmenu` event of button 2).
async fn right_click(
    app: &barta_tests::AppSession,
    element: &fantoccini::elements::Element,
) -> anyhow::Result<()> {
    app.client
        .execute(
            "arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, cancelable: true, button: 2}));",
            vec![serde_json::to_value(element)?],
        )
        .await?;
    Ok(())
}

/// WebDriver's key codes.
const F12: &str = "\u{E03C}";
const CTRL: &str = "\u{E009}";
const ENTER_KEY: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

const BANGLA_MONTHS: [&str; 12] = [
    "বৈশাখ",
    "জ্যৈষ্ঠ",
    "আষাঢ়",
    "শ্রাবণ",
    "ভাদ্র",
    "আশ্বিন",
    "কার্তিক",
    "অগ্রহায়ণ",
    "পৌষ",
    "মাঘ",
    "ফাল্গুন",
    "চৈত্র",
];

/// "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫" for the Dhaka date `ahead_secs` from now, written here
/// independently of the app's formatter.
fn dhaka_dateline_today(ahead_secs: i64) -> String {
    use chrono::Datelike;
    const WEEKDAYS: [&str; 7] = [
        "সোমবার",
        "মঙ্গলবার",
        "বুধবার",
        "বৃহস্পতিবার",
        "শুক্রবার",
        "শনিবার",
        "রবিবার",
    ];
    const MONTHS: [&str; 12] = [
        "জানুয়ারি",
        "ফেব্রুয়ারি",
        "মার্চ",
        "এপ্রিল",
        "মে",
        "জুন",
        "জুলাই",
        "আগস্ট",
        "সেপ্টেম্বর",
        "অক্টোবর",
        "নভেম্বর",
        "ডিসেম্বর",
    ];
    let digits = |n: String| -> String {
        n.chars()
            .map(|c| char::from_u32(0x09E6 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
            .collect()
    };
    let dhaka = chrono::Utc::now().naive_utc() + chrono::Duration::seconds(6 * 3600 + ahead_secs);
    format!(
        "ঢাকা {}, {} {}, {}",
        WEEKDAYS[dhaka.weekday().num_days_from_monday() as usize],
        digits(format!("{:02}", dhaka.day())),
        MONTHS[dhaka.month0() as usize],
        digits(dhaka.year().to_string())
    )
}

#[tokio::test]
async fn phonetic_typing_bijoy_paste_counts_and_dateline() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "editor-features").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;

    // Phonetic mode is on by default: roman keys become Bengali, space commits.
    app.wait_text("phonetic-toggle", "on", |t| t.ends_with("চালু"))
        .await?;
    app.type_into("body-editor", "ami banglay gan gai").await?;
    app.wait_text("body-editor", "phonetic Bengali", |t| {
        t.trim() == "আমি বাংলায় গান গাই"
    })
    .await?;
    app.type_into("headline", "kOriyar").await?;
    app.wait_text("headline", "phonetic headline", |t| t == "কোরিয়ার")
        .await?;

    // Live counts: 4 words in the body + 1 in the headline, in Bengali digits.
    app.wait_attr("stats", "data-words", "five words", |w| w == "5")
        .await?;
    assert!(app.text("stats").await?.contains("শব্দ: ৫"));

    // F12 turns phonetic off: roman letters stay roman.
    app.click("phonetic-toggle").await?;
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;

    // The dateline prints today's Dhaka date in Bengali, with the Bangla date beside it.
    app.type_into("dateline_place", "ঢাকা").await?;
    let dateline = app
        .wait_text("dateline", "a Bengali dateline", |t| t.starts_with("ঢাকা "))
        .await?;
    let (expected, expected_later) = (dhaka_dateline_today(0), dhaka_dateline_today(60));
    assert!(
        dateline.starts_with(&expected) || dateline.starts_with(&expected_later),
        "{dateline:?} is not {expected:?}"
    );
    let bangabda = dateline.split(" · ").nth(1).unwrap_or_default();
    assert!(
        bangabda.contains("বঙ্গাব্দ") || BANGLA_MONTHS.iter().any(|m| bangabda.contains(m)),
        "the Bangla date follows: {dateline:?}"
    );
    // With an embargo the date printed is the publication's: Friday 1 August 2025, 10:00 in
    // Dhaka, which is 17 Shraban 1432 (bengali.md's example).
    app.set_value("embargo", "2025-08-01T10:00").await?;
    app.wait_text("dateline", "the embargo's date", |t| {
        t == "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫ · ১৭ শ্রাবণ ১৪৩২"
    })
    .await?;
    app.set_value("embargo", "").await?;
    app.wait_text("dateline", "today's date again", |t| {
        t.starts_with(&expected) || t.starts_with(&expected_later)
    })
    .await?;

    // A Bijoy paste into the body is converted, with a notice and an undo.
    paste_text(&app, "body-editor", " Avwg evsjvq Mvb MvB").await?;
    app.wait_text("paste-notice", "the Bijoy notice", |t| {
        t.contains("বিজয় থেকে ইউনিকোডে")
    })
    .await?;
    let body = app.text("body-editor").await?;
    assert!(
        body.contains("আমি বাংলায় গান গাই আমি বাংলায় গান গাই")
            || body.matches("আমি বাংলায় গান গাই").count() == 2,
        "{body:?}"
    );
    app.screenshot("09-phonetic-bijoy-counts").await?;
    app.click("paste-undo").await?;
    app.wait_text("body-editor", "the paste undone", |t| {
        t.matches("আমি").count() == 1
    })
    .await?;

    // F12, as in Avro Keyboard, turns phonetic typing on and off from the keyboard; Backspace
    // edits the roman letters of the word being typed.
    let editor = app.testid("body-editor").await?;
    app.type_at_end("body-editor", F12).await?;
    app.wait_text("phonetic-toggle", "on again by F12", |t| t.ends_with("চালু"))
        .await?;
    editor.send_keys(" amii\u{E003} ").await?;
    app.wait_text("body-editor", "the Backspace edited the roman word", |t| {
        t.trim_end().ends_with("গাই আমি")
    })
    .await?;
    editor.send_keys(F12).await?;
    app.wait_text("phonetic-toggle", "off again by F12", |t| {
        t.ends_with("বন্ধ")
    })
    .await?;
    editor.send_keys("ok").await?;
    app.wait_text("body-editor", "roman letters while off", |t| {
        t.ends_with("আমি ok")
    })
    .await?;
    editor.send_keys("\u{E003}\u{E003}\u{E003}").await?;
    app.wait_text("body-editor", "plain Backspace while off", |t| {
        t.ends_with("আমি")
    })
    .await?;

    // Dictionary candidates when typing pauses: ArrowDown takes the next one, space commits.
    editor.send_keys(&format!("{F12} chottogram")).await?;
    let candidates = app
        .wait_text("phonetic-candidates", "dictionary candidates", |t| {
            t.contains("চট্টগ্রাম")
        })
        .await?;
    editor.send_keys(ARROW_DOWN).await?;
    let chosen = app
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=phonetic-candidates] button.selected",
        ))
        .await?
        .text()
        .await?;
    editor.send_keys(" ").await?;
    app.wait_text("body-editor", "the chosen candidate", |t| {
        t.trim_end().ends_with(&format!("আমি {chosen}"))
    })
    .await?;
    assert!(candidates.contains(&chosen), "{chosen:?} in {candidates:?}");
    editor.send_keys(F12).await?;
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;

    // A name no word list has: it is flagged until "add to dictionary", then accepted, also
    // when typed again. (The city just chosen is in the lexicon: not flagged.)
    let name = "ক্যাটালিনস্কি";
    app.type_at_end("body-editor", &format!(" {name}")).await?;
    let unknown = flagged(&app, name).await?;
    let underlined = app
        .client
        .execute(
            "return document.querySelectorAll('.misspelled').length;",
            vec![],
        )
        .await?;
    assert_eq!(underlined, 1, "{chosen} is not underlined, {name} is");
    right_click(&app, &unknown).await?;
    app.click("spell-add").await?;
    app.wait_js(
        "no underline left",
        "return document.querySelectorAll('.misspelled').length === 0 ? 1 : 0;",
    )
    .await?;
    app.type_at_end("body-editor", &format!(" {name}")).await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let underlined = app
        .client
        .execute(
            "return document.querySelectorAll('.misspelled').length;",
            vec![],
        )
        .await?;
    assert_eq!(
        underlined, 0,
        "the added word is not flagged when typed again"
    );

    // Spelling: a misspelled word is underlined; its menu replaces it with a suggestion.
    app.type_at_end("body-editor", " নিরবাচন").await?;
    let word = flagged(&app, "নিরবাচন").await?;
    right_click(&app, &word).await?;
    app.testid("spell-menu").await?;
    let underline = app
        .client
        .execute(
            "return getComputedStyle(document.querySelector('.misspelled')).textDecorationLine;",
            vec![],
        )
        .await?;
    assert_eq!(
        underline, "underline",
        "the misspelled word is visibly underlined"
    );
    app.screenshot("10-spelling-menu").await?;
    let first = app
        .client
        .find(fantoccini::Locator::Css(".spell-menu button"))
        .await?;
    assert_eq!(first.text().await?, "নির্বাচন");
    app.click_element(&first).await?;
    app.wait_text("body-editor", "the suggestion taken", |t| {
        t.ends_with("নির্বাচন")
    })
    .await?;
    let underlined = app
        .client
        .execute(
            "return document.querySelectorAll('.misspelled').length;",
            vec![],
        )
        .await?;
    assert_eq!(underlined, 0, "the corrected word is no longer underlined");

    // One name spelled two ways is flagged.
    app.type_into("body-editor", " কিং জং উন এসেছেন। কিম জং উন বলেছেন।")
        .await?;
    // The flags live behind the footer's "⚠ N" button.
    app.wait_attr("flags-toggle", "data-count", "a flag", |c| c != "0")
        .await?;
    app.click("flags-toggle").await?;
    let variant = app
        .wait_text("name-variant", "a name variant", |t| {
            t.contains("কিম জং উন")
        })
        .await?;
    assert!(variant.contains("কিং জং উন"), "{variant:?}");
    app.screenshot("12-name-variant").await?;
    app.click("flags-toggle").await?;
    // The whole form from the top, for the README.
    app.client
        .execute(
            "window.scrollTo(0, 0); document.activeElement.blur();",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.screenshot("36-editor-form").await?;

    // Export as Bijoy for page layout.
    app.click("export-bijoy").await?;
    let bijoy = app.text("bijoy-text").await?;
    assert!(bijoy.contains("Avwg evsjvq Mvb MvB"), "{bijoy:?}");

    // At 200 % zoom nothing needs sideways scrolling: the form wraps.
    let overflow = app
        .client
        .execute(
            "document.documentElement.style.zoom = '2'; window.scrollTo(0, 0);\n\
             return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    app.screenshot("11-editor-zoom-200").await?;
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "sideways overflow at 200 %: {overflow}"
    );
    app.close().await
}

#[tokio::test]
async fn huge_and_garbage_pastes_keep_the_app_responsive_and_say_what_happened()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "bad-pastes").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "বড় লেখা").await?;

    // 50,000 words in 2,500 paragraphs: pasted, counted, saved.
    let paragraph = "নদীর পানি বাড়ছে এবং স্থানীয় প্রশাসন ত্রাণ বিতরণ শুরু করেছে বলে জানিয়েছে সরকার আজ সকালে রাজধানীতে বৃষ্টি হয়েছে কৃষকেরা চিন্তিত।";
    let words_per = paragraph.split_whitespace().count();
    let big = vec![paragraph; 50_000 / words_per + 1].join("\n\n");
    paste_text(&app, "body-editor", &big).await?;
    app.wait_attr("stats", "data-words", "≥ 50,000 words", |w| {
        w.parse::<usize>().is_ok_and(|n| n >= 50_000)
    })
    .await?;
    app.wait_saved().await?;
    // Still responsive: a word typed at the end of the 50,000-word body shows at once and is
    // saved (phonetic typing on: "ses " becomes "সেস ").
    let typed_at = std::time::Instant::now();
    app.type_at_end("body-editor", " ses ").await?;
    app.wait_js(
        "the word typed after the paste",
        "const t = document.querySelector('[data-testid=body-editor]').textContent;\n\
         return t.trimEnd().endsWith('সেস') ? 1 : 0;",
    )
    .await?;
    let echo = typed_at.elapsed();
    assert!(
        echo < std::time::Duration::from_secs(3),
        "typing after a 50,000-word paste took {echo:?} to show"
    );
    app.wait_saved().await?;
    let words_before = app.testid("stats").await?.attr("data-words").await?;

    // Binary garbage: control characters, bidi overrides and stray bytes are removed, the
    // reporter is told how many, and the text around them is kept.
    paste_text(
        &app,
        "body-editor",
        "\u{1}\u{2}\u{7f}\u{fffd}\u{0}abc\u{202e}def",
    )
    .await?;
    let notice = app.testid("paste-notice").await?;
    assert!(
        notice
            .attr("data-kind")
            .await?
            .unwrap_or_default()
            .contains("controls"),
        "the notice says control characters were removed: {:?}",
        notice.text().await?
    );
    let body = app.text("body-editor").await?;
    assert!(
        !body
            .chars()
            .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
        "a control character reached the body"
    );
    assert!(body.contains("abc") && body.contains("def"));
    app.wait_saved().await?;
    assert!(app.text("article-error").await?.is_empty());

    // Over the document limit (5,000 blocks): refused before it lands, with the counts, and
    // the document is untouched — later typing is still saved. The counts follow the text a
    // moment after it changes: taken once they have settled.
    let words_after_garbage = settled_words(&app).await?;
    let blocks = vec!["এক"; 5_200].join("\n\n");
    paste_text(&app, "body-editor", &blocks).await?;
    let refused = app
        .wait_attr(
            "paste-notice",
            "data-kind",
            "the block-limit refusal",
            |k| k.contains("too-many-blocks"),
        )
        .await?;
    let notice = app.text("paste-notice").await?;
    assert!(notice.contains("৫,০০০"), "{refused}: {notice:?}");
    assert_ne!(words_before, None);
    assert_eq!(
        settled_words(&app).await?,
        words_after_garbage,
        "the refused paste changed the counts"
    );
    app.type_at_end("body-editor", "gan ").await?;
    app.wait_text("body-editor", "typing after the refusal", |t| {
        t.trim_end().ends_with("গান")
    })
    .await?;
    app.wait_saved().await?;
    assert!(app.text("article-error").await?.is_empty());
    app.screenshot("13-too-many-blocks").await?;
    app.close().await
}

/// The text of the desk chosen in the article's desk field.
async fn chosen_desk(app: &AppSession) -> anyhow::Result<String> {
    let text = app
        .client
        .execute(
            "return document.querySelector('[data-testid=field-desk]').selectedOptions[0].textContent;",
            vec![],
        )
        .await?;
    Ok(text.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn every_field_is_kept_through_a_restart_and_reaches_the_server() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "fields").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    // The desk is shown by the name the newsroom gave it on the server.
    let token = login_token(&server, &REPORTER).await?;
    let desks = get_json(&format!("{}/v1/desks", server.url), &token).await?;
    let desk_name = desks["desks"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(desk_name.contains("ডেস্ক"), "the demo desk's name: {desks}");
    assert_eq!(chosen_desk(&app).await?, desk_name);
    // Typed with a Bengali keyboard layout: phonetic typing off (F12).
    app.type_at_end("headline", F12).await?;
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;
    let typed: [(&str, &str); 7] = [
        ("headline", "সিলেটে বন্যার পানি কমছে"),
        ("slugline", "বন্যা-সিলেট"),
        ("byline", "নিজস্ব প্রতিবেদক"),
        ("dateline_place", "সিলেট"),
        ("source_line", "সূত্র: বাসস"),
        ("sign_off", "বার্তা/রহিম"),
        ("tags", "বন্যা, সিলেট"),
    ];
    for (field, text) in typed {
        app.type_into(field, text).await?;
    }
    app.set_value("urgency", "2").await?;
    app.set_value("embargo", "2026-12-01T08:30").await?;
    app.type_into("body-editor", "বন্যার পানি কমছে।").await?;
    app.wait_saved().await?;
    let article_id = screen_article(&app).await?;
    app.close_like_a_user().await?;

    // After a restart every field reads back as typed.
    let app = launch(&display, &server, root.path(), "fields").await?;
    app.unlock(&REPORTER).await?;
    // The article that was open opens again by itself.
    app.testid("article-screen").await?;
    for (field, text) in typed {
        assert_eq!(app.text(field).await?, text, "{field}");
    }
    let urgency = app.testid("urgency").await?.prop("value").await?;
    assert_eq!(urgency.as_deref(), Some("2"));
    // Shown as typed in a Dhaka time, in the Bengali interface's digits.
    assert_eq!(app.text("embargo").await?, "২০২৬-১২-০১ ০৮:৩০");
    assert_eq!(app.text("body-editor").await?.trim(), "বন্যার পানি কমছে।");
    assert_eq!(
        chosen_desk(&app).await?,
        desk_name,
        "the desk's name is kept"
    );

    // Submitted, the server holds the same meta (the embargo in UTC).
    app.click("submit").await?;
    app.wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    let article = server_article(&server, &REPORTER, &article_id).await?;
    assert_eq!(article["state"], "submitted", "{article}");
    let meta = &article["head_revision"]["meta"];
    assert_eq!(meta["headline"], typed[0].1);
    assert_eq!(meta["slugline"], typed[1].1);
    assert_eq!(meta["byline"], typed[2].1);
    assert_eq!(meta["dateline_place"], typed[3].1);
    assert_eq!(meta["source_line"], typed[4].1);
    assert_eq!(meta["sign_off"], typed[5].1);
    assert_eq!(meta["tags"], serde_json::json!(["বন্যা", "সিলেট"]));
    assert_eq!(meta["urgency"], 2);
    let embargo = meta["embargo"].as_str().unwrap_or_default();
    assert!(embargo.starts_with("2026-12-01T02:30:00"), "{embargo}");
    app.close().await
}

/// What Word puts on the clipboard for two paragraphs (shortened), plus what a web page adds.
const WORD_AND_WEB_HTML: &str = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";font-family:SutonnyMJ}</style></head><body>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->
<p class=MsoNormal style='mso-margin-top-alt:auto;color:red'><b><span lang=BN style='font-family:"Nikosh"'>বন্যা</span></b><span lang=BN> পরিস্থিতির উন্নতি<o:p></o:p></span></p>
<script>document.title = "pwned"</script>
<p onclick="alert(1)" style="font-size:40px">বিস্তারিত <a href="javascript:alert(1)">এখানে</a> ও <a href="https://www.bss.gov.bd/">বাসসে</a></p>
<iframe src="https://example.com/ad"></iframe>
</body></html>"#;

#[tokio::test]
async fn html_from_word_and_the_web_pasted_for_real_keeps_only_the_text_and_its_structure()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "real-paste").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "পেস্ট").await?;

    // Copied in Word or a browser, pasted with Ctrl+V: the real clipboard, the real paste.
    display.copy_to_clipboard("text/html", WORD_AND_WEB_HTML)?;
    app.type_at_end("body-editor", &format!("{CTRL}v{CTRL}"))
        .await?;
    app.wait_text("body-editor", "the pasted text", |t| t.contains("বাসসে"))
        .await?;
    let html = app
        .client
        .execute(
            "return document.querySelector('[data-testid=body-editor]').innerHTML;",
            vec![],
        )
        .await?;
    let html = html.as_str().unwrap_or_default().to_string();
    for banned in [
        "script",
        "onclick",
        "javascript:",
        "mso",
        "iframe",
        "font-family",
        "font-size",
        "o:p",
        "Nikosh",
        "color:",
    ] {
        assert!(
            !html.contains(banned),
            "{banned:?} survived the paste: {html}"
        );
    }
    assert!(
        html.contains("<strong>বন্যা</strong>"),
        "the bold word kept: {html}"
    );
    assert!(
        html.contains("href=\"https://www.bss.gov.bd/\""),
        "the web link kept: {html}"
    );
    let title = app.client.execute("return document.title;", vec![]).await?;
    assert_ne!(title, "pwned", "no pasted script ran");
    let body = app.text("body-editor").await?;
    assert!(body.contains("বন্যা পরিস্থিতির উন্নতি"), "{body:?}");
    assert!(body.contains("বিস্তারিত এখানে ও বাসসে"), "{body:?}");

    // Bijoy text copied from an old document: converted, with the notice.
    display.copy_to_clipboard("UTF8_STRING", "Avwg evsjvq Mvb MvB")?;
    app.type_at_end("body-editor", &format!("{ENTER_KEY}{CTRL}v{CTRL}"))
        .await?;
    app.wait_text("body-editor", "the Bijoy paste converted", |t| {
        t.trim_end().ends_with("আমি বাংলায় গান গাই")
    })
    .await?;
    let kind = app.testid("paste-notice").await?.attr("data-kind").await?;
    assert!(kind.unwrap_or_default().contains("bijoy"));
    app.wait_saved().await?;
    app.screenshot("37-real-paste-word-html").await?;
    app.close().await
}

/// The counts in the footer follow the typing: an update lands between two keys less than
/// 250 ms apart (with only a debounce, every update would wait for a pause of 250 ms).
#[tokio::test]
async fn the_counts_follow_unbroken_typing() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &server, root.path(), "live-counts").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_at_end("headline", F12).await?;
    app.wait_text("phonetic-toggle", "off", |t| t.ends_with("বন্ধ"))
        .await?;
    app.client
        .execute(
            "window.__keys = []; window.__counts = [];\n\
             document.addEventListener('keydown', () => window.__keys.push(performance.now()), true);\n\
             const stats = document.querySelector('[data-testid=stats]');\n\
             new MutationObserver(() => window.__counts.push([performance.now(), Number(stats.dataset.words)]))\n\
               .observe(stats, { attributes: true, attributeFilter: ['data-words'] });",
            vec![],
        )
        .await?;
    let sentence = "বন্যার পানি কমছে, মানুষ ঘরে ফিরছে। ";
    app.type_into("body-editor", &sentence.repeat(40)).await?;
    app.wait_attr(
        "stats",
        "data-words",
        "every word counted at the end",
        |w| w == "240",
    )
    .await?;
    let log = app
        .client
        .execute("return [window.__keys, window.__counts];", vec![])
        .await?;
    let keys: Vec<f64> = serde_json::from_value(log[0].clone())?;
    let counts: Vec<(f64, f64)> = serde_json::from_value(log[1].clone())?;
    let (first, last) = (keys[0], keys[keys.len() - 1]);
    let longest_gap = keys.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
    assert!(
        last - first > 1500.0,
        "typing lasted {:.0} ms: too short to show counts during it",
        last - first
    );
    let during = counts.iter().find(|(at, _)| {
        keys.windows(2)
            .any(|w| w[0] < *at && *at < w[1] && w[1] - w[0] < 250.0)
    });
    assert!(
        during.is_some_and(|(_, words)| *words > 0.0 && *words < 240.0),
        "no count while typing went on ({} keys over {:.0} ms, longest gap {longest_gap:.0} ms; counts at {:?})",
        keys.len(),
        last - first,
        counts
            .iter()
            .map(|(at, w)| format!("{:.0} ms: {w}", at - first))
            .collect::<Vec<_>>()
    );
    app.close().await
}
