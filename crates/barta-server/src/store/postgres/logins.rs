//! Failed logins counted in a table every instance shares (migration 3), so that N
//! `barta serve` instances behind one load balancer allow no more guesses than one. The same
//! rules as the in-memory count SQLite's server keeps (`crate::throttle`): an attempt counts as
//! a failure from the moment it is let through; a throttled key waits until its window ends.
//! The database's clock (`now()`) times the windows, so instances with drifting clocks agree.

use super::Db;
use crate::store::StoreError;
use crate::throttle::{LoginSettled, ThrottleLimits, account_key};
use std::net::IpAddr;
use std::time::Duration;

/// Taken for the length of a login's check-and-count, so two instances cannot both let the
/// limit's last guess through.
const LOGIN_LOCK: i64 = 0x6261_7274_615f_6c67; // "barta_lg"

/// The account's row.
fn account_row(account: &str) -> String {
    format!("account:{}", account_key(account))
}

/// The address's row.
fn address_row(address: IpAddr) -> String {
    format!("address:{address}")
}

/// The counted rows of an attempt, each with its limit.
fn keys(limits: &ThrottleLimits, account: &str, address: Option<IpAddr>) -> Vec<(String, u32)> {
    std::iter::once((account_row(account), limits.per_account))
        .chain(address.map(|a| (address_row(a), limits.per_address)))
        .collect()
}

/// `Err(wait)` if the account or the address is throttled; otherwise counts the attempt as a
/// failure for both and lets it through.
pub fn begin(
    tx: &mut Db<'_>,
    limits: &ThrottleLimits,
    account: &str,
    address: Option<IpAddr>,
) -> Result<Result<(), Duration>, StoreError> {
    let window = limits.window.as_secs_f64();
    let keys = keys(limits, account, address);
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOGIN_LOCK])?;
    tx.execute(
        "DELETE FROM login_failures WHERE started <= now() - make_interval(secs => $1)",
        &[&window],
    )?;
    let names: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
    let rows = tx.query(
        "SELECT key, failures,
                EXTRACT(EPOCH FROM started + make_interval(secs => $2) - now())::float8
           FROM login_failures WHERE key = ANY($1)",
        &[&names, &window],
    )?;
    let mut wait: Option<Duration> = None;
    for row in &rows {
        let key: &str = row.try_get(0)?;
        let failures: i32 = row.try_get(1)?;
        let left: f64 = row.try_get(2)?;
        let limit = keys
            .iter()
            .find(|(name, _)| name == key)
            .map_or(u32::MAX, |(_, limit)| *limit);
        if u32::try_from(failures).unwrap_or(0) >= limit && left > 0.0 {
            let left = Duration::from_secs_f64(left);
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    for name in &names {
        tx.execute(
            "INSERT INTO login_failures (key, failures, started) VALUES ($1, 1, now())
             ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1",
            &[name],
        )?;
    }
    Ok(Ok(()))
}

/// Settles an attempt [`begin`] let through that was not a wrong password: the right one
/// clears the account's count; either gives back the try it counted.
pub fn settle(
    tx: &mut Db<'_>,
    account: &str,
    address: Option<IpAddr>,
    how: LoginSettled,
) -> Result<(), StoreError> {
    const GIVE_BACK: &str =
        "UPDATE login_failures SET failures = GREATEST(failures - 1, 0) WHERE key = $1";
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOGIN_LOCK])?;
    let account = account_row(account);
    match how {
        LoginSettled::Succeeded => {
            tx.execute("DELETE FROM login_failures WHERE key = $1", &[&account])?
        }
        LoginSettled::NotAGuess => tx.execute(GIVE_BACK, &[&account])?,
    };
    if let Some(address) = address {
        tx.execute(GIVE_BACK, &[&address_row(address)])?;
    }
    Ok(())
}
