//! `barta newsroom set|show`: the newsroom's own settings, kept by the server and read by
//! every laptop (today: whether the spelling checker shows standard-spelling suggestions).

use crate::admin::{fail, open};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The setting that turns standard-spelling (style) suggestions on or off.
const STYLE_KEY: &str = "spelling.style";

/// `barta newsroom` arguments.
#[derive(Debug, Args)]
pub struct NewsroomArgs {
    #[command(subcommand)]
    pub command: NewsroomCommand,
}

/// On or off.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// The settings.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Setting {
    /// Standard-spelling (Bangla Academy) suggestions beside misspellings in every laptop's
    /// editor (পূর্বসূরী → পূর্বসূরি as a style note, not an error). Off unless set.
    #[value(name = "spelling.style")]
    SpellingStyle,
}

/// Newsroom commands.
#[derive(Debug, Subcommand)]
pub enum NewsroomCommand {
    /// Sets a newsroom setting; the laptops take it at their next sync.
    Set {
        setting: Setting,
        value: Switch,
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
    /// Shows the newsroom's settings.
    Show {
        #[arg(long, value_name = "DIR", default_value = "./barta-data")]
        data: PathBuf,
    },
}

/// Runs a newsroom command.
pub fn run(args: NewsroomArgs) -> ExitCode {
    match args.command {
        NewsroomCommand::Set {
            setting: Setting::SpellingStyle,
            value,
            data,
        } => {
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            let value = match value {
                Switch::On => "on",
                Switch::Off => "off",
            };
            match store.set_newsroom_setting(STYLE_KEY, value) {
                Ok(()) => {
                    crate::admin::audited(
                        &*store,
                        "newsroom_set",
                        &format!("{STYLE_KEY} = {value}"),
                    );
                    println!("{STYLE_KEY} = {value}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
        NewsroomCommand::Show { data } => {
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            match store.newsroom_setting(STYLE_KEY) {
                Ok(value) => {
                    println!("{STYLE_KEY} = {}", value.as_deref().unwrap_or("off"));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e, 1),
            }
        }
    }
}
