//! Security settings: IP blocklist, session length, trusted devices, sign-in history.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::{Device, Location, Network};

/// One blocked address or range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct BlocklistEntry {
    /// Stable id, used to remove it.
    pub id: String,
    /// The range in canonical CIDR form: `"203.0.113.7/32"`, `"2001:db8::/48"`.
    pub cidr: String,
    /// Why it was added, in the user's words.
    pub note: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// `POST /v1/security/ip-blocklist` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct NewBlocklistEntry {
    /// An IPv4 or IPv6 address, or a CIDR range of either.
    pub address: String,
    /// Why it is being added (at most 200 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// The longest blocklist note the server accepts, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// `GET`/`PUT /v1/security/session-length`: how long idle sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct SessionLength {
    /// Idle days before a web or desktop session expires (1–30, default 30).
    pub web_idle_days: u32,
    /// Idle days before a mobile app session expires (1–90, default 90).
    pub mobile_idle_days: u32,
}

impl SessionLength {
    /// Allowed `web_idle_days`.
    pub const WEB_RANGE: std::ops::RangeInclusive<u32> = 1..=30;
    /// Allowed `mobile_idle_days`.
    pub const MOBILE_RANGE: std::ops::RangeInclusive<u32> = 1..=90;
}

impl Default for SessionLength {
    fn default() -> Self {
        Self {
            web_idle_days: 30,
            mobile_idle_days: 90,
        }
    }
}

/// Hours a web session lives without "remember me".
pub const NO_REMEMBER_ME_HOURS: i64 = 12;

/// A device that skips the 2FA prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct TrustedDevice {
    /// Stable id, used to forget it.
    pub id: String,
    /// What it is.
    pub device: Device,
    /// The address it was trusted from.
    pub ip: String,
    /// Where that address is, roughly.
    pub location: Location,
    /// When it was trusted.
    pub created_at: DateTime<Utc>,
    /// When it stops skipping 2FA.
    pub expires_at: DateTime<Utc>,
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    /// Signed in.
    Success,
    /// Wrong password.
    InvalidCredentials,
    /// Password right, 2FA code missing.
    TotpRequired,
    /// Password right, 2FA code wrong.
    InvalidTotp,
    /// Refused because the account was locked.
    AccountLocked,
    /// Refused because the address is blocked.
    IpBlocked,
    /// An outcome this version of the contract does not know.
    #[serde(other)]
    Unknown,
}

/// One sign-in attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct LoginAttempt {
    /// Stable id.
    pub id: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// How it ended.
    pub outcome: LoginOutcome,
    /// The session it opened, when it succeeded.
    pub session_id: Option<String>,
    /// The address it came from.
    pub ip: String,
    /// What it came from.
    pub device: Device,
    /// Whose network the address belongs to.
    pub network: Network,
    /// Where the address is, roughly.
    pub location: Location,
}
