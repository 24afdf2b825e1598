//! Publications as IPTC ninjs 2.x items (language "bn"). A first, minimal rendering: the body
//! travels as plain text built from the document; HTML rendering (server-side, sanitized) comes
//! later and never passes client HTML through.

use crate::store::Publication;
use serde::Serialize;

/// One ninjs 2.x item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NinjsItem {
    pub uri: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: String,
    pub firstcreated: String,
    pub versioncreated: String,
    pub pubstatus: &'static str,
    pub language: &'static str,
    pub headlines: Vec<Headline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slugline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bylines: Vec<Byline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub located: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgency: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embargoed: Option<String>,
    /// The correction note, when this version corrects an earlier one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ednote: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    pub bodies: Vec<Body>,
    pub altids: Vec<AltId>,
}

/// A ninjs headline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    pub role: &'static str,
    pub value: String,
}

/// A ninjs byline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Byline {
    pub byline: String,
}

/// A ninjs body rendition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Body {
    pub role: &'static str,
    pub contenttype: &'static str,
    pub value: String,
}

/// A ninjs alternative id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AltId {
    pub role: &'static str,
    pub value: String,
}

/// `GET /v1/published` → 200
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedFeed {
    pub items: Vec<NinjsItem>,
    /// The cursor to pass as `since` next time.
    pub next: i64,
}

/// Renders a publication as a ninjs item.
pub fn render(p: &Publication) -> NinjsItem {
    let meta = &p.meta;
    let mut text = p.body.plain_text();
    for line in [&meta.source_line, &meta.sign_off].into_iter().flatten() {
        text.push_str("\n\n");
        text.push_str(line);
    }
    NinjsItem {
        uri: format!("urn:barta:publication:{}", p.id),
        kind: "text",
        version: p.seq.to_string(),
        firstcreated: p.article_created_at.clone(),
        versioncreated: p.published_at.clone(),
        pubstatus: "usable",
        language: "bn",
        headlines: vec![Headline {
            role: "main",
            value: meta.headline.clone(),
        }],
        slugline: meta.slugline.clone(),
        bylines: meta
            .byline
            .iter()
            .map(|b| Byline { byline: b.clone() })
            .collect(),
        located: meta.dateline_place.clone(),
        urgency: meta.urgency.map(|u| u.0),
        embargoed: meta.embargo.clone(),
        ednote: p.correction.clone(),
        keywords: meta.tags.clone(),
        bodies: vec![Body {
            role: "main",
            contenttype: "text/plain",
            value: text,
        }],
        altids: vec![
            AltId {
                role: "article",
                value: p.article_id.to_string(),
            },
            AltId {
                role: "revision",
                value: p.revision_id.to_string(),
            },
            AltId {
                role: "sha256",
                value: p.sha256.clone(),
            },
        ],
    }
}
