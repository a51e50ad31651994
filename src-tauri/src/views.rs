//! The window's view types (ui/IPC.md, "Types the core should define") and their mapping from
//! the core's types.
//!
//! The shapes are the front end's contract; the values all come from `keepwatch-core`. Only
//! field renames and enum folding happen here (e.g. the core's four alert states become the
//! window's three), no decisions.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use keepwatch_api::{Device, Location, Network};
use keepwatch_core::history::EndReason;
use keepwatch_core::views::AccountView;
use keepwatch_core::{
    Alert, AlertState as CoreAlertState, HistoryQuery, SessionRecord, Severity, Trust,
};
use serde::{Deserialize, Serialize};

use crate::error::IpcError;

/// An account Keepwatch knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The core's account id.
    pub id: String,
    /// The account service's base URL.
    pub server_url: String,
    /// The account's email.
    pub email: String,
    /// Whether credentials are kept in the keyring (the core always keeps the refresh token).
    pub remembered: bool,
    /// Whether the views show this account.
    pub active: bool,
    /// Whether the core holds a session for it.
    pub signed_in: bool,
}

impl AccountSummary {
    /// The summary of `view`, active when its id is `active`.
    pub fn of(view: &AccountView, active: Option<&str>) -> Self {
        Self {
            id: view.id.clone(),
            server_url: view.server.clone(),
            email: view.email.clone(),
            remembered: true,
            active: active == Some(view.id.as_str()),
            signed_in: view.session_id.is_some(),
        }
    }
}

/// What the sync engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Up to date, watching.
    Idle,
    /// Fetching now.
    Syncing,
    /// The service cannot be reached; cached data is shown.
    Offline,
    /// No session: sign in again.
    SignedOut,
    /// The last sync failed otherwise.
    Error,
}

/// The sync engine's state for the active account (`sync://status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// The active account.
    pub account_id: Option<String>,
    /// The phase.
    pub phase: SyncPhase,
    /// When the cache was last refreshed from the server.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Whether the live event stream is connected.
    pub live: bool,
    /// Why the last sync failed.
    pub last_error: Option<IpcError>,
}

impl SyncStatus {
    /// No account yet.
    pub fn signed_out(account_id: Option<String>) -> Self {
        Self {
            account_id,
            phase: SyncPhase::SignedOut,
            last_synced_at: None,
            live: false,
            last_error: None,
        }
    }
}

/// Where the user is with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Not handled.
    Open,
    /// Seen.
    Acknowledged,
    /// Confirmed ("this was me") or acted on.
    Resolved,
}

impl AlertState {
    /// The window's name for a core state.
    pub fn of(state: CoreAlertState) -> Self {
        match state {
            CoreAlertState::New => AlertState::Open,
            CoreAlertState::Acknowledged => AlertState::Acknowledged,
            CoreAlertState::Confirmed | CoreAlertState::Acted => AlertState::Resolved,
        }
    }

    /// The core state the window's choice stands for.
    pub fn to_core(self) -> CoreAlertState {
        match self {
            AlertState::Open => CoreAlertState::New,
            AlertState::Acknowledged => CoreAlertState::Acknowledged,
            AlertState::Resolved => CoreAlertState::Acted,
        }
    }
}

/// An alert and the user's progress with it (`sync://alert`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRecord {
    /// The detector's alert.
    pub alert: Alert,
    /// Where it stands.
    pub state: AlertState,
    /// When the user last changed the state.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<keepwatch_core::AlertRecord> for AlertRecord {
    fn from(r: keepwatch_core::AlertRecord) -> Self {
        Self {
            alert: r.alert,
            state: AlertState::of(r.state),
            updated_at: r.state_changed_at,
        }
    }
}

/// How a history row ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryState {
    /// Still signed in.
    Active,
    /// Revoked or logged out.
    SignedOut,
    /// Reached its idle lifetime.
    Expired,
    /// A failed sign-in attempt (the core's history does not keep them yet).
    Failed,
}

/// One history row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    /// Session id.
    pub id: String,
    /// How it ended up.
    pub state: HistoryState,
    /// First login.
    pub at: DateTime<Utc>,
    /// Last activity.
    pub last_active_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Last address.
    pub ip: String,
    /// What it ran on.
    pub device: Device,
    /// Whose network.
    pub network: Network,
    /// Where.
    pub location: Location,
    /// Whether the user said "this was me".
    pub confirmed: bool,
    /// The most serious alert raised about it.
    pub alert_severity: Option<Severity>,
}

/// What to show of the history; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct HistoryFilter {
    /// Inclusive lower bound.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound.
    pub to: Option<DateTime<Utc>>,
    /// ISO country code.
    pub country_code: Option<String>,
    /// Exact device label.
    pub device: Option<String>,
    /// Outcome.
    pub state: Option<HistoryState>,
    /// Free text.
    pub text: Option<String>,
}

impl HistoryFilter {
    /// The core query for the parts the core filters on.
    pub fn query(&self) -> HistoryQuery {
        HistoryQuery {
            since: self.from,
            until: self.to,
            country: self.country_code.clone(),
            device: self.device.clone(),
            text: self.text.clone(),
            ..Default::default()
        }
    }
}

/// The answer to `history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPage {
    /// Matching rows, newest first.
    pub rows: Vec<HistoryRow>,
    /// How many match.
    pub total: u32,
    /// Every country code in the whole history.
    pub countries: Vec<String>,
    /// Every device label in the whole history.
    pub devices: Vec<String>,
}

fn history_state(r: &SessionRecord) -> HistoryState {
    match (r.ended_at, r.end_reason) {
        (None, _) => HistoryState::Active,
        (Some(_), Some(EndReason::Expired)) => HistoryState::Expired,
        (Some(_), _) => HistoryState::SignedOut,
    }
}

/// The page for `filter` over `matching` records, with menus from `all` records.
pub fn history_page(
    filter: &HistoryFilter,
    matching: &[SessionRecord],
    all: &[SessionRecord],
    alerts: &[keepwatch_core::AlertRecord],
) -> HistoryPage {
    let rows: Vec<HistoryRow> = matching
        .iter()
        // The core matches devices by substring; the window's menu asks for one exact label.
        .filter(|r| filter.device.as_ref().is_none_or(|d| &r.device_label == d))
        .filter(|r| {
            filter
                .country_code
                .as_ref()
                .is_none_or(|c| r.country_code.as_deref() == Some(c.as_str()))
        })
        .map(|r| HistoryRow {
            id: r.id.clone(),
            state: history_state(r),
            at: r.created_at,
            last_active_at: Some(r.last_active_at),
            ended_at: r.ended_at,
            ip: r.ip.clone(),
            device: r.snapshot.device.clone(),
            network: r.snapshot.network.clone(),
            location: r.snapshot.location.clone(),
            confirmed: r.trust == Some(Trust::Confirmed),
            alert_severity: alerts
                .iter()
                .filter(|a| a.alert.session_id.as_deref() == Some(r.id.as_str()))
                .map(|a| a.alert.severity)
                .max(),
        })
        .filter(|row| filter.state.is_none_or(|s| row.state == s))
        .collect();
    let countries: BTreeSet<String> = all.iter().filter_map(|r| r.country_code.clone()).collect();
    let devices: BTreeSet<String> = all.iter().map(|r| r.device_label.clone()).collect();
    HistoryPage {
        total: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        rows,
        countries: countries.into_iter().collect(),
        devices: devices.into_iter().collect(),
    }
}

/// `export_history`'s format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Sessions as CSV.
    Csv,
    /// Sessions, events and alerts as JSON.
    Json,
}

/// What `export_history` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportResult {
    /// Where the file went; `None` when the save dialog was cancelled.
    pub path: Option<String>,
    /// Rows written.
    pub rows: u32,
}

/// What the sign-in form sends.
#[derive(Clone, Deserialize)]
pub struct SignInRequest {
    /// The service's base URL.
    pub server_url: String,
    /// Email.
    pub email: String,
    /// Password; used once.
    pub password: String,
    /// TOTP code, when asked.
    pub totp_code: Option<String>,
    /// "Remember this account".
    pub remember: bool,
    /// "Trust this computer".
    pub trust_device: bool,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("server_url", &self.server_url)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    En,
    /// Arabic.
    Ar,
}

/// Notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// Whether to notify at all.
    pub enabled: bool,
    /// Alerts below this are listed only.
    pub min_severity: Severity,
    /// Whether to play a sound.
    pub sound: bool,
}

/// App preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `None`: follow the system.
    pub language: Option<Language>,
    /// Notifications.
    pub notifications: NotificationSettings,
    /// Travel mode end.
    pub travel_mode_until: Option<DateTime<Utc>>,
    /// Start at login.
    pub start_at_login: bool,
}

impl Settings {
    /// The window's view of the core's preferences.
    pub fn of(p: &keepwatch_core::Preferences) -> Self {
        Self {
            language: match p.language.as_deref() {
                Some("en") => Some(Language::En),
                Some("ar") => Some(Language::Ar),
                _ => None,
            },
            notifications: NotificationSettings {
                enabled: p.notifications,
                min_severity: p.notify_min_severity,
                sound: p.notification_sound,
            },
            travel_mode_until: p.travel_mode_until,
            start_at_login: p.start_at_login,
        }
    }

    /// `prefs` with these settings applied (the rest kept).
    pub fn apply(&self, mut prefs: keepwatch_core::Preferences) -> keepwatch_core::Preferences {
        prefs.language = self.language.map(|l| match l {
            Language::En => "en".to_owned(),
            Language::Ar => "ar".to_owned(),
        });
        prefs.notifications = self.notifications.enabled;
        prefs.notify_min_severity = self.notifications.min_severity;
        prefs.notification_sound = self.notifications.sound;
        prefs.travel_mode_until = self.travel_mode_until;
        prefs.start_at_login = self.start_at_login;
        prefs
    }
}

/// What `./run demo` pre-fills in the sign-in form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoDefaults {
    /// The demo server's URL.
    pub server_url: String,
    /// The demo account.
    pub email: String,
    /// The demo account's password (a published demo credential, not a secret).
    pub password: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_core_preferences() {
        let settings = Settings {
            language: Some(Language::Ar),
            notifications: NotificationSettings {
                enabled: false,
                min_severity: Severity::Critical,
                sound: false,
            },
            travel_mode_until: None,
            start_at_login: true,
        };
        let prefs = settings.apply(keepwatch_core::Preferences::default());
        assert_eq!(prefs.poll_interval_secs, 30, "untouched fields are kept");
        assert_eq!(Settings::of(&prefs), settings);
    }

    #[test]
    fn the_sign_in_request_never_prints_its_password() {
        let r: SignInRequest = serde_json::from_value(serde_json::json!({
            "server_url": "http://127.0.0.1:1", "email": "a@b.c", "password": "hunter2hunter2",
            "totp_code": "123456", "remember": true, "trust_device": false
        }))
        .unwrap();
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("123456"),
            "{shown}"
        );
    }
}
