//! Where the built binaries and the test artifacts are.

use anyhow::{Context, bail};
use std::path::PathBuf;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A binary built by `cargo build` in this workspace (`barta`, `barta-app`). The test command
/// builds them first; a missing one fails the test with instructions.
pub fn binary(name: &str) -> anyhow::Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    // `BARTA_PROFILE=release` runs the release binaries (for benchmarks).
    let profile = std::env::var("BARTA_PROFILE").unwrap_or_else(|_| "debug".into());
    let path = target.join(profile).join(name);
    if !path.exists() {
        bail!(
            "{} is not built: run `cargo build -p barta-cli -p barta-app` (scripts/test does)",
            path.display()
        );
    }
    Ok(path)
}

/// The folder for screenshots and logs of e2e runs: `artifacts/` at the repository root.
pub fn artifacts_dir(sub: &str) -> anyhow::Result<PathBuf> {
    let dir = repo_root().join("artifacts").join(sub);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// A free TCP port on loopback.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
