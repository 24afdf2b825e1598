//! The newsroom's learnt lexicon: every Bengali word of a publication is recorded with its
//! article ([`learn`], in the publication's transaction); a word two published articles used
//! is learnt; editors add words for the whole newsroom ([`add`]). [`words`] is what the
//! laptops' spelling checkers load.

use super::{exec, now};
use crate::store::StoreError;
use barta_model::{ArticleId, ArticleMeta, Document};
use rusqlite::{Connection, params};
use std::collections::BTreeSet;

/// How many published articles must use a word before the newsroom's lexicon has it.
pub const LEARNT_AFTER: u32 = 2;

/// Records the Bengali words of a publication (headline, tags and text) for its article.
pub fn learn(
    tx: &Connection,
    article: ArticleId,
    meta: &str,
    body: &str,
) -> Result<(), StoreError> {
    let meta: ArticleMeta = serde_json::from_str(meta)?;
    let body: Document = serde_json::from_str(body)?;
    let text = format!(
        "{}\n{}\n{}",
        meta.headline,
        meta.tags.join("\n"),
        body.plain_text()
    );
    let words: BTreeSet<&str> = bangla::spell::bengali_words(&text).collect();
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO lexicon_seen (word, article_id) VALUES (?1, ?2)")?;
    let article = article.to_string();
    for word in words {
        insert.execute(params![word, article])?;
    }
    Ok(())
}

/// The newsroom's lexicon: words used by [`LEARNT_AFTER`] published articles or more, and
/// the words editors added; sorted, without repeats.
pub fn words(tx: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT word FROM lexicon_seen GROUP BY word HAVING count(*) >= ?1
         UNION SELECT word FROM lexicon_added
         ORDER BY 1",
    )?;
    let words = stmt
        .query_map([LEARNT_AFTER], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(words)
}

/// Adds `word` (already checked: [`bangla::spell::is_lexicon_word`]) for the newsroom; adding
/// it again changes nothing.
pub fn add(tx: &Connection, word: &str, by: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT OR IGNORE INTO lexicon_added (word, added_by, added_at) VALUES (?1, ?2, ?3)",
        params![word, by, now()],
    )?;
    Ok(())
}
