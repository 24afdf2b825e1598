//! Account administration against a running server: what an administrator does when a
//! laptop is lost or seized or a password leaks (disable a user, set a new password, revoke
//! sessions), and what the tokens of that laptop can still do afterwards: nothing.

mod common;

use barta_server::admin;
use barta_server::store::SessionScope;
use common::{PASSWORD, TestServer, expect_error};
use reqwest::StatusCode;

#[tokio::test]
async fn a_seized_laptops_token_stops_working_when_its_user_is_disabled() {
    let server = TestServer::start().await;
    let seized = server.token("rahim");
    let colleague = server.token("karim");
    assert_eq!(server.get(&seized, "/v1/me").await.status(), StatusCode::OK);

    admin::disable_user(server.store.as_ref(), "rahim").unwrap();
    expect_error(
        server.get(&seized, "/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // The right password no longer logs in, and says why (only to whom knows it).
    let message = expect_error(
        server.login("rahim", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;
    assert!(message.contains("disabled"), "{message}");
    // A wrong password still gets the one answer for every failed login.
    expect_error(
        server.login("rahim", "guess").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // Nobody else is touched.
    assert_eq!(
        server.get(&colleague, "/v1/me").await.status(),
        StatusCode::OK
    );
    let accounts = admin::accounts(server.store.as_ref()).unwrap();
    let rahim = accounts.iter().find(|a| a.username == "rahim").unwrap();
    assert!(rahim.disabled);
    assert_eq!(rahim.live_sessions, 0);

    // Enabled again: the password logs in; the seized token stays dead.
    admin::enable_user(server.store.as_ref(), "rahim").unwrap();
    assert_eq!(
        server.login("rahim", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        server.get(&seized, "/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // An unknown user is named as such.
    let error = admin::disable_user(server.store.as_ref(), "nobody").unwrap_err();
    assert!(error.to_string().contains("nobody"), "{error}");
}

#[tokio::test]
async fn a_leaked_password_is_replaced_and_its_sessions_end() {
    let server = TestServer::start().await;
    let old_session = server.token("nasrin");
    admin::set_password(server.store.as_ref(), "nasrin", "নতুন গোপন কথা").unwrap();
    assert_eq!(
        server.get(&old_session, "/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.login("nasrin", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.login("nasrin", "নতুন গোপন কথা").await.status(),
        StatusCode::OK
    );
    assert!(admin::set_password(server.store.as_ref(), "nasrin", "").is_err());
}

#[tokio::test]
async fn sessions_are_listed_without_their_tokens_and_revoked_by_user_or_all() {
    let server = TestServer::start().await;
    let rahim = [server.token("rahim"), server.token("rahim")];
    let sohel = server.token("sohel");
    let listed = admin::sessions(server.store.as_ref(), Some("rahim")).unwrap();
    assert_eq!(listed.len(), 2);
    for s in &listed {
        assert_eq!(s.username, "rahim");
        assert_eq!(s.id.len(), 12);
        assert!(rahim.iter().all(|t| !t.contains(&s.id)), "a token shown");
    }
    assert_eq!(
        admin::sessions(server.store.as_ref(), None).unwrap().len(),
        3
    );

    let n = admin::revoke_sessions(server.store.as_ref(), SessionScope::User("rahim")).unwrap();
    assert_eq!(n, 2);
    for t in &rahim {
        assert_eq!(
            server.get(t, "/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(server.get(&sohel, "/v1/me").await.status(), StatusCode::OK);

    let n = admin::revoke_sessions(server.store.as_ref(), SessionScope::All).unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        server.get(&sohel, "/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(
        admin::sessions(server.store.as_ref(), None)
            .unwrap()
            .is_empty()
    );
    assert!(admin::sessions(server.store.as_ref(), Some("nobody")).is_err());
}

#[tokio::test]
async fn guessing_passwords_is_throttled_per_account_and_per_address() {
    use barta_server::ServerConfig;
    use barta_server::throttle::ThrottleLimits;
    use std::time::Duration;
    // Long enough for the 20 checked guesses below to fall inside one window on a slow machine.
    let window = Duration::from_secs(8);
    let server = TestServer::start_with(ServerConfig {
        login_limits: ThrottleLimits {
            per_account: 5,
            per_address: 20,
            window,
        },
        ..ServerConfig::default()
    })
    .await;
    let started = std::time::Instant::now();
    // 200 guesses at one account: the first 5 are checked, the rest refused before hashing.
    let mut statuses = Vec::new();
    for i in 0..200 {
        let resp = server.login("nasrin", &format!("guess-{i}")).await;
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = resp.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=8).contains(&wait), "Retry-After {wait}");
        }
        statuses.push(resp.status());
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    // Throttled, even the right password waits (else guessing would go on); the answer says so.
    let message = expect_error(
        server.login("nasrin", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    )
    .await;
    assert!(message.contains("try again"), "{message}");
    // Other accounts from this address go on until the address's own limit (20 failures).
    assert_eq!(
        server.login("sohel", PASSWORD).await.status(),
        StatusCode::OK
    );
    for i in 0..15 {
        let status = server.login(&format!("nobody{i}"), "x").await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    assert_eq!(
        server.login("sohel", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // After the window, the right password works again.
    tokio::time::sleep(
        (started + window + Duration::from_millis(200))
            .saturating_duration_since(std::time::Instant::now()),
    )
    .await;
    assert_eq!(
        server.login("nasrin", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_session_left_unused_ends_after_the_idle_time_while_a_used_one_goes_on() {
    let config = barta_server::ServerConfig {
        token_idle: std::time::Duration::from_secs(4),
        ..barta_server::ServerConfig::default()
    };
    let server = TestServer::start_with(config).await;
    let session: serde_json::Value = server.login("rahim", PASSWORD).await.json().await.unwrap();
    let used = session["token"].as_str().unwrap().to_string();
    let session: serde_json::Value = server.login("karim", PASSWORD).await.json().await.unwrap();
    let left = session["token"].as_str().unwrap().to_string();
    // Used every 1.5 s for 7.5 s, past the idle time counted from the login: still live.
    for _ in 0..5 {
        assert_eq!(server.get(&used, "/v1/me").await.status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    }
    assert_eq!(server.get(&used, "/v1/me").await.status(), StatusCode::OK);
    // The one left alone as long has ended, with the usual 401.
    expect_error(
        server.get(&left, "/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // And the used one ends too once left alone.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(
        server.get(&used, "/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
