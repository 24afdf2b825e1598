//! Failed-login throttling: after too many wrong passwords for one account, or from one
//! address, within a window, logins for it answer 429 with `Retry-After` until the window
//! ends, before any password is checked (so guessing costs the server nothing either). An
//! attempt counts as a failure from the moment it is let through ([`LoginThrottle::begin`]),
//! so guesses sent all at once cannot all pass before the first is counted; the right password
//! then clears the account's count and gives the address back its attempt.
//!
//! Where the counts live is the store's choice (`Store::begin_login`): a SQLite newsroom has one
//! server, which counts in its memory with [`LoginThrottle`] (bounded); PostgreSQL counts in a
//! table every instance shares (`store::postgres::logins`), so N instances allow no more
//! guesses than one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many failures are allowed, per what, in how long.
#[derive(Clone, Copy, Debug)]
pub struct ThrottleLimits {
    /// Failed logins for one account (any address) before it is throttled.
    pub per_account: u32,
    /// Failed logins from one address (any account) before it is throttled: higher, as a
    /// newsroom's reporters may share one office address.
    pub per_address: u32,
    /// How long failures count (from the first), and how long a throttled key waits.
    pub window: Duration,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            per_account: 10,
            per_address: 100,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// The most keys remembered; beyond it, new keys are not counted until windows end (memory
/// stays bounded however many addresses an attacker has; accounts are counted first).
const MAX_KEYS: usize = 100_000;

/// The least time between two sweeps of a full table.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Clone, Copy, Debug)]
struct Window {
    failures: u32,
    started: Instant,
}

/// How an attempt let through by [`LoginThrottle::begin`] ended, when it was not a wrong
/// password (which needs nothing more: it was counted when let through).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginSettled {
    /// The right password: the account's count is cleared, and the address gets its try back
    /// (its other failures stay).
    Succeeded,
    /// Not a guess (the account is disabled, or the server failed): it no longer counts.
    NotAGuess,
}

/// The account's key as every store counts it: usernames are compared without case.
pub fn account_key(account: &str) -> String {
    account.to_lowercase()
}

/// The failed-login counts of this process.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    windows: Mutex<HashMap<Key, Window>>,
    /// When the full table was last swept of ended windows: at most once a second, so a
    /// flood of new addresses does not make every failure walk 100,000 keys.
    swept: Mutex<Option<Instant>>,
}

impl LoginThrottle {
    pub fn new() -> Self {
        Self::default()
    }

    fn keys(account: &str, address: Option<IpAddr>) -> impl Iterator<Item = Key> {
        // Usernames are compared without case, as the store does.
        std::iter::once(Key::Account(account_key(account))).chain(address.map(Key::Address))
    }

    fn limit(limits: &ThrottleLimits, key: &Key) -> u32 {
        match key {
            Key::Account(_) => limits.per_account,
            Key::Address(_) => limits.per_address,
        }
    }

    /// `Err(wait)` if the account or the address is throttled at `now`.
    pub fn check(
        &self,
        limits: &ThrottleLimits,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        Self::wait(limits, &windows, account, address, now).map_or(Ok(()), Err)
    }

    fn wait(
        limits: &ThrottleLimits,
        windows: &HashMap<Key, Window>,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Option<Duration> {
        Self::keys(account, address)
            .filter_map(|key| {
                let w = windows.get(&key)?;
                let ends = w.started + limits.window;
                (w.failures >= Self::limit(limits, &key) && ends > now).then(|| ends - now)
            })
            .max()
    }

    /// Lets an attempt through unless the account or the address is throttled (`Err(wait)`),
    /// counting it as a failure at once, in the same lock: many guesses at the same moment
    /// get as many tries as one after another. Settle it with [`Self::settle`]; a wrong
    /// password needs nothing more.
    pub fn begin(
        &self,
        limits: &ThrottleLimits,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(wait) = Self::wait(limits, &windows, account, address, now) {
            return Err(wait);
        }
        self.count(limits, &mut windows, account, address, now);
        Ok(())
    }

    /// Counts a failed login for the account and the address.
    pub fn failed(
        &self,
        limits: &ThrottleLimits,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        self.count(limits, &mut windows, account, address, now);
    }

    fn count(
        &self,
        limits: &ThrottleLimits,
        windows: &mut HashMap<Key, Window>,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) {
        if windows.len() >= MAX_KEYS {
            let mut swept = self.swept.lock().unwrap_or_else(PoisonError::into_inner);
            if swept.is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY) {
                let window = limits.window;
                windows.retain(|_, w| w.started + window > now);
                *swept = Some(now);
            }
        }
        for key in Self::keys(account, address) {
            if windows.len() >= MAX_KEYS && !windows.contains_key(&key) {
                continue;
            }
            let w = windows.entry(key).or_insert(Window {
                failures: 0,
                started: now,
            });
            if w.started + limits.window <= now {
                *w = Window {
                    failures: 0,
                    started: now,
                };
            }
            w.failures = w.failures.saturating_add(1);
        }
    }

    /// Settles an attempt [`Self::begin`] let through that was not a wrong password.
    pub fn settle(&self, account: &str, address: Option<IpAddr>, how: LoginSettled) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        for key in Self::keys(account, address) {
            if how == LoginSettled::Succeeded && matches!(key, Key::Account(_)) {
                windows.remove(&key);
            } else if let Some(w) = windows.get_mut(&key) {
                w.failures = w.failures.saturating_sub(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ThrottleLimits = ThrottleLimits {
        per_account: 3,
        per_address: 5,
        window: Duration::from_secs(60),
    };

    fn throttle() -> LoginThrottle {
        LoginThrottle::new()
    }

    #[test]
    fn an_account_is_throttled_after_its_limit_until_the_window_ends() {
        let t = throttle();
        let start = Instant::now();
        let from: Option<IpAddr> = Some([10, 0, 0, 1].into());
        for i in 0..3 {
            assert!(
                t.check(&LIMITS, "Rahim", from, start).is_ok(),
                "attempt {i}"
            );
            t.failed(&LIMITS, "Rahim", from, start);
        }
        let wait = t
            .check(&LIMITS, "rahim", None, start + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // Another account from another address is not touched.
        assert!(
            t.check(&LIMITS, "karim", Some([10, 0, 0, 2].into()), start)
                .is_ok()
        );
        // After the window, the account may try again.
        assert!(
            t.check(&LIMITS, "rahim", from, start + Duration::from_secs(60))
                .is_ok()
        );
    }

    #[test]
    fn an_address_is_throttled_across_accounts_and_success_clears_only_the_account() {
        let t = throttle();
        let now = Instant::now();
        let from: Option<IpAddr> = Some([192, 0, 2, 7].into());
        for name in ["a", "b", "c", "d", "e"] {
            t.failed(&LIMITS, name, from, now);
        }
        assert!(t.check(&LIMITS, "f", from, now).is_err());
        assert!(t.check(&LIMITS, "f", None, now).is_ok());
        for _ in 0..3 {
            t.failed(&LIMITS, "g", None, now);
        }
        assert!(t.check(&LIMITS, "g", None, now).is_err());
        t.settle("G", None, LoginSettled::Succeeded);
        assert!(t.check(&LIMITS, "g", None, now).is_ok());
    }

    #[test]
    fn guesses_sent_at_once_get_no_more_tries_than_one_after_another() {
        let t = throttle();
        let now = Instant::now();
        let from: Option<IpAddr> = Some([10, 0, 0, 9].into());
        // Ten attempts begun before any has an answer: only the limit's three get through.
        let through = (0..10)
            .filter(|_| t.begin(&LIMITS, "rahim", from, now).is_ok())
            .count();
        assert_eq!(through, 3);
        // A right password among them clears the account and hands the address its try back.
        t.settle("rahim", from, LoginSettled::Succeeded);
        assert!(t.begin(&LIMITS, "rahim", from, now).is_ok());
        // An attempt that was not a guess (a disabled account) does not count.
        let t = throttle();
        for _ in 0..10 {
            t.begin(&LIMITS, "nasrin", None, now).unwrap();
            t.settle("nasrin", None, LoginSettled::NotAGuess);
        }
        assert!(t.check(&LIMITS, "nasrin", None, now).is_ok());
    }
}
