//! `barta backup` and `barta restore`: a SQLite newsroom copied while it serves, into one file
//! readable by its owner only, and put back into an empty data directory, both checked
//! (`barta_server::store::sqlite::backup`). Exit status 3: the target exists already.

use crate::admin::{EXIT_EXISTS, fail};
use barta_server::store::sqlite::backup::{self, BackupError, BackupManifest};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `barta backup` arguments.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The newsroom's data directory (the server may be running on it).
    #[arg(long, value_name = "DIR", default_value = "./barta-data")]
    pub data: PathBuf,
    /// The backup file to write (must not exist).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `barta restore` arguments.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file `barta backup` wrote.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The data directory to restore into (must hold no newsroom).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
}

fn summary(m: &BackupManifest) -> String {
    format!(
        "{} articles, {} revisions (changes feed up to {}), {} audit entries, database {:.1} MB; \
         checked: structure, every revision's hash, the audit chain",
        m.articles,
        m.revisions,
        m.last_seq,
        m.audit_entries,
        m.database_bytes as f64 / 1_048_576.0
    )
}

fn exit_for(e: BackupError) -> ExitCode {
    match e {
        BackupError::NotEmpty(_) => fail(&e, EXIT_EXISTS),
        _ => fail(&e, 1),
    }
}

pub fn backup(args: BackupArgs) -> ExitCode {
    if let Some(code) = not_for_postgres("backed up") {
        return code;
    }
    match backup::backup(&args.data, &args.out) {
        Ok(manifest) => {
            println!(
                "backed up to {}: {}",
                args.out.display(),
                summary(&manifest)
            );
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(e),
    }
}

pub fn restore(args: RestoreArgs) -> ExitCode {
    if let Some(code) = not_for_postgres("restored") {
        return code;
    }
    match backup::restore(&args.from, &args.data) {
        Ok(manifest) => {
            println!(
                "restored {} (taken {}) into {}: {}",
                args.from.display(),
                manifest.created_at,
                args.data.display(),
                summary(&manifest)
            );
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(e),
    }
}

/// `barta backup` and `restore` are SQLite's: a newsroom kept in PostgreSQL is backed up
/// with PostgreSQL's own tools (README: `pg_dump`, `pg_restore`).
fn not_for_postgres(done: &str) -> Option<ExitCode> {
    crate::admin::database_url()?;
    eprintln!(
        "error: a newsroom kept in PostgreSQL is {done} with pg_dump and pg_restore (see the \
         README), not with barta backup / barta restore, which copy a SQLite newsroom"
    );
    Some(ExitCode::from(2))
}
