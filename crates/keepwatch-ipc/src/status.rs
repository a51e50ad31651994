//! What the sync engine is doing, as the window's status line and the tray show it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::IpcError;

/// What the sync engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Up to date, watching.
    Idle,
    /// Fetching now.
    Syncing,
    /// The account service cannot be reached; cached data is shown.
    Offline,
    /// No session: sign in (again).
    SignedOut,
    /// The last sync failed for another reason (see `last_error`).
    Error,
}

/// The sync engine's state for the active account; also the `sync://status` event payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncStatus {
    /// The active account; `None` when no account is set up yet.
    pub account_id: Option<String>,
    /// The phase.
    pub phase: SyncPhase,
    /// When the cached data was last refreshed from the server; `None` if never.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Whether the live event stream is connected.
    pub live: bool,
    /// Why the last sync failed, when it did.
    pub last_error: Option<IpcError>,
}

impl SyncStatus {
    /// Signed out of `account_id`, or no account at all.
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
