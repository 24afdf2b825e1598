//! Webhook targets: a signed `POST` of the article's ninjs document (docs/webhooks.md).
//!
//! The body is `{"event", "delivery_id", "article_id", "sent_at", "item"}`; the headers carry
//! `X-Barta-Event`, `X-Barta-Delivery` (the receiver's idempotency key: a retry sends the same
//! one) and `X-Barta-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with
//! the target's secret>`.

use super::{DeliveryEvent, SendError, classify};
use crate::ninjs::NinjsItem;
use barta_model::ArticleId;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// The header with the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Barta-Signature";
/// The header with the event's name.
pub const EVENT_HEADER: &str = "X-Barta-Event";
/// The header with the delivery id.
pub const DELIVERY_HEADER: &str = "X-Barta-Delivery";

/// The body of a webhook call.
#[derive(Clone, Debug, Serialize)]
pub struct WebhookBody<'a> {
    /// `publish`, `schedule`, `correct`, `unpublish`, `kill`, or `ping` (`barta target test`).
    pub event: &'a str,
    pub delivery_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_id: Option<ArticleId>,
    pub sent_at: String,
    /// The article as ninjs 2.x; `pubstatus` is `withheld` after unpublish, `canceled` after
    /// a kill. Absent for `ping`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<NinjsItem>,
}

/// `sha256=<hex>` of `body` keyed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is the signature of `body` with `secret` (constant time).
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_part) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(given) = hex::decode(hex_part) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The ninjs `pubstatus` a receiver sees after `event`.
pub fn pubstatus(event: DeliveryEvent) -> &'static str {
    match event {
        DeliveryEvent::Unpublish => "withheld",
        DeliveryEvent::Kill => "canceled",
        _ => "usable",
    }
}

/// Sends one call; `Ok` for any 2xx.
pub async fn send(
    http: &reqwest::Client,
    url: &str,
    secret: &str,
    body: &WebhookBody<'_>,
) -> Result<(), SendError> {
    let bytes = serde_json::to_vec(body).map_err(|e| SendError::Failed(e.to_string()))?;
    let response = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(EVENT_HEADER, body.event)
        .header(DELIVERY_HEADER, body.delivery_id)
        .header(SIGNATURE_HEADER, signature(secret, &bytes))
        .body(bytes)
        .send()
        .await?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Err(classify(status, &headers, &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_any_change_to_body_or_secret_breaks_it() {
        let body = br#"{"event":"publish"}"#;
        let signed = signature("s3cret", body);
        assert!(
            signed.starts_with("sha256=") && signed.len() == 7 + 64,
            "{signed}"
        );
        assert!(verify("s3cret", body, &signed));
        assert!(!verify("s3cret", br#"{"event":"kill"}"#, &signed));
        assert!(!verify("other", body, &signed));
        assert!(!verify("s3cret", body, "sha1=00"));
        // The known answer of HMAC-SHA256 (RFC 4231, test case 2).
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
