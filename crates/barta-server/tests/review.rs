//! The desk editor's review over HTTP: comments anchored to passages, soft presence, two
//! editors approving at once, and schedule times in the past.

mod common;

use barta_model::api::{CommentRecord, PresenceEntry};
use barta_model::{ArticleId, RevisionId};
use common::{TestServer, expect_error, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn submitted(server: &TestServer, token: &str) -> (ArticleId, RevisionId, String) {
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(
        rev,
        None,
        "national",
        "বন্যায় ক্ষতি",
        &[("b1", "সিলেটে বন্যায় ৫ জন মারা গেছেন।"), ("b2", "পানি কমছে।")],
    );
    server.push_ok(token, article, &body).await;
    let resp = server
        .post(
            token,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": "submit", "rev_id": rev}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    (article, rev, body["sha256"].as_str().unwrap().to_string())
}

fn comment(block: &str, body: &str, parent: Option<&str>, resolved: bool) -> Value {
    json!({
        "parent_id": parent,
        "anchor": {"block_id": block, "start": 6, "end": 12, "quote": "বন্যায়"},
        "body": body,
        "resolved": resolved,
        "created_at": "2025-08-01T10:00:00+06:00",
    })
}

#[tokio::test]
async fn comments_are_threaded_idempotent_resolvable_and_guarded() {
    let server = TestServer::start().await;
    let (rahim, nasrin, sohel) = (
        server.token("rahim"),
        server.token("nasrin"),
        server.token("sohel"),
    );
    let (article, _, _) = submitted(&server, &rahim).await;
    let path = |id: &str| format!("/v1/articles/{article}/comments/{id}");
    let first = uuid::Uuid::now_v7().to_string();

    // The editor asks; the answer is stored normalized, and a replay gives the same record.
    let put = comment("b1", "সংখ্যাটি কি নিশ্চিত?", None, false);
    let resp = server.put(&nasrin, &path(&first), Some(&put)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let stored: CommentRecord = resp.json().await.unwrap();
    assert_eq!(stored.author, "nasrin");
    assert_eq!(stored.anchor.block_id, "b1");
    assert!(stored.resolved_at.is_none());
    let again: CommentRecord = server
        .put(&nasrin, &path(&first), Some(&put))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, stored);

    // The same id with other content is refused.
    expect_error(
        server
            .put(
                &nasrin,
                &path(&first),
                Some(&comment("b1", "অন্য কথা", None, false)),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The reporter replies in the thread, then the editor resolves the question.
    let reply = uuid::Uuid::now_v7().to_string();
    let resp = server
        .put(
            &rahim,
            &path(&reply),
            Some(&comment(
                "b1",
                "হ্যাঁ, পুলিশ নিশ্চিত করেছে।",
                Some(&first),
                false,
            )),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resolved: CommentRecord = server
        .put(
            &nasrin,
            &path(&first),
            Some(&comment("b1", "সংখ্যাটি কি নিশ্চিত?", None, true)),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resolved.resolved_by.as_deref(), Some("nasrin"));
    assert!(resolved.resolved_at.is_some());

    let list: Vec<CommentRecord> = server
        .get(&rahim, &format!("/v1/articles/{article}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, first);
    assert_eq!(list[1].parent_id.as_deref(), Some(first.as_str()));

    // Bad input: empty, unknown parent, a bad id, another desk's editor, no such article.
    expect_error(
        server
            .put(
                &nasrin,
                &path(&uuid::Uuid::now_v7().to_string()),
                Some(&comment("b1", "  ", None, false)),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    let orphan_parent = uuid::Uuid::now_v7().to_string();
    expect_error(
        server
            .put(
                &nasrin,
                &path(&uuid::Uuid::now_v7().to_string()),
                Some(&comment("b1", "উত্তর", Some(&orphan_parent), false)),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    expect_error(
        server.put(&nasrin, &path("not-a-uuid"), Some(&put)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    expect_error(
        server
            .put(&sohel, &path(&uuid::Uuid::now_v7().to_string()), Some(&put))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        server
            .put(
                &nasrin,
                &format!(
                    "/v1/articles/{}/comments/{}",
                    ArticleId::new(),
                    uuid::Uuid::now_v7()
                ),
                Some(&put),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mut unknown_field = put.clone();
    unknown_field["colour"] = json!("red");
    expect_error(
        server
            .put(
                &nasrin,
                &path(&uuid::Uuid::now_v7().to_string()),
                Some(&unknown_field),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    // Nothing of the refused calls was stored.
    let list: Vec<CommentRecord> = server
        .get(&nasrin, &format!("/v1/articles/{article}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
}

#[tokio::test]
async fn presence_shows_others_and_never_blocks() {
    let server = TestServer::start().await;
    let (rahim, nasrin, sohel) = (
        server.token("rahim"),
        server.token("nasrin"),
        server.token("sohel"),
    );
    let (article, head, _) = submitted(&server, &rahim).await;
    let path = format!("/v1/articles/{article}/presence");
    let beat = |token: &str| {
        let token = token.to_string();
        let path = path.clone();
        let server = &server;
        async move {
            let resp = server.put(&token, &path, None).await;
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<Vec<PresenceEntry>>().await.unwrap()
        }
    };
    assert!(beat(&nasrin).await.is_empty());
    let seen = beat(&rahim).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].username, "nasrin");
    let since = seen[0].since.clone();
    // A heartbeat keeps the first time.
    beat(&nasrin).await;
    assert_eq!(beat(&rahim).await[0].since, since);

    // Presence is not a lock: the reporter still pushes while the editor has it open.
    let next = RevisionId::new();
    server
        .push_ok(
            &rahim,
            article,
            &revision(next, Some(head), "national", "বন্যায় ক্ষতি", &[("b1", "নতুন")]),
        )
        .await;

    expect_error(
        server.put(&sohel, &path, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let resp = server.delete(&nasrin, &path).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(beat(&rahim).await.is_empty());
}

#[tokio::test]
async fn two_editors_approving_at_once_one_wins_and_the_other_is_told() {
    let server = TestServer::start().await;
    let (rahim, nasrin, farida) = (
        server.token("rahim"),
        server.token("nasrin"),
        server.token("farida"),
    );
    let (article, head, sha) = submitted(&server, &rahim).await;
    let (a, b) = tokio::join!(
        server.approve(&nasrin, article, head, &sha),
        server.approve(&farida, article, head, &sha),
    );
    let a_status = a.status();
    let (winner, loser, loser_resp, winner_resp) = if a_status == StatusCode::OK {
        ("nasrin", "farida", b, a)
    } else {
        ("farida", "nasrin", a, b)
    };
    assert_eq!(winner_resp.status(), StatusCode::OK, "{winner} should win");
    let message = expect_error(loser_resp, StatusCode::CONFLICT, "conflict").await;
    assert!(
        message.contains(winner),
        "{loser} is told who approved: {message}"
    );

    // The article shows the one approval.
    let shown: Value = server
        .get(&nasrin, &format!("/v1/articles/{article}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["approval"]["editor"], winner);
    assert_eq!(shown["approval"]["rev_id"], head.to_string());
    assert_eq!(shown["approval"]["sha256"], sha);
}

#[tokio::test]
async fn a_schedule_time_in_the_past_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let (article, head, sha) = submitted(&server, &rahim).await;
    let approval: Value = server
        .approve(&nasrin, article, head, &sha)
        .await
        .json()
        .await
        .unwrap();
    let past = (chrono::Utc::now() - chrono::TimeDelta::hours(3)).to_rfc3339();
    let message = expect_error(
        server
            .post(
                &nasrin,
                &format!("/v1/articles/{article}/publish"),
                &json!({"approval_id": approval["approval_id"], "at": past}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    assert!(message.contains("past"), "{message}");
    let shown: Value = server
        .get(&nasrin, &format!("/v1/articles/{article}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["state"], "approved");
    let feed: Value = server
        .get(&nasrin, "/v1/published")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn an_embargo_holds_publication_back_until_its_time() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let embargo = chrono::Utc::now() + chrono::TimeDelta::hours(2);
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let meta = json!({"headline": "বাজেট", "desk": "national",
                      "embargo": embargo.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)});
    let body = json!({"type": "doc", "content": [{"type": "paragraph", "attrs": {"id": "b1"},
                      "content": [{"type": "text", "text": "বাজেট ঘোষণা"}]}]});
    let push = common::with_body(rev, None, meta, body);
    server.push_ok(&rahim, article, &push).await;
    let submit = server
        .post(
            &rahim,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": "submit", "rev_id": rev}),
        )
        .await;
    assert_eq!(submit.status(), StatusCode::OK);
    let sha = push["sha256"].as_str().unwrap().to_string();
    let approval: Value = server
        .approve(&nasrin, article, rev, &sha)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/articles/{article}/publish");
    let message = expect_error(
        server
            .post(
                &nasrin,
                &path,
                &json!({"approval_id": approval["approval_id"]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    assert!(message.contains("embargo"), "{message}");
    // Scheduled at the embargo, it is accepted (and not public before then).
    let at = (embargo + chrono::TimeDelta::minutes(1)).to_rfc3339();
    let resp = server
        .post(
            &nasrin,
            &path,
            &json!({"approval_id": approval["approval_id"], "at": at}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let feed: Value = server
        .get(&nasrin, "/v1/published")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_correction_replaces_the_published_version_with_a_note() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let (article, head, sha) = submitted(&server, &rahim).await;
    let approval: Value = server
        .approve(&nasrin, article, head, &sha)
        .await
        .json()
        .await
        .unwrap();
    let published: Value = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/publish"),
            &json!({"approval_id": approval["approval_id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let first = published["publication_id"].as_str().unwrap().to_string();

    // The editor corrects the number.
    let fixed = RevisionId::new();
    let body = revision(
        fixed,
        Some(head),
        "national",
        "বন্যায় ক্ষতি",
        &[("b1", "সিলেটে বন্যায় ৭ জন মারা গেছেন।"), ("b2", "পানি কমছে।")],
    );
    server.push_ok(&nasrin, article, &body).await;
    let fixed_sha = body["sha256"].as_str().unwrap().to_string();
    let correct = |token: &str, rev: RevisionId, sha: &str, note: &str| {
        let req = server
            .client
            .post(server.url(&format!("/v1/articles/{article}/correct")))
            .bearer_auth(token)
            .header("If-Match", format!("\"{rev}\""))
            .json(&json!({"rev_id": rev, "sha256": sha, "note": note}));
        async move { req.send().await.unwrap() }
    };

    // A reporter may not; a note is required; a stale head is refused.
    expect_error(
        correct(&rahim, fixed, &fixed_sha, "ভুল").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        correct(&nasrin, fixed, &fixed_sha, "  ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    expect_error(
        correct(&nasrin, head, &sha, "পুরোনো").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let note = "নিহতের সংখ্যা ৫ নয়, ৭ জন।";
    let resp = correct(&nasrin, fixed, &fixed_sha, note).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let second = resp.json::<Value>().await.unwrap()["publication_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(second, first);
    // A retry gets the same publication.
    let again: Value = correct(&nasrin, fixed, &fixed_sha, note)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["publication_id"], second.as_str());

    // The feed lists only the correction, with its note; the old link shows it too.
    let feed: Value = server
        .get(&nasrin, "/v1/published")
        .await
        .json()
        .await
        .unwrap();
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{feed}");
    assert_eq!(items[0]["ednote"], note);
    assert!(
        items[0]["bodies"][0]["value"]
            .as_str()
            .unwrap()
            .contains("৭ জন")
    );
    let page = server
        .client
        .get(server.url(&format!("/v1/published/{first}")))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    // The public page runs no script and is not framed, sniffed or referred from.
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.unwrap();
    assert!(html.contains("৭ জন"), "{html}");
    assert!(html.contains("সংশোধনী"), "{html}");
    assert!(!html.contains("৫ জন মারা"), "{html}");
    let shown: Value = server
        .get(&nasrin, &format!("/v1/articles/{article}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["state"], "corrected");
    assert_eq!(shown["publication_id"], second.as_str());
}
