//! Spelling a copy editor trusts, in the reporter's real editor: the inflected forms and names
//! of a news paragraph are not underlined, a name the newsroom published twice is learnt by
//! the laptop at login, a typo is underlined and its first suggestion fixes it.

use super::{launch, log_in};
use barta_tests::newsroom::{Newsroom, Story};
use barta_tests::{Display, REPORTER, exclusive};

/// A name no word list has, which the newsroom publishes twice.
const NAME: &str = "হোয়ানজিনুক";

/// Inflected forms, compounds and names an edited Bangladeshi news paragraph has (the words
/// the old checker flagged), the learnt name, and one typo.
const PARAGRAPH: &str = "কোরিয়ার নেতা আলোচনা করেনি, তবে এমন হতো না। কৌশলগত কারণে \
    আনুষ্ঠানিকভাবে পিয়ংইয়ং থেকে বার্তা এসেছে। হোয়ানজিনুক বলেছেন, স্নায়ুযুদ্ধের \
    দিন শেষ; শত্রুপক্ষের সঙ্গে নিরবাচন নিয়ে কথা হবে।";

async fn underlined(app: &barta_tests::AppSession) -> anyhow::Result<Vec<String>> {
    let words = app
        .client
        .execute(
            "return [...document.querySelectorAll('.misspelled')].map((e) => e.textContent);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(words)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_the_newsroom_published_and_inflections_are_not_underlined_a_typo_is_fixed()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let newsroom = Newsroom::start().await?;
    for i in 0..2 {
        let mut story = Story::new(&format!("নাম-{i}"));
        story.paragraphs[0] = format!("{NAME} আজ ঢাকায় এসেছেন। {}", story.paragraphs[0]);
        newsroom.publish(&story, None).await?;
    }

    let display = Display::start()?;
    let root = tempfile::tempdir()?;
    let app = launch(&display, &newsroom.server, root.path(), "reporter").await?;
    log_in(&app, &REPORTER).await?;
    app.click("new-article").await?;
    app.type_into("headline", "কোরিয়ার বার্তা").await?;
    app.type_into("body-editor", PARAGRAPH).await?;

    // The typo is underlined, and nothing else.
    app.wait_js(
        "the typo underlined",
        "return [...document.querySelectorAll('.misspelled')].some((e) => e.textContent === 'নিরবাচন') ? 1 : 0;",
    )
    .await?;
    assert_eq!(underlined(&app).await?, ["নিরবাচন"]);
    app.screenshot("70-spelling-names-and-inflections").await?;

    // Its first suggestion fixes it.
    let typo = app
        .client
        .find(fantoccini::Locator::Css(".misspelled"))
        .await?;
    app.client
        .execute(
            "arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, cancelable: true, button: 2}));",
            vec![serde_json::to_value(&typo)?],
        )
        .await?;
    app.testid("spell-menu").await?;
    let first = app
        .client
        .find(fantoccini::Locator::Css(".spell-menu button"))
        .await?;
    assert_eq!(first.text().await?, "নির্বাচন");
    assert!(
        app.absent("spell-share").await?,
        "a reporter cannot share words with the newsroom"
    );
    app.click_element(&first).await?;
    app.wait_text("body-editor", "the fix", |t| t.contains("সঙ্গে নির্বাচন নিয়ে"))
        .await?;
    app.wait_js(
        "no underline left",
        "return document.querySelectorAll('.misspelled').length === 0 ? 1 : 0;",
    )
    .await?;

    // A name the newsroom publishes twice while the app runs is learnt at its next sync.
    let later = "ঝাংসুয়েলিন";
    app.type_at_end("body-editor", &format!(" {later}")).await?;
    app.wait_js(
        "the new name underlined",
        &format!(
            "return [...document.querySelectorAll('.misspelled')].some((e) => e.textContent === '{later}') ? 1 : 0;"
        ),
    )
    .await?;
    for i in 0..2 {
        let mut story = Story::new(&format!("পরে-{i}"));
        story.paragraphs[0] = format!("{later} আজ বক্তব্য দিয়েছেন। {}", story.paragraphs[0]);
        newsroom.publish(&story, None).await?;
    }
    app.click("sync-now").await?;
    // The next check (after the next edit) knows the name.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    app.type_at_end("body-editor", " আজ").await?;
    app.wait_js(
        "the learnt name no longer underlined",
        "return document.querySelectorAll('.misspelled').length === 0 ? 1 : 0;",
    )
    .await?;
    app.close().await?;
    Ok(())
}
