//! Accounts and signing in.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{AccountConfig, DataDirs};

/// An account Keepwatch knows; its credentials stay in the OS keyring and never reach a front
/// end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountSummary {
    /// The core's local id for the account, `<email>@<host[:port]>` (pass it to `--account`).
    pub id: String,
    /// Base URL of the account service, e.g. `https://exchange.example`.
    pub server_url: String,
    /// The account's email.
    pub email: String,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// Whether Keepwatch keeps the account's sign-in across restarts ("remember this account").
    pub remembered: bool,
    /// Whether this is the account the views show when none is named.
    pub active: bool,
    /// Whether the core holds a session for it now.
    pub signed_in: bool,
    /// Keepwatch's own session on the server, while signed in.
    pub session_id: Option<String>,
    /// The account's history database on this machine.
    pub history_path: String,
    /// The kind of account system it is on.
    pub provider: crate::provider::ProviderKind,
    /// What that system offers besides sessions, so that views offer only that.
    pub capabilities: crate::provider::Capabilities,
}

impl AccountSummary {
    /// The summary of `config`, active when its id is `active`.
    pub fn of(config: &AccountConfig, dirs: &DataDirs, active: Option<&str>) -> Self {
        Self {
            id: config.id.clone(),
            server_url: config.server.clone(),
            email: config.email.clone(),
            added_at: config.added_at,
            remembered: config.remember,
            active: active == Some(config.id.as_str()),
            signed_in: config.session_id.is_some(),
            session_id: config.session_id.clone(),
            history_path: dirs.history_file(&config.id).display().to_string(),
            provider: config.provider,
            capabilities: config.provider.capabilities(),
        }
    }
}

/// How one account stands (`keepwatch status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountStatus {
    /// The account.
    pub account: AccountSummary,
    /// How its sync stands.
    pub status: super::SyncStatus,
    /// Sessions active now, as last known.
    pub active_sessions: u32,
    /// Alerts still undecided (open or acknowledged).
    pub open_alerts: u32,
    /// The event cursor: the last account event recorded.
    pub last_event_id: u64,
}

/// Where this Keepwatch keeps things, for the About page and bug reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct About {
    /// Keepwatch's version.
    pub version: String,
    /// The folder of the desktop app's log files: what a user sends with a bug report. No
    /// secret is ever logged.
    pub log_dir: String,
    /// The configuration file.
    pub config_file: String,
    /// The folder of the histories.
    pub data_dir: String,
}

/// What signing in did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SignedIn {
    /// The account signed in (now the active one).
    pub account: AccountSummary,
    /// Sessions found on the account.
    pub sessions: u32,
    /// Alerts raised by the first look.
    pub alerts: u32,
}

/// What the sign-in form (or `keepwatch login`) sends. The password and codes go straight to
/// the core and are wiped once used.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SignInRequest {
    /// The account service's base URL.
    pub server_url: String,
    /// The account's email.
    pub email: String,
    /// The password; used once, never stored.
    pub password: String,
    /// The TOTP code, asked for after a first attempt answers `totp_required`.
    pub totp_code: Option<String>,
    /// A backup code instead of a TOTP code.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub backup_code: Option<String>,
    /// A PEM file of the CA that signed a self-hosted server's certificate.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub ca_cert: Option<PathBuf>,
    /// "Remember this account": keep the sign-in in the OS keyring across restarts.
    pub remember: bool,
    /// "Trust this computer": skip the 2FA prompt here for the server's trusted-device period.
    pub trust_device: bool,
    /// "The sessions signed in now are mine": they become part of what is familiar, rather
    /// than being judged like a new sign-in.
    pub trust_existing: bool,
    /// The kind of account system; none means the Keepwatch API. For Matrix, `email` holds
    /// the user name (`ann`, or `@ann:example.org`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub provider: Option<crate::provider::ProviderKind>,
}

impl Drop for SignInRequest {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.password.zeroize();
        self.totp_code.zeroize();
        self.backup_code.zeroize();
    }
}

// Hand-written so that a stray `{:?}` can never print the password or code.
impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("server_url", &self.server_url)
            .field("email", &self.email)
            .field("remember", &self.remember)
            .field("trust_device", &self.trust_device)
            .field("trust_existing", &self.trust_existing)
            .finish_non_exhaustive()
    }
}

/// What `./run demo` asks the sign-in form to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DemoDefaults {
    /// The demo server's URL.
    pub server_url: String,
    /// The demo account.
    pub email: String,
    /// The demo account's published password (not a secret); `None` when the terminal shows
    /// it instead.
    pub password: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_request_never_prints_its_password_or_code() {
        let r: SignInRequest = serde_json::from_value(serde_json::json!({
            "server_url": "http://127.0.0.1:1", "email": "a@b.c", "password": "hunter2hunter2",
            "totp_code": "123456", "remember": true, "trust_device": false,
            "trust_existing": true
        }))
        .unwrap();
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("123456"),
            "{shown}"
        );
        assert!(shown.contains("trust_existing: true"), "{shown}");
    }
}

/// What kind of account system answers at an address the user typed (a server URL, or a
/// Matrix ID such as `@ann:example.org`), for the sign-in form to say and adapt to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProviderFound {
    /// The kind.
    pub provider: crate::provider::ProviderKind,
    /// The server to sign in to: the address typed, or the homeserver a Matrix ID's
    /// `.well-known` names.
    pub server_url: String,
    /// The user name a Matrix ID carried, to fill in.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub user: Option<String>,
    /// Whether Keepwatch can sign in there: `false` for homeservers that sign in only through
    /// OAuth 2.0 or single sign-on, which Keepwatch does not support yet.
    pub sign_in_supported: bool,
}
