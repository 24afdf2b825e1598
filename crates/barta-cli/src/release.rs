//! `barta release add|list|remove`: the desktop app's releases that `barta serve` offers to the
//! apps (`GET /v1/app/update/…`), kept in the data directory (`releases/<version>/<file>`; see
//! `barta_server::releases`). Safe while `barta serve` runs on the same directory.
//!
//! Exit codes: 0 done; 1 a failure, or files that are not what they should be (a signature that
//! is not one, or that does not verify for the package with `--public-key`); 2 bad usage (a
//! version that is not semver, an unknown platform or bundle); 3 the release exists already.

use crate::admin::{EXIT_EXISTS, fail, open};
use barta_server::releases::{self, Bundle, NewRelease, ReleaseError, ReleaseFiles};
use barta_server::store::{ReleaseFilter, ReleaseRecord, StoreError};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The largest signature or public key file read (both are a few hundred bytes).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// `barta release` arguments.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[command(subcommand)]
    pub command: ReleaseCommand,
}

fn parse_bundle(text: &str) -> Result<Bundle, String> {
    text.parse().map_err(|e: ReleaseError| e.to_string())
}

/// Release commands.
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Add a release: a package of the app and the signature the Tauri signer made for it
    /// (exit code 3 when its version has that platform or that file name already).
    Add {
        /// The package: .deb, .rpm, .AppImage, .msi, -setup.exe (NSIS) or .app.tar.gz.
        file: PathBuf,
        /// Its signature: the .sig file the Tauri bundler or `tauri signer sign` wrote.
        #[arg(long, value_name = "FILE.sig")]
        signature: PathBuf,
        /// The app's version in the package (semver, e.g. 0.2.0).
        #[arg(long = "version", value_name = "VERSION")]
        version: String,
        /// What changed, in words for the reporters (the app shows them before updating).
        #[arg(long, value_name = "TEXT")]
        notes: String,
        /// The platform, as the updater names it: linux, windows or darwin.
        #[arg(long, value_name = "TARGET", default_value = releases::host_target())]
        target: String,
        /// The processor, as the updater names it: x86_64, aarch64, i686, armv7 or riscv64.
        #[arg(long, value_name = "ARCH", default_value = releases::host_arch())]
        arch: String,
        /// The kind of package: deb, rpm, appimage, msi, nsis or app (default: told from the
        /// file's name).
        #[arg(long, value_name = "BUNDLE", value_parser = parse_bundle)]
        bundle: Option<Bundle>,
        /// The updater's public key (`plugins.updater.pubkey` of tauri.conf.json in a file, or
        /// the signer's .pub file): the package is refused unless its signature verifies.
        #[arg(long, value_name = "FILE")]
        public_key: Option<PathBuf>,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// List the releases, newest first.
    List {
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Remove a version's releases (or only those of a platform or bundle), files and all.
    Remove {
        /// The version (semver).
        version: String,
        #[arg(long, value_name = "TARGET")]
        target: Option<String>,
        #[arg(long, value_name = "ARCH")]
        arch: Option<String>,
        #[arg(long, value_name = "BUNDLE", value_parser = parse_bundle)]
        bundle: Option<Bundle>,
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

/// The exit code for a refused or failed release.
fn exit_for(e: &ReleaseError) -> ExitCode {
    let code = match e {
        ReleaseError::Store(StoreError::AlreadyExists(_)) => EXIT_EXISTS,
        ReleaseError::NotSemver(_)
        | ReleaseError::UnknownTarget(_)
        | ReleaseError::UnknownArch(_)
        | ReleaseError::UnknownBundle(_)
        | ReleaseError::BundleNotInferred(_)
        | ReleaseError::WrongTarget { .. }
        | ReleaseError::BadFileName(_)
        | ReleaseError::NotesTooLong => 2,
        _ => 1,
    };
    match e {
        ReleaseError::Store(StoreError::AlreadyExists(what)) => {
            fail(&format!("{what} already exists"), code)
        }
        _ => fail(e, code),
    }
}

/// Reads a small text file (a signature, a key).
fn read_small(path: &Path, what: &str) -> Result<String, ExitCode> {
    let size = std::fs::metadata(path)
        .map_err(|e| {
            fail(
                &format!("cannot read the {what} {}: {e}", path.display()),
                1,
            )
        })?
        .len();
    if size > MAX_KEY_FILE {
        return Err(fail(
            &format!(
                "{} is too large to be a {what} ({size} bytes)",
                path.display()
            ),
            1,
        ));
    }
    std::fs::read_to_string(path).map_err(|e| {
        fail(
            &format!("cannot read the {what} {}: {e}", path.display()),
            1,
        )
    })
}

/// A size in words a person reads.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn platform(release: &ReleaseRecord) -> String {
    format!("{}/{}/{}", release.target, release.arch, release.bundle)
}

/// Runs a release command.
pub fn run(args: ReleaseArgs) -> ExitCode {
    match args.command {
        ReleaseCommand::Add {
            file,
            signature,
            version,
            notes,
            target,
            arch,
            bundle,
            public_key,
            data,
        } => {
            let signature = match read_small(&signature, "signature") {
                Ok(text) => text,
                Err(code) => return code,
            };
            let public_key = match public_key.map(|p| read_small(&p, "public key")).transpose() {
                Ok(text) => text,
                Err(code) => return code,
            };
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            let new = NewRelease {
                file: &file,
                signature: &signature,
                version: &version,
                notes: &notes,
                target: &target,
                arch: &arch,
                bundle,
                public_key: public_key.as_deref(),
            };
            match releases::add(&*store, &ReleaseFiles::for_data_dir(&data), &new) {
                Ok(release) => {
                    crate::admin::audited(
                        &*store,
                        "release_add",
                        &format!("{} {}", release.version, release.file_name),
                    );
                    println!(
                        "added release {} for {}: {}, {}, sha256 {}",
                        release.version,
                        platform(&release),
                        release.file_name,
                        human_size(release.size),
                        release.sha256
                    );
                    if public_key.is_none() {
                        eprintln!(
                            "note: the signature was not checked here (give --public-key to \
                             check it); the apps check it before they install"
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => exit_for(&e),
            }
        }
        ReleaseCommand::List { data } => {
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            match store.releases(&ReleaseFilter::default()) {
                Ok(list) if list.is_empty() => {
                    println!("no releases: add one with `barta release add`");
                    ExitCode::SUCCESS
                }
                Ok(mut list) => {
                    releases::newest_first(&mut list);
                    for release in list {
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            release.version,
                            platform(&release),
                            release.file_name,
                            human_size(release.size),
                            release.pub_date,
                            release.notes.lines().next().unwrap_or("")
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
        ReleaseCommand::Remove {
            version,
            target,
            arch,
            bundle,
            data,
        } => {
            let checked = releases::parse_version(&version).and_then(|v| {
                target.as_deref().map(releases::check_target).transpose()?;
                arch.as_deref().map(releases::check_arch).transpose()?;
                Ok(v)
            });
            let version = match checked {
                Ok(version) => version.to_string(),
                Err(e) => return exit_for(&e),
            };
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            let filter = ReleaseFilter {
                version: Some(version.clone()),
                target,
                arch,
                bundle: bundle.map(|b| b.as_str().to_string()),
            };
            match releases::remove(&*store, &ReleaseFiles::for_data_dir(&data), &filter) {
                Ok(removed) if removed.is_empty() => fail(
                    &format!(
                        "no release {version}{} to remove (see `barta release list`)",
                        match (&filter.target, &filter.arch, &filter.bundle) {
                            (None, None, None) => String::new(),
                            (t, a, b) => format!(
                                " for {}/{}/{}",
                                t.as_deref().unwrap_or("*"),
                                a.as_deref().unwrap_or("*"),
                                b.as_deref().unwrap_or("*")
                            ),
                        }
                    ),
                    1,
                ),
                Ok(removed) => {
                    crate::admin::audited(
                        &*store,
                        "release_remove",
                        &format!("{version}: {} files", removed.len()),
                    );
                    for release in removed {
                        println!(
                            "removed release {} for {} ({})",
                            release.version,
                            platform(&release),
                            release.file_name
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => exit_for(&e),
            }
        }
    }
}
