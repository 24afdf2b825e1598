//! `GET /v1/window`: what a new laptop holds in full — every article not yet published or
//! killed, the user's own, and every one changed in the newsroom's last N days — among what
//! the user may read, paged by article id, each with its head revision; and the feed goes on
//! from the window's `as_of` without losing what changed while a laptop paged.

mod common;

use barta_model::api::WindowPage;
use barta_model::{ArticleId, RevisionId};
use common::{TestServer, expect_error, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Pushes a one-paragraph article to `desk` as `token`'s user; its id and head.
async fn written(
    server: &TestServer,
    token: &str,
    desk: &str,
    headline: &str,
) -> (ArticleId, RevisionId, Value) {
    let (article, rev) = (ArticleId::new(), RevisionId::new());
    let body = revision(rev, None, desk, headline, &[("b1", "প্রথম অনুচ্ছেদ।")]);
    server.push_ok(token, article, &body).await;
    (article, rev, body)
}

/// `author` submits `article` at `rev` (a national one); nasrin approves and publishes it.
async fn publish(
    server: &TestServer,
    author: &str,
    article: ArticleId,
    rev: RevisionId,
    body: &Value,
) {
    let nasrin = server.token("nasrin");
    let submit = json!({"action": "submit", "rev_id": rev});
    let path = format!("/v1/articles/{article}/transitions");
    assert_eq!(
        server.post(author, &path, &submit).await.status(),
        StatusCode::OK
    );
    let approval: Value = server
        .approve(&nasrin, article, rev, body["sha256"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/articles/{article}/publish");
    let publish = json!({"approval_id": approval["approval_id"]});
    assert_eq!(
        server.post(&nasrin, &path, &publish).await.status(),
        StatusCode::OK
    );
}

/// Every page of `token`'s window, `limit` at a time: the articles and the first `as_of`.
async fn whole_window(server: &TestServer, token: &str, limit: u32) -> (Vec<WindowPage>, i64) {
    let mut pages: Vec<WindowPage> = Vec::new();
    let mut after: Option<ArticleId> = None;
    loop {
        let path = match after {
            Some(a) => format!("/v1/window?after={a}&limit={limit}"),
            None => format!("/v1/window?limit={limit}"),
        };
        let resp = server.get(token, &path).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let page: WindowPage = resp.json().await.unwrap();
        assert!(page.articles.len() <= limit as usize);
        after = page.next_after;
        pages.push(page);
        if after.is_none() {
            break;
        }
    }
    let as_of = pages[0].as_of;
    (pages, as_of)
}

fn ids(pages: &[WindowPage]) -> Vec<ArticleId> {
    pages
        .iter()
        .flat_map(|p| p.articles.iter().map(|c| c.article_id))
        .collect()
}

#[tokio::test]
async fn the_window_holds_what_is_open_the_users_own_and_what_changed_lately() {
    let server = TestServer::start().await;
    let (rahim, karim, nasrin, sohel) = (
        server.token("rahim"),
        server.token("karim"),
        server.token("nasrin"),
        server.token("sohel"),
    );
    let (rahims_draft, _, _) = written(&server, &rahim, "national", "রহিমের খসড়া").await;
    let (rahims_published, rev, body) = written(&server, &rahim, "national", "রহিমের খবর").await;
    publish(&server, &rahim, rahims_published, rev, &body).await;
    let (karims_draft, _, _) = written(&server, &karim, "national", "করিমের খসড়া").await;
    let (karims_published, rev, body) = written(&server, &karim, "national", "করিমের খবর").await;
    publish(&server, &karim, karims_published, rev, &body).await;
    let (sports_draft, _, _) = written(&server, &sohel, "sports", "খেলার খসড়া").await;

    // The default window (30 days): everything here changed today, so each sees all it may
    // read, each once, by id, with its head revision.
    assert_eq!(
        whole_window(&server, &nasrin, 1000).await.0[0].days,
        30,
        "the default window"
    );
    let sorted = |mut v: Vec<ArticleId>| {
        v.sort();
        v
    };
    for (who, token, expected) in [
        ("rahim", &rahim, vec![rahims_draft, rahims_published]),
        (
            "nasrin",
            &nasrin,
            vec![
                rahims_draft,
                rahims_published,
                karims_draft,
                karims_published,
            ],
        ),
        ("sohel", &sohel, vec![sports_draft]),
    ] {
        for limit in [1, 2, 1000] {
            let (pages, _) = whole_window(&server, token, limit).await;
            let got = ids(&pages);
            assert_eq!(
                got,
                sorted(expected.clone()),
                "{who}'s window, pages of {limit}"
            );
            for change in pages.iter().flat_map(|p| &p.articles) {
                let head = change.revision.as_ref().expect("the head revision");
                assert_eq!(head.id, change.head);
                assert_eq!(head.article_id, change.article_id);
                assert!(change.seq > 0);
            }
        }
    }

    // A window of 0 days: only what is not yet published or killed, and the user's own.
    server
        .store
        .set_newsroom_setting(barta_server::window::DAYS_KEY, "0")
        .unwrap();
    let (pages, _) = whole_window(&server, &nasrin, 1000).await;
    assert_eq!(pages[0].days, 0);
    assert_eq!(ids(&pages), sorted(vec![rahims_draft, karims_draft]));
    let (pages, _) = whole_window(&server, &rahim, 1000).await;
    assert_eq!(
        ids(&pages),
        sorted(vec![rahims_draft, rahims_published]),
        "the reporter's own published article stays in"
    );
    // A published article corrected today is in again: it changed lately.
    let correction = RevisionId::new();
    let corrected = revision(
        correction,
        Some(body["id"].as_str().unwrap().parse().unwrap()),
        "national",
        "করিমের খবর (সংশোধিত)",
        &[("b1", "সংশোধিত অনুচ্ছেদ।")],
    );
    server.push_ok(&karim, karims_published, &corrected).await;
    server
        .store
        .set_newsroom_setting(barta_server::window::DAYS_KEY, "1")
        .unwrap();
    let (pages, _) = whole_window(&server, &nasrin, 1000).await;
    let window: BTreeSet<ArticleId> = ids(&pages).into_iter().collect();
    assert!(window.contains(&karims_published));
    let entry = pages[0]
        .articles
        .iter()
        .find(|c| c.article_id == karims_published)
        .unwrap();
    assert_eq!(entry.head, correction, "the head after the correction");
}

#[tokio::test]
async fn a_laptop_that_pages_the_window_then_reads_the_feed_from_as_of_misses_nothing() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let mut articles = Vec::new();
    for n in 0..5 {
        articles.push(written(&server, &rahim, "national", &format!("খবর {n}")).await);
    }
    // The first page is read, then an article already paged changes and a new one appears.
    let first: WindowPage = server
        .get(&nasrin, "/v1/window?limit=2")
        .await
        .json()
        .await
        .unwrap();
    let as_of = first.as_of;
    let (paged, rev, _) = articles
        .iter()
        .find(|(id, _, _)| *id == first.articles[0].article_id)
        .unwrap();
    let edit = RevisionId::new();
    let body = revision(
        edit,
        Some(*rev),
        "national",
        "খবর, হালনাগাদ",
        &[("b1", "নতুন তথ্য।")],
    );
    server.push_ok(&rahim, *paged, &body).await;
    let (late, _, _) = written(&server, &rahim, "national", "পরে লেখা খবর").await;
    // The feed from the first page's as_of brings both.
    let feed: Value = server
        .get(&nasrin, &format!("/v1/changes?since={as_of}"))
        .await
        .json()
        .await
        .unwrap();
    let from_feed: Vec<(String, String)> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["article_id"].as_str().unwrap().to_string(),
                c["head"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(from_feed.contains(&(paged.to_string(), edit.to_string())));
    assert!(from_feed.iter().any(|(a, _)| *a == late.to_string()));
}

#[tokio::test]
async fn bad_window_requests_are_refused_with_a_clear_error() {
    let server = TestServer::start().await;
    let nasrin = server.token("nasrin");
    for (query, code) in [
        ("limit=0", "bad_request"),
        ("limit=1001", "bad_request"),
        ("limit=-3", "bad_request"),
        ("after=not-a-uuid", "bad_request"),
    ] {
        expect_error(
            server.get(&nasrin, &format!("/v1/window?{query}")).await,
            StatusCode::BAD_REQUEST,
            code,
        )
        .await;
    }
    expect_error(
        server.get("not-a-token", "/v1/window").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}
