//! Bengali full-text search (bengali.md §2): FTS5 with `unicode61 categories 'L* N* Co M*'`
//! over search keys, kept in an external-content table (`search_docs`). Besides each word,
//! the index holds its stems (noun suffixes, the locative ে) and its loose keys (spelling
//! variants); a query word matches a text word when one of its forms is one of the text
//! word's forms, and a trailing `*` asks for words starting with it. Ranking is bm25 with
//! the headline weighted above the body; snippets are cut from the stored text, so digits
//! and র‍্যাব print as the reporter typed them.

use crate::codec::{pack, unpack};
use crate::store::parse;
use crate::{Store, StoreError};
use barta_model::{ArticleId, ArticleMeta, Block, Document, WorkflowState};
use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_segmentation::UnicodeSegmentation;

/// bm25 column weights: headline, body, headline stems, body stems, loose keys.
const BM25: &str = "bm25(search_fts, 10.0, 1.0, 5.0, 0.5, 0.5)";
/// Ranking by bm25 costs about a microsecond per matching article, so a query without filters
/// ranks (by default) the newest this many of its matches, newest by when the article was
/// first indexed: every match for all but common words. A filter (desk, date range, …) ranks
/// every match; [`crate::Store::set_rank_window`] changes the number.
pub const RANK_WINDOW: i64 = 2_000;
/// Results returned when a query does not say.
pub const DEFAULT_LIMIT: u32 = 20;
/// Words of context before the first match in a snippet.
const SNIPPET_BEFORE: usize = 6;
/// Words shown from the first match on.
const SNIPPET_WORDS: usize = 24;

/// What to search for and where. Empty filter lists mean "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    /// The words to find (all of them must occur, in any form).
    pub text: String,
    pub desks: Vec<String>,
    pub states: Vec<WorkflowState>,
    pub author: Option<String>,
    /// Only articles changed at or after this instant (RFC 3339, UTC).
    pub from: Option<String>,
    /// Only articles changed before this instant (RFC 3339, UTC).
    pub until: Option<String>,
    /// Only articles carrying this tag.
    pub tag: Option<String>,
    /// At most this many hits ([`DEFAULT_LIMIT`] when 0).
    pub limit: u32,
}

impl SearchQuery {
    /// A query for `text` with no filters.
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_string(),
            ..Default::default()
        }
    }
}

/// A piece of displayed text; `hit` runs matched the query and are shown highlighted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextRun {
    pub text: String,
    pub hit: bool,
}

/// One search result, best first.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub id: ArticleId,
    pub headline: String,
    pub desk: String,
    pub state: WorkflowState,
    pub author: String,
    pub updated_at: String,
    /// Higher is better (the negated bm25).
    pub score: f64,
    /// The headline with matched words marked.
    pub headline_runs: Vec<TextRun>,
    /// A few words of the body around the first match, matched words marked.
    pub snippet: Vec<TextRun>,
}

impl SearchHit {
    /// The snippet as one string with matches wrapped in `open`…`close` (e.g. for a terminal).
    pub fn snippet_marked(&self, open: &str, close: &str) -> String {
        mark_runs(&self.snippet, open, close)
    }
}

/// Joins runs, wrapping hits in `open`…`close`.
pub fn mark_runs(runs: &[TextRun], open: &str, close: &str) -> String {
    runs.iter()
        .map(|r| {
            if r.hit {
                format!("{open}{}{close}", r.text)
            } else {
                r.text.clone()
            }
        })
        .collect()
}

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
pub(crate) fn words(text: &str) -> Vec<(usize, &str)> {
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
pub(crate) fn body_text(meta: &ArticleMeta, body: &Document) -> String {
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

/// The extra forms of a search-key text's words, each distinct form once: stems that differ
/// from their word (stems column), and loose keys that differ from both (loose column).
fn derived(key_text: &str) -> (String, String) {
    let mut seen = std::collections::HashSet::new();
    let mut stems = String::new();
    let mut loose = String::new();
    for (_, w) in words(key_text) {
        if !seen.insert(w) {
            continue;
        }
        let f = forms(w);
        for s in &f.stems {
            stems.push_str(s);
            stems.push(' ');
        }
        for l in &f.loose {
            loose.push_str(l);
            loose.push(' ');
        }
    }
    (stems, loose)
}

/// A word's searchable forms besides itself.
#[derive(Debug)]
struct Forms {
    /// Stems that differ from the word.
    stems: Vec<String>,
    /// Loose keys of the word and its stems that differ from the word and the stems.
    loose: Vec<String>,
}

impl Forms {
    fn all(&self) -> impl Iterator<Item = &String> {
        self.stems.iter().chain(&self.loose)
    }
}

/// The stems used for search: [`bangla::stem`], and the word with a final locative ে
/// dropped (when the stemmer found no suffix, or read ক + ে as -কে) if at least three
/// grapheme clusters remain (নির্বাচনে → নির্বাচন; মহাসড়কে →
/// মহাসড়ক, which the noun-suffix stemmer over-strips to মহাসড়). Applied alike to text
/// and queries.
fn search_stems(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let stem = bangla::stem(key);
    if stem != key {
        out.push(stem);
    }
    // Only where the noun-suffix stemmer found nothing, or read a final ক + ে as -কে.
    let ambiguous = out.is_empty() || key.ends_with("কে");
    if ambiguous
        && let Some(rest) = key.strip_suffix('\u{09C7}')
        && rest.graphemes(true).count() >= 3
        && rest
            .chars()
            .last()
            .is_some_and(|c| !bangla::chars::is_vowel_sign(c))
        && !out.iter().any(|s| s == rest)
    {
        out.push(rest.to_string());
    }
    out
}

fn forms(key: &str) -> Forms {
    let stems = search_stems(key);
    let mut loose = Vec::new();
    for base in std::iter::once(key).chain(stems.iter().map(String::as_str)) {
        let l = bangla::loose_key(base);
        if l != key && !stems.contains(&l) && !loose.contains(&l) {
            loose.push(l);
        }
    }
    Forms { stems, loose }
}

/// Recomputes one article's search row and tags inside `tx`.
pub(crate) fn index_article(tx: &Transaction<'_>, article_id: &str) -> Result<(), StoreError> {
    let id: ArticleId = parse(article_id, "article id")?;
    let (meta, body) = crate::working::read(tx, id)?;
    let text = body_text(&meta, &body);
    let headline = bangla::search_key(&meta.headline);
    let body_key = bangla::search_key(&text);
    let (hstem, hloose) = derived(&headline);
    let (bstem, bloose) = derived(&body_key);
    // The snippet text lives in `search_text` (schema 5; in chunks since 6): `text` here
    // stays empty.
    let doc: i64 = tx.query_row(
        "INSERT INTO search_docs (article_id, headline, body, hstem, bstem, loose, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '')
         ON CONFLICT(article_id) DO UPDATE SET headline = excluded.headline,
           body = excluded.body, hstem = excluded.hstem, bstem = excluded.bstem,
           loose = excluded.loose, text = ''
         RETURNING doc",
        params![
            article_id,
            headline,
            body_key,
            hstem,
            bstem,
            format!("{hloose}{bloose}")
        ],
        |r| r.get(0),
    )?;
    tx.execute("DELETE FROM search_text WHERE doc = ?1", [doc])?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO search_text (doc, chunk, text) VALUES (?1, ?2, ?3)")?;
        for (i, chunk) in text_chunks(&text, TEXT_CHUNK).enumerate() {
            insert.execute(params![doc, i as i64, pack(chunk.as_bytes())?])?;
        }
    }
    tx.execute(
        "UPDATE articles SET search_doc = ?2 WHERE id = ?1 AND search_doc IS NOT ?2",
        params![article_id, doc],
    )?;
    tx.execute(
        "DELETE FROM article_tags WHERE article_id = ?1",
        [article_id],
    )?;
    for tag in &meta.tags {
        tx.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?1, ?2)",
            params![article_id, tag],
        )?;
    }
    Ok(())
}

/// One query word in all its forms.
#[derive(Debug)]
struct Term {
    /// The word's search key, its stem, loose key and loose stem, without repeats.
    forms: Vec<String>,
    /// The user asked for words starting with it (`কোরিয়া*`).
    prefix: bool,
}

impl Term {
    fn new(word: &str, prefix: bool) -> Option<Self> {
        let key = bangla::search_key(word).to_lowercase();
        if key.is_empty() {
            return None;
        }
        let f = forms(&key);
        let mut all = vec![key];
        all.extend(f.all().cloned());
        Some(Self { forms: all, prefix })
    }

    /// The FTS5 expression: any form of the word in any column. The columns hold each text
    /// word, its stem and its loose forms, so a text word matches when one of its forms is
    /// one of the query word's forms.
    fn fts(&self) -> String {
        let star = if self.prefix { "*" } else { "" };
        let parts: Vec<String> = self
            .forms
            .iter()
            .map(|f| format!("\"{f}\"{star}"))
            .collect();
        format!("({})", parts.join(" OR "))
    }

    /// Whether a word of stored text (given as its key) matches, by the rule of [`Term::fts`].
    fn matches(&self, key: &str, word_forms: &mut Option<Forms>) -> bool {
        let like = |candidate: &str| {
            self.forms.iter().any(|f| {
                if self.prefix {
                    candidate.starts_with(f.as_str())
                } else {
                    candidate == f
                }
            })
        };
        if like(key) {
            return true;
        }
        let f = word_forms.get_or_insert_with(|| forms(key));
        f.all().any(|form| like(form))
    }
}

/// The terms of a query text, each word once.
fn terms(text: &str) -> Vec<Term> {
    let text = bangla::normalize(text);
    let mut out: Vec<Term> = Vec::new();
    for (start, w) in words(&text) {
        let prefix = text[start + w.len()..].starts_with('*');
        if let Some(t) = Term::new(w, prefix)
            && !out.iter().any(|o| o.forms[0] == t.forms[0])
        {
            out.push(t);
        }
    }
    out
}

/// The search key of a word of stored text (already normalized): [`bangla::search_key_chars`],
/// lower case. Equal to `search_key(word).to_lowercase()` for stored text.
fn stored_word_key(word: &str) -> String {
    bangla::search_key_chars(word)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first letter of a key as the loose key folds it (`None`: it may fold with what
/// follows or vanish, so it says nothing).
fn loose_first(key: &str) -> Option<char> {
    match key.chars().next()? {
        'শ' | 'ষ' => Some('স'),
        'ণ' => Some('ন'),
        'ড' | 'ঢ' | '\u{0981}' => None,
        c => Some(c),
    }
}

/// First letters a text word may start with to match any of `terms`, loose variants
/// included (শ/ষ/স, ণ/ন, ড়/ঢ়/র fold together in the loose key).
fn first_letters(terms: &[Term]) -> Vec<char> {
    let mut out = Vec::new();
    for form in terms.iter().flat_map(|t| &t.forms) {
        let Some(c) = form.chars().next() else {
            continue;
        };
        let variants: &[char] = match c {
            'স' => &['স', 'শ', 'ষ'],
            'ন' => &['ন', 'ণ'],
            'র' => &['র', 'ড', 'ঢ'],
            _ => &[],
        };
        for v in std::iter::once(c).chain(variants.iter().copied()) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The first letter of a stored word as its key starts (digits folded, lower case).
fn key_first(word: &str) -> Option<char> {
    key_chars(word).next()
}

/// A character of a search key in lower case (its first lower-case character; Bengali has no
/// case, so its block skips the case tables).
fn lower_case(c: char) -> char {
    if bangla::chars::is_bengali(c) {
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// The characters of a stored word's search key ([`bangla::search_key_chars`]: ZWJ/ZWNJ
/// dropped, digits folded) in lower case, without allocating.
fn key_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    bangla::search_key_chars(word).map(lower_case)
}

fn starts_with(mut chars: impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| chars.next() == Some(p))
}

/// Whether a stored word matches any term. Two cheap tests rule out nearly every word
/// before its forms are computed: its first letter must be one of `firsts`
/// ([`first_letters`]), and its key or loose key must start with one of the query forms
/// (a word's stems start its key; their loose keys start its loose key).
fn word_matches_fast(terms: &[Term], firsts: &[char], word: &str) -> bool {
    if !key_first(word).is_some_and(|c| firsts.contains(&c) || c == '\u{0981}') {
        return false;
    }
    let candidate = terms.iter().flat_map(|t| &t.forms).any(|f| {
        starts_with(key_chars(word), f) || starts_with(bangla::loose_key_chars(key_chars(word)), f)
    });
    candidate && word_matches(terms, word)
}

fn word_matches(terms: &[Term], word: &str) -> bool {
    let key = stored_word_key(word);
    let first = loose_first(&key);
    let mut word_forms = None;
    terms.iter().any(|t| {
        // A word's stems start its key and its loose forms start with its loose first letter:
        // when no query form can agree, skip computing the word's forms.
        let possible = t.forms.iter().any(|f| {
            key.starts_with(f.as_str())
                || f.starts_with(key.as_str())
                || first.is_none_or(|c| f.starts_with(c))
        });
        possible && t.matches(&key, &mut word_forms)
    })
}

/// Runs over `text[from..to]` with matched words marked.
fn runs(
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
fn headline_runs(headline: &str, terms: &[Term], firsts: &[char]) -> Vec<TextRun> {
    let ws = words(headline);
    runs(headline, &ws, (terms, firsts), 0, headline.len())
}

/// Bytes of snippet text in a chunk of `search_text`. Each chunk is compressed on its own (to
/// about 700 bytes for Bengali), which keeps a chunk inside its b-tree page (up to about
/// 1,000 bytes in a `WITHOUT ROWID` table) and costs next to nothing in size.
const TEXT_CHUNK: usize = 2048;

/// `text` cut into chunks of at most `size` bytes (at least one character each), on
/// character boundaries.
fn text_chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
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

/// A text read a chunk at a time: a snippet needs the text only up to a few words past its
/// first match, which is usually early.
struct Pieces<'a> {
    next: &'a mut dyn FnMut() -> Result<Option<String>, StoreError>,
    ended: bool,
    /// The text read so far.
    text: String,
}

impl<'a> Pieces<'a> {
    fn new(next: &'a mut dyn FnMut() -> Result<Option<String>, StoreError>) -> Self {
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
    fn more(&mut self) -> Result<(), StoreError> {
        match (self.next)()? {
            Some(chunk) => self.text.push_str(&chunk),
            None => self.ended = true,
        }
        Ok(())
    }
}

/// What a scan of a text known up to some point found next.
enum Scan {
    /// A word at this byte range.
    Word(usize, usize),
    /// The known text ends before the next word is complete.
    More,
    /// The text has no more words.
    End,
}

/// The next word of `text` from byte `from`, split as [`words`] splits (`complete`: nothing
/// follows `text`).
fn scan(text: &str, from: usize, complete: bool) -> Scan {
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

/// A window of a text around its first match (its start when nothing matches there), the
/// text given chunk by chunk by `next`. Reads the text only as far as the window and one word
/// after it.
fn snippet(
    next: &mut dyn FnMut() -> Result<Option<String>, StoreError>,
    terms: &[Term],
    firsts: &[char],
) -> Result<Vec<TextRun>, StoreError> {
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

impl Store {
    /// Recomputes the search keys of every article changed since the last search, in one
    /// transaction. Searching calls this first; returns how many articles were indexed.
    pub fn refresh_search(&mut self) -> Result<usize, StoreError> {
        let any: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM search_dirty)", [], |r| {
                    r.get(0)
                })?;
        if !any {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        let dirty: Vec<String> = {
            let mut stmt = tx.prepare("SELECT article_id FROM search_dirty")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for id in &dirty {
            index_article(&tx, id)?;
        }
        tx.execute("DELETE FROM search_dirty", [])?;
        tx.commit()?;
        Ok(dirty.len())
    }

    /// Full-text search in Bengali (and Latin, and digits in either script), best first.
    /// Every word of the query must occur, inflected or spelt loosely; an empty query finds
    /// nothing.
    pub fn search(&mut self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        self.refresh_search()?;
        let terms = terms(&query.text);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let fts = terms
            .iter()
            .map(Term::fts)
            .collect::<Vec<_>>()
            .join(" AND ");
        let firsts = first_letters(&terms);
        let limit = if query.limit == 0 {
            DEFAULT_LIMIT
        } else {
            query.limit
        };
        // Ranking reads only the index (and, with filters, the article rows, found through
        // `articles.search_doc`); the article and its snippet text are read for the hits kept. CROSS JOIN keeps the full-text
        // index as the outer loop.
        let mut sql = format!(
            "SELECT search_fts.rowid, {BM25} AS score
             FROM search_fts CROSS JOIN articles a ON a.search_doc = search_fts.rowid
             WHERE search_fts MATCH ?"
        );
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(fts)];
        let mut any_of = |column: &str, values: Vec<String>, sql: &mut String| {
            if values.is_empty() {
                return;
            }
            let marks = vec!["?"; values.len()].join(", ");
            sql.push_str(&format!(" AND {column} IN ({marks})"));
            args.extend(values.into_iter().map(SqlValue::Text));
        };
        any_of(
            "a.desk",
            query.desks.iter().map(|d| bangla::normalize(d)).collect(),
            &mut sql,
        );
        any_of(
            "a.state",
            query
                .states
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            &mut sql,
        );
        any_of(
            "a.author",
            query.author.iter().map(|a| bangla::normalize(a)).collect(),
            &mut sql,
        );
        if let Some(from) = &query.from {
            sql.push_str(" AND a.updated_at >= ?");
            args.push(SqlValue::Text(from.clone()));
        }
        if let Some(until) = &query.until {
            sql.push_str(" AND a.updated_at < ?");
            args.push(SqlValue::Text(until.clone()));
        }
        if let Some(tag) = &query.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?)",
            );
            args.push(SqlValue::Text(bangla::normalize(tag)));
        }
        if args.len() == 1 {
            // No filter: rank from the index alone, among the newest RANK_WINDOW matches
            // (finding where they start walks the index without ranking: well under 1 ms).
            let window_start: Option<i64> = self
                .conn
                .prepare_cached(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ?
                     ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                )?
                .query_row(params![&args[0], self.rank_window - 1], |r| r.get(0))
                .optional()?;
            sql = format!(
                "SELECT rowid, {BM25} AS score FROM search_fts WHERE search_fts MATCH ?
                 AND rowid >= ? ORDER BY score, rowid DESC LIMIT {limit}"
            );
            args.push(SqlValue::Integer(window_start.unwrap_or(i64::MIN)));
        } else {
            sql.push_str(&format!(
                " ORDER BY score, search_fts.rowid DESC LIMIT {limit}"
            ));
        }
        let ranked: Vec<(i64, f64)> = {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut hit_stmt = self.conn.prepare_cached(
            "SELECT id, headline, desk, state, author, updated_at FROM articles
             WHERE search_doc = ?1",
        )?;
        let mut text_stmt = self
            .conn
            .prepare_cached("SELECT text FROM search_text WHERE doc = ?1 ORDER BY chunk")?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (doc, score) in ranked {
            let (id, headline, desk, state, author, updated_at) =
                hit_stmt.query_row([doc], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?;
            let mut chunks = text_stmt.query([doc])?;
            let mut next = || -> Result<Option<String>, StoreError> {
                let Some(row) = chunks.next()? else {
                    return Ok(None);
                };
                String::from_utf8(unpack(row.get_ref(0)?)?.into_owned())
                    .map(Some)
                    .map_err(|_| StoreError::Corrupt("stored text is not UTF-8".into()))
            };
            hits.push(SearchHit {
                id: parse(&id, "article id")?,
                headline_runs: headline_runs(&headline, &terms, &firsts),
                snippet: snippet(&mut next, &terms, &firsts)?,
                headline,
                desk,
                state: parse(&state, "workflow state")?,
                author,
                updated_at,
                score: -score,
            });
        }
        Ok(hits)
    }

    /// The tags of an article as last indexed.
    pub fn tags(&mut self, id: ArticleId) -> Result<Vec<String>, StoreError> {
        self.refresh_search()?;
        let mut stmt = self
            .conn
            .prepare("SELECT tag FROM article_tags WHERE article_id = ?1 ORDER BY tag")?;
        let tags = stmt
            .query_map([id.to_string()], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                let mut next = || Ok(chunks.next().map(str::to_string));
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

    #[test]
    fn stored_word_keys_fold_as_bangla_keys() {
        let stored = [
            "কোরিয়ার",
            "র\u{200D}\u{09CD}যাব",
            "ক্\u{200C}ষ",
            "২০২৫",
            "Samsung",
            "BBC",
            "সরকারী",
            "মহাসড়কে",
            "চাঁদ",
            "শহর",
            "কারণ",
            "ঢাকায়",
        ];
        for word in stored {
            let key = stored_word_key(word);
            assert_eq!(key, bangla::search_key(word).to_lowercase(), "{word}");
            assert_eq!(key_chars(word).collect::<String>(), key, "{word}");
            assert_eq!(key_first(word), key.chars().next(), "{word}");
            assert_eq!(
                bangla::loose_key_chars(key_chars(word)).collect::<String>(),
                bangla::loose_key(&key),
                "{word}"
            );
        }
    }

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

    #[test]
    fn query_expressions_hold_every_form() {
        let t = Term::new("কোরিয়ার", false).unwrap();
        assert_eq!(t.fts(), "(\"কোরিয়ার\" OR \"কোরিয়া\")");
        let t = Term::new("জানুয়ারীতে", false).unwrap();
        assert_eq!(
            t.fts(),
            "(\"জানুয়ারীতে\" OR \"জানুয়ারী\" OR \"জানুয়ারিতে\" OR \"জানুয়ারি\")"
        );
        let t = Term::new("ঢাকা", true).unwrap();
        assert_eq!(t.fts(), "(\"ঢাকা\"*)");
        let starred: Vec<bool> = terms("ঢাকা* বৃষ্টি").iter().map(|t| t.prefix).collect();
        assert_eq!(starred, vec![true, false]);
    }

    #[test]
    fn search_stems_and_loose_forms() {
        let check = |word: &str, stems: &[&str], loose: &[&str]| {
            let f = forms(word);
            assert_eq!(f.stems, stems, "stems of {word}");
            assert_eq!(f.loose, loose, "loose forms of {word}");
        };
        check("নির্বাচনে", &["নির্বাচন"], &[]);
        check("মহাসড়কে", &["মহাসড়", "মহাসড়ক"], &["মহাসরকে", "মহাসর", "মহাসরক"]);
        check("কোরিয়ার", &["কোরিয়া"], &[]);
        check("সরকারি", &[], &[]);
        check("বেসরকারি", &[], &[]);
        check("সরকারী", &[], &["সরকারি"]);
        check("জানুয়ারীতে", &["জানুয়ারী"], &["জানুয়ারিতে", "জানুয়ারি"]);
        // Too short to drop the ে: কর would be one of too many words.
        check("করে", &[], &[]);
        check("samsung", &[], &[]);
    }
}
