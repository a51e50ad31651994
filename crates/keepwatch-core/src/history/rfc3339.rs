//! Timestamps written as JSON text the fast way, for exports: byte for byte what chrono's
//! `Serialize` writes (RFC 3339 in UTC with a `Z`, fractional seconds only when there are
//! some, in groups of three), without going through `fmt`.
//!
//! A session carries eight timestamps, and chrono formats each through `Display` and a
//! `fmt::Formatter`; at a million rows that was the larger part of a JSON export. The
//! calendar stays chrono's (year, month, day come from its accessors); only the digits are
//! written here. Anything unusual (a year outside 0–9999, a leap second) goes through
//! chrono itself.

use chrono::{Datelike, Timelike};
use serde::Serializer;

use keepwatch_api::Timestamp;

/// Serialises `t` exactly as chrono would.
pub(crate) fn serialize<S: Serializer>(t: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    match write(t, &mut buf) {
        // Only ASCII digits and punctuation are written.
        Some(n) => serializer.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
        None => serde::Serialize::serialize(t, serializer),
    }
}

/// [`serialize`] for an optional timestamp (`null` when there is none).
pub(crate) fn serialize_opt<S: Serializer>(
    t: &Option<Timestamp>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize(t, serializer),
        None => serializer.serialize_none(),
    }
}

/// Writes `t` into `buf`, returning its length; `None` for what only chrono writes.
fn write(t: &Timestamp, buf: &mut [u8; 30]) -> Option<usize> {
    let naive = t.naive_utc();
    let year = u32::try_from(naive.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = naive.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let mut at = 0;
    let mut put = |before: Option<u8>, value: u32, width: usize| {
        if let Some(c) = before {
            buf[at] = c;
            at += 1;
        }
        let mut v = value;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        at += width;
    };
    put(None, year, 4);
    put(Some(b'-'), naive.month(), 2);
    put(Some(b'-'), naive.day(), 2);
    put(Some(b'T'), naive.hour(), 2);
    put(Some(b':'), naive.minute(), 2);
    put(Some(b':'), naive.second(), 2);
    if nanos != 0 {
        let (value, width) = if nanos.is_multiple_of(1_000_000) {
            (nanos / 1_000_000, 3)
        } else if nanos.is_multiple_of(1_000) {
            (nanos / 1_000, 6)
        } else {
            (nanos, 9)
        };
        put(Some(b'.'), value, width);
    }
    buf[at] = b'Z';
    Some(at + 1)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    #[derive(serde::Serialize)]
    struct Fast(#[serde(serialize_with = "super::serialize")] DateTime<Utc>);

    fn both(t: DateTime<Utc>) -> (String, String) {
        (
            serde_json::to_string(&Fast(t)).unwrap(),
            serde_json::to_string(&t).unwrap(),
        )
    }

    #[test]
    fn writes_what_chrono_writes_at_every_precision() {
        let t = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 7).unwrap();
        for nanos in [0, 5_000_000, 123_456_000, 1, 999_999_999] {
            let t = t + chrono::TimeDelta::nanoseconds(nanos);
            let (fast, chrono) = both(t);
            assert_eq!(fast, chrono);
        }
        assert_eq!(both(t).0, "\"2024-02-29T23:59:07Z\"");
    }

    #[test]
    fn years_chrono_writes_otherwise_go_through_chrono() {
        for t in [
            Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 12, 31, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
        ] {
            let (fast, chrono) = both(t);
            assert_eq!(fast, chrono);
        }
    }

    proptest! {
        #[test]
        fn any_microsecond_from_1900_to_2200_reads_as_chrono_writes_it(
            micros in -2_208_988_800_000_000i64..7_258_118_400_000_000i64,
        ) {
            let t = DateTime::from_timestamp_micros(micros).unwrap();
            let (fast, chrono) = both(t);
            prop_assert_eq!(fast, chrono);
        }
    }
}
