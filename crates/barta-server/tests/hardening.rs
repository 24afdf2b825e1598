//! The server under attack at the connection level, each test named after what it stops:
//! slow request heads (slowloris), idle connections held open, slow bodies, and more
//! connections than the server allows.

mod common;

use barta_server::ServerConfig;
use barta_server::listen::ListenOptions;
use common::TestServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADER_TIMEOUT: Duration = Duration::from_secs(1);

fn options(max_connections: usize) -> ListenOptions {
    ListenOptions {
        max_connections,
        header_read_timeout: HEADER_TIMEOUT,
        tls: None,
    }
}

fn address(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection (or `limit` passes); what was read, and
/// whether the server closed it.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&seen).into(), true),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into(), false),
        }
    }
}

#[tokio::test]
async fn a_slowloris_client_is_cut_off_within_the_header_timeout_while_others_are_served() {
    let server = TestServer::start_listening(ServerConfig::default(), options(1024)).await;
    let addr = address(&server);
    // Twenty connections that send a request head one header line every 300 ms, forever.
    let mut slow = Vec::new();
    for i in 0..20 {
        let addr = addr.clone();
        slow.push(tokio::spawn(async move {
            let started = Instant::now();
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: barta\r\n")
                .await
                .unwrap();
            for n in 0.. {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let line = format!("X-Slow-{i}-{n}: a\r\n");
                if stream.write_all(line.as_bytes()).await.is_err() {
                    break;
                }
                let mut probe = [0u8; 1];
                if let Ok(Ok(0) | Err(_)) =
                    tokio::time::timeout(Duration::from_millis(1), stream.read(&mut probe)).await
                {
                    break;
                }
                if started.elapsed() > Duration::from_secs(10) {
                    break;
                }
            }
            started.elapsed()
        }));
    }
    // Meanwhile, ordinary requests are answered at once.
    for _ in 0..10 {
        let started = Instant::now();
        let answer = server
            .client
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "an ordinary request waited {:?} behind the slow ones",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for held in slow {
        let held = held.await.unwrap();
        assert!(
            held < HEADER_TIMEOUT + Duration::from_secs(2),
            "a slow client held its connection for {held:?}"
        );
    }
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_header_timeout() {
    let server = TestServer::start_listening(ServerConfig::default(), options(1024)).await;
    // Never sends anything.
    let mut silent = TcpStream::connect(address(&server)).await.unwrap();
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(closed, "a silent connection stayed open");
    assert!(started.elapsed() < HEADER_TIMEOUT + Duration::from_secs(2));

    // One request, then idle on a kept-alive connection.
    let mut idle = TcpStream::connect(address(&server)).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: barta\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, closed) = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle kept-alive connection stayed open");
    assert!(started.elapsed() < HEADER_TIMEOUT + Duration::from_secs(2));
}

#[tokio::test]
async fn a_body_sent_slower_than_the_request_timeout_is_answered_408() {
    let config = ServerConfig {
        request_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    };
    let server = TestServer::start_listening(config, options(1024)).await;
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    stream
        .write_all(
            b"POST /v1/session HTTP/1.1\r\nHost: barta\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"username\"",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("\"code\""),
        "not the API's JSON error: {answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    let server = TestServer::start_listening(ServerConfig::default(), options(4)).await;
    let addr = address(&server);
    // Four connections take every slot and send nothing.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A fifth is queued, not refused, and served once the silent ones are cut.
    let started = Instant::now();
    let answer = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500),
        "the fifth connection was served at once ({waited:?}): no limit"
    );
    assert!(
        waited < HEADER_TIMEOUT + Duration::from_secs(3),
        "{waited:?}"
    );
    for mut stream in held {
        let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(3)).await;
        assert!(closed);
    }
}
