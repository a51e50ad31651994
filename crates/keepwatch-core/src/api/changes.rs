//! The change stream: what the core tells every front end that something changed, so that
//! none of them re-reads by hand after a command or guesses what an engine did.
//!
//! Changes say *what* changed, not the new value, except where the value is small and is the
//! news itself (a status, one alert, the settings): a front end that shows sessions asks for
//! them again, one that does not ignores the change.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::{AlertRecord, Settings, SyncStatus};

/// Something that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Accounts were added, removed, signed in or out, or another one became active.
    Accounts,
    /// An account's active sessions changed.
    Sessions {
        /// The account.
        account_id: String,
    },
    /// An alert was raised or moved along.
    Alert {
        /// The account.
        account_id: String,
        /// The alert as it stands now.
        alert: AlertRecord,
    },
    /// An account's sync status changed.
    Status {
        /// The new status (its `account_id` says whose).
        status: SyncStatus,
    },
    /// The settings changed, here or in another process.
    Settings {
        /// The settings now.
        settings: Settings,
    },
    /// A notification or the tray asked a window to come up and show something of this
    /// account (the window takes the request once: [`super::Api::take_focus_request`]).
    Focus {
        /// The account.
        account_id: String,
        /// What to show.
        request: FocusRequest,
    },
}

/// What a window is asked to show when it comes up for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "show", rename_all = "snake_case")]
pub enum FocusRequest {
    /// An alert, with its response open: its notification was clicked, or its "Sign out
    /// session" pressed where only the window can ask for the password.
    Alert {
        /// The alert's key.
        key: String,
    },
    /// The sessions, asking to sign every other one out: the tray's item, on an account
    /// whose server wants the password for it.
    SignOutOthers,
}

/// How many changes a slow listener may fall behind before it is told it missed some (and
/// should read everything again).
const BACKLOG: usize = 256;

/// Where changes are published; every front end subscribes.
#[derive(Debug, Clone)]
pub struct ChangeBus {
    sender: broadcast::Sender<Change>,
}

impl Default for ChangeBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
        }
    }
}

impl ChangeBus {
    /// Tells every listener; with none listening the change is simply dropped.
    pub fn publish(&self, change: Change) {
        tracing::debug!(?change, "change");
        let _ = self.sender.send(change);
    }

    /// A new listener, which hears every change published from now on. A listener that lags
    /// more than the backlog gets `RecvError::Lagged` and should read everything again.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }
}
