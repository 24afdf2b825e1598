//! The article body: a ProseMirror-compatible JSON document whose top-level blocks each carry
//! a stable `attrs.id`. Block ids are what merge, diff, comments and deltas key on. The node
//! types, where each may appear and the limits come from `schema/document.json`
//! ([`crate::schema`]), the same file the UI's ProseMirror schema is checked against.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

/// Top-level block types the schema allows (the `block` group of `schema/document.json`).
pub const BLOCK_TYPES: &[&str] = &[
    "paragraph",
    "heading",
    "blockquote",
    "bullet_list",
    "ordered_list",
    "image",
    "conflict",
];
/// Node types allowed inside blocks.
pub const INNER_TYPES: &[&str] = &["text", "hard_break", "paragraph", "list_item"];
/// Marks allowed on text.
pub const MARK_TYPES: &[&str] = &["strong", "em", "link"];
/// The most top-level blocks one document may hold.
pub const MAX_BLOCKS: usize = 5_000;
/// The most text (in bytes, all text nodes together) one document may hold.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// A whole document (`{"type":"doc","content":[…]}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Document {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub content: Vec<Block>,
}

/// A ProseMirror node. Top-level nodes are blocks; the same shape serves inline nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Block {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub attrs: Option<BTreeMap<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<Block>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub marks: Option<Vec<Mark>>,
}

/// Inline nodes share the block shape.
pub type Inline = Block;

/// A text mark (`strong`, `em`, `link`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Mark {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub attrs: Option<BTreeMap<String, Value>>,
}

impl Mark {
    /// The text of attribute `key` (a link's `href`), when it is a string.
    pub fn attr_str(&self, key: &str) -> Option<&str> {
        self.attrs.as_ref()?.get(key)?.as_str()
    }
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the document's type must be \"doc\", found {0:?}")]
    NotADoc(String),
    #[error("unknown node type {kind:?} at {path}")]
    UnknownNode { kind: String, path: String },
    #[error("unknown mark type {kind:?} at {path}")]
    UnknownMark { kind: String, path: String },
    #[error("top-level block {index} has no attrs.id")]
    MissingBlockId { index: usize },
    #[error("block id {0:?} is used twice")]
    DuplicateBlockId(String),
    #[error("a text node at {path} has no text")]
    EmptyText { path: String },
    #[error("the document is too large: {what}")]
    TooLarge { what: String },
    #[error("a {kind:?} node may not appear inside {parent:?} (at {path})")]
    NotAllowedHere {
        kind: String,
        parent: String,
        path: String,
    },
    #[error(
        "an image at {path} must show one of the article's photos (media:<sha256>.<ext>), not {src:?}"
    )]
    ImageSource { path: String, src: String },
    #[error("a link at {path} must lead to an http, https or mailto address, not {href:?}")]
    LinkTarget { path: String, href: String },
}

/// Whether `src` names an uploaded photo: `media:` and 64 lowercase hex digits, then a dot and
/// a short alphanumeric extension.
pub fn is_media_source(src: &str) -> bool {
    let Some(name) = src.strip_prefix("media:") else {
        return false;
    };
    let (hash, ext) = name.split_once('.').unwrap_or((name, ""));
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether a link may lead to `href`: http, https or mailto (no `javascript:`, `data:`,
/// `file:` or relative address).
pub fn is_safe_link(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

impl Default for Document {
    fn default() -> Self {
        Self::empty()
    }
}

impl Document {
    /// A document with no blocks.
    pub fn empty() -> Self {
        Self {
            kind: "doc".into(),
            content: Vec::new(),
        }
    }

    /// A document of plain paragraphs with the given ids and texts.
    pub fn from_paragraphs<'a>(paragraphs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            kind: "doc".into(),
            content: paragraphs
                .into_iter()
                .map(|(id, text)| Block::paragraph(id, text))
                .collect(),
        }
    }

    /// The stable id of each top-level block, in order.
    pub fn block_ids(&self) -> Vec<&str> {
        self.content.iter().filter_map(Block::id).collect()
    }

    /// All text of the document, blocks separated by blank lines.
    pub fn plain_text(&self) -> String {
        self.content
            .iter()
            .map(Block::plain_text)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Checks where the document points: every image shows an uploaded photo and every link
    /// leads to a web or mail address ([`is_media_source`], [`is_safe_link`]). The server
    /// refuses a revision that fails it; the laptop's store saves it anyway (a word typed is
    /// never refused), and the editor does not make such nodes.
    pub fn check_references(&self) -> Result<(), DocumentError> {
        fn walk(block: &Block, path: &str) -> Result<(), DocumentError> {
            if block.kind == "image" {
                let src = block.attr_str("src").unwrap_or("");
                if !is_media_source(src) {
                    return Err(DocumentError::ImageSource {
                        path: path.into(),
                        src: src.chars().take(80).collect(),
                    });
                }
            }
            for mark in block.marks.iter().flatten() {
                if mark.kind == "link" {
                    let href = mark.attr_str("href").unwrap_or("");
                    if !is_safe_link(href) {
                        return Err(DocumentError::LinkTarget {
                            path: path.into(),
                            href: href.chars().take(80).collect(),
                        });
                    }
                }
            }
            for (i, child) in block.content.iter().flatten().enumerate() {
                walk(child, &format!("{path}.content[{i}]"))?;
            }
            Ok(())
        }
        for (index, block) in self.content.iter().enumerate() {
            walk(block, &format!("content[{index}]"))?;
        }
        Ok(())
    }

    /// Applies `f` to every text node (used to pass all text through the normalizer).
    pub fn map_text(&mut self, f: &impl Fn(&str) -> String) {
        for block in &mut self.content {
            block.map_text(f);
        }
    }

    /// Checks the document against the schema and the size limits.
    pub fn validate(&self) -> Result<(), DocumentError> {
        if self.kind != "doc" {
            return Err(DocumentError::NotADoc(self.kind.clone()));
        }
        if self.content.len() > MAX_BLOCKS {
            return Err(DocumentError::TooLarge {
                what: format!("{} blocks, at most {MAX_BLOCKS}", self.content.len()),
            });
        }
        let mut seen = HashSet::new();
        let mut text_bytes = 0usize;
        for (index, block) in self.content.iter().enumerate() {
            if !BLOCK_TYPES.contains(&block.kind.as_str()) {
                return Err(DocumentError::UnknownNode {
                    kind: block.kind.clone(),
                    path: format!("content[{index}]"),
                });
            }
            let id = block.id().ok_or(DocumentError::MissingBlockId { index })?;
            if !seen.insert(id) {
                return Err(DocumentError::DuplicateBlockId(id.to_string()));
            }
            block.validate_inner(&format!("content[{index}]"), &mut text_bytes)?;
        }
        if text_bytes > MAX_TEXT_BYTES {
            return Err(DocumentError::TooLarge {
                what: format!("{text_bytes} bytes of text, at most {MAX_TEXT_BYTES}"),
            });
        }
        Ok(())
    }
}

impl Block {
    /// A paragraph block holding one text run (no text node when `text` is empty).
    pub fn paragraph(id: &str, text: &str) -> Self {
        let mut attrs = BTreeMap::new();
        attrs.insert("id".to_string(), Value::String(id.to_string()));
        Self {
            kind: "paragraph".into(),
            attrs: Some(attrs),
            content: (!text.is_empty()).then(|| vec![Block::text(text)]),
            text: None,
            marks: None,
        }
    }

    /// A text node.
    pub fn text(text: &str) -> Self {
        Self {
            kind: "text".into(),
            attrs: None,
            content: None,
            text: Some(text.to_string()),
            marks: None,
        }
    }

    /// The text of attribute `key` (`src`, `alt`, `caption` …), when it is a string.
    pub fn attr_str(&self, key: &str) -> Option<&str> {
        self.attrs.as_ref()?.get(key)?.as_str()
    }

    /// The block's stable id, when it has one.
    pub fn id(&self) -> Option<&str> {
        self.attrs
            .as_ref()?
            .get("id")?
            .as_str()
            .filter(|s| !s.is_empty())
    }

    /// The block's text, with children joined (list items and quotes by newline).
    pub fn plain_text(&self) -> String {
        if let Some(text) = &self.text {
            return text.clone();
        }
        let Some(children) = &self.content else {
            return String::new();
        };
        let inline = children
            .iter()
            .all(|c| c.kind == "text" || c.kind == "hard_break");
        let parts: Vec<String> = children
            .iter()
            .map(|c| {
                if c.kind == "hard_break" {
                    "\n".to_string()
                } else {
                    c.plain_text()
                }
            })
            .collect();
        parts.join(if inline { "" } else { "\n" })
    }

    fn map_text(&mut self, f: &impl Fn(&str) -> String) {
        if let Some(text) = &mut self.text {
            *text = f(text);
        }
        if let Some(attrs) = &mut self.attrs {
            for key in ["caption", "alt"] {
                if let Some(Value::String(s)) = attrs.get_mut(key) {
                    *s = f(s);
                }
            }
        }
        for child in self.content.iter_mut().flatten() {
            child.map_text(f);
        }
    }

    fn validate_inner(&self, path: &str, text_bytes: &mut usize) -> Result<(), DocumentError> {
        if self.kind == "text" {
            let text = self.text.as_deref().unwrap_or("");
            if text.is_empty() {
                return Err(DocumentError::EmptyText { path: path.into() });
            }
            *text_bytes += text.len();
        }
        for mark in self.marks.iter().flatten() {
            if !MARK_TYPES.contains(&mark.kind.as_str()) {
                return Err(DocumentError::UnknownMark {
                    kind: mark.kind.clone(),
                    path: path.into(),
                });
            }
        }
        let schema = crate::schema::schema();
        for (i, child) in self.content.iter().flatten().enumerate() {
            let child_path = format!("{path}.content[{i}]");
            if !INNER_TYPES.contains(&child.kind.as_str()) {
                return Err(DocumentError::UnknownNode {
                    kind: child.kind.clone(),
                    path: child_path,
                });
            }
            if !schema.allows(&self.kind, &child.kind) {
                return Err(DocumentError::NotAllowedHere {
                    kind: child.kind.clone(),
                    parent: self.kind.clone(),
                    path: child_path,
                });
            }
            child.validate_inner(&child_path, text_bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Document {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn wire_form_round_trips() {
        let v = json!({"type":"doc","content":[
            {"type":"paragraph","attrs":{"id":"b1"},"content":[{"type":"text","text":"আমি"}]},
            {"type":"heading","attrs":{"id":"b2","level":2},"content":[{"type":"text","text":"শিরোনাম","marks":[{"type":"strong"}]}]}
        ]});
        let d = doc(v.clone());
        assert_eq!(serde_json::to_value(&d).unwrap(), v);
        assert_eq!(d.block_ids(), vec!["b1", "b2"]);
        assert_eq!(d.plain_text(), "আমি\n\nশিরোনাম");
        d.validate().unwrap();
    }

    #[test]
    fn images_show_uploaded_photos_and_links_lead_to_the_web_or_mail() {
        let photo = format!("media:{}.jpg", "ab".repeat(32));
        let image = |src: &str| {
            doc(json!({"type":"doc","content":[
                {"type":"image","attrs":{"id":"i","src":src,"alt":"","caption":""}}]}))
        };
        let link = |href: &str| {
            doc(
                json!({"type":"doc","content":[{"type":"paragraph","attrs":{"id":"p"},
                "content":[{"type":"text","text":"সূত্র","marks":[{"type":"link","attrs":{"href":href}}]}]}]}),
            )
        };
        image(&photo).check_references().unwrap();
        for src in [
            "https://tracker.example/pixel.gif",
            "data:image/png;base64,AAAA",
            "media:../../etc/passwd",
            "media:ABCD.jpg",
            "",
        ] {
            let refused = image(src).check_references().unwrap_err();
            assert!(
                matches!(refused, DocumentError::ImageSource { .. }),
                "{src}"
            );
        }
        for href in [
            "https://bdnews24.com/x",
            "HTTP://example.com",
            "mailto:desk@example.com",
        ] {
            link(href).check_references().unwrap();
        }
        for href in [
            "javascript:alert(1)",
            " data:text/html,x",
            "file:///etc/passwd",
            "/relative",
            "https://",
            "",
        ] {
            let refused = link(href).check_references().unwrap_err();
            assert!(
                matches!(refused, DocumentError::LinkTarget { .. }),
                "{href:?}"
            );
        }
    }

    #[test]
    fn validation_names_what_is_wrong() {
        let cases = [
            (json!({"type":"para","content":[]}), "type must be"),
            (
                json!({"type":"doc","content":[{"type":"script","attrs":{"id":"x"}}]}),
                "unknown node type",
            ),
            (
                json!({"type":"doc","content":[{"type":"paragraph"}]}),
                "has no attrs.id",
            ),
            (
                json!({"type":"doc","content":[{"type":"paragraph","attrs":{"id":"a"}},{"type":"paragraph","attrs":{"id":"a"}}]}),
                "used twice",
            ),
            (
                json!({"type":"doc","content":[{"type":"paragraph","attrs":{"id":"a"},"content":[{"type":"text","text":""}]}]}),
                "has no text",
            ),
            (
                json!({"type":"doc","content":[{"type":"paragraph","attrs":{"id":"a"},"content":[{"type":"text","text":"x","marks":[{"type":"blink"}]}]}]}),
                "unknown mark",
            ),
            (
                json!({"type":"doc","content":[{"type":"bullet_list","attrs":{"id":"a"},"content":[{"type":"paragraph"}]}]}),
                "may not appear inside \"bullet_list\"",
            ),
            (
                json!({"type":"doc","content":[{"type":"paragraph","attrs":{"id":"a"},"content":[{"type":"paragraph"}]}]}),
                "may not appear inside \"paragraph\"",
            ),
            (
                json!({"type":"doc","content":[{"type":"image","attrs":{"id":"a"},"content":[{"type":"text","text":"x"}]}]}),
                "may not appear inside \"image\"",
            ),
        ];
        for (v, expected) in cases {
            let err = doc(v.clone()).validate().unwrap_err().to_string();
            assert!(err.contains(expected), "{v}: {err}");
        }
    }

    #[test]
    fn too_many_blocks_is_refused() {
        let ids: Vec<String> = (0..=MAX_BLOCKS).map(|i| format!("b{i}")).collect();
        let d = Document::from_paragraphs(ids.iter().map(|id| (id.as_str(), "x")));
        assert!(matches!(d.validate(), Err(DocumentError::TooLarge { .. })));
    }

    #[test]
    fn map_text_reaches_every_text_node() {
        let mut d = Document::from_paragraphs([("a", "one"), ("b", "two")]);
        d.map_text(&|s: &str| s.to_uppercase());
        assert_eq!(d.plain_text(), "ONE\n\nTWO");
    }
}
