//! The active sessions, as every front end lists them.

use keepwatch_api::Session;
use serde::{Deserialize, Serialize};

use super::{AlertState, SyncStatus};
use crate::history::{AlertRecord as StoredAlert, SessionRecord, Trust};
use crate::{AlertKind, Severity};

/// One active session: the server's last word on it, and what Keepwatch knows besides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionItem {
    /// The session as the account service described it; `current` marks Keepwatch's own.
    #[serde(flatten)]
    pub session: Session,
    /// Why the user trusts it, if they do.
    pub trust: Option<Trust>,
    /// The most serious alert about it still undecided (open or acknowledged), if any.
    pub open_alert: Option<AlertBrief>,
}

/// An alert, briefly, as a session row marks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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

/// The answer to `sessions`: every active session, most recently active first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionsPage {
    /// How the account's sync stands: whether this is fresh or the history's last word.
    pub status: SyncStatus,
    /// Keepwatch's own session; empty when it has none.
    pub current_session_id: String,
    /// The sessions.
    pub sessions: Vec<SessionItem>,
}

impl SessionItem {
    /// The item of record `r`; `own` is Keepwatch's session, `alerts` every alert about the
    /// session (any order).
    pub fn of(r: &SessionRecord, own: Option<&str>, alerts: &[StoredAlert]) -> Self {
        let mut session = r.snapshot.clone();
        session.current = Some(r.id.as_str()) == own;
        let open_alert = alerts
            .iter()
            .filter(|a| a.alert.session_id.as_deref() == Some(r.id.as_str()))
            .filter(|a| AlertState::of(a.state).is_undecided())
            .max_by_key(|a| a.alert.severity)
            .map(|a| AlertBrief {
                key: a.alert.key.clone(),
                kind: a.alert.kind,
                severity: a.alert.severity,
                state: AlertState::of(a.state),
            });
        Self {
            session,
            trust: r.trust,
            open_alert,
        }
    }
}
