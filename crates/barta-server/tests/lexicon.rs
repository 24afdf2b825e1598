//! The newsroom's learnt lexicon over HTTP: a word two published articles used is learnt, one
//! is not; editors share words, reporters may not; what is not one Bengali word is refused.

mod common;

use barta_model::api::{LexiconResponse, LexiconWord};
use barta_model::{ArticleId, RevisionId};
use common::{TestServer, expect_error, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The reporter writes an article with `text`, the editor approves and publishes it now.
async fn published(server: &TestServer, headline: &str, text: &str) {
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(rev, None, "national", headline, &[("b1", text)]);
    server.push_ok(&rahim, article, &body).await;
    let resp = server
        .post(
            &rahim,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": "submit", "rev_id": rev}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let approval: Value = server
        .approve(&nasrin, article, rev, body["sha256"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    let resp = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/publish"),
            &json!({"approval_id": approval["approval_id"]}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn lexicon_of(server: &TestServer, token: &str) -> LexiconResponse {
    let resp = server.get(token, "/v1/lexicon").await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json::<LexiconResponse>().await.unwrap()
}

/// The words alone.
async fn lexicon(server: &TestServer, token: &str) -> Vec<String> {
    let answer = lexicon_of(server, token).await;
    answer.words.into_iter().map(|e| e.word).collect()
}

#[tokio::test]
async fn a_word_two_published_articles_used_is_learnt_and_one_is_not() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    assert!(lexicon(&server, &rahim).await.is_empty());

    let name = bangla::normalize("পিয়ংইয়ং");
    let rare = "হোয়াসং";
    published(
        &server,
        "কোরিয়ার খবর",
        &format!("{name} থেকে খবর এসেছে। {rare}"),
    )
    .await;
    let words = lexicon(&server, &rahim).await;
    assert!(
        !words.contains(&name),
        "one article is not enough: {words:?}"
    );

    published(&server, "খবর: আবার কোরিয়া", &format!("{name} আবার আলোচনায়।")).await;
    let words = lexicon(&server, &rahim).await;
    assert!(words.contains(&name), "{words:?}");
    assert!(!words.contains(&bangla::normalize(rare)), "{words:?}");
    assert!(
        words.contains(&bangla::normalize("খবর")),
        "the headline counts: {words:?}"
    );
    let mut sorted = words.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(words, sorted, "sorted, no repeats");

    // How common each word is in the newsroom's text: the number of articles using it.
    let answer = lexicon_of(&server, &rahim).await;
    let entry = answer.words.iter().find(|e| e.word == name).unwrap();
    assert_eq!(entry.articles, 2);

    // No login, no lexicon.
    expect_error(
        server.get("not-a-token", "/v1/lexicon").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn editors_share_words_reporters_may_not_and_bad_words_are_refused() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    // Sent in a non-stored form (য় as one code point): stored normalized.
    let typed = "সিয়াম";
    let path = |w: &str| format!("/v1/lexicon/{}", urlencode(w));
    let resp = server.put(&nasrin, &path(typed), None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let stored = resp.json::<LexiconWord>().await.unwrap().word;
    assert_eq!(stored, bangla::normalize(typed));
    let again = server.put(&nasrin, &path(typed), None).await;
    assert_eq!(again.status(), StatusCode::OK, "idempotent");
    assert_eq!(lexicon(&server, &rahim).await, vec![stored.clone()]);

    expect_error(
        server.put(&rahim, &path("রাহিমের-শব্দ"), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for bad in ["দুই শব্দ", "Seoul", "১২৩", &"ক".repeat(65)] {
        expect_error(
            server.put(&nasrin, &path(bad), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        )
        .await;
    }
    assert_eq!(lexicon(&server, &rahim).await, vec![stored]);
}

fn urlencode(word: &str) -> String {
    word.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_newsroom_turns_style_suggestions_on_and_off_for_every_laptop() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    assert!(
        !lexicon_of(&server, &rahim).await.style_suggestions,
        "off unless set"
    );
    server
        .store
        .set_newsroom_setting("spelling.style", "on")
        .unwrap();
    assert!(lexicon_of(&server, &rahim).await.style_suggestions);
    server
        .store
        .set_newsroom_setting("spelling.style", "off")
        .unwrap();
    assert!(!lexicon_of(&server, &rahim).await.style_suggestions);
}
