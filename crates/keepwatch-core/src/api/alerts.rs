//! Alerts and where the user is with each.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::history::{AlertState as StoredState, NoticeOutcome};
use crate::Alert;

/// Where the user is with an alert: the history's four states folded into the three a person
/// chooses between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Not handled.
    Open,
    /// Seen, nothing decided.
    Acknowledged,
    /// Confirmed ("this was me") or acted on; `resolution` says which.
    Resolved,
}

/// How a resolved alert was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// "This was me".
    Confirmed,
    /// The user acted (signed the session out, …).
    Acted,
}

impl AlertState {
    /// Every state, in the order a person meets them.
    pub const ALL: [AlertState; 3] = [
        AlertState::Open,
        AlertState::Acknowledged,
        AlertState::Resolved,
    ];

    /// The API's name for a stored state.
    pub fn of(state: StoredState) -> Self {
        match state {
            StoredState::New => AlertState::Open,
            StoredState::Acknowledged => AlertState::Acknowledged,
            StoredState::Confirmed | StoredState::Acted => AlertState::Resolved,
        }
    }

    /// The stored state a person's choice stands for.
    pub fn to_stored(self) -> StoredState {
        match self {
            AlertState::Open => StoredState::New,
            AlertState::Acknowledged => StoredState::Acknowledged,
            AlertState::Resolved => StoredState::Acted,
        }
    }

    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Acknowledged => "acknowledged",
            AlertState::Resolved => "resolved",
        }
    }

    /// Whether the alert still waits for a decision (open or only acknowledged): what the
    /// status counts as open and what marks a session in the list.
    pub fn is_undecided(self) -> bool {
        !matches!(self, AlertState::Resolved)
    }
}

impl std::str::FromStr for AlertState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| format!("unknown alert state {s:?} (open, acknowledged, resolved)"))
    }
}

/// An alert as the core stores it: the detector's alert plus the user's progress (also the
/// `alert` change's payload).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AlertRecord {
    /// The detector's alert.
    pub alert: Alert,
    /// Where it stands.
    pub state: AlertState,
    /// How it was resolved, once it is.
    pub resolution: Option<Resolution>,
    /// What the user did (`signed_out_session`, `this_was_me`), when the core knows.
    pub action: Option<String>,
    /// When Keepwatch raised it.
    pub raised_at: DateTime<Utc>,
    /// When the user last changed the state; `None` while untouched.
    pub updated_at: Option<DateTime<Utc>>,
    /// What became of its notification; `None` while it is still to be shown.
    pub notice: Option<NoticeOutcome>,
}

impl From<crate::AlertRecord> for AlertRecord {
    fn from(r: crate::AlertRecord) -> Self {
        Self {
            alert: r.alert,
            state: AlertState::of(r.state),
            resolution: match r.state {
                StoredState::Confirmed => Some(Resolution::Confirmed),
                StoredState::Acted => Some(Resolution::Acted),
                StoredState::New | StoredState::Acknowledged => None,
            },
            action: r.action,
            raised_at: r.raised_at,
            updated_at: r.state_changed_at,
            notice: r.notice,
        }
    }
}

/// Which alerts `alerts` lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AlertFilter {
    /// Only alerts in this state.
    pub state: Option<AlertState>,
}

/// The answer to `alerts`: every alert that matches, newest first, and how fresh they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AlertsPage {
    /// How the account's sync stands.
    pub status: super::SyncStatus,
    /// The alerts, newest first.
    pub alerts: Vec<AlertRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_states_fold_the_four_stored_ones() {
        assert_eq!(AlertState::of(StoredState::New), AlertState::Open);
        assert_eq!(AlertState::of(StoredState::Confirmed), AlertState::Resolved);
        assert_eq!(AlertState::of(StoredState::Acted), AlertState::Resolved);
        for state in AlertState::ALL {
            assert_eq!(AlertState::of(state.to_stored()), state);
            assert_eq!(state.as_str().parse::<AlertState>(), Ok(state));
        }
        assert!("new".parse::<AlertState>().is_err());
    }
}
