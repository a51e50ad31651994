//! The plain configuration file: accounts (server URL, email) and preferences. No secret ever
//! goes here; the refresh token is in the keyring.

use std::path::{Path, PathBuf};

use keepwatch_api::Timestamp;
use keepwatch_detector::Severity;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where each platform keeps an application's logs: `~/.local/state/keepwatch/logs` (XDG state)
/// on Linux, `~/Library/Logs/Keepwatch` on macOS, `%LOCALAPPDATA%\Keepwatch\keepwatch\logs`
/// on Windows.
fn platform_log_dir(dirs: &directories::ProjectDirs) -> PathBuf {
    if cfg!(target_os = "macos") {
        if let Some(base) = directories::BaseDirs::new() {
            return base.home_dir().join("Library/Logs/Keepwatch");
        }
    }
    dirs.state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .join("logs")
}

/// Environment variable that moves config and history into one folder.
pub const DATA_DIR_ENV: &str = "KEEPWATCH_DATA_DIR";

/// The environment variable naming a folder of location data ([`DataDirs::geo_dir`]).
pub const GEO_DIR_ENV: &str = "KEEPWATCH_GEO_DIR";

/// Where the configuration file and the history databases live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDirs {
    /// Folder of `config.json`.
    pub config_dir: PathBuf,
    /// Folder of `history/`.
    pub data_dir: PathBuf,
    /// Folder of the desktop app's log files (the platform's place for logs).
    pub log_dir: PathBuf,
}

impl DataDirs {
    /// `dir` for both, when given; else [`DATA_DIR_ENV`]; else the platform's folders
    /// (`~/.config/keepwatch` and `~/.local/share/keepwatch` on Linux).
    pub fn resolve(dir: Option<PathBuf>) -> Result<Self> {
        let dir = dir.or_else(|| {
            std::env::var_os(DATA_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        if let Some(dir) = dir {
            return Ok(Self::single(dir));
        }
        let dirs =
            directories::ProjectDirs::from("dev", "Keepwatch", "keepwatch").ok_or_else(|| {
                Error::Config {
                    path: String::new(),
                    reason: "no home folder to keep configuration in; set KEEPWATCH_DATA_DIR"
                        .into(),
                }
            })?;
        Ok(Self {
            config_dir: dirs.config_dir().to_path_buf(),
            data_dir: dirs.data_dir().to_path_buf(),
            log_dir: platform_log_dir(&dirs),
        })
    }

    /// One folder for everything (logs in its `logs/`).
    pub fn single(dir: PathBuf) -> Self {
        Self {
            config_dir: dir.clone(),
            log_dir: dir.join("logs"),
            data_dir: dir,
        }
    }

    /// The configuration file.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.json")
    }

    /// The history database of an account.
    pub fn history_file(&self, account_id: &str) -> PathBuf {
        self.data_dir
            .join("history")
            .join(format!("{}.sqlite3", file_stem(account_id)))
    }

    /// Where earlier builds kept the history of an account (see [`DataDirs::history_file`]).
    pub fn legacy_history_file(&self, account_id: &str) -> PathBuf {
        self.data_dir
            .join("history")
            .join(format!("{}.sqlite3", legacy_file_stem(account_id)))
    }

    /// The folder of location data (DB-IP Lite `.mmdb` files, or CSV for ISPs) that places
    /// the addresses of providers which do not place them themselves (Matrix):
    /// [`GEO_DIR_ENV`] when set, else `geo/` in the data folder.
    pub fn geo_dir(&self) -> PathBuf {
        std::env::var_os(GEO_DIR_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| self.data_dir.join("geo"))
    }

    /// The file locked while an account's token is refreshed (see
    /// [`crate::client::ClientOptions::refresh_lock_file`]).
    pub fn refresh_lock_file(&self, account_id: &str) -> PathBuf {
        self.data_dir
            .join("locks")
            .join(format!("{}.refresh.lock", file_stem(account_id)))
    }
}

/// An account id made safe as a file name, and one name per id: letters, digits, `.`, `-`
/// and `@` stay; every other byte becomes `_` and two hex digits (`:` is `_3a`, `_` is `_5f`),
/// so no two accounts share a history and no id reaches outside the folder.
fn file_stem(account_id: &str) -> String {
    let mut stem = String::with_capacity(account_id.len());
    for c in account_id.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@') {
            stem.push(c);
        } else {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                stem.push_str(&format!("_{b:02x}"));
            }
        }
    }
    stem
}

/// The file name earlier builds gave an account's history: lossy (`a#b@x` and `a_b@x`
/// met), so kept only to find and rename old histories.
fn legacy_file_stem(account_id: &str) -> String {
    account_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// One account Keepwatch watches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountConfig {
    /// `<email>@<server host[:port]>`; also the keyring user name.
    pub id: String,
    /// The server's base URL.
    pub server: String,
    /// The account's email.
    pub email: String,
    /// When it was added.
    pub added_at: Timestamp,
    /// The session Keepwatch itself holds on the server.
    #[serde(default)]
    pub session_id: Option<String>,
    /// A PEM file of the CA that signed the server's certificate, for self-hosted servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// Whether the sign-in outlives Keepwatch: its tokens go to the keyring. When not, they
    /// stay in memory and the user signs in again after a restart.
    #[serde(default = "remembered_by_default")]
    pub remember: bool,
    /// The kind of account system (accounts saved before Matrix were all Keepwatch API).
    #[serde(default)]
    pub provider: crate::provider::ProviderKind,
}

// Accounts saved before the choice existed were all kept in the keyring.
fn remembered_by_default() -> bool {
    true
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Seconds between polls when the event stream is unavailable.
    pub poll_interval_secs: u64,
    /// Whether `watch` shows desktop notifications.
    pub notifications: bool,
    /// Until when foreign sign-ins are expected (the user is travelling).
    pub travel_mode_until: Option<Timestamp>,
    /// The desktop app's language (`"en"`, `"ar"`); `None` follows the system.
    pub language: Option<String>,
    /// Alerts below this severity are listed but not notified.
    pub notify_min_severity: Severity,
    /// Whether notifications play a sound.
    pub notification_sound: bool,
    /// Whether the desktop app starts at login.
    pub start_at_login: bool,
    /// No notifications until then ("pause alerts for an hour"); alerts are still recorded.
    pub notifications_paused_until: Option<Timestamp>,
    /// A folder of location data kept up to date by something else (MaxMind's
    /// `geoipupdate`, a DB-IP download), read before Keepwatch's own.
    pub location_data_folder: Option<PathBuf>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            poll_interval_secs: 30,
            notifications: true,
            travel_mode_until: None,
            language: None,
            notify_min_severity: Severity::Warning,
            notification_sound: true,
            start_at_login: false,
            notifications_paused_until: None,
            location_data_folder: None,
        }
    }
}

/// The copy of the configuration file kept beside it, written after every save, which stands
/// in when the file itself is found damaged.
pub fn last_good_file(config_file: &Path) -> PathBuf {
    config_file.with_extension("last-good.json")
}

/// The file locked while the configuration is changed.
fn lock_file(config_file: &Path) -> PathBuf {
    config_file.with_extension("json.lock")
}

/// A damaged configuration file found and put aside by [`Config::open`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigRecovery {
    /// Where the damaged file is now.
    pub damaged: PathBuf,
    /// Why it could not be read.
    pub reason: String,
    /// Whether the last good copy was restored (else Keepwatch starts with no accounts).
    pub restored: bool,
}

impl ConfigRecovery {
    /// One line for a person.
    pub fn message(&self) -> String {
        let outcome = if self.restored {
            "the last good copy was restored"
        } else {
            "no good copy was found, so Keepwatch starts with no accounts: sign in again"
        };
        format!(
            "the configuration file could not be read ({}); it was moved to {} and {outcome}",
            self.reason,
            self.damaged.display()
        )
    }
}

/// The configuration file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Accounts, in the order they were added.
    pub accounts: Vec<AccountConfig>,
    /// Preferences shared by all accounts.
    pub preferences: Preferences,
}

impl Config {
    /// Reads `path`; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Config {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Reads `path` as [`Config::load`] does, but a damaged file does not stop Keepwatch: it is
    /// moved aside and the last good copy beside it (see [`last_good_file`]) stands in, or an
    /// empty configuration when there is none. The keyring is not touched, so signing in again
    /// finds the account's tokens where they were.
    pub fn open(path: &Path) -> Result<(Self, Option<ConfigRecovery>)> {
        if let Ok(config) = Self::load(path) {
            return Ok((config, None));
        }
        // Damaged (or unreadable): recover under the lock, so that two processes starting
        // together do not both move it aside.
        let _lock = crate::files::lock_exclusive(&lock_file(path))?;
        Self::open_locked(path)
    }

    fn open_locked(path: &Path) -> Result<(Self, Option<ConfigRecovery>)> {
        let reason = match Self::load(path) {
            Ok(config) => return Ok((config, None)),
            Err(Error::Config { reason, .. }) => reason,
            Err(e) => return Err(e),
        };
        let damaged = crate::files::move_aside(path, &[])?;
        let backup = last_good_file(path);
        let (config, restored) = match Self::load(&backup) {
            Ok(config) if backup.exists() => (config, true),
            _ => (Self::default(), false),
        };
        if restored {
            config.save(path)?;
        }
        let recovery = ConfigRecovery {
            damaged,
            reason,
            restored,
        };
        tracing::warn!("{}", recovery.message());
        Ok((config, Some(recovery)))
    }

    /// Writes `path` so that it is whole after any crash (see [`crate::files::write_atomic`]),
    /// private to the user, and copied to the last good file beside it.
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        crate::files::create_private_dir(dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Config {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        crate::files::write_atomic(path, &json)?;
        crate::files::write_atomic(&last_good_file(path), &json)
    }

    /// Changes the configuration on disk under an exclusive lock: reads what is there now
    /// (another process may have changed it), applies `change`, writes it back. The desktop
    /// app and CLI commands run side by side, and neither may overwrite the other's change.
    pub fn update<T>(
        path: &Path,
        change: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<(Self, T)> {
        let _lock = crate::files::lock_exclusive(&lock_file(path))?;
        let (mut config, _) = Self::open_locked(path)?;
        let value = change(&mut config)?;
        config.save(path)?;
        Ok((config, value))
    }

    /// The account named by `selector` (`<email>@<server>` or, when unique, `<email>`), or the
    /// only account when `selector` is `None`.
    pub fn select(&self, selector: Option<&str>) -> Result<&AccountConfig> {
        match selector {
            Some(s) => {
                if let Some(a) = self.accounts.iter().find(|a| a.id == s) {
                    return Ok(a);
                }
                let by_email: Vec<_> = self.accounts.iter().filter(|a| a.email == s).collect();
                match by_email.as_slice() {
                    [one] => Ok(one),
                    [] => Err(Error::UnknownAccount(s.to_owned())),
                    _ => Err(Error::AmbiguousAccount(self.ids())),
                }
            }
            None => match self.accounts.as_slice() {
                [] => Err(Error::NoAccount),
                [one] => Ok(one),
                _ => Err(Error::AmbiguousAccount(self.ids())),
            },
        }
    }

    fn ids(&self) -> String {
        self.accounts
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, email: &str) -> AccountConfig {
        AccountConfig {
            id: id.into(),
            server: "https://x".into(),
            email: email.into(),
            added_at: chrono::Utc::now(),
            session_id: None,
            ca_cert: None,
            remember: true,
            provider: Default::default(),
        }
    }

    /// A config file written before the desktop app's preferences existed still loads, with
    /// the defaults for what it lacks.
    #[test]
    fn older_preferences_load_with_defaults_for_new_fields() {
        let c: Config = serde_json::from_str(
            r#"{"accounts":[],"preferences":{"poll_interval_secs":5,"notifications":false}}"#,
        )
        .unwrap();
        assert_eq!(c.preferences.poll_interval_secs, 5);
        assert!(!c.preferences.notifications);
        assert_eq!(c.preferences.notify_min_severity, Severity::Warning);
        assert!(c.preferences.notification_sound);
        assert!(!c.preferences.start_at_login);
        assert_eq!(c.preferences.language, None);
    }

    #[test]
    fn selects_by_id_by_unique_email_or_the_only_one() {
        let mut c = Config::default();
        assert!(matches!(c.select(None), Err(Error::NoAccount)));
        c.accounts.push(account("a@x@s1", "a@x"));
        assert_eq!(c.select(None).unwrap().id, "a@x@s1");
        c.accounts.push(account("a@x@s2", "a@x"));
        assert!(matches!(c.select(None), Err(Error::AmbiguousAccount(_))));
        assert!(matches!(
            c.select(Some("a@x")),
            Err(Error::AmbiguousAccount(_))
        ));
        assert_eq!(c.select(Some("a@x@s2")).unwrap().id, "a@x@s2");
        assert!(matches!(
            c.select(Some("b@x")),
            Err(Error::UnknownAccount(_))
        ));
    }

    #[test]
    fn round_trips_through_a_file_and_history_names_are_safe() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = DataDirs::single(dir.path().to_path_buf());
        let mut c = Config::default();
        c.accounts.push(account("a@x@127.0.0.1:80", "a@x"));
        c.save(&dirs.config_file()).unwrap();
        assert_eq!(Config::load(&dirs.config_file()).unwrap(), c);
        let h = dirs.history_file("../a@x@[::1]:80");
        assert_eq!(h.parent().unwrap(), dir.path().join("history"));
        assert_eq!(
            h.file_name().unwrap(),
            ".._2fa@x@_5b_3a_3a1_5d_3a80.sqlite3"
        );
    }

    #[test]
    fn no_two_accounts_share_a_history() {
        let dirs = DataDirs::single(PathBuf::from("/kw"));
        let ids = [
            "a#b@x@h:1",
            "a_b@x@h:1",
            "a@b_x@h:1",
            "a@b@x@h:1",
            "ann@example.com@h:1",
            "ann@example.com@h_3a1",
            "zoë@x@h:1",
            "zo_c3_ab@x@h:1",
        ];
        let names: std::collections::HashSet<PathBuf> =
            ids.iter().map(|id| dirs.history_file(id)).collect();
        assert_eq!(names.len(), ids.len(), "{names:?}");
        // The old names met: that is why they are only read to migrate.
        assert_eq!(
            dirs.legacy_history_file("a#b@x@h:1"),
            dirs.legacy_history_file("a_b@x@h:1")
        );
    }
}
