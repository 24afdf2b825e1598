//! Revisions as they travel: the push body of sync.md and the content hash that pins an exact
//! version (lowercase hex SHA-256 of the RFC 8785 canonical JSON of `{"body", "meta"}`).

use crate::{ArticleMeta, Document, RevisionId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// Lowercase hex SHA-256 of a revision's canonical content.
pub type ContentHash = String;

/// The hash of `{"body": body, "meta": meta}` in JCS form, exactly as the values are given.
pub fn content_sha256(meta: &Value, body: &Value) -> ContentHash {
    let content = serde_json::json!({ "body": body, "meta": meta });
    // Serializing a `Value` cannot fail: it has only string keys and finite numbers.
    let canonical = serde_jcs::to_vec(&content).expect("a JSON value always canonicalizes");
    hex::encode(Sha256::digest(&canonical))
}

/// The body of `POST /v1/articles/{id}/revisions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct RevisionPush {
    pub id: RevisionId,
    pub parent: Option<RevisionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub merge_parent: Option<RevisionId>,
    pub meta: ArticleMeta,
    pub body: Document,
    pub sha256: ContentHash,
    /// The client's clock, informational only.
    pub created_at: String,
}

impl RevisionPush {
    /// Builds a push with its hash computed over the serialized meta and body.
    pub fn new(
        id: RevisionId,
        parent: Option<RevisionId>,
        meta: ArticleMeta,
        body: Document,
        created_at: String,
    ) -> Self {
        let sha256 = Self::hash_of(&meta, &body);
        Self {
            id,
            parent,
            merge_parent: None,
            meta,
            body,
            sha256,
            created_at,
        }
    }

    /// The content hash of typed meta and body, as they serialize on the wire.
    pub fn hash_of(meta: &ArticleMeta, body: &Document) -> ContentHash {
        let meta = serde_json::to_value(meta).expect("meta serializes");
        let body = serde_json::to_value(body).expect("body serializes");
        content_sha256(&meta, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hash_ignores_key_order_and_whitespace() {
        let a: Value = serde_json::from_str(r#"{"headline":"শিরোনাম","desk":"national"}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{ "desk" : "national", "headline":"শিরোনাম" }"#).unwrap();
        let body = json!({"type":"doc","content":[]});
        assert_eq!(content_sha256(&a, &body), content_sha256(&b, &body));
    }

    #[test]
    fn hash_is_the_sha256_of_the_jcs_text() {
        // JCS of {"body":{"content":[],"type":"doc"},"meta":{"desk":"d","headline":"h"}}
        let meta = json!({"headline":"h","desk":"d"});
        let body = json!({"type":"doc","content":[]});
        let text = r#"{"body":{"content":[],"type":"doc"},"meta":{"desk":"d","headline":"h"}}"#;
        assert_eq!(
            content_sha256(&meta, &body),
            hex::encode(Sha256::digest(text.as_bytes()))
        );
    }

    #[test]
    fn any_change_changes_the_hash() {
        let meta = ArticleMeta {
            headline: "ক".into(),
            desk: "d".into(),
            ..Default::default()
        };
        let body = Document::from_paragraphs([("b1", "আমি")]);
        let other = Document::from_paragraphs([("b1", "আমরা")]);
        assert_ne!(
            RevisionPush::hash_of(&meta, &body),
            RevisionPush::hash_of(&meta, &other)
        );
    }
}
