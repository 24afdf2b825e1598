//! Test failpoints: named places where `barta serve` crashes on purpose, so the test suite can
//! check what a real crash leaves behind (sync.md, failure 4: "server killed mid-commit →
//! rolled back; the retry succeeds").
//!
//! A failpoint is armed only by the environment variable [`ENV`] (`BARTA_FAILPOINT`), read
//! once when `barta serve` starts ([`Failpoint::from_env`]) and handed to the store
//! ([`crate::SqliteStore::with_failpoint`], `PgStore::with_failpoint`). When the variable is unset nothing is armed and
//! the only trace in the code path is one comparison of an `Option` field per revision push:
//! no I/O, no allocation, no lock. An unknown name is refused at startup, so a misspelt
//! failpoint cannot make a crash test pass without crashing.
//!
//! | name | where the process aborts |
//! |---|---|
//! | `revision-commit-abort` | inside the write transaction of a revision push, after its rows (article, change, revision) are inserted and before `COMMIT` |
//! | `delivery-record-abort` | in the delivery worker, after WordPress made a post and before Barta recorded its id |

use std::str::FromStr;

/// The environment variable that arms a failpoint.
pub const ENV: &str = "BARTA_FAILPOINT";

/// A place where the server crashes on purpose when armed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failpoint {
    /// `std::process::abort()` (like a `kill -9`: no unwinding, no destructors, no rollback
    /// by the process) inside the write transaction of a revision push, after the rows are
    /// inserted and before `COMMIT`. SQLite's journal must undo it on the next open;
    /// PostgreSQL rolls back the transaction of a connection that dies.
    RevisionCommitAbort,
    /// `std::process::abort()` in the delivery worker right after WordPress made a post and
    /// before Barta recorded the post's id: the restarted worker must find that post again
    /// (by its marker) instead of making a second one.
    DeliveryRecordAbort,
}

impl Failpoint {
    /// Every failpoint, for error messages and tests.
    pub const ALL: [Failpoint; 2] = [
        Failpoint::RevisionCommitAbort,
        Failpoint::DeliveryRecordAbort,
    ];

    /// The name used in [`ENV`].
    pub fn name(self) -> &'static str {
        match self {
            Failpoint::RevisionCommitAbort => "revision-commit-abort",
            Failpoint::DeliveryRecordAbort => "delivery-record-abort",
        }
    }

    /// The failpoint armed by [`ENV`]: `None` when unset or empty, an error for an unknown name.
    pub fn from_env() -> Result<Option<Self>, String> {
        match std::env::var(ENV) {
            Ok(value) if value.trim().is_empty() => Ok(None),
            Ok(value) => value.parse().map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{ENV} is not valid UTF-8")),
        }
    }

    /// Crashes the process here, saying which failpoint fired (on stderr, unbuffered).
    pub fn crash(self, detail: &str) -> ! {
        eprintln!("failpoint {} fired: {detail}; aborting", self.name());
        std::process::abort()
    }
}

impl FromStr for Failpoint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "{ENV}={s:?} is not a failpoint; known: {}",
                    known.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_unknown_names_are_refused() {
        for f in Failpoint::ALL {
            assert_eq!(f.name().parse::<Failpoint>(), Ok(f));
        }
        assert_eq!(
            " revision-commit-abort ".parse::<Failpoint>(),
            Ok(Failpoint::RevisionCommitAbort)
        );
        let err = "commit".parse::<Failpoint>().unwrap_err();
        assert!(err.contains("revision-commit-abort"), "{err}");
        assert!("".parse::<Failpoint>().is_err());
    }
}
