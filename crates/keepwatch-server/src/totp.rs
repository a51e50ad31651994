//! Time-based one-time passwords (RFC 6238): HMAC-SHA-1, 6 digits, 30-second steps, computed
//! by `totp-rs`; this module adds the drift window and the replay check.

use chrono::{DateTime, Utc};
use data_encoding::BASE32_NOPAD;
use totp_rs::{Algorithm, TOTP};

/// Seconds per TOTP step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted, for clock drift.
pub const ALLOWED_DRIFT_STEPS: i64 = 1;

/// Decodes a base32 secret, tolerating lower case, spaces and padding as authenticator apps
/// and people write them.
pub fn decode_secret(secret_base32: &str) -> Option<Vec<u8>> {
    let clean: String = secret_base32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// A generator for `key` with `digits` digits. Unchecked, because secrets of any length that
/// an authenticator app took must keep working; skew is 0 since [`verify`] walks the window
/// itself to learn which step matched.
fn generator(key: &[u8], digits: u32) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        digits as usize,
        0,
        STEP_SECONDS as u64,
        key.to_vec(),
    )
}

fn step_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECONDS)
}

/// The code for `key` at `at`.
pub fn code_at(key: &[u8], at: DateTime<Utc>) -> String {
    generator(key, DIGITS).generate((step_of(at).max(0) * STEP_SECONDS) as u64)
}

/// The current 6-digit code of a base32 secret, so that tests and tools can sign in.
/// An undecodable secret yields an empty string, which no server accepts.
pub fn totp_now(secret_base32: &str, at: DateTime<Utc>) -> String {
    match decode_secret(secret_base32) {
        Some(key) => code_at(&key, at),
        None => String::new(),
    }
}

/// The time step `code` is valid for at `at` (give or take one step) and later than
/// `after_step`, if any. Refusing steps at or before the last one accepted stops a code from
/// being replayed while it is still fresh (RFC 6238, section 5.2).
pub fn verify(
    secret_base32: &str,
    code: &str,
    at: DateTime<Utc>,
    after_step: Option<i64>,
) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = generator(&decode_secret(secret_base32)?, DIGITS);
    let now = step_of(at);
    (-ALLOWED_DRIFT_STEPS..=ALLOWED_DRIFT_STEPS)
        .map(|d| now + d)
        .filter(|step| *step >= 0 && after_step.is_none_or(|last| *step > last))
        .find(|step| {
            let expected = totp.generate((*step * STEP_SECONDS) as u64);
            constant_time_eq(expected.as_bytes(), code.as_bytes())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URI authenticator apps read from a QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(issuer),
        percent_encode(account),
        percent_encode(issuer),
    )
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// RFC 6238 appendix B, SHA-1 column: the key is the ASCII "12345678901234567890" and the
    /// codes are 8 digits.
    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59_i64, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(generator(key, 8).generate(t as u64), want, "T = {t}");
        }
    }

    #[test]
    fn six_digit_codes_verify_within_one_step() {
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        let at = Utc.timestamp_opt(1111111109, 0).unwrap();
        let code = totp_now(&secret, at);
        assert_eq!(
            code, "081804",
            "the 6-digit code is the low digits of the 8-digit one"
        );
        let step = 1111111109 / 30;
        assert_eq!(verify(&secret, &code, at, None), Some(step));
        assert_eq!(
            verify(&secret, &code, at + chrono::Duration::seconds(30), None),
            Some(step)
        );
        assert_eq!(
            verify(&secret, &code, at + chrono::Duration::seconds(90), None),
            None
        );
        assert_eq!(verify(&secret, "12345", at, None), None);
        assert_eq!(verify(&secret, "abcdef", at, None), None);
        assert_eq!(verify(&secret.to_lowercase(), &code, at, None), Some(step));
        // Once used, the same step is refused.
        assert_eq!(verify(&secret, &code, at, Some(step)), None);
        assert_eq!(verify(&secret, &code, at, Some(step - 1)), Some(step));
    }

    #[test]
    fn uri_names_issuer_and_account() {
        let uri = otpauth_uri("Keepwatch", "a b@example.com", "ABC");
        assert_eq!(
            uri,
            "otpauth://totp/Keepwatch:a%20b@example.com?secret=ABC&issuer=Keepwatch&algorithm=SHA1&digits=6&period=30"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            /// A code is accepted at its own time, once: the step it was accepted for cannot
            /// accept it (or any earlier code) again.
            #[test]
            fn a_fresh_code_verifies_once(key in proptest::collection::vec(any::<u8>(), 10..40), secs in 0i64..4_000_000_000) {
                let secret = data_encoding::BASE32_NOPAD.encode(&key);
                let at = DateTime::from_timestamp(secs, 0).unwrap();
                let code = code_at(&key, at);
                prop_assert_eq!(code.len(), DIGITS as usize);
                let step = verify(&secret, &code, at, None);
                prop_assert!(step.is_some());
                prop_assert_eq!(verify(&secret, &code, at, step), None);
            }

            /// Whatever is typed as a code or stored as a secret, checking answers and never panics.
            #[test]
            fn any_input_is_checked_without_panicking(secret in ".{0,64}", code in ".{0,12}", secs in any::<i64>()) {
                let at = DateTime::from_timestamp(secs.rem_euclid(8_000_000_000), 0).unwrap();
                let _ = verify(&secret, &code, at, None);
                let _ = decode_secret(&secret);
            }
        }
    }
}
