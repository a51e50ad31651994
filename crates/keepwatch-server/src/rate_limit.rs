//! Per-address limit on sign-in attempts: a sliding window on the injected clock.
//!
//! The addresses live in two generations of maps, `current` and `previous`, so that memory
//! stays bounded without ever rescanning the map. A check looks in `current`, else moves the
//! address over from `previous`. Once a window has passed since `current` began, `previous`
//! is dropped whole and `current` takes its place: every address left in `previous` then was
//! last seen more than a window ago, so nothing it held still counted. Under a flood of
//! distinct addresses `current` reaching half the cap rotates early, which keeps the total at
//! or below the cap; that forgets the oldest addresses early, the price of bounded memory.
//! Each check costs O(1) plus, amortised, the one drop of every entry it created.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

type Hits = HashMap<IpAddr, VecDeque<DateTime<Utc>>>;

#[derive(Debug, Default)]
struct Generations {
    current: Hits,
    previous: Hits,
    /// When `current` began; `None` before the first check.
    started: Option<DateTime<Utc>>,
    /// Entries dropped by rotations so far, to show the cost stays proportional to checks.
    dropped: u64,
}

impl Generations {
    fn rotate(&mut self, now: DateTime<Utc>) {
        let previous = std::mem::replace(&mut self.previous, std::mem::take(&mut self.current));
        self.dropped += previous.len() as u64;
        self.started = Some(now);
    }
}

/// Counts attempts per address.
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<Generations>,
    /// Addresses remembered at most, both generations together.
    cap: usize,
}

impl RateLimiter {
    /// A limiter that remembers at most `cap` addresses (at least 2).
    pub fn new(cap: usize) -> Self {
        Self {
            state: Mutex::new(Generations::default()),
            cap: cap.max(2),
        }
    }

    /// Counts an attempt from `ip` at `now`. Refused attempts are not counted; the answer is
    /// then the seconds until one is allowed again.
    ///
    /// IPv6 addresses count per /64, since one client commonly holds a whole /64.
    pub fn check(
        &self,
        ip: IpAddr,
        now: DateTime<Utc>,
        max: u32,
        window: Duration,
    ) -> Result<(), i64> {
        let ip = crate::stream_limits::client_key(ip);
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match g.started {
            Some(started) if now < started + window => {}
            // A window (or more) has passed: nothing in `previous` counts any more.
            Some(_) => g.rotate(now),
            None => g.started = Some(now),
        }
        if !g.current.contains_key(&ip) {
            if g.current.len() >= self.cap / 2 {
                g.rotate(now);
            }
            let moved = g.previous.remove(&ip).unwrap_or_default();
            g.current.insert(ip, moved);
        }
        let times = g.current.get_mut(&ip).expect("inserted above");
        while times.front().is_some_and(|t| *t <= now - window) {
            times.pop_front();
        }
        if times.len() >= max as usize {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = (oldest + window - now).num_milliseconds();
            return Err((wait + 999) / 1000);
        }
        times.push_back(now);
        Ok(())
    }

    /// How many addresses are remembered now.
    #[cfg(test)]
    fn len(&self) -> usize {
        let g = self.state.lock().unwrap();
        g.current.len() + g.previous.len()
    }

    /// Entries dropped by rotations so far.
    #[cfg(test)]
    fn dropped(&self) -> u64 {
        self.state.lock().unwrap().dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides() {
        let limiter = RateLimiter::new(1_000);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Utc::now();
        let w = Duration::seconds(60);
        assert!(limiter.check(ip, t0, 2, w).is_ok());
        assert!(limiter.check(ip, t0 + Duration::seconds(10), 2, w).is_ok());
        assert_eq!(limiter.check(ip, t0 + Duration::seconds(20), 2, w), Err(40));
        assert!(limiter.check(other, t0, 2, w).is_ok());
        assert!(limiter.check(ip, t0 + Duration::seconds(60), 2, w).is_ok());
        // One IPv6 /64 is one client.
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.check(a, t0, 2, w).is_ok());
        assert!(limiter.check(b, t0, 2, w).is_ok());
        assert!(limiter.check(a, t0, 2, w).is_err());
        assert!(limiter.check(c, t0, 2, w).is_ok());
    }

    #[test]
    fn a_flood_of_distinct_addresses_stays_within_the_cap_at_constant_cost() {
        let cap = 1_000;
        let limiter = RateLimiter::new(cap);
        let t0 = Utc::now();
        let w = Duration::seconds(60);
        let checks = 200_000u32;
        // All inside one window, so that time alone would never forget any of them.
        for i in 0..checks {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            let now = t0 + Duration::microseconds(i64::from(i));
            assert!(limiter.check(ip, now, 5, w).is_ok());
            assert!(
                limiter.len() <= cap,
                "{} addresses after {i} checks",
                limiter.len()
            );
        }
        // Each entry is created once and dropped at most once: no rescans.
        assert!(limiter.dropped() <= u64::from(checks));
        // Still limiting the address that keeps coming.
        let busy: IpAddr = "192.0.2.9".parse().unwrap();
        let now = t0 + Duration::seconds(1);
        for _ in 0..5 {
            assert!(limiter.check(busy, now, 5, w).is_ok());
        }
        assert!(limiter.check(busy, now, 5, w).is_err());
    }

    #[test]
    fn rotation_by_time_forgets_nothing_that_still_counts() {
        let limiter = RateLimiter::new(1_000);
        let t0 = Utc::now();
        let w = Duration::seconds(60);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(other, t0, 3, w).is_ok());
        // Attempts late in the first generation still count in the next one.
        for s in [50, 55, 58] {
            assert!(limiter.check(ip, t0 + Duration::seconds(s), 3, w).is_ok());
        }
        // Rotates: a window has passed since the generation began.
        assert!(limiter
            .check(other, t0 + Duration::seconds(70), 3, w)
            .is_ok());
        assert_eq!(limiter.check(ip, t0 + Duration::seconds(71), 3, w), Err(39));
        // Two windows of silence forget it whole.
        assert!(limiter
            .check(other, t0 + Duration::seconds(140), 3, w)
            .is_ok());
        assert!(limiter
            .check(other, t0 + Duration::seconds(210), 3, w)
            .is_ok());
        assert_eq!(limiter.len(), 1);
    }
}
