//! One app per data directory. The first launch takes an exclusive lock on `barta.lock` in the
//! data directory (an OS file lock: it ends with the process, so a crash never leaves a stale
//! one) and listens on a loopback port named, with a random token, in `instance.json` beside
//! it. A second launch with the same data directory finds the lock taken, hands its arguments
//! to the first over that port (which brings its window to the front) and exits without
//! touching the store. If it cannot reach the first (another user account's app holds the
//! lock, or the first is still starting), it refuses to open the store and says why.
//!
//! Why not the Tauri team's single-instance plugin: on Linux it is keyed by the app's
//! identifier on the D-Bus session bus, so it would also refuse a second app with *another*
//! data directory (a desk editor's beside a reporter's on one desktop), and without a session
//! bus (a bare X server, some kiosks) it guards nothing; the store needs a guard keyed by the
//! data directory that holds on every system. `std::fs::File::try_lock` is portable (flock on
//! Unix, LockFileEx on Windows), and so is a loopback socket.

use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "barta.lock";
/// Where the running app says how to reach it.
const INSTANCE_FILE: &str = "instance.json";
/// Set in the environment of the process an app starts to replace itself: that launch waits
/// up to [`RESTART_WAIT`] for the lock instead of handing off to the process that is exiting.
pub const RESTART_ENV: &str = "BARTA_RESTARTING";
/// How long a restarting app waits for its old process to exit.
const RESTART_WAIT: Duration = Duration::from_secs(15);
/// The first line a hand-off starts with.
const HELLO: &str = "barta-handoff/1";
/// How long a second launch keeps trying to reach a first that is still starting.
const REACH_TIMEOUT: Duration = Duration::from_secs(5);

/// What `instance.json` holds (readable by its owner only).
#[derive(Serialize, Deserialize)]
struct Beacon {
    pid: u32,
    port: u16,
    token: String,
}

/// The running app's claim on its data directory: held for the life of the process.
pub struct Instance {
    _lock: File,
    listener: TcpListener,
    token: String,
}

/// What a launch found.
pub enum Claim {
    /// This process is the data directory's app.
    First(Instance),
    /// Another process is: it was handed this launch's arguments and brings its window up.
    HandedOff { pid: u32 },
}

/// Why a launch cannot run.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("cannot use the data directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The lock is held and the holder could not be reached.
    #[error(
        "Barta is already open with the drafts in {path}{holder} and could not be reached; \
         nothing was opened, so nothing is written beside it. Close the other Barta (or log \
         out of the other account using it) and start again."
    )]
    InUse { path: PathBuf, holder: String },
}

impl InstanceError {
    /// The same in Bengali, for the reporter.
    pub fn bengali(&self) -> String {
        match self {
            Self::Io { path, .. } => format!("ডেটা ফোল্ডার {} ব্যবহার করা যাচ্ছে না।", path.display()),
            Self::InUse { path, .. } => format!(
                "বার্তা আগে থেকেই {} ফোল্ডারের খসড়া নিয়ে খোলা আছে, কিন্তু তার সঙ্গে যোগাযোগ করা যায়নি; \
                 পাশাপাশি লেখা এড়াতে কিছুই খোলা হয়নি। অন্য বার্তাটি বন্ধ করে (বা অন্য অ্যাকাউন্ট থেকে \
                 লগ আউট করে) আবার চালু করুন।",
                path.display()
            ),
        }
    }
}

/// Claims `data_dir` for this process, or hands `args` to the process that holds it.
pub fn claim(data_dir: &Path, args: &[String]) -> Result<Claim, InstanceError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InstanceError::Io { path, source }
    };
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let lock_path = data_dir.join(LOCK_FILE);
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    // An app restarting itself (a new server was chosen) waits for its old process to let go.
    let patience = Instant::now()
        + if std::env::var_os(RESTART_ENV).is_some() {
            RESTART_WAIT
        } else {
            Duration::ZERO
        };
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < patience => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => return hand_off(data_dir, args),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
    }
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(io(Path::new("127.0.0.1")))?;
    let token = random_token();
    let beacon = Beacon {
        pid: std::process::id(),
        port: listener.local_addr().map_err(io(data_dir))?.port(),
        token: token.clone(),
    };
    write_private(
        &data_dir.join(INSTANCE_FILE),
        &serde_json::to_vec(&beacon).unwrap_or_default(),
    )
    .map_err(io(&data_dir.join(INSTANCE_FILE)))?;
    Ok(Claim::First(Instance {
        _lock: lock,
        listener,
        token,
    }))
}

impl Instance {
    /// Answers later launches on a thread of its own: each one's arguments go to `arrived`
    /// (which brings the window up). Connections without the token are dropped unread.
    pub fn serve(self, arrived: impl Fn(Vec<String>) + Send + 'static) {
        let Instance {
            _lock,
            listener,
            token,
        } = self;
        std::thread::spawn(move || {
            let _lock = _lock; // held until the process ends
            for stream in listener.incoming().flatten() {
                match read_handoff(&stream, &token) {
                    Some(args) => {
                        let _ = (&stream).write_all(b"ok\n");
                        arrived(args);
                    }
                    None => tracing::warn!("a connection to the hand-off port without the token"),
                }
            }
        });
    }
}

/// The arguments of one hand-off, if it carries the token.
fn read_handoff(stream: &TcpStream, token: &str) -> Option<Vec<String>> {
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    // At most 64 KiB are read from anyone who connects.
    let mut lines = BufReader::new(std::io::Read::take(stream, 64 * 1024)).lines();
    let hello = lines.next()?.ok()?;
    let (greeting, given) = hello.split_once(' ')?;
    if greeting != HELLO || !same(given.as_bytes(), token.as_bytes()) {
        return None;
    }
    serde_json::from_str(&lines.next()?.ok()?).ok()
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hands `args` to the app that holds the lock, waiting a while for one that is starting.
fn hand_off(data_dir: &Path, args: &[String]) -> Result<Claim, InstanceError> {
    let deadline = Instant::now() + REACH_TIMEOUT;
    let mut holder = None;
    loop {
        if let Ok(bytes) = std::fs::read(data_dir.join(INSTANCE_FILE))
            && let Ok(beacon) = serde_json::from_slice::<Beacon>(&bytes)
        {
            holder = Some(beacon.pid);
            if send(&beacon, args).is_ok() {
                return Ok(Claim::HandedOff { pid: beacon.pid });
            }
        }
        if Instant::now() >= deadline {
            return Err(InstanceError::InUse {
                path: data_dir.to_path_buf(),
                holder: holder
                    .map(|pid| format!(" (process {pid})"))
                    .unwrap_or_default(),
            });
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn send(beacon: &Beacon, args: &[String]) -> std::io::Result<()> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, beacon.port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let args = serde_json::to_string(args).unwrap_or_else(|_| "[]".into());
    stream.write_all(format!("{HELLO} {}\n{args}\n", beacon.token).as_bytes())?;
    let mut answer = String::new();
    BufReader::new(&stream).read_line(&mut answer)?;
    if answer.trim() == "ok" {
        Ok(())
    } else {
        Err(std::io::Error::other("the running app did not answer"))
    }
}

/// 32 random bytes as hex.
fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// Writes `bytes` to `path` through a temporary file, readable by the owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_claim_hands_its_arguments_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path(), &[]).unwrap() else {
            panic!("the first claim must win");
        };
        let (tx, rx) = mpsc::channel();
        first.serve(move |args| tx.send(args).unwrap());
        let args = vec!["--open".to_string(), "লেখা".to_string()];
        match claim(dir.path(), &args).unwrap() {
            Claim::HandedOff { pid } => assert_eq!(pid, std::process::id()),
            Claim::First(_) => panic!("a second claim on a held directory must not win"),
        }
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), args);
        // Another data directory is another app.
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(claim(other.path(), &[]).unwrap(), Claim::First(_)));
    }

    #[test]
    fn a_held_lock_whose_holder_cannot_be_reached_refuses() {
        let dir = tempfile::tempdir().unwrap();
        // Held, but nothing answers on its port (the holder never serves).
        let Claim::First(held) = claim(dir.path(), &[]).unwrap() else {
            panic!("the first claim must win");
        };
        drop(held.listener);
        let refused = claim(dir.path(), &[]);
        match refused {
            Err(InstanceError::InUse { holder, .. }) => {
                assert!(holder.contains(&std::process::id().to_string()), "{holder}")
            }
            _ => panic!("expected InUse"),
        }
        drop(held._lock);
        // Once the holder is gone the directory can be claimed again: no stale lock.
        assert!(matches!(claim(dir.path(), &[]).unwrap(), Claim::First(_)));
    }

    #[test]
    fn a_connection_without_the_token_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path(), &[]).unwrap() else {
            panic!("the first claim must win");
        };
        let beacon: Beacon =
            serde_json::from_slice(&std::fs::read(dir.path().join(INSTANCE_FILE)).unwrap())
                .unwrap();
        let (tx, rx) = mpsc::channel();
        first.serve(move |args| tx.send(args).unwrap());
        let forged = Beacon {
            token: "0".repeat(64),
            ..beacon
        };
        assert!(send(&forged, &["x".into()]).is_err());
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(INSTANCE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o777,
                0o600,
                "the token is readable by its owner only"
            );
        }
    }
}
