//! Properties of the word diff on random Bengali-ish text (conjuncts, nukta, ZWJ, digits,
//! dari): the runs rebuild both texts exactly, and no run boundary falls inside a grapheme
//! cluster of either text.

use barta_model::diff::{RunOp, diff_words};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces that combine into hard cases: conjuncts (ক্ষ), ref + ZWJ (র‍্য), nukta, vowel
/// signs, digits, spaces and the dari.
const PIECES: &[&str] = &[
    "ক", "ষ", "র", "য", "ম", "ন", "\u{09CD}", "\u{200D}", "\u{09BC}", "া", "ি", "ে", "ো", "ং", "১",
    "৫", ".", " ", " ", "।", "A", "b",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn boundaries(s: &str) -> Vec<usize> {
    let mut b: Vec<usize> = s.grapheme_indices(true).map(|(i, _)| i).collect();
    b.push(s.len());
    b
}

proptest! {
    #[test]
    fn runs_rebuild_both_texts_at_grapheme_boundaries(old in text(), new in text()) {
        let runs = diff_words(&old, &new);
        let (mut a, mut b) = (String::new(), String::new());
        let (old_b, new_b) = (boundaries(&old), boundaries(&new));
        for r in &runs {
            prop_assert!(!r.text.is_empty());
            if r.op != RunOp::Insert {
                prop_assert!(old_b.contains(&a.len()), "run starts inside a cluster of {:?}", old);
                a.push_str(&r.text);
            }
            if r.op != RunOp::Delete {
                prop_assert!(new_b.contains(&b.len()), "run starts inside a cluster of {:?}", new);
                b.push_str(&r.text);
            }
        }
        prop_assert_eq!(&a, &old);
        prop_assert_eq!(&b, &new);
        // Adjacent runs never share an op (they are merged).
        for pair in runs.windows(2) {
            prop_assert_ne!(pair[0].op, pair[1].op);
        }
    }
}
