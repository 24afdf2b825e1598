//! `barta newsroom set|show`: the newsroom's own settings, kept by the server: whether every
//! laptop's spelling checker shows standard-spelling suggestions, and how many days of
//! changed articles a new laptop holds in full (`barta_server::window`).

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

/// The settings.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Setting {
    /// Standard-spelling (Bangla Academy) suggestions beside misspellings in every laptop's
    /// editor (পূর্বসূরী → পূর্বসূরি as a style note, not an error). Off unless set.
    #[value(name = "spelling.style")]
    SpellingStyle,
    /// How many days of changed articles a laptop holds in full besides everything not yet
    /// published or killed and the user's own (0–3650; 30 unless set). Older articles are
    /// fetched when opened and searched on the server.
    #[value(name = "sync.window-days")]
    SyncWindowDays,
}

impl Setting {
    const ALL: [Setting; 2] = [Setting::SpellingStyle, Setting::SyncWindowDays];

    fn key(self) -> &'static str {
        match self {
            Setting::SpellingStyle => STYLE_KEY,
            Setting::SyncWindowDays => barta_server::window::DAYS_KEY,
        }
    }

    /// The value as stored, or why it is not one this setting takes.
    fn checked(self, value: &str) -> Result<String, String> {
        match self {
            Setting::SpellingStyle => match value {
                "on" | "off" => Ok(value.to_string()),
                _ => Err(format!("{STYLE_KEY} is on or off, not {value:?}")),
            },
            Setting::SyncWindowDays => match value.parse::<u32>() {
                Ok(days) if days <= barta_server::window::MAX_DAYS => Ok(days.to_string()),
                _ => Err(format!(
                    "{} is a number of days from 0 to {}, not {value:?}",
                    barta_server::window::DAYS_KEY,
                    barta_server::window::MAX_DAYS
                )),
            },
        }
    }

    /// What the newsroom gets when the setting is not set.
    fn default_value(self) -> String {
        match self {
            Setting::SpellingStyle => "off".into(),
            Setting::SyncWindowDays => barta_server::window::DEFAULT_DAYS.to_string(),
        }
    }
}

/// Newsroom commands.
#[derive(Debug, Subcommand)]
pub enum NewsroomCommand {
    /// Sets a newsroom setting; the laptops take it at their next sync.
    Set {
        setting: Setting,
        /// `on`/`off` for spelling.style; a number of days for sync.window-days.
        #[arg(allow_hyphen_values = true)]
        value: String,
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
            setting,
            value,
            data,
        } => {
            let value = match setting.checked(&value) {
                Ok(value) => value,
                Err(why) => {
                    eprintln!("error: {why}");
                    return ExitCode::from(2);
                }
            };
            let store = match open(&data) {
                Ok(store) => store,
                Err(code) => return code,
            };
            let key = setting.key();
            match store.set_newsroom_setting(key, &value) {
                Ok(()) => {
                    crate::admin::audited(&*store, "newsroom_set", &format!("{key} = {value}"));
                    println!("{key} = {value}");
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
            for setting in Setting::ALL {
                match store.newsroom_setting(setting.key()) {
                    Ok(value) => println!(
                        "{} = {}",
                        setting.key(),
                        value.unwrap_or_else(|| setting.default_value())
                    ),
                    Err(e) => return fail(&e, 1),
                }
            }
            ExitCode::SUCCESS
        }
    }
}
