//! [`AppSession`]: the real desktop app, launched by `tauri-driver` (which starts
//! `WebKitWebDriver`, which starts the app) and driven through WebDriver with fantoccini.

use crate::display::Display;
use crate::paths::{artifacts_dir, binary, free_port};
use crate::process::Guarded;
use anyhow::{Context, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a UI condition may take before a test fails.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);

/// Where one app instance keeps its data and which server it talks to.
#[derive(Clone, Debug)]
pub struct AppSettings {
    pub data_dir: PathBuf,
    pub server_url: String,
    /// A name for screenshots and logs (e.g. "reporter").
    pub name: String,
}

/// A running app instance under WebDriver. Dropping it ends the session and the driver.
pub struct AppSession {
    pub client: Client,
    settings: AppSettings,
    display: String,
    driver: Option<Guarded>,
}

/// How many times [`AppSession::click`] tries again after a click that could not land.
const STALE_RETRIES: u32 = 10;

/// Whether `error` says an element found earlier is gone from the page (redrawn since).
/// WebKitWebDriver reports this as a stale reference or, for a node it no longer knows
/// ("Node with identifier … was not found"), as no such element or, inside a script's
/// arguments, as a script error carrying that message.
/// Waits until no app runs on `data_dir` and its lock is free. On a busy machine a process
/// can outlive its kill or its session by seconds, still holding the directory's lock, and a
/// new app would then refuse to start. A dying process also stops showing as the app (its
/// memory is torn down first) before the kernel closes its files and so releases the lock:
/// both are waited for.
async fn gone(data_dir: &std::path::Path, within: Duration, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    while !app_pids(data_dir).is_empty() {
        if Instant::now() > deadline {
            bail!("{what} is still running after {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lock = data_dir.join("barta.lock");
    while !lock_is_free(&lock) {
        if Instant::now() > deadline {
            bail!("{what}'s lock on its data directory is still held after {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

fn is_stale(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<fantoccini::error::CmdError>()
        .is_some_and(|e| {
            e.is_stale_element_reference()
                || e.is_no_such_element()
                || e.to_string().contains("was not found")
        })
}

/// Whether a click was refused for a moment's reason a user would wait out and click
/// again: the element went stale, or was covered or not yet clickable (a menu closing on a
/// redraw, a dialog fading out). WebKitWebDriver sends some of these with an empty message.
fn is_passing(error: &anyhow::Error) -> bool {
    is_stale(error)
        || error
            .downcast_ref::<fantoccini::error::CmdError>()
            .is_some_and(|e| {
                use fantoccini::error::{CmdError, ErrorStatus};
                e.is_element_not_interactable()
                    || matches!(e, CmdError::Standard(w)
                        if w.error == ErrorStatus::ElementClickIntercepted || w.message.is_empty())
            })
}

/// How long the app may take to start and open its WebDriver session.
const APP_START_TIMEOUT: Duration = Duration::from_secs(60);

fn which(program: &str) -> Option<PathBuf> {
    let home_bin =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin").join(program));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .chain(home_bin)
        .find(|p| p.is_file())
}

impl AppSession {
    /// Starts the app on `display` with `settings`. Fails with a reason (never skips) when
    /// tauri-driver or WebKitWebDriver is missing.
    pub async fn launch(display: &Display, settings: AppSettings) -> anyhow::Result<Self> {
        Self::launch_with_env(display, settings, &[]).await
    }

    /// [`AppSession::launch`] with extra environment variables for the app (e.g. a dark GTK
    /// theme).
    pub async fn launch_with_env(
        display: &Display,
        settings: AppSettings,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        Self::launch_program(display, settings, &binary("barta-app")?, env).await
    }

    /// [`AppSession::launch_with_env`] of another build of the app: `program` is e.g. the
    /// installed `/usr/bin/barta-app` of the package tests.
    pub async fn launch_program(
        display: &Display,
        settings: AppSettings,
        program: &std::path::Path,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let app = program.to_path_buf();
        let tauri_driver = which("tauri-driver").context(
            "tauri-driver is not installed: run scripts/setup (cargo install tauri-driver --version 2.1.0 --locked)",
        )?;
        let native = which("WebKitWebDriver").context(
            "WebKitWebDriver is not installed: run scripts/setup (apt package webkit2gtk-driver)",
        )?;
        std::fs::create_dir_all(&settings.data_dir)?;
        let port = free_port()?;
        let native_port = free_port()?;
        let log = std::fs::File::create(
            artifacts_dir("logs")?.join(format!("{}-app.log", settings.name)),
        )?;
        let mut cmd = Command::new(tauri_driver);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .arg("--native-driver")
        .arg(native)
        .env("DISPLAY", &display.name)
        .env("BARTA_DATA_DIR", &settings.data_dir)
        .env("BARTA_SERVER_URL", &settings.server_url)
        .env("BARTA_SYNC_INTERVAL_MS", "500")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
        let mut driver = Guarded::spawn("tauri-driver", cmd)?;
        // tauri-driver listens at once but starts WebKitWebDriver behind it: wait for both.
        let deadline = Instant::now() + Duration::from_secs(15);
        for p in [port, native_port] {
            while std::net::TcpStream::connect(("127.0.0.1", p)).is_err() {
                if !driver.is_running() || Instant::now() > deadline {
                    bail!("tauri-driver / WebKitWebDriver did not start listening on port {p}");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        // WebDriver runs on loopback: plain HTTP, no TLS stack needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        // An app that exits at once (another instance holds its data directory, a crash)
        // would leave the driver waiting for ever: the session gets a minute.
        let log_path = artifacts_dir("logs")?.join(format!("{}-app.log", settings.name));
        let client = tokio::time::timeout(
            APP_START_TIMEOUT,
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .map_err(|_| {
            let said = std::fs::read_to_string(&log_path).unwrap_or_default();
            anyhow::anyhow!(
                "the app did not start within {APP_START_TIMEOUT:?}; its log says:\n{said}"
            )
        })?
        .context("starting the app through WebDriver")?;
        Ok(Self {
            client,
            settings,
            display: display.name.clone(),
            driver: Some(driver),
        })
    }

    /// Unlocks the app (it starts locked) with `user`'s password and waits for their screen.
    pub async fn unlock(&self, user: &crate::DemoUser) -> anyhow::Result<()> {
        self.type_into("unlock-password", user.password).await?;
        self.click("unlock-submit").await?;
        self.wait_text("current-user", "the unlocked user", |t| {
            t.starts_with(user.username)
        })
        .await?;
        Ok(())
    }

    /// What the app was launched with.
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    /// The element with `data-testid="id"`, waiting for it to appear.
    pub async fn testid(&self, id: &str) -> anyhow::Result<Element> {
        let css = format!("[data-testid=\"{id}\"]");
        self.client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(&css))
            .await
            .with_context(|| format!("no element [data-testid={id}] within {UI_TIMEOUT:?}"))
    }

    /// Clicks the element with `data-testid="id"`. A list the app redraws from an event
    /// between finding the element and clicking it leaves a stale reference, and a redraw
    /// can close the menu the element is in: the element is then found again and clicked,
    /// as a user's second look would, a few times at most. A click that never lands leaves
    /// a screenshot of what covered it (`click-failed-<id>.png`).
    pub async fn click(&self, id: &str) -> anyhow::Result<()> {
        let mut attempt = 1;
        loop {
            let element = self.testid(id).await?;
            match self.click_element(&element).await {
                Err(error) if attempt < STALE_RETRIES && is_passing(&error) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => {
                    let _ = self.screenshot(&format!("click-failed-{id}")).await;
                    return Err(error.context(format!("clicking [data-testid={id}]")));
                }
                Ok(()) => return Ok(()),
            }
        }
    }

    /// Clicks `element` after scrolling it to the middle of the window: off-screen, or under
    /// the sticky article header or the fixed status bar, a click would land elsewhere. An
    /// element in a closed menu (the article's "more" menu) is reached as a user would: the
    /// menu is opened first by clicking its button.
    pub async fn click_element(&self, element: &Element) -> anyhow::Result<()> {
        let menu = self
            .client
            .execute(
                "const d = arguments[0].closest('details:not([open])'); \
                 const s = d && d.querySelector(':scope > summary'); \
                 return s && !s.contains(arguments[0]) ? s.dataset.testid ?? null : null;",
                vec![serde_json::to_value(element)?],
            )
            .await?;
        if let Some(opener) = menu.as_str() {
            self.testid(opener).await?.click().await?;
        }
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(element)?],
            )
            .await?;
        // WebKitWebDriver's refusals often come with an empty message: the error's code
        // (e.g. "element click intercepted") is what tells why.
        element.clone().click().await.map_err(|error| {
            let detail = format!("the click was refused: {error:?}");
            anyhow::Error::from(error).context(detail)
        })?;
        Ok(())
    }

    /// Waits, inside the page, until the element with `data-testid="id"` is there and its
    /// text starts with `prefix`: a `MutationObserver` answers the moment the page draws it,
    /// where [`AppSession::testid`] looks every 250 ms. For benchmarks timing the app (its cold
    /// start), so that what they measure is the app and not the harness's pauses between looks.
    pub async fn watch_for(&self, id: &str, prefix: &str) -> anyhow::Result<()> {
        let found = tokio::time::timeout(
            UI_TIMEOUT,
            self.client.execute_async(
                "const [id, prefix, done] = arguments; \
                 const here = () => { const e = document.querySelector(`[data-testid=\"${id}\"]`); \
                   return e !== null && (e.textContent ?? '').startsWith(prefix); }; \
                 if (here()) { done(true); } else { \
                   const o = new MutationObserver(() => { if (here()) { o.disconnect(); done(true); } }); \
                   o.observe(document, { childList: true, subtree: true, characterData: true }); }",
                vec![id.into(), prefix.into()],
            ),
        )
        .await
        .map_err(|_| anyhow::anyhow!("[data-testid={id}] with text {prefix:?} not drawn within {UI_TIMEOUT:?}"))?
        .with_context(|| format!("watching for [data-testid={id}]"))?;
        anyhow::ensure!(
            found == serde_json::Value::Bool(true),
            "the watch for [data-testid={id}] answered {found}"
        );
        Ok(())
    }

    /// Types `text` into the element with `data-testid="id"`.
    pub async fn type_into(&self, id: &str, text: &str) -> anyhow::Result<()> {
        let element = self.testid(id).await?;
        self.click_element(&element).await?;
        element.send_keys(text).await?;
        Ok(())
    }

    /// The text of the element with `data-testid="id"` (the value of an input).
    pub async fn text(&self, id: &str) -> anyhow::Result<String> {
        let element = self.testid(id).await?;
        let tag = element.tag_name().await?;
        if tag.eq_ignore_ascii_case("input") || tag.eq_ignore_ascii_case("textarea") {
            Ok(element.prop("value").await?.unwrap_or_default())
        } else {
            Ok(element.text().await?)
        }
    }

    /// Waits until `check` holds for the text of `data-testid="id"`.
    pub async fn wait_text(
        &self,
        id: &str,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(text) = self.text(id).await {
                if check(&text) {
                    return Ok(text);
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("[data-testid={id}] never became {what}; last text {last:?}")
    }

    /// Waits until `check` holds for attribute `attr` of `data-testid="id"`.
    pub async fn wait_attr(
        &self,
        id: &str,
        attr: &str,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = None;
        while Instant::now() < deadline {
            // The element may be redrawn between finding and reading it: look again.
            if let Ok(element) = self.testid(id).await
                && let Ok(value) = element.attr(attr).await
            {
                last = value;
                if let Some(value) = last.as_deref().filter(|v| check(v)) {
                    return Ok(value.to_string());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("[data-testid={id}] {attr} never became {what}; last {last:?}")
    }

    /// Waits until `script` returns a positive number (e.g. an image's natural width).
    pub async fn wait_js(&self, what: &str, script: &str) -> anyhow::Result<u64> {
        let deadline = Instant::now() + UI_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(v) = self.client.execute(script, vec![]).await
                && let Some(n) = v.as_u64().filter(|n| *n > 0)
            {
                return Ok(n);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("{what}: never happened")
    }

    /// Waits until the local draft is saved (the save indicator carries a time).
    pub async fn wait_saved(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + UI_TIMEOUT;
        while Instant::now() < deadline {
            let state = self.testid("save-state").await?;
            if state.attr("data-saved-at").await?.is_some() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the draft was never reported saved")
    }

    /// Saves a PNG of the app's window to `artifacts/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        // Let the last DOM changes reach the screen first (two animation frames, or 250 ms
        // when the page has nothing to paint and no frame comes).
        self.client
            .execute_async(
                "const done = arguments[0]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done())); \
                 setTimeout(done, 250);",
                vec![],
            )
            .await?;
        // The X server's copy of the window, not WebDriver's screenshot: WebKit's snapshot
        // of a page drawn without compositing (the default) never completes under Xvfb.
        let (x, y, width, height) = self.client.get_window_rect().await?;
        let path = artifacts_dir("screenshots")?.join(format!("{name}.png"));
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", "root", "-crop"])
            .arg(format!("{width}x{height}+{x}+{y}"))
            .arg("+repage")
            .arg(&path)
            .status()
            .context("ImageMagick's import is not installed: run scripts/setup")?;
        if !status.success() {
            bail!("import could not capture display {}", self.display);
        }
        Ok(path)
    }

    /// Kills the app process with SIGKILL, as a power cut would, and ends the driver.
    pub async fn kill_app(mut self) -> anyhow::Result<()> {
        let pids = app_pids(&self.settings.data_dir);
        if pids.is_empty() {
            bail!(
                "no running app found for {}",
                self.settings.data_dir.display()
            );
        }
        for pid in pids {
            Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()?;
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop(Duration::from_secs(5));
        }
        gone(
            &self.settings.data_dir,
            Duration::from_secs(30),
            "the killed app",
        )
        .await
    }

    /// Closes the app's window as a reporter does with its ✕: the window manager's
    /// WM_DELETE_WINDOW message to the top-level windows that accept it. Waits until the app
    /// process has exited, then stops the driver.
    pub async fn close_like_a_user(mut self) -> anyhow::Result<()> {
        let asked = ask_windows_to_close(&self.display)?;
        anyhow::ensure!(
            asked > 0,
            "no window on {} accepts WM_DELETE_WINDOW",
            self.display
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while !app_pids(&self.settings.data_dir).is_empty() {
            if Instant::now() > deadline {
                bail!("the app did not exit within 10 s of its window's close");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop(Duration::from_secs(5));
        }
        Ok(())
    }

    /// Ends the WebDriver session (the app closes) and stops the driver; returns once the app
    /// is gone and its data directory free for the next start.
    pub async fn close(mut self) -> anyhow::Result<()> {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        if let Some(mut driver) = self.driver.take() {
            driver.stop(Duration::from_secs(5));
        }
        gone(
            &self.settings.data_dir,
            Duration::from_secs(30),
            "the closed app",
        )
        .await
    }

    /// Selects the first occurrence of `text` inside `data-testid="id"` (a DOM selection, as a
    /// mouse drag makes; the editor takes it over from `selectionchange`).
    pub async fn select_text(&self, id: &str, text: &str) -> anyhow::Result<()> {
        let element = self.testid(id).await?;
        let found = self
            .client
            .execute_async(
                "const [root, wanted, done] = arguments;
                 const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                 for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                   const at = n.data.indexOf(wanted);
                   if (at < 0) continue;
                   root.focus();
                   const range = document.createRange();
                   range.setStart(n, at);
                   range.setEnd(n, at + wanted.length);
                   const sel = window.getSelection();
                   sel.removeAllRanges();
                   sel.addRange(range);
                   // Let the editor read the selection before anything else happens.
                   setTimeout(() => done(true), 100);
                   return;
                 }
                 done(false);",
                vec![
                    serde_json::to_value(&element)?,
                    serde_json::Value::from(text),
                ],
            )
            .await?;
        if found != serde_json::Value::Bool(true) {
            bail!("{text:?} is not in [data-testid={id}]");
        }
        Ok(())
    }

    /// Scrolls `data-testid="id"` to the middle of the window (before a screenshot).
    pub async fn scroll_to(&self, id: &str) -> anyhow::Result<()> {
        let element = self.testid(id).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        Ok(())
    }

    /// Sets the value of the input `data-testid="id"` as a picker would (date and time
    /// inputs take no typed text in a locale-free way) and fires `input` and `change`.
    pub async fn set_value(&self, id: &str, value: &str) -> anyhow::Result<()> {
        let element = self.testid(id).await?;
        self.client
            .execute(
                "const [input, value] = arguments;
                 input.value = value;
                 input.dispatchEvent(new Event('input', {bubbles: true}));
                 input.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![
                    serde_json::to_value(&element)?,
                    serde_json::Value::from(value),
                ],
            )
            .await?;
        Ok(())
    }

    /// True when no element has `data-testid="id"` right now (no waiting).
    pub async fn absent(&self, id: &str) -> anyhow::Result<bool> {
        let found = self
            .client
            .execute(
                "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`) === null;",
                vec![serde_json::Value::from(id)],
            )
            .await?;
        Ok(found == serde_json::Value::Bool(true))
    }

    /// Puts the caret at the very end of the editor `data-testid="id"` and types `text` there.
    pub async fn type_at_end(&self, id: &str, text: &str) -> anyhow::Result<()> {
        let element = self.testid(id).await?;
        self.client
            .execute(
                "const root = arguments[0];
                 root.focus();
                 const range = document.createRange();
                 range.selectNodeContents(root);
                 range.collapse(false);
                 const sel = window.getSelection();
                 sel.removeAllRanges();
                 sel.addRange(range);",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        element.send_keys(text).await?;
        Ok(())
    }

    /// The display this app runs on.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The pids of the app processes running on this instance's data directory.
    pub fn pids(&self) -> Vec<u32> {
        app_pids(&self.settings.data_dir)
    }
}

/// A window of the test's own that holds the keyboard focus of a display (as another
/// program's window would), until dropped.
pub struct FocusThief {
    _conn: x11rb::rust_connection::RustConnection,
    pub window: u32,
}

/// Maps a small window on `display` and gives it the input focus.
pub fn focus_elsewhere(display: &str) -> anyhow::Result<FocusThief> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, CreateWindowAux, InputFocus, WindowClass};
    use x11rb::wrapper::ConnectionExt as _;
    let (conn, screen) = x11rb::connect(Some(display))?;
    let root = conn.setup().roots[screen].root;
    let window = conn.generate_id()?;
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        50,
        50,
        0,
        WindowClass::INPUT_OUTPUT,
        0,
        &CreateWindowAux::new(),
    )?;
    conn.map_window(window)?;
    conn.sync()?;
    conn.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)?;
    conn.sync()?;
    Ok(FocusThief {
        _conn: conn,
        window,
    })
}

/// The window that has the input focus of `display`, and the pid that its top-level window
/// names in `_NET_WM_PID` (None when no window up its tree names one).
pub fn focused_window(display: &str) -> anyhow::Result<(u32, Option<u32>)> {
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    let (conn, _) = x11rb::connect(Some(display))?;
    let net_wm_pid = conn.intern_atom(false, b"_NET_WM_PID")?.reply()?.atom;
    let focus = conn.get_input_focus()?.reply()?.focus;
    let mut window = focus;
    for _ in 0..16 {
        if window <= 1 {
            break; // None or PointerRoot
        }
        let pid = conn
            .get_property(false, window, net_wm_pid, AtomEnum::CARDINAL, 0, 1)?
            .reply()?
            .value32()
            .and_then(|mut v| v.next());
        if pid.is_some() {
            return Ok((focus, pid));
        }
        let tree = conn.query_tree(window)?.reply()?;
        if tree.parent == tree.root || tree.parent == 0 {
            break;
        }
        window = tree.parent;
    }
    Ok((focus, None))
}

/// The pids of app processes started with this data directory.
/// Sends WM_DELETE_WINDOW to every mapped top-level window of `display` that takes it (there
/// is no window manager under Xvfb: the test plays its part). Returns how many were asked.
fn ask_windows_to_close(display: &str) -> anyhow::Result<usize> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{
        AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, MapState,
    };
    let (conn, screen) = x11rb::connect(Some(display))?;
    let root = conn.setup().roots[screen].root;
    let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
    let delete = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
    let mut asked = 0;
    for window in conn.query_tree(root)?.reply()?.children {
        if conn.get_window_attributes(window)?.reply()?.map_state != MapState::VIEWABLE {
            continue;
        }
        let accepted = conn
            .get_property(false, window, protocols, AtomEnum::ATOM, 0, 32)?
            .reply()?;
        if !accepted
            .value32()
            .into_iter()
            .flatten()
            .any(|a| a == delete)
        {
            continue;
        }
        let message = ClientMessageEvent::new(
            32,
            window,
            protocols,
            [delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        conn.send_event(false, window, EventMask::NO_EVENT, message)?;
        asked += 1;
    }
    conn.flush()?;
    Ok(asked)
}

/// `pid` and every process below it (WebKit's web and network processes are the app's).
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        out.push(p);
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            stack.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// Whether nobody holds the app's instance lock at `path` (a missing file is free).
fn lock_is_free(path: &std::path::Path) -> bool {
    match std::fs::File::open(path) {
        // Taken and at once let go again when the file is dropped.
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => true,
    }
}

fn app_pids(data_dir: &std::path::Path) -> Vec<u32> {
    let needle = format!("BARTA_DATA_DIR={}", data_dir.display());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            exe.file_name().is_some_and(|n| n == "barta-app")
                && environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes())
        })
        .collect()
}

impl Drop for AppSession {
    /// A test that failed midway still leaves nothing running: the driver group and the app
    /// are killed. Tests that pass call [`AppSession::close`] first.
    fn drop(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            driver.stop(Duration::from_secs(5));
        }
        for pid in app_pids(&self.settings.data_dir) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

impl AppSettings {
    /// The directory of `user`'s encrypted store in this app's data directory.
    pub fn user_dir(&self, user: &crate::DemoUser) -> PathBuf {
        barta_store::laptop::user_dir(&self.data_dir, &self.server_url, user.username)
    }

    /// Makes `user`'s encrypted store as a login in the app would (the key wrapped with their
    /// password, the server's `session` answer kept, the user remembered for the unlock
    /// screen): for benchmarks that fill a store before the app starts. The app then starts
    /// locked; [`AppSession::unlock`] opens it.
    pub fn create_user_store(
        &self,
        user: &crate::DemoUser,
        session: &serde_json::Value,
    ) -> anyhow::Result<barta_store::Store> {
        let dir = self.user_dir(user);
        let key = barta_store::vault::create(&dir, user.password)?;
        let mut store =
            barta_store::Store::open_encrypted(&dir.join(barta_store::laptop::DB_FILE), &key)?;
        let kept = serde_json::json!({"token": session["token"], "user": session["user"]});
        store.set_setting("session", Some(&kept.to_string()))?;
        store.set_setting("store_owner", Some(user.username))?;
        barta_store::laptop::remember_user(&self.data_dir, &self.server_url, Some(user.username))?;
        Ok(store)
    }

    /// `user`'s encrypted store, opened with their password as the app does (the app must be
    /// closed: it holds the store while it runs).
    pub fn open_user_store(&self, user: &crate::DemoUser) -> anyhow::Result<barta_store::Store> {
        let dir = self.user_dir(user);
        let key = barta_store::vault::unlock(&dir, user.password)?;
        Ok(barta_store::Store::open_encrypted(
            &dir.join(barta_store::laptop::DB_FILE),
            &key,
        )?)
    }
}
