//! Tests of the 3-way merge: a table of the cases sync.md names, and property tests over
//! random edits whose inserted text is known by construction (unique markers), so that the
//! expected survivors never come from the code under test.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn meta(headline: &str) -> ArticleMeta {
    ArticleMeta {
        headline: headline.into(),
        desk: "national".into(),
        ..Default::default()
    }
}

fn who(name: &str) -> Author {
    Author::new(name, "2026-01-01T00:00:00Z")
}

fn doc(blocks: &[(&str, &str)]) -> Document {
    Document::from_paragraphs(blocks.iter().copied())
}

fn run(base: &Document, ours: &Document, theirs: &Document) -> Merged {
    let (m, oa, ta) = (meta("h"), who("rahim"), who("nasrin"));
    merge(
        &m,
        base,
        Side {
            meta: &m,
            body: ours,
            author: &oa,
        },
        Side {
            meta: &m,
            body: theirs,
            author: &ta,
        },
    )
}

/// Every text node under `block`, depth first.
fn texts(block: &Block, out: &mut Vec<String>) {
    if let Some(t) = &block.text {
        out.push(t.clone());
    }
    for c in block.content.iter().flatten() {
        texts(c, out);
    }
}

fn all_text(doc: &Document) -> String {
    let mut out = Vec::new();
    for b in &doc.content {
        texts(b, &mut out);
        out.push("\n".into());
    }
    out.concat()
}

#[test]
fn the_newsroom_clash_becomes_a_conflict_block_with_both_versions() {
    let base = doc(&[("b1", "পুলিশ জানায় 5 জন নিহত")]);
    let ours = doc(&[("b1", "পুলিশ জানায় 7 জন নিহত")]);
    let theirs = doc(&[("b1", "পুলিশ জানায় পাঁচ জন নিহত")]);
    let m = run(&base, &ours, &theirs);
    assert_eq!(m.conflicts, 1);
    assert!(has_conflicts(&m.body));
    m.body.validate().unwrap();
    let expected = json!({"type":"doc","content":[{
    "type":"conflict",
    "attrs":{"id":"b1","ours_author":"rahim","ours_at":"2026-01-01T00:00:00Z",
             "theirs_author":"nasrin","theirs_at":"2026-01-01T00:00:00Z"},
    "content":[
        {"type":"paragraph","attrs":{"side":"ours","author":"rahim","at":"2026-01-01T00:00:00Z",
          "block_type":"paragraph","block_attrs":{"id":"b1"}},
         "content":[{"type":"text","text":"পুলিশ জানায় 7 জন নিহত"}]},
        {"type":"paragraph","attrs":{"side":"theirs","author":"nasrin","at":"2026-01-01T00:00:00Z",
          "block_type":"paragraph","block_attrs":{"id":"b1"}},
         "content":[{"type":"text","text":"পুলিশ জানায় পাঁচ জন নিহত"}]}
    ]}]});
    assert_eq!(serde_json::to_value(&m.body).unwrap(), expected);
}

/// One row: base, ours, theirs, the expected merged paragraphs, conflicts, flagged.
type Row = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
    usize,
);

#[test]
fn clean_merges() {
    let rows: &[Row] = &[
        (
            "different paragraphs",
            &[("a", "এক"), ("b", "দুই")],
            &[("a", "এক!"), ("b", "দুই")],
            &[("a", "এক"), ("b", "দুই?")],
            &[("a", "এক!"), ("b", "দুই?")],
            0,
        ),
        (
            "append next to an edited paragraph",
            &[("a", "এক"), ("b", "দুই")],
            &[("a", "এক"), ("n", "নতুন"), ("b", "দুই")],
            &[("a", "এক, বদল"), ("b", "দুই")],
            &[("a", "এক, বদল"), ("n", "নতুন"), ("b", "দুই")],
            0,
        ),
        (
            "the same change on both sides",
            &[("a", "এক")],
            &[("a", "দুই")],
            &[("a", "দুই")],
            &[("a", "দুই")],
            0,
        ),
        (
            "text merge inside one paragraph",
            &[("a", "ঢাকা, সোমবার। বৃষ্টি হয়েছে।")],
            &[("a", "ঢাকা, সোমবার (বাসস)। বৃষ্টি হয়েছে।")],
            &[("a", "ঢাকা, সোমবার। ভারী বৃষ্টি হয়েছে।")],
            &[("a", "ঢাকা, সোমবার (বাসস)। ভারী বৃষ্টি হয়েছে।")],
            1,
        ),
        (
            "new blocks from both sides keep both, ours first at the same place",
            &[("a", "এক")],
            &[("a", "এক"), ("o", "আমাদের")],
            &[("a", "এক"), ("t", "তাদের")],
            &[("a", "এক"), ("o", "আমাদের"), ("t", "তাদের")],
            0,
        ),
        (
            "a delete on one side of an untouched block",
            &[("a", "এক"), ("b", "দুই"), ("c", "তিন")],
            &[("a", "এক"), ("c", "তিন")],
            &[("a", "এক"), ("b", "দুই"), ("c", "তিন, বদল")],
            &[("a", "এক"), ("c", "তিন, বদল")],
            0,
        ),
    ];
    for (name, base, ours, theirs, expected, text_merges) in rows {
        let m = run(&doc(base), &doc(ours), &doc(theirs));
        assert_eq!(m.body, doc(expected), "{name}");
        assert_eq!((m.conflicts, m.flagged), (0, 0), "{name}");
        assert_eq!(m.text_merges, *text_merges, "{name}");
    }
}

#[test]
fn edit_against_delete_keeps_the_edited_block_flagged() {
    let base = doc(&[("a", "এক"), ("b", "দুই")]);
    let ours = doc(&[("a", "এক"), ("b", "দুই, সম্পাদিত")]);
    let theirs = doc(&[("a", "এক")]);
    for (o, t, deleter) in [(&ours, &theirs, "nasrin"), (&theirs, &ours, "rahim")] {
        let m = run(&base, o, t);
        assert_eq!(m.flagged, 1);
        let kept = &m.body.content[1];
        assert_eq!(kept.plain_text(), "দুই, সম্পাদিত");
        let attrs = kept.attrs.as_ref().unwrap();
        assert_eq!(attrs[FLAG_ATTR], json!(FLAG_DELETED_BY_OTHER));
        assert_eq!(attrs["deleted_by"], json!(deleter));
        m.body.validate().unwrap();
    }
}

#[test]
fn a_headline_clash_becomes_a_conflict_block_at_the_top() {
    let body = doc(&[("a", "এক")]);
    let (base, ours, theirs) = (meta("পুরনো"), meta("আমাদের"), meta("তাদের"));
    let (oa, ta) = (who("rahim"), who("nasrin"));
    let m = merge(
        &base,
        &body,
        Side {
            meta: &ours,
            body: &body,
            author: &oa,
        },
        Side {
            meta: &theirs,
            body: &body,
            author: &ta,
        },
    );
    assert_eq!(m.conflicts, 1);
    assert_eq!(m.meta.headline, "তাদের");
    let top = &m.body.content[0];
    assert_eq!(top.kind, CONFLICT_TYPE);
    assert_eq!(top.id(), Some("conflict-meta-headline"));
    assert_eq!(top.plain_text(), "আমাদের\nতাদের");
    m.body.validate().unwrap();
}

#[test]
fn meta_fields_list_every_wire_field() {
    let full = ArticleMeta {
        headline: "h".into(),
        desk: "d".into(),
        slugline: Some("s".into()),
        byline: Some("b".into()),
        dateline_place: Some("p".into()),
        source_line: Some("s".into()),
        sign_off: Some("o".into()),
        tags: vec!["t".into()],
        urgency: Some(crate::Urgency(3)),
        embargo: Some("e".into()),
    };
    let value = serde_json::to_value(full).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut listed = META_FIELDS.to_vec();
    keys.sort_unstable();
    listed.sort_unstable();
    assert_eq!(keys, listed);
}

#[test]
fn headings_and_lists_survive_inside_a_conflict_block() {
    let heading = |text: &str| -> Block {
        serde_json::from_value(json!({"type":"heading","attrs":{"id":"h","level":2},
            "content":[{"type":"text","text":text,"marks":[{"type":"strong"}]}]}))
        .unwrap()
    };
    let base = Document {
        kind: "doc".into(),
        content: vec![heading("ক")],
    };
    let ours = Document {
        kind: "doc".into(),
        content: vec![heading("খ")],
    };
    let theirs = Document {
        kind: "doc".into(),
        content: vec![heading("গ")],
    };
    let m = run(&base, &ours, &theirs);
    assert_eq!(m.conflicts, 1);
    m.body.validate().unwrap();
    let inner = m.body.content[0].content.as_ref().unwrap();
    assert_eq!(
        inner[0].attrs.as_ref().unwrap()["block_type"],
        json!("heading")
    );
    assert_eq!(
        inner[0].attrs.as_ref().unwrap()["block_attrs"],
        json!({"id":"h","level":2})
    );
}

#[test]
fn a_clashing_quote_becomes_valid_lines_and_keeps_its_structure() {
    // Regression: a quote's paragraphs were put inside the version paragraph, which the
    // schema (conflict: paragraph+, paragraph: inline*) refuses.
    let quote = |a: &str, b: &str| -> Block {
        serde_json::from_value(json!({"type":"blockquote","attrs":{"id":"q"},"content":[
            {"type":"paragraph","content":[{"type":"text","text":a}]},
            {"type":"paragraph","content":[{"type":"text","text":b}]}]}))
        .unwrap()
    };
    let doc = |b: Block| Document {
        kind: "doc".into(),
        content: vec![b],
    };
    let m = run(
        &doc(quote("এক", "দুই")),
        &doc(quote("এক", "তিন")),
        &doc(quote("এক", "চার")),
    );
    assert_eq!(m.conflicts, 1);
    m.body.validate().unwrap();
    let versions = m.body.content[0].content.as_ref().unwrap();
    assert_eq!(versions[0].plain_text(), "এক\nতিন");
    assert_eq!(versions[1].plain_text(), "এক\nচার");
    let kept = &versions[0].attrs.as_ref().unwrap()["block_content"];
    assert_eq!(kept[1]["content"][0]["text"], json!("তিন"));
}

// ---- property tests ----

/// What a side does to one base block.
#[derive(Clone, Debug)]
enum Op {
    Keep,
    Delete,
    /// Insert the side's next marker at this fraction of the text.
    Insert(f64),
    /// Replace the chars between two fractions with the side's next marker.
    Replace(f64, f64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Keep),
        1 => Just(Op::Delete),
        2 => (0.0..=1.0f64).prop_map(Op::Insert),
        2 => (0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(a, b)| Op::Replace(a.min(b), a.max(b))),
    ]
}

/// Base text from Bengali letters and spaces only: markers (`[o3]`) never share a character
/// with it.
fn base_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec!['অ', 'ক', 'খ', 'গ', 'া', 'ি', ' ']),
        0..24,
    )
    .prop_map(|v| v.into_iter().collect())
}

#[derive(Clone, Debug)]
struct Edit {
    ops: Vec<Op>,
    /// New blocks: (position in the side's list, as a fraction).
    new_blocks: Vec<f64>,
}

fn edit(n: usize) -> impl Strategy<Value = Edit> {
    (
        proptest::collection::vec(op(), n),
        proptest::collection::vec(0.0..=1.0f64, 0..3),
    )
        .prop_map(|(ops, new_blocks)| Edit { ops, new_blocks })
}

fn at(len: usize, f: f64) -> usize {
    ((len as f64) * f).floor().min(len as f64) as usize
}

/// Applies an edit; returns the side's document and the markers it wrote.
fn apply(base: &[(String, String)], e: &Edit, side: char) -> (Document, Vec<String>) {
    let mut markers = Vec::new();
    let next = |markers: &mut Vec<String>| {
        let m = format!("[{side}{}]", markers.len());
        markers.push(m.clone());
        m
    };
    let mut blocks: Vec<(String, String)> = Vec::new();
    for ((id, text), op) in base.iter().zip(&e.ops) {
        let chars: Vec<char> = text.chars().collect();
        match op {
            Op::Keep => blocks.push((id.clone(), text.clone())),
            Op::Delete => {}
            Op::Insert(f) => {
                let p = at(chars.len(), *f);
                let m = next(&mut markers);
                let t: String = chars[..p]
                    .iter()
                    .chain(m.chars().collect::<Vec<_>>().iter())
                    .chain(&chars[p..])
                    .collect();
                blocks.push((id.clone(), t));
            }
            Op::Replace(a, b) => {
                let (p, q) = (at(chars.len(), *a), at(chars.len(), *b));
                let m = next(&mut markers);
                let t: String = chars[..p]
                    .iter()
                    .copied()
                    .chain(m.chars())
                    .chain(chars[q..].iter().copied())
                    .collect();
                blocks.push((id.clone(), t));
            }
        }
    }
    for (k, f) in e.new_blocks.iter().enumerate() {
        let m = next(&mut markers);
        let p = at(blocks.len(), *f);
        blocks.insert(p, (format!("{side}-new-{k}"), m));
    }
    let d = Document::from_paragraphs(blocks.iter().map(|(i, t)| (i.as_str(), t.as_str())));
    (d, markers)
}

fn case() -> impl Strategy<Value = (Vec<(String, String)>, Edit, Edit)> {
    proptest::collection::vec(base_text(), 0..6).prop_flat_map(|texts| {
        let n = texts.len();
        let base: Vec<(String, String)> = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| (format!("b{i}"), t))
            .collect();
        (Just(base), edit(n), edit(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every marker either side wrote is in the result exactly once (in a block or inside a
    /// conflict block): nothing lost, nothing duplicated. The result is a valid document.
    #[test]
    fn every_written_character_survives_exactly_once((base, eo, et) in case()) {
        let base_doc = Document::from_paragraphs(base.iter().map(|(i, t)| (i.as_str(), t.as_str())));
        let (ours, om) = apply(&base, &eo, 'o');
        let (theirs, tm) = apply(&base, &et, 't');
        let m = run(&base_doc, &ours, &theirs);
        let text = all_text(&m.body);
        for marker in om.iter().chain(&tm) {
            prop_assert_eq!(text.matches(marker.as_str()).count(), 1, "{} in {:?}", marker, text);
        }
        prop_assert!(m.body.validate().is_ok());
    }

    /// Merging with an unchanged side gives the other side.
    #[test]
    fn an_unchanged_side_yields_the_other((base, eo, _et) in case()) {
        let base_doc = Document::from_paragraphs(base.iter().map(|(i, t)| (i.as_str(), t.as_str())));
        let (ours, _) = apply(&base, &eo, 'o');
        prop_assert_eq!(&run(&base_doc, &ours, &base_doc).body, &ours);
        prop_assert_eq!(&run(&base_doc, &base_doc, &ours).body, &ours);
    }

    /// The same inputs give the same output.
    #[test]
    fn merge_is_deterministic((base, eo, et) in case()) {
        let base_doc = Document::from_paragraphs(base.iter().map(|(i, t)| (i.as_str(), t.as_str())));
        let (ours, _) = apply(&base, &eo, 'o');
        let (theirs, _) = apply(&base, &et, 't');
        prop_assert_eq!(run(&base_doc, &ours, &theirs), run(&base_doc, &ours.clone(), &theirs.clone()));
    }

    /// Without a clash or a delete, the general path (not the unchanged-side shortcut) keeps
    /// the edited side's blocks in order.
    #[test]
    fn one_sided_edits_through_the_general_path_keep_order((base, eo, _et) in case()) {
        let base_doc = Document::from_paragraphs(base.iter().map(|(i, t)| (i.as_str(), t.as_str())));
        let (ours, _) = apply(&base, &eo, 'o');
        let (m, oa, ta) = (meta("h"), who("o"), who("t"));
        let other_meta = meta("h2");
        // Theirs changes only the headline, so the body goes through the block merge.
        let merged = merge(&m, &base_doc,
            Side { meta: &m, body: &ours, author: &oa },
            Side { meta: &other_meta, body: &base_doc, author: &ta });
        prop_assert_eq!(&merged.body, &ours);
        prop_assert_eq!(merged.meta.headline, "h2");
    }
}
