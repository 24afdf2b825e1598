//! `barta desk add` and `barta user add`: newsroom administration on the data directory (safe
//! while `barta serve` runs on it).

use barta_model::Role;
use barta_server::SqliteStore;
use barta_server::admin::{self, AdminError, NewAccount};
use clap::{Args, Subcommand};
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

pub fn open(data: &Path) -> Result<SqliteStore, ExitCode> {
    SqliteStore::open(data).map_err(|e| {
        fail(
            &format!("cannot open the store in {}: {e}", data.display()),
            1,
        )
    })
}

/// Runs a desk command.
pub fn desk(args: DeskArgs) -> ExitCode {
    let DeskCommand::Add { slug, name, data } = args.command;
    let store = match open(&data) {
        Ok(store) => store,
        Err(code) => return code,
    };
    match admin::add_desk(&store, &slug, &name) {
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
    let UserCommand::Add {
        username,
        role,
        desks,
        password_stdin: _,
        data,
    } = args.command;
    let password = match read_password() {
        Ok(password) => password,
        Err(e) => return fail(&format!("cannot read the password from stdin: {e}"), 1),
    };
    let store = match open(&data) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let account = NewAccount {
        username,
        role,
        desks,
        password,
    };
    match admin::add_user(&store, account) {
        Ok(user) => {
            let desks = if user.desks.is_empty() {
                "no desks".to_string()
            } else {
                format!("desks: {}", user.desks.join(", "))
            };
            println!("added user {} ({}; {desks})", user.username, user.role);
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(e),
    }
}
