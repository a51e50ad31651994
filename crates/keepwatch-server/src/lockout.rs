//! Lockout after repeated wrong passwords, counted per (email, source) rather than per
//! account: a stranger who guesses from one address locks out only that address, not the
//! owner, and emails without an account are counted the same way, so that the answers never
//! tell which emails have one.
//!
//! A source is the client address (an IPv6 /64 as one, since one client commonly holds a
//! whole /64), a trusted device (so the owner's own devices still get in while someone on the
//! same network is locked out) or, for password confirmations, the signed-in session as well
//! (so a stolen token gains nothing from changing address). Each lockout of a source lasts
//! twice as long as the one before, up to [`MAX_LOCKOUT`]; a success clears the source.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::config::{chrono_duration, Limits};
use crate::error::HttpResult;
use crate::store::{parse_ts, ts, Write};

/// The longest a back-off grows to.
pub const MAX_LOCKOUT: Duration = Duration::hours(24);

/// The subject of a count: the email as typed, normalised the way accounts are looked up.
pub fn subject(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The source key of a client address: IPv4 as is, IPv6 by its /64.
pub fn address_source(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let net = std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1));
            format!("net:{net}/64")
        }
        v4 => format!("ip:{v4}"),
    }
}

/// The source key of a trusted device.
pub fn device_source(device_id: &str) -> String {
    format!("device:{device_id}")
}

/// The source key of a signed-in session.
pub fn session_source(session_id: &str) -> String {
    format!("session:{session_id}")
}

/// The latest end of a running lockout of `subject` from any of `sources`.
pub fn locked_until(
    conn: &Connection,
    subject: &str,
    sources: &[String],
    now: DateTime<Utc>,
) -> HttpResult<Option<DateTime<Utc>>> {
    let mut until: Option<DateTime<Utc>> = None;
    for source in sources {
        let row: Option<Option<String>> = conn
            .query_row(
                "SELECT locked_until FROM login_failures WHERE subject = ?1 AND source = ?2",
                rusqlite::params![subject, source],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(end) = row.flatten().as_deref().map(parse_ts).transpose()? {
            if end > now && until.is_none_or(|u| end > u) {
                until = Some(end);
            }
        }
    }
    Ok(until)
}

/// Counts one failure of `subject` from each of `sources`. Returns the end of the lockout it
/// starts, if it reaches the threshold for any of them.
pub fn count_failure(
    w: &mut Write<'_>,
    subject: &str,
    sources: &[String],
    limits: &Limits,
) -> HttpResult<Option<DateTime<Utc>>> {
    let mut locked: Option<DateTime<Utc>> = None;
    for source in sources {
        let (failed, lockouts): (u32, u32) = w.tx.query_row(
            "INSERT INTO login_failures (subject, source, failed, lockouts, last_failed_at) \
             VALUES (?1, ?2, 1, 0, ?3) \
             ON CONFLICT (subject, source) DO UPDATE SET failed = failed + 1, last_failed_at = ?3 \
             RETURNING failed, lockouts",
            rusqlite::params![subject, source, ts(w.now)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if failed < limits.lockout_threshold {
            continue;
        }
        let base = chrono_duration(limits.lockout_duration);
        let cap = MAX_LOCKOUT.max(base);
        let length = (0..lockouts.min(16))
            .fold(base, |d, _| d.checked_mul(2).unwrap_or(cap))
            .min(cap);
        let until = w.now + length;
        w.tx.execute(
            "UPDATE login_failures SET failed = 0, lockouts = lockouts + 1, locked_until = ?3 \
             WHERE subject = ?1 AND source = ?2",
            rusqlite::params![subject, source, ts(until)],
        )?;
        if locked.is_none_or(|l| until > l) {
            locked = Some(until);
        }
    }
    Ok(locked)
}

/// Forgets the failures of `subject` from `sources`, after a success from them.
pub fn clear(w: &mut Write<'_>, subject: &str, sources: &[String]) -> HttpResult<()> {
    for source in sources {
        w.tx.execute(
            "DELETE FROM login_failures WHERE subject = ?1 AND source = ?2",
            rusqlite::params![subject, source],
        )?;
    }
    Ok(())
}

/// Forgets counts that have been quiet for a day and are not locked, so that the table (which
/// also counts emails without an account) cannot grow without bound and old back-offs fade.
pub fn forget_stale(w: &mut Write<'_>) -> HttpResult<usize> {
    let cutoff = ts(w.now - MAX_LOCKOUT);
    Ok(w.tx.execute(
        "DELETE FROM login_failures WHERE last_failed_at < ?1 \
         AND (locked_until IS NULL OR locked_until < ?1)",
        [cutoff],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_group_ipv6_by_64() {
        let a = address_source("2001:db8:1:2::1".parse().unwrap());
        let b = address_source("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = address_source("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, "net:2001:db8:1:2::/64");
        assert_eq!(
            address_source("::ffff:192.0.2.1".parse().unwrap()),
            "ip:192.0.2.1"
        );
        assert_eq!(subject("  Ann@Example.COM "), "ann@example.com");
    }
}
