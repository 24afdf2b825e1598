//! Which newsroom server the app talks to: `BARTA_SERVER_URL` when set (tests, kiosks), else
//! the address a person entered at first run, kept in the data directory's `server.json`.
//! Nothing here talks to the network: checking an address is `barta_sync::check_server`.

use crate::error::AppError;
use barta_model::ErrorCode;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The environment variable that fixes the server (the settings screen cannot change it).
pub const SERVER_ENV: &str = "BARTA_SERVER_URL";

/// The file, in the data directory, that remembers the address entered at setup.
const SERVER_FILE: &str = "server.json";

/// The server the app is set to, and where that came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenServer {
    pub url: String,
    /// Set by `BARTA_SERVER_URL`: shown, but not changeable from the app.
    pub from_env: bool,
}

#[derive(Serialize, Deserialize)]
struct SavedServer {
    url: String,
}

fn server_file(data_dir: &Path) -> PathBuf {
    data_dir.join(SERVER_FILE)
}

/// The server from the environment, else the one saved in `data_dir`, else none (first run).
/// An unreadable or damaged `server.json` counts as none: the setup screen asks again.
pub fn chosen_server(data_dir: &Path) -> Option<ChosenServer> {
    if let Some(url) = std::env::var(SERVER_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        return Some(ChosenServer {
            url: url.trim().trim_end_matches('/').to_string(),
            from_env: true,
        });
    }
    let text = std::fs::read_to_string(server_file(data_dir)).ok()?;
    match serde_json::from_str::<SavedServer>(&text) {
        Ok(saved) if !saved.url.is_empty() => Some(ChosenServer {
            url: saved.url,
            from_env: false,
        }),
        _ => {
            tracing::warn!("{SERVER_FILE} is damaged: asking for the server again");
            None
        }
    }
}

/// Remembers `url` (already checked) in `data_dir`, atomically: a crash leaves the old file or
/// the new one, never half of one.
pub fn save_server(data_dir: &Path, url: &str) -> Result<(), AppError> {
    let storage = |e: std::io::Error| {
        AppError::new(
            ErrorCode::Storage,
            format!(
                "cannot save the server address in {}: {e}",
                data_dir.display()
            ),
        )
    };
    std::fs::create_dir_all(data_dir).map_err(storage)?;
    let json = serde_json::to_string_pretty(&SavedServer {
        url: url.to_string(),
    })
    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let partial = data_dir.join(format!("{SERVER_FILE}.partial"));
    std::fs::write(&partial, json).map_err(storage)?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(storage)?;
    std::fs::rename(&partial, server_file(data_dir)).map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_address_is_read_back_and_a_damaged_file_asks_again() {
        // BARTA_SERVER_URL is not set by `cargo test` for this crate.
        if std::env::var_os(SERVER_ENV).is_some() {
            panic!("unset {SERVER_ENV} to run this test: it reads the saved address");
        }
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(chosen_server(dir.path()), None);
        save_server(dir.path(), "https://news.example.com").unwrap();
        assert_eq!(
            chosen_server(dir.path()),
            Some(ChosenServer {
                url: "https://news.example.com".into(),
                from_env: false
            })
        );
        std::fs::write(dir.path().join(SERVER_FILE), "{not json").unwrap();
        assert_eq!(chosen_server(dir.path()), None);
    }
}
