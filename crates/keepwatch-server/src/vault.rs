//! Encryption at rest of TOTP secrets, and the owner-only files the server keeps.
//!
//! A TOTP secret cannot be hashed (the server must compute codes from it), so it is sealed
//! with ChaCha20-Poly1305 under a server key, bound to its account id, and stored as
//! `enc1:` + base64url(nonce ‖ ciphertext). The key lives in a file of its own next to the
//! database (`<db>.key`, created 0600 on first use), so that a copied database file, a backup
//! of it or a leaked WAL does not give away anyone's second factor. Whoever can read the
//! server's directory can read both: keep the key file out of database backups.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};

use crate::error::HttpError;
use crate::secrets::random_bytes;

/// How a sealed value starts; anything else is a plaintext secret from before sealing.
const SEALED_PREFIX: &str = "enc1:";
const NONCE_LEN: usize = 12;

/// Why the key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// It could not be read, created or restricted.
    #[error("secret key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// It does not hold a key.
    #[error("secret key file {0} does not hold a 32-byte hex key")]
    BadKey(PathBuf),
}

/// The server key and what it seals.
pub struct Vault {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

/// The key file of the database at `db_path`: `<db_path>.key`.
pub fn key_path(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

impl Vault {
    /// Reads the key at `path`, creating it (0600, atomically, so that a server and an admin
    /// command starting together agree on one key) when there is none.
    pub fn open_or_create(path: &Path) -> Result<Self, VaultError> {
        let io = |source| VaultError::Io {
            path: path.to_owned(),
            source,
        };
        if !path.exists() {
            // Written whole under a temporary name, then linked into place: a reader never
            // sees a half-written key, and of two creators exactly one wins.
            let tmp = path.with_extension(format!("tmp-{}", HEXLOWER.encode(&random_bytes::<6>())));
            let mut file = private_options().open(&tmp).map_err(io)?;
            let written = file
                .write_all(format!("{}\n", HEXLOWER.encode(&random_bytes::<32>())).as_bytes())
                .and_then(|()| file.sync_all());
            drop(file);
            let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(e)),
            }
        }
        restrict(path).map_err(io)?;
        let text = std::fs::read_to_string(path).map_err(io)?;
        let key = HEXLOWER
            .decode(text.trim().as_bytes())
            .ok()
            .filter(|k| k.len() == 32)
            .ok_or_else(|| VaultError::BadKey(path.to_owned()))?;
        Ok(Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// Seals the TOTP secret of `account_id` for storing.
    pub fn seal_totp(&self, account_id: &str, secret: &str) -> String {
        let nonce = random_bytes::<NONCE_LEN>();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: account_id.as_bytes(),
                },
            )
            // Encryption fails only for messages of gigabytes.
            .unwrap_or_default();
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}", BASE64URL_NOPAD.encode(&blob))
    }

    /// The TOTP secret of `account_id` from its stored form. A plaintext secret (stored before
    /// sealing, and not yet migrated) is returned as it is.
    pub fn open_totp(&self, account_id: &str, stored: &str) -> Result<String, HttpError> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(stored.to_owned());
        };
        let fail = || HttpError::internal("a stored TOTP secret does not open with the server key");
        let blob = BASE64URL_NOPAD
            .decode(encoded.as_bytes())
            .map_err(|_| fail())?;
        if blob.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: account_id.as_bytes(),
                },
            )
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }

    /// Whether a stored value is sealed.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }
}

/// Options that create a file readable and writable by its owner only.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Makes an existing file owner-only.
pub fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the database file owner-only if it does not exist yet, and makes it and its WAL
/// and shared-memory files owner-only if they do. SQLite gives the WAL and shared-memory
/// files it creates the permissions of the database file, so they follow.
pub fn prepare_database_files(db_path: &Path) -> std::io::Result<()> {
    match private_options().open(db_path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db_path.as_os_str().to_owned();
        name.push(suffix);
        let path = PathBuf::from(name);
        if path.exists() {
            restrict(&path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_bound_to_the_account_and_reads_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_path(&dir.path().join("db.sqlite"));
        let vault = Vault::open_or_create(&path).unwrap();
        let sealed = vault.seal_totp("acc_1", "JBSWY3DPEHPK3PXP");
        assert!(Vault::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            vault.open_totp("acc_1", &sealed).unwrap(),
            "JBSWY3DPEHPK3PXP"
        );
        assert!(vault.open_totp("acc_2", &sealed).is_err());
        assert_eq!(vault.open_totp("acc_1", "PLAIN").unwrap(), "PLAIN");
        // The same key comes back.
        let again = Vault::open_or_create(&path).unwrap();
        assert_eq!(
            again.open_totp("acc_1", &sealed).unwrap(),
            "JBSWY3DPEHPK3PXP"
        );
        std::fs::write(&path, "short").unwrap();
        assert!(matches!(
            Vault::open_or_create(&path),
            Err(VaultError::BadKey(_))
        ));
    }
}
