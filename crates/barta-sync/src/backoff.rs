//! Exponential backoff with full jitter (a uniformly random wait in `[0, min(cap, base·2ⁿ)]`),
//! never shorter than what the server asked for in `Retry-After`. Pure: the random fraction is
//! passed in, so the policy is table-tested; the executor sleeps on tokio's clock, so the
//! waits are tested with a paused clock.

use std::time::Duration;

/// The retry policy of the executor.
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    /// The first window.
    pub base: Duration,
    /// The largest window (and the longest wait without `Retry-After`).
    pub cap: Duration,
    /// The longest `Retry-After` honoured (a bigger one is clamped to this).
    pub max_retry_after: Duration,
    /// Retries of one request before the round stops (its row stays queued).
    pub max_retries: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(15 * 60),
            max_retries: 4,
        }
    }
}

impl Backoff {
    /// The window of retry number `attempt` (0 for the first retry): `min(cap, base·2^attempt)`.
    pub fn window(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The wait before retry `attempt`: `fraction` (in `[0, 1]`) of the window, and at least
    /// `retry_after` (clamped to `max_retry_after`).
    pub fn delay(&self, attempt: u32, fraction: f64, retry_after: Option<Duration>) -> Duration {
        let jittered = self.window(attempt).mul_f64(fraction.clamp(0.0, 1.0));
        match retry_after {
            Some(asked) => jittered.max(asked.min(self.max_retry_after)),
            None => jittered,
        }
    }
}

/// Parses a `Retry-After` value: delay seconds, or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Backoff {
        Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(60),
            max_retries: 3,
        }
    }

    #[test]
    fn delays() {
        let ms = Duration::from_millis;
        // (attempt, fraction, retry_after, expected)
        let rows = [
            (0, 1.0, None, ms(100)),
            (0, 0.0, None, ms(0)),
            (1, 1.0, None, ms(200)),
            (3, 0.5, None, ms(400)),
            (10, 1.0, None, ms(2000)),
            (40, 1.0, None, ms(2000)),
            (0, 0.3, Some(ms(5000)), ms(5000)),
            (10, 1.0, Some(ms(1)), ms(2000)),
            (
                0,
                1.0,
                Some(Duration::from_secs(3600)),
                Duration::from_secs(60),
            ),
            (0, 7.0, None, ms(100)),
        ];
        for (attempt, fraction, retry_after, expected) in rows {
            assert_eq!(
                policy().delay(attempt, fraction, retry_after),
                expected,
                "attempt {attempt}, fraction {fraction}, retry_after {retry_after:?}"
            );
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let rows = [
            ("120", Some(Duration::from_secs(120))),
            (" 0 ", Some(Duration::ZERO)),
            (
                "Thu, 01 Jan 2026 00:00:30 GMT",
                Some(Duration::from_secs(30)),
            ),
            ("Wed, 31 Dec 2025 23:00:00 GMT", Some(Duration::ZERO)),
            ("soon", None),
            ("-5", None),
        ];
        for (value, expected) in rows {
            assert_eq!(parse_retry_after(value, now), expected, "{value:?}");
        }
    }
}
