//! What a query over history may ask, and what a page of its answer holds.
//!
//! Every filter is SQL, so that a limit cuts only what matched; [`super::plan`] decides how
//! each query runs. Text search is a case-insensitive substring of a session's id, address,
//! device label, ISP, city or country.

use serde::{Deserialize, Serialize};

use super::{AlertState, SessionRecord};

/// Filters for offline review. Empty filters match everything; filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    /// Seen at or after.
    pub since: Option<keepwatch_api::Timestamp>,
    /// Seen before.
    pub until: Option<keepwatch_api::Timestamp>,
    /// Country code or name, case-insensitive.
    pub country: Option<String>,
    /// Exactly this ISO country code (as stored, upper case).
    #[serde(default)]
    pub country_code: Option<String>,
    /// Part of the device label, case-insensitive.
    pub device: Option<String>,
    /// Exactly this device label.
    #[serde(default)]
    pub device_label: Option<String>,
    /// Sessions in this state.
    #[serde(default)]
    pub state: Option<SessionState>,
    /// Part of any text column (device, IP, ISP, city, country, id; title and summary of
    /// alerts), case-insensitive.
    pub text: Option<String>,
    /// Alerts only: this state.
    pub alert_state: Option<AlertState>,
    /// At most this many rows (newest first); default 1000.
    pub limit: Option<u32>,
    /// Skip this many matching rows first (paging).
    #[serde(default)]
    pub offset: Option<u32>,
}

/// Where a session stands, as the history window groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Not ended.
    Active,
    /// Ended other than by expiring (signed out here or elsewhere, vanished).
    SignedOut,
    /// Ended by reaching its idle lifetime.
    Expired,
}

impl SessionState {
    /// The state of `record`.
    pub fn of(record: &SessionRecord) -> Self {
        match (record.ended_at, record.end_reason) {
            (None, _) => SessionState::Active,
            (Some(_), Some(super::EndReason::Expired)) => SessionState::Expired,
            (Some(_), _) => SessionState::SignedOut,
        }
    }
}

/// One page of sessions matching a query, and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPage {
    /// The page: at most `limit` sessions after `offset`, most recently seen first.
    pub rows: Vec<SessionRecord>,
    /// How many sessions match the filters, ignoring limit and offset; when
    /// `total_is_exact` is false, at least this many (counting stopped at
    /// [`super::plan::COUNT_CAP`], or at the end of this page when it lies beyond).
    pub total: u64,
    /// Whether `total` is the exact count.
    pub total_is_exact: bool,
}

/// The default page size.
pub(super) const DEFAULT_LIMIT: u32 = 1000;

/// A value a filter binds.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    Text(String),
    Int(i64),
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Text(s) => s.to_sql(),
            Arg::Int(i) => i.to_sql(),
        }
    }
}
