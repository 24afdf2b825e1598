//! The window stays the app: navigating away from the app's own page is refused, a link to the
//! web or to mail (http, https, mailto) opens in the system's browser or mail program instead
//! (Tauri's opener plugin), and no page may open a new window. A link in an article's preview
//! or reading pane, a redirect or a script can therefore never put another site in the window
//! that holds the session.

use tauri::webview::NewWindowResponse;
use tauri::{AppHandle, Runtime, Url};
use tauri_plugin_opener::OpenerExt;

/// Debug builds only (the e2e tests): a program to hand links to instead of the system's
/// browser, so that a test sees what would have opened.
pub const TEST_OPENER_ENV: &str = "BARTA_TEST_LINK_OPENER";

/// Whether `url` is the app's own page: `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows), as Tauri serves the embedded UI.
pub fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Whether `url` may be handed to the system: a web or mail address.
pub fn is_outside_link(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto")
}

/// Hands `url` to the system's browser or mail program (or, in a debug build, to the program
/// [`TEST_OPENER_ENV`] names). Anything else is refused and logged.
pub fn open_outside<R: Runtime>(app: &AppHandle<R>, url: &Url) {
    if !is_outside_link(url) {
        tracing::warn!(scheme = url.scheme(), "a link of this kind is not opened");
        return;
    }
    let with = if cfg!(debug_assertions) {
        std::env::var(TEST_OPENER_ENV).ok()
    } else {
        None
    };
    if let Err(e) = app.opener().open_url(url.as_str(), with) {
        tracing::warn!(%e, "the link could not be handed to the system");
    }
}

/// The navigation rule of the main window: its own page only; links go outside.
pub fn on_navigation<R: Runtime>(app: AppHandle<R>) -> impl Fn(&Url) -> bool + Send + 'static {
    move |url| {
        if is_app_page(url) {
            return true;
        }
        tracing::info!(
            scheme = url.scheme(),
            "navigation away from the app refused"
        );
        open_outside(&app, url);
        false
    }
}

/// The new-window rule: never; a web or mail link goes outside instead.
pub fn on_new_window<R: Runtime>(
    app: AppHandle<R>,
) -> impl Fn(Url, tauri::webview::NewWindowFeatures) -> NewWindowResponse<R> + Send + 'static {
    move |url, _features| {
        open_outside(&app, &url);
        NewWindowResponse::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_apps_own_page_stays_in_the_window() {
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html#x",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/a.js",
        ] {
            assert!(is_app_page(&url(own)), "{own}");
        }
        for other in [
            "https://bdnews24.com/",
            "http://localhost:1420/",
            "tauri://evil.example/",
            "https://tauri.localhost.evil.example/",
            "file:///etc/passwd",
            "data:text/html,x",
        ] {
            assert!(!is_app_page(&url(other)), "{other}");
        }
    }

    #[test]
    fn only_web_and_mail_links_go_to_the_system() {
        for link in [
            "https://bdnews24.com/",
            "http://example.com",
            "mailto:desk@example.com",
        ] {
            assert!(is_outside_link(&url(link)), "{link}");
        }
        for link in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "tauri://localhost/",
            "smb://host/share",
        ] {
            assert!(!is_outside_link(&url(link)), "{link}");
        }
    }
}
