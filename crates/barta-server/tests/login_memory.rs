//! A burst of logins cannot exhaust the server's memory: each password check (argon2id) takes
//! 19 MiB, and only `concurrent_password_checks` run at once. Its own test binary, so the
//! process's peak memory is this test's alone.

mod common;

use barta_server::ServerConfig;
use common::{PASSWORD, TestServer};
use serde_json::json;

/// The peak resident memory of this process so far (Linux's VmHWM), in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib / 1024
}

/// Logins in the burst.
const LOGINS: usize = 500;
/// Password checks allowed at once (the default).
const CHECKS: usize = 4;
/// The stated bound on what the burst may add to the server's peak memory: the checks'
/// 19 MiB each, plus room for 500 requests in flight and the allocator's slack.
const BOUND_MIB: u64 = CHECKS as u64 * 19 + 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_logins_stay_within_the_memory_bound() {
    let config = ServerConfig {
        concurrent_password_checks: CHECKS,
        // One account's attempts in flight count against its throttle limit; this test
        // measures memory, not throttling (tested on its own), so the limits are out of reach.
        login_limits: barta_server::throttle::ThrottleLimits {
            per_account: 1_000_000,
            per_address: 1_000_000,
            window: std::time::Duration::from_secs(60),
        },
        ..ServerConfig::default()
    };
    let server = TestServer::start_with(config).await;
    let login = |client: reqwest::Client, url: String| async move {
        client
            .post(url)
            .json(&json!({"username": "rahim", "password": PASSWORD}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    };
    // One login first, so what the process keeps for good is in the baseline.
    assert_eq!(
        login(server.client.clone(), server.url("/v1/session"))
            .await
            .unwrap(),
        200
    );
    let before = peak_rss_mib();
    let burst: Vec<_> = (0..LOGINS)
        .map(|_| tokio::spawn(login(server.client.clone(), server.url("/v1/session"))))
        .collect();
    let mut ok = 0;
    for answer in burst {
        if answer.await.unwrap().is_ok_and(|status| status == 200) {
            ok += 1;
        }
    }
    let grew = peak_rss_mib().saturating_sub(before);
    assert_eq!(ok, LOGINS, "every right password logs in, in its turn");
    assert!(
        grew <= BOUND_MIB,
        "{LOGINS} concurrent logins raised peak memory by {grew} MiB (bound {BOUND_MIB} MiB)"
    );
    println!("{LOGINS} concurrent logins: peak memory +{grew} MiB (bound {BOUND_MIB} MiB)");
}
