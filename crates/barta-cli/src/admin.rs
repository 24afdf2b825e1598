//! `barta desk …`, `barta user …` and `barta session …`: newsroom administration on the data
//! directory (safe while `barta serve` runs on it).

use barta_model::Role;
use barta_server::admin::{self, AdminError, NewAccount};
use barta_server::store::SessionScope;
use barta_server::store::postgres::PgStore;
use barta_server::{SqliteStore, Store};
use clap::{ArgGroup, Args, Subcommand};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The exit code for "already exists".
pub const EXIT_EXISTS: u8 = 3;

/// `barta desk` arguments.
#[derive(Debug, Args)]
pub struct DeskArgs {
    #[command(subcommand)]
    pub command: DeskCommand,
}

/// Desk commands.
#[derive(Debug, Subcommand)]
pub enum DeskCommand {
    /// Add a desk (exit code 3 when it exists already).
    Add {
        /// The desk's slug, e.g. `international`.
        slug: String,
        /// Its display name, e.g. "আন্তর্জাতিক ডেস্ক".
        #[arg(long)]
        name: String,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

/// `barta user` arguments.
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|_| format!("unknown role {text:?}: use reporter, editor or admin"))
}

/// User commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (exit code 3 when it exists already). The password is read from the first
    /// line of stdin.
    Add {
        username: String,
        /// reporter, editor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A desk the user belongs to (repeatable).
        #[arg(long = "desk", value_name = "SLUG")]
        desks: Vec<String>,
        /// Read the password from stdin's first line (required: passwords never go on the
        /// command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// List the users: role, desks, disabled or not, live sessions.
    List {
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Disable a user: every session ends at once and logging in is refused until enabled
    /// (the user's articles stay).
    Disable {
        username: String,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Enable a disabled user again.
    Enable {
        username: String,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Change a user's role and/or desks (effective at the user's next request).
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["role", "desks", "no_desks"])))]
    Set {
        username: String,
        /// The new role: reporter, editor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
        /// The user's desks from now on (repeatable; replaces the old ones).
        #[arg(long = "desk", value_name = "SLUG", conflicts_with = "no_desks")]
        desks: Vec<String>,
        /// Take the user off every desk.
        #[arg(long)]
        no_desks: bool,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Set a user's password (read from stdin's first line) and end the user's sessions.
    Passwd {
        username: String,
        /// Read the password from stdin's first line (required: passwords never go on the
        /// command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

/// `barta session` arguments.
#[derive(Debug, Args)]
pub struct SessionArgs {
    #[command(subcommand)]
    pub command: SessionCommand,
}

/// Session commands.
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// List the live sessions (never their tokens): id, user, opened, expires.
    List {
        /// Only this user's.
        #[arg(long, value_name = "USER")]
        user: Option<String>,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Revoke sessions: one user's (a lost laptop) or everyone's (a leaked database); the
    /// apps stop syncing at their next request and ask for the password.
    #[command(group(ArgGroup::new("whose").required(true).args(["user", "all"])))]
    Revoke {
        /// This user's sessions.
        #[arg(long, value_name = "USER")]
        user: Option<String>,
        /// Every user's sessions.
        #[arg(long)]
        all: bool,
        /// The data directory.
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

/// Writes an admin command's entry to the audit trail; a failure is said on stderr (the
/// command itself is done).
pub fn audited(store: &dyn barta_server::Store, action: &str, detail: &str) {
    let entry = barta_server::audit_trail::admin_entry(action, detail);
    if let Err(e) = store.record_audit(&entry) {
        eprintln!("warning: the audit trail did not record this command: {e}");
    }
}

pub fn fail(e: &dyn std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(code)
}

fn exit_for(e: AdminError) -> ExitCode {
    match e {
        AdminError::AlreadyExists(_) => fail(&e, EXIT_EXISTS),
        _ => fail(&e, 1),
    }
}

/// The PostgreSQL database the newsroom is kept in, if any (`--database`, else
/// `BARTA_DATABASE_URL`); chosen once at start.
static DATABASE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Records where the newsroom is kept: `--database`, else `BARTA_DATABASE_URL`, else the
/// SQLite store of the data directory.
pub fn choose_database(flag: Option<String>) {
    let url = flag.or_else(|| {
        std::env::var("BARTA_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
    });
    let _ = DATABASE.set(url);
}

/// The PostgreSQL database's URL, if the newsroom is kept there.
pub fn database_url() -> Option<&'static str> {
    DATABASE.get().and_then(|url| url.as_deref())
}

/// Opens the newsroom's store: the PostgreSQL database if one was chosen, else SQLite in
/// `data`. Never prints the database's URL (it may hold a password).
pub fn open(data: &Path) -> Result<Box<dyn Store>, ExitCode> {
    match database_url() {
        Some(url) => match PgStore::open(url, 2) {
            Ok(store) => Ok(Box::new(store)),
            Err(e) => Err(fail(
                &format!("cannot open the PostgreSQL database: {e}"),
                1,
            )),
        },
        None => match SqliteStore::open(data) {
            Ok(store) => Ok(Box::new(store)),
            Err(e) => Err(fail(
                &format!("cannot open the store in {}: {e}", data.display()),
                1,
            )),
        },
    }
}

/// Runs a desk command.
pub fn desk(args: DeskArgs) -> ExitCode {
    let DeskCommand::Add { slug, name, data } = args.command;
    let store = match open(&data) {
        Ok(store) => store,
        Err(code) => return code,
    };
    match admin::add_desk(&*store, &slug, &name) {
        Ok(()) => {
            println!("added desk {slug}");
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(e),
    }
}

/// Reads the password: stdin's first line without its line ending.
pub fn read_password() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let trimmed = line.strip_suffix('\n').unwrap_or(&line);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    Ok(trimmed.to_string())
}

/// Runs a user command.
pub fn user(args: UserArgs) -> ExitCode {
    match args.command {
        UserCommand::Add {
            username,
            role,
            desks,
            password_stdin: _,
            data,
        } => add_user(username, role, desks, &data),
        UserCommand::List { data } => with_store(&data, |store| {
            let accounts = admin::accounts(store)?;
            println!("username\trole\tdesks\tstatus\tsessions\tcreated");
            for a in accounts {
                let desks = if a.desks.is_empty() {
                    "-".to_string()
                } else {
                    a.desks.join(",")
                };
                let status = if a.disabled { "disabled" } else { "active" };
                println!(
                    "{}\t{}\t{desks}\t{status}\t{}\t{}",
                    a.username, a.role, a.live_sessions, a.created_at
                );
            }
            Ok(())
        }),
        UserCommand::Disable { username, data } => with_store(&data, |store| {
            admin::disable_user(store, &username)?;
            println!("disabled user {username}; their sessions are revoked");
            Ok(())
        }),
        UserCommand::Enable { username, data } => with_store(&data, |store| {
            admin::enable_user(store, &username)?;
            println!("enabled user {username}");
            Ok(())
        }),
        UserCommand::Set {
            username,
            role,
            desks,
            no_desks,
            data,
        } => with_store(&data, |store| {
            let desks = (no_desks || !desks.is_empty()).then_some(desks.as_slice());
            let user = admin::set_role_and_desks(store, &username, role, desks)?;
            let desks = desks_text(&user.desks);
            println!("user {} is now {}; {desks}", user.username, user.role);
            Ok(())
        }),
        UserCommand::Passwd {
            username,
            password_stdin: _,
            data,
        } => {
            let password = match read_password() {
                Ok(password) => password,
                Err(e) => return fail(&format!("cannot read the password from stdin: {e}"), 1),
            };
            with_store(&data, |store| {
                admin::set_password(store, &username, &password)?;
                println!("set the password of {username}; their sessions are revoked");
                Ok(())
            })
        }
    }
}

/// Runs a session command.
pub fn session(args: SessionArgs) -> ExitCode {
    match args.command {
        SessionCommand::List { user, data } => with_store(&data, |store| {
            let sessions = admin::sessions(store, user.as_deref())?;
            println!("id\tuser\topened\texpires");
            for s in sessions {
                let expires = chrono::DateTime::from_timestamp(s.expires_at, 0)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_else(|| s.expires_at.to_string());
                println!("{}\t{}\t{}\t{expires}", s.id, s.username, s.created_at);
            }
            Ok(())
        }),
        SessionCommand::Revoke { user, all: _, data } => with_store(&data, |store| {
            let scope = match &user {
                Some(u) => SessionScope::User(u),
                None => SessionScope::All,
            };
            let n = admin::revoke_sessions(store, scope)?;
            match user {
                Some(u) => println!("revoked {n} session(s) of {u}"),
                None => println!("revoked {n} session(s)"),
            }
            Ok(())
        }),
    }
}

/// Opens the store and runs one administration step, mapping its error to the exit code.
fn with_store(data: &Path, run: impl FnOnce(&dyn Store) -> Result<(), AdminError>) -> ExitCode {
    let store = match open(data) {
        Ok(store) => store,
        Err(code) => return code,
    };
    match run(&*store) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => exit_for(e),
    }
}

/// `barta user add`.
fn add_user(username: String, role: Role, desks: Vec<String>, data: &Path) -> ExitCode {
    let password = match read_password() {
        Ok(password) => password,
        Err(e) => return fail(&format!("cannot read the password from stdin: {e}"), 1),
    };
    let account = NewAccount {
        username,
        role,
        desks,
        password,
    };
    with_store(data, |store| {
        let user = admin::add_user(store, account)?;
        let desks = desks_text(&user.desks);
        println!("added user {} ({}; {desks})", user.username, user.role);
        Ok(())
    })
}

/// A user's desks in words: "desks: a, b" or "no desks".
fn desks_text(desks: &[String]) -> String {
    if desks.is_empty() {
        "no desks".to_string()
    } else {
        format!("desks: {}", desks.join(", "))
    }
}
