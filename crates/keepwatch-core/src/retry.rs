//! How long to wait before trying again: `Retry-After` and exponential backoff, both jittered.

use std::time::{Duration, SystemTime};

/// The longest wait the core honours from a `Retry-After` header before retrying by itself.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Reads a `Retry-After` value in either form: delay-seconds or an HTTP date.
///
/// A date in the past means "now". Garbage yields `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait before the next attempt after a `Retry-After`: capped at [`MAX_RETRY_AFTER`], plus up
/// to 10 % (at least 50 ms) of jitter so that many clients do not come back at the same instant.
pub fn retry_after_delay(retry_after: Option<Duration>, fallback: Duration) -> Duration {
    let base = retry_after.unwrap_or(fallback).min(MAX_RETRY_AFTER);
    let spread = (base / 10).max(Duration::from_millis(50));
    base + jitter(spread)
}

/// The shortest wait before reconnecting to an event stream, whatever the server's `retry:`
/// says: a server (or whoever sits between) that answers `retry: 0` and closes after every event
/// would otherwise have every client reconnect in a tight loop.
pub const MIN_RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Exponential backoff with full jitter: a random wait in `[base/2, min(cap, base·2^attempt)]`,
/// never below the floor.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    floor: Duration,
    attempt: u32,
}

impl Backoff {
    /// Backoff starting near `base` and never above `cap`.
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            floor: Duration::ZERO,
            attempt: 0,
        }
    }

    /// The same backoff, never waiting less than `floor` (nor more than the cap).
    pub fn with_floor(mut self, floor: Duration) -> Self {
        self.floor = floor.min(self.cap);
        self
    }

    /// The next wait; each call doubles the ceiling.
    pub fn next_delay(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(16)).unwrap_or(u32::MAX);
        self.attempt = self.attempt.saturating_add(1);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        let floor = (self.base / 2).min(ceiling);
        (floor + jitter(ceiling - floor)).max(self.floor)
    }

    /// Back to the first delay, after a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Replaces the base delay (an SSE `retry:` field does this); the floor still holds.
    pub fn set_base(&mut self, base: Duration) {
        self.base = base.clamp(self.floor, self.cap);
    }
}

/// A uniformly random duration in `[0, max]`.
pub fn jitter(max: Duration) -> Duration {
    let nanos = max.as_nanos().min(u64::MAX as u128) as u64;
    if nanos == 0 {
        return Duration::ZERO;
    }
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn retry_after_is_capped_and_jittered() {
        let d = retry_after_delay(Some(Duration::from_secs(3600)), Duration::ZERO);
        assert!(d >= MAX_RETRY_AFTER && d <= MAX_RETRY_AFTER + MAX_RETRY_AFTER / 10);
        let d = retry_after_delay(Some(Duration::ZERO), Duration::ZERO);
        assert!(d <= Duration::from_millis(50));
    }

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let mut max_seen = Duration::ZERO;
        for _ in 0..40 {
            let d = b.next_delay();
            assert!(d >= Duration::from_millis(50) && d <= Duration::from_secs(2));
            max_seen = max_seen.max(d);
        }
        assert!(max_seen > Duration::from_millis(400));
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(100));
    }

    #[test]
    fn a_zero_retry_from_the_server_cannot_go_below_the_floor() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60))
            .with_floor(MIN_RECONNECT_DELAY);
        b.set_base(Duration::ZERO);
        for _ in 0..50 {
            b.reset();
            assert!(b.next_delay() >= MIN_RECONNECT_DELAY);
        }
    }
}
