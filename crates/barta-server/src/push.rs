//! Turning a revision push as received into a [`NewRevision`]: the pure checks of sync.md
//! (content hash over `meta`/`body` exactly as sent, the document schema, the
//! `Idempotency-Key` and `If-Match` headers). No I/O; the store does the rest.

use crate::store::NewRevision;
use barta_model::{
    ArticleId, BlockDelta, DeltaError, Document, DocumentError, RevisionId, RevisionPush,
    content_sha256,
};
use serde_json::Value;

/// Why a push was refused before reaching the store.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// Not an object with `meta` and `body` (a `delta` push is not supported yet).
    #[error("a revision push is a JSON object with \"meta\" and \"body\" (missing {0:?})")]
    Shape(&'static str),
    /// The fields do not have the contract's types.
    #[error("the revision push does not fit the contract: {0}")]
    Fields(serde_json::Error),
    /// Fields the contract does not have (or `null` for an optional one): refused, because
    /// what is stored must hash the same for every reader.
    #[error(
        "{0} holds fields this server does not know, or null values: send only the contract's \
         fields, and omit empty optional ones"
    )]
    UnknownFields(&'static str),
    /// `meta.desk` is empty.
    #[error("meta.desk is required")]
    NoDesk,
    /// The sent hash is not the hash of the sent content.
    #[error("sha256 {sent} does not match the content, whose hash is {computed}")]
    HashMismatch { sent: String, computed: String },
    /// A missing or malformed `Idempotency-Key` / `If-Match` (400).
    #[error("{0}")]
    Header(String),
    /// Well-formed headers that contradict the body: an `Idempotency-Key` that is not the
    /// revision's id, an `If-Match` that is not its parent (422, like any other content that
    /// does not hold together).
    #[error("{0}")]
    HeaderMismatch(String),
    /// Top-level fields a revision push does not have.
    #[error("a revision push has no field {0:?}")]
    UnknownField(String),
    /// The body is not a valid document.
    #[error("the document is invalid: {0}")]
    Document(#[from] DocumentError),
    /// A `delta` that is malformed or does not apply to its parent.
    #[error("the delta does not apply to the parent revision: {0}")]
    Delta(#[from] DeltaError),
    /// A `delta` needs a parent, and comes instead of `body`, not with it.
    #[error("{0}")]
    DeltaShape(&'static str),
}

/// The parent a `delta` push is relative to, when the push carries a delta.
pub fn delta_parent(raw: &Value) -> Result<Option<RevisionId>, PushError> {
    if raw.get("delta").is_none() {
        return Ok(None);
    }
    if raw.get("body").is_some() {
        return Err(PushError::DeltaShape(
            "a revision push carries \"body\" or \"delta\", not both",
        ));
    }
    raw.get("parent")
        .and_then(Value::as_str)
        .and_then(|p| p.parse().ok())
        .map(Some)
        .ok_or(PushError::DeltaShape(
            "a delta push needs its parent: the revision the delta is relative to",
        ))
}

/// Replaces a push's `delta` with the body it rebuilds from the parent's body.
pub fn expand_delta(mut raw: Value, parent_body: &Document) -> Result<Value, PushError> {
    let delta_value = raw
        .as_object_mut()
        .and_then(|o| o.remove("delta"))
        .ok_or(PushError::Shape("delta"))?;
    let delta: BlockDelta = serde_json::from_value(delta_value).map_err(PushError::Fields)?;
    let base = serde_json::to_value(parent_body).map_err(PushError::Fields)?;
    let body = delta.apply(&base)?;
    raw["body"] = body;
    Ok(raw)
}

/// Strips the quotes of an entity tag (`"…"`; a weak `W/"…"` tag is accepted too).
pub fn unquote_etag(value: &str) -> &str {
    let value = value.trim();
    let value = value.strip_prefix("W/").unwrap_or(value);
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// Parses an `If-Match` value naming a revision.
pub fn parse_if_match(value: &str) -> Result<RevisionId, PushError> {
    unquote_etag(value).parse().map_err(|_| {
        PushError::Header(format!(
            "If-Match must be a revision id in quotes, found {value:?}"
        ))
    })
}

/// The fields of a revision push (after a `delta` was expanded into `body`).
const PUSH_FIELDS: &[&str] = &[
    "id",
    "parent",
    "merge_parent",
    "meta",
    "body",
    "sha256",
    "created_at",
];

/// Checks a push body and its headers. `idempotency_key` and `if_match` are the raw header
/// values.
pub fn prepare_push(
    article_id: ArticleId,
    idempotency_key: Option<&str>,
    if_match: Option<&str>,
    raw: Value,
) -> Result<NewRevision, PushError> {
    if let Some(unknown) = raw
        .as_object()
        .and_then(|fields| fields.keys().find(|k| !PUSH_FIELDS.contains(&k.as_str())))
    {
        return Err(PushError::UnknownField(unknown.clone()));
    }
    let meta = raw.get("meta").ok_or(PushError::Shape("meta"))?;
    let body = raw.get("body").ok_or(PushError::Shape("body"))?;
    // The hash is computed over the JSON exactly as received, before any typed round trip.
    let computed = content_sha256(meta, body);
    let meta_json = meta.to_string();
    let body_json = body.to_string();

    let push: RevisionPush = serde_json::from_value(raw.clone()).map_err(PushError::Fields)?;
    if serde_json::to_value(&push.meta).ok().as_ref() != Some(meta) {
        return Err(PushError::UnknownFields("meta"));
    }
    if serde_json::to_value(&push.body).ok().as_ref() != Some(body) {
        return Err(PushError::UnknownFields("body"));
    }

    let key = idempotency_key.ok_or_else(|| {
        PushError::Header("Idempotency-Key is required: the revision's id".into())
    })?;
    let key_id: RevisionId = key
        .trim()
        .parse()
        .map_err(|_| PushError::Header(format!("Idempotency-Key {key:?} is not a revision id")))?;
    if key_id != push.id {
        return Err(PushError::HeaderMismatch(format!(
            "Idempotency-Key {key:?} is not the revision's id {}",
            push.id
        )));
    }
    match (push.parent, if_match) {
        (None, None) => {}
        (None, Some(value)) => {
            return Err(PushError::HeaderMismatch(format!(
                "a first revision (parent null) carries no If-Match, found {value:?}"
            )));
        }
        (Some(parent), None) => {
            return Err(PushError::HeaderMismatch(format!(
                "If-Match is required: \"{parent}\", the parent revision"
            )));
        }
        (Some(parent), Some(value)) => {
            if parse_if_match(value)? != parent {
                return Err(PushError::HeaderMismatch(format!(
                    "If-Match {value:?} is not the parent revision {parent}"
                )));
            }
        }
    }

    if push.sha256 != computed {
        return Err(PushError::HashMismatch {
            sent: push.sha256,
            computed,
        });
    }
    if push.meta.desk.trim().is_empty() {
        return Err(PushError::NoDesk);
    }
    push.body.validate()?;
    push.body.check_references()?;
    Ok(NewRevision::new(article_id, push, meta_json, body_json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(id: RevisionId, parent: Option<RevisionId>) -> Value {
        let meta = json!({"headline": "শিরোনাম", "desk": "national"});
        let doc = json!({"type": "doc", "content": [
            {"type": "paragraph", "attrs": {"id": "b1"}, "content": [{"type": "text", "text": "আমি"}]}
        ]});
        json!({
            "id": id, "parent": parent, "meta": meta, "body": doc,
            "sha256": content_sha256(&meta, &doc), "created_at": "2025-08-01T00:00:00Z"
        })
    }

    fn check(
        key: Option<&str>,
        if_match: Option<&str>,
        edit: impl FnOnce(&mut Value),
        parent: Option<RevisionId>,
    ) -> Result<NewRevision, PushError> {
        let id = RevisionId::new();
        let mut raw = body(id, parent);
        edit(&mut raw);
        let key = key.map(|k| {
            if k == "ID" {
                id.to_string()
            } else {
                k.to_string()
            }
        });
        prepare_push(ArticleId::new(), key.as_deref(), if_match, raw)
    }

    #[test]
    fn accepts_the_contract_and_refuses_the_rest() {
        let parent = RevisionId::new();
        let quoted = format!("\"{parent}\"");
        assert!(check(Some("ID"), None, |_| {}, None).is_ok());
        assert!(check(Some("ID"), Some(&quoted), |_| {}, Some(parent)).is_ok());

        // Missing or malformed headers…
        let header = |r: Result<NewRevision, PushError>| matches!(r, Err(PushError::Header(_)));
        assert!(header(check(None, None, |_| {}, None)));
        assert!(header(check(Some("x"), None, |_| {}, None)));
        assert!(header(check(
            Some("ID"),
            Some("nonsense"),
            |_| {},
            Some(parent)
        )));
        // …and well-formed ones that contradict the body.
        let mismatch =
            |r: Result<NewRevision, PushError>| matches!(r, Err(PushError::HeaderMismatch(_)));
        let other_id = RevisionId::new().to_string();
        assert!(mismatch(check(Some(&other_id), None, |_| {}, None)));
        assert!(mismatch(check(Some("ID"), None, |_| {}, Some(parent))));
        assert!(mismatch(check(Some("ID"), Some(&quoted), |_| {}, None)));
        let other = format!("\"{}\"", RevisionId::new());
        assert!(mismatch(check(
            Some("ID"),
            Some(&other),
            |_| {},
            Some(parent)
        )));

        let r = check(Some("ID"), None, |v| v["sha256"] = json!("00"), None);
        assert!(matches!(r, Err(PushError::HashMismatch { .. })));
        let r = check(
            Some("ID"),
            None,
            |v| v["meta"]["headline"] = json!("অন্য"),
            None,
        );
        assert!(matches!(r, Err(PushError::HashMismatch { .. })));
        let r = check(
            Some("ID"),
            None,
            |v| drop(v.as_object_mut().map(|o| o.remove("meta"))),
            None,
        );
        assert!(matches!(r, Err(PushError::Shape("meta"))));
        let r = check(
            Some("ID"),
            None,
            |v| v["meta"]["colour"] = json!("red"),
            None,
        );
        assert!(matches!(r, Err(PushError::UnknownFields("meta"))));
        let r = check(Some("ID"), None, |v| v["colour"] = json!("red"), None);
        assert!(matches!(r, Err(PushError::UnknownField(f)) if f == "colour"));
        let r = check(Some("ID"), None, |v| v["meta"]["headline"] = json!(5), None);
        assert!(matches!(r, Err(PushError::Fields(_))));
    }

    #[test]
    fn etags_unquote() {
        assert_eq!(unquote_etag("\"abc\""), "abc");
        assert_eq!(unquote_etag("W/\"abc\""), "abc");
        assert_eq!(unquote_etag("abc"), "abc");
    }
}
