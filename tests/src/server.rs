//! [`TestServer`]: the real `barta serve` binary on a free loopback port with a temporary data
//! directory and a demo newsroom made through the real admin commands — kept in SQLite in the
//! data directory, or in a PostgreSQL database ([`TestServer::start_demo_on_postgres`]) that
//! further instances share ([`TestServer::another_instance`]).

use crate::paths::binary;
use crate::process::Guarded;
use anyhow::{Context, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Whether the tests' newsrooms are kept in PostgreSQL (`BARTA_TEST_BACKEND=postgres`)
/// instead of SQLite.
pub fn on_postgres() -> bool {
    match std::env::var("BARTA_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("BARTA_TEST_BACKEND={other:?}: say sqlite or postgres"),
    }
}

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

/// The environment variable naming the PostgreSQL database of `barta` (serve and admin).
const DATABASE_ENV: &str = "BARTA_DATABASE_URL";

/// A running backend; stopped and its data removed on drop.
pub struct TestServer {
    pub url: String,
    data: tempfile::TempDir,
    process: Option<Guarded>,
    /// Extra arguments of `barta serve`, used from the next (re)start on.
    pub serve_args: Vec<String>,
    /// The PostgreSQL database the newsroom is kept in; `None`: SQLite in the data directory.
    database: Option<String>,
}

/// Points `cmd` (any `barta` command) at the newsroom's store: `BARTA_DATABASE_URL` for a
/// PostgreSQL newsroom, and never the test run's own `BARTA_DATABASE_URL` for a SQLite one.
fn store_env(cmd: &mut Command, database: Option<&str>) {
    match database {
        Some(url) => cmd.env(DATABASE_ENV, url),
        None => cmd.env_remove(DATABASE_ENV),
    };
}

fn admin(
    data: &Path,
    database: Option<&str>,
    args: &[&str],
    stdin: Option<&str>,
) -> anyhow::Result<()> {
    let mut cmd = Command::new(binary("barta")?);
    store_env(&mut cmd, database);
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
    ///
    /// With `BARTA_TEST_BACKEND=postgres` the newsroom is kept in a fresh database of the
    /// test binary's throwaway PostgreSQL cluster (`scripts/test` runs the sync suite so too).
    pub fn start_demo_with_env(env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let database = on_postgres().then(crate::pg_cluster::fresh_database);
        Self::start_demo_in(database, env)
    }

    /// A demo newsroom on SQLite whatever `BARTA_TEST_BACKEND` says, for what only a SQLite
    /// newsroom has (its file, `barta backup`).
    pub fn start_demo_sqlite() -> anyhow::Result<Self> {
        Self::start_demo_in(None, &[])
    }

    /// [`TestServer::start_demo`] with the newsroom kept in the (empty) PostgreSQL database at
    /// `url` (e.g. [`crate::pg_cluster::fresh_database`]): the admin commands and `barta serve`
    /// run with `BARTA_DATABASE_URL` set. More instances on the same database:
    /// [`TestServer::another_instance`].
    pub fn start_demo_on_postgres(url: &str) -> anyhow::Result<Self> {
        Self::start_demo_in(Some(url.to_string()), &[])
    }

    fn start_demo_in(database: Option<String>, env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let data = tempfile::tempdir()?;
        let dir = data.path();
        let db = database.as_deref();
        admin(
            dir,
            db,
            &["desk", "add", "national", "--name", "জাতীয় ডেস্ক"],
            None,
        )?;
        admin(
            dir,
            db,
            &["desk", "add", "international", "--name", "আন্তর্জাতিক ডেস্ক"],
            None,
        )?;
        admin(
            dir,
            db,
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
            db,
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
            database,
        };
        server.restart_with_env(env)?;
        Ok(server)
    }

    /// Another `barta serve` on this server's PostgreSQL database, with a data directory and
    /// a port of its own and the same `serve_args`. Its data directory gets a copy of this
    /// one's `secrets.key`, as instances sharing a database share the key of the publish
    /// targets' secrets kept in it. Fails for a SQLite newsroom.
    pub fn another_instance(&self) -> anyhow::Result<Self> {
        let database = self
            .database
            .clone()
            .context("another instance needs a PostgreSQL newsroom (start_demo_on_postgres)")?;
        // `barta serve` writes its key after announcing its address: it is whole once the
        // server answers.
        self.wait_serving()?;
        self.serving_database(database)
    }

    /// `barta serve` on the PostgreSQL database at `url` (e.g. where `barta migrate` copied
    /// this server's SQLite newsroom), with a data directory and a port of its own, this
    /// one's `secrets.key` and `serve_args`.
    pub fn serving_database(&self, url: String) -> anyhow::Result<Self> {
        let database = url;
        let data = tempfile::tempdir()?;
        let key = self.data.path().join("secrets.key");
        if key.exists() {
            std::fs::copy(&key, data.path().join("secrets.key"))?;
        }
        let mut server = Self {
            url: String::new(),
            data,
            process: None,
            serve_args: self.serve_args.clone(),
            database: Some(database),
        };
        server.restart()?;
        server.wait_serving()?;
        Ok(server)
    }

    /// Waits until `barta serve` answers `GET /healthz` with 200 (it announces its address
    /// before it has opened everything, and may still fail after that).
    pub fn wait_serving(&self) -> anyhow::Result<()> {
        use std::io::Read;
        let addr = self
            .url
            .strip_prefix("http://")
            .context("wait_serving needs a plain http server")?;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let answer = (|| -> std::io::Result<String> {
                let mut stream = std::net::TcpStream::connect(addr)?;
                stream.set_read_timeout(Some(Duration::from_secs(5)))?;
                write!(
                    stream,
                    "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                )?;
                let mut answer = String::new();
                stream.read_to_string(&mut answer)?;
                Ok(answer)
            })();
            match answer {
                Ok(text) if text.starts_with("HTTP/1.1 200") => return Ok(()),
                other if std::time::Instant::now() > deadline => {
                    bail!("barta serve at {} does not answer: {other:?}", self.url)
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// The PostgreSQL database's URL, for a newsroom kept there.
    pub fn database_url(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// Runs `barta ARGS --data DIR` on this server's data directory with `stdin`; its
    /// output, whatever its exit status.
    pub fn barta(
        &self,
        args: &[&str],
        stdin: Option<&str>,
    ) -> anyhow::Result<std::process::Output> {
        let mut cmd = Command::new(binary("barta")?);
        store_env(&mut cmd, self.database.as_deref());
        let mut child = cmd
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

    /// Kills the server at once (`kill -9`: no shutdown, no flush, connections cut) and waits
    /// for it to be gone; its exit status (`None` if it was not running). [`TestServer::restart`]
    /// starts it again.
    pub fn kill_hard(&mut self) -> Option<std::process::ExitStatus> {
        self.process.take()?.kill_hard()
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
        store_env(&mut cmd, self.database.as_deref());
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
