//! `barta text …`: line-oriented Bengali text tools over the `bangla` crate (first cut:
//! `normalize` only; the full set arrives with issue 3).

use clap::{Args, Subcommand};
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// `barta text` arguments.
#[derive(Debug, Args)]
pub struct TextArgs {
    #[command(subcommand)]
    pub command: TextCommand,
}

/// The text tools.
#[derive(Debug, Subcommand)]
pub enum TextCommand {
    /// Print each stdin line in Barta's stored form.
    Normalize,
}

/// Runs a text tool over stdin, one output line per input line.
pub fn run(args: TextArgs) -> ExitCode {
    let TextCommand::Normalize = args.command;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        match line {
            Ok(line) => {
                if writeln!(out, "{}", bangla::normalize(&line)).is_err() {
                    return ExitCode::from(1);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
