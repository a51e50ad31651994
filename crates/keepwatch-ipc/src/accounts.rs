//! Accounts and signing in.

use keepwatch_core::views::AccountView;
use serde::{Deserialize, Serialize};

/// An account Keepwatch knows; its credentials stay in the OS keyring and never reach the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountSummary {
    /// The core's local id for the account (not the server's).
    pub id: String,
    /// Base URL of the account service, e.g. `https://exchange.example`.
    pub server_url: String,
    /// The account's email.
    pub email: String,
    /// Whether Keepwatch keeps the account's sign-in across restarts ("remember this account").
    pub remembered: bool,
    /// Whether this is the account the views show.
    pub active: bool,
    /// Whether the core holds a session for it now.
    pub signed_in: bool,
}

impl AccountSummary {
    /// The summary of `view`, active when its id is `active`.
    pub fn of(view: &AccountView, active: Option<&str>) -> Self {
        Self {
            id: view.id.clone(),
            server_url: view.server.clone(),
            email: view.email.clone(),
            remembered: view.remembered,
            active: active == Some(view.id.as_str()),
            signed_in: view.session_id.is_some(),
        }
    }
}

/// What the sign-in form sends. The password and TOTP code go straight to the core.
#[derive(Clone, Deserialize)]
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
    /// "Remember this account": keep the sign-in in the OS keyring across restarts.
    pub remember: bool,
    /// "Trust this computer": skip the 2FA prompt here for the server's trusted-device period.
    pub trust_device: bool,
    /// "The sessions signed in now are mine": they become part of what is familiar, rather
    /// than being judged like a new sign-in.
    pub trust_existing: bool,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
