//! A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary directory, the
//! server on a free loopback port, started once per test binary and stopped when the binary
//! exits (a watchdog process stops it even after a panic or an abort). Each test takes a
//! database of its own ([`fresh_database`]). PostgreSQL refuses to run as root: as root the
//! cluster runs as the `postgres` user Debian's package creates (`scripts/setup` installs
//! `postgresql`).

// Each test binary that includes this uses only part of it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A running cluster: the one of this test binary ([`cluster`]), or one a test owns
/// ([`private_cluster`]) because it stops and starts it.
pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    /// Whether commits reach the disk (`fsync`): off for the tests, on for benchmarks.
    durable: bool,
}

/// The directory of PostgreSQL's server programs (the newest installed version), or
/// `BARTA_PG_BIN`.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BARTA_PG_BIN") {
        return dir.into();
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.retain(|p| p.join("initdb").exists());
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/initdb): \
             run scripts/setup, which installs Debian's postgresql"
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command for PostgreSQL's programs: as the `postgres` user when the tests run as root.
fn pg_command(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn run(mut cmd: Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The cluster of this test binary, started on first use, stopped when the binary ends.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| Cluster::create("shared", false))
}

/// A cluster of the calling test's own, for a test that stops and starts PostgreSQL; stopped
/// and removed when dropped (or when the binary ends).
pub fn private_cluster() -> Cluster {
    Cluster::create(&own_tag(), false)
}

/// A cluster of the caller's own whose commits reach the disk (`fsync` on, PostgreSQL's
/// defaults otherwise), for benchmarks that compare it with SQLite's `synchronous=FULL`.
pub fn durable_cluster() -> Cluster {
    Cluster::create(&own_tag(), true)
}

fn own_tag() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("own-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl Cluster {
    fn create(tag: &str, durable: bool) -> Cluster {
        let bin = bin_dir();
        let dir = std::env::temp_dir().join(format!("barta-pg-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::create_dir_all(dir.join("socket")).unwrap();
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", "postgres:postgres"]).arg(&dir);
                    c
                },
                "chown the cluster's directory to postgres",
            );
        }
        let mut initdb = pg_command(&bin.join("initdb"));
        initdb.arg("-D").arg(dir.join("data")).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        run(initdb, "initdb");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let cluster = Cluster {
            port,
            dir,
            bin,
            durable,
        };
        cluster.start();
        // Stopped when this test binary ends, however it ends.
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {prefix}{pg_ctl} -D {data} -m immediate stop; rm -rf {dir}",
            pid = std::process::id(),
            prefix = if is_root() {
                "runuser -u postgres -- "
            } else {
                ""
            },
            pg_ctl = cluster.bin.join("pg_ctl").display(),
            data = cluster.dir.join("data").display(),
            dir = cluster.dir.display(),
        );
        // Never waited for: it outlives this process on purpose (it is the one that cleans up).
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the cluster's watchdog");
        cluster
    }

    fn pg_ctl(&self) -> Command {
        let mut pg_ctl = pg_command(&self.bin.join("pg_ctl"));
        pg_ctl.arg("-D").arg(self.dir.join("data"));
        pg_ctl
    }

    /// Starts the server (again) on the cluster's port, and waits until it listens.
    pub fn start(&self) {
        let mut pg_ctl = self.pg_ctl();
        pg_ctl
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o"])
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200",
                self.port,
                self.dir.join("socket").display(),
                if self.durable { "on" } else { "off" }
            ))
            .arg("start");
        run(pg_ctl, "pg_ctl start");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not listen on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server as an administrator would (`pg_ctl stop -m fast`: open sessions are
    /// ended, transactions in flight rolled back), and waits until it is down.
    pub fn stop(&self) {
        let mut pg_ctl = self.pg_ctl();
        pg_ctl.args(["-m", "fast", "-w", "-t", "60", "stop"]);
        run(pg_ctl, "pg_ctl stop");
    }

    /// A new, empty database in this cluster; its URL and name.
    pub fn fresh_database_named(&self) -> (String, String) {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!("barta_test_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        // On a thread of its own: the blocking client cannot run inside an async test's task.
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
                    client
                        .batch_execute(&format!("CREATE DATABASE {name}"))
                        .unwrap();
                })
                .join()
                .unwrap();
        });
        (
            format!("postgres://postgres@127.0.0.1:{}/{name}", self.port),
            name,
        )
    }
}

impl Drop for Cluster {
    /// A private cluster ends with its test (the shared one lives in a static, never dropped;
    /// the watchdog stops it).
    fn drop(&mut self) {
        let mut pg_ctl = self.pg_ctl();
        pg_ctl.args(["-m", "immediate", "stop"]);
        let _ = pg_ctl.stdout(Stdio::null()).stderr(Stdio::null()).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One of PostgreSQL's programs (`pg_dump`, `pg_restore`, …) of the cluster's version.
pub fn program(name: &str) -> PathBuf {
    bin_dir().join(name)
}

/// A new, empty database in the cluster of this test binary; its URL.
pub fn fresh_database() -> String {
    let (url, _) = fresh_database_named();
    url
}

/// A new, empty database in the cluster of this test binary; its URL and name.
pub fn fresh_database_named() -> (String, String) {
    cluster().fresh_database_named()
}

/// Gives the empty newsroom at `url` the `desks` (slug, name) and `users` of a SQLite one,
/// with the same user ids, so the two backends can be asked the same questions by the same
/// people and compared answer for answer (`Store::add_user` would make new ids).
pub fn same_people<'a>(
    url: &str,
    desks: &[(&str, &str)],
    users: impl IntoIterator<Item = &'a barta_model::api::UserInfo>,
) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    for (slug, name) in desks {
        client
            .execute(
                "INSERT INTO desks (slug, name, created_at)
                 VALUES ($1, $2, '2026-12-07T00:00:00.000Z')",
                &[slug, name],
            )
            .unwrap();
    }
    for user in users {
        client
            .execute(
                "INSERT INTO users (id, username, role, password_hash, created_at)
                 VALUES ($1, $2, $3, 'unused', '2026-12-07T00:00:00.000Z')",
                &[&user.id.to_string(), &user.username, &user.role.to_string()],
            )
            .unwrap();
        for desk in &user.desks {
            client
                .execute(
                    "INSERT INTO user_desks (user_id, desk) VALUES ($1, $2)",
                    &[&user.id.to_string(), desk],
                )
                .unwrap();
        }
    }
}
