//! The 3-way block merge of sync.md: keyed on block ids against the common ancestor, a text
//! merge inside a block both sides changed, and a visible **conflict block** when the text
//! merge clashes. Pure: the same inputs always give the same result, and no text is dropped
//! (what one side wrote is in the result or in a conflict block).
//!
//! A conflict block is a top-level block
//! `{"type":"conflict","attrs":{"id", "ours_author", "ours_at", "theirs_author", "theirs_at"},
//! "content":[ours, theirs]}` where each version is a `paragraph` node carrying
//! `attrs.side` (`ours`/`theirs`), its author and time, and the original block's `type` and
//! `attrs` under `block_type`/`block_attrs`, with the original block's content. The
//! document validator accepts it, the server refuses to approve it (422), and a person
//! resolves it by keeping one version (or writing a third).

use crate::{ArticleMeta, Block, Document};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The block type of a conflict block.
pub const CONFLICT_TYPE: &str = "conflict";
/// The attribute a kept block carries when the other side deleted it (edit against delete).
pub const FLAG_ATTR: &str = "merge_flag";
/// The value of [`FLAG_ATTR`] for an edited block the other side deleted.
pub const FLAG_DELETED_BY_OTHER: &str = "edited_but_deleted_by_other";
/// The largest product of the two changed spans (in characters) the text merge attempts;
/// beyond it the block becomes a conflict block (never a silent choice).
pub const MAX_TEXT_MERGE_CELLS: usize = 4_000_000;

/// Who wrote one side of a merge, recorded on conflict blocks and flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    /// The author's user name.
    pub name: String,
    /// When the side's revision was made (informational only).
    pub at: String,
}

impl Author {
    /// An author with a name and a time.
    pub fn new(name: impl Into<String>, at: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            at: at.into(),
        }
    }
}

/// One side of a merge: its content and who made it.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub meta: &'a ArticleMeta,
    pub body: &'a Document,
    pub author: &'a Author,
}

/// What a merge produced, with counts for the UI.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub meta: ArticleMeta,
    pub body: Document,
    /// Conflict blocks added (block clashes and metadata clashes).
    pub conflicts: usize,
    /// Edited blocks kept although the other side deleted them.
    pub flagged: usize,
    /// Blocks merged cleanly inside their text.
    pub text_merges: usize,
}

/// True when the document holds a conflict block (such a revision cannot be approved).
pub fn has_conflicts(doc: &Document) -> bool {
    doc.content.iter().any(|b| b.kind == CONFLICT_TYPE)
}

/// Merges `ours` and `theirs` against their common ancestor `base`. `theirs` is the side the
/// server accepted first: its block order is the frame new blocks of `ours` are placed into.
pub fn merge(base_meta: &ArticleMeta, base: &Document, ours: Side<'_>, theirs: Side<'_>) -> Merged {
    // One side unchanged: the result is the other side, exactly (block moves included).
    if ours.body == base && ours.meta == base_meta {
        return unchanged(theirs);
    }
    if theirs.body == base && theirs.meta == base_meta {
        return unchanged(ours);
    }
    let mut out = merge_bodies(base, ours, theirs);
    let (meta, meta_conflicts) = merge_meta(base_meta, ours, theirs);
    let mut used: HashSet<String> = out.body.block_ids().into_iter().map(String::from).collect();
    let mut front = Vec::new();
    for (field, ours_value, theirs_value) in meta_conflicts {
        let mut id = format!("conflict-meta-{field}");
        let mut n = 1;
        while used.contains(&id) {
            n += 1;
            id = format!("conflict-meta-{field}-{n}");
        }
        used.insert(id.clone());
        let version = |side: &str, value: &Value, who: &Author| {
            let mut attrs = BTreeMap::new();
            attrs.insert("side".into(), Value::from(side));
            attrs.insert("author".into(), Value::from(who.name.as_str()));
            attrs.insert("at".into(), Value::from(who.at.as_str()));
            attrs.insert("meta_field".into(), Value::from(field));
            attrs.insert("meta_value".into(), value.clone());
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            Block {
                kind: "paragraph".into(),
                attrs: Some(attrs),
                content: (!text.is_empty()).then(|| vec![Block::text(&text)]),
                text: None,
                marks: None,
            }
        };
        front.push(Block {
            kind: CONFLICT_TYPE.into(),
            attrs: Some(conflict_attrs(&id, ours.author, theirs.author)),
            content: Some(vec![
                version("ours", &ours_value, ours.author),
                version("theirs", &theirs_value, theirs.author),
            ]),
            text: None,
            marks: None,
        });
    }
    out.conflicts += front.len();
    if !front.is_empty() {
        front.append(&mut out.body.content);
        out.body.content = front;
    }
    out.meta = meta;
    out
}

fn unchanged(side: Side<'_>) -> Merged {
    Merged {
        meta: side.meta.clone(),
        body: side.body.clone(),
        conflicts: 0,
        flagged: 0,
        text_merges: 0,
    }
}

fn merge_bodies(base: &Document, ours: Side<'_>, theirs: Side<'_>) -> Merged {
    let base_by_id = by_id(base);
    let ours_by_id = by_id(ours.body);
    let mut merged = Merged {
        meta: theirs.meta.clone(),
        body: Document {
            kind: theirs.body.kind.clone(),
            content: Vec::new(),
        },
        conflicts: 0,
        flagged: 0,
        text_merges: 0,
    };
    // Blocks in `theirs` order, resolved against `ours`.
    let mut result: Vec<(Option<String>, Block)> = Vec::new();
    for block in &theirs.body.content {
        let id = block.id();
        let Some(id) = id else {
            // A block without an id cannot be matched: keep it as it is.
            result.push((None, block.clone()));
            continue;
        };
        let b = base_by_id.get(id).copied();
        match ours_by_id.get(id).copied() {
            Some(o) => {
                let resolved = merge_block(id, b, o, block, ours.author, theirs.author);
                match resolved {
                    BlockMerge::Take(x) => result.push((Some(id.into()), x)),
                    BlockMerge::Text(x) => {
                        merged.text_merges += 1;
                        result.push((Some(id.into()), x));
                    }
                    BlockMerge::Conflict(x) => {
                        merged.conflicts += 1;
                        result.push((Some(id.into()), x));
                    }
                }
            }
            None => match b {
                // Ours deleted it: gone unless theirs edited it.
                Some(b) if b == block => {}
                Some(_) => {
                    merged.flagged += 1;
                    result.push((Some(id.into()), flagged(block, ours.author)));
                }
                // New in theirs.
                None => result.push((Some(id.into()), block.clone())),
            },
        }
    }
    // Blocks of `ours` that `theirs` lacks: new ones, and ones theirs deleted.
    let theirs_ids: HashSet<&str> = theirs.body.content.iter().filter_map(Block::id).collect();
    let mut anchor: Option<usize> = None;
    for block in &ours.body.content {
        let id = block.id();
        if let Some(id) = id
            && theirs_ids.contains(id)
        {
            anchor = result
                .iter()
                .position(|(rid, _)| rid.as_deref() == Some(id))
                .or(anchor);
            continue;
        }
        let keep = match id.and_then(|id| base_by_id.get(id).copied()) {
            // Theirs deleted a block ours did not touch: gone.
            Some(b) if b == block => None,
            Some(_) => {
                merged.flagged += 1;
                Some(flagged(block, theirs.author))
            }
            None => Some(block.clone()),
        };
        if let Some(kept) = keep {
            let at = anchor.map_or(0, |a| a + 1);
            result.insert(at, (id.map(String::from), kept));
            anchor = Some(at);
        }
    }
    merged.body.content = result.into_iter().map(|(_, b)| b).collect();
    merged
}

enum BlockMerge {
    Take(Block),
    Text(Block),
    Conflict(Block),
}

fn merge_block(
    id: &str,
    base: Option<&Block>,
    ours: &Block,
    theirs: &Block,
    ours_author: &Author,
    theirs_author: &Author,
) -> BlockMerge {
    if ours == theirs {
        return BlockMerge::Take(theirs.clone());
    }
    if base == Some(ours) {
        return BlockMerge::Take(theirs.clone());
    }
    if base == Some(theirs) {
        return BlockMerge::Take(ours.clone());
    }
    if let Some(merged) = base.and_then(|b| text_merge_block(b, ours, theirs)) {
        return BlockMerge::Text(merged);
    }
    BlockMerge::Conflict(conflict_block(id, ours, theirs, ours_author, theirs_author))
}

/// The text of a block made only of unmarked text nodes (the only shape merged inside).
fn plain_runs(block: &Block) -> Option<String> {
    if block.text.is_some() || block.marks.is_some() {
        return None;
    }
    let mut text = String::new();
    for child in block.content.iter().flatten() {
        if child.kind != "text" || child.marks.is_some() || child.attrs.is_some() {
            return None;
        }
        text.push_str(child.text.as_deref()?);
    }
    Some(text)
}

fn text_merge_block(base: &Block, ours: &Block, theirs: &Block) -> Option<Block> {
    if base.kind != ours.kind || ours.kind != theirs.kind {
        return None;
    }
    if base.attrs != ours.attrs || ours.attrs != theirs.attrs {
        return None;
    }
    let b: Vec<char> = plain_runs(base)?.chars().collect();
    let o: Vec<char> = plain_runs(ours)?.chars().collect();
    let t: Vec<char> = plain_runs(theirs)?.chars().collect();
    let text = merge_text(&b, &o, &t)?;
    Some(Block {
        kind: theirs.kind.clone(),
        attrs: theirs.attrs.clone(),
        content: (!text.is_empty()).then(|| vec![Block::text(&text)]),
        text: None,
        marks: None,
    })
}

/// One change of a side against the base: base chars `start..end` become `with`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hunk {
    start: usize,
    end: usize,
    with: Vec<char>,
}

/// A character-level 3-way merge: `None` when the two sides' changes touch or overlap (unless
/// they are the same change).
fn merge_text(base: &[char], ours: &[char], theirs: &[char]) -> Option<String> {
    let a = hunks(base, ours)?;
    let b = hunks(base, theirs)?;
    let mut all: Vec<(&Hunk, u8)> = a
        .iter()
        .map(|h| (h, 0))
        .chain(b.iter().map(|h| (h, 1)))
        .collect();
    all.sort_by_key(|(h, side)| (h.start, h.end, *side));
    // Identical changes on both sides count once.
    all.dedup_by(|x, y| x.0 == y.0);
    for pair in all.windows(2) {
        let (x, y) = (pair[0].0, pair[1].0);
        if pair[0].1 != pair[1].1 && y.start <= x.end {
            return None;
        }
    }
    let mut out = String::new();
    let mut pos = 0;
    for (h, _) in all {
        out.extend(&base[pos..h.start]);
        out.extend(&h.with);
        pos = h.end;
    }
    out.extend(&base[pos..]);
    Some(out)
}

/// The changes turning `base` into `side`, from a longest common subsequence of the middle
/// (the common prefix and suffix trimmed first). `None` when the middle is too large.
fn hunks(base: &[char], side: &[char]) -> Option<Vec<Hunk>> {
    let prefix = base.iter().zip(side).take_while(|(x, y)| x == y).count();
    let max_suffix = base.len().min(side.len()) - prefix;
    let suffix = base
        .iter()
        .rev()
        .zip(side.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let bm = &base[prefix..base.len() - suffix];
    let sm = &side[prefix..side.len() - suffix];
    if bm.is_empty() && sm.is_empty() {
        return Some(Vec::new());
    }
    if bm.len().saturating_mul(sm.len()) > MAX_TEXT_MERGE_CELLS {
        return None;
    }
    // lcs[i][j]: LCS length of bm[i..] and sm[j..].
    let (n, m) = (bm.len(), sm.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if bm[i] == sm[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut open: Option<Hunk> = None;
    while i < n || j < m {
        if i < n && j < m && bm[i] == sm[j] {
            if let Some(h) = open.take() {
                out.push(h);
            }
            i += 1;
            j += 1;
            continue;
        }
        let h = open.get_or_insert_with(|| Hunk {
            start: prefix + i,
            end: prefix + i,
            with: Vec::new(),
        });
        if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
            h.with.push(sm[j]);
            j += 1;
        } else {
            i += 1;
            h.end = prefix + i;
        }
    }
    if let Some(h) = open {
        out.push(h);
    }
    Some(out)
}

fn conflict_attrs(id: &str, ours: &Author, theirs: &Author) -> BTreeMap<String, Value> {
    let mut attrs = BTreeMap::new();
    attrs.insert("id".into(), Value::from(id));
    attrs.insert("ours_author".into(), Value::from(ours.name.as_str()));
    attrs.insert("ours_at".into(), Value::from(ours.at.as_str()));
    attrs.insert("theirs_author".into(), Value::from(theirs.name.as_str()));
    attrs.insert("theirs_at".into(), Value::from(theirs.at.as_str()));
    attrs
}

/// A version inside a conflict block: a `paragraph` node keeping the original block's type,
/// attributes and content (as inline text plus `block_content` for quotes and lists).
fn version(side: &str, block: &Block, who: &Author) -> Block {
    let mut attrs = BTreeMap::new();
    attrs.insert("side".into(), Value::from(side));
    attrs.insert("author".into(), Value::from(who.name.as_str()));
    attrs.insert("at".into(), Value::from(who.at.as_str()));
    attrs.insert("block_type".into(), Value::from(block.kind.as_str()));
    let original: Map<String, Value> = block
        .attrs
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    attrs.insert("block_attrs".into(), Value::Object(original));
    // The schema allows one paragraph per version. A paragraph or heading keeps its inline
    // content as it is; a quote, a list or an image shows its text as lines and keeps its exact
    // structure in `block_content`, so nothing of it is lost.
    let content = if matches!(block.kind.as_str(), "paragraph" | "heading") {
        block.content.clone()
    } else {
        attrs.insert(
            "block_content".into(),
            serde_json::to_value(&block.content).unwrap_or(Value::Null),
        );
        let mut inline = Vec::new();
        for (i, line) in block.plain_text().split('\n').enumerate() {
            if i > 0 {
                inline.push(Block {
                    kind: "hard_break".into(),
                    attrs: None,
                    content: None,
                    text: None,
                    marks: None,
                });
            }
            if !line.is_empty() {
                inline.push(Block::text(line));
            }
        }
        (!inline.is_empty()).then_some(inline)
    };
    Block {
        kind: "paragraph".into(),
        attrs: Some(attrs),
        content,
        text: None,
        marks: None,
    }
}

fn conflict_block(id: &str, ours: &Block, theirs: &Block, oa: &Author, ta: &Author) -> Block {
    Block {
        kind: CONFLICT_TYPE.into(),
        attrs: Some(conflict_attrs(id, oa, ta)),
        content: Some(vec![
            version("ours", ours, oa),
            version("theirs", theirs, ta),
        ]),
        text: None,
        marks: None,
    }
}

fn flagged(block: &Block, deleted_by: &Author) -> Block {
    let mut kept = block.clone();
    let attrs = kept.attrs.get_or_insert_with(BTreeMap::new);
    attrs.insert(FLAG_ATTR.into(), Value::from(FLAG_DELETED_BY_OTHER));
    attrs.insert("deleted_by".into(), Value::from(deleted_by.name.as_str()));
    kept
}

fn by_id(doc: &Document) -> HashMap<&str, &Block> {
    doc.content
        .iter()
        .filter_map(|b| b.id().map(|id| (id, b)))
        .collect()
}

/// A field-by-field 3-way merge of the metadata: one side's change is taken; a clash keeps
/// `theirs` in the field and reports both values (they become a conflict block).
fn merge_meta(
    base: &ArticleMeta,
    ours: Side<'_>,
    theirs: Side<'_>,
) -> (ArticleMeta, Vec<(&'static str, Value, Value)>) {
    let as_map = |m: &ArticleMeta| match serde_json::to_value(m) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let (b, o, t) = (as_map(base), as_map(ours.meta), as_map(theirs.meta));
    let mut out = t.clone();
    let mut clashes = Vec::new();
    for field in META_FIELDS {
        let (bv, ov, tv) = (b.get(*field), o.get(*field), t.get(*field));
        if ov == tv || ov == bv {
            continue;
        }
        if tv == bv {
            match ov {
                Some(v) => out.insert((*field).into(), v.clone()),
                None => out.remove(*field),
            };
            continue;
        }
        clashes.push((
            *field,
            ov.cloned().unwrap_or(Value::Null),
            tv.cloned().unwrap_or(Value::Null),
        ));
    }
    let meta = serde_json::from_value(Value::Object(out)).unwrap_or_else(|_| theirs.meta.clone());
    (meta, clashes)
}

/// Every field of [`ArticleMeta`] on the wire (checked by a test).
const META_FIELDS: &[&str] = &[
    "headline",
    "desk",
    "slugline",
    "byline",
    "dateline_place",
    "source_line",
    "sign_off",
    "tags",
    "urgency",
    "embargo",
];

#[cfg(test)]
mod tests;
