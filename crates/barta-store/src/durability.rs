//! What survives what. Typing saves commit without waiting for the disk (WAL with
//! `synchronous=NORMAL`): a commit is in the operating system's hands at once, so it survives
//! the app's process being killed, and it costs no fsync. Every other write (save points, the
//! outbox, what the server sends) commits with `synchronous=FULL`, which also makes every
//! earlier typing save durable. [`Store::make_durable`] (one such commit: it syncs the WAL)
//! ends the window in which a power cut could take typing saves; the app calls it a couple of seconds after a typing save at the latest
//! (ARCHITECTURE.md, "What survives what").

use crate::{Store, StoreError};
use std::time::{Duration, Instant};

impl Store {
    /// Runs `write` with its commits not synced to disk (`synchronous=NORMAL`), then returns
    /// the connection to `synchronous=FULL`. A commit made so survives the process being
    /// killed; a power cut may take it until [`Store::make_durable`] or the next full commit.
    pub(crate) fn relaxed<T>(
        &mut self,
        write: impl FnOnce(&mut Self) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let out = write(self);
        let restored = self.conn.pragma_update(None, "synchronous", "FULL");
        if out.is_ok() {
            self.unsynced_since.get_or_insert_with(Instant::now);
        }
        let out = out?;
        restored?;
        Ok(out)
    }

    /// [`Store::set_setting`] committed as a typing save is (the open article's cursor, which
    /// changes as often as the text).
    pub fn set_setting_relaxed(
        &mut self,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), StoreError> {
        self.relaxed(|store| store.set_setting(key, value))
    }

    /// How long the oldest commit that a power cut could still take has waited (None: every
    /// commit is on disk).
    pub fn unsynced_for(&self) -> Option<Duration> {
        self.unsynced_since.map(|since| since.elapsed())
    }

    /// Puts every commit on disk: a one-row commit with `synchronous=FULL` (the time, in
    /// `settings`) syncs the WAL, and with it every typing save before it. Returns whether
    /// there was anything to make durable. One fsync; nothing when every commit already is.
    /// (SQLite's own checkpoints, every 1,000 WAL pages, copy the WAL into the database and
    /// sync both.)
    pub fn make_durable(&mut self) -> Result<bool, StoreError> {
        if self.unsynced_since.is_none() {
            return Ok(false);
        }
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('store.durable_at', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [crate::store::now()],
        )?;
        self.unsynced_since = None;
        Ok(true)
    }

    /// [`Store::make_durable`] when the oldest commit not yet on disk is at least `age` old.
    pub fn make_durable_after(&mut self, age: Duration) -> Result<bool, StoreError> {
        match self.unsynced_for() {
            Some(waited) if waited >= age => self.make_durable(),
            _ => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use barta_model::{ArticleMeta, Document};
    use std::time::Duration;

    fn meta() -> ArticleMeta {
        ArticleMeta {
            headline: "শিরোনাম".into(),
            desk: "national".into(),
            ..Default::default()
        }
    }

    fn synchronous(store: &Store) -> i64 {
        store
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_typing_save_waits_for_the_durable_commit_and_the_connection_stays_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("barta.db")).unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        assert_eq!(store.unsynced_for(), None, "creating is a full commit");
        store
            .save_working_copy(id, meta(), Document::from_paragraphs([("a", "এক")]))
            .unwrap();
        assert!(
            store.unsynced_for().is_some(),
            "a typing save is not synced"
        );
        assert_eq!(synchronous(&store), 2, "FULL again after the typing save");
        assert!(!store.make_durable_after(Duration::from_secs(60)).unwrap());
        assert!(store.make_durable().unwrap());
        assert_eq!(store.unsynced_for(), None);
        assert!(!store.make_durable().unwrap(), "nothing left to sync");
    }

    #[test]
    fn a_failed_typing_save_leaves_nothing_to_sync_and_the_connection_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("barta.db")).unwrap();
        let id = store.create_article("national", "rahim").unwrap();
        let no_desk = ArticleMeta {
            desk: " ".into(),
            ..meta()
        };
        assert!(
            store
                .save_working_copy(id, no_desk, Document::empty())
                .is_err()
        );
        assert_eq!(store.unsynced_for(), None);
        assert_eq!(synchronous(&store), 2);
    }
}
