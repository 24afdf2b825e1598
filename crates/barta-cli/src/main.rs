//! The `barta` binary: a thin shell over the library crates.
//!
//! Exit codes: 0 success, 1 failure, 2 bad usage, 3 "already exists" (so set-up scripts can
//! run `barta desk add` / `barta user add` / `barta release add` again safely).

mod admin;
mod audit;
mod backup;
mod local;
mod migrate;
mod newsroom;
mod release;
mod serve;
mod target;
mod text;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "barta", version, about = "Barta: the Bengali newsroom's tools")]
struct Cli {
    /// Keep the newsroom in this PostgreSQL database (`postgres://user@host:port/name`)
    /// instead of SQLite in the data directory — for `serve` and every administration
    /// command. A password is better given in `BARTA_DATABASE_URL`, read when this is not
    /// set, which keeps it off the command line.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bengali text tools (stdin → stdout, one line per line).
    Text(text::TextArgs),
    /// Run the publishing backend.
    Serve(serve::ServeArgs),
    /// Manage desks.
    Desk(admin::DeskArgs),
    /// Manage users: add, list, disable, enable, set a password.
    User(admin::UserArgs),
    /// List and revoke login sessions (a lost or seized laptop's).
    Session(admin::SessionArgs),
    /// Read the audit trail (who did what, from where) and check its hash chain.
    Audit(audit::AuditArgs),
    /// Manage publish targets: the newsroom's WordPress site, webhooks.
    Target(target::TargetArgs),
    /// The desktop app's releases this server offers the apps as updates.
    Release(release::ReleaseArgs),
    /// The newsroom's settings for every laptop (e.g. `spelling.style on`).
    Newsroom(newsroom::NewsroomArgs),
    /// The desktop's local article store (`--db PATH`).
    Local(local::LocalArgs),
    /// Copy a SQLite newsroom into one file while it serves (checked).
    Backup(backup::BackupArgs),
    /// Put a backup into an empty data directory (checked before it is used).
    Restore(backup::RestoreArgs),
    /// Copy a SQLite newsroom into an empty PostgreSQL database (--database URL).
    Migrate(migrate::MigrateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    admin::choose_database(cli.database);
    match cli.command {
        Command::Text(args) => text::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Desk(args) => admin::desk(args),
        Command::User(args) => admin::user(args),
        Command::Session(args) => admin::session(args),
        Command::Audit(args) => audit::run(args),
        Command::Target(args) => target::run(args),
        Command::Release(args) => release::run(args),
        Command::Newsroom(args) => newsroom::run(args),
        Command::Local(args) => local::run(args),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Migrate(args) => migrate::run(args),
    }
}
