//! Caps on open event streams: per session, per client address and on the whole server.
//!
//! A stream is cheap (one task, a channel and a connection: tens of KiB) but endless, so
//! without caps one stolen token or one busy address could hold every socket and all the
//! memory. A [`StreamSlot`] is taken before a stream is answered and given back when its
//! feeding task ends, whichever way it ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use keepwatch_api::ErrorCode;

use crate::config::Limits;
use crate::error::HttpError;

/// Seconds a refused client is told to wait before it tries again. Streams end when their
/// clients go away, and a client that reconnects sooner would only be refused again.
const RETRY_AFTER_SECS: i64 = 30;

/// The address as the server counts clients: IPv6 per /64, since one client commonly holds a
/// whole /64; IPv4-mapped IPv6 as IPv4.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        v4 => v4,
    }
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_session: HashMap<String, usize>,
    per_address: HashMap<IpAddr, usize>,
}

/// Open streams, counted against the caps in [`Limits`].
#[derive(Debug)]
pub struct StreamLimits {
    counts: Arc<Mutex<Counts>>,
    total: usize,
    per_address: usize,
    per_session: usize,
}

/// One open stream's place; dropping it frees the place.
#[derive(Debug)]
pub struct StreamSlot {
    counts: Arc<Mutex<Counts>>,
    session: String,
    address: IpAddr,
}

impl StreamLimits {
    /// Caps from `limits`.
    pub fn new(limits: &Limits) -> Self {
        Self {
            counts: Arc::default(),
            total: limits.event_streams_total,
            per_address: limits.event_streams_per_address,
            per_session: limits.event_streams_per_session,
        }
    }

    /// Takes a place for a stream of `session` from `ip`, or says why not: 429
    /// `rate_limited` when the session or the address holds too many, 503 `unavailable` when
    /// the server does; both with `Retry-After`.
    pub fn acquire(&self, session: &str, ip: IpAddr) -> Result<StreamSlot, HttpError> {
        let address = client_key(ip);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.per_session.get(session).copied().unwrap_or(0) >= self.per_session {
            return Err(refused(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "this session has too many event streams open; close one first",
            ));
        }
        if counts.per_address.get(&address).copied().unwrap_or(0) >= self.per_address {
            return Err(refused(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "too many event streams are open from this address",
            ));
        }
        if counts.total >= self.total {
            return Err(refused(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "the server holds as many event streams as it can",
            ));
        }
        counts.total += 1;
        *counts.per_session.entry(session.to_owned()).or_default() += 1;
        *counts.per_address.entry(address).or_default() += 1;
        Ok(StreamSlot {
            counts: Arc::clone(&self.counts),
            session: session.to_owned(),
            address,
        })
    }

    /// Streams open now.
    #[cfg(test)]
    fn open(&self) -> usize {
        self.counts.lock().unwrap().total
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        // Entries that reach zero go, so that the maps hold only what is open.
        if let Some(n) = counts.per_session.get_mut(&self.session) {
            *n -= 1;
            if *n == 0 {
                counts.per_session.remove(&self.session);
            }
        }
        if let Some(n) = counts.per_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                counts.per_address.remove(&self.address);
            }
        }
    }
}

fn refused(status: StatusCode, code: ErrorCode, message: &str) -> HttpError {
    tracing::warn!(%status, "refusing an event stream: {message}");
    HttpError::new(status, code, message).retry_after(RETRY_AFTER_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_address: usize, per_session: usize) -> StreamLimits {
        StreamLimits::new(&Limits {
            event_streams_total: total,
            event_streams_per_address: per_address,
            event_streams_per_session: per_session,
            ..Limits::for_tests()
        })
    }

    #[test]
    fn each_cap_holds_and_places_come_back() {
        let l = limits(4, 3, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let s1 = l.acquire("s1", a).unwrap();
        let _s1b = l.acquire("s1", a).unwrap();
        let e = l.acquire("s1", b).unwrap_err();
        assert_eq!(
            (e.status, e.retry_after),
            (StatusCode::TOO_MANY_REQUESTS, Some(30))
        );
        let _s2 = l.acquire("s2", a).unwrap();
        let e = l.acquire("s3", a).unwrap_err();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        let _s4 = l.acquire("s4", b).unwrap();
        let e = l.acquire("s5", b).unwrap_err();
        assert_eq!(
            (e.status, e.body.error),
            (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable)
        );
        drop(s1);
        assert_eq!(l.open(), 3);
        let _again = l.acquire("s5", b).unwrap();
    }

    #[test]
    fn one_ipv6_slash_64_is_one_address() {
        let l = limits(10, 1, 10);
        let _a = l.acquire("s1", "2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert!(l
            .acquire("s2", "2001:db8:1:2::ffff".parse().unwrap())
            .is_err());
        assert!(l.acquire("s3", "2001:db8:1:3::1".parse().unwrap()).is_ok());
    }
}
