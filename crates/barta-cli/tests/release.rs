//! `barta release add|list|remove` as an IT person runs them, with packages signed here by a
//! throwaway minisign key in the Tauri signer's form (the `minisign` crate: nothing leaves this
//! machine): what is kept and where, the refusals and their exit codes (2 bad usage, 1 a
//! signature that is not one or does not verify, 3 already exists), and `barta serve` offering
//! what was added under its `--public-url`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn barta(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_barta"))
        .args(args)
        .arg("--data")
        .arg(data)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs `barta ARGS --data DATA`, checks its exit code and that stderr says `stderr_has`;
/// returns stdout.
fn check(data: &Path, args: &[&str], code: i32, stderr_has: &str) -> String {
    let out = barta(data, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(stderr_has), "{args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// A throwaway updater key pair, written as the Tauri signer writes its files.
struct Signer {
    pk: minisign::PublicKey,
    sk: minisign::SecretKey,
}

impl Signer {
    fn new() -> Self {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        Self {
            pk: pair.pk,
            sk: pair.sk,
        }
    }

    /// The `.pub` file: base64 of minisign's public key text (tauri.conf.json's `pubkey`).
    fn write_public_key(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(
            &path,
            STANDARD.encode(self.pk.to_box().unwrap().to_string()),
        )
        .unwrap();
        path
    }

    /// `FILE.sig` beside `file`: base64 of the minisign signature of `bytes`.
    fn write_signature(&self, file: &Path, bytes: &[u8], version: &str) -> PathBuf {
        let name = file.file_name().unwrap().to_string_lossy();
        let trusted = format!("timestamp:1754000000\tfile:{name}\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.pk),
            &self.sk,
            bytes,
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        let path = PathBuf::from(format!("{}.sig", file.display()));
        std::fs::write(&path, STANDARD.encode(signature.to_string())).unwrap();
        path
    }
}

/// A package of `len` bytes at `dir/name` and its signature.
fn package(
    signer: &Signer,
    dir: &Path,
    name: &str,
    version: &str,
    len: usize,
) -> (PathBuf, PathBuf) {
    let bytes: Vec<u8> = (0..len)
        .map(|i| (i % 251) as u8 ^ name.len() as u8)
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    let signature = signer.write_signature(&path, &bytes, version);
    (path, signature)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn releases_are_added_listed_and_removed_with_their_files() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let signer = Signer::new();
    let key = signer.write_public_key(work.path(), "updater.key.pub");
    let (deb, deb_sig) = package(&signer, work.path(), "barta_0.2.0_amd64.deb", "0.2.0", 5000);
    let (rpm, rpm_sig) = package(
        &signer,
        work.path(),
        "barta-0.2.0-1.x86_64.rpm",
        "0.2.0",
        1_500_000,
    );

    let out = check(
        &data,
        &[
            "release",
            "add",
            s(&deb),
            "--signature",
            s(&deb_sig),
            "--version",
            "0.2.0",
            "--notes",
            "বানান পরীক্ষা দ্রুত\nদ্বিতীয় লাইন",
            "--target",
            "linux",
            "--arch",
            "x86_64",
            "--public-key",
            s(&key),
        ],
        0,
        "",
    );
    assert!(
        out.contains("added release 0.2.0 for linux/x86_64/deb: barta_0.2.0_amd64.deb, 5.0 kB"),
        "{out}"
    );
    // The kind of package from its name, the platform this machine's, as the updater names
    // it; no key given: added, with a note.
    check(
        &data,
        &[
            "release",
            "add",
            s(&rpm),
            "--signature",
            s(&rpm_sig),
            "--version",
            "0.2.0",
            "--notes",
            "একই সংস্করণ",
        ],
        0,
        "the signature was not checked here",
    );
    let releases = data.join("releases");
    assert_eq!(
        files_under(&releases),
        [
            "0.2.0/barta-0.2.0-1.x86_64.rpm",
            "0.2.0/barta_0.2.0_amd64.deb"
        ]
    );
    assert_eq!(
        std::fs::read(releases.join("0.2.0/barta_0.2.0_amd64.deb")).unwrap(),
        std::fs::read(&deb).unwrap()
    );

    // The same platform again: exit 3, like `user add`.
    check(
        &data,
        &[
            "release",
            "add",
            s(&deb),
            "--signature",
            s(&deb_sig),
            "--version",
            "0.2.0",
            "--notes",
            "আবার",
        ],
        3,
        "already exists",
    );

    let list = check(&data, &["release", "list"], 0, "");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    let deb_line = lines.iter().find(|l| l.contains("/deb")).unwrap();
    let fields: Vec<&str> = deb_line.split('\t').collect();
    assert_eq!(
        fields[..4],
        [
            "0.2.0",
            "linux/x86_64/deb",
            "barta_0.2.0_amd64.deb",
            "5.0 kB"
        ]
    );
    assert!(
        fields[4].ends_with('Z') && fields[4].len() == 20,
        "{deb_line}"
    );
    // The notes' first line only.
    assert_eq!(fields[5], "বানান পরীক্ষা দ্রুত");
    let host_arch = match std::env::consts::ARCH {
        "x86" => "i686",
        "arm" => "armv7",
        other => other,
    };
    assert!(
        list.contains(&format!(
            "linux/{host_arch}/rpm\tbarta-0.2.0-1.x86_64.rpm\t1.5 MB"
        )),
        "{list}"
    );

    // Remove one bundle: its file goes, the other stays.
    let out = check(
        &data,
        &["release", "remove", "0.2.0", "--bundle", "deb"],
        0,
        "",
    );
    assert!(
        out.contains("removed release 0.2.0 for linux/x86_64/deb"),
        "{out}"
    );
    assert_eq!(files_under(&releases), ["0.2.0/barta-0.2.0-1.x86_64.rpm"]);
    // Nothing of another arch to remove.
    check(
        &data,
        &["release", "remove", "0.2.0", "--arch", "aarch64"],
        1,
        "no release 0.2.0 for */aarch64/*",
    );
    check(&data, &["release", "remove", "0.2.0"], 0, "");
    assert!(files_under(&releases).is_empty());
    assert!(
        !releases.join("0.2.0").exists(),
        "the version's folder is gone"
    );
    let list = check(&data, &["release", "list"], 0, "");
    assert!(list.starts_with("no releases"), "{list}");
    check(
        &data,
        &["release", "remove", "0.2.0"],
        1,
        "no release 0.2.0",
    );
    check(
        &data,
        &["release", "remove", "two"],
        2,
        "not a semantic version",
    );
}

#[test]
fn bad_releases_are_refused_and_nothing_is_kept() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let signer = Signer::new();
    let stranger = Signer::new();
    let key = signer.write_public_key(work.path(), "updater.key.pub");
    let other_key = stranger.write_public_key(work.path(), "other.key.pub");
    let (deb, deb_sig) = package(
        &signer,
        work.path(),
        "barta_0.3.0_amd64.deb",
        "0.3.0",
        70_000,
    );
    let add = |file: &Path, sig: &Path, version: &str, extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "release",
            "add",
            s(file),
            "--signature",
            s(sig),
            "--version",
            version,
            "--notes",
            "নোট",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let run = |args: Vec<String>, code: i32, says: &str| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        check(&data, &refs, code, says);
    };

    // Bad usage: exit 2.
    run(
        add(&deb, &deb_sig, "0.3", &[]),
        2,
        "\"0.3\" is not a semantic version",
    );
    run(
        add(&deb, &deb_sig, "0.3.0", &["--target", "android"]),
        2,
        "unknown target",
    );
    run(
        add(&deb, &deb_sig, "0.3.0", &["--arch", "sparc"]),
        2,
        "unknown architecture",
    );
    run(
        add(&deb, &deb_sig, "0.3.0", &["--bundle", "exe"]),
        2,
        "unknown bundle",
    );
    run(
        add(&deb, &deb_sig, "0.3.0", &["--bundle", "msi"]),
        2,
        "msi packages are for windows, not for linux",
    );
    let zip = work.path().join("barta.zip");
    std::fs::write(&zip, b"zip").unwrap();
    run(add(&zip, &deb_sig, "0.3.0", &[]), 2, "--bundle");

    // Files that are not what they should be: exit 1.
    let garbage = work.path().join("garbage.sig");
    std::fs::write(&garbage, "this is not a signature").unwrap();
    run(
        add(&deb, &garbage, "0.3.0", &[]),
        1,
        "not a minisign signature",
    );
    run(
        add(&deb, &deb_sig, "0.3.0", &["--public-key", s(&garbage)]),
        1,
        "not a minisign public key",
    );
    run(
        add(&deb, &deb_sig, "0.3.1", &["--public-key", s(&key)]),
        1,
        "made for version 0.3.0, not 0.3.1",
    );
    // One byte changed after signing: refused with the key, and said so.
    let mut bytes = std::fs::read(&deb).unwrap();
    bytes[35_000] ^= 0x40;
    let tampered = work.path().join("tampered_0.3.0_amd64.deb");
    std::fs::write(&tampered, &bytes).unwrap();
    run(
        add(&tampered, &deb_sig, "0.3.0", &["--public-key", s(&key)]),
        1,
        "the signature does not verify for this file",
    );
    // Signed by a key the apps do not have.
    run(
        add(&deb, &deb_sig, "0.3.0", &["--public-key", s(&other_key)]),
        1,
        "does not verify",
    );
    let list = check(&data, &["release", "list"], 0, "");
    assert!(list.starts_with("no releases"), "{list}");
    assert!(
        files_under(&data.join("releases")).is_empty(),
        "{:?}",
        files_under(&data.join("releases"))
    );

    // The real thing passes.
    run(
        add(&deb, &deb_sig, "0.3.0", &["--public-key", s(&key)]),
        0,
        "",
    );
    assert_eq!(
        files_under(&data.join("releases")),
        ["0.3.0/barta_0.3.0_amd64.deb"]
    );
}

/// Kills the server if the test fails before it is stopped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str, header: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    (head, answer[split + 4..].to_vec())
}

#[test]
fn serve_offers_what_was_added_under_its_public_url() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let signer = Signer::new();
    let key = signer.write_public_key(work.path(), "updater.key.pub");
    let (deb, deb_sig) = package(&signer, work.path(), "barta_0.4.0_amd64.deb", "0.4.0", 9000);
    check(
        &data,
        &[
            "release",
            "add",
            s(&deb),
            "--signature",
            s(&deb_sig),
            "--version",
            "0.4.0",
            "--notes",
            "নতুন",
            "--public-key",
            s(&key),
        ],
        0,
        "",
    );

    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_barta"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--min-client-version",
                "0.4.0",
                "--public-url",
                "https://barta.example.com/",
                "--data",
            ])
            .arg(&data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();

    // An app older than the server's minimum still learns of the update.
    let old = "x-barta-client-version: 0.3.0\r\n";
    let (head, body) = http_get(&addr, "/v1/app/update/linux/x86_64/0.3.0?bundle=deb", old);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains(
            r#""url":"https://barta.example.com/v1/app/releases/0.4.0/barta_0.4.0_amd64.deb""#
        ),
        "{body}"
    );
    let signature = std::fs::read_to_string(&deb_sig).unwrap();
    assert!(
        body.contains(&format!(r#""signature":"{signature}""#)),
        "{body}"
    );
    let (head, _) = http_get(&addr, "/v1/app/update/linux/x86_64/0.4.0?bundle=deb", old);
    assert!(head.starts_with("HTTP/1.1 204"), "{head}");
    let (head, bytes) = http_get(&addr, "/v1/app/releases/0.4.0/barta_0.4.0_amd64.deb", old);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("content-length: 9000"),
        "{head}"
    );
    assert_eq!(bytes, std::fs::read(&deb).unwrap());
    let _ = child.0.kill();
}
