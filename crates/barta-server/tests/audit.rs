//! The audit trail answers "what did that token do?": every request of a session (reads,
//! pushes, comments, uploads, workflow requests, logout), logins with their address (and the
//! failed and throttled ones), a revoked token's later attempts, admin commands — each entry
//! linked to the one before, so a changed entry is found.

mod common;

use barta_model::{ArticleId, RevisionId};
use barta_server::store::{AuditCheck, AuditEntry, AuditFilter};
use barta_server::throttle::ThrottleLimits;
use barta_server::{ServerConfig, admin};
use common::{PASSWORD, TestServer, revision};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

fn entries(server: &TestServer, filter: AuditFilter) -> Vec<AuditEntry> {
    server.store.audit_entries(&filter).unwrap()
}

fn actions(entries: &[AuditEntry]) -> Vec<(&str, &str)> {
    entries
        .iter()
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .collect()
}

#[tokio::test]
async fn what_a_session_did_is_in_the_trail_with_its_address() {
    let server = TestServer::start().await;
    let session: Value = server.login("rahim", PASSWORD).await.json().await.unwrap();
    let token = session["token"].as_str().unwrap().to_string();
    let sessions = admin::sessions(server.store.as_ref(), Some("rahim")).unwrap();
    assert_eq!(sessions.len(), 1);
    let session_id = sessions[0].id.clone();

    let article = ArticleId::new();
    let rev = RevisionId::new();
    let body = revision(rev, None, "national", "শিরোনাম", &[("p1", "প্রথম অনুচ্ছেদ")]);
    assert_eq!(server.push(&token, article, &body).await.status(), 201);
    let path = format!("/v1/articles/{article}");
    assert_eq!(server.get(&token, &path).await.status(), 200);
    assert_eq!(
        server.get(&token, "/v1/changes?since=0").await.status(),
        200
    );
    // An empty page (every laptop asks every few seconds) is not worth an entry.
    let empty = server.get(&token, "/v1/changes?since=999999").await;
    assert_eq!(empty.status(), 200);
    // Not audited: who am I.
    assert_eq!(server.get(&token, "/v1/me").await.status(), 200);
    // Denied: another desk's editor action.
    let denied = server
        .post(
            &token,
            &format!("{path}/transitions"),
            &json!({"action": "take", "rev_id": rev}),
        )
        .await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.delete(&token, "/v1/session").await.status(), 204);

    let trail = entries(
        &server,
        AuditFilter {
            session: Some(session_id.clone()),
            ..AuditFilter::default()
        },
    );
    assert_eq!(
        actions(&trail),
        vec![
            ("login", "ok"),
            ("push", "ok"),
            ("read_article", "ok"),
            ("read_changes", "ok"),
            ("request_transition", "denied"),
            ("logout", "ok"),
        ]
    );
    for entry in &trail {
        assert_eq!(entry.username, "rahim");
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "{entry:?}");
        assert!(entry.hash.is_some());
    }
    assert_eq!(trail[1].article_id, Some(article));
    assert_eq!(trail[2].article_id, Some(article));

    // The revoked token's next attempt is recorded under its session, without a user.
    assert_eq!(server.get(&token, &path).await.status(), 401);
    let after = entries(
        &server,
        AuditFilter {
            session: Some(session_id),
            ..AuditFilter::default()
        },
    );
    let last = after.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.outcome.as_str()),
        ("read_article", "failed")
    );
    assert_eq!(last.username, "-");
    assert_eq!(server.store.check_audit().unwrap(), intact(&server));
}

fn intact(server: &TestServer) -> AuditCheck {
    let all = entries(server, AuditFilter::default());
    AuditCheck::Intact {
        entries: all.len() as u64,
        head: all.last().and_then(|e| e.hash.clone()),
    }
}

#[tokio::test]
async fn failed_and_throttled_logins_are_recorded_with_their_address() {
    let config = ServerConfig {
        login_limits: ThrottleLimits {
            per_account: 2,
            per_address: 100,
            window: Duration::from_secs(60),
        },
        ..ServerConfig::default()
    };
    let server = TestServer::start_with(config).await;
    for _ in 0..2 {
        assert_eq!(server.login("karim", "guess").await.status(), 401);
    }
    assert_eq!(server.login("karim", "guess").await.status(), 429);
    assert_eq!(server.login("nobody", "guess").await.status(), 401);
    admin::disable_user(server.store.as_ref(), "farida").unwrap();
    assert_eq!(server.login("farida", PASSWORD).await.status(), 403);

    let logins: Vec<AuditEntry> = entries(&server, AuditFilter::default())
        .into_iter()
        .filter(|e| e.action == "login")
        .collect();
    let seen: Vec<(&str, &str, Option<&str>)> = logins
        .iter()
        .map(|e| {
            (
                e.username.as_str(),
                e.outcome.as_str(),
                e.address.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("karim", "failed", Some("127.0.0.1")),
            ("karim", "failed", Some("127.0.0.1")),
            ("karim", "throttled", Some("127.0.0.1")),
            ("nobody", "failed", Some("127.0.0.1")),
            ("farida", "denied", Some("127.0.0.1")),
        ]
    );
    // A failed login opens no session and names no account id.
    assert!(
        logins
            .iter()
            .all(|e| e.session.is_none() && e.user_id.is_none())
    );
    // The admin command is in the trail too, by whom it was run.
    let disable = entries(&server, AuditFilter::default())
        .into_iter()
        .find(|e| e.action == "user_disable")
        .unwrap();
    assert!(disable.username.starts_with("(command line"), "{disable:?}");
    assert_eq!(disable.detail, "farida");
}
