//! Random tokens and ids, their hashes, and password hashing.
//!
//! Tokens are stored only as SHA-256 hashes: they carry 256 bits of entropy, so an unsalted
//! fast hash is enough, and a lookup by hash stays one index probe. Passwords and backup codes
//! (50 bits each: too few to survive a fast hash of a stolen database) get salted Argon2id.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use data_encoding::{BASE32_NOPAD, BASE64URL_NOPAD, HEXLOWER};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Argon2id cost of password hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl PasswordCost {
    /// OWASP's recommended minimum for Argon2id (19 MiB, 2 passes, 1 lane).
    pub const RECOMMENDED: PasswordCost = PasswordCost {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// The cheapest cost Argon2 allows. For tests only: it protects nothing.
    pub const INSECURE_FAST: PasswordCost = PasswordCost {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes a password into a PHC string (which records its own cost, so any cost verifies).
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, HashError> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
        .map_err(|e| HashError(e.to_string()))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt =
        SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| HashError(e.to_string()))?;
    argon
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new bearer token: 32 random bytes, base64url without padding.
pub fn new_token() -> String {
    BASE64URL_NOPAD.encode(&random_bytes::<32>())
}

/// A new opaque id with a readable prefix, e.g. `ses_3f9a…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", HEXLOWER.encode(&random_bytes::<12>()))
}

/// The stored form of a token or code.
pub fn token_hash(token: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(token.as_bytes()))
}

/// A new TOTP secret: 20 random bytes (160 bits, as RFC 4226 recommends), base32.
pub fn new_totp_secret() -> String {
    BASE32_NOPAD.encode(&random_bytes::<20>())
}

/// How many backup codes a 2FA reset hands out.
pub const BACKUP_CODE_COUNT: usize = 10;

/// A new backup code such as `k7f2-q9xm-3d`: 10 base32 characters (50 bits), grouped.
pub fn new_backup_code() -> String {
    let raw = BASE32_NOPAD
        .encode(&random_bytes::<7>())
        .to_ascii_lowercase();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..10])
}

/// A backup code as compared: case, spaces and dashes do not matter to people typing it.
fn normal_backup_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The stored form of a backup code: a salted Argon2id hash at `cost`.
pub fn hash_backup_code(code: &str, cost: PasswordCost) -> Result<String, HashError> {
    hash_password(&normal_backup_code(code), cost)
}

/// Whether `code` is the one stored as `stored`: an Argon2id hash, or the unsalted SHA-256 of
/// codes issued before backup codes were hashed slowly (those still work until used).
pub fn backup_code_matches(code: &str, stored: &str) -> bool {
    let normal = normal_backup_code(code);
    if stored.starts_with("$argon2") {
        return verify_password(&normal, stored);
    }
    let computed = token_hash(&normal);
    computed.len() == stored.len()
        && computed
            .bytes()
            .zip(stored.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A syntactically plausible bearer token: base64url, of a sane length. Anything else is
/// rejected before it reaches the database.
pub fn looks_like_token(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse", PasswordCost::INSECURE_FAST).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn backup_codes_are_salted_argon2_and_normalise() {
        let code = new_backup_code();
        assert_eq!(code.len(), 12);
        let raw: String = code.chars().filter(|c| *c != '-').collect();
        assert_eq!(raw.len(), 10, "10 base32 characters: 50 bits");
        let stored = hash_backup_code(&code, PasswordCost::INSECURE_FAST).unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert_ne!(
            stored,
            hash_backup_code(&code, PasswordCost::INSECURE_FAST).unwrap(),
            "salted"
        );
        assert!(backup_code_matches(
            &code.to_uppercase().replace('-', " "),
            &stored
        ));
        assert!(!backup_code_matches(&new_backup_code(), &stored));
        // Codes stored before, as unsalted SHA-256, still match.
        let legacy = token_hash(&raw);
        assert!(backup_code_matches(&code, &legacy));
        assert!(!backup_code_matches(&new_backup_code(), &legacy));
    }

    #[test]
    fn tokens_are_distinct_and_plausible() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(looks_like_token(&a));
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token("has spaces in it and is long"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// A backup code matches however it is typed (case, dashes, spaces), and no other
            /// code, nor any text at all, matches it; nothing typed makes the check panic.
            #[test]
            fn a_backup_code_matches_itself_only(typed in ".{0,24}", upper in any::<bool>(), position in 0usize..10) {
                let code = new_backup_code();
                let stored = hash_backup_code(&code, PasswordCost::INSECURE_FAST).unwrap();
                let shown = if upper { code.to_uppercase() } else { code.replace('-', " ") };
                prop_assert!(backup_code_matches(&shown, &stored));
                let raw: Vec<char> = normal_backup_code(&code).chars().collect();
                let mut other = raw.clone();
                other[position] = if raw[position] == 'a' { 'b' } else { 'a' };
                let other: String = other.into_iter().collect();
                prop_assert!(!backup_code_matches(&other, &stored));
                prop_assert_eq!(
                    backup_code_matches(&typed, &stored),
                    normal_backup_code(&typed) == normal_backup_code(&code)
                );
            }
        }
    }
}
