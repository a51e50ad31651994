//! Signing in, refreshing tokens, signing out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which kind of client opened a session; it decides the session's idle lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// A web browser: idle lifetime `web_idle_days`.
    Web,
    /// The installed mobile web app: idle lifetime `mobile_idle_days`.
    MobilePwa,
    /// A desktop companion such as Keepwatch: idle lifetime `web_idle_days`.
    Desktop,
}

impl ClientKind {
    /// The wire name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientKind::Web => "web",
            ClientKind::MobilePwa => "mobile_pwa",
            ClientKind::Desktop => "desktop",
        }
    }
}

/// `POST /v1/auth/login` body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's email address.
    pub email: String,
    /// The account's password.
    pub password: String,
    /// A 6-digit TOTP code, when the account has 2FA and this device is not trusted.
    #[serde(default)]
    pub totp_code: Option<String>,
    /// A one-time backup code, instead of a TOTP code.
    #[serde(default)]
    pub backup_code: Option<String>,
    /// Keep the session for its full idle lifetime; without it a web session ends after 12 hours.
    #[serde(default)]
    pub remember_me: bool,
    /// Which kind of client is signing in.
    pub client: ClientKind,
    /// Mark this device as trusted after a successful 2FA sign-in, so that it skips the 2FA
    /// prompt for [`TRUSTED_DEVICE_DAYS`] days.
    #[serde(default)]
    pub trust_device: bool,
    /// The trusted-device token received earlier, which skips the 2FA prompt while valid.
    #[serde(default)]
    pub device_token: Option<String>,
}

// Hand-written so that a stray `{:?}` can never print a password or code.
impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("remember_me", &self.remember_me)
            .field("client", &self.client)
            .field("trust_device", &self.trust_device)
            .finish_non_exhaustive()
    }
}

/// How long a trusted device skips the 2FA prompt.
pub const TRUSTED_DEVICE_DAYS: i64 = 30;

/// The answer to a successful sign-in or refresh.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct TokenPair {
    /// Bearer token for API calls; short-lived.
    pub access_token: String,
    /// Single-use token that buys the next pair; rotating it ends the old one.
    pub refresh_token: String,
    /// Always `"Bearer"`.
    pub token_type: String,
    /// Seconds until `access_token` expires.
    pub expires_in: u64,
    /// The session these tokens belong to.
    pub session_id: String,
    /// A trusted-device token, when the sign-in asked for `trust_device`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/auth/refresh` body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The latest refresh token. Presenting one that was already rotated revokes the session.
    pub refresh_token: String,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshRequest { .. }")
    }
}
