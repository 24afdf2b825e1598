//! The difference between two versions of an article, as the UI renders it: top-level blocks
//! matched by their stable id, and inside a changed block the text compared word by word
//! (UAX #29 word boundaries, which never fall inside a grapheme cluster, so a conjunct or
//! র‍্যাব is never split). The result is runs of equal, inserted and deleted text.

use crate::{ArticleMeta, Block, Document};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;
use unicode_segmentation::UnicodeSegmentation;

/// Above this many token pairs a changed stretch is shown as one deletion and one insertion
/// instead of being aligned word by word (the alignment is quadratic).
const MAX_ALIGN_CELLS: usize = 4_000_000;

/// What happened to a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunOp {
    Equal,
    Insert,
    Delete,
}

/// A run of text in a diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiffRun {
    pub op: RunOp,
    pub text: String,
}

/// What happened to a top-level block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BlockChange {
    Unchanged,
    Added,
    Removed,
    /// Text, type or attributes differ.
    Changed,
}

/// One top-level block of the diff, in reading order (removed blocks where they used to be).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlockDiff {
    /// The block's stable id.
    pub id: String,
    /// The block type in the newer version (the older one for removed blocks).
    pub kind: String,
    /// The block type in the older version, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub old_kind: Option<String>,
    pub change: BlockChange,
    /// The block's text as runs (all `equal` for unchanged blocks).
    pub runs: Vec<DiffRun>,
}

/// The difference between two versions of an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentDiff {
    pub headline: Vec<DiffRun>,
    /// Names of the other metadata fields that differ (e.g. `tags`, `byline`).
    pub meta_changed: Vec<String>,
    pub blocks: Vec<BlockDiff>,
}

impl DocumentDiff {
    /// Whether the two versions are the same.
    pub fn is_empty(&self) -> bool {
        self.meta_changed.is_empty()
            && self.headline.iter().all(|r| r.op == RunOp::Equal)
            && self
                .blocks
                .iter()
                .all(|b| b.change == BlockChange::Unchanged)
    }
}

/// Compares two versions of an article.
pub fn diff_articles(
    old_meta: &ArticleMeta,
    old_body: &Document,
    new_meta: &ArticleMeta,
    new_body: &Document,
) -> DocumentDiff {
    DocumentDiff {
        headline: diff_words(&old_meta.headline, &new_meta.headline),
        meta_changed: meta_changes(old_meta, new_meta),
        blocks: diff_blocks(old_body, new_body),
    }
}

fn meta_changes(old: &ArticleMeta, new: &ArticleMeta) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "headline" && a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn block_text(block: &Block) -> String {
    let mut text = block.plain_text();
    if let Some(attrs) = &block.attrs
        && let Some(serde_json::Value::String(caption)) = attrs.get("caption")
    {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(caption);
    }
    text
}

fn equal_runs(text: String) -> Vec<DiffRun> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![DiffRun {
        op: RunOp::Equal,
        text,
    }]
}

fn one_sided(block: &Block, change: BlockChange, op: RunOp) -> BlockDiff {
    let text = block_text(block);
    BlockDiff {
        id: block.id().unwrap_or_default().to_string(),
        kind: block.kind.clone(),
        old_kind: None,
        change,
        runs: if text.is_empty() {
            Vec::new()
        } else {
            vec![DiffRun { op, text }]
        },
    }
}

/// Blocks matched by id, in the newer order, removed blocks after the block that preceded
/// them in the older version.
pub fn diff_blocks(old: &Document, new: &Document) -> Vec<BlockDiff> {
    let old_by_id: HashMap<&str, &Block> = old
        .content
        .iter()
        .filter_map(|b| Some((b.id()?, b)))
        .collect();
    let new_ids: HashSet<&str> = new.content.iter().filter_map(Block::id).collect();
    let mut removed_after: HashMap<Option<&str>, Vec<&Block>> = HashMap::new();
    let mut prev = None;
    for block in &old.content {
        match block.id() {
            Some(id) if new_ids.contains(id) => prev = Some(id),
            _ => removed_after.entry(prev).or_default().push(block),
        }
    }
    fn emit_removed<'a>(
        removed_after: &mut HashMap<Option<&'a str>, Vec<&'a Block>>,
        key: Option<&'a str>,
        out: &mut Vec<BlockDiff>,
    ) {
        for block in removed_after.remove(&key).unwrap_or_default() {
            out.push(one_sided(block, BlockChange::Removed, RunOp::Delete));
        }
    }
    let mut out = Vec::new();
    emit_removed(&mut removed_after, None, &mut out);
    for block in &new.content {
        let id = block.id();
        match id.and_then(|id| old_by_id.get(id)) {
            None => out.push(one_sided(block, BlockChange::Added, RunOp::Insert)),
            Some(old_block) if *old_block == block => out.push(BlockDiff {
                id: id.unwrap_or_default().to_string(),
                kind: block.kind.clone(),
                old_kind: None,
                change: BlockChange::Unchanged,
                runs: equal_runs(block_text(block)),
            }),
            Some(old_block) => out.push(BlockDiff {
                id: id.unwrap_or_default().to_string(),
                kind: block.kind.clone(),
                old_kind: (old_block.kind != block.kind).then(|| old_block.kind.clone()),
                change: BlockChange::Changed,
                runs: diff_words(&block_text(old_block), &block_text(block)),
            }),
        }
        if id.is_some() {
            emit_removed(&mut removed_after, id, &mut out);
        }
    }
    out
}

/// Word-level diff of two texts: UAX #29 word-boundary segments (words, spaces and
/// punctuation each a token), aligned by longest common subsequence.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffRun> {
    let a: Vec<&str> = old.split_word_bounds().collect();
    let b: Vec<&str> = new.split_word_bounds().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = Vec::new();
    push_tokens(&mut out, RunOp::Equal, &a[..prefix]);
    align(
        &mut out,
        &a[prefix..a.len() - suffix],
        &b[prefix..b.len() - suffix],
    );
    push_tokens(&mut out, RunOp::Equal, &a[a.len() - suffix..]);
    out
}

fn push(out: &mut Vec<DiffRun>, op: RunOp, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => out.push(DiffRun {
            op,
            text: text.to_string(),
        }),
    }
}

fn push_tokens(out: &mut Vec<DiffRun>, op: RunOp, tokens: &[&str]) {
    for t in tokens {
        push(out, op, t);
    }
}

/// LCS alignment of the middle stretch (deletions before insertions at each change).
fn align(out: &mut Vec<DiffRun>, a: &[&str], b: &[&str]) {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || n.saturating_mul(m) > MAX_ALIGN_CELLS {
        push_tokens(out, RunOp::Delete, a);
        push_tokens(out, RunOp::Insert, b);
        return;
    }
    // lcs[i][j]: the LCS length of a[i..] and b[j..].
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            push(out, RunOp::Equal, a[i]);
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            push(out, RunOp::Delete, a[i]);
            i += 1;
        } else {
            push(out, RunOp::Insert, b[j]);
            j += 1;
        }
    }
    push_tokens(out, RunOp::Delete, &a[i..]);
    push_tokens(out, RunOp::Insert, &b[j..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders runs as text with `[-deleted-]` and `{+inserted+}`.
    fn render(runs: &[DiffRun]) -> String {
        runs.iter()
            .map(|r| match r.op {
                RunOp::Equal => r.text.clone(),
                RunOp::Delete => format!("[-{}-]", r.text),
                RunOp::Insert => format!("{{+{}+}}", r.text),
            })
            .collect()
    }

    #[test]
    fn word_diffs() {
        let check = |old: &str, new: &str, expected: &str| {
            assert_eq!(render(&diff_words(old, new)), expected, "{old} → {new}");
        };
        check("আমি ভাত খাই", "আমি ভাত খাই", "আমি ভাত খাই");
        check("আমি ভাত খাই", "আমি রুটি খাই", "আমি [-ভাত-]{+রুটি+} খাই");
        check("ঢাকায় বৃষ্টি", "ঢাকায় ভারী বৃষ্টি", "ঢাকায় {+ভারী +}বৃষ্টি");
        check("এক দুই তিন", "এক তিন", "এক [-দুই -]তিন");
        // A conjunct changes: the whole word is replaced, never part of a cluster.
        check("সম্পর্ক ভালো", "সম্পর্কে ভালো", "[-সম্পর্ক-]{+সম্পর্কে+} ভালো");
        check("ক্ষমা", "ক্ষমতা", "[-ক্ষমা-]{+ক্ষমতা+}");
        // The ZWJ word র‍্যাব stays whole.
        check(
            "র\u{200D}\u{09CD}যাব এল",
            "র\u{200D}\u{09CD}যাব গেল",
            "র\u{200D}\u{09CD}যাব [-এল-]{+গেল+}",
        );
        check("১৫.৫ শতাংশ", "১৬.৫ শতাংশ", "[-১৫.৫-]{+১৬.৫+} শতাংশ");
        check("", "নতুন", "{+নতুন+}");
        check("পুরোনো", "", "[-পুরোনো-]");
        check("বিজ্ঞান।সে", "বিজ্ঞান।তিনি", "বিজ্ঞান।[-সে-]{+তিনি+}");
    }

    #[test]
    fn runs_reassemble_both_texts() {
        let old = "দক্ষিণ কোরিয়ার ভোটাররা আজ নতুন প্রেসিডেন্ট বেছে নিয়েছেন।";
        let new = "উত্তর কোরিয়ার নেতা আজ নতুন ক্ষেপণাস্ত্র পরীক্ষা করেছেন।";
        let runs = diff_words(old, new);
        let side = |skip: RunOp| -> String {
            runs.iter()
                .filter(|r| r.op != skip)
                .map(|r| r.text.as_str())
                .collect()
        };
        assert_eq!(side(RunOp::Insert), old);
        assert_eq!(side(RunOp::Delete), new);
    }

    fn para(id: &str, text: &str) -> Block {
        Block::paragraph(id, text)
    }

    #[test]
    fn blocks_are_matched_by_id() {
        let old = Document {
            kind: "doc".into(),
            content: vec![para("a", "এক"), para("b", "দুই"), para("c", "তিন")],
        };
        let mut heading = para("c", "তিন");
        heading.kind = "heading".into();
        let new = Document {
            kind: "doc".into(),
            content: vec![para("a", "এক"), heading, para("d", "চার")],
        };
        let got: Vec<(String, BlockChange, Option<String>, String)> = diff_blocks(&old, &new)
            .into_iter()
            .map(|b| (b.id, b.change, b.old_kind, render(&b.runs)))
            .collect();
        let expected = vec![
            (
                "a".to_string(),
                BlockChange::Unchanged,
                None,
                "এক".to_string(),
            ),
            (
                "b".to_string(),
                BlockChange::Removed,
                None,
                "[-দুই-]".to_string(),
            ),
            (
                "c".to_string(),
                BlockChange::Changed,
                Some("paragraph".to_string()),
                "তিন".to_string(),
            ),
            (
                "d".to_string(),
                BlockChange::Added,
                None,
                "{+চার+}".to_string(),
            ),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn a_removed_first_block_comes_first_and_meta_changes_are_named() {
        let old_body = Document::from_paragraphs([("x", "শুরু"), ("y", "শেষ")]);
        let new_body = Document::from_paragraphs([("y", "শেষ")]);
        let old_meta = ArticleMeta {
            headline: "পুরোনো শিরোনাম".into(),
            desk: "national".into(),
            ..Default::default()
        };
        let new_meta = ArticleMeta {
            headline: "নতুন শিরোনাম".into(),
            tags: vec!["ভোট".into()],
            ..old_meta.clone()
        };
        let d = diff_articles(&old_meta, &old_body, &new_meta, &new_body);
        assert_eq!(render(&d.headline), "[-পুরোনো-]{+নতুন+} শিরোনাম");
        assert_eq!(d.meta_changed, vec!["tags".to_string()]);
        assert_eq!(d.blocks[0].id, "x");
        assert_eq!(d.blocks[0].change, BlockChange::Removed);
        assert!(!d.is_empty());
        assert!(diff_articles(&new_meta, &new_body, &new_meta, &new_body).is_empty());
    }

    #[test]
    fn the_wire_form_is_snake_case() {
        let run = DiffRun {
            op: RunOp::Insert,
            text: "নতুন".into(),
        };
        assert_eq!(
            serde_json::to_value(&run).unwrap(),
            serde_json::json!({"op": "insert", "text": "নতুন"})
        );
    }
}
