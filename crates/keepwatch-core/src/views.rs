//! What the CLI prints and the desktop app shows: plain serde types, stable as JSON.

use keepwatch_api::Timestamp;
use keepwatch_detector::{AlertKind, Severity};
use serde::{Deserialize, Serialize};

use crate::history::{AlertRecord, AlertState, EndReason, SessionRecord, Trust};

/// How fresh the data shown is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    /// Whether the server answered just now.
    pub online: bool,
    /// When the server last answered.
    pub last_synced_at: Option<Timestamp>,
    /// Why the server could not be asked, when offline.
    pub offline_reason: Option<String>,
    /// Whether the session ended and the user must sign in again.
    pub signed_out: bool,
}

/// An account Keepwatch knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// `<email>@<server>`: pass to `--account`.
    pub id: String,
    /// The server's base URL.
    pub server: String,
    /// The account's email.
    pub email: String,
    /// When it was added.
    pub added_at: Timestamp,
    /// Keepwatch's own session on the server.
    pub session_id: Option<String>,
    /// The history database.
    pub history_path: String,
    /// Whether its sign-in outlives Keepwatch (tokens in the keyring).
    pub remembered: bool,
}

/// One session, for the sessions table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    /// Session id (for `revoke` and `trust`).
    pub id: String,
    /// The session Keepwatch itself uses (marked ● in tables).
    pub current: bool,
    /// `"Chrome 124 on macOS Sonoma"`.
    pub device: String,
    /// The address it last came from.
    pub ip: String,
    /// Whose network that is.
    pub isp: Option<String>,
    /// City, roughly.
    pub city: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
    /// First login.
    pub first_login: Timestamp,
    /// Last activity.
    pub last_activity: Timestamp,
    /// When it ends unless used again.
    pub expires_at: Timestamp,
    /// Why the user trusts it, if they do.
    pub trust: Option<Trust>,
    /// The most serious alert about it still open (`new` or `acknowledged`), if any.
    pub open_alert: Option<AlertBrief>,
    /// When it ended (history views only).
    pub ended_at: Option<Timestamp>,
    /// How it ended (history views only).
    pub end_reason: Option<EndReason>,
}

/// An alert, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertBrief {
    /// Alert key.
    pub key: String,
    /// Kind.
    pub kind: AlertKind,
    /// Severity.
    pub severity: Severity,
    /// State.
    pub state: AlertState,
}

impl SessionView {
    /// The view of a history record; `current` is whether it is Keepwatch's live session.
    pub fn from_record(r: &SessionRecord, current: bool, open_alert: Option<AlertBrief>) -> Self {
        Self {
            id: r.id.clone(),
            current,
            device: r.device_label.clone(),
            ip: r.ip.clone(),
            isp: r.isp.clone(),
            city: r.city.clone(),
            country: r.country.clone(),
            country_code: r.country_code.clone(),
            first_login: r.created_at,
            last_activity: r.last_active_at,
            expires_at: r.snapshot.expires_at,
            trust: r.trust,
            open_alert,
            ended_at: r.ended_at,
            end_reason: r.end_reason,
        }
    }
}

/// `keepwatch sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionsView {
    /// Account id.
    pub account: String,
    /// How fresh.
    pub freshness: Freshness,
    /// Active sessions, most recently active first.
    pub sessions: Vec<SessionView>,
}

/// `keepwatch alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsView {
    /// Account id.
    pub account: String,
    /// How fresh.
    pub freshness: Freshness,
    /// Alerts, newest first.
    pub alerts: Vec<AlertRecord>,
}

/// `keepwatch history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    /// Account id.
    pub account: String,
    /// How fresh.
    pub freshness: Freshness,
    /// Sessions ever seen that match, most recently seen first.
    pub sessions: Vec<SessionView>,
}

/// `keepwatch status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusView {
    /// The account.
    pub account: AccountView,
    /// How fresh.
    pub freshness: Freshness,
    /// Sessions active now (as last known).
    pub active_sessions: usize,
    /// Alerts not yet handled.
    pub open_alerts: usize,
    /// The event cursor.
    pub last_event_id: u64,
}

/// What `login` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginView {
    /// The account signed in.
    pub account: AccountView,
    /// Sessions found on the account.
    pub sessions: usize,
    /// Alerts raised by the first look.
    pub alerts: usize,
}
