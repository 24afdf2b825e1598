//! [`WordPress`]: a real WordPress (Debian's package) on a throwaway MariaDB and `php -S`, on a
//! free loopback port, for the publishing tests.
//!
//! Every instance has its own temporary directory (a copy of `/usr/share/wordpress`, the
//! MariaDB data directory, its socket and the logs), its own `mariadbd` and its own PHP
//! server. The site's time zone is `Asia/Dhaka` (as a Bangladeshi newsroom's), so `date` and
//! `date_gmt` differ by six hours. WP-Cron never runs by itself (`DISABLE_WP_CRON`): a
//! scheduled post stays `future` until a test calls [`WordPress::run_cron`].
//!
//! The children are wrapped in a watchdog shell that holds a pipe from the test process: when
//! the test process exits (even killed, even with the never-dropped [`WordPress::shared`]),
//! the pipe closes and the watchdog kills its process group.

use crate::paths::free_port;
use crate::process::Guarded;
use anyhow::{Context, bail};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The site's time zone (WordPress option `timezone_string`).
pub const TIMEZONE: &str = "Asia/Dhaka";

/// The installed site's administrator.
const ADMIN_USER: &str = "admin";
const ADMIN_PASSWORD: &str = "admin-pass-1";

/// InnoDB for a throwaway database: small, and no fsync (a crash loses nothing we keep).
const THROWAWAY_INNODB: &[&str] = &[
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-flush-method=nosync",
];

/// How long MariaDB and PHP get to come up.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running WordPress with its database; both stopped and the files removed on drop.
pub struct WordPress {
    // Field order is drop order: the web server, then the database, then the files.
    web: Mutex<Option<Guarded>>,
    _database: Guarded,
    port: u16,
    app_password: String,
    dir: tempfile::TempDir,
}

/// Runs `program args…` in a watchdog shell: the shell exits with the program's status, and
/// kills its whole process group once its stdin (a pipe the test process holds) closes.
fn watched(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(
            r#"exec 3<&0; "$@" </dev/null & p=$!; { cat <&3 >/dev/null; kill -KILL 0; } & wait $p"#,
        )
        .arg("sh")
        .arg(program)
        .args(args)
        .stdin(Stdio::piped());
    cmd
}

/// The last lines of a log file, for error messages.
fn log_tail(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(30)..].join("\n");
            format!("--- last lines of {} ---\n{tail}", path.display())
        }
        Err(e) => format!("(no log at {}: {e})", path.display()),
    }
}

/// A log file opened for a child's stdout and stderr.
fn log_file(path: &Path) -> anyhow::Result<(Stdio, Stdio)> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let err = file.try_clone()?;
    Ok((Stdio::from(file), Stdio::from(err)))
}

/// Waits until `ready` holds, failing early when the process exits.
fn wait_ready(
    name: &str,
    process: &mut Guarded,
    log: &Path,
    mut ready: impl FnMut() -> bool,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if ready() {
            return Ok(());
        }
        if !process.is_running() {
            bail!("{name} exited during start-up\n{}", log_tail(log));
        }
        if Instant::now() >= deadline {
            bail!(
                "{name} was not ready within {START_TIMEOUT:?}\n{}",
                log_tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Runs a PHP script of the site's directory with arguments; its stdout parsed as JSON.
fn php_json(dir: &Path, script: &str, args: &[&str]) -> anyhow::Result<serde_json::Value> {
    let out = Command::new("php")
        .arg("-d")
        .arg("display_errors=stderr")
        .arg(dir.join(script))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run php {script}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("php {script} failed ({}):\n{stdout}\n{stderr}", out.status);
    }
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .with_context(|| format!("php {script} printed no JSON:\n{stdout}\n{stderr}"))?;
    serde_json::from_str(line).with_context(|| format!("php {script} printed {line:?}"))
}

/// Copies Debian's WordPress to `site`, dereferencing its symlinks into /etc: as hard links
/// when it can (no data written: fast on a busy disk), else as files. The files the harness
/// writes are removed first, never written through a hard link.
fn copy_wordpress(site: &Path) -> anyhow::Result<()> {
    let copy = |args: &[&str]| -> anyhow::Result<bool> {
        let out = Command::new("cp")
            .args(args)
            .arg("/usr/share/wordpress")
            .arg(site)
            .stdin(Stdio::null())
            .output()
            .context("cannot run cp")?;
        if !out.status.success() && site.exists() {
            std::fs::remove_dir_all(site)
                .with_context(|| format!("removing a partial copy at {}", site.display()))?;
        }
        Ok(out.status.success())
    };
    if !copy(&["-rL", "--link"])? && !copy(&["-rL"])? {
        bail!("copying /usr/share/wordpress failed (scripts/setup installs wordpress)");
    }
    for name in [".htaccess", "wp-config.php"] {
        let path = site.join(name);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}

fn wp_config(db_socket: &Path, port: u16) -> String {
    format!(
        r#"<?php
// Written by the Barta test harness (tests/src/wordpress.rs).
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('AUTH_KEY', 'barta-test-1');
define('SECURE_AUTH_KEY', 'barta-test-2');
define('LOGGED_IN_KEY', 'barta-test-3');
define('NONCE_KEY', 'barta-test-4');
define('AUTH_SALT', 'barta-test-5');
define('SECURE_AUTH_SALT', 'barta-test-6');
define('LOGGED_IN_SALT', 'barta-test-7');
define('NONCE_SALT', 'barta-test-8');
define('WP_HOME', 'http://127.0.0.1:{port}');
define('WP_SITEURL', 'http://127.0.0.1:{port}');
// Application passwords over plain HTTP.
define('WP_ENVIRONMENT_TYPE', 'local');
// No HTTP requests from WordPress to itself; scheduled posts wait for run_cron().
define('DISABLE_WP_CRON', true);
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {{ define('ABSPATH', __DIR__ . '/'); }}
require_once ABSPATH . 'wp-settings.php';
"#,
        socket = db_socket.display(),
    )
}

/// No mail: there is no sendmail here.
const MU_PLUGIN: &str = r#"<?php
// Barta test harness: WordPress sends no mail.
function wp_mail() { return true; }
"#;

/// `php barta-install.php TITLE USER PASSWORD TIMEZONE`: installs, prints the app password.
const INSTALL_PHP: &str = r#"<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
[$script, $title, $user, $password, $timezone] = $argv;
$result = wp_install($title, $user, $user . '@example.com', true, '', $password);
if (is_wp_error($result)) { fwrite(STDERR, $result->get_error_message()); exit(1); }
update_option('timezone_string', $timezone);
$created = WP_Application_Passwords::create_new_application_password($result['user_id'], ['name' => 'barta']);
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message()); exit(1); }
echo json_encode(['user_id' => $result['user_id'], 'password' => $created[0]]), "\n";
"#;

/// `php barta-add-user.php USER ROLE`: a user and its application password.
const ADD_USER_PHP: &str = r#"<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require __DIR__ . '/wp-load.php';
[$script, $user, $role] = $argv;
if (!get_role($role)) { fwrite(STDERR, "no such role: $role"); exit(1); }
$id = wp_insert_user(['user_login' => $user, 'user_pass' => wp_generate_password(24),
    'user_email' => $user . '@example.com', 'role' => $role]);
if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
$created = WP_Application_Passwords::create_new_application_password($id, ['name' => 'barta']);
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message()); exit(1); }
echo json_encode(['user_id' => $id, 'password' => $created[0]]), "\n";
"#;

impl WordPress {
    /// Installs and starts a fresh WordPress + MariaDB on a free loopback port (about
    /// 1.3 s on an idle machine).
    pub fn start() -> anyhow::Result<WordPress> {
        let started = Instant::now();
        let wordpress = Self::install_and_start()?;
        eprintln!(
            "WordPress {} started in {:.1?} (files in {})",
            wordpress.base_url(),
            started.elapsed(),
            wordpress.dir.path().display()
        );
        Ok(wordpress)
    }

    fn install_and_start() -> anyhow::Result<WordPress> {
        let mut dir = tempfile::Builder::new()
            .prefix("barta-wp-")
            .tempdir()
            .context("creating the WordPress temporary directory")?;
        let root = dir.path();
        let data = root.join("db");
        let socket = root.join("db.sock");
        let db_log = root.join("mariadb.log");

        // The database.
        let out = Command::new("mariadb-install-db")
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args([
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
            ])
            .args(THROWAWAY_INNODB)
            .stdin(Stdio::null())
            .output()
            .context("cannot run mariadb-install-db (scripts/setup installs mariadb-server)")?;
        if !out.status.success() {
            bail!(
                "mariadb-install-db failed ({}):\n{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut cmd = watched(
            "mariadbd",
            &[
                "--no-defaults",
                &format!("--datadir={}", data.display()),
                &format!("--socket={}", socket.display()),
                &format!("--pid-file={}", root.join("mariadb.pid").display()),
                &format!("--log-error={}", db_log.display()),
                "--skip-networking",
                "--user=root",
                "--skip-log-bin",
                "--skip-name-resolve",
            ]
            .into_iter()
            .chain(THROWAWAY_INNODB.iter().copied())
            .collect::<Vec<_>>(),
        );
        let (out, err) = log_file(&db_log)?;
        cmd.stdout(out).stderr(err).current_dir(root);
        let mut database = Guarded::spawn("mariadbd", cmd)?;
        wait_ready("mariadbd", &mut database, &db_log, || {
            std::os::unix::net::UnixStream::connect(&socket).is_ok()
        })?;
        let out = Command::new("mariadb")
            .arg("--no-defaults")
            .arg(format!("--socket={}", socket.display()))
            .args([
                "--user=root",
                "-e",
                "CREATE DATABASE wordpress CHARACTER SET utf8mb4",
            ])
            .stdin(Stdio::null())
            .output()
            .context("cannot run the mariadb client")?;
        if !out.status.success() {
            bail!(
                "creating the database failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                log_tail(&db_log)
            );
        }

        // The site: a copy of Debian's WordPress (it symlinks into /etc) with our config.
        let site = root.join("site");
        copy_wordpress(&site)?;
        let mu_plugins = site.join("wp-content/mu-plugins");
        std::fs::create_dir_all(&mu_plugins)?;
        std::fs::create_dir_all(site.join("wp-content/uploads"))?;
        std::fs::write(mu_plugins.join("barta-test.php"), MU_PLUGIN)?;
        std::fs::write(site.join("barta-install.php"), INSTALL_PHP)?;
        std::fs::write(site.join("barta-add-user.php"), ADD_USER_PHP)?;

        // `php -S` may lose the race for a port found free: try a few.
        let mut last_error = None;
        for _ in 0..3 {
            let port = free_port()?;
            let config = site.join("wp-config.php");
            // Never through a hard link into /usr/share/wordpress.
            let _ = std::fs::remove_file(&config);
            std::fs::write(&config, wp_config(&socket, port))
                .with_context(|| format!("writing {}", config.display()))?;
            let installed = php_json(
                &site,
                "barta-install.php",
                &["Barta test", ADMIN_USER, ADMIN_PASSWORD, TIMEZONE],
            )
            .with_context(|| format!("installing WordPress\n{}", log_tail(&db_log)))?;
            let app_password = installed["password"]
                .as_str()
                .context("no application password from the install")?
                .to_string();
            let wordpress = WordPress {
                web: Mutex::new(None),
                _database: database,
                port,
                app_password,
                dir,
            };
            match wordpress.start_web() {
                Ok(()) => return Ok(wordpress),
                Err(e) => {
                    last_error = Some(e);
                    // Take the parts back to try another port on the installed site.
                    let WordPress {
                        _database: db,
                        dir: d,
                        ..
                    } = wordpress;
                    database = db;
                    dir = d;
                    let out = Command::new("mariadb")
                        .arg("--no-defaults")
                        .arg(format!("--socket={}", socket.display()))
                        .args([
                            "--user=root",
                            "-e",
                            "DROP DATABASE wordpress; CREATE DATABASE wordpress CHARACTER SET utf8mb4",
                        ])
                        .output()
                        .context("cannot run the mariadb client")?;
                    if !out.status.success() {
                        bail!(
                            "resetting the database failed: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                }
            }
        }
        Err(last_error.context("no port tried")?)
    }

    /// One WordPress per test binary, started on first use; it lives until the process exits
    /// (the watchdogs then kill it and a reaper removes its temporary directory). Tests sharing it
    /// must not depend on being alone on the site: use unique titles, and [`WordPress::start`]
    /// for a test that stops the web server.
    pub fn shared() -> anyhow::Result<&'static WordPress> {
        static SHARED: Mutex<Option<&'static WordPress>> = Mutex::new(None);
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wordpress) = *shared {
            return Ok(wordpress);
        }
        let wordpress = WordPress::start().context("starting the shared WordPress")?;
        // Never dropped: once the test process exits (and the watchdogs killed the servers),
        // a reaper removes the files.
        let mut reaper = Command::new("sh");
        reaper
            .arg("-c")
            .arg(r#"cat >/dev/null; sleep 2; rm -rf -- "$1""#)
            .arg("sh")
            .arg(wordpress.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Box::leak(Box::new(Guarded::spawn("WordPress reaper", reaper)?));
        let wordpress: &'static WordPress = Box::leak(Box::new(wordpress));
        *shared = Some(wordpress);
        Ok(wordpress)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The administrator's login name.
    pub fn admin_user(&self) -> &str {
        ADMIN_USER
    }

    /// The administrator's application password (HTTP Basic auth with [`Self::admin_user`]).
    pub fn app_password(&self) -> &str {
        &self.app_password
    }

    /// The site's files (`wp-content/uploads` holds uploaded media).
    pub fn site_dir(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The URL of a REST route in the plain-permalink form: `{base}/?rest_route={route}`.
    pub fn rest_url(&self, route: &str) -> String {
        format!("{}/?rest_route={route}", self.base_url())
    }

    /// Stops the PHP server (MariaDB stays up): WordPress is down, connections are refused.
    pub fn stop_web(&self) -> anyhow::Result<()> {
        let mut web = self.web.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mut process) = web.take() {
            process.stop(Duration::from_secs(5));
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            if Instant::now() >= deadline {
                bail!("port {} still accepts connections", self.port);
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Ok(())
    }

    /// Starts the PHP server (again), on the same port; a no-op when it runs.
    pub fn start_web(&self) -> anyhow::Result<()> {
        let mut web = self.web.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(process) = web.as_mut()
            && process.is_running()
        {
            return Ok(());
        }
        let site = self.site_dir();
        let log = self.dir.path().join("php.log");
        let listen = format!("127.0.0.1:{}", self.port);
        let error_log = format!(
            "error_log={}",
            self.dir.path().join("php-errors.log").display()
        );
        let mut cmd = watched(
            "php",
            &[
                "-d",
                "display_errors=0",
                "-d",
                "log_errors=1",
                "-d",
                &error_log,
                "-d",
                "post_max_size=64M",
                "-d",
                "upload_max_filesize=64M",
                "-d",
                "memory_limit=256M",
                "-S",
                &listen,
                "-t",
                &site.display().to_string(),
            ],
        );
        let (out, err) = log_file(&log)?;
        // Several requests at once: the server under test sends them concurrently.
        cmd.env("PHP_CLI_SERVER_WORKERS", "4")
            .stdout(out)
            .stderr(err)
            .current_dir(&site);
        let mut process = Guarded::spawn("php -S", cmd)?;
        let port = self.port;
        wait_ready("php -S", &mut process, &log, || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        })
        .with_context(|| format!("starting WordPress's web server on {listen}"))?;
        *web = Some(process);
        Ok(())
    }

    /// Authenticated (admin) GET of a REST route, e.g. `rest_get("/wp/v2/posts",
    /// &[("status", "publish,future,draft,trash"), ("context", "edit")])`; fails on a non-2xx
    /// answer with its body.
    pub async fn rest_get(
        &self,
        route: &str,
        query: &[(&str, &str)],
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.rest_get_with_headers(route, query).await?.0)
    }

    async fn rest_get_with_headers(
        &self,
        route: &str,
        query: &[(&str, &str)],
    ) -> anyhow::Result<(serde_json::Value, reqwest::header::HeaderMap)> {
        // A client per call: a pooled connection must not outlive the test's runtime.
        let response = reqwest::Client::new()
            .get(format!("{}/", self.base_url()))
            .query(&[("rest_route", route)])
            .query(query)
            .basic_auth(ADMIN_USER, Some(&self.app_password))
            .send()
            .await
            .with_context(|| format!("GET {route} {query:?} from WordPress"))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .text()
            .await
            .with_context(|| format!("reading the answer to GET {route}"))?;
        if !status.is_success() {
            bail!("GET {route} {query:?}: WordPress answered {status}: {body}");
        }
        let json = serde_json::from_str(&body)
            .with_context(|| format!("GET {route}: not JSON ({status}): {body}"))?;
        Ok((json, headers))
    }

    /// Every post of every status, trash included, `context=edit`, all pages, newest first.
    pub async fn all_posts(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let mut posts = Vec::new();
        let mut page = 1u32;
        loop {
            let page_text = page.to_string();
            let (json, headers) = self
                .rest_get_with_headers(
                    "/wp/v2/posts",
                    &[
                        ("status", "publish,future,draft,pending,private,trash"),
                        ("context", "edit"),
                        ("per_page", "100"),
                        ("page", &page_text),
                    ],
                )
                .await?;
            let batch = json
                .as_array()
                .with_context(|| format!("the posts list is not an array: {json}"))?;
            posts.extend(batch.iter().cloned());
            let pages: u32 = headers
                .get("x-wp-totalpages")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            if page >= pages {
                return Ok(posts);
            }
            page += 1;
        }
    }

    /// Runs WP-Cron's due events now (publishes scheduled posts whose time has come): WP-Cron
    /// never runs by itself here.
    pub async fn run_cron(&self) -> anyhow::Result<()> {
        reqwest::Client::new()
            .get(format!("{}/wp-cron.php?doing_wp_cron", self.base_url()))
            .send()
            .await
            .context("GET wp-cron.php")?
            .error_for_status()
            .context("wp-cron.php")?;
        Ok(())
    }

    /// Creates a user with `role` (`subscriber`, `contributor`, `author`, `editor`,
    /// `administrator`) and an application password for it: `(username, app password)`.
    pub fn add_user(&self, username: &str, role: &str) -> anyhow::Result<(String, String)> {
        let created = php_json(&self.site_dir(), "barta-add-user.php", &[username, role])
            .with_context(|| format!("adding the WordPress user {username} ({role})"))?;
        let password = created["password"]
            .as_str()
            .with_context(|| format!("no application password in {created}"))?;
        Ok((username.to_string(), password.to_string()))
    }
}
