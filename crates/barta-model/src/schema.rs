//! The document schema, defined once in `schema/document.json` and compiled in here. The
//! validator in [`crate::document`] follows it; the UI's ProseMirror schema
//! (`ui/src/editor/schema.ts`) is checked against the same file by `ui/test/schema.test.ts`.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The schema file's text, as shipped.
pub const SCHEMA_JSON: &str = include_str!("../schema/document.json");

/// The whole schema.
#[derive(Clone, Debug, Deserialize)]
pub struct Schema {
    pub version: u32,
    #[serde(rename = "topNode")]
    pub top_node: String,
    pub nodes: BTreeMap<String, NodeSpec>,
    pub marks: BTreeMap<String, MarkSpec>,
    pub limits: Limits,
}

/// One node type.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NodeSpec {
    pub group: Option<String>,
    /// A ProseMirror content expression (`inline*`, `paragraph+`, `(a | b)+`).
    pub content: Option<String>,
    /// Attribute names with their defaults.
    #[serde(default)]
    pub attrs: BTreeMap<String, Value>,
    #[serde(default)]
    pub inline: bool,
    #[serde(default)]
    pub atom: bool,
}

/// One mark type.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct MarkSpec {
    #[serde(default)]
    pub attrs: BTreeMap<String, Value>,
}

/// Size limits of one document.
#[derive(Clone, Debug, Deserialize)]
pub struct Limits {
    pub max_blocks: usize,
    pub max_text_bytes: usize,
}

/// The compiled-in schema.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    // The file is part of the source and parsed by a unit test: it cannot fail at run time.
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_JSON).expect("schema/document.json parses"))
}

impl Schema {
    /// Node types of the `block` group: the top-level blocks, each with a stable id.
    pub fn block_types(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.group.as_deref() == Some("block"))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// The names and groups a content expression admits (`None` when the node is a leaf).
    fn admitted(&self, parent: &str) -> Option<Vec<&str>> {
        let expr = self.nodes.get(parent)?.content.as_deref()?;
        let expr = expr.trim().trim_end_matches(['+', '*', '?']);
        let inner = expr.trim_start_matches('(').trim_end_matches(')');
        Some(inner.split('|').map(str::trim).collect())
    }

    /// Whether `child` may appear directly inside `parent`.
    pub fn allows(&self, parent: &str, child: &str) -> bool {
        let Some(admitted) = self.admitted(parent) else {
            return false;
        };
        let group = self.nodes.get(child).and_then(|n| n.group.as_deref());
        admitted.iter().any(|a| *a == child || Some(*a) == group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BLOCK_TYPES, INNER_TYPES, MARK_TYPES, MAX_BLOCKS, MAX_TEXT_BYTES};

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_unstable();
        v
    }

    #[test]
    fn the_constants_follow_the_schema_file() {
        let s = schema();
        assert_eq!(s.top_node, "doc");
        assert_eq!(sorted(s.block_types()), sorted(BLOCK_TYPES.to_vec()));
        assert_eq!(
            sorted(s.marks.keys().map(String::as_str).collect()),
            sorted(MARK_TYPES.to_vec())
        );
        // Inner types: everything some non-doc node admits.
        let mut inner: Vec<&str> = s
            .nodes
            .keys()
            .filter(|child| {
                s.nodes
                    .keys()
                    .any(|parent| parent != "doc" && s.allows(parent, child))
            })
            .map(String::as_str)
            .collect();
        inner.dedup();
        assert_eq!(sorted(inner), sorted(INNER_TYPES.to_vec()));
        assert_eq!(s.limits.max_blocks, MAX_BLOCKS);
        assert_eq!(s.limits.max_text_bytes, MAX_TEXT_BYTES);
        for block in BLOCK_TYPES {
            assert!(
                s.nodes[*block].attrs.contains_key("id"),
                "{block} has no id attr"
            );
        }
    }

    #[test]
    fn content_expressions() {
        let s = schema();
        let check = |parent: &str, child: &str, expected: bool| {
            assert_eq!(s.allows(parent, child), expected, "{parent} ∋ {child}");
        };
        check("doc", "paragraph", true);
        check("doc", "conflict", true);
        check("doc", "text", false);
        check("paragraph", "text", true);
        check("paragraph", "hard_break", true);
        check("paragraph", "paragraph", false);
        check("blockquote", "paragraph", true);
        check("blockquote", "text", false);
        check("bullet_list", "list_item", true);
        check("bullet_list", "paragraph", false);
        check("list_item", "paragraph", true);
        check("image", "text", false);
        check("text", "text", false);
        check("conflict", "paragraph", true);
    }
}
