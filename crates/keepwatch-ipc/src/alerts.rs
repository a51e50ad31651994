//! Alerts and where the user is with each.

use chrono::{DateTime, Utc};
use keepwatch_core::{Alert, AlertState as CoreAlertState};
use serde::{Deserialize, Serialize};

/// Where the user is with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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

/// An alert as the core stores it: the detector's alert plus the user's progress (the
/// `sync://alert` event payload).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AlertRecord {
    /// The detector's alert.
    pub alert: Alert,
    /// Where it stands.
    pub state: AlertState,
    /// When the user last changed the state; `None` while untouched.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_windows_three_states_fold_the_cores_four() {
        assert_eq!(AlertState::of(CoreAlertState::New), AlertState::Open);
        assert_eq!(
            AlertState::of(CoreAlertState::Confirmed),
            AlertState::Resolved
        );
        assert_eq!(AlertState::of(CoreAlertState::Acted), AlertState::Resolved);
        for state in [
            AlertState::Open,
            AlertState::Acknowledged,
            AlertState::Resolved,
        ] {
            assert_eq!(AlertState::of(state.to_core()), state);
        }
    }
}
