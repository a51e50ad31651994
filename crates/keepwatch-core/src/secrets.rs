//! Where the refresh token lives: the OS keyring, and nowhere else.
//!
//! The `keyring` crate is blocking and a locked keyring can wait forever on an unlock prompt,
//! so every call runs on a blocking thread under a timeout.

use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};

/// The keyring service name of every Keepwatch entry.
pub const KEYRING_SERVICE: &str = "keepwatch";

/// How long a keyring call may take before the core gives up on it.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

/// A place for one secret per account (the refresh token). Blocking.
pub trait SecretStore: Send + Sync + 'static {
    /// The secret stored for `account`, if any.
    fn get(&self, account: &str) -> Result<Option<String>>;
    /// Stores `secret` for `account`, replacing any older one.
    fn set(&self, account: &str, secret: &str) -> Result<()>;
    /// Forgets the secret of `account`; forgetting a missing one is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The platform keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on
/// Windows. Entries are service [`KEYRING_SERVICE`], user `<email>@<server>`.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringStore;

impl KeyringStore {
    /// The platform keyring.
    pub fn new() -> Self {
        Self
    }

    /// Whether the compiled-in default store keeps secrets beyond this process. False means the
    /// `keyring` crate fell back to its in-memory mock (a build without platform features).
    pub fn is_persistent() -> bool {
        matches!(
            keyring::default::default_credential_builder().persistence(),
            keyring::credential::CredentialPersistence::UntilDelete
                | keyring::credential::CredentialPersistence::UntilReboot
        )
    }

    fn entry(account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(keyring_error)
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    // keyring's messages name the platform failure, never the secret.
    Error::Keyring(e.to_string())
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<String>> {
        match Self::entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        Self::entry(account)?
            .set_password(secret)
            .map_err(keyring_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// Async access to a [`SecretStore`]: each call on a blocking thread, under a timeout.
#[derive(Clone)]
pub struct Secrets {
    store: Arc<dyn SecretStore>,
    timeout: Duration,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Secrets {
    /// Wraps `store` with the default [`KEYRING_TIMEOUT`].
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self {
            store,
            timeout: KEYRING_TIMEOUT,
        }
    }

    /// The platform keyring.
    pub fn keyring() -> Self {
        Self::new(Arc::new(KeyringStore::new()))
    }

    /// Same store, another timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = Arc::clone(&self.store);
        let task = tokio::task::spawn_blocking(move || f(store.as_ref()));
        match tokio::time::timeout(self.timeout, task).await {
            Err(_) => Err(Error::KeyringTimeout),
            Ok(Err(join)) => Err(Error::Keyring(format!("keyring call failed: {join}"))),
            Ok(Ok(result)) => result,
        }
    }

    /// The secret of `account`.
    pub async fn get(&self, account: &str) -> Result<Option<String>> {
        let account = account.to_owned();
        self.run(move |s| s.get(&account)).await
    }

    /// Stores the secret of `account`.
    pub async fn set(&self, account: &str, secret: &str) -> Result<()> {
        let account = account.to_owned();
        let secret = secret.to_owned();
        self.run(move |s| s.set(&account, &secret)).await
    }

    /// Forgets the secret of `account`.
    pub async fn delete(&self, account: &str) -> Result<()> {
        let account = account.to_owned();
        self.run(move |s| s.delete(&account)).await
    }
}

/// An in-process store, for unit tests of the logic around secrets only.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct MemoryStore {
    pub(crate) secrets: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// Every `set` and `delete`, in order.
    pub(crate) log: std::sync::Mutex<Vec<String>>,
    /// Makes every call block this long (a locked keyring).
    pub(crate) delay: Option<Duration>,
}

#[cfg(test)]
impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<String>> {
        if let Some(d) = self.delay {
            std::thread::sleep(d);
        }
        Ok(self.secrets.lock().unwrap().get(account).cloned())
    }
    fn set(&self, account: &str, secret: &str) -> Result<()> {
        self.log.lock().unwrap().push(format!("set {account}"));
        self.secrets
            .lock()
            .unwrap()
            .insert(account.to_owned(), secret.to_owned());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.log.lock().unwrap().push(format!("delete {account}"));
        self.secrets.lock().unwrap().remove(account);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_store_is_not_the_in_memory_mock() {
        // A `keyring` built without platform features silently keeps secrets in memory only.
        assert!(
            KeyringStore::is_persistent(),
            "keyring was built without a platform store"
        );
    }

    #[tokio::test]
    async fn a_hanging_store_times_out_instead_of_blocking() {
        let store = MemoryStore {
            delay: Some(Duration::from_millis(500)),
            ..Default::default()
        };
        let secrets = Secrets::new(Arc::new(store)).with_timeout(Duration::from_millis(50));
        let started = std::time::Instant::now();
        assert!(matches!(secrets.get("a").await, Err(Error::KeyringTimeout)));
        assert!(started.elapsed() < Duration::from_millis(400));
    }
}
