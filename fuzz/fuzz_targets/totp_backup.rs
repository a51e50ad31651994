//! TOTP and backup-code checks on arbitrary secrets, codes and times: never a panic, a code
//! made for a moment verifies then and only once, and a backup code matches only itself.
#![no_main]

use std::sync::OnceLock;

use chrono::DateTime;
use keepwatch_server::fuzzing::{backup_code_matches, hash_backup_code, totp_code_at, totp_verify};
use keepwatch_server::PasswordCost;
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: keepwatch_fuzz::Measuring = keepwatch_fuzz::Measuring;

/// One stored backup code, hashed once: Argon2 per input would make the target crawl.
fn stored() -> &'static str {
    static STORED: OnceLock<String> = OnceLock::new();
    STORED.get_or_init(|| hash_backup_code("k7f2-q9xm-3d", PasswordCost::INSECURE_FAST).unwrap())
}

fuzz_target!(|data: &[u8]| {
    keepwatch_fuzz::measured(data, |data| {
        if data.len() < 8 {
            return;
        }
        let (time, rest) = data.split_at(8);
        let secs = (u64::from_le_bytes(time.try_into().unwrap()) % 8_000_000_000) as i64;
        let at = DateTime::from_timestamp(secs, 0).unwrap();
        let text = String::from_utf8_lossy(rest);
        let (secret, code) = text.split_once('\n').unwrap_or((&text, ""));

        let _ = totp_verify(secret, code, at, None);
        if rest.len() >= 10 {
            let key = &rest[..rest.len().min(64)];
            let fresh = totp_code_at(key, at);
            let secret = data_encoding::BASE32_NOPAD.encode(key);
            let step = totp_verify(&secret, &fresh, at, None);
            assert!(step.is_some(), "a fresh code is refused");
            assert_eq!(totp_verify(&secret, &fresh, at, step), None, "a code replayed");
        }
        let typed = text.as_ref();
        let normal = |s: &str| -> String {
            s.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_lowercase()).collect()
        };
        // Argon2 is slow: check the backup code for short inputs only.
        if typed.len() <= 24 {
            assert_eq!(backup_code_matches(typed, stored()), normal(typed) == "k7f2q9xm3d");
        }
    });
});
