//! Bad input never gives a 5xx (issue 5): each kind of bad request — malformed JSON, wrong
//! types, unknown fields, huge documents, deep nesting, invalid UTF-8, forged and expired
//! tokens, another desk's article — gets a clear 4xx with a stable error code, on the real
//! router. Also the regression tests of what the API fuzz run (`scripts/fuzz-api`) found.

mod common;

use barta_model::{ArticleId, RevisionId};
use barta_server::ServerConfig;
use common::{PASSWORD, TestServer, expect_error, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// Sends `body` as-is with `content_type` (and the bearer token, when given).
async fn raw(
    server: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut req = server
        .client
        .request(method.parse().unwrap(), server.url(path))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.unwrap()
}

/// A draft by `rahim` on `national`: (article, head).
async fn draft(server: &TestServer, token: &str) -> (ArticleId, RevisionId) {
    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(rev, None, "national", "শিরোনাম", &[("b1", "লেখা")]);
    server.push_ok(token, article, &body).await;
    (article, rev)
}

/// A JSON-body route: method, path template (as the OpenAPI document names it), concrete
/// path, and a body that fits it.
struct Route {
    method: &'static str,
    template: &'static str,
    path: String,
    body: Value,
}

/// Every JSON-body route of the API with a body that fits it, so that one field at a time
/// can be broken.
fn json_routes(article: ArticleId, head: RevisionId) -> Vec<Route> {
    let templates = [
        "/v1/session",
        "/v1/articles/{id}/transitions",
        "/v1/articles/{id}/approve",
        "/v1/articles/{id}/publish",
        "/v1/articles/{id}/correct",
        "/v1/articles/{id}/comments/{comment}",
        "/v1/articles/{id}/revisions",
    ];
    let routes: Vec<(&'static str, String, Value)> = vec![
        (
            "POST",
            "/v1/session".into(),
            json!({"username": "rahim", "password": PASSWORD}),
        ),
        (
            "POST",
            format!("/v1/articles/{article}/transitions"),
            json!({"action": "submit", "rev_id": head}),
        ),
        (
            "POST",
            format!("/v1/articles/{article}/approve"),
            json!({"rev_id": head, "sha256": "00"}),
        ),
        (
            "POST",
            format!("/v1/articles/{article}/publish"),
            json!({"approval_id": "x"}),
        ),
        (
            "POST",
            format!("/v1/articles/{article}/correct"),
            json!({"rev_id": head, "sha256": "00", "note": "ঠিক করা হলো"}),
        ),
        (
            "PUT",
            format!("/v1/articles/{article}/comments/{}", RevisionId::new()),
            json!({"anchor": {"block_id": "b1", "start": 0, "end": 1, "quote": "ল"},
                   "body": "কেন?", "created_at": "2025-08-01T10:00:00Z"}),
        ),
        (
            "POST",
            format!("/v1/articles/{article}/revisions"),
            revision(RevisionId::new(), None, "national", "x", &[("b1", "y")]),
        ),
    ];
    routes
        .into_iter()
        .zip(templates)
        .map(|((method, path, body), template)| Route {
            method,
            template,
            path,
            body,
        })
        .collect()
}

#[tokio::test]
async fn malformed_json_is_400_bad_request() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    for Route { method, path, .. } in json_routes(article, head) {
        for body in [
            "{not json",
            "[1, 2",
            "",
            "{\"a\": 1} trailing",
            "\"unterminated",
        ] {
            let resp = raw(
                &server,
                method,
                &path,
                Some(&rahim),
                "application/json",
                body,
            )
            .await;
            expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
        }
    }
}

#[tokio::test]
async fn wrong_types_are_422_invalid() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    for Route {
        method, path, body, ..
    } in json_routes(article, head)
    {
        // Each field in turn becomes a number, a list, an object; the body itself a list.
        let fields: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
        for field in fields {
            for wrong in [json!(5), json!([1]), json!({"x": true})] {
                let mut broken = body.clone();
                broken[&field] = wrong;
                let resp = raw(
                    &server,
                    method,
                    &path,
                    Some(&rahim),
                    "application/json",
                    broken.to_string(),
                )
                .await;
                assert_eq!(
                    resp.status(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{method} {path} with {broken}"
                );
                expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
            }
        }
        let resp = raw(
            &server,
            method,
            &path,
            Some(&rahim),
            "application/json",
            "[]",
        )
        .await;
        expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    }
    // Query and path parameters of the wrong type are malformed requests.
    for path in [
        "/v1/changes?since=abc",
        "/v1/changes?limit=-5",
        "/v1/changes?limit=1.5",
        "/v1/published?since=[]",
        "/v1/articles/not-a-uuid",
        "/v1/revisions/42",
    ] {
        expect_error(
            server.get(&rahim, path).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
}

#[tokio::test]
async fn unknown_fields_are_422_invalid() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    for Route {
        method,
        path,
        mut body,
        ..
    } in json_routes(article, head)
    {
        body["is_admin"] = json!(true);
        let resp = raw(
            &server,
            method,
            &path,
            Some(&rahim),
            "application/json",
            body.to_string(),
        )
        .await;
        let message = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
        assert!(message.contains("is_admin"), "{method} {path}: {message}");
    }
    // Inside the article's metadata too.
    let mut push = revision(
        RevisionId::new(),
        Some(head),
        "national",
        "x",
        &[("b1", "y")],
    );
    push["meta"]["colour"] = json!("red");
    expect_error(
        server.push(&rahim, article, &push).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    // Nothing was stored, and the token still works: a forged role field did nothing.
    let history: Vec<Value> = server
        .get(&rahim, &format!("/v1/articles/{article}/revisions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn huge_documents_are_413_payload_too_large() {
    let server = TestServer::start_with(ServerConfig {
        body_limit: 256 * 1024,
        compressed_body_limit: 64 * 1024,
        ..ServerConfig::default()
    })
    .await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;

    // Over the limit as sent, on every JSON route (login needs no token).
    let huge = format!("{{\"x\": \"{}\"}}", "ক".repeat(100 * 1024));
    for Route { method, path, .. } in json_routes(article, head) {
        let resp = raw(
            &server,
            method,
            &path,
            Some(&rahim),
            "application/json",
            huge.clone(),
        )
        .await;
        expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
    // Small as sent, over the limit once decompressed (a zstd bomb).
    let bomb = zstd::encode_all(&vec![b' '; 4 * 1024 * 1024][..], 19).unwrap();
    assert!(bomb.len() < 64 * 1024);
    let resp = server
        .client
        .post(server.url(&format!("/v1/articles/{article}/revisions")))
        .bearer_auth(&rahim)
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "zstd")
        .header("Idempotency-Key", RevisionId::new().to_string())
        .body(bomb)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // A document with more blocks than a document may have.
    let ids: Vec<String> = (0..=barta_model::document::MAX_BLOCKS)
        .map(|i| format!("b{i}"))
        .collect();
    let blocks: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "ক")).collect();
    let big = revision(RevisionId::new(), Some(head), "national", "x", &blocks);
    let resp = raw(
        &server,
        "POST",
        &format!("/v1/articles/{article}/revisions"),
        Some(&rahim),
        "application/json",
        big.to_string(),
    )
    .await;
    // Over the body limit of this server, or over the block limit: 413 either way.
    expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn deep_nesting_is_400_bad_request() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    for Route { method, path, .. } in json_routes(article, head) {
        for deep in [&deep_array, &deep_object] {
            let resp = raw(
                &server,
                method,
                &path,
                Some(&rahim),
                "application/json",
                deep.clone(),
            )
            .await;
            // The JSON parser's depth limit (128) refuses it as malformed, on every route.
            let message = expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
            assert!(
                message.contains("recursion limit"),
                "{method} {path}: {message}"
            );
        }
    }
    // Deeply nested document nodes inside an otherwise valid push.
    let mut node = json!({"type": "text", "text": "গভীর"});
    for _ in 0..200 {
        node = json!({"type": "paragraph", "content": [node]});
    }
    node["attrs"] = json!({"id": "b1"});
    let push = common::with_body(
        RevisionId::new(),
        Some(head),
        json!({"headline": "x", "desk": "national"}),
        json!({"type": "doc", "content": [node]}),
    );
    expect_error(
        server.push(&rahim, article, &push).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn invalid_utf8_is_400_bad_request() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    // In a JSON string, and outside of one.
    for Route { method, path, .. } in json_routes(article, head) {
        for body in [
            b"{\"\xff\xfe\": 1}".to_vec(),
            b"\"\xc3\x28\"".to_vec(),
            b"\xc3\x28".to_vec(),
        ] {
            let resp = raw(
                &server,
                method,
                &path,
                Some(&rahim),
                "application/json",
                body,
            )
            .await;
            expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
        }
    }
    // In a header, a path and a query.
    let resp = server
        .client
        .post(server.url(&format!("/v1/articles/{article}/revisions")))
        .bearer_auth(&rahim)
        .header(
            "Idempotency-Key",
            reqwest::header::HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        )
        .json(&revision(
            RevisionId::new(),
            None,
            "national",
            "x",
            &[("b1", "y")],
        ))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
    for path in ["/v1/articles/%FF%FE", "/v1/changes?since=%FF"] {
        expect_error(
            server.get(&rahim, path).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
    let resp = server
        .client
        .get(server.url("/v1/me"))
        .header(
            "Authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn forged_and_expired_tokens_are_401_unauthorized() {
    let server = TestServer::start_with(ServerConfig {
        token_ttl: Duration::ZERO,
        ..ServerConfig::default()
    })
    .await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    // A token that expired at once (the server's TTL is zero).
    let session: Value = server
        .client
        .post(server.url("/v1/session"))
        .json(&json!({"username": "rahim", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expired = session["token"].as_str().unwrap().to_string();
    let forged = "0".repeat(64);
    let routes = [
        ("GET", "/v1/me".to_string()),
        ("GET", "/v1/desks".to_string()),
        ("GET", format!("/v1/articles/{article}")),
        ("GET", format!("/v1/articles/{article}/revisions")),
        ("GET", format!("/v1/revisions/{head}")),
        ("GET", "/v1/changes".to_string()),
        ("POST", format!("/v1/articles/{article}/transitions")),
        ("PUT", format!("/v1/articles/{article}/presence")),
        ("DELETE", "/v1/session".to_string()),
        ("POST", "/v1/media".to_string()),
    ];
    for token in [expired.as_str(), forged.as_str(), "", "Bearer", "ünïcode"] {
        for (method, path) in &routes {
            let resp = server
                .client
                .request(method.parse().unwrap(), server.url(path))
                .header("Authorization", format!("Bearer {token}"))
                .send()
                .await
                .unwrap();
            expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
}

#[tokio::test]
async fn another_desks_article_is_403_forbidden() {
    let server = TestServer::start().await;
    let (rahim, sohel) = (server.token("rahim"), server.token("sohel"));
    let (article, head) = draft(&server, &rahim).await;
    let gets = [
        format!("/v1/articles/{article}"),
        format!("/v1/articles/{article}/revisions"),
        format!("/v1/articles/{article}/comments"),
        format!("/v1/revisions/{head}"),
    ];
    for path in &gets {
        let message = expect_error(
            server.get(&sohel, path).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert!(message.contains("national"), "{path}: {message}");
    }
    expect_error(
        server
            .put(&sohel, &format!("/v1/articles/{article}/presence"), None)
            .await,
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
        server.push(&sohel, article, &push).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // The changes feed does not show it either.
    let page: Value = server
        .get(&sohel, "/v1/changes")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["changes"], json!([]));
}

// ---- Regression tests of the fuzz run's findings ----

/// Fuzz finding (ST401): `DELETE /v1/session` answered 204 to a forged token.
#[tokio::test]
async fn logout_with_a_forged_token_is_401() {
    let server = TestServer::start().await;
    for token in ["forged", &"f".repeat(64)] {
        expect_error(
            server.delete(token, "/v1/session").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    let live = server.token("rahim");
    let resp = server.delete(&live, "/v1/session").await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    // Logging out twice: the second time the token is no longer live.
    expect_error(
        server.delete(&live, "/v1/session").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

/// Fuzz finding (ST201): `since=-1` (and a `limit` outside 1..=1000) were clamped and
/// answered 200, though the document says they are out of range.
#[tokio::test]
async fn feed_paging_out_of_range_is_400() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    for feed in ["/v1/changes", "/v1/published"] {
        for query in ["since=-1", "limit=0", "limit=1001", "limit=99999999999"] {
            let message = expect_error(
                server.get(&rahim, &format!("{feed}?{query}")).await,
                StatusCode::BAD_REQUEST,
                "bad_request",
            )
            .await;
            let name = query.split('=').next().unwrap();
            assert!(message.contains(name), "{feed}?{query}: {message}");
        }
        for query in ["since=0", "limit=1", "limit=1000"] {
            let resp = server.get(&rahim, &format!("{feed}?{query}")).await;
            assert_eq!(resp.status(), StatusCode::OK, "{feed}?{query}");
        }
    }
}

/// Fuzz finding (ST202): an `Idempotency-Key` or `If-Match` that is well-formed but does not
/// match the body was a 400, though the document allows any UUID there; it is content that
/// does not hold together: 422. A malformed one stays 400.
#[tokio::test]
async fn push_headers_that_contradict_the_body_are_422() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let (article, head) = draft(&server, &rahim).await;
    let path = format!("/v1/articles/{article}/revisions");
    let child = revision(
        RevisionId::new(),
        Some(head),
        "national",
        "x",
        &[("b1", "y")],
    );
    let send = |key: String, if_match: Option<String>| {
        let mut req = server
            .client
            .post(server.url(&path))
            .bearer_auth(&rahim)
            .header("Idempotency-Key", key)
            .json(&child);
        if let Some(value) = if_match {
            req = req.header("If-Match", value);
        }
        req.send()
    };
    let id = child["id"].as_str().unwrap().to_string();
    let quoted = format!("\"{head}\"");
    let cases = [
        (RevisionId::new().to_string(), Some(quoted.clone())),
        (id.clone(), None),
        (id.clone(), Some(format!("\"{}\"", RevisionId::new()))),
    ];
    for (key, if_match) in cases {
        expect_error(
            send(key, if_match).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        )
        .await;
    }
    for (key, if_match) in [
        ("not-a-uuid".to_string(), Some(quoted.clone())),
        (
            id.clone(),
            Some("\"------------------------------------\"".into()),
        ),
    ] {
        expect_error(
            send(key, if_match).await.unwrap(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
    let resp = send(id, Some(quoted)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
}

/// Fuzz finding (ST202): `Upload-Metadata` without the sha256 or content-type key was a 400
/// though the document allows any text there: 422 like any other bad photo description.
/// And an `Upload-Length` beyond what a photo may have is refused before it is parsed.
#[tokio::test]
async fn media_metadata_that_does_not_describe_a_photo_is_422() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let create = |length: &str, metadata: &str| {
        server
            .client
            .post(server.url("/v1/media"))
            .bearer_auth(&rahim)
            .header("Upload-Length", length)
            .header("Upload-Metadata", metadata)
            .send()
    };
    for metadata in ["", "content-type aW1hZ2UvcG5n", "sha256 //79", "sha256 @@@"] {
        expect_error(
            create("10", metadata).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        )
        .await;
    }
    // Lengths the document's schema refuses: not a number, beyond any photo.
    for length in ["ten", "-1", "414304751997658476374809108283392"] {
        expect_error(
            create(length, "").await.unwrap(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
}

/// Fuzz findings (ST103, ST202): routes that read JSON answered 415 without the document
/// listing it; approve and correct required `If-Match` while the document called it optional;
/// a photo chunk's body was optional in the document. The document now says what the server
/// does, for every route.
#[tokio::test]
async fn the_document_lists_the_refusals_the_server_gives() {
    let server = TestServer::start().await;
    let rahim = server.token("rahim");
    let nasrin = server.token("nasrin");
    let (article, head) = draft(&server, &rahim).await;
    let spec = barta_server::openapi::document();

    for Route {
        method,
        template,
        path,
        body,
    } in json_routes(article, head)
    {
        let operation = &spec["paths"][template][method.to_lowercase()];
        assert!(operation.is_object(), "{method} {template}");
        for status in ["413", "415", "422"] {
            assert!(
                operation["responses"].get(status).is_some(),
                "{method} {template} does not list {status}"
            );
        }
        // The live server answers 415 to a body that is not JSON.
        let resp = raw(
            &server,
            method,
            &path,
            Some(&nasrin),
            "text/plain",
            body.to_string(),
        )
        .await;
        expect_error(
            resp,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }

    for (route, body) in [
        ("approve", json!({"rev_id": head, "sha256": "00"})),
        (
            "correct",
            json!({"rev_id": head, "sha256": "00", "note": "n"}),
        ),
    ] {
        let params = spec["paths"][&format!("/v1/articles/{{id}}/{route}")]["post"]["parameters"]
            .as_array()
            .unwrap();
        let if_match = params.iter().find(|p| p["name"] == "If-Match").unwrap();
        assert_eq!(if_match["required"], true, "{route}");
        let resp = server
            .post(&nasrin, &format!("/v1/articles/{article}/{route}"), &body)
            .await;
        let message = expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
        assert!(message.contains("If-Match"), "{message}");
    }
    assert_eq!(
        spec["paths"]["/v1/media/{id}"]["patch"]["requestBody"]["required"],
        true
    );
    let media = &spec["paths"]["/v1/media"]["post"]["parameters"];
    assert!(
        media
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["schema"]["maximum"].is_u64() || p["name"] != "Upload-Length")
    );
}
