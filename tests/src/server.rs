//! [`TestServer`]: the real `barta serve` binary on a free loopback port with a temporary data
//! directory and a demo newsroom made through the real admin commands.

use crate::paths::binary;
use crate::process::Guarded;
use anyhow::{Context, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A user of the demo newsroom.
#[derive(Clone, Debug)]
pub struct DemoUser {
    pub username: &'static str,
    pub password: &'static str,
}

/// The demo reporter (desk `national`).
pub const REPORTER: DemoUser = DemoUser {
    username: "rahim",
    password: "reporter-pass-1",
};
/// The demo editor (desks `national` and `international`).
pub const EDITOR: DemoUser = DemoUser {
    username: "nasrin",
    password: "editor-pass-1",
};

/// A running backend; stopped and its data removed on drop.
pub struct TestServer {
    pub url: String,
    data: tempfile::TempDir,
    process: Option<Guarded>,
    /// Extra arguments of `barta serve`, used from the next (re)start on.
    pub serve_args: Vec<String>,
}

fn admin(data: &Path, args: &[&str], stdin: Option<&str>) -> anyhow::Result<()> {
    let mut cmd = Command::new(binary("barta")?);
    cmd.args(args)
        .arg("--data")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .context("stdin")?
            .write_all(input.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "barta {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl TestServer {
    /// Starts a server with two desks, a reporter and an editor.
    pub fn start_demo() -> anyhow::Result<Self> {
        Self::start_demo_with_env(&[])
    }

    /// [`TestServer::start_demo`] with extra environment variables for the first `barta serve`
    /// (e.g. `BARTA_FAILPOINT`); a later [`TestServer::restart`] starts it without them.
    pub fn start_demo_with_env(env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let data = tempfile::tempdir()?;
        let dir = data.path();
        admin(
            dir,
            &["desk", "add", "national", "--name", "জাতীয় ডেস্ক"],
            None,
        )?;
        admin(
            dir,
            &["desk", "add", "international", "--name", "আন্তর্জাতিক ডেস্ক"],
            None,
        )?;
        admin(
            dir,
            &[
                "user",
                "add",
                REPORTER.username,
                "--role",
                "reporter",
                "--desk",
                "national",
                "--password-stdin",
            ],
            Some(&format!("{}\n", REPORTER.password)),
        )?;
        admin(
            dir,
            &[
                "user",
                "add",
                EDITOR.username,
                "--role",
                "editor",
                "--desk",
                "national",
                "--desk",
                "international",
                "--password-stdin",
            ],
            Some(&format!("{}\n", EDITOR.password)),
        )?;
        let mut server = Self {
            url: String::new(),
            data,
            process: None,
            serve_args: Vec::new(),
        };
        server.restart_with_env(env)?;
        Ok(server)
    }

    /// Runs `barta ARGS --data DIR` on this server's data directory with `stdin`; its
    /// output, whatever its exit status.
    pub fn barta(
        &self,
        args: &[&str],
        stdin: Option<&str>,
    ) -> anyhow::Result<std::process::Output> {
        let mut child = Command::new(binary("barta")?)
            .args(args)
            .arg("--data")
            .arg(self.data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut input = child.stdin.take().context("stdin")?;
        if let Some(text) = stdin {
            input.write_all(text.as_bytes())?;
        }
        drop(input);
        Ok(child.wait_with_output()?)
    }

    /// The process id of `barta serve`, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Guarded::id)
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.data.path().to_path_buf()
    }

    /// The server's SQLite database file (inside the data directory).
    pub fn database_path(&self) -> PathBuf {
        self.data.path().join("barta.sqlite3")
    }

    /// Waits up to `within` for `barta serve` to exit on its own (a crash); its exit status,
    /// or `None` while it still runs (or was never started).
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        self.process.as_mut()?.wait_exit(within)
    }

    /// Stops the server (SIGTERM): the app sees it as down.
    pub fn stop(&mut self) {
        if let Some(mut p) = self.process.take() {
            p.stop(Duration::from_secs(10));
        }
    }

    /// Starts (again): on a free port the first time, on the same port after that, so an app
    /// pointed at `url` finds it back.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.restart_with_env(&[])
    }

    /// [`TestServer::restart`] with extra environment variables for `barta serve`.
    pub fn restart_with_env(&mut self, env: &[(&str, &str)]) -> anyhow::Result<()> {
        self.stop();
        let listen = match self.url.rsplit_once(':') {
            Some((_, port)) if !self.url.is_empty() => format!("127.0.0.1:{port}"),
            _ => "127.0.0.1:0".to_string(),
        };
        let mut cmd = Command::new(binary("barta")?);
        cmd.args(["serve", "--listen", &listen, "--data"])
            .arg(self.data.path())
            .args(&self.serve_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            // A crash (a failpoint's abort) leaves any core file in the temporary data dir.
            .current_dir(self.data.path())
            .env("RUST_LOG", "warn")
            // Failpoints come only from `env`, never from the environment of the test run.
            .env_remove("BARTA_FAILPOINT")
            .envs(env.iter().copied());
        let mut guarded = Guarded::spawn("barta serve", cmd)?;
        let stdout = guarded.take_stdout().context("server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .with_context(|| format!("unexpected first line from barta serve: {line:?}"))?;
        self.url = url.to_string();
        self.process = Some(guarded);
        Ok(())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Logs `user` in through the API and returns the bearer token.
pub async fn login_token(server: &TestServer, user: &DemoUser) -> anyhow::Result<String> {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/session", server.url))
        .json(&serde_json::json!({"username": user.username, "password": user.password}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    answer["token"]
        .as_str()
        .map(str::to_string)
        .context("no token in the login answer")
}

/// The changes feed's first page as `user` sees it (`GET /v1/changes`).
pub async fn changes_feed(
    server: &TestServer,
    user: &DemoUser,
) -> anyhow::Result<serde_json::Value> {
    let token = login_token(server, user).await?;
    Ok(reqwest::Client::new()
        .get(format!("{}/v1/changes", server.url))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}
