//! An article's metadata: the fields a Bangladeshi portal prints around the body.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Block, Document};

/// Urgency as news agencies grade it: 1 is a flash, 5 routine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Urgency(pub u8);

/// Everything about an article except its body. `headline` and `desk` are required on the
/// wire; the rest is optional and omitted when empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ArticleMeta {
    pub headline: String,
    /// The desk's slug, e.g. `international`.
    pub desk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub slugline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub byline: Option<String>,
    /// The dateline's place, e.g. ঢাকা; the date is printed from the publication time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dateline_place: Option<String>,
    /// "সূত্র: বিবিসি"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source_line: Option<String>,
    /// "আমারসংবাদ/টিএইচ"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sign_off: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub urgency: Option<Urgency>,
    /// Not before this instant (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub embargo: Option<String>,
}

impl ArticleMeta {
    /// Applies `f` to every free-text field (used to pass text through the normalizer).
    pub fn map_text(&mut self, f: &impl Fn(&str) -> String) {
        self.headline = f(&self.headline);
        for field in [
            &mut self.slugline,
            &mut self.byline,
            &mut self.dateline_place,
            &mut self.source_line,
            &mut self.sign_off,
        ]
        .into_iter()
        .flatten()
        {
            *field = f(field);
        }
        for tag in &mut self.tags {
            *tag = f(tag);
        }
    }
}

fn push_block_text(block: &Block, out: &mut String) {
    if let Some(text) = &block.text {
        out.push_str(text);
    }
    if block.kind == "hard_break" {
        out.push('\n');
    }
    if let Some(attrs) = &block.attrs {
        for key in ["caption", "alt"] {
            if let Some(serde_json::Value::String(s)) = attrs.get(key) {
                out.push_str(s);
                out.push('\n');
            }
        }
    }
    for child in block.content.iter().flatten() {
        push_block_text(child, out);
        if child.kind != "text" && child.kind != "hard_break" {
            out.push('\n');
        }
    }
}

/// The searchable text of an article besides its headline: the body (captions included),
/// then slugline, byline, dateline place, source line, sign-off and tags.
pub fn searchable_text(meta: &ArticleMeta, body: &Document) -> String {
    let mut out = String::new();
    for block in &body.content {
        push_block_text(block, &mut out);
        out.push('\n');
    }
    for field in [
        &meta.slugline,
        &meta.byline,
        &meta.dateline_place,
        &meta.source_line,
        &meta.sign_off,
    ]
    .into_iter()
    .flatten()
    {
        out.push_str(field);
        out.push('\n');
    }
    for tag in &meta.tags {
        out.push_str(tag);
        out.push('\n');
    }
    out
}
