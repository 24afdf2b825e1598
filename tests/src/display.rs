//! An Xvfb virtual display on a free display number.

use crate::process::Guarded;
use anyhow::bail;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running Xvfb; stopped on drop.
pub struct Display {
    pub name: String,
    _xvfb: Guarded,
}

impl Display {
    /// Starts Xvfb at 1280×900. Fails (never skips) when Xvfb is not installed.
    pub fn start() -> anyhow::Result<Self> {
        Self::start_sized(1280, 900)
    }

    /// Starts Xvfb with a screen of `width`×`height` (e.g. a 1366×768 laptop's, for a window
    /// of that size).
    pub fn start_sized(width: u32, height: u32) -> anyhow::Result<Self> {
        if Command::new("Xvfb")
            .arg("-help")
            .stderr(Stdio::null())
            .status()
            .is_err()
        {
            bail!(
                "Xvfb is not installed, so the app cannot be shown: run scripts/setup (apt package xvfb)"
            );
        }
        for number in 90..140 {
            if std::path::Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
                || std::path::Path::new(&format!("/tmp/.X{number}-lock")).exists()
            {
                continue;
            }
            let name = format!(":{number}");
            let mut cmd = Command::new("Xvfb");
            cmd.args([
                &name,
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
            let mut xvfb = Guarded::spawn("Xvfb", cmd)?;
            let socket = format!("/tmp/.X11-unix/X{number}");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline && xvfb.is_running() {
                if std::path::Path::new(&socket).exists() {
                    return Ok(Self { name, _xvfb: xvfb });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        bail!("could not start Xvfb on any display :90–:139")
    }

    /// Puts `content` on this display's clipboard as `mime` (e.g. `text/html`), as copying in
    /// a browser or a word processor does: `xclip` keeps serving it in the background until
    /// something else is copied or the display stops. Fails (never skips) without xclip.
    pub fn copy_to_clipboard(&self, mime: &str, content: &str) -> anyhow::Result<()> {
        use std::io::Write;
        let mut xclip = Command::new("xclip")
            .args([
                "-display",
                &self.name,
                "-selection",
                "clipboard",
                "-t",
                mime,
                "-i",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!(
                    "xclip is not installed: run scripts/setup (apt package xclip): {e}"
                )
            })?;
        xclip
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(content.as_bytes())?;
        // xclip reads its input, then forks a child that serves the selection; the parent exits.
        if !xclip.wait()?.success() {
            bail!("xclip could not take the clipboard of {}", self.name);
        }
        Ok(())
    }

    /// A PNG of the whole screen (ImageMagick's `import`), for artifacts.
    pub fn screenshot(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let status = Command::new("import")
            .args(["-display", &self.name, "-window", "root"])
            .arg(path)
            .status()?;
        if !status.success() {
            bail!("import failed to capture {}", self.name);
        }
        Ok(())
    }
}
