//! The built `barta` binary: desk and user administration (with the "already exists" exit code
//! 3 that makes set-up scripts rerunnable), and `barta serve` printing its listening line,
//! answering, and exiting cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn barta(data: &Path, args: &[&str], stdin: &str) -> Output {
    let data = data.to_str().unwrap();
    let with_data: Vec<&str> = args.iter().copied().chain(["--data", data]).collect();
    barta_bare(&with_data, stdin)
}

fn check(data: &Path, args: &[&str], stdin: &str, code: i32, stderr_has: &str) {
    let out = barta(data, args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(stderr_has), "{args:?}: {stderr}");
}

#[test]
fn desks_and_users() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    check(
        data,
        &["desk", "add", "national", "--name", "জাতীয় ডেস্ক"],
        "",
        0,
        "",
    );
    check(
        data,
        &["desk", "add", "national", "--name", "আবার"],
        "",
        3,
        "already exists",
    );
    check(
        data,
        &["desk", "add", "Bad Slug", "--name", "x"],
        "",
        1,
        "invalid desk slug",
    );
    check(
        data,
        &["desk", "add", "sports", "--name", "  "],
        "",
        1,
        "must not be empty",
    );

    let add_rahim = [
        "user",
        "add",
        "rahim",
        "--role",
        "reporter",
        "--desk",
        "national",
        "--password-stdin",
    ];
    check(data, &add_rahim, "গোপন কথা\n", 0, "");
    check(data, &add_rahim, "other\n", 3, "already exists");
    check(
        data,
        &["user", "add", "x", "--role", "boss", "--password-stdin"],
        "pw\n",
        2,
        "unknown role",
    );
    check(
        data,
        &[
            "user",
            "add",
            "x",
            "--role",
            "editor",
            "--desk",
            "nowhere",
            "--password-stdin",
        ],
        "pw\n",
        1,
        "unknown desk \"nowhere\"",
    );
    check(
        data,
        &["user", "add", "x", "--role", "editor", "--password-stdin"],
        "\n",
        1,
        "password must not be empty",
    );
    check(
        data,
        &["user", "add", "x", "--role", "editor", "--password-stdin"],
        "",
        1,
        "password must not be empty",
    );
    check(
        data,
        &["user", "add", "x", "--role", "editor"],
        "pw\n",
        2,
        "--password-stdin",
    );
    check(
        data,
        &["user", "add", "a b", "--role", "editor", "--password-stdin"],
        "pw\n",
        1,
        "invalid username",
    );
}

/// Kills the child if the test fails before it exits.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_prints_its_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_barta"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(!addr.ends_with(":0"), "{addr}");

    let answer = http_get(&addr, "/healthz");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#"{"status":"ok","store":"ok","service":"barta","api":1,"#),
        "{answer}"
    );
    let answer = http_get(&addr, "/v1/me");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains(r#""code":"unauthorized""#), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.0.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "barta serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "exactly one line on stdout");
}

#[test]
fn serve_refuses_a_newer_database() {
    let dir = tempfile::tempdir().unwrap();
    check(
        dir.path(),
        &["desk", "add", "national", "--name", "জাতীয়"],
        "",
        0,
        "",
    );
    let db = dir.path().join("barta.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let out = Command::new(env!("CARGO_BIN_EXE_barta"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("schema version 999"), "{stderr}");
}

#[test]
fn serve_refuses_an_unknown_failpoint() {
    // A misspelt test failpoint must not start a server that never crashes.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_barta"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env("BARTA_FAILPOINT", "commit")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "never listened");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("revision-commit-abort"), "{stderr}");
}

#[test]
fn newsroom_settings_are_set_and_shown_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let shown = |expected: &str| {
        let out = barta(data, &["newsroom", "show"], "");
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected);
    };
    shown("spelling.style = off\nsync.window-days = 30");
    check(
        data,
        &["newsroom", "set", "spelling.style", "on"],
        "",
        0,
        "",
    );
    check(
        data,
        &["newsroom", "set", "sync.window-days", "7"],
        "",
        0,
        "",
    );
    shown("spelling.style = on\nsync.window-days = 7");
    for (setting, bad, said) in [
        ("spelling.style", "maybe", "on or off"),
        ("sync.window-days", "-1", "number of days from 0 to 3650"),
        ("sync.window-days", "3651", "number of days from 0 to 3650"),
        ("sync.window-days", "সাত", "number of days from 0 to 3650"),
        ("colour", "on", "invalid value"),
    ] {
        check(data, &["newsroom", "set", setting, bad], "", 2, said);
    }
    check(
        data,
        &["newsroom", "set", "spelling.style", "off"],
        "",
        0,
        "",
    );
    shown("spelling.style = off\nsync.window-days = 7");
}

/// Runs `barta` with exactly these arguments (the text tools take no `--data`).
fn barta_bare(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_barta"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit before reading stdin (usage errors): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn lexicon_build_checks_and_installs_word_frequencies() {
    // The frequency file scripts/setup installs (from the wordfreq wheel pinned by hash).
    let installed = Path::new("/usr/share/barta/lexicon/wordfreq-bn.msgpack.gz");
    assert!(
        installed.is_file(),
        "{} is missing: run scripts/setup",
        installed.display()
    );
    let root = std::env::temp_dir().join(format!("barta-cli-lexicon-{}", std::process::id()));
    let dir = root.join("lexicon");
    let bad = root.join("bad.msgpack.gz");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(&bad, b"not wordfreq").unwrap();
    let build = |frequencies: &Path| {
        let args = ["text", "lexicon", "build", "--out", dir.to_str().unwrap()];
        let with: Vec<&str> = args
            .into_iter()
            .chain(["--frequencies", frequencies.to_str().unwrap()])
            .collect();
        barta_bare(&with, "")
    };
    let out = build(&bad);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a bad frequency file was taken: {stderr}"
    );
    assert!(stderr.contains("bad.msgpack.gz"), "{stderr}");
    assert!(!dir.join("wordfreq-bn.msgpack.gz").exists());

    let out = build(installed);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("wordfreq-bn.msgpack.gz").is_file());
    // With only that directory's words, the web list's দক্ষিন is a misspelling of দক্ষিণ.
    let out = barta_bare(
        &["text", "spell", "--lexicon", dir.to_str().unwrap()],
        "দক্ষিন দিকে\nদক্ষিণ দিকে\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].contains("দক্ষিন") && lines[0].contains("দক্ষিণ"),
        "{stdout}"
    );
    assert_eq!(lines[1], "[]", "{stdout}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_lost_laptop_is_cut_off_from_the_command_line() {
    use barta_server::Store;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    check(
        data,
        &["desk", "add", "national", "--name", "জাতীয়"],
        "",
        0,
        "",
    );
    let add = [
        "user", "add", "rahim", "--role", "reporter", "--desk", "national",
    ];
    let with_stdin: Vec<&str> = add.into_iter().chain(["--password-stdin"]).collect();
    check(data, &with_stdin, "গোপন-pass\n", 0, "");
    // Two sessions, as two logins from the app would make them.
    let tokens: Vec<String> = {
        let store = barta_server::SqliteStore::open(data).unwrap();
        let user = store.credentials("rahim").unwrap().unwrap().user.id;
        (0..2)
            .map(|_| {
                let (token, sha) = barta_server::auth::new_token();
                let expires = chrono::Utc::now().timestamp() + 3600;
                store.create_token(user, &sha, expires).unwrap();
                token
            })
            .collect()
    };

    let out = barta(data, &["user", "list"], "");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        list.lines()
            .any(|l| l.starts_with("rahim\treporter\tnational\tactive\t2\t")),
        "{list}"
    );
    let out = barta(data, &["session", "list", "--user", "rahim"], "");
    let sessions = String::from_utf8_lossy(&out.stdout);
    assert_eq!(sessions.lines().count(), 3, "{sessions}");
    for t in &tokens {
        assert!(!sessions.contains(t.as_str()), "a token was printed");
    }

    check(data, &["session", "revoke"], "", 2, "--user");
    check(
        data,
        &["session", "revoke", "--user", "nobody"],
        "",
        1,
        "no user \"nobody\"",
    );
    let out = barta(data, &["session", "revoke", "--user", "rahim"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked 2 session(s) of rahim"));
    let out = barta(data, &["session", "list"], "");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);

    // Moved to the editors' bench, on another desk: from the next request on.
    check(data, &["desk", "add", "sports", "--name", "খেলা"], "", 0, "");
    check(data, &["user", "set", "rahim"], "", 2, "--role");
    check(
        data,
        &["user", "set", "rahim", "--desk", "nope"],
        "",
        1,
        "unknown desk",
    );
    let out = barta(
        data,
        &[
            "user", "set", "rahim", "--role", "editor", "--desk", "sports",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("rahim is now editor; desks: sports"));
    let out = barta(data, &["user", "set", "rahim", "--no-desks"], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("no desks"));
    check(
        data,
        &["user", "set", "nobody", "--role", "admin"],
        "",
        1,
        "no user",
    );

    check(data, &["user", "disable", "rahim"], "", 0, "");
    let out = barta(data, &["user", "list"], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\tdisabled\t"));
    check(data, &["user", "enable", "rahim"], "", 0, "");
    check(
        data,
        &["user", "passwd", "rahim"],
        "x\n",
        2,
        "--password-stdin",
    );
    check(
        data,
        &["user", "passwd", "rahim", "--password-stdin"],
        "\n",
        1,
        "must not be empty",
    );
    check(
        data,
        &["user", "passwd", "rahim", "--password-stdin"],
        "নতুন\n",
        0,
        "",
    );
    let store = barta_server::SqliteStore::open(data).unwrap();
    let credentials = store.credentials("rahim").unwrap().unwrap();
    assert!(barta_server::auth::verify_password(
        "নতুন",
        &credentials.password_hash
    ));
    assert!(!credentials.disabled);
}

#[test]
fn a_tampered_audit_entry_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    check(
        data,
        &["desk", "add", "national", "--name", "জাতীয়"],
        "",
        0,
        "",
    );
    let add = [
        "user",
        "add",
        "rahim",
        "--role",
        "reporter",
        "--desk",
        "national",
        "--password-stdin",
    ];
    check(data, &add, "গোপন-pass\n", 0, "");
    check(data, &["user", "disable", "rahim"], "", 0, "");
    check(data, &["session", "revoke", "--all"], "", 0, "");

    // The admin commands are in the trail, by whom and about what.
    let out = barta(data, &["audit", "--json"], "");
    assert!(out.status.success());
    let entries: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["desk_add", "user_add", "user_disable", "session_revoke"]
    );
    assert_eq!(entries[2]["detail"], "rahim");
    let out = barta(
        data,
        &["audit", "--since", "2000-01-01", "--user", "nobody"],
        "",
    );
    assert!(out.status.success() && out.stdout.is_empty());
    check(
        data,
        &["audit", "--since", "yesterday"],
        "",
        2,
        "neither an RFC 3339 time",
    );

    let out = barta(data, &["audit", "--verify"], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("intact: 4 entries"), "{said}");

    // Someone with the database file removes the append-only guard and rewrites an entry:
    // that the account was disabled, say.
    let db = rusqlite::Connection::open(data.join("barta.sqlite3")).unwrap();
    let guarded = db.execute("UPDATE audit SET detail = 'karim' WHERE id = 3", []);
    assert!(guarded.is_err(), "the trail accepted an UPDATE");
    db.execute_batch(
        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
         UPDATE audit SET detail = 'karim' WHERE id = 3;",
    )
    .unwrap();
    drop(db);
    let out = barta(data, &["audit", "--verify"], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(said.contains("BROKEN at entry 3"), "{said}");

    // Removing an entry instead is found at the one after it.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    check(
        data,
        &["desk", "add", "national", "--name", "জাতীয়"],
        "",
        0,
        "",
    );
    check(data, &["desk", "add", "sports", "--name", "খেলা"], "", 0, "");
    check(data, &["desk", "add", "arts", "--name", "শিল্প"], "", 0, "");
    let db = rusqlite::Connection::open(data.join("barta.sqlite3")).unwrap();
    db.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;")
        .unwrap();
    drop(db);
    let out = barta(data, &["audit", "--verify"], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(said.contains("BROKEN at entry 3"), "{said}");
}
