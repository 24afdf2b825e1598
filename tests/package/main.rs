//! The packages as a newsroom installs them: the app's `.deb` and the server's `.deb` made by
//! `scripts/package --debug` (scripts/test runs it first) installed with `dpkg -i` on this
//! machine, the installed `/usr/bin/barta-app` started under Xvfb through WebDriver, the
//! installed `barta` serving as the `barta` user, a signed update from one version to the
//! next through the newsroom's own server, and uninstalling.
//!
//! These tests change the machine's packages (they run as root, as CI does): each starts by
//! purging any `barta` package left by an earlier run and ends by purging what it installed.
//! The updater installs through `pkexec`, else a graphical `sudo`, else `sudo`: this machine
//! has `sudo` (scripts/setup installs it) and the tests run as root, so `sudo dpkg -i` asks
//! nothing — on a reporter's laptop the same step asks for the user's password.

use anyhow::{Context, bail, ensure};
use barta_tests::{
    AppSession, AppSettings, Display, Fault, Proxy, REPORTER, TestServer, exclusive, free_port,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The installed app, where the package puts it.
const INSTALLED_APP: &str = "/usr/bin/barta-app";
/// The installed server.
const INSTALLED_SERVER: &str = "/usr/bin/barta";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The one package in `dir` whose file name starts with `prefix` and ends with `suffix`.
fn package_in(dir: &Path, prefix: &str, suffix: &str) -> anyhow::Result<PathBuf> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| {
            format!(
                "{} is missing: run `scripts/package --debug` (scripts/test does)",
                dir.display()
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "no {prefix}*{suffix} in {}: run `scripts/package --debug` (scripts/test does)",
            dir.display()
        ),
        many => bail!("several {prefix}*{suffix} in {}: {many:?}", dir.display()),
    }
}

/// The app's `.deb` of this version, from `dist/`.
fn app_deb() -> anyhow::Result<PathBuf> {
    package_in(
        &repo_root().join("dist"),
        &format!("barta_{}_", env!("CARGO_PKG_VERSION")),
        "_amd64.deb",
    )
}

/// Runs a program; its output, or an error with what it said when it failed.
fn run(program: &str, args: &[&str]) -> anyhow::Result<Output> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {program}"))?;
    if !out.status.success() {
        bail!(
            "{program} {} failed ({}): {}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

fn stdout_of(program: &str, args: &[&str]) -> anyhow::Result<String> {
    Ok(String::from_utf8(run(program, args)?.stdout)?)
}

/// The installed version of `package`, if it is installed.
fn installed_version(package: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f", "${Status} ${Version}", package])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.strip_prefix("install ok installed ")
        .map(|v| v.trim().to_string())
}

/// Removes `package` with its configuration if any of it is on the machine.
fn purge(package: &str) -> anyhow::Result<()> {
    let known = Command::new("dpkg-query")
        .args(["-W", package])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?
        .success();
    if known {
        run("dpkg", &["--purge", package])?;
    }
    Ok(())
}

/// The files (not folders) `package` installed, from `dpkg -L`.
fn package_files(package: &str) -> anyhow::Result<Vec<PathBuf>> {
    Ok(stdout_of("dpkg", &["-L", package])?
        .lines()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect())
}

/// Starts the installed app as a reporter's first start would: no `BARTA_SERVER_URL` (unless
/// `env` sets one).
async fn installed_app(
    display: &Display,
    data_dir: &Path,
    name: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<AppSession> {
    let mut all = vec![("BARTA_SERVER_URL", "")];
    all.extend_from_slice(env);
    AppSession::launch_program(
        display,
        AppSettings {
            data_dir: data_dir.to_path_buf(),
            server_url: String::new(),
            name: name.to_string(),
        },
        Path::new(INSTALLED_APP),
        &all,
    )
    .await
}

async fn log_in(app: &AppSession, username: &str, password: &str) -> anyhow::Result<()> {
    app.type_into("login-username", username).await?;
    app.type_into("login-password", password).await?;
    app.click("login-submit").await?;
    app.wait_text("current-user", "the logged-in user", |t| {
        t.starts_with(username)
    })
    .await?;
    Ok(())
}

/// The installed server, run as its package runs it: `/usr/bin/barta` as the `barta` user on
/// a data folder under `/var/lib/barta` (a folder of its own, so a real newsroom's data on a
/// developer's machine is never touched). Stopped and its folder removed on drop.
struct InstalledServer {
    url: String,
    data: PathBuf,
    process: std::process::Child,
}

impl InstalledServer {
    fn as_barta(args: &[&str], data: &Path, stdin: Option<&str>) -> anyhow::Result<()> {
        let mut child = Command::new("runuser")
            .args(["-u", "barta", "--", INSTALLED_SERVER])
            .args(args)
            .arg("--data")
            .arg(data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .context("stdin")?
                .write_all(text.as_bytes())?;
        }
        drop(child.stdin.take());
        let out = child.wait_with_output()?;
        ensure!(
            out.status.success(),
            "barta {} as the barta user failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    /// A desk and a reporter made with the installed admin commands, then `barta serve`.
    async fn start(username: &str, password: &str) -> anyhow::Result<Self> {
        let data = PathBuf::from(format!(
            "/var/lib/barta/package-test-{}",
            std::process::id()
        ));
        Self::as_barta(
            &["desk", "add", "district", "--name", "জেলা ডেস্ক"],
            &data,
            None,
        )?;
        Self::as_barta(
            &[
                "user",
                "add",
                username,
                "--role",
                "reporter",
                "--desk",
                "district",
                "--password-stdin",
            ],
            &data,
            Some(&format!("{password}\n")),
        )?;
        let port = free_port()?;
        let url = format!("http://127.0.0.1:{port}");
        let process = Command::new("runuser")
            .args(["-u", "barta", "--", INSTALLED_SERVER, "serve", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(&data)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .env("RUST_LOG", "warn")
            .spawn()?;
        let server = Self { url, data, process };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let health = reqwest::get(format!("{}/healthz", server.url)).await;
            if health.map(|r| r.status().is_success()).unwrap_or(false) {
                return Ok(server);
            }
            ensure!(
                Instant::now() < deadline,
                "the installed barta serve did not answer /healthz"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for InstalledServer {
    fn drop(&mut self) {
        let _ = Command::new("pkill")
            .args(["-TERM", "-P", &self.process.id().to_string()])
            .status();
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

#[tokio::test]
async fn the_packages_install_set_up_a_reporter_and_uninstall_cleanly() -> anyhow::Result<()> {
    let _gate = exclusive().await;
    let app_deb = app_deb()?;
    let server_deb = package_in(
        &repo_root().join("dist"),
        &format!("barta-server_{}_", env!("CARGO_PKG_VERSION")),
        "_amd64.deb",
    )?;
    purge("barta")?;
    purge("barta-server")?;

    // The server package: its binary, its system user, its data folder, its unit.
    run("dpkg", &["-i", &server_deb.to_string_lossy()])?;
    ensure!(installed_version("barta-server").is_some());
    let user = stdout_of("getent", &["passwd", "barta"])?;
    assert!(user.contains("/var/lib/barta"), "{user}");
    let unit_file = package_files("barta-server")?
        .into_iter()
        .find(|p| p.ends_with("barta.service"))
        .context("no barta.service in the server package")?;
    let unit = std::fs::read_to_string(&unit_file)?;
    assert!(unit.contains("User=barta"), "{unit}");
    assert!(unit.contains("/usr/bin/barta"), "{unit}");
    let server = InstalledServer::start("shirin", "district-pass-1").await?;
    // The data the installed server wrote belongs to its user.
    let owner = stdout_of("stat", &["-c", "%U", &server.data.to_string_lossy()])?;
    assert_eq!(owner.trim(), "barta");

    // The app package: the binary with the .deb bundle marker patched in (without it the
    // updater would take the AppImage path and fail), the menu entry in both languages, the
    // icon at every size.
    run("dpkg", &["-i", &app_deb.to_string_lossy()])?;
    assert_eq!(
        installed_version("barta").as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let binary = std::fs::read(INSTALLED_APP)?;
    let has = |needle: &[u8]| binary.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"__TAURI_BUNDLE_TYPE_VAR_DEB"),
        "no deb bundle marker in {INSTALLED_APP}"
    );
    assert!(
        !has(b"__TAURI_BUNDLE_TYPE_VAR_UNK"),
        "{INSTALLED_APP} is not patched"
    );
    drop(binary);
    let files = package_files("barta")?;
    let desktop = files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "desktop"))
        .context("no .desktop file in the package")?;
    let entry = std::fs::read_to_string(desktop)?;
    assert!(entry.contains("Name=Barta"), "{entry}");
    assert!(entry.contains("Name[bn]=বার্তা"), "{entry}");
    for size in ["32x32", "128x128", "256x256"] {
        assert!(
            files.iter().any(|p| p
                .to_string_lossy()
                .contains(&format!("/hicolor/{size}/apps/"))),
            "no {size} icon in {files:?}"
        );
    }

    // First start: the setup screen; the installed server's address; the login screen.
    let display = Display::start_sized(1366, 768)?;
    let home = tempfile::tempdir()?;
    let data = home.path().join("barta-data");
    let app = installed_app(&display, &data, "package-first-start", &[]).await?;
    app.wait_text("setup-screen", "the setup screen", |t| {
        t.contains("নিউজরুমের সার্ভার")
    })
    .await?;
    app.screenshot("60-installed-setup").await?;
    app.set_value("setup-address", &server.url).await?;
    app.click("setup-connect").await?;
    app.testid("login-username").await?;
    log_in(&app, "shirin", "district-pass-1").await?;
    app.click("about").await?;
    assert_eq!(app.text("about-version").await?, env!("CARGO_PKG_VERSION"));
    app.click("about-close").await?;
    app.screenshot("61-installed-logged-in").await?;
    app.close().await?;
    drop(server);

    // Uninstalling leaves none of the packages' files; the reporter's data stays.
    run("dpkg", &["-r", "barta"])?;
    run("dpkg", &["--purge", "barta"])?;
    for file in &files {
        assert!(
            !file.exists(),
            "{} is left after purging barta",
            file.display()
        );
    }
    assert!(
        data.join("server.json").exists(),
        "the reporter's data went with the package"
    );
    let server_files = {
        run("dpkg", &["-i", &server_deb.to_string_lossy()])?;
        package_files("barta-server")?
    };
    run("dpkg", &["--purge", "barta-server"])?;
    for file in &server_files {
        assert!(
            !file.exists(),
            "{} is left after purging barta-server",
            file.display()
        );
    }
    assert!(!Path::new(INSTALLED_SERVER).exists());
    Ok(())
}

/// The Tauri signer, as a newsroom runs it (the pinned `@tauri-apps/cli`).
fn tauri_cli() -> anyhow::Result<PathBuf> {
    let cli = repo_root().join("ui/node_modules/.bin/tauri");
    ensure!(
        cli.exists(),
        "{} is missing: run scripts/setup",
        cli.display()
    );
    Ok(cli)
}

/// A throwaway signing key in `dir` (no password); the path of its private key.
fn throwaway_key(dir: &Path) -> anyhow::Result<PathBuf> {
    let key = dir.join("updater.key");
    let cli = tauri_cli()?;
    run(
        &cli.to_string_lossy(),
        &[
            "signer",
            "generate",
            "--ci",
            "-p",
            "",
            "-f",
            "-w",
            &key.to_string_lossy(),
        ],
    )?;
    Ok(key)
}

/// `FILE.sig` beside `file`, signed with `key` for `version`.
fn sign(key: &Path, file: &Path, version: &str) -> anyhow::Result<PathBuf> {
    let cli = tauri_cli()?;
    run(
        &cli.to_string_lossy(),
        &[
            "signer",
            "sign",
            "-f",
            &key.to_string_lossy(),
            "-p",
            "",
            "--app-version",
            version,
            &file.to_string_lossy(),
        ],
    )?;
    let sig = PathBuf::from(format!("{}.sig", file.display()));
    ensure!(sig.exists(), "the signer wrote no {}", sig.display());
    Ok(sig)
}

/// `barta release add` on the test server; its output.
fn add_release(
    server: &TestServer,
    file: &Path,
    signature: &Path,
    version: &str,
    public_key: Option<&Path>,
) -> anyhow::Result<()> {
    let (file, signature) = (file.to_string_lossy(), signature.to_string_lossy());
    let mut args = vec![
        "release",
        "add",
        &file,
        "--signature",
        &signature,
        "--version",
        version,
        "--notes",
        "বানান পরীক্ষা আরও ভালো। / Better spelling.",
    ];
    let key = public_key.map(|k| k.to_string_lossy().to_string());
    if let Some(key) = &key {
        args.extend(["--public-key", key]);
    }
    let out = server.barta(&args, None)?;
    ensure!(
        out.status.success(),
        "barta release add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// A copy of `deb` with one byte changed in its payload (past the `ar` header the updater
/// checks for), as a tampered download would be.
fn tampered_copy(deb: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let mut bytes = std::fs::read(deb)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    let path = dir.join(deb.file_name().context("a file name")?);
    std::fs::write(&path, bytes)?;
    Ok(path)
}

#[tokio::test]
async fn a_signed_update_replaces_the_installed_app_and_keeps_the_unsent_draft()
-> anyhow::Result<()> {
    let _gate = exclusive().await;
    let old_deb = app_deb()?;
    let new_deb = package_in(
        &repo_root().join("dist/update-test"),
        "barta_",
        "_amd64.deb",
    )?;
    let new_version = new_deb
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("barta_")?.strip_suffix("_amd64.deb"))
        .context("the new package's version")?
        .to_string();
    ensure!(
        new_version != env!("CARGO_PKG_VERSION"),
        "dist/update-test holds this same version"
    );
    purge("barta")?;

    // The newsroom signs the new version with its key and first puts a tampered copy on its
    // server (without --public-key the server stores it unchecked: the app must refuse it).
    let work = tempfile::tempdir()?;
    let key = throwaway_key(work.path())?;
    let public_key = PathBuf::from(format!("{}.pub", key.display()));
    let signature = sign(&key, &new_deb, &new_version)?;
    let tampered_dir = work.path().join("tampered");
    std::fs::create_dir_all(&tampered_dir)?;
    let tampered = tampered_copy(&new_deb, &tampered_dir)?;
    let server = TestServer::start_demo()?;
    add_release(&server, &tampered, &signature, &new_version, None)?;

    // Sync fails through the proxy (server busy) while the update routes pass: the draft
    // stays unsent on the laptop through the whole update.
    let proxy = Proxy::start(&server.url).await?;
    proxy.always_pass("/v1/app/");
    run("dpkg", &["-i", &old_deb.to_string_lossy()])?;
    let display = Display::start_sized(1366, 768)?;
    let home = tempfile::tempdir()?;
    let data = home.path().join("barta-data");
    let test_key = std::fs::read_to_string(&public_key)?;
    let env = [
        ("BARTA_SERVER_URL", proxy.url.as_str()),
        ("BARTA_UPDATER_PUBKEY", test_key.trim()),
    ];
    let app = installed_app(&display, &data, "package-update-old", &env).await?;
    log_in(&app, REPORTER.username, REPORTER.password).await?;
    proxy.set_default(Fault::Respond(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec(),
    ));
    let headline = "হালনাগাদের আগে লেখা খসড়া";
    let body = "জেলা শহরে আজ সকালে বৃষ্টি হয়েছে।";
    app.click("new-article").await?;
    app.type_into("headline", headline).await?;
    app.type_into("body-editor", body).await?;
    app.wait_saved().await?;
    // Submitted while the server is busy: queued on the laptop, not sent.
    app.click("submit").await?;
    app.wait_attr("sync-pending", "data-count", "queued", |c| c != "0")
        .await?;

    // The tampered release: offered, refused at install with a clear message, this version
    // keeps running and keeps the text.
    app.wait_attr("update-banner", "data-version", "the update offered", |v| {
        v == new_version
    })
    .await?;
    let before = app.pids();
    app.click("update-install").await?;
    app.wait_attr("update-error", "data-code", "the refusal", |c| {
        !c.is_empty()
    })
    .await?;
    let error = app.testid("update-error").await?;
    assert_eq!(
        error.attr("data-code").await?.as_deref(),
        Some("update_invalid")
    );
    let said = error.text().await?;
    app.screenshot("62-update-tampered-refused").await?;
    assert!(!said.is_empty());
    assert_eq!(
        installed_version("barta").as_deref(),
        Some(env!("CARGO_PKG_VERSION")),
        "a tampered package was installed"
    );
    assert!(app.text("body-editor").await?.contains(body));
    assert_eq!(app.pids(), before, "the app did not keep running");

    // The newsroom replaces it with the real release (checked against its key on the way in).
    let out = server.barta(&["release", "remove", &new_version], None)?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    add_release(
        &server,
        &new_deb,
        &signature,
        &new_version,
        Some(&public_key),
    )?;
    app.click("about").await?;
    app.click("about-check-update").await?;
    app.wait_text("about-update-result", "the check", |t| !t.is_empty())
        .await?;
    app.click("about-close").await?;
    let old_pids = app.pids();
    let installer_start = Instant::now();
    app.click("update-install").await?;

    // Installed with dpkg, and the new version starts by itself (on the same data folder).
    let deadline = Instant::now() + Duration::from_secs(180);
    let restarted = loop {
        let version = installed_version("barta");
        if version.as_deref() == Some(new_version.as_str())
            && let Some(pid) = app.pids().into_iter().find(|p| !old_pids.contains(p))
        {
            break pid;
        }
        if Instant::now() > deadline {
            let error = app.text("update-error").await.unwrap_or_default();
            bail!(
                "the update was not installed and started: dpkg says {version:?}, the app says {error:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let took = installer_start.elapsed();
    // The restarted app runs outside WebDriver: stop it (every app process on this data
    // folder, the restarted one among them) and look through a new session.
    ensure!(app.pids().contains(&restarted));
    app.kill_app().await?;
    println!("update downloaded, installed and restarted in {took:?}");

    let app = installed_app(&display, &data, "package-update-new", &env).await?;
    // The new version starts locked; the password opens the article being written, with
    // every word typed before.
    app.unlock(&REPORTER).await?;
    app.wait_text("body-editor", "the draft kept", |t| t.contains(body))
        .await?;
    let kept = app.testid("headline").await?.prop("value").await?;
    assert_eq!(kept.as_deref(), Some(headline));
    app.click("about").await?;
    assert_eq!(app.text("about-version").await?, new_version);
    app.screenshot("63-update-installed").await?;
    app.click("about-close").await?;

    // The link comes back: the draft written before the update reaches the server.
    proxy.set_default(Fault::Pass);
    app.click("sync-now").await?;
    app.wait_attr("sync-pending", "data-count", "sent", |c| c == "0")
        .await?;
    let changes = barta_tests::changes_feed(&server, &REPORTER).await?;
    assert!(
        changes.to_string().contains(headline),
        "the draft did not reach the server: {changes}"
    );
    app.close().await?;
    run("dpkg", &["--purge", "barta"])?;
    Ok(())
}

#[tokio::test]
async fn the_rpm_installs_into_a_root_with_its_marker_and_erases_cleanly() -> anyhow::Result<()> {
    // Debian's rpm cannot resolve a Fedora system's dependencies, so the package goes into a
    // root of its own (`--root`, `--nodeps`): its payload, scripts and database entry are
    // real; whether WebKitGTK is found is a Fedora machine's part (ARCHITECTURE.md says so).
    let version = env!("CARGO_PKG_VERSION");
    let rpm = package_in(
        &repo_root().join("dist"),
        &format!("barta-{version}-1."),
        ".x86_64.rpm",
    )?;
    let rpm = rpm.to_string_lossy();
    let root = tempfile::tempdir()?;
    let root_dir = root.path().to_string_lossy().to_string();
    let name = stdout_of("rpm", &["-qp", "--qf", "%{NAME} %{VERSION}", &rpm])?;
    assert_eq!(name, format!("barta {version}"));
    let requires = stdout_of("rpm", &["-qpR", &rpm])?;
    assert!(requires.contains("libwebkit2gtk-4.1"), "{requires}");
    run("rpm", &["--root", &root_dir, "--initdb"])?;
    run("rpm", &["-i", "--nodeps", "--root", &root_dir, &rpm])?;
    let installed = stdout_of("rpm", &["-q", "--root", &root_dir, "barta"])?;
    assert!(
        installed.starts_with(&format!("barta-{version}-1")),
        "{installed}"
    );
    // The binary knows it came from an .rpm: the updater installs the next one with rpm -U.
    let binary = std::fs::read(root.path().join("usr/bin/barta-app"))?;
    let marker: &[u8] = b"__TAURI_BUNDLE_TYPE_VAR_RPM";
    assert!(binary.windows(marker.len()).any(|w| w == marker));
    drop(binary);
    let files = stdout_of("rpm", &["-ql", "--root", &root_dir, "barta"])?;
    let desktop = files
        .lines()
        .find(|f| f.ends_with(".desktop"))
        .context("no .desktop file in the rpm")?;
    let entry = std::fs::read_to_string(root.path().join(desktop.trim_start_matches('/')))?;
    assert!(entry.contains("Name[bn]=বার্তা"), "{entry}");
    run("rpm", &["-e", "--root", &root_dir, "barta"])?;
    for file in files.lines() {
        let path = root.path().join(file.trim_start_matches('/'));
        assert!(!path.is_file(), "{file} is left after rpm -e");
    }
    Ok(())
}
