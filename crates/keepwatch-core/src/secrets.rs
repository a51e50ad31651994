//! Where the refresh token lives: the OS keyring, and nowhere else on disk.
//!
//! An account signed in without "remember this account" keeps its secrets in this process's
//! memory instead, so they end when Keepwatch quits.
//!
//! The `keyring` crate is blocking and a locked keyring can wait forever on an unlock prompt,
//! so every call runs on a blocking thread under a timeout.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::error::{Error, Result};

/// The keyring service name of every Keepwatch entry.
pub const KEYRING_SERVICE: &str = "keepwatch";

/// How long a keyring call may take before the core gives up on it.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

/// What follows the account id in the key of its trusted-device token.
const DEVICE_TOKEN_SUFFIX: &str = "#device-token";

/// The key of an account's trusted-device token (the refresh token's key is the account id).
///
/// Keys stay readable in the platform's keyring viewer, and they decode without ambiguity
/// whatever the email holds (`#` and `@` are legal in one): an account id always ends in
/// `@<host[:port]>`, which has no `#`, so only a device-token key ends in the suffix.
pub fn device_token_key(account: &str) -> String {
    format!("{account}{DEVICE_TOKEN_SUFFIX}")
}

/// The account a secret's key belongs to.
fn owner(key: &str) -> &str {
    key.strip_suffix(DEVICE_TOKEN_SUFFIX).unwrap_or(key)
}

/// A place for secrets, keyed by account id (see [`device_token_key`]). Blocking.
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

    /// Runs `call` while no other keyring call of this process runs. Each call is a D-Bus
    /// connection and Secret Service session of its own, and gnome-keyring-daemon can abort
    /// on a burst of them (a known race: issues 190, 196 and 199 of gnome-keyring on GNOME's
    /// GitLab), taking every secret of the session with it; several engines starting at once
    /// would make such a burst.
    fn one_at_a_time<T>(call: impl FnOnce() -> T) -> T {
        static KEYRING: Mutex<()> = Mutex::new(());
        let _turn = KEYRING.lock().unwrap_or_else(PoisonError::into_inner);
        call()
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    // keyring's messages name the platform failure, never the secret.
    Error::Keyring(e.to_string())
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<String>> {
        let entry = Self::entry(account)?;
        match Self::one_at_a_time(|| entry.get_password()) {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        let entry = Self::entry(account)?;
        Self::one_at_a_time(|| entry.set_password(secret)).map_err(keyring_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        let entry = Self::entry(account)?;
        match Self::one_at_a_time(|| entry.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// Secrets of the accounts that are not to be remembered, which never reach the store.
#[derive(Debug, Default)]
struct InMemory {
    accounts: HashSet<String>,
    secrets: HashMap<String, String>,
}

/// Async access to a [`SecretStore`]: each call on a blocking thread, under a timeout.
/// Clones share the store and the in-memory secrets.
#[derive(Clone)]
pub struct Secrets {
    store: Arc<dyn SecretStore>,
    timeout: Duration,
    in_memory: Arc<Mutex<InMemory>>,
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
            in_memory: Arc::default(),
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

    fn memory(&self) -> std::sync::MutexGuard<'_, InMemory> {
        self.in_memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `account`'s secrets in this process only, from now on: "remember this account"
    /// was not chosen. The store's copies are left to [`Secrets::forget_stored`].
    pub fn hold_in_memory(&self, account: &str) {
        self.memory().accounts.insert(account.to_owned());
    }

    /// Keeps `account`'s secrets in the store again; copies held in memory are kept (unused)
    /// until [`Secrets::persist`].
    pub fn release(&self, account: &str) {
        self.memory().accounts.remove(account);
    }

    /// Keeps `account`'s secrets in the store again, dropping any held in memory.
    pub fn persist(&self, account: &str) {
        let mut memory = self.memory();
        memory.accounts.remove(account);
        memory.secrets.retain(|key, _| owner(key) != account);
    }

    /// Whether `account`'s secrets stay in memory.
    pub fn is_held_in_memory(&self, account: &str) -> bool {
        self.memory().accounts.contains(account)
    }

    /// Deletes the store's copies of `account`'s secrets, wherever its secrets are kept now.
    pub async fn forget_stored(&self, account: &str) -> Result<()> {
        for key in [account.to_owned(), device_token_key(account)] {
            self.run(move |s| s.delete(&key)).await?;
        }
        Ok(())
    }

    /// The secret under `key`.
    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        {
            let memory = self.memory();
            if memory.accounts.contains(owner(key)) {
                return Ok(memory.secrets.get(key).cloned());
            }
        }
        let key = key.to_owned();
        self.run(move |s| s.get(&key)).await
    }

    /// Stores the secret under `key`.
    pub async fn set(&self, key: &str, secret: &str) -> Result<()> {
        {
            let mut memory = self.memory();
            if memory.accounts.contains(owner(key)) {
                memory.secrets.insert(key.to_owned(), secret.to_owned());
                return Ok(());
            }
        }
        let key = key.to_owned();
        let secret = secret.to_owned();
        self.run(move |s| s.set(&key, &secret)).await
    }

    /// Forgets the secret under `key`.
    pub async fn delete(&self, key: &str) -> Result<()> {
        {
            let mut memory = self.memory();
            if memory.accounts.contains(owner(key)) {
                memory.secrets.remove(key);
                return Ok(());
            }
        }
        let key = key.to_owned();
        self.run(move |s| s.delete(&key)).await
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

    #[tokio::test]
    async fn an_account_held_in_memory_never_reaches_the_store() {
        let store = Arc::new(MemoryStore::default());
        let secrets = Secrets::new(store.clone());
        secrets.set("kept@x", "r1").await.unwrap();
        secrets.hold_in_memory("brief@x");
        let copy = secrets.clone();
        copy.set("brief@x", "r2").await.unwrap();
        copy.set(&device_token_key("brief@x"), "d2").await.unwrap();
        assert_eq!(secrets.get("brief@x").await.unwrap().as_deref(), Some("r2"));
        assert_eq!(
            secrets
                .get(&device_token_key("brief@x"))
                .await
                .unwrap()
                .as_deref(),
            Some("d2")
        );
        assert_eq!(*store.log.lock().unwrap(), ["set kept@x"]);
        secrets.persist("brief@x");
        assert_eq!(
            secrets.get("brief@x").await.unwrap(),
            None,
            "memory dropped"
        );
        secrets.set("brief@x", "r3").await.unwrap();
        assert_eq!(*store.log.lock().unwrap(), ["set kept@x", "set brief@x"]);
    }

    #[tokio::test]
    async fn any_email_keeps_its_secrets_apart() {
        // `#` and `@` are legal in an email's local part; a key must still name one account.
        let odd = [
            "a#b@example.com@h:1",
            "x#device-token@h:1",
            "\"q@r\"@example.com@h:1",
        ];
        let store = Arc::new(MemoryStore::default());
        let secrets = Secrets::new(store.clone());
        for account in odd {
            assert_eq!(owner(account), account);
            assert_eq!(owner(&device_token_key(account)), account);
            secrets.hold_in_memory(account);
            secrets.set(account, "refresh").await.unwrap();
            secrets
                .set(&device_token_key(account), "device")
                .await
                .unwrap();
        }
        assert!(
            store.log.lock().unwrap().is_empty(),
            "nothing of an unremembered account reached the store: {:?}",
            store.log.lock().unwrap()
        );
        secrets.persist("a#b@example.com@h:1");
        assert_eq!(secrets.get("a#b@example.com@h:1").await.unwrap(), None);
        assert_eq!(
            secrets.get("x#device-token@h:1").await.unwrap().as_deref(),
            Some("refresh"),
            "persisting one account leaves the others' memory alone"
        );
    }
}
