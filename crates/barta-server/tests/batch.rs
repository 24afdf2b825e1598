//! `POST /v1/revisions/batch`: many pushes committed together, each answered as the single
//! push would be (accepted, replayed, conflict kept as a sibling, refused), later items of an
//! article whose earlier item was not accepted left untried, deltas against earlier items.

mod common;

use barta_model::api::{BatchPushResponse, RevisionRecord};
use barta_model::{ArticleId, BlockDelta, Document, RevisionId};
use common::{TestServer, expect_error, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn batch(
    server: &TestServer,
    token: &str,
    items: Vec<(ArticleId, Value)>,
) -> BatchPushResponse {
    let body = json!({"items": items
        .into_iter()
        .map(|(article, revision)| json!({"article_id": article, "revision": revision}))
        .collect::<Vec<_>>()});
    let resp = server.post(token, "/v1/revisions/batch", &body).await;
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn history(server: &TestServer, token: &str, article: ArticleId) -> Vec<RevisionRecord> {
    server
        .get(token, &format!("/v1/articles/{article}/revisions"))
        .await
        .json()
        .await
        .unwrap()
}

/// `push` with its body replaced by the delta from `parent_body`.
fn as_delta(mut push: Value, parent_body: &Value) -> Value {
    let parent: Document = serde_json::from_value(parent_body.clone()).unwrap();
    let body: Document = serde_json::from_value(push["body"].clone()).unwrap();
    let delta = BlockDelta::between(&parent, &body);
    let object = push.as_object_mut().unwrap();
    object.remove("body");
    object.insert("delta".into(), serde_json::to_value(delta).unwrap());
    push
}

#[tokio::test]
async fn a_batch_stores_every_item_in_order_and_a_replay_gets_the_same_answers() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (a, b) = (ArticleId::new(), ArticleId::new());
    let (a1, a2, b1) = (RevisionId::new(), RevisionId::new(), RevisionId::new());
    let first = revision(a1, None, "national", "বন্যা", &[("p1", "পানি বাড়ছে।")]);
    let second = revision(
        a2,
        Some(a1),
        "national",
        "বন্যা",
        &[("p1", "পানি বাড়ছে।"), ("p2", "আশ্রয়কেন্দ্রে মানুষ।")],
    );
    // The second revision travels as a delta against the first, which is in the same batch.
    let second_delta = as_delta(second, &first["body"]);
    let other = revision(b1, None, "national", "বাজেট", &[("p1", "সংসদে বাজেট।")]);
    let items = vec![(a, first), (a, second_delta), (b, other)];

    let answer = batch(&server, &rahim, items.clone()).await;
    let statuses: Vec<u16> = answer.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201, 201, 201]);
    let heads: Vec<RevisionId> = answer
        .results
        .iter()
        .map(|r| r.accepted.as_ref().unwrap().head)
        .collect();
    assert_eq!(heads, [a1, a2, b1]);

    let stored = history(&server, &rahim, a).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].id, a2);
    assert_eq!(stored[0].body.content.len(), 2, "the delta was expanded");

    // The answer was lost: sending the same batch again stores nothing new.
    let again = batch(&server, &rahim, items).await;
    assert_eq!(again, answer);
    assert_eq!(history(&server, &rahim, a).await.len(), 2);
    assert_eq!(history(&server, &rahim, b).await.len(), 1);
}

#[tokio::test]
async fn after_a_conflict_or_a_refusal_the_articles_later_items_are_not_tried() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let karim = server.token("karim");
    let shared = ArticleId::new();
    let base = RevisionId::new();
    server
        .push_ok(
            &rahim,
            shared,
            &revision(base, None, "national", "সড়ক", &[("p1", "যানজট।")]),
        )
        .await;
    // Someone else moved the head meanwhile.
    let theirs = RevisionId::new();
    server
        .push_ok(
            &rahim,
            shared,
            &revision(
                theirs,
                Some(base),
                "national",
                "সড়ক",
                &[("p1", "তীব্র যানজট।")],
            ),
        )
        .await;

    // Karim's article, which Rahim may not write to.
    let karims = ArticleId::new();
    let karims_head = RevisionId::new();
    server
        .push_ok(
            &karim,
            karims,
            &revision(karims_head, None, "national", "মেলা", &[("p1", "বইমেলা।")]),
        )
        .await;

    let (ours, ours_next) = (RevisionId::new(), RevisionId::new());
    let (sports, fresh) = (ArticleId::new(), ArticleId::new());
    let (s1, s2, f1) = (RevisionId::new(), RevisionId::new(), RevisionId::new());
    let mut bad_hash = revision(s1, None, "national", "খেলা", &[("p1", "জয়।")]);
    bad_hash["sha256"] = json!("0".repeat(64));
    let items = vec![
        (
            shared,
            revision(
                ours,
                Some(base),
                "national",
                "সড়ক",
                &[("p1", "যানজট কমেছে।")],
            ),
        ),
        (
            shared,
            revision(
                ours_next,
                Some(ours),
                "national",
                "সড়ক",
                &[("p1", "যানজট নেই।")],
            ),
        ),
        (sports, bad_hash),
        (
            sports,
            revision(s2, Some(s1), "national", "খেলা", &[("p1", "জয়!")]),
        ),
        (
            karims,
            revision(
                RevisionId::new(),
                Some(karims_head),
                "national",
                "মেলা",
                &[("p1", "বইমেলা শুরু।")],
            ),
        ),
        (
            fresh,
            revision(f1, None, "national", "ক্রিকেট", &[("p1", "ম্যাচ।")]),
        ),
    ];
    let answer = batch(&server, &rahim, items).await;
    let statuses: Vec<u16> = answer.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [409, 424, 422, 424, 403, 201], "{answer:?}");
    let conflict = answer.results[0].conflict.as_ref().unwrap();
    assert_eq!(conflict.head, theirs);
    assert!(conflict.stored);
    let code = |i: usize| answer.results[i].error.as_ref().unwrap().code.as_str();
    assert_eq!(
        [code(1), code(2), code(3), code(4)],
        ["not_tried", "hash_mismatch", "not_tried", "forbidden"]
    );
    assert_eq!(answer.results[5].accepted.as_ref().unwrap().head, f1);

    // The conflicting revision is kept as a sibling; the untried one is not stored.
    let ids: Vec<RevisionId> = history(&server, &rahim, shared)
        .await
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(ids.contains(&ours) && !ids.contains(&ours_next), "{ids:?}");
    let resp = server.get(&rahim, &format!("/v1/articles/{sports}")).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_batch_must_hold_one_to_a_hundred_items_of_the_contract() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let resp = server
        .post(&rahim, "/v1/revisions/batch", &json!({"items": []}))
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    let many: Vec<Value> = (0..101)
        .map(|_| {
            json!({"article_id": ArticleId::new(), "revision": revision(
                RevisionId::new(), None, "national", "ক", &[("p1", "খ")])})
        })
        .collect();
    let resp = server
        .post(&rahim, "/v1/revisions/batch", &json!({"items": many}))
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    let resp = server
        .post(
            &rahim,
            "/v1/revisions/batch",
            &json!({"items": [], "extra": true}),
        )
        .await;
    assert!(resp.status().is_client_error(), "{}", resp.status());

    // Found by the fuzz run: an item's revision that is not even an object refuses the batch.
    let resp = server
        .post(
            &rahim,
            "/v1/revisions/batch",
            &json!({"items": [{"article_id": ArticleId::new(), "revision": [null, null]}]}),
        )
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    let resp = server
        .post("not-a-token", "/v1/revisions/batch", &json!({"items": []}))
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Pushes arriving together share one commit (group commit, SQLite's), and every one of them
/// is stored and answered with its own head (on both backends; PostgreSQL commits each).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_are_committed_in_groups() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let rahim = server.token("rahim");
    let before = server.sqlite.as_ref().map(|s| s.group_commits());
    let mut tasks = Vec::new();
    for n in 0..40 {
        let (server, rahim) = (server.clone(), rahim.clone());
        tasks.push(tokio::spawn(async move {
            let article = ArticleId::new();
            let mut parent = None;
            for r in 0..5 {
                let id = RevisionId::new();
                let text = format!("প্রতিবেদন {n}, সংস্করণ {r}");
                let body = revision(id, parent, "national", "চাপ", &[("p1", text.as_str())]);
                assert_eq!(server.push_ok(&rahim, article, &body).await, id);
                parent = Some(id);
            }
            article
        }));
    }
    let mut articles = Vec::new();
    for t in tasks {
        articles.push(t.await.unwrap());
    }
    for article in articles {
        assert_eq!(history(&server, &rahim, article).await.len(), 5);
    }
    if let (Some(sqlite), Some(before)) = (&server.sqlite, before) {
        let commits = sqlite.group_commits() - before;
        assert!(
            commits < 200,
            "200 writes in {commits} commits: none grouped"
        );
    }
}
