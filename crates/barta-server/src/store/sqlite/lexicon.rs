//! The newsroom's learnt lexicon: every Bengali word of a publication is recorded with its
//! article (the rules' `publish_content`, in the publication's transaction, through
//! `Tx::learn_words`); a word two published articles used
//! is learnt; editors add words for the whole newsroom ([`add`]). [`words`] is what the
//! laptops' spelling checkers load, with the newsroom's settings for them.

use super::{exec, now};
use crate::store::StoreError;
use barta_model::api::LexiconEntry;
use rusqlite::{Connection, OptionalExtension, params};

/// How many published articles must use a word before the newsroom's lexicon has it.
pub const LEARNT_AFTER: u32 = 2;

/// The newsroom setting that turns standard-spelling (style) suggestions on (`on`/`off`).
pub const STYLE_SETTING: &str = "spelling.style";

/// The newsroom's lexicon: words used by [`LEARNT_AFTER`] published articles or more, and
/// the words editors added, each with the number of published articles that used it; sorted.
pub fn words(tx: &Connection) -> Result<Vec<LexiconEntry>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT word, max(articles) FROM (
             SELECT word, count(*) AS articles FROM lexicon_seen GROUP BY word
                 HAVING count(*) >= ?1
             UNION ALL
             SELECT a.word, (SELECT count(*) FROM lexicon_seen s WHERE s.word = a.word)
                 FROM lexicon_added a)
         GROUP BY word ORDER BY word",
    )?;
    let words = stmt
        .query_map([LEARNT_AFTER], |r| {
            Ok(LexiconEntry {
                word: r.get(0)?,
                articles: r.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(words)
}

/// A newsroom setting, if set.
pub fn setting(tx: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(super::query_cached(
        tx,
        "SELECT value FROM newsroom_settings WHERE key = ?1",
        [key],
        |r| r.get(0),
    )
    .optional()?)
}

/// Sets a newsroom setting.
pub fn set_setting(tx: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO newsroom_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
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
