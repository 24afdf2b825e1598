//! The `barta` binary: a thin shell over the library crates.

mod text;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "barta", version, about = "Barta: the Bengali newsroom's tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bengali text tools (stdin → stdout, one line per line).
    Text(text::TextArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Text(args) => text::run(args),
    }
}
