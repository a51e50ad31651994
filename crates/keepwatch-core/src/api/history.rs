//! The local history as every front end lists, filters and exports it.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use keepwatch_api::{Device, Location, Network};
use serde::{Deserialize, Serialize};

use super::SyncStatus;
use crate::{EndReason, HistoryQuery, SessionRecord, Severity, Trust};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// How it ended, if it has.
    pub end_reason: Option<EndReason>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Part of the device label, case-insensitive (the CLI's `--device`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub device_contains: Option<String>,
    /// At most this many rows (newest first); default 1000.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<u32>,
}

impl HistoryFilter {
    /// The core query for the parts the core filters on.
    pub fn query(&self) -> HistoryQuery {
        HistoryQuery {
            since: self.from,
            until: self.to,
            country: self.country_code.clone(),
            device: self.device_contains.clone().or_else(|| self.device.clone()),
            text: self.text.clone(),
            limit: self.limit,
            ..Default::default()
        }
    }
}

/// The answer to `history`: matching rows, newest first, and what the filters can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HistoryPage {
    /// How the account's sync stands: how fresh the history is.
    pub status: SyncStatus,
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
    status: SyncStatus,
    filter: &HistoryFilter,
    matching: &[SessionRecord],
    all: &[SessionRecord],
    alerts: &[crate::AlertRecord],
) -> HistoryPage {
    let rows: Vec<HistoryRow> = matching
        .iter()
        // The core matches devices by substring; the window's menu asks for one exact label.
        .filter(|r| filter.device.as_ref().is_none_or(|d| &r.device_label == d))
        .map(|r| HistoryRow {
            id: r.id.clone(),
            state: history_state(r),
            at: r.created_at,
            last_active_at: Some(r.last_active_at),
            ended_at: r.ended_at,
            end_reason: r.end_reason,
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
        status,
        total: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        rows,
        countries: countries.into_iter().collect(),
        devices: devices.into_iter().collect(),
    }
}

/// The answer to `export_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportResult {
    /// Where the file was written; `None` when the user cancelled the save dialog.
    pub path: Option<String>,
    /// Rows written.
    pub rows: u32,
}
