//! `barta local …`: the desktop's local store from the command line (`--db PATH`): import
//! ninjs files or an exported folder, export the whole store, search, show an article's
//! history, check integrity and schema version.
//!
//! Exit codes: 0 success, 1 failure (nothing written on a failed import), 2 bad usage.

use barta_store::ninjs::from_ninjs;
use barta_store::{SCHEMA_VERSION, SearchQuery, Store, StoreError, mark_runs};
use clap::{Args, Subcommand};
use serde_json::Value;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `barta local` arguments.
#[derive(Debug, Args)]
pub struct LocalArgs {
    /// The store file (created when missing, except for `check`).
    #[arg(long, global = true, default_value = "barta.db")]
    pub db: PathBuf,
    #[command(subcommand)]
    pub command: LocalCommand,
}

/// The local store commands.
#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Import ninjs JSON files, folders of them, or a folder written by `export`.
    Import {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The desk of items that do not name one.
        #[arg(long, default_value = "imported")]
        desk: String,
        /// The author recorded on imported articles.
        #[arg(long, default_value = "import")]
        author: String,
    },
    /// Export the whole store to a folder (manifest.json + articles/<id>.json).
    Export {
        /// The folder to write.
        dir: PathBuf,
    },
    /// Full-text search: prints id, headline and snippet per hit.
    Search {
        /// The words to find.
        query: String,
        /// Print the hits as JSON.
        #[arg(long)]
        json: bool,
        /// Only this desk (repeatable).
        #[arg(long)]
        desk: Vec<String>,
        /// Only articles with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// At most this many hits.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Rank every match, not only the newest 2,000 (slower for very common words).
        #[arg(long)]
        rank_all: bool,
    },
    /// An article's revisions, newest first.
    History {
        /// The article id.
        id: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Integrity check and schema version.
    Check,
}

/// Runs a `barta local` command.
pub fn run(args: LocalArgs) -> ExitCode {
    match execute(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("barta local: {e}");
            ExitCode::from(1)
        }
    }
}

/// Why a `barta local` command failed.
#[derive(Debug, thiserror::Error)]
enum LocalError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}; nothing was imported")]
    BadFile { path: PathBuf, reason: String },
    #[error("{0:?} is not an article id")]
    BadId(String),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("writing the output: {0}")]
    Output(std::io::Error),
}

fn execute(args: LocalArgs) -> Result<ExitCode, LocalError> {
    if matches!(args.command, LocalCommand::Check) && !args.db.exists() {
        return Err(LocalError::Missing(args.db));
    }
    let mut store = Store::open(&args.db)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    match args.command {
        LocalCommand::Import {
            paths,
            desk,
            author,
        } => import(&mut store, &paths, &desk, &author, &mut out),
        LocalCommand::Export { dir } => {
            let n = store.export_folder(&dir)?;
            writeln!(out, "exported {n} articles to {}", dir.display())
                .map_err(LocalError::Output)?;
            Ok(ExitCode::SUCCESS)
        }
        LocalCommand::Search {
            query,
            json,
            desk,
            tag,
            limit,
            rank_all,
        } => {
            if rank_all {
                store.set_rank_window(i64::MAX);
            }
            let hits = store.search(&SearchQuery {
                text: query,
                desks: desk,
                tag,
                limit,
                ..Default::default()
            })?;
            if json {
                let text = serde_json::to_string_pretty(&hits)
                    .map_err(|e| LocalError::Output(std::io::Error::other(e)))?;
                writeln!(out, "{text}").map_err(LocalError::Output)?;
            } else {
                let (open, close) = if std::io::stdout().is_terminal() {
                    ("\x1b[1;33m", "\x1b[0m")
                } else {
                    ("[", "]")
                };
                for hit in &hits {
                    writeln!(
                        out,
                        "{}\t{}\t{}",
                        hit.id,
                        mark_runs(&hit.headline_runs, open, close),
                        hit.snippet_marked(open, close)
                    )
                    .map_err(LocalError::Output)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LocalCommand::History { id, json } => {
            let id = id.parse().map_err(|_| LocalError::BadId(id.clone()))?;
            let history = store.history(id)?;
            if json {
                let text = serde_json::to_string_pretty(&history)
                    .map_err(|e| LocalError::Output(std::io::Error::other(e)))?;
                writeln!(out, "{text}").map_err(LocalError::Output)?;
            } else {
                for r in &history {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}{}\t{} words\t{}",
                        r.id,
                        r.created_at,
                        r.author,
                        r.origin,
                        if r.pending { " (unsent)" } else { "" },
                        r.words,
                        r.headline
                    )
                    .map_err(LocalError::Output)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LocalCommand::Check => {
            let ok = store.integrity_ok()?;
            let stats = store.stats()?;
            writeln!(
                out,
                "schema version {} (this build: {SCHEMA_VERSION})\nintegrity: {}\narticles: {}\nrevisions: {}\nunsent: {}\nsize: {:.1} MB",
                stats.schema_version,
                if ok { "ok" } else { "DAMAGED" },
                stats.articles,
                stats.revisions,
                stats.pending,
                stats.bytes as f64 / 1e6
            )
            .map_err(LocalError::Output)?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Shows `done/total` as a bar on stderr when it is a terminal.
struct Progress {
    total: usize,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            total,
            shown: std::io::stderr().is_terminal() && total > 1,
        }
    }

    fn step(&self, done: usize, label: &str) {
        if !self.shown || (!done.is_multiple_of(50) && done != self.total) {
            return;
        }
        let width = 30;
        let filled = done * width / self.total.max(1);
        eprint!(
            "\r{label} [{}{}] {done}/{}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            self.total
        );
        if done == self.total {
            eprintln!();
        }
    }
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, LocalError> {
    let io = |source| LocalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn import(
    store: &mut Store,
    paths: &[PathBuf],
    desk: &str,
    author: &str,
    out: &mut impl Write,
) -> Result<ExitCode, LocalError> {
    let mut files = Vec::new();
    let mut archives = Vec::new();
    for path in paths {
        if path.is_dir() {
            if path.join("manifest.json").exists() {
                archives.push(path.clone());
            } else {
                files.extend(json_files(path)?);
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(LocalError::Missing(path.clone()));
        }
    }
    // Read and check every file before writing anything.
    let progress = Progress::new(files.len());
    let mut items = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).map_err(|source| LocalError::Io {
            path: path.clone(),
            source,
        })?;
        let bad = |reason: String| LocalError::BadFile {
            path: path.clone(),
            reason,
        };
        let value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        from_ninjs(&value).map_err(|e| bad(e.to_string()))?;
        items.push(value);
        progress.step(i + 1, "reading");
    }
    let mut imported = 0;
    let mut skipped = 0;
    if !items.is_empty() {
        let report = store.import_ninjs(&items, desk, author)?;
        imported += report.imported.len();
        skipped += report.skipped.len();
    }
    for dir in &archives {
        let report = store.import_folder(dir)?;
        imported += report.imported.len();
        skipped += report.skipped.len();
    }
    writeln!(
        out,
        "imported {imported} articles, skipped {skipped} already in the store"
    )
    .map_err(LocalError::Output)?;
    Ok(ExitCode::SUCCESS)
}
