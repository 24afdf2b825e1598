//! [`Proxy`]: a fault-injecting HTTP/1.1 proxy on 127.0.0.1:0 between a client and the real
//! server. It reads one request per connection, applies the next queued [`Fault`] (or the
//! default one), forwards it with `Connection: close` both ways (so one connection carries one
//! request and a fault hits exactly one request), and records what passed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the proxy does to one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Forward as it is.
    Pass,
    /// Wait this long before forwarding.
    Delay(Duration),
    /// Forward both ways at most this many bytes per second, with this extra delay per
    /// direction (half a round trip).
    Throttle {
        bytes_per_sec: u64,
        one_way: Duration,
    },
    /// Forward only the first `n` bytes of the request, then close both sides: the server
    /// never sees the whole request.
    CutRequest(usize),
    /// Forward the whole request, then send the client only the first `n` bytes of the
    /// answer and close: the server committed, the reply is lost or truncated.
    CutResponse(usize),
    /// Close the client's connection with a TCP reset before forwarding anything.
    Reset,
    /// Read the request, then answer nothing, ever.
    Stall,
    /// Answer 200 with a captive portal's HTML login page.
    CaptivePortal,
    /// Answer with these raw bytes (a whole HTTP response) without asking the server.
    Respond(Vec<u8>),
    /// Forward the request; send the answer's headers, then its body at this many bytes per
    /// second (a dribble).
    Dribble(u64),
}

/// One request as it passed the proxy.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub fault: Fault,
    /// Bytes of the request as the client sent it (head and body).
    pub request_bytes: usize,
}

#[derive(Default)]
struct Shared {
    queue: VecDeque<Fault>,
    default: Option<Fault>,
    /// Path prefixes always forwarded as they are, whatever the queue or default say.
    passing: Vec<String>,
    seen: Vec<Seen>,
}

/// A running proxy; stopped on drop.
pub struct Proxy {
    /// The base URL clients use instead of the server's.
    pub url: String,
    shared: Arc<Mutex<Shared>>,
    task: JoinHandle<()>,
}

/// A captive portal's answer.
pub const CAPTIVE_PORTAL: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 78\r\nconnection: close\r\n\r\n<html><body><h1>Hotel Wi-Fi</h1><form>Log in to continue</form></body></html>";

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (e.g. `http://127.0.0.1:1234`).
    pub async fn start(upstream: &str) -> anyhow::Result<Self> {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Mutex::new(Shared::default()));
        let task_shared = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let shared = Arc::clone(&task_shared);
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    // A failed connection is part of the test: nothing to report here.
                    let _ = handle(client, &upstream, &shared).await;
                });
            }
        });
        Ok(Self { url, shared, task })
    }

    /// Queues faults for the next requests, in order.
    pub fn then(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.shared).queue.extend(faults);
    }

    /// Drops the queued faults.
    pub fn clear(&self) {
        lock(&self.shared).queue.clear();
    }

    /// The fault for requests when the queue is empty (`Pass` unless set).
    pub fn set_default(&self, fault: Fault) {
        lock(&self.shared).default = Some(fault);
    }

    /// Requests to paths starting with `prefix` are always forwarded untouched (e.g. the
    /// update routes while the sync routes fail).
    pub fn always_pass(&self, prefix: &str) {
        lock(&self.shared).passing.push(prefix.to_string());
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        lock(&self.shared).seen.clone()
    }

    /// How many requests of `method` to a path containing `path_part` passed.
    pub fn count(&self, method: &str, path_part: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path.contains(path_part))
            .count()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request (head and a `Content-Length` body).
async fn read_request(client: &mut TcpStream) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = client.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the client closed before a whole request head");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the client closed before the whole request body");
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(buf)
}

/// Replaces (or adds) the `Connection` header of a head with `close`.
fn force_close(message: &[u8]) -> Vec<u8> {
    let Some(end) = find(message, b"\r\n\r\n") else {
        return message.to_vec();
    };
    let head = String::from_utf8_lossy(&message[..end]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    out.extend_from_slice(b"\r\nconnection: close\r\n\r\n");
    out.extend_from_slice(&message[end + 4..]);
    out
}

async fn write_throttled(
    to: &mut TcpStream,
    bytes: &[u8],
    bytes_per_sec: u64,
) -> std::io::Result<()> {
    // Slices of 1/20 s keep the rate smooth.
    let slice = (bytes_per_sec / 20).max(1) as usize;
    for part in bytes.chunks(slice) {
        to.write_all(part).await?;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

async fn handle(
    mut client: TcpStream,
    upstream: &str,
    shared: &Mutex<Shared>,
) -> anyhow::Result<()> {
    let request = read_request(&mut client).await?;
    let first =
        String::from_utf8_lossy(&request[..find(&request, b"\r\n").unwrap_or(0)]).to_string();
    let mut parts = first.split(' ');
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let fault = {
        let mut s = lock(shared);
        let fault = if s.passing.iter().any(|p| path.starts_with(p.as_str())) {
            Fault::Pass
        } else {
            s.queue
                .pop_front()
                .or_else(|| s.default.clone())
                .unwrap_or(Fault::Pass)
        };
        s.seen.push(Seen {
            method,
            path,
            fault: fault.clone(),
            request_bytes: request.len(),
        });
        fault
    };
    match &fault {
        Fault::Reset => {
            client.set_zero_linger()?;
            drop(client);
            return Ok(());
        }
        Fault::Stall => {
            std::future::pending::<()>().await;
        }
        Fault::CaptivePortal => {
            client.write_all(CAPTIVE_PORTAL).await?;
            return Ok(());
        }
        Fault::Respond(raw) => {
            client.write_all(raw).await?;
            return Ok(());
        }
        Fault::Delay(d) => tokio::time::sleep(*d).await,
        _ => {}
    }
    let mut server = TcpStream::connect(upstream).await?;
    let request = force_close(&request);
    match &fault {
        Fault::CutRequest(n) => {
            server
                .write_all(&request[..(*n).min(request.len())])
                .await?;
            server.set_zero_linger()?;
            client.set_zero_linger()?;
            return Ok(());
        }
        Fault::Throttle {
            bytes_per_sec,
            one_way,
        } => {
            tokio::time::sleep(*one_way).await;
            write_throttled(&mut server, &request, *bytes_per_sec).await?;
        }
        _ => server.write_all(&request).await?,
    }
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    let response = force_close(&response);
    match &fault {
        Fault::CutResponse(n) => {
            client
                .write_all(&response[..(*n).min(response.len())])
                .await?;
            client.set_zero_linger()?;
        }
        Fault::Throttle {
            bytes_per_sec,
            one_way,
        } => {
            tokio::time::sleep(*one_way).await;
            write_throttled(&mut client, &response, *bytes_per_sec).await?;
        }
        Fault::Dribble(rate) => {
            let head_end = find(&response, b"\r\n\r\n").map_or(0, |i| i + 4);
            client.write_all(&response[..head_end]).await?;
            write_throttled(&mut client, &response[head_end..], *rate).await?;
        }
        _ => client.write_all(&response).await?,
    }
    client.shutdown().await?;
    Ok(())
}
