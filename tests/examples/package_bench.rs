//! Measures the packages (issue 15's figures): the size of each package in `dist/`, the app's
//! installed size, and the first start after install — `/usr/bin/barta-app` launched with a
//! new data folder and no server set, until the setup screen shows (process start through
//! WebDriver, as app_bench's cold start) — five times, each with a fresh data folder.
//!
//! Run: `scripts/package --debug && cargo run -p barta-tests --example package_bench` (as root:
//! it installs the app's `.deb` with dpkg and purges it at the end). `BENCH_RUNS` sets the
//! number of starts.

use anyhow::{Context, ensure};
use barta_tests::{AppSession, AppSettings, Display};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn dist() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .join("dist")
}

fn dpkg(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("dpkg").args(args).output()?;
    ensure!(
        out.status.success(),
        "dpkg {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    let app_deb = dist().join(format!("barta_{version}_amd64.deb"));
    for name in [
        format!("barta_{version}_amd64.deb"),
        format!("barta-{version}-1.x86_64.rpm"),
        format!("barta-server_{version}_amd64.deb"),
    ] {
        let path = dist().join(&name);
        let size = std::fs::metadata(&path)
            .with_context(|| format!("{} (run scripts/package --debug)", path.display()))?
            .len();
        println!("{name}: {size} bytes ({:.2} MB)", size as f64 / 1e6);
    }
    let installed = dpkg(&["-f", &app_deb.to_string_lossy(), "Installed-Size"])?;
    println!("barta installed size: {} KiB", installed.trim());

    let _ = dpkg(&["--purge", "barta"]);
    dpkg(&["-i", &app_deb.to_string_lossy()])?;
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let display = Display::start_sized(1366, 768)?;
    let mut times = Vec::new();
    for run in 0..runs {
        let home = tempfile::tempdir()?;
        let started = Instant::now();
        let app = AppSession::launch_program(
            &display,
            AppSettings {
                data_dir: home.path().join("barta-data"),
                server_url: String::new(),
                name: format!("package-bench-{run}"),
            },
            Path::new("/usr/bin/barta-app"),
            &[("BARTA_SERVER_URL", "")],
        )
        .await?;
        app.wait_text("setup-screen", "the setup screen", |t| {
            t.contains("নিউজরুমের সার্ভার")
        })
        .await?;
        let took = started.elapsed();
        println!("run {}: first start to the setup screen {took:?}", run + 1);
        times.push(took);
        app.close().await?;
    }
    dpkg(&["--purge", "barta"])?;
    times.sort();
    println!(
        "first start to the setup screen: min {:?}, median {:?}, max {:?}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
    Ok(())
}
