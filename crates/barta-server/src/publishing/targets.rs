//! Administering publish targets (`barta target add|list|test|remove`): checking what an admin
//! gives, sealing the secret, and testing the credentials against the website.

use super::secrets::{SecretError, SecretKey};
use super::webhook::{self, WebhookBody};
use super::wordpress::WordPress;
use super::{SendError, TargetKind, TargetRecord};
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;

/// A target as the admin describes it.
#[derive(Clone)]
pub struct NewTarget {
    pub name: String,
    pub kind: TargetKind,
    pub url: String,
    /// WordPress only: the user the application password belongs to.
    pub username: Option<String>,
    /// The application password (WordPress) or the signing secret (webhook).
    pub secret: String,
    pub desks: Vec<String>,
    /// WordPress only: category id per desk slug.
    pub categories: BTreeMap<String, u64>,
}

/// Why a target was not added.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(
        "invalid target name {0:?}: use 1 to 64 lowercase ASCII letters, digits and '-', \
         starting with a letter or digit"
    )]
    BadName(String),
    #[error("invalid address {0:?}: {1}")]
    BadUrl(String, String),
    #[error("a WordPress target needs --user (the WordPress user of the application password)")]
    MissingUser,
    #[error("the {0} must not be empty")]
    EmptySecret(&'static str),
    #[error("--category is for WordPress targets only")]
    CategoryForWebhook,
    #[error("--category {0}=…: the target does not serve desk {0:?} (see --desk)")]
    CategoryForUnservedDesk(String),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether `name` is a valid target name.
pub fn is_target_name(name: &str) -> bool {
    crate::admin::is_desk_slug(name)
}

/// Parses `--category DESK=ID`.
pub fn parse_category(text: &str) -> Result<(String, u64), String> {
    let (desk, id) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: write DESK=ID, e.g. international=7"))?;
    let id = id
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("{text:?}: the category id must be a number (WordPress's term id)"))?;
    Ok((desk.trim().to_string(), id))
}

/// Checks an address: `https`, or plain `http` only to this machine (a password or a signed
/// article must not cross a network in clear).
pub fn check_url(url: &str) -> Result<(), TargetError> {
    let bad = |why: &str| TargetError::BadUrl(url.to_string(), why.to_string());
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("put no user or password in the address"));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let local = match parsed.host_str() {
                Some("localhost") => true,
                Some(host) => host
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback()),
                None => false,
            };
            if local {
                Ok(())
            } else {
                Err(bad(
                    "use https: over plain http the password and the articles cross the \
                     network in clear (http is accepted only for this machine)",
                ))
            }
        }
        _ => Err(bad("use an https:// address")),
    }
}

/// Adds a target, its secret sealed with `key`.
pub fn add(
    store: &dyn Store,
    key: &SecretKey,
    new: NewTarget,
) -> Result<TargetRecord, TargetError> {
    if !is_target_name(&new.name) {
        return Err(TargetError::BadName(new.name));
    }
    check_url(&new.url)?;
    let username = match new.kind {
        TargetKind::Wordpress => {
            let user = new.username.as_deref().map(str::trim).unwrap_or_default();
            if user.is_empty() {
                return Err(TargetError::MissingUser);
            }
            if new.secret.trim().is_empty() {
                return Err(TargetError::EmptySecret("application password"));
            }
            Some(user.to_string())
        }
        TargetKind::Webhook => {
            if !new.categories.is_empty() {
                return Err(TargetError::CategoryForWebhook);
            }
            if new.secret.is_empty() {
                return Err(TargetError::EmptySecret("webhook secret"));
            }
            None
        }
    };
    if !new.desks.is_empty()
        && let Some(desk) = new.categories.keys().find(|d| !new.desks.contains(d))
    {
        return Err(TargetError::CategoryForUnservedDesk(desk.clone()));
    }
    let record = TargetRecord {
        name: new.name,
        kind: new.kind,
        url: new.url,
        username,
        // Application passwords are shown with spaces; WordPress accepts them either way.
        sealed_secret: key.seal(&new.secret),
        desks: new.desks,
        categories: new.categories,
        created_at: crate::store::timestamp(chrono::Utc::now()),
    };
    store.add_target(record.clone())?;
    Ok(record)
}

/// Checks a target from this machine: for WordPress, the credentials and the rights Barta
/// needs; for a webhook, that the receiver accepts a signed `ping`. `Ok` says what was
/// checked.
pub async fn test(key: &SecretKey, target: &TargetRecord) -> Result<String, SendError> {
    let http = &super::http_client().map_err(|e| SendError::Failed(e.to_string()))?;
    let secret = key
        .open(&target.sealed_secret)
        .map_err(|e| SendError::Failed(e.to_string()))?;
    match target.kind {
        TargetKind::Wordpress => {
            let site = WordPress::new(
                http.clone(),
                &target.url,
                target.username.as_deref().unwrap_or_default(),
                &secret,
            );
            let user = site.check().await?;
            Ok(format!(
                "WordPress at {} accepts user {user}, who may publish, upload photos, correct \
                 and trash posts",
                target.url
            ))
        }
        TargetKind::Webhook => {
            let id = uuid::Uuid::now_v7().to_string();
            let body = WebhookBody {
                event: "ping",
                delivery_id: &id,
                article_id: None,
                sent_at: crate::store::timestamp(chrono::Utc::now()),
                item: None,
            };
            webhook::send(http, &target.url, &secret, &body).await?;
            Ok(format!(
                "the receiver at {} accepted a signed ping",
                target.url
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_https_except_on_this_machine() {
        assert!(check_url("https://news.example.com").is_ok());
        assert!(check_url("http://127.0.0.1:8080/").is_ok());
        assert!(check_url("http://localhost/wp").is_ok());
        assert!(check_url("http://news.example.com").is_err());
        assert!(check_url("https://user:pw@news.example.com").is_err());
        assert!(check_url("ftp://news.example.com").is_err());
        assert!(check_url("news.example.com").is_err());
    }

    #[test]
    fn categories_parse_as_desk_equals_id() {
        assert_eq!(
            parse_category("international=7"),
            Ok(("international".into(), 7))
        );
        assert!(parse_category("international").is_err());
        assert!(parse_category("international=seven").is_err());
    }
}
