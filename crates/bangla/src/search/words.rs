//! Text split into words as the FTS5 tokenizer splits it: all at once ([`words`]) or a word
//! at a time from text still arriving in chunks ([`scan`]).

/// A character FTS5's `unicode61 categories 'L* N* Co M*'` keeps inside a token, plus
/// ZWJ/ZWNJ (which only occur inside words of stored text and vanish from search keys).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // The danda and double danda end most Bengali sentences.
    if matches!(c, '\u{0964}' | '\u{0965}') {
        return false;
    }
    // Fast path for the Bengali block: everything but the currency signs, the isshar and
    // the abbreviation sign is a letter, mark or number.
    if ('\u{0980}'..='\u{09FF}').contains(&c) {
        return !matches!(
            c,
            '\u{09F2}' | '\u{09F3}' | '\u{09FA}' | '\u{09FB}' | '\u{09FD}'
        );
    }
    c.is_alphanumeric()
        || unicode_normalization::char::is_combining_mark(c)
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || c == '\u{200C}'
        || c == '\u{200D}'
}

/// The words of `text` with their byte offsets, split as the FTS tokenizer splits them.
pub fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// What a scan of a text known up to some point found next.
pub enum Scan {
    /// A word at this byte range.
    Word(usize, usize),
    /// The known text ends before the next word is complete.
    More,
    /// The text has no more words.
    End,
}

/// The next word of `text` from byte `from`, split as [`words`] splits (`complete`: nothing
/// follows `text`).
pub fn scan(text: &str, from: usize, complete: bool) -> Scan {
    let mut start = None;
    for (i, c) in text[from..].char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(from + i),
            (false, Some(s)) => return Scan::Word(s, from + i),
            _ => {}
        }
    }
    match (start, complete) {
        (_, false) => Scan::More,
        (Some(s), true) => Scan::Word(s, text.len()),
        (None, true) => Scan::End,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_the_fts_tokenizer() {
        let check = |input: &str, expected: &[&str]| {
            let got: Vec<&str> = words(input).into_iter().map(|(_, w)| w).collect();
            assert_eq!(got, expected, "{input}");
        };
        check("সম্পর্ক ভালো", &["সম্পর্ক", "ভালো"]);
        check("বিজ্ঞান।সে", &["বিজ্ঞান", "সে"]);
        check(
            "র\u{200D}\u{09CD}যাব, Samsung-এর",
            &["র\u{200D}\u{09CD}যাব", "Samsung", "এর"],
        );
        check("২০২৫ সালে 10%", &["২০২৫", "সালে", "10"]);
        check("  ", &[]);
    }
}
