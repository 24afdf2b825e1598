//! The HTTP API of sync.md against the real router on a loopback listener: sessions, pushes
//! (replays, mismatches, stale parents), bad input, workflow and its denials, approval,
//! publication, the changes feed, and graceful shutdown.

mod common;

use barta_model::api::{ChangesPage, DeskList, RevisionRecord, SessionResponse};
use barta_model::{ArticleId, RevisionId, content_sha256};
use barta_server::ServerConfig;
use common::{PASSWORD, TestServer, expect_error, revision, with_body};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn healthz_is_public() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key("x-request-id"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": "ok", "store": "ok", "service": "barta", "api": 1,
               "version": env!("CARGO_PKG_VERSION"), "min_client_version": null})
    );
    // A request id the client sends is kept and echoed.
    let resp = server
        .client
        .get(server.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "trace-me-42");
}

#[tokio::test]
async fn login_me_and_logout() {
    let server = TestServer::start().await;
    let login = |username: &str, password: &str| {
        server
            .client
            .post(server.url("/v1/session"))
            .json(&json!({"username": username, "password": password}))
            .send()
    };

    let resp = login("nasrin", PASSWORD).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let session: SessionResponse = resp.json().await.unwrap();
    assert_eq!(session.expires_in, 12 * 3600);
    assert_eq!(session.user.username, "nasrin");
    assert_eq!(session.user.desks, vec!["national"]);

    let me: Value = server
        .get(&session.token, "/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "nasrin");
    assert_eq!(me["role"], "editor");

    // Wrong password and unknown user: the same 401 and the same message.
    let wrong = expect_error(
        login("nasrin", "nope").await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let unknown = expect_error(
        login("nobody", PASSWORD).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(wrong, unknown);

    // No token, a forged token, a malformed header.
    let resp = server
        .client
        .get(server.url("/v1/me"))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_error(
        server.get("forged", "/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let resp = server
        .client
        .get(server.url("/v1/me"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Logout revokes the token.
    let resp = server
        .client
        .delete(server.url("/v1/session"))
        .bearer_auth(&session.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    expect_error(
        server.get(&session.token, "/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn each_user_sees_their_own_desks_by_name() {
    let server = TestServer::start().await;
    for (user, desks) in [
        ("rahim", vec![("national", "জাতীয়")]),
        ("sohel", vec![("sports", "খেলা")]),
        ("admin", vec![]),
    ] {
        let resp = server.get(&server.token(user), "/v1/desks").await;
        assert_eq!(resp.status(), StatusCode::OK, "{user}");
        let list: DeskList = resp.json().await.unwrap();
        let got: Vec<(&str, &str)> = list
            .desks
            .iter()
            .map(|d| (d.slug.as_str(), d.name.as_str()))
            .collect();
        assert_eq!(got, desks, "{user}");
    }
    let resp = server
        .client
        .get(server.url("/v1/desks"))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn tokens_expire() {
    let server = TestServer::start_with(ServerConfig {
        token_ttl: Duration::ZERO,
        ..ServerConfig::default()
    })
    .await;
    let resp = server
        .client
        .post(server.url("/v1/session"))
        .json(&json!({"username": "rahim", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let session: SessionResponse = resp.json().await.unwrap();
    expect_error(
        server.get(&session.token, "/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn push_replay_and_mismatches() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(
        rev,
        None,
        "national",
        "ঢাকায় বৃষ্টি",
        &[("b1", "আজ সকাল থেকে বৃষ্টি।")],
    );

    let first = server.push(&rahim, article, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(first.headers()["etag"], format!("\"{rev}\"").as_str());
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["head"], rev.to_string());
    assert!(first["seq"].as_i64().unwrap() > 0);

    // The reply was lost: the retry gets the same stored answer, and one revision exists.
    let again = server.push(&rahim, article, &body).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let history: Vec<RevisionRecord> = server
        .get(&rahim, &format!("/v1/articles/{article}/revisions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].author, "rahim");

    // The same id with other (correctly hashed) content.
    let other = revision(rev, None, "national", "ঢাকায় বৃষ্টি", &[("b1", "অন্য লেখা")]);
    expect_error(
        server.push(&rahim, article, &other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_mismatch",
    )
    .await;

    // A hash that is not the content's.
    let mut bad = revision(
        RevisionId::new(),
        Some(rev),
        "national",
        "ক",
        &[("b1", "খ")],
    );
    bad["sha256"] = json!("0".repeat(64));
    expect_error(
        server.push(&rahim, article, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "hash_mismatch",
    )
    .await;

    // The hash is over the JSON as sent: key order and spacing do not matter.
    let id2 = RevisionId::new();
    let meta = json!({"desk": "national", "headline": "শিরোনাম"});
    let doc = json!({"content": [{"attrs": {"id": "b1"}, "type": "paragraph"}], "type": "doc"});
    let text = format!(
        r#"{{ "parent": "{rev}", "id": "{id2}", "sha256": "{}", "created_at": "x",
             "body": {doc}, "meta": {meta} }}"#,
        content_sha256(&meta, &doc)
    );
    let resp = server
        .client
        .post(server.url(&format!("/v1/articles/{article}/revisions")))
        .bearer_auth(&rahim)
        .header("Idempotency-Key", id2.to_string())
        .header("If-Match", format!("\"{rev}\""))
        .header("Content-Type", "application/json")
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);

    // An invalid document, an unknown desk, unknown fields.
    let script = with_body(
        RevisionId::new(),
        Some(id2),
        json!({"headline": "x", "desk": "national"}),
        json!({"type": "doc", "content": [{"type": "script", "attrs": {"id": "s"}}]}),
    );
    expect_error(
        server.push(&rahim, article, &script).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    let nowhere = revision(RevisionId::new(), Some(id2), "nowhere", "x", &[("b1", "y")]);
    let message = expect_error(
        server.push(&rahim, article, &nowhere).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    assert!(message.contains("unknown desk"), "{message}");
    let extra = with_body(
        RevisionId::new(),
        Some(id2),
        json!({"headline": "x", "desk": "national", "colour": "red"}),
        json!({"type": "doc", "content": []}),
    );
    expect_error(
        server.push(&rahim, article, &extra).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
}

#[tokio::test]
async fn stale_parent_keeps_the_sibling() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let nasrin = server.token("nasrin");
    let article = ArticleId::new();
    let root = RevisionId::new();
    server
        .push_ok(
            &rahim,
            article,
            &revision(root, None, "national", "শিরোনাম", &[("b1", "৫ জন")]),
        )
        .await;
    let editor_rev = RevisionId::new();
    server
        .push_ok(
            &nasrin,
            article,
            &revision(
                editor_rev,
                Some(root),
                "national",
                "শিরোনাম",
                &[("b1", "পাঁচ জন")],
            ),
        )
        .await;

    // The reporter, offline, edited the root too.
    let sibling = RevisionId::new();
    let body = revision(sibling, Some(root), "national", "শিরোনাম", &[("b1", "৭ জন")]);
    let resp = server.push(&rahim, article, &body).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let conflict: Value = resp.json().await.unwrap();
    assert_eq!(conflict["head"], editor_rev.to_string());
    assert_eq!(conflict["stored"], true);
    assert_eq!(conflict["head_revision"]["id"], editor_rev.to_string());
    assert_eq!(conflict["head_revision"]["author"], "nasrin");

    // Kept, fetchable, in the history; the head did not move; a replay gets the same 409.
    let stored: RevisionRecord = server
        .get(&rahim, &format!("/v1/revisions/{sibling}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored.parent, Some(root));
    assert_eq!(stored.body.plain_text(), "৭ জন");
    let history: Vec<RevisionRecord> = server
        .get(&rahim, &format!("/v1/articles/{article}/revisions"))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<RevisionId> = history.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![sibling, editor_rev, root], "newest first");
    let current = server.get(&rahim, &format!("/v1/articles/{article}")).await;
    assert_eq!(
        current.headers()["etag"],
        format!("\"{editor_rev}\"").as_str()
    );
    let replay = server.push(&rahim, article, &body).await;
    assert_eq!(replay.status(), StatusCode::CONFLICT);
    assert_eq!(replay.json::<Value>().await.unwrap(), conflict);

    // A merge revision on top of the head with the sibling as merge parent is accepted.
    let mut merge = revision(
        RevisionId::new(),
        Some(editor_rev),
        "national",
        "শিরোনাম",
        &[("b1", "পাঁচ/৭ জন")],
    );
    merge["merge_parent"] = json!(sibling);
    server.push_ok(&rahim, article, &merge).await;

    // A parent that is not a revision of this article.
    let orphan = revision(
        RevisionId::new(),
        Some(RevisionId::new()),
        "national",
        "x",
        &[("b1", "y")],
    );
    expect_error(
        server.push(&rahim, article, &orphan).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
}

#[tokio::test]
async fn bad_input_gets_json_errors() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let article = ArticleId::new();
    let path = format!("/v1/articles/{article}/revisions");
    let raw = |body: &'static str, content_type: &'static str| {
        server
            .client
            .post(server.url(&path))
            .bearer_auth(&rahim)
            .header("Idempotency-Key", RevisionId::new().to_string())
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };

    expect_error(
        raw("{not json", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        raw("{}", "text/plain").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    expect_error(
        raw(r#"{"id": "x"}"#, "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    expect_error(
        raw(r#"{"meta": {}, "body": {}}"#, "application/json")
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    expect_error(
        raw("[1, 2", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let deep: &'static str =
        Box::leak(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_boxed_str());
    expect_error(
        raw(deep, "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // Headers: missing Idempotency-Key (400), one that is not the id (422), a bad If-Match (400).
    let body = revision(RevisionId::new(), None, "national", "x", &[("b1", "y")]);
    let resp = server
        .client
        .post(server.url(&path))
        .bearer_auth(&rahim)
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
    let resp = server
        .client
        .post(server.url(&path))
        .bearer_auth(&rahim)
        .header("Idempotency-Key", RevisionId::new().to_string())
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    let child = revision(
        RevisionId::new(),
        Some(RevisionId::new()),
        "national",
        "x",
        &[("b1", "y")],
    );
    let resp = server
        .client
        .post(server.url(&path))
        .bearer_auth(&rahim)
        .header("Idempotency-Key", child["id"].as_str().unwrap())
        .header("If-Match", "nonsense")
        .json(&child)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;

    // A body over the limit.
    let huge = "x".repeat(9 * 1024 * 1024);
    let resp = server
        .client
        .post(server.url(&path))
        .bearer_auth(&rahim)
        .header("Idempotency-Key", RevisionId::new().to_string())
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // A document over the block limit.
    let ids: Vec<String> = (0..=barta_model::document::MAX_BLOCKS)
        .map(|i| format!("b{i}"))
        .collect();
    let blocks: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "ক")).collect();
    let big = revision(RevisionId::new(), None, "national", "x", &blocks);
    expect_error(
        server.push(&rahim, article, &big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;

    // Paths and routes.
    expect_error(
        server.get(&rahim, "/v1/articles/not-a-uuid").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        server.get(&rahim, &format!("/v1/articles/{article}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        server
            .get(&rahim, &format!("/v1/revisions/{}", RevisionId::new()))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        server.get(&rahim, "/v1/nothing").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        server.get(&rahim, "/v1/changes?since=abc").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let resp = server
        .client
        .delete(server.url("/v1/me"))
        .bearer_auth(&rahim)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::METHOD_NOT_ALLOWED, "bad_request").await;
    let resp = server
        .client
        .post(server.url("/v1/session"))
        .json(&json!({"username": 5}))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    // Nothing was stored by any of this.
    let page: ChangesPage = server
        .get(&rahim, "/v1/changes")
        .await
        .json()
        .await
        .unwrap();
    assert!(page.changes.is_empty());
}

/// Creates an article by `rahim` on `national` and returns (article, head, head's sha256).
async fn draft(
    server: &TestServer,
    token: &str,
    paragraphs: &[(&str, &str)],
) -> (ArticleId, RevisionId, String) {
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(rev, None, "national", "শিরোনাম", paragraphs);
    server.push_ok(token, article, &body).await;
    (article, rev, body["sha256"].as_str().unwrap().to_string())
}

async fn act(
    server: &TestServer,
    token: &str,
    article: ArticleId,
    action: &str,
    rev: RevisionId,
) -> reqwest::Response {
    server
        .post(
            token,
            &format!("/v1/articles/{article}/transitions"),
            &json!({"action": action, "rev_id": rev, "note": "দেখুন"}),
        )
        .await
}

#[tokio::test]
async fn transitions_allowed_and_denied() {
    let server = TestServer::start().await;
    let (rahim, karim, nasrin, sohel) = (
        server.token("rahim"),
        server.token("karim"),
        server.token("nasrin"),
        server.token("sohel"),
    );
    let (article, head, _) = draft(&server, &rahim, &[("b1", "লেখা")]).await;

    // Someone else's article: another reporter, an editor of another desk.
    expect_error(
        act(&server, &karim, article, "submit", head).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        act(&server, &sohel, article, "take", head).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        server.get(&karim, &format!("/v1/articles/{article}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let push = revision(
        RevisionId::new(),
        Some(head),
        "national",
        "x",
        &[("b1", "y")],
    );
    expect_error(
        server.push(&karim, article, &push).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // A stale revision, a state that does not allow the action.
    expect_error(
        act(&server, &rahim, article, "submit", RevisionId::new()).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    expect_error(
        act(&server, &nasrin, article, "take", head).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let resp = act(&server, &rahim, article, "submit", head).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"state": "submitted"})
    );
    // A retry of the same submit gets the same answer.
    let resp = act(&server, &rahim, article, "submit", head).await;
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"state": "submitted"})
    );

    // The reporter forges an approve: through the transitions route and the approve route.
    expect_error(
        act(&server, &rahim, article, "approve", head).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let body = server
        .get(&rahim, &format!("/v1/articles/{article}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let sha = body["head_revision"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    expect_error(
        server.approve(&rahim, article, head, &sha).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let resp = server
        .post(
            &rahim,
            &format!("/v1/articles/{article}/publish"),
            &json!({"approval_id": "forged"}),
        )
        .await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;

    // Editors approve through their own route, not as a bare transition.
    expect_error(
        act(&server, &nasrin, article, "approve", head).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    let resp = act(&server, &nasrin, article, "take", head).await;
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"state": "in_progress"})
    );
    let resp = act(&server, &nasrin, article, "return", head).await;
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"state": "returned"})
    );

    // The audit log holds every denial and every change (the workflow's decisions; the
    // requests that carried them are entries of their own, with their session).
    let audit: Vec<_> = server
        .store
        .audit_entries(&barta_server::store::AuditFilter {
            article: Some(article),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.session.is_none())
        .collect();
    let denied: Vec<(&str, &str)> = audit
        .iter()
        .filter(|e| e.outcome == "denied")
        .map(|e| (e.username.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        denied,
        vec![
            ("karim", "submit"),
            ("sohel", "take"),
            ("karim", "read"),
            ("karim", "push"),
            ("rahim", "approve"),
            ("rahim", "approve"),
            ("rahim", "publish"),
        ]
    );
    let changes: Vec<(&str, &str)> = audit
        .iter()
        .filter(|e| e.outcome == "ok")
        .map(|e| (e.username.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("rahim", "submit"),
            ("nasrin", "take"),
            ("nasrin", "return")
        ]
    );
}

#[tokio::test]
async fn approval_refuses_conflict_blocks_and_moved_heads() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));

    // A revision holding a conflict block cannot be approved.
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = with_body(
        rev,
        None,
        json!({"headline": "শিরোনাম", "desk": "national"}),
        json!({"type": "doc", "content": [
            {"type": "paragraph", "attrs": {"id": "b1"}, "content": [{"type": "text", "text": "এক"}]},
            {"type": "conflict", "attrs": {"id": "c1", "authors": ["rahim", "nasrin"]}, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "৭ জন"}]},
                {"type": "paragraph", "content": [{"type": "text", "text": "পাঁচ জন"}]}
            ]}
        ]}),
    );
    server.push_ok(&rahim, article, &body).await;
    act(&server, &rahim, article, "submit", rev).await;
    let sha = body["sha256"].as_str().unwrap();
    expect_error(
        server.approve(&nasrin, article, rev, sha).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unresolved_conflict",
    )
    .await;

    // The reporter's update lands while the editor approves: 409.
    let (article, head, sha) = draft(&server, &rahim, &[("b1", "লেখা")]).await;
    act(&server, &rahim, article, "submit", head).await;
    let newer = RevisionId::new();
    server
        .push_ok(
            &rahim,
            article,
            &revision(
                newer,
                Some(head),
                "national",
                "শিরোনাম",
                &[("b1", "নতুন লেখা")],
            ),
        )
        .await;
    expect_error(
        server.approve(&nasrin, article, head, &sha).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // A hash that is not the revision's.
    expect_error(
        server
            .approve(&nasrin, article, newer, &"0".repeat(64))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "hash_mismatch",
    )
    .await;
    // Missing If-Match.
    let resp = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/approve"),
            &json!({"rev_id": newer, "sha256": sha}),
        )
        .await;
    expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn approve_then_publish() {
    let server = TestServer::start().await;
    let (rahim, nasrin, sohel) = (
        server.token("rahim"),
        server.token("nasrin"),
        server.token("sohel"),
    );
    let (article, head, sha) = draft(&server, &rahim, &[("b1", "ঢাকায় আজ বৃষ্টি হয়েছে।")]).await;
    act(&server, &rahim, article, "submit", head).await;

    expect_error(
        server.approve(&sohel, article, head, &sha).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let resp = server.approve(&nasrin, article, head, &sha).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let approval_id = resp.json::<Value>().await.unwrap()["approval_id"]
        .as_str()
        .unwrap()
        .to_string();
    // A retried approve answers with the same approval.
    let again = server
        .approve(&nasrin, article, head, &sha)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(again["approval_id"], approval_id.as_str());

    // The reporter keeps editing after approval; the publication is still the approved text.
    let later = RevisionId::new();
    server
        .push_ok(
            &rahim,
            article,
            &revision(
                later,
                Some(head),
                "national",
                "শিরোনাম",
                &[("b1", "পরে লেখা")],
            ),
        )
        .await;

    let publish = json!({"approval_id": approval_id});
    expect_error(
        server
            .post(&sohel, &format!("/v1/articles/{article}/publish"), &publish)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let resp = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/publish"),
            &publish,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let publication_id = resp.json::<Value>().await.unwrap()["publication_id"]
        .as_str()
        .unwrap()
        .to_string();
    // A retried publish answers with the same publication.
    let again = server
        .post(
            &nasrin,
            &format!("/v1/articles/{article}/publish"),
            &publish,
        )
        .await;
    assert_eq!(
        again.json::<Value>().await.unwrap()["publication_id"],
        publication_id.as_str()
    );
    let unknown = json!({"approval_id": "nope"});
    expect_error(
        server
            .post(
                &nasrin,
                &format!("/v1/articles/{article}/publish"),
                &unknown,
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let state = server
        .get(&nasrin, &format!("/v1/articles/{article}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(state["state"], "published");

    // The public feed needs no token.
    let feed: Value = server
        .client
        .get(server.url("/v1/published"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["language"], "bn");
    assert_eq!(item["headlines"][0]["value"], "শিরোনাম");
    assert_eq!(item["bodies"][0]["value"], "ঢাকায় আজ বৃষ্টি হয়েছে।");
    assert!(
        item["altids"]
            .as_array()
            .unwrap()
            .contains(&json!({"role": "sha256", "value": sha}))
    );
    let next = feed["next"].as_i64().unwrap();
    let empty: Value = server
        .client
        .get(server.url(&format!("/v1/published?since={next}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["next"], next);

    let one = server
        .client
        .get(server.url(&format!("/v1/published/{publication_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(one.json::<Value>().await.unwrap(), *item);
    let missing = server
        .client
        .get(server.url("/v1/published/nothing"))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn scheduled_publication_waits() {
    let server = TestServer::start().await;
    let (rahim, nasrin) = (server.token("rahim"), server.token("nasrin"));
    let (article, head, sha) = draft(&server, &rahim, &[("b1", "পরে প্রকাশ")]).await;
    act(&server, &rahim, article, "submit", head).await;
    let approval = server
        .approve(&nasrin, article, head, &sha)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let path = format!("/v1/articles/{article}/publish");
    let resp = server
        .post(
            &nasrin,
            &path,
            &json!({"approval_id": approval["approval_id"], "at": tomorrow}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let state = server
        .get(&nasrin, &format!("/v1/articles/{article}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(state["state"], "scheduled");
    let feed: Value = server
        .client
        .get(server.url("/v1/published"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["items"], json!([]));
    let bad = server
        .post(
            &nasrin,
            &path,
            &json!({"approval_id": approval["approval_id"], "at": "tomorrow"}),
        )
        .await;
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    // Publishing it now.
    let resp = server
        .post(
            &nasrin,
            &path,
            &json!({"approval_id": approval["approval_id"]}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let feed: Value = server
        .client
        .get(server.url("/v1/published"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn changes_feed_visibility_and_paging() {
    let server = TestServer::start().await;
    let (rahim, karim, nasrin, sohel, admin) = (
        server.token("rahim"),
        server.token("karim"),
        server.token("nasrin"),
        server.token("sohel"),
        server.token("admin"),
    );
    let (a, a_head, _) = draft(&server, &rahim, &[("b1", "রহিমের লেখা")]).await;
    let (b, b_head, _) = draft(&server, &karim, &[("b1", "করিমের লেখা")]).await;
    // A sports article by rahim: only rahim and the sports editor see it.
    let c = ArticleId::new();
    server
        .push_ok(
            &rahim,
            c,
            &revision(RevisionId::new(), None, "sports", "খেলা", &[("b1", "গোল")]),
        )
        .await;
    act(&server, &rahim, a, "submit", a_head).await;
    let page = |token: String, query: String| {
        let server = &server;
        async move {
            server
                .get(&token, &format!("/v1/changes{query}"))
                .await
                .json::<ChangesPage>()
                .await
                .unwrap()
        }
    };

    let mine = page(rahim.clone(), String::new()).await;
    let articles: Vec<ArticleId> = mine.changes.iter().map(|c| c.article_id).collect();
    assert_eq!(articles, vec![a, c, a]);
    let first = &mine.changes[0];
    assert_eq!(first.revision.as_ref().unwrap().id, a_head);
    assert_eq!(
        first.revision.as_ref().unwrap().body.plain_text(),
        "রহিমের লেখা"
    );
    assert_eq!(mine.changes[2].state.as_str(), "submitted");
    assert_eq!(mine.changes[2].note.as_deref(), Some("দেখুন"));
    assert!(mine.changes[2].revision.is_none());
    assert_eq!(mine.next, mine.changes[2].seq);

    let karims = page(karim, String::new()).await;
    assert_eq!(
        karims
            .changes
            .iter()
            .map(|c| c.article_id)
            .collect::<Vec<_>>(),
        vec![b]
    );
    assert_eq!(karims.changes[0].head, b_head);

    let desk = page(nasrin.clone(), String::new()).await;
    assert_eq!(
        desk.changes
            .iter()
            .map(|c| c.article_id)
            .collect::<Vec<_>>(),
        vec![a, b, a]
    );
    let sports = page(sohel, String::new()).await;
    assert_eq!(
        sports
            .changes
            .iter()
            .map(|c| c.article_id)
            .collect::<Vec<_>>(),
        vec![c]
    );
    let all = page(admin, String::new()).await;
    assert_eq!(all.changes.len(), 4);

    // Cursor paging: one at a time, in server order, ending with an empty page.
    let mut since = 0;
    let mut seen = Vec::new();
    loop {
        let p = page(nasrin.clone(), format!("?since={since}&limit=1")).await;
        if p.changes.is_empty() {
            assert_eq!(p.next, since);
            break;
        }
        assert_eq!(p.changes.len(), 1);
        assert!(p.next > since);
        since = p.next;
        seen.push(p.changes[0].seq);
    }
    assert_eq!(seen, desk.changes.iter().map(|c| c.seq).collect::<Vec<_>>());
}

#[tokio::test]
async fn graceful_shutdown_finishes_and_stops_listening() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, ..) = draft(&server, &rahim, &[("b1", "লেখা")]).await;
    let base = server.base.clone();
    let store = server.store.clone();
    server.stop().await.unwrap();
    // Stopped: nothing listens any more, and what was committed is there.
    let refused = reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .send()
        .await;
    assert!(refused.is_err());
    let user = store.credentials("rahim").unwrap().unwrap().user;
    assert_eq!(store.history(&user, article).unwrap().len(), 1);
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut server = TestServer::start().await;
    let rahim = server.token("rahim");
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = serde_json::to_vec(&revision(
        rev,
        None,
        "national",
        "ধীরে",
        &[("b1", "ধীরে আসা লেখা")],
    ))
    .unwrap();
    let addr = server.base.trim_start_matches("http://").to_string();

    // Half a push arrives, then the server is told to stop, then the rest arrives.
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /v1/articles/{article}/revisions HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {rahim}\r\nIdempotency-Key: {rev}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.begin_shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // New connections are refused while the old one is served.
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());
    stream.write_all(rest).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let store = server.store.clone();
    tokio::time::timeout(Duration::from_secs(5), server.wait())
        .await
        .expect("the server stops once the request is answered")
        .unwrap();
    let user = store.credentials("rahim").unwrap().unwrap().user;
    assert_eq!(store.history(&user, article).unwrap()[0].id, rev);
}

#[tokio::test]
async fn openapi_matches_the_router() {
    use std::collections::BTreeSet;

    let server = TestServer::start().await;
    let resp = server
        .client
        .get(server.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let spec: Value = resp.json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");

    // The same paths as the router's table…
    let documented: BTreeSet<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let routes = barta_server::app::routes();
    let routed: BTreeSet<&str> = routes.iter().map(|(path, _)| *path).collect();
    assert_eq!(documented, routed);

    // …and, asking the live server, exactly the documented methods on each.
    for (path, operations) in spec["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{id}", &ArticleId::new().to_string())
            .replace("{rev}", &RevisionId::new().to_string());
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let resp = server
                .client
                .request(method.parse().unwrap(), server.url(&concrete))
                .bearer_auth(server.token("admin"))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
                || (status == StatusCode::NOT_FOUND && body["error"]["message"] == "no such route");
            let is_documented = operations.get(method.to_lowercase()).is_some();
            assert_eq!(!unrouted, is_documented, "{method} {path}: {status} {body}");
        }
    }

    // Every reference resolves.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 20);
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(spec["components"]["schemas"].get(name).is_some(), "{r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_lose_nothing_and_duplicate_nothing() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let rahim = server.token("rahim");
    let (article, root, _) = draft(&server, &rahim, &[("b1", "শুরু")]).await;

    // Ten devices push children of the same parent at once: one wins, nine are kept as
    // siblings; each is also retried concurrently and gets its own first answer again.
    let bodies: Vec<Value> = (0..10)
        .map(|i| {
            revision(
                RevisionId::new(),
                Some(root),
                "national",
                "শিরোনাম",
                &[("b1", &format!("সংস্করণ {i}"))],
            )
        })
        .collect();
    let mut tasks = Vec::new();
    for body in bodies.iter().chain(bodies.iter()) {
        let (server, token, body) = (server.clone(), rahim.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let resp = server.push(&token, article, &body).await;
            (
                body["id"].as_str().unwrap().to_string(),
                resp.status(),
                resp.json::<Value>().await.unwrap(),
            )
        }));
    }
    let mut answers = std::collections::HashMap::new();
    for task in tasks {
        let (id, status, answer) = task.await.unwrap();
        answers
            .entry(id)
            .or_insert_with(Vec::new)
            .push((status, answer));
    }
    let mut winners = 0;
    for pair in answers.values() {
        assert_eq!(pair.len(), 2);
        assert_eq!(pair[0], pair[1], "a replay gets the same answer");
        match pair[0].0 {
            StatusCode::CREATED => winners += 1,
            StatusCode::CONFLICT => assert_eq!(pair[0].1["stored"], true),
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(winners, 1);
    let user = server.store.credentials("rahim").unwrap().unwrap().user;
    let history = server.store.history(&user, article).unwrap();
    assert_eq!(history.len(), 11, "the root and ten children, each once");
    let seqs: std::collections::BTreeSet<i64> = history.iter().map(|r| r.seq).collect();
    assert_eq!(seqs.len(), 11);
}

#[tokio::test]
async fn an_app_older_than_the_server_accepts_is_told_to_update() {
    let server = TestServer::start_with(ServerConfig {
        min_client_version: Some(semver::Version::new(0, 2, 0)),
        ..ServerConfig::default()
    })
    .await;
    let me = |version: Option<&'static str>| {
        let request = server.client.get(server.url("/v1/me"));
        match version {
            Some(v) => request.header("x-barta-client-version", v),
            None => request,
        }
    };
    // Older: 426 with the stable code and words that say what to do.
    let resp = me(Some("0.1.9")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UPGRADE_REQUIRED);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "client_too_old");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("0.1.9") && message.contains("0.2.0"),
        "{message}"
    );
    // The same version, a newer one, no version (scripts, the CLI), or one that does not
    // parse: the request goes on (and meets the missing token).
    for version in [Some("0.2.0"), Some("1.0.0"), None, Some("not-a-version")] {
        let resp = me(version).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{version:?}");
    }
    // /healthz always answers, and names the minimum, so an old app learns why.
    let resp = server
        .client
        .get(server.url("/healthz"))
        .header("x-barta-client-version", "0.0.1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["min_client_version"], "0.2.0");
}
