//! Delivery to a webhook: a receiver written here from docs/webhooks.md alone (its own HMAC
//! check, its own idempotency by delivery id) that fails its first call.

use crate::{Newsroom, Story};
use barta_model::api::DeliveryState;
use barta_model::workflow::Action;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "ওয়েবহুক-গোপন-kB9#x2";

/// One call as the receiver saw it.
#[derive(Clone, Debug)]
struct Call {
    delivery_header: String,
    event_header: String,
    body: Vec<u8>,
    signature: String,
    accepted: bool,
}

#[derive(Default)]
struct Receiver {
    calls: Vec<Call>,
    /// Delivery ids already acted on: a repeat is acknowledged and ignored.
    done: HashSet<String>,
    /// Events acted on, in order.
    acted: Vec<String>,
}

/// What a portal developer writes from docs/webhooks.md: `sha256=` + hex HMAC-SHA256 of the
/// raw body with the shared secret, compared in constant time.
fn signature_valid(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(given) = header
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// Reads one HTTP/1.1 request: (head, body).
async fn read_request(stream: &mut TcpStream) -> anyhow::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the connection closed mid-request");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = header(&head, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the connection closed mid-body");
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok((head, buf[head_end..head_end + length].to_vec()))
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// Starts the receiver on loopback: its URL and what it saw. Its first call is answered 503.
async fn start_receiver() -> anyhow::Result<(String, Arc<Mutex<Receiver>>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/barta-hook", listener.local_addr()?);
    let state = Arc::new(Mutex::new(Receiver::default()));
    let shared = Arc::clone(&state);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let state = Arc::clone(&shared);
            tokio::spawn(async move {
                let Ok((head, body)) = read_request(&mut stream).await else {
                    return;
                };
                let signature = header(&head, "x-barta-signature").unwrap_or_default();
                let delivery = header(&head, "x-barta-delivery").unwrap_or_default();
                let event = header(&head, "x-barta-event").unwrap_or_default();
                let status = {
                    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                    let first = state.calls.is_empty();
                    let valid = signature_valid(SECRET, &body, &signature);
                    let status = if first {
                        "503 Service Unavailable"
                    } else if !valid {
                        "401 Unauthorized"
                    } else {
                        if state.done.insert(delivery.clone()) {
                            state.acted.push(event.clone());
                        }
                        "200 OK"
                    };
                    state.calls.push(Call {
                        delivery_header: delivery,
                        event_header: event,
                        body,
                        signature,
                        accepted: status == "200 OK",
                    });
                    status
                };
                let answer =
                    format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Ok((url, state))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_receiver_that_fails_first_gets_each_event_once_with_a_valid_signature()
-> anyhow::Result<()> {
    let (url, receiver) = start_receiver().await?;
    let newsroom = Newsroom::start().await?;
    newsroom.barta_ok(
        &[
            "target",
            "add",
            "portal",
            "--kind",
            "webhook",
            "--url",
            &url,
            "--secret-stdin",
            "--desk",
            "national",
        ],
        Some(&format!("{SECRET}\n")),
    )?;
    let story = Story::new("ওয়েবহুক");
    let id = newsroom.publish(&story, None).await?;
    let first = newsroom.settled(id, "portal", "publish").await?;
    assert_eq!(first.state, DeliveryState::Delivered, "{first:?}");
    assert_eq!(first.attempts, 2, "the 503 was retried: {first:?}");

    let mut corrected = story.clone();
    corrected.paragraphs[0] = "নদীর পানি বিপৎসীমার ৪০ সেন্টিমিটার ওপর দিয়ে বইছে।".into();
    newsroom
        .correct(id, &corrected, "পানির উচ্চতা ঠিক করা হয়েছে।")
        .await?;
    newsroom.settled(id, "portal", "correct").await?;
    newsroom.act(id, Action::Unpublish).await?;
    newsroom.settled(id, "portal", "unpublish").await?;
    newsroom.act(id, Action::Kill).await?;
    let last = newsroom.settled(id, "portal", "kill").await?;
    assert_eq!(last.state, DeliveryState::Delivered, "{last:?}");

    let (calls, acted) = {
        let receiver = receiver.lock().unwrap_or_else(|e| e.into_inner());
        (receiver.calls.clone(), receiver.acted.clone())
    };
    assert_eq!(calls.len(), 5, "four events and one retry: {calls:?}");
    assert!(!calls[0].accepted);
    assert_eq!(
        calls[0].delivery_header, calls[1].delivery_header,
        "a retry carries the same delivery id"
    );
    assert_eq!(calls[0].body.len(), calls[1].body.len());
    let accepted: Vec<&Call> = calls.iter().filter(|c| c.accepted).collect();
    let events: Vec<&str> = accepted.iter().map(|c| c.event_header.as_str()).collect();
    assert_eq!(events, ["publish", "correct", "unpublish", "kill"]);
    assert_eq!(acted, events, "the receiver acted on each event once");
    let ids: HashSet<&str> = accepted
        .iter()
        .map(|c| c.delivery_header.as_str())
        .collect();
    assert_eq!(ids.len(), 4, "each delivery accepted once");

    for call in &accepted {
        let body: Value = serde_json::from_slice(&call.body)?;
        assert_eq!(body["event"], call.event_header.as_str());
        assert_eq!(body["delivery_id"], call.delivery_header.as_str());
        assert_eq!(body["article_id"], id.to_string());
        // Bad signatures are detectable: a wrong secret, a changed byte, no prefix.
        assert!(signature_valid(SECRET, &call.body, &call.signature));
        assert!(!signature_valid(
            "another secret",
            &call.body,
            &call.signature
        ));
        let mut tampered = call.body.clone();
        tampered[10] ^= 1;
        assert!(!signature_valid(SECRET, &tampered, &call.signature));
        assert!(!signature_valid(
            SECRET,
            &call.body,
            call.signature.trim_start_matches("sha256=")
        ));
    }
    let published: Value = serde_json::from_slice(&accepted[0].body)?;
    assert_eq!(
        published["item"]["headlines"][0]["value"],
        story.headline.as_str()
    );
    assert_eq!(published["item"]["pubstatus"], "usable");
    let corrected_item: Value = serde_json::from_slice(&accepted[1].body)?;
    assert!(
        corrected_item["item"]["bodies"][0]["value"]
            .as_str()
            .is_some_and(|h| h.contains("৪০ সেন্টিমিটার")),
        "{corrected_item}"
    );
    let unpublished: Value = serde_json::from_slice(&accepted[2].body)?;
    assert_eq!(unpublished["item"]["pubstatus"], "withheld");
    let killed: Value = serde_json::from_slice(&accepted[3].body)?;
    assert_eq!(killed["item"]["pubstatus"], "canceled");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_for_another_desk_hears_nothing() -> anyhow::Result<()> {
    let (url, receiver) = start_receiver().await?;
    let newsroom = Newsroom::start().await?;
    newsroom.barta_ok(
        &[
            "target",
            "add",
            "sports-site",
            "--kind",
            "webhook",
            "--url",
            &url,
            "--secret-stdin",
            "--desk",
            "international",
        ],
        Some(&format!("{SECRET}\n")),
    )?;
    let id = newsroom.publish(&Story::new("অন্য ডেস্ক"), None).await?;
    let article = newsroom.article(id).await?;
    assert!(article.deliveries.is_empty(), "{:?}", article.deliveries);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        receiver
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .calls
            .is_empty()
    );
    Ok(())
}
