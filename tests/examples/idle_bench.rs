//! What an idle app costs (issue 14): the real app under Xvfb, logged in with an article
//! open in the editor and nobody touching it, for a minute: the calls the page makes into Rust
//! (Tauri IPC, counted by the page's own IPC door, ui/src/ipc/index.ts) and the CPU time of the app's
//! processes (the app, the web process, the network process; from /proc/PID/stat).
//!
//! Run: `cargo run -p barta-tests --example idle_bench` (after `scripts/build`);
//! `BENCH_IDLE_SECS` sets the idle time (default 60), `BENCH_BLUR=1` blurs the editor first (no
//! caret), `BENCH_MAPS=1` prints the files whose pages each process holds most of.

use barta_tests::{AppSession, AppSettings, Display, REPORTER, TestServer, process_tree};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Clock ticks a second of /proc's utime and stime (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// User plus system CPU time of `pid` so far, in ticks (children not counted).
fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // The command name may hold spaces; the fields after it are space-separated.
    let Some((_, rest)) = stat.rsplit_once(") ") else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, utime 14, stime 15 (1-based in proc(5)).
    let utime: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0);
    let stime: u64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    utime + stime
}

fn process_name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|n| n.trim().to_string())
        .unwrap_or_else(|_| format!("pid {pid}"))
}

/// Zeroes the page's count of calls into Rust (kept by ui/src/ipc/index.ts by command).
const RESET_CALLS: &str = "\
const counts = window.__bartaIpcCalls;\
for (const k of Object.keys(counts)) delete counts[k];\
return true;";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let idle = Duration::from_secs(
        std::env::var("BENCH_IDLE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    );
    let display = Display::start()?;
    let server = TestServer::start_demo()?;
    let root = tempfile::tempdir()?;
    // The app's own sync interval (5 s), not the e2e tests' quick 500 ms.
    let app = AppSession::launch_with_env(
        &display,
        AppSettings {
            data_dir: root.path().join("idle"),
            server_url: server.url.clone(),
            name: "idle".into(),
        },
        &[("BARTA_SYNC_INTERVAL_MS", "5000")],
    )
    .await?;
    app.type_into("login-username", REPORTER.username).await?;
    app.type_into("login-password", REPORTER.password).await?;
    app.click("login-submit").await?;
    app.wait_text("current-user", "the logged-in user", |t| {
        t.starts_with(REPORTER.username)
    })
    .await?;
    app.click("new-article").await?;
    app.type_into("headline", "অলস অ্যাপের খরচ").await?;
    app.type_into("body-editor", "ঢাকায় আজ বৃষ্টি হয়েছে। নদীর পানি বাড়ছে।")
        .await?;
    app.wait_saved().await?;
    // Let the first sync round after the edit settle before counting.
    tokio::time::sleep(Duration::from_secs(5)).await;

    // `BENCH_BLUR=1`: nothing focused (no caret blinking), to tell the caret's share apart.
    if std::env::var_os("BENCH_BLUR").is_some() {
        app.client
            .execute("document.activeElement?.blur(); return true;", vec![])
            .await?;
    }
    app.client.execute(RESET_CALLS, vec![]).await?;
    let pids: Vec<u32> = app.pids().into_iter().flat_map(process_tree).collect();
    let before: Vec<(u32, u64)> = pids.iter().map(|p| (*p, cpu_ticks(*p))).collect();
    let started = Instant::now();
    tokio::time::sleep(idle).await;
    let elapsed = started.elapsed().as_secs_f64();
    let after: Vec<(u32, u64)> = pids.iter().map(|p| (*p, cpu_ticks(*p))).collect();
    let calls: BTreeMap<String, u64> = serde_json::from_value(
        app.client
            .execute("return window.__bartaIpcCalls;", vec![])
            .await?,
    )?;

    let total_calls: u64 = calls.values().sum();
    println!(
        "idle for {elapsed:.1} s with an article open: {total_calls} IPC calls = {:.1} a minute",
        total_calls as f64 * 60.0 / elapsed
    );
    for (command, n) in &calls {
        println!("  {command}: {n}");
    }
    // `BENCH_MAPS=1`: the files whose pages each process holds most of (shared libraries).
    if std::env::var_os("BENCH_MAPS").is_some() {
        for pid in &pids {
            let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
            let mut by_file: BTreeMap<String, u64> = BTreeMap::new();
            let mut file = String::new();
            for line in smaps.lines() {
                if let Some(kib) = line.strip_prefix("Rss:") {
                    let kib: u64 = kib
                        .trim()
                        .trim_end_matches(" kB")
                        .trim()
                        .parse()
                        .unwrap_or(0);
                    *by_file.entry(file.clone()).or_default() += kib;
                } else if line
                    .split_whitespace()
                    .next()
                    .is_some_and(|r| r.contains('-') && !r.ends_with(':'))
                {
                    // A mapping's header: "start-end perms offset dev inode [path]".
                    file = line
                        .split_whitespace()
                        .nth(5)
                        .unwrap_or("[anonymous]")
                        .to_string();
                }
            }
            let mut top: Vec<_> = by_file.into_iter().collect();
            top.sort_by_key(|(_, kib)| std::cmp::Reverse(*kib));
            println!("  {} (pid {pid}) holds most of:", process_name(*pid));
            for (file, kib) in top.iter().take(8) {
                println!("    {:>8.1} MiB  {file}", *kib as f64 / 1024.0);
            }
        }
    }
    let mut total_ticks = 0;
    for ((pid, t0), (_, t1)) in before.iter().zip(&after) {
        let ticks = t1.saturating_sub(*t0);
        total_ticks += ticks;
        println!(
            "  {} (pid {pid}): {:.2} s CPU = {:.2} % of one core",
            process_name(*pid),
            ticks as f64 / TICKS_PER_SECOND,
            ticks as f64 / TICKS_PER_SECOND / elapsed * 100.0
        );
    }
    println!(
        "CPU of the {} processes: {:.2} s = {:.2} % of one core",
        pids.len(),
        total_ticks as f64 / TICKS_PER_SECOND,
        total_ticks as f64 / TICKS_PER_SECOND / elapsed * 100.0
    );
    app.close().await?;
    Ok(())
}
