//! What a hit shows: its headline with matched words marked, and a snippet of its text around
//! the first match, read from the stored chunks only as far as the snippet needs.

use super::TextRun;
use super::matching::{Term, word_matches_fast};
use super::words::{Scan, scan, words};

/// Words of context before the first match in a snippet.
const SNIPPET_BEFORE: usize = 6;
/// Words shown from the first match on.
const SNIPPET_WORDS: usize = 24;

/// Runs over `text[from..to]` with matched words marked.
pub fn runs(
    text: &str,
    words: &[(usize, &str)],
    (terms, firsts): (&[Term], &[char]),
    from: usize,
    to: usize,
) -> Vec<TextRun> {
    let mut out: Vec<TextRun> = Vec::new();
    let mut push = |s: &str, hit: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(s),
            _ => out.push(TextRun {
                text: s.to_string(),
                hit,
            }),
        }
    };
    let mut at = from;
    for &(start, w) in words {
        if start < from || start >= to {
            continue;
        }
        push(&text[at..start], false);
        push(w, word_matches_fast(terms, firsts, w));
        at = start + w.len();
    }
    push(&text[at..to], false);
    out
}

/// The headline, every matched word marked.
pub fn headline_runs(headline: &str, terms: &[Term], firsts: &[char]) -> Vec<TextRun> {
    let ws = words(headline);
    runs(headline, &ws, (terms, firsts), 0, headline.len())
}

/// A text read a chunk at a time: a snippet needs the text only up to a few words past its
/// first match, which is usually early.
struct Pieces<'a, E> {
    next: &'a mut dyn FnMut() -> Result<Option<String>, E>,
    ended: bool,
    /// The text read so far.
    text: String,
}

impl<'a, E> Pieces<'a, E> {
    fn new(next: &'a mut dyn FnMut() -> Result<Option<String>, E>) -> Self {
        Self {
            next,
            ended: false,
            text: String::new(),
        }
    }

    fn complete(&self) -> bool {
        self.ended
    }

    /// Reads the next chunk.
    fn more(&mut self) -> Result<(), E> {
        match (self.next)()? {
            Some(chunk) => self.text.push_str(&chunk),
            None => self.ended = true,
        }
        Ok(())
    }
}

/// A window of a text around its first match (its start when nothing matches there), the
/// text given chunk by chunk by `next`. Reads the text only as far as the window and one word
/// after it.
pub fn snippet<E>(
    next: &mut dyn FnMut() -> Result<Option<String>, E>,
    terms: &[Term],
    firsts: &[char],
) -> Result<Vec<TextRun>, E> {
    let mut text = Pieces::new(next);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut first = None;
    let mut at = 0;
    // Until the window after the first match is known and one more word (or the end).
    while first.is_none_or(|f| spans.len() <= f + SNIPPET_WORDS) {
        match scan(&text.text, at, text.complete()) {
            Scan::Word(s, e) => {
                if first.is_none() && word_matches_fast(terms, firsts, &text.text[s..e]) {
                    first = Some(spans.len());
                }
                spans.push((s, e));
                at = e;
            }
            Scan::More => text.more()?,
            Scan::End => break,
        }
    }
    let text = text.text;
    let first = first.unwrap_or(0);
    let begin = first.saturating_sub(SNIPPET_BEFORE);
    let end = (first + SNIPPET_WORDS).min(spans.len());
    if begin >= end {
        return Ok(Vec::new());
    }
    // More words follow the window exactly when one was scanned past it.
    let cut = end < spans.len();
    let from = spans[begin].0;
    let to = if cut {
        spans[end - 1].1
    } else {
        text.trim_end().len()
    };
    let ws: Vec<(usize, &str)> = spans[begin..end]
        .iter()
        .map(|&(s, e)| (s, &text[s..e]))
        .collect();
    let mut out = runs(&text, &ws, (terms, firsts), from, to);
    for run in &mut out {
        if !run.hit {
            run.text = run.text.replace(['\n', '\t'], " ");
        }
    }
    if begin > 0 {
        out.insert(
            0,
            TextRun {
                text: "… ".into(),
                hit: false,
            },
        );
    }
    if cut {
        out.push(TextRun {
            text: " …".into(),
            hit: false,
        });
    }
    Ok(out)
}

/// `text` cut into chunks of at most `size` bytes (at least one character each), on
/// character boundaries.
pub fn text_chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = size.min(rest.len());
        while end > 0 && !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::matching::{first_letters, terms};

    /// Chunk size the laptop's store uses.
    const TEXT_CHUNK: usize = 2048;

    #[test]
    fn snippets_read_chunk_by_chunk_equal_snippets_of_the_whole_text() {
        let vocabulary = [
            "কোরিয়ার",
            "নির্বাচনে",
            "সরকারী",
            "সরকারি",
            "র\u{200D}\u{09CD}যাব",
            "২০২৫",
            "2025",
            "Samsung",
            "ঢাকায়",
            "বৃষ্টি",
            "মহাসড়কে",
            "জানুয়ারিতে",
            "ক",
            "আর",
        ];
        let separators = [" ", " ", " ", "। ", ", ", "\n", "\n\n", "\t", " — ", "।"];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
        };
        for case in 0..400 {
            let length = [0, 1, 5, 29, 31, 60, 300][case % 7];
            let mut text = String::new();
            if next(4) == 0 {
                text.push_str("  ");
            }
            for _ in 0..length {
                text.push_str(vocabulary[next(vocabulary.len())]);
                text.push_str(separators[next(separators.len())]);
            }
            let query = match next(3) {
                0 => vocabulary[next(vocabulary.len())].to_string(),
                1 => format!("{}*", &vocabulary[next(vocabulary.len())]),
                _ => "অনুপস্থিত".to_string(),
            };
            let terms = terms(&query);
            let firsts = first_letters(&terms);
            let expected = eager_snippet(&text, &terms, &firsts);
            for size in [1, 2, 7, 64, TEXT_CHUNK] {
                let chunks: Vec<&str> = text_chunks(&text, size).collect();
                assert_eq!(chunks.concat(), text);
                assert!(
                    chunks
                        .iter()
                        .all(|c| !c.is_empty() && (c.len() <= size || c.chars().count() == 1))
                );
                let mut chunks = chunks.into_iter();
                let mut next = || Ok::<_, ()>(chunks.next().map(str::to_string));
                let got = snippet(&mut next, &terms, &firsts).unwrap();
                assert_eq!(
                    got, expected,
                    "case {case}, chunks of {size}: {query:?} in {text:?}"
                );
            }
        }
    }

    /// The snippet as first written (the whole text split at once), to check [`snippet`] against.
    fn eager_snippet(text: &str, terms: &[Term], firsts: &[char]) -> Vec<TextRun> {
        let ws = words(text);
        let first = ws
            .iter()
            .position(|(_, w)| word_matches_fast(terms, firsts, w))
            .unwrap_or(0);
        let begin = first.saturating_sub(SNIPPET_BEFORE);
        let end = (first + SNIPPET_WORDS).min(ws.len());
        if begin >= end {
            return Vec::new();
        }
        let from = ws[begin].0;
        let to = if end == ws.len() {
            text.trim_end().len()
        } else {
            ws[end - 1].0 + ws[end - 1].1.len()
        };
        let mut out = runs(text, &ws[begin..end], (terms, firsts), from, to);
        for run in &mut out {
            if !run.hit {
                run.text = run.text.replace(['\n', '\t'], " ");
            }
        }
        if begin > 0 {
            out.insert(
                0,
                TextRun {
                    text: "… ".into(),
                    hit: false,
                },
            );
        }
        if end < ws.len() {
            out.push(TextRun {
                text: " …".into(),
                hit: false,
            });
        }
        out
    }
}
