//! Revision pushes ready for the store (`NewRevision`), for the tests that call the stores
//! directly (the PostgreSQL ones, comparing the backends answer for answer) rather than
//! through HTTP.

// Each test binary that includes this uses only part of it.
#![allow(dead_code)]

use barta_model::{ArticleId, ArticleMeta, Document, RevisionId, RevisionPush};
use barta_server::store::NewRevision;
use serde_json::{Value, json};

/// The push of `id` to `article` with this headline and desk and these document blocks.
pub fn new_revision(
    article: ArticleId,
    id: RevisionId,
    parent: Option<RevisionId>,
    (headline, desk): (&str, &str),
    blocks: Vec<Value>,
) -> NewRevision {
    let meta: ArticleMeta =
        serde_json::from_value(json!({"headline": headline, "desk": desk})).unwrap();
    let body: Document = serde_json::from_value(json!({"type": "doc", "content": blocks})).unwrap();
    let push = RevisionPush::new(id, parent, meta, body, "2026-12-07T10:00:00+06:00".into());
    let meta_json = serde_json::to_string(&push.meta).unwrap();
    let body_json = serde_json::to_string(&push.body).unwrap();
    NewRevision::new(article, push, meta_json, body_json)
}

/// A paragraph block `p1` of `text`.
pub fn paragraph(text: &str) -> Value {
    json!({"type": "paragraph", "attrs": {"id": "p1"}, "content": [{"type": "text", "text": text}]})
}
