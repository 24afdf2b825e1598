//! App updates from the newsroom's server: releases kept by `barta_server::releases` (signed
//! with a throwaway minisign key made here, in the Tauri signer's form), offered by
//! `GET /v1/app/update/{target}/{arch}/{current_version}` in tauri-plugin-updater's JSON, and
//! streamed by `GET /v1/app/releases/{version}/{file}` — never from outside the releases
//! folder, and to apps too old for the server as well.

mod common;

use barta_server::ServerConfig;
use barta_server::releases::{self, Bundle, NewRelease, ReleaseError, ReleaseFiles};
use barta_server::store::{ReleaseFilter, StoreError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{TestServer, expect_error};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A throwaway updater key pair.
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

    /// The public key as tauri.conf.json's `plugins.updater.pubkey` holds it.
    fn public_key(&self) -> String {
        STANDARD.encode(self.pk.to_box().unwrap().to_string())
    }

    /// A `.sig` file's text as the Tauri signer writes it: base64 of the minisign signature,
    /// whose trusted comment names the file and the version.
    fn sign(&self, bytes: &[u8], file: &str, version: &str) -> String {
        let trusted = format!("timestamp:1754000000\tfile:{file}\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.pk),
            &self.sk,
            bytes,
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        STANDARD.encode(signature.to_string())
    }
}

/// Bytes that differ from release to release (and are not all one byte).
fn package_bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect()
}

struct Added {
    bytes: Vec<u8>,
    signature: String,
}

/// Writes a package and its signature into `dir` and adds it as a release, checked against
/// the signer's public key.
#[allow(clippy::too_many_arguments)]
fn add(
    server: &TestServer,
    signer: &Signer,
    dir: &Path,
    version: &str,
    arch: &str,
    file_name: &str,
    len: usize,
    notes: &str,
) -> Added {
    let bytes = package_bytes(version.len() as u8 ^ len as u8, len);
    let path = dir.join(file_name);
    std::fs::write(&path, &bytes).unwrap();
    let signature = signer.sign(&bytes, file_name, version);
    let key = signer.public_key();
    let target = Bundle::from_file_name(file_name).unwrap().target();
    let record = releases::add(
        server.store.as_ref(),
        &ReleaseFiles::for_data_dir(server.data()),
        &NewRelease {
            file: &path,
            signature: &signature,
            version,
            notes,
            target,
            arch,
            bundle: None,
            public_key: Some(&key),
        },
    )
    .unwrap();
    assert_eq!(record.file_name, file_name);
    assert_eq!(record.size, len as u64);
    Added { bytes, signature }
}

async fn check(server: &TestServer, path: &str) -> (StatusCode, Value) {
    let resp = server.client.get(server.url(path)).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    (status, body)
}

/// The version an update check offers, or `None` on 204.
async fn offered(server: &TestServer, path: &str) -> Option<String> {
    match check(server, path).await {
        (StatusCode::OK, body) => Some(body["version"].as_str().unwrap().to_string()),
        (StatusCode::NO_CONTENT, body) => {
            assert_eq!(body, Value::Null);
            None
        }
        (status, body) => panic!("{path}: {status} {body}"),
    }
}

/// One request exactly as written (reqwest would resolve `..` segments itself), answered
/// with its status and body.
async fn raw_get(server: &TestServer, path: &str) -> (u16, String) {
    let addr = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{answer}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn the_newest_newer_release_is_offered_in_the_plugins_form_and_downloads_whole() {
    let server = TestServer::start().await;
    let signer = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    let notes = "নতুন\u{200B} সংস্করণ: বানান পরীক্ষা দ্রুত\nদ্বিতীয় লাইন";
    assert_ne!(bangla::normalize(notes), notes);
    add(
        &server,
        &signer,
        dir.path(),
        "0.2.0",
        "x86_64",
        "barta_0.2.0_amd64.deb",
        1000,
        "পুরনো",
    );
    // Larger than one read of the stream, and not a multiple of it.
    let newest = add(
        &server,
        &signer,
        dir.path(),
        "0.3.0",
        "x86_64",
        "barta_0.3.0_amd64.deb",
        3 * 1024 * 1024 + 17,
        notes,
    );
    add(
        &server,
        &signer,
        dir.path(),
        "0.2.5",
        "x86_64",
        "barta_0.2.5_amd64.deb",
        500,
        "মাঝের",
    );

    let (status, body) = check(&server, "/v1/app/update/linux/x86_64/0.1.0?bundle=deb").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fields: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, ["notes", "pub_date", "signature", "url", "version"]);
    assert_eq!(body["version"], "0.3.0");
    assert_eq!(body["notes"], bangla::normalize(notes));
    assert_eq!(body["signature"], newest.signature);
    let url = body["url"].as_str().unwrap();
    assert_eq!(
        url,
        server.url("/v1/app/releases/0.3.0/barta_0.3.0_amd64.deb")
    );
    let date = chrono::DateTime::parse_from_rfc3339(body["pub_date"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - date.to_utc()).num_seconds().abs() < 300);
    // The plugin decodes the signature to minisign's text.
    let decoded = String::from_utf8(
        STANDARD
            .decode(body["signature"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(decoded.contains("version:0.3.0"), "{decoded}");

    let resp = server.client.get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        resp.headers()["content-length"],
        newest.bytes.len().to_string().as_str()
    );
    let got = resp.bytes().await.unwrap();
    assert_eq!(got.len(), newest.bytes.len());
    assert!(got[..] == newest.bytes[..], "the downloaded bytes differ");

    // Older apps get the newest; an app at it or beyond gets 204.
    for (current, expected) in [
        ("0.2.0", Some("0.3.0")),
        ("0.2.5", Some("0.3.0")),
        ("0.3.0-rc.1", Some("0.3.0")),
        ("0.3.0", None),
        ("0.3.1", None),
        ("1.0.0", None),
    ] {
        let path = format!("/v1/app/update/linux/x86_64/{current}?bundle=deb");
        assert_eq!(
            offered(&server, &path).await.as_deref(),
            expected,
            "{current}"
        );
    }
    // The plugin percent-encodes `+` of a build's metadata.
    assert_eq!(
        offered(&server, "/v1/app/update/linux/x86_64/0.2.5%2Bbuild.7")
            .await
            .as_deref(),
        Some("0.3.0")
    );
}

#[tokio::test]
async fn platforms_and_bundles_are_kept_apart() {
    let server = TestServer::start().await;
    let signer = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    add(
        &server,
        &signer,
        dir.path(),
        "0.3.0",
        "x86_64",
        "barta_0.3.0_amd64.deb",
        10,
        "",
    );
    add(
        &server,
        &signer,
        dir.path(),
        "0.4.0",
        "x86_64",
        "barta-0.4.0-1.x86_64.rpm",
        10,
        "",
    );
    add(
        &server,
        &signer,
        dir.path(),
        "0.3.0",
        "x86_64",
        "barta_0.3.0_amd64.AppImage",
        10,
        "",
    );
    add(
        &server,
        &signer,
        dir.path(),
        "0.5.0",
        "aarch64",
        "barta_0.5.0_arm64.AppImage",
        10,
        "",
    );
    add(
        &server,
        &signer,
        dir.path(),
        "0.6.0",
        "x86_64",
        "Barta_0.6.0_x64-setup.exe",
        10,
        "",
    );

    let at = |query: &str| format!("/v1/app/update/linux/x86_64/0.1.0{query}");
    assert_eq!(
        offered(&server, &at("?bundle=deb")).await.as_deref(),
        Some("0.3.0")
    );
    assert_eq!(
        offered(&server, &at("?bundle=rpm")).await.as_deref(),
        Some("0.4.0")
    );
    assert_eq!(
        offered(&server, &at("?bundle=appimage")).await.as_deref(),
        Some("0.3.0")
    );
    assert_eq!(offered(&server, &at("?bundle=msi")).await, None);
    // No bundle named (or the plugin's `unknown`): the newest of any bundle.
    assert_eq!(offered(&server, &at("")).await.as_deref(), Some("0.4.0"));
    assert_eq!(
        offered(&server, &at("?bundle=unknown")).await.as_deref(),
        Some("0.4.0")
    );
    assert_eq!(
        offered(
            &server,
            "/v1/app/update/linux/aarch64/0.1.0?bundle=appimage"
        )
        .await
        .as_deref(),
        Some("0.5.0")
    );
    assert_eq!(
        offered(&server, "/v1/app/update/linux/aarch64/0.1.0?bundle=deb").await,
        None
    );
    assert_eq!(
        offered(&server, "/v1/app/update/windows/x86_64/0.1.0?bundle=nsis")
            .await
            .as_deref(),
        Some("0.6.0")
    );
    assert_eq!(
        offered(&server, "/v1/app/update/darwin/x86_64/0.1.0").await,
        None
    );

    // At one version, an app that names no bundle gets the plugin's default format first.
    let (_, body) = check(&server, "/v1/app/update/linux/x86_64/0.3.0-alpha").await;
    assert_eq!(body["version"], "0.4.0");
    let (_, body) = check(&server, "/v1/app/update/linux/x86_64/0.2.0?bundle=unknown").await;
    assert_eq!(body["version"], "0.4.0");
    server
        .store
        .remove_releases(&ReleaseFilter {
            version: Some("0.4.0".into()),
            ..ReleaseFilter::default()
        })
        .unwrap();
    let (_, body) = check(&server, "/v1/app/update/linux/x86_64/0.2.0").await;
    assert_eq!(body["version"], "0.3.0");
    assert!(
        body["url"]
            .as_str()
            .unwrap()
            .ends_with("/barta_0.3.0_amd64.AppImage"),
        "{body}"
    );
}

#[tokio::test]
async fn bad_update_checks_are_refused_in_the_apis_words() {
    let server = TestServer::start().await;
    for (path, mentions) in [
        ("/v1/app/update/linux/x86_64/1.0", "1.0"),
        ("/v1/app/update/linux/x86_64/latest", "latest"),
        ("/v1/app/update/linux/x86_64/v1.0.0", "v1.0.0"),
        ("/v1/app/update/android/x86_64/1.0.0", "android"),
        ("/v1/app/update/linux/sparc/1.0.0", "sparc"),
        ("/v1/app/update/linux/x86_64/1.0.0?bundle=exe", "exe"),
    ] {
        let resp = server.client.get(server.url(path)).send().await.unwrap();
        let message = expect_error(resp, StatusCode::BAD_REQUEST, "bad_request").await;
        assert!(message.contains(mentions), "{path}: {message}");
    }
}

#[tokio::test]
async fn downloads_never_leave_the_releases_folder() {
    let server = TestServer::start().await;
    let signer = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    add(
        &server,
        &signer,
        dir.path(),
        "0.3.0",
        "x86_64",
        "barta_0.3.0_amd64.deb",
        100,
        "",
    );
    // A file in the version's folder that no release records, and the database beside it.
    let folder = server.data().join("releases").join("0.3.0");
    std::fs::write(folder.join("stray.deb"), b"stray").unwrap();
    // The database file (on PostgreSQL, a stand-in with the same name: what matters is a
    // file beside the releases that must never be served).
    let beside = server.data().join("barta.sqlite3");
    if server.sqlite.is_none() {
        std::fs::write(&beside, b"not for download").unwrap();
    }
    assert!(beside.exists());

    let (status, _) = raw_get(&server, "/v1/app/releases/0.3.0/barta_0.3.0_amd64.deb").await;
    assert_eq!(status, 200);
    for path in [
        "/v1/app/releases/0.3.0/..%2F..%2Fbarta.sqlite3",
        "/v1/app/releases/0.3.0/..%2f..%2fbarta.sqlite3",
        "/v1/app/releases/..%2F..%2F/barta.sqlite3",
        "/v1/app/releases/..%2F..%2Fbarta.sqlite3/x",
        "/v1/app/releases/0.3.0/%2E%2E",
        "/v1/app/releases/0.3.0/..",
        "/v1/app/releases/0.3.0/%2Fetc%2Fpasswd",
        "/v1/app/releases/0.3.0/stray.deb",
        "/v1/app/releases/0.3.0/missing.deb",
        "/v1/app/releases/0.2.0/barta_0.3.0_amd64.deb",
        "/v1/app/releases/v0.3.0/barta_0.3.0_amd64.deb",
    ] {
        let (status, body) = raw_get(&server, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(body.contains("not_found"), "{path}: {body}");
        assert!(!body.contains("SQLite format"), "{path}");
    }
    // Plain `..` segments make a path of more segments than the route has: no route.
    let (status, _) = raw_get(&server, "/v1/app/releases/0.3.0/../../../barta.sqlite3").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn apps_too_old_for_the_server_can_still_update() {
    let server = TestServer::start_with(ServerConfig {
        min_client_version: Some(semver::Version::new(1, 0, 0)),
        ..ServerConfig::default()
    })
    .await;
    let signer = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    add(
        &server,
        &signer,
        dir.path(),
        "1.0.0",
        "x86_64",
        "barta_1.0.0_amd64.deb",
        64,
        "",
    );
    let old = |path: &str| {
        server
            .client
            .get(server.url(path))
            .header("x-barta-client-version", "0.1.0")
    };

    // The gate is up for the rest of the API…
    let resp = old("/v1/me")
        .bearer_auth(server.token("rahim"))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UPGRADE_REQUIRED, "client_too_old").await;
    // …but not for updates.
    let resp = old("/v1/app/update/linux/x86_64/0.1.0?bundle=deb")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let update: Value = resp.json().await.unwrap();
    assert_eq!(update["version"], "1.0.0");
    let resp = old(&format!(
        "/v1/app/releases/1.0.0/{}",
        update["url"].as_str().unwrap().rsplit('/').next().unwrap()
    ))
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.bytes().await.unwrap().len(), 64);
}

#[tokio::test]
async fn the_public_url_makes_the_download_address() {
    let server = TestServer::start_with(ServerConfig {
        public_url: Some(
            releases::parse_public_url("https://barta.example.com/newsroom/").unwrap(),
        ),
        ..ServerConfig::default()
    })
    .await;
    let signer = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    add(
        &server,
        &signer,
        dir.path(),
        "0.2.0",
        "x86_64",
        "barta_0.2.0_amd64.deb",
        10,
        "",
    );
    let (status, body) = check(&server, "/v1/app/update/linux/x86_64/0.1.0?bundle=deb").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["url"],
        "https://barta.example.com/newsroom/v1/app/releases/0.2.0/barta_0.2.0_amd64.deb"
    );
}

/// What is in the releases folder, as paths under it.
fn kept_files(server: &TestServer) -> Vec<PathBuf> {
    let root = server.data().join("releases");
    let mut found = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.push(path.strip_prefix(&root).unwrap().to_path_buf());
                stack.push(path);
            } else {
                found.push(path.strip_prefix(&root).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn releases_are_checked_before_anything_is_kept_and_removed_whole() {
    let server = TestServer::start().await;
    let signer = Signer::new();
    let other = Signer::new();
    let dir = tempfile::tempdir().unwrap();
    let files = ReleaseFiles::for_data_dir(server.data());
    let bytes = package_bytes(7, 5000);
    let path = dir.path().join("barta_0.3.0_amd64.deb");
    std::fs::write(&path, &bytes).unwrap();
    let good = signer.sign(&bytes, "barta_0.3.0_amd64.deb", "0.3.0");
    let key = signer.public_key();
    let new = NewRelease {
        file: &path,
        signature: &good,
        version: "0.3.0",
        notes: "",
        target: "linux",
        arch: "x86_64",
        bundle: None,
        public_key: Some(&key),
    };
    let add = |new: &NewRelease<'_>| releases::add(server.store.as_ref(), &files, new);

    // One byte changed: the signature no longer verifies.
    let mut tampered = bytes.clone();
    tampered[2500] ^= 1;
    let tampered_path = dir.path().join("tampered.deb");
    std::fs::write(&tampered_path, &tampered).unwrap();
    let err = add(&NewRelease {
        file: &tampered_path,
        ..new.clone()
    })
    .unwrap_err();
    assert!(matches!(err, ReleaseError::DoesNotVerify(_)), "{err}");
    // Signed with another key.
    let stranger = other.sign(&bytes, "barta_0.3.0_amd64.deb", "0.3.0");
    let err = add(&NewRelease {
        signature: &stranger,
        ..new.clone()
    })
    .unwrap_err();
    assert!(matches!(err, ReleaseError::DoesNotVerify(_)), "{err}");
    // Signed for another version: the apps would refuse it.
    let other_version = signer.sign(&bytes, "barta_0.3.0_amd64.deb", "0.2.0");
    let err = add(&NewRelease {
        signature: &other_version,
        ..new.clone()
    })
    .unwrap_err();
    assert!(
        matches!(err, ReleaseError::SignedVersionMismatch { .. }),
        "{err}"
    );
    // Not a signature; not semver; a Debian package for Windows.
    let err = add(&NewRelease {
        signature: "untrusted comment: x\nnot base64\n",
        ..new.clone()
    })
    .unwrap_err();
    assert!(matches!(err, ReleaseError::NotASignature(_)), "{err}");
    let err = add(&NewRelease {
        version: "0.3",
        ..new.clone()
    })
    .unwrap_err();
    assert!(matches!(err, ReleaseError::NotSemver(_)), "{err}");
    let err = add(&NewRelease {
        target: "windows",
        ..new.clone()
    })
    .unwrap_err();
    assert!(matches!(err, ReleaseError::WrongTarget { .. }), "{err}");
    assert!(
        server
            .store
            .releases(&ReleaseFilter::default())
            .unwrap()
            .is_empty()
    );
    // The refused copies left nothing behind (not even a temporary file).
    let root = server.data().join("releases");
    assert!(
        kept_files(&server).iter().all(|p| root.join(p).is_dir()),
        "{:?}",
        kept_files(&server)
    );

    // Accepted; then the same platform again, or the same file name, already exists.
    add(&new).unwrap();
    let err = add(&new).unwrap_err();
    assert!(
        matches!(err, ReleaseError::Store(StoreError::AlreadyExists(_))),
        "{err}"
    );
    let err = add(&NewRelease {
        arch: "aarch64",
        ..new.clone()
    })
    .unwrap_err();
    assert!(
        matches!(err, ReleaseError::Store(StoreError::AlreadyExists(_))),
        "{err}"
    );
    let rpm = dir.path().join("barta-0.3.0-1.x86_64.rpm");
    std::fs::write(&rpm, &bytes).unwrap();
    let rpm_signature = signer.sign(&bytes, "barta-0.3.0-1.x86_64.rpm", "0.3.0");
    add(&NewRelease {
        file: &rpm,
        signature: &rpm_signature,
        ..new.clone()
    })
    .unwrap();
    assert_eq!(
        kept_files(&server),
        [
            PathBuf::from("0.3.0"),
            PathBuf::from("0.3.0/barta-0.3.0-1.x86_64.rpm"),
            PathBuf::from("0.3.0/barta_0.3.0_amd64.deb"),
        ]
    );
    assert_eq!(
        std::fs::read(server.data().join("releases/0.3.0/barta_0.3.0_amd64.deb")).unwrap(),
        bytes
    );

    // Removing one bundle keeps the other; removing the version removes its folder.
    let removed = releases::remove(
        server.store.as_ref(),
        &files,
        &ReleaseFilter {
            version: Some("0.3.0".into()),
            bundle: Some("deb".into()),
            ..ReleaseFilter::default()
        },
    )
    .unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(
        kept_files(&server),
        [
            PathBuf::from("0.3.0"),
            PathBuf::from("0.3.0/barta-0.3.0-1.x86_64.rpm")
        ]
    );
    let (status, _) = check(&server, "/v1/app/releases/0.3.0/barta_0.3.0_amd64.deb").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let removed = releases::remove(
        server.store.as_ref(),
        &files,
        &ReleaseFilter {
            version: Some("0.3.0".into()),
            ..ReleaseFilter::default()
        },
    )
    .unwrap();
    assert_eq!(removed.len(), 1);
    assert!(kept_files(&server).is_empty(), "{:?}", kept_files(&server));
    assert_eq!(
        offered(&server, "/v1/app/update/linux/x86_64/0.1.0").await,
        None
    );
}
