//! A child process that is terminated (SIGTERM, then SIGKILL) with its whole process group
//! when dropped.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running child in its own process group.
pub struct Guarded {
    child: Child,
    name: String,
}

impl Guarded {
    /// Spawns `command` in a new process group.
    pub fn spawn(name: &str, mut command: Command) -> anyhow::Result<Self> {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
        let child = command
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot start {name}: {e}"))?;
        Ok(Self {
            child,
            name: name.to_string(),
        })
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child's stdout, when it was piped.
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// True while the process runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits up to `within` for the process to exit by itself; its status when it did.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` to the whole group.
    pub fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([
                format!("-{signal}"),
                "--".into(),
                format!("-{}", self.child.id()),
            ])
            .stderr(std::process::Stdio::null())
            .status();
    }

    /// Kills the process itself with SIGKILL (`kill -9 PID`, no chance to clean up) and waits
    /// for it; its exit status. The rest of its group is left to [`Guarded::stop`] (on drop).
    pub fn kill_hard(&mut self) -> Option<std::process::ExitStatus> {
        if self.is_running() {
            let _ = Command::new("kill")
                .args(["-9", &self.child.id().to_string()])
                .stderr(std::process::Stdio::null())
                .status();
        }
        self.child.wait().ok()
    }

    /// Stops the group: SIGTERM, up to `grace` to exit, then SIGKILL.
    pub fn stop(&mut self, grace: Duration) -> Option<std::process::ExitStatus> {
        if !self.is_running() {
            return self.child.try_wait().ok().flatten();
        }
        self.signal_group("TERM");
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.signal_group("KILL");
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop in {grace:?}: killing it", self.name);
        self.signal_group("KILL");
        self.child.wait().ok()
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(5));
    }
}
