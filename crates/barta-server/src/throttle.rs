//! Failed-login throttling: after too many wrong passwords for one account, or from one
//! address, within a window, logins for it answer 429 with `Retry-After` until the window
//! ends, before any password is checked (so guessing costs the server nothing either). An
//! attempt counts as a failure from the moment it is let through ([`LoginThrottle::begin`]),
//! so guesses sent all at once cannot all pass before the first is counted; the right password
//! then clears the account's count and gives the address back its attempt. State is this process's memory, bounded; with
//! several `barta serve` instances each counts its own (issue 17 moves it to the database).

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

/// The failed-login counts of this process.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    limits: ThrottleLimits,
    windows: Mutex<HashMap<Key, Window>>,
    /// When the full table was last swept of ended windows: at most once a second, so a
    /// flood of new addresses does not make every failure walk 100,000 keys.
    swept: Mutex<Option<Instant>>,
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            windows: Mutex::default(),
            swept: Mutex::default(),
        }
    }

    fn keys(account: &str, address: Option<IpAddr>) -> impl Iterator<Item = Key> {
        // Usernames are compared without case, as the store does.
        std::iter::once(Key::Account(account.to_lowercase())).chain(address.map(Key::Address))
    }

    fn limit(&self, key: &Key) -> u32 {
        match key {
            Key::Account(_) => self.limits.per_account,
            Key::Address(_) => self.limits.per_address,
        }
    }

    /// `Err(wait)` if the account or the address is throttled at `now`.
    pub fn check(
        &self,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        self.wait(&windows, account, address, now)
            .map_or(Ok(()), Err)
    }

    fn wait(
        &self,
        windows: &HashMap<Key, Window>,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Option<Duration> {
        Self::keys(account, address)
            .filter_map(|key| {
                let w = windows.get(&key)?;
                let ends = w.started + self.limits.window;
                (w.failures >= self.limit(&key) && ends > now).then(|| ends - now)
            })
            .max()
    }

    /// Lets an attempt through unless the account or the address is throttled (`Err(wait)`),
    /// counting it as a failure at once, in the same lock: many guesses at the same moment
    /// get as many tries as one after another. Settle it with [`Self::succeeded`] or
    /// [`Self::not_a_guess`]; a wrong password needs nothing more.
    pub fn begin(
        &self,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(wait) = self.wait(&windows, account, address, now) {
            return Err(wait);
        }
        self.count(&mut windows, account, address, now);
        Ok(())
    }

    /// The attempt let through by [`Self::begin`] was not a wrong password (the account is
    /// disabled, or the server failed): it no longer counts.
    pub fn not_a_guess(&self, account: &str, address: Option<IpAddr>) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        for key in Self::keys(account, address) {
            if let Some(w) = windows.get_mut(&key) {
                w.failures = w.failures.saturating_sub(1);
            }
        }
    }

    /// Counts a failed login for the account and the address.
    pub fn failed(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        self.count(&mut windows, account, address, now);
    }

    fn count(
        &self,
        windows: &mut HashMap<Key, Window>,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) {
        if windows.len() >= MAX_KEYS {
            let mut swept = self.swept.lock().unwrap_or_else(PoisonError::into_inner);
            if swept.is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY) {
                let window = self.limits.window;
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
            if w.started + self.limits.window <= now {
                *w = Window {
                    failures: 0,
                    started: now,
                };
            }
            w.failures = w.failures.saturating_add(1);
        }
    }

    /// A successful login clears the account's count, and gives the address back the attempt
    /// [`Self::begin`] counted (its other failures stay).
    pub fn succeeded(&self, account: &str, address: Option<IpAddr>) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        windows.remove(&Key::Account(account.to_lowercase()));
        if let Some(w) = address.and_then(|a| windows.get_mut(&Key::Address(a))) {
            w.failures = w.failures.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleLimits {
            per_account: 3,
            per_address: 5,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn an_account_is_throttled_after_its_limit_until_the_window_ends() {
        let t = throttle();
        let start = Instant::now();
        let from: Option<IpAddr> = Some([10, 0, 0, 1].into());
        for i in 0..3 {
            assert!(t.check("Rahim", from, start).is_ok(), "attempt {i}");
            t.failed("Rahim", from, start);
        }
        let wait = t
            .check("rahim", None, start + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // Another account from another address is not touched.
        assert!(t.check("karim", Some([10, 0, 0, 2].into()), start).is_ok());
        // After the window, the account may try again.
        assert!(
            t.check("rahim", from, start + Duration::from_secs(60))
                .is_ok()
        );
    }

    #[test]
    fn an_address_is_throttled_across_accounts_and_success_clears_only_the_account() {
        let t = throttle();
        let now = Instant::now();
        let from: Option<IpAddr> = Some([192, 0, 2, 7].into());
        for name in ["a", "b", "c", "d", "e"] {
            t.failed(name, from, now);
        }
        assert!(t.check("f", from, now).is_err());
        assert!(t.check("f", None, now).is_ok());
        for _ in 0..3 {
            t.failed("g", None, now);
        }
        assert!(t.check("g", None, now).is_err());
        t.succeeded("G", None);
        assert!(t.check("g", None, now).is_ok());
    }

    #[test]
    fn guesses_sent_at_once_get_no_more_tries_than_one_after_another() {
        let t = throttle();
        let now = Instant::now();
        let from: Option<IpAddr> = Some([10, 0, 0, 9].into());
        // Ten attempts begun before any has an answer: only the limit's three get through.
        let through = (0..10)
            .filter(|_| t.begin("rahim", from, now).is_ok())
            .count();
        assert_eq!(through, 3);
        // A right password among them clears the account and hands the address its try back.
        t.succeeded("rahim", from);
        assert!(t.begin("rahim", from, now).is_ok());
        // An attempt that was not a guess (a disabled account) does not count.
        let t = throttle();
        for _ in 0..10 {
            t.begin("nasrin", None, now).unwrap();
            t.not_a_guess("nasrin", None);
        }
        assert!(t.check("nasrin", None, now).is_ok());
    }
}
