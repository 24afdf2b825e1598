//! The audit trail's records and its hash chain, whatever the backend: each entry carries the
//! SHA-256 of the previous entry's hash and its own fields, so changing, removing or inserting
//! an entry breaks every hash after it ([`entry_hash`], checked by `barta audit --verify`).
//!
//! Two kinds of entries share the trail: *requests* (what a session did: the route, its
//! outcome, the address it came from) written by [`crate::audit_trail`], and *decisions* (a
//! workflow action, a denial, an admin command, a login) written by the store and the
//! handlers where they are taken. Who may read it: administrators, on the server machine
//! (`barta audit`); there is no HTTP route to it.

use barta_model::{ArticleId, UserId};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// An entry to append (its id, time and hash are the store's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// The account, when known (a failed login for an unknown name has none).
    pub user_id: Option<UserId>,
    /// The account's name, or the name tried, or `(command line)` for admin commands.
    pub username: String,
    pub article_id: Option<ArticleId>,
    /// What was done: a workflow action (`approve`), a request (`read_article`), `login`, an
    /// admin command (`user_disable`) …
    pub action: String,
    /// `ok`, `denied` (403), `refused` (409/422), `failed` (any other refusal or error) or
    /// `throttled` (429).
    pub outcome: String,
    pub detail: String,
    /// The session (the first 12 hex digits of its token's SHA-256, as `barta session list`
    /// shows it), for what a logged-in session did.
    pub session: Option<String>,
    /// The client's IP address, where known.
    pub address: Option<String>,
}

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<UserId>,
    pub username: String,
    pub article_id: Option<ArticleId>,
    /// What was attempted: a workflow action name, `push`, `read_article`, `login`, …
    pub action: String,
    /// `ok`, `denied` (403), `refused` (409/422), `failed` or `throttled`.
    pub outcome: String,
    pub detail: String,
    pub session: Option<String>,
    pub address: Option<String>,
    /// This entry's link in the chain (hex); `None` only if someone removed it.
    pub hash: Option<String>,
}

impl AuditEntry {
    /// This entry's link when `previous` is the one before it.
    pub fn link_after(&self, previous: &[u8; 32]) -> [u8; 32] {
        let user_id = self.user_id.map(|u| u.to_string());
        let article_id = self.article_id.map(|a| a.to_string());
        entry_hash(
            previous,
            &Chained {
                id: self.id,
                at: &self.at,
                user_id: user_id.as_deref(),
                username: &self.username,
                article_id: article_id.as_deref(),
                action: &self.action,
                outcome: &self.outcome,
                detail: &self.detail,
                session: self.session.as_deref(),
                address: self.address.as_deref(),
            },
        )
    }
}

/// Which entries to read.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub article: Option<ArticleId>,
    pub session: Option<String>,
    /// Entries at or after this time (RFC 3339, as stored).
    pub since: Option<String>,
}

/// What checking the whole chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every entry's hash follows from the one before: `entries` entries, the last one's hash
    /// `head` (keep it somewhere else to detect a rewrite of the whole chain later).
    Intact { entries: u64, head: Option<String> },
    /// The first entry whose hash does not follow, and why.
    Broken { id: i64, reason: String },
}

/// The fields of an entry as the chain hashes them.
pub struct Chained<'a> {
    pub id: i64,
    pub at: &'a str,
    pub user_id: Option<&'a str>,
    pub username: &'a str,
    pub article_id: Option<&'a str>,
    pub action: &'a str,
    pub outcome: &'a str,
    pub detail: &'a str,
    pub session: Option<&'a str>,
    pub address: Option<&'a str>,
}

/// The hash of the chain's start (no entry before).
pub const GENESIS: [u8; 32] = [0; 32];

/// A stored link as 32 bytes; a missing or malformed one reads as `None`.
pub fn stored_link(stored: Option<Vec<u8>>) -> Option<[u8; 32]> {
    stored.and_then(|bytes| bytes.try_into().ok())
}

/// Checks the chain as a backend reads it: every entry in id order with its stored link.
#[derive(Debug)]
pub struct ChainCheck {
    previous: [u8; 32],
    count: u64,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self {
            previous: GENESIS,
            count: 0,
        }
    }
}

impl ChainCheck {
    /// The next entry and its stored link: what is broken at it, if anything.
    pub fn next(&mut self, entry: &AuditEntry, stored: Option<Vec<u8>>) -> Option<AuditCheck> {
        let expected = entry.link_after(&self.previous);
        let reason = match stored_link(stored) {
            None => "the entry has no link",
            Some(stored) if stored != expected => {
                "the entry, or one before it, was changed, removed or inserted"
            }
            Some(stored) => {
                self.previous = stored;
                self.count += 1;
                return None;
            }
        };
        Some(AuditCheck::Broken {
            id: entry.id,
            reason: reason.into(),
        })
    }

    /// The chain intact, after its last entry.
    pub fn intact(self) -> AuditCheck {
        AuditCheck::Intact {
            entries: self.count,
            head: (self.count > 0).then(|| hex::encode(self.previous)),
        }
    }
}

/// An entry's link: SHA-256 over a version tag, the previous link and every field, each
/// length-prefixed (an absent field apart from an empty one), so no two entries hash alike.
pub fn entry_hash(previous: &[u8; 32], entry: &Chained<'_>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"barta-audit-1");
    hasher.update(previous);
    let id = entry.id.to_string();
    let fields = [
        Some(id.as_str()),
        Some(entry.at),
        entry.user_id,
        Some(entry.username),
        entry.article_id,
        Some(entry.action),
        Some(entry.outcome),
        Some(entry.detail),
        entry.session,
        entry.address,
    ];
    for field in fields {
        match field {
            Some(text) => {
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_le_bytes()),
        }
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(detail: &'a str, session: Option<&'a str>) -> Chained<'a> {
        Chained {
            id: 7,
            at: "2026-12-07T04:00:00Z",
            user_id: Some("u1"),
            username: "rahim",
            article_id: None,
            action: "read_article",
            outcome: "ok",
            detail,
            session,
            address: None,
        }
    }

    #[test]
    fn every_field_and_the_previous_link_change_the_hash() {
        let base = entry_hash(&GENESIS, &entry("x", None));
        assert_ne!(base, entry_hash(&GENESIS, &entry("y", None)));
        assert_ne!(base, entry_hash(&GENESIS, &entry("x", Some(""))));
        assert_ne!(base, entry_hash(&[1; 32], &entry("x", None)));
        assert_eq!(base, entry_hash(&GENESIS, &entry("x", None)));
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let mut a = entry("", None);
        a.username = "rahimx";
        let mut b = entry("x", None);
        b.username = "rahim";
        b.detail = "";
        let mut c = entry("x", None);
        c.username = "rahim";
        assert_ne!(entry_hash(&GENESIS, &a), entry_hash(&GENESIS, &c));
        assert_ne!(entry_hash(&GENESIS, &b), entry_hash(&GENESIS, &c));
    }
}
