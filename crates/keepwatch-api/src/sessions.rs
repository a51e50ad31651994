//! Active sessions: who is signed in, from what, from where.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::ClientKind;

/// The kind of hardware a session runs on, as far as the User-Agent tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    /// A desktop or laptop computer.
    Desktop,
    /// A phone.
    Mobile,
    /// A tablet.
    Tablet,
    /// A crawler, script or other automated client.
    Bot,
    /// Anything the parser could not place.
    #[serde(other)]
    Unknown,
}

/// What a session runs on, parsed from its User-Agent and client hints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Device {
    /// For people: `"Chrome 124 on macOS Sonoma"`. Always present; `"Unknown device"` when
    /// nothing could be parsed.
    pub label: String,
    /// Browser or app family, e.g. `"Chrome"`.
    pub browser: Option<String>,
    /// Browser major version, e.g. `"124"`.
    pub browser_version: Option<String>,
    /// OS family, e.g. `"macOS"`, `"Windows"`, `"iOS"`, `"Android"`.
    pub os: Option<String>,
    /// OS version as people name it, e.g. `"Sonoma"`, `"11"`, `"17.4"`.
    pub os_version: Option<String>,
    /// Desktop, mobile, tablet…
    pub device_type: DeviceType,
    /// The raw User-Agent header, for the curious. Treat it as untrusted text.
    pub user_agent: Option<String>,
}

/// The network an address belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Network {
    /// Autonomous system number, e.g. `15169`.
    pub asn: Option<u32>,
    /// The organisation announcing the address, e.g. `"Deutsche Telekom AG"`.
    pub isp: Option<String>,
}

/// Approximate place of an address, from a geolocation database. All `null` for private
/// addresses and addresses the database does not cover.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Location {
    /// City name in English.
    pub city: Option<String>,
    /// Region, state or province in English.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code, e.g. `"BR"`.
    pub country_code: Option<String>,
    /// Country name in English, e.g. `"Brazil"`.
    pub country: Option<String>,
    /// Degrees north.
    pub latitude: Option<f64>,
    /// Degrees east.
    pub longitude: Option<f64>,
}

/// One signed-in session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Session {
    /// Stable id, used to revoke it.
    pub id: String,
    /// True for the session that made this request.
    pub current: bool,
    /// Which kind of client opened it.
    pub client: ClientKind,
    /// Whether "remember me" was ticked at sign-in.
    pub remember_me: bool,
    /// Whether the sign-in skipped 2FA as a trusted device, or made this device trusted.
    pub trusted_device: bool,
    /// First login: when the session was created.
    pub created_at: DateTime<Utc>,
    /// Last activity: when the session last reached the server.
    pub last_active_at: DateTime<Utc>,
    /// When the session ends unless it is used again.
    pub expires_at: DateTime<Utc>,
    /// The address it last came from, as text (`"203.0.113.7"`, `"2001:db8::1"`).
    pub ip: String,
    /// What it runs on.
    pub device: Device,
    /// Whose network the address belongs to.
    pub network: Network,
    /// Where the address is, roughly.
    pub location: Location,
}

/// `GET /v1/sessions` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct SessionList {
    /// The id of the session that made this request.
    pub current_session_id: String,
    /// Every active session of the account, the current one included.
    pub sessions: Vec<Session>,
}

/// `POST /v1/sessions/revoke-others` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct RevokeOthersResponse {
    /// How many sessions were ended.
    pub revoked: u32,
}
