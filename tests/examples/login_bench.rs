//! Logins against the real `barta serve` (release when `BARTA_PROFILE=release`): how many
//! right passwords per second it checks with its bounded password checks (argon2id, 19 MiB
//! each, 4 at a time by default), how fast a throttled guesser is turned away (429 before any
//! password is checked), and the server's peak memory meanwhile.
//!
//! Run: `cargo build --release -p barta-cli && cargo build --release -p barta-tests --example
//!       login_bench && BARTA_PROFILE=release ./target/release/examples/login_bench`

use barta_tests::TestServer;
use std::time::{Duration, Instant};

/// Logins sent at once in each measurement.
const CONCURRENT: usize = 64;
/// Logins per measurement.
const TOTAL: usize = 400;

/// Accounts the right-password logins are spread over (an account's own attempts in flight
/// count against its limit of 10 until they succeed, as a guesser's would).
const ACCOUNTS: usize = 32;
const PASSWORD: &str = "bench-গোপন-pass";

async fn logins(url: &str, usernames: &[String], password: &str) -> (Duration, Vec<u16>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENT)
        .build()
        .expect("an http client");
    let started = Instant::now();
    let mut statuses = Vec::with_capacity(TOTAL);
    for wave in 0..TOTAL.div_ceil(CONCURRENT) {
        let n = CONCURRENT.min(TOTAL - wave * CONCURRENT);
        let sent: Vec<_> = (0..n)
            .map(|i| {
                let client = client.clone();
                let url = format!("{url}/v1/session");
                let username = &usernames[(wave * CONCURRENT + i) % usernames.len()];
                let body = serde_json::json!({"username": username, "password": password});
                tokio::spawn(async move {
                    client
                        .post(url)
                        .json(&body)
                        .send()
                        .await
                        .map_or(0, |r| r.status().as_u16())
                })
            })
            .collect();
        for answer in sent {
            statuses.push(answer.await.unwrap_or(0));
        }
    }
    (started.elapsed(), statuses)
}

/// The server process's peak resident memory (VmHWM), in MiB.
fn peak_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut server = TestServer::start_demo()?;
    // Throttling as the server ships it, but a per-address limit a benchmark can use: every
    // request comes from 127.0.0.1.
    server.serve_args = vec!["--login-failures-per-address".into(), "1000000".into()];
    server.restart()?;
    let usernames: Vec<String> = (0..ACCOUNTS).map(|i| format!("bench{i:02}")).collect();
    for name in &usernames {
        let out = server.barta(
            &[
                "user",
                "add",
                name,
                "--role",
                "reporter",
                "--desk",
                "national",
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        )?;
        anyhow::ensure!(out.status.success(), "user add: {out:?}");
    }
    let pid = server.pid().expect("barta serve runs");
    let before = peak_mib(pid);

    let (took, statuses) = logins(&server.url, &usernames, PASSWORD).await;
    let ok = statuses.iter().filter(|s| **s == 200).count();
    println!(
        "right password, {TOTAL} logins over {ACCOUNTS} accounts {CONCURRENT} at a time: {ok} ok in {:.2} s = {:.1} logins/s",
        took.as_secs_f64(),
        TOTAL as f64 / took.as_secs_f64()
    );
    let (took, statuses) = logins(&server.url, &["ghost".to_string()], "guess").await;
    let refused = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    println!(
        "a guesser, {TOTAL} wrong passwords for one account: {refused} checked (401) then {throttled} throttled (429) in {:.2} s = {:.0} answers/s",
        took.as_secs_f64(),
        TOTAL as f64 / took.as_secs_f64()
    );
    println!(
        "barta serve peak memory: {before} MiB before, {} MiB after",
        peak_mib(pid)
    );
    Ok(())
}
