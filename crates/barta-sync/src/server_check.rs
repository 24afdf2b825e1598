//! Checking the newsroom address a person typed at first run (or in settings) before the app
//! saves it: the address is made whole (`news.example.com` → `https://news.example.com`), then
//! its `/healthz` must answer as a Barta server that speaks this app's API and accepts this
//! app's version. Each failure says, in a stable code, what a person can do about it.

use crate::client::{Client, ClientError};
use barta_model::ErrorCode;
use barta_model::api::{API_VERSION, SERVICE_NAME};

/// A server that answered as Barta and accepts this app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedServer {
    /// The address as it will be saved: scheme, host, port and path, no trailing `/`.
    pub url: String,
    /// The server's own version.
    pub version: String,
}

/// Why an address cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ServerCheckError {
    /// Not a web address at all (`http://`, spaces, an unknown scheme).
    #[error("{0:?} is not a web address (for example https://news.example.com)")]
    BadAddress(String),
    /// `http://` to another computer: the password and drafts would cross the network
    /// readable.
    #[error("{0} is plain http to another computer: give its https:// address")]
    Insecure(String),
    /// Nothing answers there: a wrong name, no network, a firewall.
    #[error("cannot reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    /// The server's certificate is not trusted for this address.
    #[error("certificate problem at {url}: {detail}")]
    Certificate { url: String, detail: String },
    /// Something answers, but not as a Barta server (another website, a proxy's page).
    #[error("{url} answers, but it is not a Barta server")]
    NotBarta { url: String },
    /// A Barta server of another API version.
    #[error("{url} is a Barta server of API version {server}; this app speaks version {app}")]
    OtherApi { url: String, server: u32, app: u32 },
    /// The server wants a newer app.
    #[error("the server accepts Barta {minimum} or newer; this app is {app}: update the app")]
    TooOld { minimum: String, app: String },
}

impl ServerCheckError {
    /// The stable code for the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadAddress(_) => ErrorCode::Invalid,
            Self::Insecure(_) => ErrorCode::InsecureAddress,
            Self::Unreachable { .. } => ErrorCode::ServerUnreachable,
            Self::Certificate { .. } => ErrorCode::CertificateProblem,
            Self::NotBarta { .. } | Self::OtherApi { .. } => ErrorCode::NotBartaServer,
            Self::TooOld { .. } => ErrorCode::ClientTooOld,
        }
    }
}

/// `typed` as a server address: trimmed, `https://` when no scheme was given, no trailing
/// `/`, no query, fragment or credentials. Only `https`, and `http` to this computer.
pub fn server_address(typed: &str) -> Result<String, ServerCheckError> {
    let trimmed = typed.trim();
    let bad = || ServerCheckError::BadAddress(typed.trim().to_string());
    if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let whole = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let url = reqwest::Url::parse(&whole).map_err(|_| bad())?;
    let plain = url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !plain {
        return Err(bad());
    }
    if url.scheme() == "http" && !crate::client::is_loopback(&url) {
        return Err(ServerCheckError::Insecure(
            url.as_str().trim_end_matches('/').to_string(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// True when `error`, or anything under it, is about a TLS certificate.
fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        let text = e.to_string().to_lowercase();
        if text.contains("certificate") || text.contains("unknownissuer") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The innermost cause's words: the useful part of reqwest's chain ("connection refused").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Checks the server at `typed` for an app of version `app_version` (semver).
pub async fn check_server(
    typed: &str,
    app_version: &str,
) -> Result<CheckedServer, ServerCheckError> {
    let url = server_address(typed)?;
    let client = Client::new(&url)
        .map_err(|_| ServerCheckError::BadAddress(typed.trim().to_string()))?
        .with_client_version(app_version);
    let health = match client.health().await {
        Ok(health) => health,
        Err(ClientError::Unreachable(e)) if is_certificate_error(&e) => {
            return Err(ServerCheckError::Certificate {
                url,
                detail: root_cause(&e),
            });
        }
        Err(ClientError::Unreachable(e)) => {
            return Err(ServerCheckError::Unreachable {
                url,
                detail: root_cause(&e),
            });
        }
        Err(ClientError::Cut(detail)) => return Err(ServerCheckError::Unreachable { url, detail }),
        Err(_) => return Err(ServerCheckError::NotBarta { url }),
    };
    if health.service.as_deref() != Some(SERVICE_NAME) {
        return Err(ServerCheckError::NotBarta { url });
    }
    match health.api {
        Some(API_VERSION) => {}
        Some(server) => {
            return Err(ServerCheckError::OtherApi {
                url,
                server,
                app: API_VERSION,
            });
        }
        None => return Err(ServerCheckError::NotBarta { url }),
    }
    if let Some(minimum) = &health.min_client_version
        && let (Ok(min), Ok(app)) = (
            semver::Version::parse(minimum),
            semver::Version::parse(app_version),
        )
        && app < min
    {
        return Err(ServerCheckError::TooOld {
            minimum: minimum.clone(),
            app: app_version.to_string(),
        });
    }
    Ok(CheckedServer {
        url,
        version: health.version.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_becomes_an_https_address() {
        assert_eq!(
            server_address("  news.example.com/ ").unwrap(),
            "https://news.example.com"
        );
        assert_eq!(
            server_address("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            server_address("https://example.org/barta/").unwrap(),
            "https://example.org/barta"
        );
    }

    #[test]
    fn plain_http_to_another_computer_is_refused_before_anything_is_sent() {
        for typed in [
            "http://news.example.com",
            "http://10.0.0.5:8080",
            "http://192.168.1.10/barta",
            "http://[2001:db8::1]:8080",
        ] {
            let refused = server_address(typed).unwrap_err();
            assert!(
                matches!(refused, ServerCheckError::Insecure(_)),
                "{typed:?}"
            );
            assert_eq!(refused.code(), ErrorCode::InsecureAddress);
            assert!(matches!(Client::new(typed), Err(ClientError::Insecure(_))));
        }
        for typed in [
            "http://localhost:8080",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://[::1]:8080",
        ] {
            assert!(server_address(typed).is_ok(), "{typed:?}");
            assert!(Client::new(typed).is_ok(), "{typed:?}");
        }
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        for typed in [
            "",
            "   ",
            "news example.com",
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "http://",
        ] {
            assert!(
                matches!(server_address(typed), Err(ServerCheckError::BadAddress(_))),
                "{typed:?}"
            );
        }
    }
}
