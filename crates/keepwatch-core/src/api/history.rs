//! The local history as every front end lists, filters and exports it.

use chrono::{DateTime, Utc};
use keepwatch_api::{Device, Location, Network};
use serde::{Deserialize, Serialize};

use super::SyncStatus;
use crate::error::Result;
use crate::history::{History, SessionPage, SessionState};
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
    /// Seen at or after this time (last seen then or later).
    pub from: Option<DateTime<Utc>>,
    /// Seen before this time (first seen earlier).
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
    /// Skip this many matching rows first (the next page).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub offset: Option<u32>,
}

impl HistoryFilter {
    /// The history query that asks for exactly this, filtered in SQL (so a limit never cuts
    /// what the filter matched); `None` for the `failed` state, which the core does not keep.
    pub fn query(&self) -> Option<HistoryQuery> {
        let state = match self.state {
            None => None,
            Some(HistoryState::Active) => Some(SessionState::Active),
            Some(HistoryState::SignedOut) => Some(SessionState::SignedOut),
            Some(HistoryState::Expired) => Some(SessionState::Expired),
            Some(HistoryState::Failed) => return None,
        };
        // The window's menu sends a code; the CLI's --country takes a code or a name. A code
        // is matched exactly, on its index.
        let (country_code, country) = match self.country_code.as_deref().map(str::trim) {
            Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                (Some(c.to_ascii_uppercase()), None)
            }
            Some(name) => (None, Some(name.to_owned())),
            None => (None, None),
        };
        Some(HistoryQuery {
            since: self.from,
            until: self.to,
            country,
            country_code,
            device: self.device_contains.clone(),
            device_label: self.device.clone(),
            state,
            text: self.text.clone(),
            limit: self.limit,
            offset: self.offset,
            ..Default::default()
        })
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
    /// How many match in all (more than `rows` when the page is full); at least this many when
    /// `total_is_exact` is false, which a query matching many (over a thousand) says rather
    /// than counting every match.
    pub total: u64,
    /// Whether `total` is the exact count.
    pub total_is_exact: bool,
    /// Every country code in the whole history, for the filter menu.
    pub countries: Vec<String>,
    /// Every device label in the whole history, for the filter menu.
    pub devices: Vec<String>,
}

impl HistoryRow {
    /// The row of record `r`, whose most serious alert is `alert_severity`.
    pub fn of(r: &SessionRecord, alert_severity: Option<Severity>) -> Self {
        Self {
            id: r.id.clone(),
            state: match SessionState::of(r) {
                SessionState::Active => HistoryState::Active,
                SessionState::SignedOut => HistoryState::SignedOut,
                SessionState::Expired => HistoryState::Expired,
            },
            at: r.created_at,
            last_active_at: Some(r.last_active_at),
            ended_at: r.ended_at,
            end_reason: r.end_reason,
            ip: r.ip.clone(),
            device: r.snapshot.device.clone(),
            network: r.snapshot.network.clone(),
            location: r.snapshot.location.clone(),
            confirmed: r.trust == Some(Trust::Confirmed),
            alert_severity,
        }
    }
}

/// The page `filter` asks of `history`: one SQL query for the rows and their total, one for
/// their alerts' severities, and the menus from their indexes.
pub(crate) fn history_page(
    history: &History,
    status: SyncStatus,
    filter: &HistoryFilter,
) -> Result<HistoryPage> {
    let page = match filter.query() {
        Some(query) => history.session_page(&query)?,
        None => SessionPage {
            rows: Vec::new(),
            total: 0,
            total_is_exact: true,
        },
    };
    let ids: Vec<String> = page.rows.iter().map(|r| r.id.clone()).collect();
    let severities = history.max_alert_severities(&ids)?;
    Ok(HistoryPage {
        status,
        rows: page
            .rows
            .iter()
            .map(|r| HistoryRow::of(r, severities.get(&r.id).copied()))
            .collect(),
        total: page.total,
        total_is_exact: page.total_is_exact,
        countries: history.country_codes()?,
        devices: history.device_labels()?,
    })
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
