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
    /// An IPv4 or IPv6 address, or a CIDR range of either (host bits are cleared).
    #[schema(
        pattern = r"^((((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(/(3[0-2]|[12]?[0-9]))?|(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(:[0-9a-fA-F]{1,4}){1,6}|:((:[0-9a-fA-F]{1,4}){1,7}|:)|::([fF]{4}(:0{1,4})?:)?((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$"
    )]
    pub address: String,
    /// Why it is being added (at most 200 characters).
    #[serde(default)]
    #[schema(max_length = 200)]
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
    #[schema(minimum = 1, maximum = 30)]
    #[serde(deserialize_with = "whole_number")]
    pub web_idle_days: u32,
    /// Idle days before a mobile app session expires (1–90, default 90).
    #[schema(minimum = 1, maximum = 90)]
    #[serde(deserialize_with = "whole_number")]
    pub mobile_idle_days: u32,
}

/// A `u32` from any JSON number with no fraction: JSON Schema's `integer` includes `11.0`,
/// so a client that writes whole numbers as floats is still understood.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    use serde::de::Error;
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = match (number.as_u64(), number.as_f64()) {
        (Some(n), _) => u32::try_from(n).ok(),
        (None, Some(f)) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => {
            Some(f as u32)
        }
        _ => None,
    };
    whole.ok_or_else(|| D::Error::custom(format!("expected a whole number of days, got {number}")))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_length_takes_whole_numbers_written_as_floats() {
        let parsed: SessionLength =
            serde_json::from_str(r#"{"web_idle_days": 11.0, "mobile_idle_days": 2}"#).unwrap();
        assert_eq!((parsed.web_idle_days, parsed.mobile_idle_days), (11, 2));
        for bad in [
            r#"{"web_idle_days": 1.5, "mobile_idle_days": 2}"#,
            r#"{"web_idle_days": -1, "mobile_idle_days": 2}"#,
            r#"{"web_idle_days": "3", "mobile_idle_days": 2}"#,
            r#"{"web_idle_days": 4294967296, "mobile_idle_days": 2}"#,
        ] {
            assert!(serde_json::from_str::<SessionLength>(bad).is_err(), "{bad}");
        }
    }
}
