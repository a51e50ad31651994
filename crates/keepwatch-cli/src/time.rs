//! Times for people: local time zone, "5 minutes ago", and parsing `--since`.

use anyhow::{bail, Result};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use keepwatch_l10n::msg;

use crate::output::{say, text};

/// `2026-11-27 10:41` in the local time zone.
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// `5 minutes ago`.
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (n, message) = match secs {
        ..=59 => return text(msg::CLI_JUST_NOW),
        60..=3599 => (secs / 60, msg::CLI_MINUTES_AGO),
        3600..=86_399 => (secs / 3600, msg::CLI_HOURS_AGO),
        _ => (secs / 86_400, msg::CLI_DAYS_AGO),
    };
    say(message, &[("count", n.into())])
}

/// `last synced 5 minutes ago` / `never synced`.
pub fn last_synced(t: Option<DateTime<Utc>>) -> String {
    match t {
        Some(t) => say(msg::CLI_LAST_SYNCED, &[("ago", ago(t, Utc::now()).into())]),
        None => text(msg::CLI_NEVER_SYNCED),
    }
}

/// RFC 3339, `YYYY-MM-DD` (local midnight), or a duration ago: `30m`, `24h`, `7d`, `2w`.
pub fn parse_when(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| Local.from_local_datetime(&t).earliest())
        {
            return Ok(t.with_timezone(&Utc));
        }
    }
    if let Some(unit) = s.chars().last() {
        if let Ok(n) = s[..s.len() - unit.len_utf8()].parse::<i64>() {
            let secs = match unit {
                's' => Some(n),
                'm' => n.checked_mul(60),
                'h' => n.checked_mul(3600),
                'd' => n.checked_mul(86_400),
                'w' => n.checked_mul(7 * 86_400),
                _ => None,
            };
            if let Some(d) = secs.and_then(chrono::TimeDelta::try_seconds) {
                if let Some(t) = now.checked_sub_signed(d) {
                    return Ok(t);
                }
            }
        }
    }
    bail!(say(msg::CLI_BAD_TIME, &[("text", quoted(s).into())]))
}

/// A future time: RFC 3339, `YYYY-MM-DD` (local midnight), or a duration from now (`3d`).
pub fn parse_until(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let s = s.trim();
    let relative = s.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && DateTime::parse_from_rfc3339(s).is_err();
    if relative {
        // A duration "ago" mirrored into the future.
        let ago = parse_when(s, now)?;
        return now.checked_add_signed(now - ago).ok_or_else(|| {
            anyhow::anyhow!(say(msg::CLI_TIME_TOO_FAR, &[("text", quoted(s).into())]))
        });
    }
    let t = parse_when(s, now)?;
    if t <= now {
        bail!(say(msg::CLI_TIME_IN_PAST, &[("text", quoted(s).into())]));
    }
    Ok(t)
}

/// What the person typed, quoted and with anything unprintable escaped.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form_and_refuses_garbage() {
        let now = Utc::now();
        assert_eq!(
            parse_when("7d", now).unwrap(),
            now - chrono::TimeDelta::days(7)
        );
        assert_eq!(
            parse_when("30m", now).unwrap(),
            now - chrono::TimeDelta::minutes(30)
        );
        assert_eq!(
            parse_when("2026-01-02T03:04:05Z", now)
                .unwrap()
                .to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
        assert!(parse_when("2026-01-02", now).is_ok());
        assert!(parse_when("soon", now).is_err());
        assert!(parse_when("99999999999999d", now).is_err());
        assert!(parse_when("é", now).is_err());
    }

    #[test]
    fn until_reads_durations_forward_and_refuses_the_past() {
        let now = Utc::now();
        assert_eq!(
            parse_until("3d", now).unwrap(),
            now + chrono::TimeDelta::days(3)
        );
        assert!(parse_until("2001-01-01", now).is_err());
        assert!(parse_until("2999-01-01T00:00:00Z", now).is_ok());
    }

    #[test]
    fn ago_reads_naturally() {
        let now = Utc::now();
        assert_eq!(
            ago(now - chrono::TimeDelta::minutes(5), now),
            "5 minutes ago"
        );
        assert_eq!(ago(now - chrono::TimeDelta::hours(1), now), "1 hour ago");
        assert_eq!(ago(now, now), "just now");
    }
}
