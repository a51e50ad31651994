//! The facade: accounts on this machine, signing in and out, and opening one account.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use keepwatch_api::{ClientKind, LoginRequest};

use crate::account::Account;
use crate::api::{AccountSummary, SignedIn};
use crate::client::{server_authority, validate_server_url, AccountClient, ClientOptions};
use crate::config::{AccountConfig, Config, DataDirs, Preferences};
use crate::config_store::ConfigStore;
use crate::error::{Error, Result};
use crate::geo_data::GeoShelf;
use crate::history::History;
use crate::provider::matrix::MatrixAccount;
use crate::provider::{Provider, ProviderKind};
use crate::secrets::{device_token_key, Secrets};

/// What signing in needs: the API's sign-in request, which the window and `keepwatch login`
/// send alike. The password and codes are used once and wiped.
pub use crate::api::SignInRequest as LoginParams;

/// Keepwatch on this machine: its configuration, keyring and histories.
pub struct Keepwatch {
    dirs: DataDirs,
    secrets: Secrets,
    options: ClientOptions,
    config: Arc<ConfigStore>,
    recoveries: Mutex<Vec<String>>,
    /// Location data for providers that do not place addresses themselves.
    geo: Arc<GeoShelf>,
}

impl std::fmt::Debug for Keepwatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keepwatch")
            .field("dirs", &self.dirs)
            .finish_non_exhaustive()
    }
}

/// The account id of `email` on `server`: `<email>@<host[:port]>`, also the keyring user.
pub fn account_id(server: &str, email: &str) -> Result<String> {
    let url = validate_server_url(server)?;
    Ok(format!("{}@{}", email.trim(), server_authority(&url)))
}

/// Where location data is read from: the folder chosen in the settings, if any, then
/// Keepwatch's own ([`DataDirs::geo_dir`], where downloads and imports go). The settings are
/// read as they are on disk, so a folder chosen in another process counts at once.
fn geo_folders(dirs: &DataDirs, config: &Arc<ConfigStore>) -> crate::geo_data::Folders {
    let own = dirs.geo_dir();
    let config = Arc::clone(config);
    Box::new(move || {
        // `get` reads the file again when another process changed it.
        let chosen = config.get().preferences.location_data_folder;
        chosen.into_iter().chain([own.clone()]).collect()
    })
}

/// A Matrix client for the homeserver at `server`.
fn matrix_client(server: &str) -> Result<keepwatch_matrix::MatrixClient> {
    keepwatch_matrix::MatrixClient::new(server, &keepwatch_matrix::ClientOptions::default())
        .map_err(crate::provider::matrix::from_matrix)
}

impl Keepwatch {
    /// Opens Keepwatch with data in `data_dir` (see [`DataDirs::resolve`]) and the platform
    /// keyring.
    pub fn open(data_dir: Option<PathBuf>) -> Result<Self> {
        Self::with_parts(
            DataDirs::resolve(data_dir)?,
            Secrets::keyring(),
            ClientOptions::default(),
        )
    }

    /// Opens Keepwatch with explicit parts.
    pub fn with_parts(dirs: DataDirs, secrets: Secrets, options: ClientOptions) -> Result<Self> {
        let (config, recovered) = ConfigStore::open(&dirs.config_file())?;
        for account in config.get().accounts.iter().filter(|a| !a.remember) {
            secrets.hold_in_memory(&account.id);
        }
        let config = Arc::new(config);
        let geo = Arc::new(GeoShelf::new(geo_folders(&dirs, &config)));
        Ok(Self {
            dirs,
            secrets,
            options,
            config,
            recoveries: Mutex::new(recovered.iter().map(|r| r.message()).collect()),
            geo,
        })
    }

    /// What Keepwatch had to repair since it was opened (a damaged configuration file or
    /// history moved aside), one line each, for the user to read; emptied by the call.
    pub fn take_recoveries(&self) -> Vec<String> {
        std::mem::take(&mut *self.recoveries.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Opens the history of `account_id`: renames one kept under the earlier file name, and
    /// moves a damaged one aside (noted in [`Keepwatch::take_recoveries`]) to start afresh,
    /// since the server still has the sessions and a history that cannot be read helps no one.
    fn open_history(&self, account_id: &str) -> Result<History> {
        let path = self.dirs.history_file(account_id);
        let legacy = self.dirs.legacy_history_file(account_id);
        if !path.exists() && legacy != path && legacy.exists() {
            crate::files::rename_with_companions(&legacy, &path, &["-wal", "-shm"])?;
        }
        let (history, moved) = History::open_or_recover(&path)?;
        if let Some(moved) = moved {
            let line = format!(
                "the history of {account_id} was damaged; it was moved to {} and a new one started (the server's sessions are read again)",
                moved.display()
            );
            tracing::warn!("{line}");
            self.recoveries
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(line);
        }
        Ok(history)
    }

    fn client_options(&self, account_id: &str, ca_cert: Option<&Path>) -> Result<ClientOptions> {
        let mut options = ClientOptions {
            refresh_lock_file: Some(self.dirs.refresh_lock_file(account_id)),
            ..self.options.clone()
        };
        if let Some(path) = ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                Error::io(format!("reading the CA certificate {}", path.display()), e)
            })?;
            options.extra_root_certificates.push(pem);
        }
        Ok(options)
    }

    /// The configuration as saved now (another process may have changed it).
    pub fn config(&self) -> Config {
        self.config.get()
    }

    /// The configuration's owner in this process, which notices other processes' changes.
    pub fn config_store(&self) -> &Arc<ConfigStore> {
        &self.config
    }

    /// Where config and history live.
    pub fn dirs(&self) -> &DataDirs {
        &self.dirs
    }

    /// The preferences.
    pub fn preferences(&self) -> Preferences {
        self.config().preferences
    }

    /// Changes the preferences and saves them.
    pub fn set_preferences(&self, prefs: Preferences) -> Result<()> {
        self.update_preferences(|p| *p = prefs)
    }

    /// Changes some preferences over those saved now, leaving the rest as another process
    /// may just have set them.
    pub fn update_preferences(&self, change: impl FnOnce(&mut Preferences)) -> Result<()> {
        self.config.update(|disk| {
            change(&mut disk.preferences);
            Ok(())
        })
    }

    /// Every account added, in the order they were added; `active` is the one shown when
    /// none is named.
    pub fn accounts(&self, active: Option<&str>) -> Vec<AccountSummary> {
        self.config()
            .accounts
            .iter()
            .map(|a| AccountSummary::of(a, &self.dirs, active))
            .collect()
    }

    /// Opens the account `selector` picks (see [`Config::select`]).
    pub fn account(&self, selector: Option<&str>) -> Result<Account> {
        let config = self.config().select(selector)?.clone();
        self.open_account(config)
    }

    fn open_account(&self, config: AccountConfig) -> Result<Account> {
        let history = self.open_history(&config.id)?;
        let provider = self.provider_for(&config, &history)?;
        Ok(Account::new(
            config,
            provider,
            history,
            Arc::clone(&self.config),
        ))
    }

    /// The connection to `config`'s account system; `history` seeds what it caches.
    fn provider_for(&self, config: &AccountConfig, history: &History) -> Result<Provider> {
        Ok(match config.provider {
            ProviderKind::KeepwatchApi => {
                let client = AccountClient::new(
                    &config.server,
                    config.id.clone(),
                    self.secrets.clone(),
                    self.client_options(&config.id, config.ca_cert.as_deref())?,
                )?;
                if let Some((etag, body)) = history.sessions_cache()? {
                    if let Ok(list) = serde_json::from_str(&body) {
                        client.seed_sessions_cache(etag, list);
                    }
                }
                Provider::KeepwatchApi(client)
            }
            ProviderKind::Matrix => Provider::Matrix(MatrixAccount::new(
                matrix_client(&config.server)?,
                config.email.clone(),
                config.session_id.clone().unwrap_or_default(),
                config.id.clone(),
                self.secrets.clone(),
                Arc::clone(&self.geo),
            )),
        })
    }

    /// Saves the account just signed in to: added, or replacing the one with its id (which
    /// keeps when it was first added). Returns the session of the sign-in it replaces.
    fn save_signed_in(&self, account: &AccountConfig) -> Result<Option<String>> {
        self.config.update(|disk| {
            let mut replaced = None;
            match disk.accounts.iter_mut().find(|a| a.id == account.id) {
                Some(existing) => {
                    replaced = existing.session_id.take();
                    *existing = AccountConfig {
                        added_at: existing.added_at,
                        ..account.clone()
                    };
                }
                None => disk.accounts.push(account.clone()),
            }
            Ok(replaced)
        })
    }

    /// The history of account `id` just signed in to, told on its first sign-in whether the
    /// sessions there now are the user's own.
    fn history_for_sign_in(&self, id: &str, trust_existing: bool) -> Result<History> {
        let history = self.open_history(id)?;
        if !history.initialised()? {
            history.set_trust_existing(trust_existing)?;
        }
        Ok(history)
    }

    /// Signs in, stores the refresh token in the keyring, adds (or updates) the account, and
    /// takes a first look at its sessions.
    pub async fn login(&self, params: LoginParams) -> Result<SignedIn> {
        if params.provider == Some(ProviderKind::Matrix) {
            return self.login_matrix(params).await;
        }
        let id = account_id(&params.server_url, &params.email)?;
        let url = validate_server_url(&params.server_url)?;
        let server = url.as_str().trim_end_matches('/').to_owned();
        let client = AccountClient::new(
            &server,
            id.clone(),
            self.secrets.clone(),
            self.client_options(&id, params.ca_cert.as_deref())?,
        )?;
        let device_key = device_token_key(&id);
        // A device token from an earlier "trust this computer" skips the 2FA prompt; it is
        // read before the remember choice below can move where secrets are kept.
        let device_token = self.secrets.get(&device_key).await?;
        // The tokens of this sign-in go where the user chose; a refused sign-in changes nothing.
        let was_held = self.secrets.is_held_in_memory(&id);
        if params.remember {
            self.secrets.release(&id);
        } else {
            self.secrets.hold_in_memory(&id);
            if let Some(token) = &device_token {
                self.secrets.set(&device_key, token).await?;
            }
        }
        let request = LoginRequest {
            email: params.email.trim().to_owned(),
            password: params.password.clone(),
            totp_code: params.totp_code.clone(),
            backup_code: params.backup_code.clone(),
            remember_me: params.remember,
            client: ClientKind::Desktop,
            trust_device: params.trust_device,
            device_token,
        };
        let pair = match client.login(&request).await {
            Ok(pair) => pair,
            Err(e) => {
                if was_held {
                    self.secrets.hold_in_memory(&id);
                } else {
                    self.secrets.release(&id);
                }
                return Err(e);
            }
        };
        if params.remember {
            self.secrets.persist(&id);
        } else {
            // An earlier remembered sign-in's tokens must not outlive this one's choice.
            self.secrets.forget_stored(&id).await?;
        }
        if let Some(token) = &pair.device_token {
            self.secrets.set(&device_key, token).await?;
        }
        let account = AccountConfig {
            id: id.clone(),
            server,
            email: params.email.trim().to_owned(),
            added_at: Utc::now(),
            session_id: Some(pair.session_id.clone()),
            ca_cert: params.ca_cert.clone(),
            remember: params.remember,
            provider: ProviderKind::KeepwatchApi,
        };
        let replaced = self.save_signed_in(&account)?;
        // Signing in again makes a new session; the one it replaces would otherwise stay on
        // the server, unused, listed as one more device.
        if let Some(old) = replaced.filter(|old| *old != pair.session_id) {
            match client.revoke_session(&old).await {
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => tracing::warn!(error = %e, "could not end the replaced session"),
            }
        }
        let history = self.history_for_sign_in(&id, params.trust_existing)?;
        let config = self.config().select(Some(&id))?.clone();
        let opened = Account::new(
            config,
            Provider::KeepwatchApi(client),
            history,
            Arc::clone(&self.config),
        );
        self.first_look(opened).await
    }

    /// Signs in to a Matrix homeserver with a password (`params.email` is the user name), as
    /// a new device named "Keepwatch on <host>"; its tokens go to the keyring.
    async fn login_matrix(&self, params: LoginParams) -> Result<SignedIn> {
        let client = matrix_client(&params.server_url)?;
        let server = client.base_url().as_str().trim_end_matches('/').to_owned();
        let user = params.email.trim().to_owned();
        // The keyring entry is named before the server says who signed in, so it is named
        // for what was typed; the account id then follows the server's user ID.
        let pending = account_id(&server, &user)?;
        let was_held = self.secrets.is_held_in_memory(&pending);
        if !params.remember {
            self.secrets.hold_in_memory(&pending);
        }
        let signed_in =
            MatrixAccount::login(&client, &user, &params.password, &pending, &self.secrets).await;
        let session = match signed_in {
            Ok(session) => session,
            Err(e) => {
                if !was_held {
                    self.secrets.release(&pending);
                }
                return Err(e);
            }
        };
        let id = account_id(&server, &session.user_id)?;
        if id != pending {
            let tokens = self.secrets.get(&pending).await?;
            if !params.remember {
                self.secrets.hold_in_memory(&id);
            }
            if let Some(tokens) = tokens {
                self.secrets.set(&id, &tokens).await?;
            }
            self.secrets.delete(&pending).await?;
            self.secrets.release(&pending);
        }
        if params.remember {
            self.secrets.persist(&id);
        }
        let account = AccountConfig {
            id: id.clone(),
            server,
            email: session.user_id.clone(),
            added_at: Utc::now(),
            session_id: Some(session.device_id.clone()),
            ca_cert: None,
            remember: params.remember,
            provider: ProviderKind::Matrix,
        };
        let replaced = self.save_signed_in(&account)?;
        let history = self.history_for_sign_in(&id, params.trust_existing)?;
        let config = self.config().select(Some(&id))?.clone();
        let provider = self.provider_for(&config, &history)?;
        let opened = Account::new(config, provider, history, Arc::clone(&self.config));
        if let Some(old) = replaced.filter(|old| *old != session.device_id) {
            // The device of the sign-in this one replaces would stay listed, unused; ending
            // it needs the password, which is at hand only now.
            match opened.provider().revoke(&old, Some(&params.password)).await {
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => tracing::warn!(error = %e, "could not end the replaced device"),
            }
        }
        self.first_look(opened).await
    }

    /// The first sync of an account just signed in to, and what it found.
    async fn first_look(&self, opened: Account) -> Result<SignedIn> {
        let id = opened.id().to_owned();
        let report = opened.sync().await?;
        let sessions = opened.db(|h| h.active_sessions()).await?.len();
        Ok(SignedIn {
            account: AccountSummary::of(opened.config(), &self.dirs, Some(&id)),
            sessions: u32::try_from(sessions).unwrap_or(u32::MAX),
            alerts: u32::try_from(report.new_alerts.len()).unwrap_or(u32::MAX),
        })
    }

    /// Ends, on the server, the sessions of accounts signed in without "remember this account",
    /// as Keepwatch quits: their tokens die with the process, so the sessions would otherwise
    /// linger unused until they expire. Best effort; the accounts and histories stay. Returns
    /// how many the server confirmed.
    pub async fn end_unremembered_sessions(&self) -> usize {
        let ids: Vec<String> = self
            .config()
            .accounts
            .iter()
            .filter(|a| !a.remember && a.session_id.is_some())
            .map(|a| a.id.clone())
            .collect();
        let mut ended = 0;
        for id in ids {
            let Ok(account) = self.account(Some(&id)) else {
                continue;
            };
            match account.provider().logout().await {
                Ok(()) => ended += 1,
                Err(e) => tracing::warn!(error = %e, "could not end an unremembered session"),
            }
            let _ = self.secrets.delete(&id).await;
        }
        ended
    }

    /// Signs out: ends the session on the server (best effort), forgets the refresh token, and
    /// removes the account; its history is deleted unless `keep_history`.
    pub async fn logout(&self, account: Account, keep_history: bool) -> Result<()> {
        match account.provider().logout().await {
            Ok(()) => {}
            Err(e) => tracing::warn!(error = %e, "the server did not confirm the sign-out"),
        }
        self.secrets.delete(account.id()).await?;
        self.secrets.delete(&device_token_key(account.id())).await?;
        let id = account.id().to_owned();
        drop(account);
        self.config.update(|disk| {
            disk.accounts.retain(|a| a.id != id);
            Ok(())
        })?;
        if !keep_history {
            let path = self.dirs.history_file(&id);
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("deleting history", e)),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::secrets::{MemoryStore, SecretStore};

    #[tokio::test]
    async fn logout_forgets_token_and_history_even_when_the_server_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let kw = Keepwatch::with_parts(
            DataDirs::single(dir.path().to_path_buf()),
            Secrets::new(store.clone()),
            ClientOptions {
                connect_timeout: Duration::from_secs(1),
                ..Default::default()
            },
        )
        .unwrap();
        // An account as `login` leaves it, on a server that no longer answers (port 1 is
        // closed on loopback).
        let id = account_id("http://127.0.0.1:1", "ann@example.com").unwrap();
        kw.config
            .update(|c| {
                c.accounts.push(ann(&id));
                Ok(())
            })
            .unwrap();
        History::open(&kw.dirs.history_file(&id)).unwrap();
        store.set(&id, "refresh-token").unwrap();

        let account = kw.account(None).unwrap();
        kw.logout(account, false).await.unwrap();

        assert!(store.secrets.lock().unwrap().is_empty());
        assert_eq!(
            *store.log.lock().unwrap(),
            vec![
                format!("set {id}"),
                format!("delete {id}"),
                format!("delete {id}#device-token")
            ],
            "nothing but the refresh and device tokens' deletes touched the store"
        );
        assert!(!kw.dirs.history_file(&id).exists());
        assert!(kw.accounts(None).is_empty());
        let reloaded = Config::load(&kw.dirs.config_file()).unwrap();
        assert!(reloaded.accounts.is_empty());
    }

    fn keepwatch_in(dir: &Path, store: Arc<MemoryStore>) -> Keepwatch {
        Keepwatch::with_parts(
            DataDirs::single(dir.to_path_buf()),
            Secrets::new(store),
            ClientOptions::default(),
        )
        .unwrap()
    }

    fn ann(id: &str) -> AccountConfig {
        AccountConfig {
            id: id.into(),
            server: "http://127.0.0.1:1".into(),
            email: "ann@example.com".into(),
            added_at: Utc::now(),
            session_id: Some("own".into()),
            ca_cert: None,
            remember: true,
            provider: Default::default(),
        }
    }

    #[test]
    fn a_truncated_configuration_is_put_aside_and_the_last_good_copy_restored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let id = account_id("http://127.0.0.1:1", "ann@example.com").unwrap();
        let file = DataDirs::single(dir.path().to_path_buf()).config_file();
        Config::update(&file, |c| {
            c.accounts.push(ann(&id));
            c.preferences.language = Some("ar".into());
            Ok(())
        })
        .unwrap();
        store.set(&id, "refresh-token").unwrap();
        let whole = std::fs::read(&file).unwrap();
        std::fs::write(&file, &whole[..whole.len() / 2]).unwrap();

        let kw = keepwatch_in(dir.path(), store.clone());
        assert_eq!(kw.accounts(None).len(), 1, "the account is back");
        assert_eq!(kw.preferences().language.as_deref(), Some("ar"));
        let notes = kw.take_recoveries();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("last good copy was restored"),
            "{}",
            notes[0]
        );
        assert_eq!(
            Config::load(&file).unwrap().accounts.len(),
            1,
            "rewritten whole"
        );
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "the damaged file is kept for a look");
        assert_eq!(
            store.secrets.lock().unwrap().get(&id).map(String::as_str),
            Some("refresh-token"),
            "the keyring entry survives"
        );
        assert!(!store
            .log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("delete")));
        assert!(kw.account(None).is_ok());
    }

    #[test]
    fn garbage_without_a_good_copy_starts_empty_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let file = DataDirs::single(dir.path().to_path_buf()).config_file();
        std::fs::write(&file, b"{\"accounts\": [{\"id\": ").unwrap();
        let kw = keepwatch_in(dir.path(), Arc::new(MemoryStore::default()));
        assert!(kw.accounts(None).is_empty());
        let notes = kw.take_recoveries();
        assert!(notes[0].contains("sign in again"), "{notes:?}");
    }

    #[test]
    fn a_change_made_by_another_process_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let kw = keepwatch_in(dir.path(), Arc::new(MemoryStore::default()));
        // The CLI, meanwhile, adds an account and turns travel mode on.
        let file = kw.dirs().config_file();
        let id = account_id("http://127.0.0.1:1", "ann@example.com").unwrap();
        Config::update(&file, |c| {
            c.accounts.push(ann(&id));
            c.preferences.travel_mode_until = Some(Utc::now());
            Ok(())
        })
        .unwrap();
        let mut prefs = kw.preferences();
        prefs.language = Some("ar".into());
        kw.set_preferences(prefs).unwrap();
        let disk = Config::load(&file).unwrap();
        assert_eq!(
            disk.accounts.len(),
            1,
            "the CLI's account survives the app's save"
        );
        assert_eq!(disk.preferences.language.as_deref(), Some("ar"));
        assert_eq!(kw.accounts(None).len(), 1);
    }

    #[test]
    fn a_damaged_history_is_moved_aside_and_a_fresh_one_opened() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::default());
        let id = account_id("http://127.0.0.1:1", "ann@example.com").unwrap();
        let dirs = DataDirs::single(dir.path().to_path_buf());
        Config::update(&dirs.config_file(), |c| {
            c.accounts.push(ann(&id));
            Ok(())
        })
        .unwrap();
        let path = dirs.history_file(&id);
        {
            let h = History::open(&path).unwrap();
            h.set_initialised().unwrap();
        }
        // Power loss or a bad disk: the middle of the file is garbage.
        let mut bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        for b in &mut bytes[len / 4..] {
            *b = 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();
        let _ = std::fs::remove_file(format!("{}-wal", path.display()));

        let kw = keepwatch_in(dir.path(), store);
        let account = kw.account(None).unwrap();
        let notes = kw.take_recoveries();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("was damaged"), "{}", notes[0]);
        let history = History::open(&path).unwrap();
        assert_eq!(history.integrity_check().unwrap(), ["ok"]);
        assert!(!history.initialised().unwrap(), "a fresh one");
        drop(account);
    }

    #[test]
    fn a_history_under_the_earlier_file_name_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let id = account_id("http://127.0.0.1:1", "ann_b@example.com").unwrap();
        let dirs = DataDirs::single(dir.path().to_path_buf());
        Config::update(&dirs.config_file(), |c| {
            c.accounts.push(ann(&id));
            Ok(())
        })
        .unwrap();
        History::open(&dirs.legacy_history_file(&id))
            .unwrap()
            .set_initialised()
            .unwrap();
        let kw = keepwatch_in(dir.path(), Arc::new(MemoryStore::default()));
        kw.account(None).unwrap();
        assert!(!dirs.legacy_history_file(&id).exists());
        let moved = History::open(&dirs.history_file(&id)).unwrap();
        assert!(moved.initialised().unwrap());
    }
}
