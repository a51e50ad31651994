//! How an account's syncing stands, as the window's status line, the tray and the CLI's
//! header show it, and the one function that moves it along.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CoreErrorKind, IpcError};
use crate::sync::{SyncMode, SyncUpdate};

/// What the sync engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// An account's sync state; also the `status` change's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncStatus {
    /// The account; `None` when no account is set up yet.
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

    /// Account `account_id` before anything was heard from its server in this process: what
    /// the history remembers of the last sync, and a sync on its way when `signed_in`.
    pub fn starting(
        account_id: &str,
        signed_in: bool,
        last_synced_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            account_id: Some(account_id.to_owned()),
            phase: if signed_in {
                SyncPhase::Syncing
            } else {
                SyncPhase::SignedOut
            },
            last_synced_at,
            live: false,
            last_error: None,
        }
    }

    /// Whether the server answered the last time it was asked.
    pub fn is_online(&self) -> bool {
        matches!(self.phase, SyncPhase::Idle | SyncPhase::Syncing) && self.last_error.is_none()
    }

    /// The status after the engine said `update`: the single place that decides the phase, so
    /// that the window, the tray and the CLI can never disagree. Updates that say nothing
    /// about syncing (an alert, a notification button) leave it as it was.
    pub fn after(&self, update: &SyncUpdate) -> SyncStatus {
        match update {
            SyncUpdate::Synced { at, mode } => SyncStatus {
                account_id: self.account_id.clone(),
                phase: SyncPhase::Idle,
                last_synced_at: Some(*at),
                live: *mode == SyncMode::Stream,
                last_error: None,
            },
            SyncUpdate::Offline {
                reason,
                last_synced_at,
            } => SyncStatus {
                account_id: self.account_id.clone(),
                phase: SyncPhase::Offline,
                last_synced_at: last_synced_at.or(self.last_synced_at),
                live: false,
                last_error: Some(IpcError::new(CoreErrorKind::Network, reason.clone())),
            },
            SyncUpdate::SignedOut => SyncStatus {
                phase: SyncPhase::SignedOut,
                live: false,
                ..self.clone()
            },
            SyncUpdate::Alert { .. } | SyncUpdate::Changed | SyncUpdate::ActionDone { .. } => {
                self.clone()
            }
        }
    }

    /// The status after a sync asked for by hand ("sync now", a CLI command) ended with
    /// `outcome`: the error, if any, said the way the engine would have said it.
    pub fn after_sync(&self, outcome: Result<DateTime<Utc>, &crate::Error>) -> SyncStatus {
        match outcome {
            Ok(at) => SyncStatus {
                // A manual sync says nothing about the stream: it stays as it was.
                live: self.live,
                ..self.after(&SyncUpdate::Synced {
                    at,
                    mode: SyncMode::Polling,
                })
            },
            Err(e) if e.is_signed_out() => SyncStatus {
                last_error: Some(IpcError::from_ref(e)),
                ..self.after(&SyncUpdate::SignedOut)
            },
            Err(e) if e.is_offline() => SyncStatus {
                last_error: Some(IpcError::from_ref(e)),
                ..self.after(&SyncUpdate::Offline {
                    reason: e.to_string(),
                    last_synced_at: None,
                })
            },
            Err(e) => SyncStatus {
                phase: SyncPhase::Error,
                live: false,
                last_error: Some(IpcError::from_ref(e)),
                ..self.clone()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn the_phase_follows_the_engine() {
        let start = SyncStatus::starting("a@h", true, Some(t(1)));
        assert_eq!(start.phase, SyncPhase::Syncing);
        let live = start.after(&SyncUpdate::Synced {
            at: t(2),
            mode: SyncMode::Stream,
        });
        assert_eq!(
            (live.phase, live.live, live.last_synced_at),
            (SyncPhase::Idle, true, Some(t(2)))
        );
        let offline = live.after(&SyncUpdate::Offline {
            reason: "connection refused".into(),
            last_synced_at: None,
        });
        assert_eq!(offline.phase, SyncPhase::Offline);
        assert!(!offline.live);
        // Offline keeps the time data was last fresh, and says why.
        assert_eq!(offline.last_synced_at, Some(t(2)));
        assert_eq!(
            offline.last_error.as_ref().map(|e| e.message.as_str()),
            Some("connection refused")
        );
        let back = offline.after(&SyncUpdate::Synced {
            at: t(3),
            mode: SyncMode::Polling,
        });
        assert_eq!(
            (back.phase, back.live, back.last_error.clone()),
            (SyncPhase::Idle, false, None)
        );
        let out = back.after(&SyncUpdate::SignedOut);
        assert_eq!(out.phase, SyncPhase::SignedOut);
        assert_eq!(out.after(&SyncUpdate::Changed), out);
    }

    #[test]
    fn a_manual_sync_is_judged_like_the_engines() {
        let live = SyncStatus::starting("a@h", true, None).after(&SyncUpdate::Synced {
            at: t(2),
            mode: SyncMode::Stream,
        });
        let again = live.after_sync(Ok(t(4)));
        assert_eq!((again.phase, again.live), (SyncPhase::Idle, true));
        let offline = live.after_sync(Err(&crate::Error::Timeout));
        assert_eq!(offline.phase, SyncPhase::Offline);
        assert_eq!(offline.last_synced_at, Some(t(2)));
        let out = live.after_sync(Err(&crate::Error::SignedOut));
        assert_eq!(out.phase, SyncPhase::SignedOut);
        let broken = live.after_sync(Err(&crate::Error::BadResponse("garbage".into())));
        assert_eq!(broken.phase, SyncPhase::Error);
        assert!(!broken.is_online());
    }
}
