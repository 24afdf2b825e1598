//! `barta target add|list|test|remove`: the newsroom's websites that published articles are
//! sent to (a WordPress site, a webhook). Secrets come from stdin only and are stored sealed.

use crate::admin::{EXIT_EXISTS, audited, fail, open, read_password};
use barta_server::Store;
use barta_server::publishing::secrets::SecretKey;
use barta_server::publishing::targets::{self, NewTarget, TargetError};
use barta_server::publishing::{TargetKind, TargetRecord};
use barta_server::store::StoreError;
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// `barta target` arguments.
#[derive(Debug, Args)]
pub struct TargetArgs {
    #[command(subcommand)]
    pub command: TargetCommand,
}

fn parse_kind(text: &str) -> Result<TargetKind, String> {
    text.parse()
        .map_err(|e: barta_server::publishing::UnknownName| e.0)
}

/// Target commands.
#[derive(Debug, Subcommand)]
pub enum TargetCommand {
    /// Add a publish target (exit code 3 when one of that name exists). The application
    /// password or webhook secret is read from stdin's first line.
    Add {
        /// The target's name, e.g. `website`.
        name: String,
        /// wordpress or webhook.
        #[arg(long, value_parser = parse_kind)]
        kind: TargetKind,
        /// The WordPress site's address, or the webhook receiver's URL (https, or http to
        /// this machine only).
        #[arg(long)]
        url: String,
        /// WordPress: the user the application password belongs to.
        #[arg(long)]
        user: Option<String>,
        /// WordPress: read the application password from stdin.
        #[arg(long, conflicts_with = "secret_stdin")]
        app_password_stdin: bool,
        /// Webhook: read the signing secret from stdin.
        #[arg(long)]
        secret_stdin: bool,
        /// A desk it serves (repeatable); none = every desk.
        #[arg(long = "desk", value_name = "SLUG")]
        desks: Vec<String>,
        /// WordPress: the category of a desk's articles, as DESK=ID (repeatable).
        #[arg(long = "category", value_name = "DESK=ID", value_parser = targets::parse_category)]
        categories: Vec<(String, u64)>,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// List the targets (never their secrets).
    List {
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Check a target's address, credentials and rights from this machine.
    Test {
        name: String,
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Remove a target; its pending deliveries fail.
    Remove {
        name: String,
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

fn key(data: &std::path::Path) -> Result<SecretKey, ExitCode> {
    SecretKey::for_data_dir(data).map_err(|e| fail(&e, 1))
}

fn find(store: &dyn Store, name: &str) -> Result<TargetRecord, ExitCode> {
    match store.targets() {
        Ok(targets) => targets.into_iter().find(|t| t.name == name).ok_or_else(|| {
            fail(
                &format!("no target named {name:?} (see `barta target list`)"),
                1,
            )
        }),
        Err(e) => Err(fail(&e, 1)),
    }
}

/// Runs a target command.
pub fn run(args: TargetArgs) -> ExitCode {
    match args.command {
        TargetCommand::Add {
            name,
            kind,
            url,
            user,
            app_password_stdin,
            secret_stdin,
            desks,
            categories,
            data,
        } => {
            let needed = match kind {
                TargetKind::Wordpress => app_password_stdin,
                TargetKind::Webhook => secret_stdin,
            };
            if !needed {
                let flag = match kind {
                    TargetKind::Wordpress => "--app-password-stdin",
                    TargetKind::Webhook => "--secret-stdin",
                };
                return fail(
                    &format!(
                        "a {} target needs {flag}: secrets never go on the command line",
                        kind.as_str()
                    ),
                    2,
                );
            }
            let secret = match read_password() {
                Ok(secret) => secret,
                Err(e) => return fail(&format!("cannot read the secret from stdin: {e}"), 1),
            };
            let (store, key) = match open(&data).and_then(|s| Ok((s, key(&data)?))) {
                Ok(both) => both,
                Err(code) => return code,
            };
            let new = NewTarget {
                name,
                kind,
                url,
                username: user,
                secret,
                desks,
                categories: categories.into_iter().collect::<BTreeMap<_, _>>(),
            };
            match targets::add(&*store, &key, new) {
                Ok(target) => {
                    audited(
                        &*store,
                        "target_add",
                        &format!("{} ({})", target.name, target.kind.as_str()),
                    );
                    println!(
                        "added target {} ({}, {})",
                        target.name,
                        target.kind.as_str(),
                        served(&target)
                    );
                    println!(
                        "check it with: barta target test {} --data {}",
                        target.name,
                        data.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(TargetError::Store(StoreError::AlreadyExists(what))) => {
                    fail(&format!("{what} already exists"), EXIT_EXISTS)
                }
                Err(e @ TargetError::Store(_)) => fail(&e, 1),
                Err(e) => fail(&e, 2),
            }
        }
        TargetCommand::List { data } => {
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            match store.targets() {
                Ok(list) if list.is_empty() => {
                    println!("no targets: add one with `barta target add`");
                    ExitCode::SUCCESS
                }
                Ok(list) => {
                    for target in list {
                        let user = target
                            .username
                            .as_deref()
                            .map(|u| format!(" as {u}"))
                            .unwrap_or_default();
                        let categories = if target.categories.is_empty() {
                            String::new()
                        } else {
                            let pairs: Vec<String> = target
                                .categories
                                .iter()
                                .map(|(d, id)| format!("{d}={id}"))
                                .collect();
                            format!("; categories {}", pairs.join(", "))
                        };
                        println!(
                            "{}\t{}\t{}{user}\t{}{categories}",
                            target.name,
                            target.kind.as_str(),
                            target.url,
                            served(&target)
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
        TargetCommand::Test { name, data } => {
            let (store, key) = match open(&data).and_then(|s| Ok((s, key(&data)?))) {
                Ok(both) => both,
                Err(code) => return code,
            };
            let target = match find(&*store, &name) {
                Ok(target) => target,
                Err(code) => return code,
            };
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => return fail(&format!("cannot start the async runtime: {e}"), 1),
            };
            match runtime.block_on(targets::test(&key, &target)) {
                Ok(what) => {
                    println!("ok: {what}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("target {name}: {e}"), 1),
            }
        }
        TargetCommand::Remove { name, data } => {
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            match store.remove_target(&name) {
                Ok(()) => {
                    audited(&*store, "target_remove", &name);
                    println!("removed target {name}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
    }
}

fn served(target: &TargetRecord) -> String {
    if target.desks.is_empty() {
        "every desk".to_string()
    } else {
        format!("desks: {}", target.desks.join(", "))
    }
}
