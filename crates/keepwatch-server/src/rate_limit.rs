//! Per-address limit on sign-in attempts: a sliding window on the injected clock.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Counts attempts per address.
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<IpAddr, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
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
        let ip = match ip.to_canonical() {
            IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
            v4 => v4,
        };
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // Forget idle addresses now and then so the map cannot grow without bound.
        if hits.len() > 10_000 {
            hits.retain(|_, times| times.back().is_some_and(|t| *t > now - window));
        }
        let times = hits.entry(ip).or_default();
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides() {
        let limiter = RateLimiter::default();
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
}
