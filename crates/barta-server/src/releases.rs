//! Releases of the desktop app, offered to the apps by the newsroom's own server (field laptops
//! often reach it but not the wider internet): `barta release add|list|remove` keep them, the
//! public routes of `crate::updates` offer and serve them to tauri-plugin-updater.
//!
//! A release is one signed package for one platform. Its row is in the store (`Store::
//! add_release`); its file is under the data directory, `DATA/releases/<version>/<file name>`
//! ([`ReleaseFiles`]): copied in under a temporary name, fsynced, and renamed once its row is
//! recorded, so a file name that is served is always a whole file. Names are sanitized to ASCII
//! letters, digits, `.`, `_`, `-` and `+` and never start with a dot; a version is a semver
//! string as `semver` writes it: neither can leave its folder.
//!
//! The signature is the `.sig` file the Tauri signer writes (base64 of a minisign signature),
//! served to the apps as it is; the apps check it against the public key built into them. When
//! the admin gives that public key (`--public-key`), the package is checked here too, with
//! `minisign-verify` (what the plugin itself uses), so a tampered file or a signature made with
//! another key is refused before any app sees it.

use crate::store::{ReleaseFilter, ReleaseRecord, Store, StoreError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use minisign_verify::{PublicKey, Signature};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// tauri-plugin-updater's `{{target}}` values.
pub const TARGETS: &[&str] = &["linux", "windows", "darwin"];
/// tauri-plugin-updater's `{{arch}}` values.
pub const ARCHES: &[&str] = &["x86_64", "aarch64", "i686", "armv7", "riscv64"];
/// The `{{bundle_type}}` the plugin sends when the binary carries no bundle marker: treated as
/// no bundle named.
pub const UNKNOWN_BUNDLE: &str = "unknown";
/// The longest file name kept.
pub const MAX_FILE_NAME: usize = 200;
/// The longest release notes kept, in bytes.
pub const MAX_NOTES: usize = 64 * 1024;

/// A kind of package, as tauri-plugin-updater names it (`{{bundle_type}}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bundle {
    AppImage,
    Deb,
    Rpm,
    Nsis,
    Msi,
    App,
}

impl Bundle {
    /// Every bundle, in the order preferred when an app names none: first the formats an
    /// updater without a bundle marker installs (AppImage on Linux, NSIS on Windows, the app
    /// on macOS).
    pub const ALL: &[Bundle] = &[
        Self::AppImage,
        Self::Deb,
        Self::Rpm,
        Self::Nsis,
        Self::Msi,
        Self::App,
    ];

    /// The plugin's name of it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppImage => "appimage",
            Self::Deb => "deb",
            Self::Rpm => "rpm",
            Self::Nsis => "nsis",
            Self::Msi => "msi",
            Self::App => "app",
        }
    }

    /// The `{{target}}` its packages are for.
    pub fn target(self) -> &'static str {
        match self {
            Self::AppImage | Self::Deb | Self::Rpm => "linux",
            Self::Nsis | Self::Msi => "windows",
            Self::App => "darwin",
        }
    }

    /// The kind of package a file name says it is (the Tauri bundler's names): `.deb`, `.rpm`,
    /// `.AppImage` (or `.AppImage.tar.gz`), `.msi` (or `.msi.zip`), `-setup.exe` (or
    /// `.nsis.zip`), `.app.tar.gz`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| name.ends_with(s));
        if ends(&[".deb"]) {
            Some(Self::Deb)
        } else if ends(&[".rpm"]) {
            Some(Self::Rpm)
        } else if ends(&[".appimage", ".appimage.tar.gz"]) {
            Some(Self::AppImage)
        } else if ends(&[".msi", ".msi.zip"]) {
            Some(Self::Msi)
        } else if ends(&["-setup.exe", ".nsis.zip"]) {
            Some(Self::Nsis)
        } else if ends(&[".app.tar.gz"]) {
            Some(Self::App)
        } else {
            None
        }
    }

    /// Where it comes when an app names no bundle (lower first).
    fn preference(name: &str) -> usize {
        Self::ALL
            .iter()
            .position(|b| b.as_str() == name)
            .unwrap_or(Self::ALL.len())
    }
}

impl std::fmt::Display for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Bundle {
    type Err = ReleaseError;

    fn from_str(text: &str) -> Result<Self, ReleaseError> {
        Self::ALL
            .iter()
            .copied()
            .find(|b| b.as_str() == text)
            .ok_or_else(|| ReleaseError::UnknownBundle(text.to_string()))
    }
}

/// This machine's `{{target}}`, as the plugin names it.
pub fn host_target() -> &'static str {
    if cfg!(target_os = "windows") {
        "windows"
    } else if cfg!(target_os = "macos") {
        "darwin"
    } else {
        "linux"
    }
}

/// This machine's `{{arch}}`, as the plugin names it.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86" => "i686",
        "arm" => "armv7",
        other => other,
    }
}

/// Why a release was refused or could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{0:?} is not a semantic version (like 0.2.0 or 1.0.0-rc.1)")]
    NotSemver(String),
    #[error("unknown target {0:?}: use linux, windows or darwin")]
    UnknownTarget(String),
    #[error("unknown architecture {0:?}: use x86_64, aarch64, i686, armv7 or riscv64")]
    UnknownArch(String),
    #[error("unknown bundle {0:?}: use deb, rpm, appimage, msi, nsis or app")]
    UnknownBundle(String),
    #[error(
        "cannot tell what kind of package {0:?} is from its name: say it with --bundle \
         (deb, rpm, appimage, msi, nsis or app)"
    )]
    BundleNotInferred(String),
    #[error("{bundle} packages are for {expected}, not for {target}")]
    WrongTarget {
        bundle: Bundle,
        expected: &'static str,
        target: String,
    },
    #[error("{0}")]
    BadFileName(String),
    #[error(
        "the signature is not a minisign signature (expected the .sig file the Tauri signer \
         writes): {0}"
    )]
    NotASignature(String),
    #[error(
        "the public key is not a minisign public key (expected the updater's `pubkey` from \
         tauri.conf.json, or the .pub file the Tauri signer writes): {0}"
    )]
    NotAPublicKey(String),
    #[error("the signature was made for version {signed}, not {given}: the apps would refuse it")]
    SignedVersionMismatch { signed: String, given: String },
    #[error("the signature does not verify for this file with this public key: {0}")]
    DoesNotVerify(String),
    #[error("the release notes are longer than {MAX_NOTES} bytes")]
    NotesTooLong,
    #[error("{} is empty", .0.display())]
    EmptyFile(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReleaseError {
    /// The input was refused (as opposed to a failure of the disk or the store).
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Self::Read { .. } | Self::Write { .. } | Self::Store(_)
        )
    }
}

/// A version as it is stored and served: parsed, and written back as `semver` writes it.
pub fn parse_version(text: &str) -> Result<semver::Version, ReleaseError> {
    semver::Version::parse(text.trim()).map_err(|_| ReleaseError::NotSemver(text.to_string()))
}

/// Checks a `{{target}}` name.
pub fn check_target(target: &str) -> Result<(), ReleaseError> {
    if TARGETS.contains(&target) {
        Ok(())
    } else {
        Err(ReleaseError::UnknownTarget(target.to_string()))
    }
}

/// Checks an `{{arch}}` name.
pub fn check_arch(arch: &str) -> Result<(), ReleaseError> {
    if ARCHES.contains(&arch) {
        Ok(())
    } else {
        Err(ReleaseError::UnknownArch(arch.to_string()))
    }
}

fn allowed_in_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')
}

/// Whether `name` is a file name as stored: one path component of allowed characters, not
/// hidden, not too long.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FILE_NAME
        && !name.starts_with('.')
        && name.chars().all(allowed_in_name)
}

/// The stored name of the package at `path`: its file name with every character outside ASCII
/// letters, digits, `.`, `_`, `-`, `+` made `_`, and no leading dots.
pub fn sanitized_file_name(path: &Path) -> Result<String, ReleaseError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .ok_or_else(|| {
            ReleaseError::BadFileName(format!("{} does not name a file", path.display()))
        })?;
    let clean: String = name
        .chars()
        .map(|c| if allowed_in_name(c) { c } else { '_' })
        .collect();
    let clean = clean.trim_start_matches('.').to_string();
    if is_safe_file_name(&clean) {
        Ok(clean)
    } else {
        Err(ReleaseError::BadFileName(format!(
            "{name:?} cannot be a release's file name (at most {MAX_FILE_NAME} characters, \
             not only dots)"
        )))
    }
}

/// The text of the signature: a minisign signature, given either as the Tauri signer writes it
/// (base64 of the signature's text) or as minisign does (the text itself).
fn signature_text(text: &str) -> Result<String, ReleaseError> {
    let trimmed = text.trim();
    if trimmed.starts_with("untrusted comment:") {
        return Ok(format!("{trimmed}\n"));
    }
    let bytes = STANDARD
        .decode(trimmed)
        .map_err(|e| ReleaseError::NotASignature(format!("not base64 ({e})")))?;
    String::from_utf8(bytes)
        .map_err(|_| ReleaseError::NotASignature("its base64 does not hold text".into()))
}

/// Reads a signature file's text: the signature, and the form the apps get (base64 of the
/// signature's text, as tauri-plugin-updater decodes it).
pub fn parse_signature(text: &str) -> Result<(String, Signature), ReleaseError> {
    let decoded = signature_text(text)?;
    let signature =
        Signature::decode(&decoded).map_err(|e| ReleaseError::NotASignature(e.to_string()))?;
    Ok((STANDARD.encode(decoded.as_bytes()), signature))
}

/// Reads a public key: as in tauri.conf.json's `plugins.updater.pubkey` and the Tauri signer's
/// `.pub` file (base64 of minisign's public key text), minisign's `.pub` text, or minisign's
/// bare base64 key.
pub fn parse_public_key(text: &str) -> Result<PublicKey, ReleaseError> {
    let trimmed = text.trim();
    let bad = |e: minisign_verify::Error| ReleaseError::NotAPublicKey(e.to_string());
    if trimmed.starts_with("untrusted comment:") {
        return PublicKey::decode(trimmed).map_err(bad);
    }
    match STANDARD.decode(trimmed).map(String::from_utf8) {
        Ok(Ok(decoded)) if decoded.trim_start().starts_with("untrusted comment:") => {
            PublicKey::decode(decoded.trim()).map_err(bad)
        }
        _ => PublicKey::from_base64(trimmed).map_err(bad),
    }
}

/// The version a signature's trusted comment says it was made for (the Tauri signer writes
/// tab-separated `key:value` fields, `version:` among them), if it says one.
pub fn signed_version(signature: &Signature) -> Option<&str> {
    signature
        .trusted_comment()
        .split('\t')
        .find_map(|field| field.strip_prefix("version:"))
        .map(str::trim)
}

/// Where the release files are kept: `DATA/releases/<version>/<file name>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseFiles {
    dir: PathBuf,
}

impl ReleaseFiles {
    /// The folder's name in the data directory.
    pub const DIR_NAME: &'static str = "releases";

    /// The release files of the data directory `data`.
    pub fn for_data_dir(data: &Path) -> Self {
        Self {
            dir: data.join(Self::DIR_NAME),
        }
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the file `file_name` of `version` is, or `None` when either is not what a stored
    /// release can have (a version not written as `semver` writes it, an unsafe name): such a
    /// path could leave the folder, so it is never made.
    pub fn path(&self, version: &str, file_name: &str) -> Option<PathBuf> {
        let parsed = semver::Version::parse(version).ok()?;
        if parsed.to_string() != version || !is_safe_file_name(file_name) {
            return None;
        }
        Some(self.dir.join(version).join(file_name))
    }
}

/// A release to add (`barta release add`).
#[derive(Clone, Debug)]
pub struct NewRelease<'a> {
    /// The package.
    pub file: &'a Path,
    /// The signature file's text.
    pub signature: &'a str,
    pub version: &'a str,
    pub notes: &'a str,
    pub target: &'a str,
    pub arch: &'a str,
    /// Inferred from the file's name when `None`.
    pub bundle: Option<Bundle>,
    /// The updater's public key (its text), to check the signature with.
    pub public_key: Option<&'a str>,
}

/// Checks a release, copies its file into `files` and records it. Refuses a version that is
/// not semver, an unknown platform, a signature that is not a minisign signature or that was
/// made for another version, a release whose platform (or file name) its version has already
/// ([`StoreError::AlreadyExists`]), and, with a public key, a signature that does not verify
/// for the file. Nothing is kept of a refused release.
pub fn add(
    store: &dyn Store,
    files: &ReleaseFiles,
    new: &NewRelease<'_>,
) -> Result<ReleaseRecord, ReleaseError> {
    let version = parse_version(new.version)?.to_string();
    check_target(new.target)?;
    check_arch(new.arch)?;
    let file_name = sanitized_file_name(new.file)?;
    let bundle = match new.bundle {
        Some(bundle) => bundle,
        None => Bundle::from_file_name(&file_name)
            .ok_or_else(|| ReleaseError::BundleNotInferred(file_name.clone()))?,
    };
    if bundle.target() != new.target {
        return Err(ReleaseError::WrongTarget {
            bundle,
            expected: bundle.target(),
            target: new.target.to_string(),
        });
    }
    let (served_signature, signature) = parse_signature(new.signature)?;
    if let Some(signed) = signed_version(&signature) {
        let same = semver::Version::parse(signed.trim_start_matches('v'))
            .is_ok_and(|v| v.to_string() == version);
        if !same {
            return Err(ReleaseError::SignedVersionMismatch {
                signed: signed.to_string(),
                given: version,
            });
        }
    }
    let public_key = new.public_key.map(parse_public_key).transpose()?;
    let notes = bangla::normalize(new.notes.trim());
    if notes.len() > MAX_NOTES {
        return Err(ReleaseError::NotesTooLong);
    }

    // Refuse a duplicate before copying a large file for nothing (the store refuses it again
    // when the row is written, should two admins race).
    let filter = ReleaseFilter {
        version: Some(version.clone()),
        target: Some(new.target.to_string()),
        arch: Some(new.arch.to_string()),
        bundle: Some(bundle.as_str().to_string()),
    };
    if !store.releases(&filter)?.is_empty() {
        return Err(StoreError::AlreadyExists(format!(
            "release {version} for {}/{}/{bundle}",
            new.target, new.arch
        ))
        .into());
    }
    match store.release_file(&version, &file_name) {
        Ok(_) => {
            return Err(StoreError::AlreadyExists(format!(
                "a file named {file_name} in release {version}"
            ))
            .into());
        }
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }

    let final_path = files
        .path(&version, &file_name)
        .ok_or_else(|| ReleaseError::BadFileName(format!("{file_name:?} is not a safe name")))?;
    let folder = final_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| files.dir().to_path_buf());
    std::fs::create_dir_all(&folder).map_err(|source| ReleaseError::Write {
        path: folder.clone(),
        source,
    })?;
    let temp = folder.join(format!(
        ".{file_name}.{}.part",
        uuid::Uuid::now_v7().simple()
    ));
    let copied = copy_in(new.file, &temp, public_key.as_ref(), &signature);
    let (size, sha256) = match copied {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    let record = ReleaseRecord {
        version,
        target: new.target.to_string(),
        arch: new.arch.to_string(),
        bundle: bundle.as_str().to_string(),
        file_name,
        size,
        sha256,
        signature: served_signature,
        notes,
        pub_date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    if let Err(e) = store.add_release(record.clone()) {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    let placed = std::fs::rename(&temp, &final_path).and_then(|()| sync_dir(&folder));
    if let Err(source) = placed {
        let _ = std::fs::remove_file(&temp);
        let _ = store.remove_releases(&filter);
        return Err(ReleaseError::Write {
            path: final_path,
            source,
        });
    }
    Ok(record)
}

/// Copies `source` to `temp` (new, fsynced), hashing it and, with a public key, checking the
/// signature on the way. Returns its size and SHA-256.
fn copy_in(
    source: &Path,
    temp: &Path,
    public_key: Option<&PublicKey>,
    signature: &Signature,
) -> Result<(u64, String), ReleaseError> {
    let read_error = |e| ReleaseError::Read {
        path: source.to_path_buf(),
        source: e,
    };
    let write_error = |e| ReleaseError::Write {
        path: temp.to_path_buf(),
        source: e,
    };
    let mut input = std::fs::File::open(source).map_err(read_error)?;
    let mut output = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(write_error)?;
    let does_not_verify = |e: minisign_verify::Error| ReleaseError::DoesNotVerify(e.to_string());
    // Signatures of the prehashed kind (the Tauri signer's) are checked as the file streams
    // by; a legacy one needs the whole file, read again from the copy below.
    let mut streaming = match public_key.map(|key| key.verify_stream(signature)) {
        None | Some(Err(minisign_verify::Error::UnsupportedLegacyMode)) => None,
        Some(Ok(verifier)) => Some(verifier),
        Some(Err(e)) => return Err(does_not_verify(e)),
    };
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        };
        let chunk = &buffer[..n];
        hasher.update(chunk);
        if let Some(verifier) = streaming.as_mut() {
            verifier.update(chunk);
        }
        output.write_all(chunk).map_err(write_error)?;
        size += n as u64;
    }
    if size == 0 {
        return Err(ReleaseError::EmptyFile(source.to_path_buf()));
    }
    output.sync_all().map_err(write_error)?;
    drop(output);
    match (streaming, public_key) {
        (Some(mut verifier), _) => verifier.finalize().map_err(does_not_verify)?,
        (None, Some(key)) => {
            let bytes = std::fs::read(temp).map_err(read_error)?;
            key.verify(&bytes, signature, true)
                .map_err(does_not_verify)?;
        }
        (None, None) => {}
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Puts a folder's entries (a rename) on disk.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Forgets the releases that match `filter` and deletes their files (and a version's folder
/// once it is empty). Returns what was removed.
pub fn remove(
    store: &dyn Store,
    files: &ReleaseFiles,
    filter: &ReleaseFilter,
) -> Result<Vec<ReleaseRecord>, ReleaseError> {
    let removed = store.remove_releases(filter)?;
    for release in &removed {
        let Some(path) = files.path(&release.version, &release.file_name) else {
            continue;
        };
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(ReleaseError::Write { path, source }),
        }
        if let Some(folder) = path.parent() {
            // Fails while other files of the version remain: that is fine.
            let _ = std::fs::remove_dir(folder);
        }
    }
    Ok(removed)
}

/// Sorts releases newest version first (then by target, arch and bundle).
pub fn newest_first(releases: &mut [ReleaseRecord]) {
    releases.sort_by(|a, b| {
        let version = |r: &ReleaseRecord| semver::Version::parse(&r.version).ok();
        version(b)
            .cmp(&version(a))
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| a.arch.cmp(&b.arch))
            .then_with(|| a.bundle.cmp(&b.bundle))
    });
}

/// Of `candidates` (one platform's releases), the one to offer an app at `current`: the newest
/// version newer than `current`, and of that version's packages the bundle first in
/// [`Bundle::ALL`]. `None` when the app is up to date.
pub fn newest_update(
    candidates: Vec<ReleaseRecord>,
    current: &semver::Version,
) -> Option<ReleaseRecord> {
    candidates
        .into_iter()
        .filter_map(|release| {
            let version = semver::Version::parse(&release.version).ok()?;
            (version > *current).then_some((version, Bundle::preference(&release.bundle), release))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, _, release)| release)
}

/// Checks `barta serve --public-url`: an absolute http(s) address without a query, which the
/// download addresses are made under (a trailing `/` is dropped).
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    let uri: axum::http::Uri = trimmed
        .parse()
        .map_err(|e| format!("{text:?} is not an address: {e}"))?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let host_ok = uri
        .authority()
        .is_some_and(|a| !a.host().is_empty() && !a.as_str().contains('@'));
    if !scheme_ok || !host_ok || uri.query().is_some() {
        return Err(format!(
            "{text:?} is not an address like https://barta.example.com (http or https, a host, \
             no user, no query)"
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(version: &str, bundle: &str) -> ReleaseRecord {
        ReleaseRecord {
            version: version.into(),
            target: "linux".into(),
            arch: "x86_64".into(),
            bundle: bundle.into(),
            file_name: format!("barta_{version}.{bundle}"),
            size: 1,
            sha256: String::new(),
            signature: String::new(),
            notes: String::new(),
            pub_date: String::new(),
        }
    }

    #[test]
    fn the_newest_newer_release_is_offered() {
        let all = vec![
            record("0.2.0", "deb"),
            record("0.10.0", "deb"),
            record("0.9.1", "deb"),
            record("0.10.0-rc.1", "deb"),
        ];
        let at = |v: &str| semver::Version::parse(v).unwrap();
        let offered = newest_update(all.clone(), &at("0.1.0")).unwrap();
        assert_eq!(offered.version, "0.10.0");
        assert_eq!(
            newest_update(all.clone(), &at("0.10.0-rc.0"))
                .unwrap()
                .version,
            "0.10.0"
        );
        assert!(newest_update(all.clone(), &at("0.10.0")).is_none());
        assert!(newest_update(all, &at("1.0.0")).is_none());
    }

    #[test]
    fn without_a_bundle_the_preferred_format_of_the_newest_version_wins() {
        let all = vec![
            record("0.3.0", "rpm"),
            record("0.3.0", "deb"),
            record("0.3.0", "appimage"),
            record("0.2.0", "appimage"),
        ];
        let offered = newest_update(all, &semver::Version::new(0, 1, 0)).unwrap();
        assert_eq!(
            (offered.version.as_str(), offered.bundle.as_str()),
            ("0.3.0", "appimage")
        );
    }

    #[test]
    fn bundles_are_told_from_the_bundlers_file_names() {
        for (name, bundle) in [
            ("barta_0.2.0_amd64.deb", Some(Bundle::Deb)),
            ("barta-0.2.0-1.x86_64.rpm", Some(Bundle::Rpm)),
            ("barta_0.2.0_amd64.AppImage", Some(Bundle::AppImage)),
            ("barta_0.2.0_amd64.AppImage.tar.gz", Some(Bundle::AppImage)),
            ("Barta_0.2.0_x64_en-US.msi", Some(Bundle::Msi)),
            ("Barta_0.2.0_x64-setup.exe", Some(Bundle::Nsis)),
            ("Barta.app.tar.gz", Some(Bundle::App)),
            ("barta.exe", None),
            ("barta.tar.gz", None),
        ] {
            assert_eq!(Bundle::from_file_name(name), bundle, "{name}");
        }
        assert_eq!("nsis".parse::<Bundle>().unwrap(), Bundle::Nsis);
        assert!("exe".parse::<Bundle>().is_err());
    }

    #[test]
    fn file_names_are_sanitized_and_paths_stay_in_their_folder() {
        let name = |p: &str| sanitized_file_name(Path::new(p));
        assert_eq!(
            name("/tmp/x/barta_0.2.0_amd64.deb").unwrap(),
            "barta_0.2.0_amd64.deb"
        );
        assert_eq!(name("বার্তা app (1).deb").unwrap(), "_______app__1_.deb");
        assert_eq!(name("..hidden.deb").unwrap(), "hidden.deb");
        assert!(name("/").is_err());
        assert!(name("...").is_err());

        let files = ReleaseFiles::for_data_dir(Path::new("/data"));
        assert_eq!(
            files.path("0.2.0", "a.deb"),
            Some(PathBuf::from("/data/releases/0.2.0/a.deb"))
        );
        for (version, file) in [
            ("..", "a.deb"),
            ("0.2.0", ".."),
            ("0.2.0", "../barta.sqlite3"),
            ("0.2.0", "a/b.deb"),
            ("0.2.0", "a\\b.deb"),
            ("0.2.0", ""),
            ("v0.2.0", "a.deb"),
            ("0.2.0/..", "a.deb"),
            (" 0.2.0", "a.deb"),
        ] {
            assert_eq!(files.path(version, file), None, "{version:?} {file:?}");
        }
    }

    #[test]
    fn public_urls_are_checked() {
        assert_eq!(
            parse_public_url("https://barta.example.com/").unwrap(),
            "https://barta.example.com"
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:8080/barta").unwrap(),
            "http://10.0.0.5:8080/barta"
        );
        for bad in [
            "barta.example.com",
            "ftp://x",
            "https://u@x",
            "https://x/?a=1",
            "https://",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn garbage_is_neither_a_signature_nor_a_key() {
        assert!(matches!(
            parse_signature("not a signature"),
            Err(ReleaseError::NotASignature(_))
        ));
        assert!(matches!(
            parse_signature(&STANDARD.encode("untrusted comment: x\nAAAA\n")),
            Err(ReleaseError::NotASignature(_))
        ));
        assert!(matches!(
            parse_public_key("RWQ="),
            Err(ReleaseError::NotAPublicKey(_))
        ));
    }
}
