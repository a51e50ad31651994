//! The local history as the window lists, filters and exports it.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use keepwatch_api::{Device, Location, Network};
use keepwatch_core::{EndReason, HistoryQuery, SessionRecord, SessionState, Severity, Trust};
use serde::{Deserialize, Serialize};

/// How a session in the history ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum HistoryState {
    /// Still signed in.
    Active,
    /// Revoked or logged out.
    SignedOut,
    /// Reached its idle lifetime.
    Expired,
    /// A sign-in attempt that did not open a session (the core does not keep them yet).
    Failed,
}

/// One row of the local history: a session, past or present.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HistoryRow {
    /// Session id.
    pub id: String,
    /// How it ended up.
    pub state: HistoryState,
    /// First login.
    pub at: DateTime<Utc>,
    /// Last activity.
    pub last_active_at: Option<DateTime<Utc>>,
    /// When it ended, if it has.
    pub ended_at: Option<DateTime<Utc>>,
    /// The address it last came from.
    pub ip: String,
    /// What it ran on.
    pub device: Device,
    /// Whose network.
    pub network: Network,
    /// Where.
    pub location: Location,
    /// Whether the user said "this was me".
    pub confirmed: bool,
    /// The most serious alert raised about it, if any.
    pub alert_severity: Option<Severity>,
}

/// What to show of the history. Every field narrows; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HistoryFilter {
    /// Inclusive lower bound on the first login.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound on the first login.
    pub to: Option<DateTime<Utc>>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country_code: Option<String>,
    /// Exact device label, as in `device.label`.
    pub device: Option<String>,
    /// How the session ended up.
    pub state: Option<HistoryState>,
    /// Free text matched case-insensitively against device, IP, ISP, city and country.
    pub text: Option<String>,
}

impl HistoryFilter {
    /// The core query: every filter the window has, in SQL, so that the core's limit cuts
    /// only matching rows.
    pub fn query(&self) -> HistoryQuery {
        HistoryQuery {
            since: self.from,
            until: self.to,
            country_code: self.country_code.clone(),
            device_label: self.device.clone(),
            // The core keeps no failed sign-ins: `history_page` finds none of them.
            state: self.state.and_then(|s| match s {
                HistoryState::Active => Some(SessionState::Active),
                HistoryState::SignedOut => Some(SessionState::SignedOut),
                HistoryState::Expired => Some(SessionState::Expired),
                HistoryState::Failed => None,
            }),
            text: self.text.clone(),
            ..Default::default()
        }
    }
}

/// The answer to `history`: matching rows, newest first, and what the filters can offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HistoryPage {
    /// Matching rows, newest first.
    pub rows: Vec<HistoryRow>,
    /// How many match.
    pub total: u32,
    /// Every country code in the whole history, for the filter menu.
    pub countries: Vec<String>,
    /// Every device label in the whole history, for the filter menu.
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Sessions as CSV.
    Csv,
    /// Sessions, events and alerts as JSON.
    Json,
}

/// The answer to `export_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportResult {
    /// Where the file was written; `None` when the user cancelled the save dialog.
    pub path: Option<String>,
    /// Rows written.
    pub rows: u32,
}
