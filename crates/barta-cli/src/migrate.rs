//! `barta migrate`: a SQLite newsroom copied into an empty PostgreSQL database, every row as
//! it is, checked before it is committed (`barta_server::store::migrate`). The database is the
//! `--to URL`, the global `--database URL` or `BARTA_DATABASE_URL`. Exit status 3: the database holds a
//! newsroom already.

use crate::admin::{EXIT_EXISTS, database_url, fail};
use barta_server::store::migrate::{MigrateError, migrate};
use barta_server::store::postgres::PgStore;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `barta migrate` arguments.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The SQLite newsroom's data directory. Stop its `barta serve` first: what is written
    /// after the copy begins is not copied.
    #[arg(long, value_name = "DIR")]
    pub from_data: PathBuf,
    /// The PostgreSQL database to copy into (`postgres://…`); else `--database` or
    /// `BARTA_DATABASE_URL` (which keeps a password off the command line).
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
}

/// Runs `barta migrate`.
pub fn run(args: MigrateArgs) -> ExitCode {
    let Some(url) = args.to.clone().or_else(|| database_url().map(String::from)) else {
        return fail(
            &"name the PostgreSQL database to migrate into: --to URL, --database URL or \
              BARTA_DATABASE_URL",
            2,
        );
    };
    match migrate(&args.from_data, &url) {
        Ok(done) => {
            let rows: u64 = done.rows.iter().map(|(_, n)| n).sum();
            println!(
                "migrated {rows} rows of {} into PostgreSQL (the changes feed up to {}); checked: \
                 every table's row count, the audit chain's head",
                args.from_data.display(),
                done.last_seq
            );
            index_archive(&url)
        }
        Err(e @ MigrateError::TargetNotEmpty(..)) => fail(&e, EXIT_EXISTS),
        Err(e) => fail(&e, 1),
    }
}

/// Indexes the migrated articles for the archive search (`barta serve` would do it in the
/// background; done here, the newsroom is searchable from its first start).
fn index_archive(url: &str) -> ExitCode {
    let start = std::time::Instant::now();
    let indexed = PgStore::open(url, 1).and_then(|store| {
        let n = barta_server::search::index_whole_backlog(&store)?;
        store.analyze_archive()?;
        Ok(n)
    });
    match indexed {
        Ok(n) => {
            println!(
                "indexed {n} articles for the archive search in {:.1} s",
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(
            &format!(
                "the newsroom is copied, but its archive search index is not ({e}): `barta \
                 serve` indexes it in the background"
            ),
            1,
        ),
    }
}
