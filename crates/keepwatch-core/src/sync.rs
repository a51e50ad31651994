//! The sync engine: follows the account's event stream (or polls when there is none), keeps
//! history up to date, raises alerts, shows notifications and performs their buttons.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use keepwatch_api::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::account::Account;
use crate::client::StreamItem;
use crate::error::{Error, Result};
use crate::history::{AlertRecord, AlertState, EndReason};
use crate::notifier::{ActionRequest, AlertNotice, NoticeAction, Notifier};
use crate::retry::Backoff;
use crate::wording::Language;

/// How the engine is getting news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    /// Following `/v1/events/stream`.
    Stream,
    /// Polling `/v1/sessions` and `/v1/events` at the poll interval.
    Polling,
}

/// What the engine tells its listener (the CLI's `watch`, the desktop app's window and tray).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncUpdate {
    /// The server answered; history is current as of `at`.
    Synced {
        /// When.
        at: Timestamp,
        /// How news arrive now.
        mode: SyncMode,
    },
    /// The server cannot be reached; history is served as of `last_synced_at`.
    Offline {
        /// Why.
        reason: String,
        /// When the server last answered.
        last_synced_at: Option<Timestamp>,
    },
    /// An alert raised for the first time.
    Alert {
        /// The alert.
        alert: Box<AlertRecord>,
        /// What the notification said (also for a GUI to reuse).
        notice: AlertNotice,
    },
    /// History changed (sessions appeared or ended, events arrived).
    Changed,
    /// A notification button was performed.
    ActionDone {
        /// The alert.
        alert_key: String,
        /// The session.
        session_id: String,
        /// The button.
        action: NoticeAction,
        /// The error, when it failed.
        error: Option<String>,
    },
    /// The session ended; the engine stopped. Sign in again.
    SignedOut,
}

/// Knobs of the engine.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Between polls when the stream is unavailable.
    pub poll_interval: Duration,
    /// First reconnection delay.
    pub backoff_base: Duration,
    /// Longest reconnection delay.
    pub backoff_cap: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(30),
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(60),
        }
    }
}

/// The engine of one account.
pub struct SyncEngine {
    account: Account,
    notifier: Option<Arc<dyn Notifier>>,
    options: SyncOptions,
}

impl std::fmt::Debug for SyncEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEngine")
            .field("account", &self.account.id())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

enum Flow {
    Continue,
    Stop,
}

impl SyncEngine {
    /// An engine for `account`, notifying through `notifier` when given.
    pub fn new(
        account: Account,
        notifier: Option<Arc<dyn Notifier>>,
        options: SyncOptions,
    ) -> Self {
        Self {
            account,
            notifier,
            options,
        }
    }

    /// Runs until `shutdown` completes or the session ends. Updates go to `updates`; a closed
    /// receiver is not an error.
    pub async fn run(
        self,
        updates: mpsc::UnboundedSender<SyncUpdate>,
        shutdown: impl Future<Output = ()>,
    ) -> Result<()> {
        tokio::pin!(shutdown);
        let (action_tx, mut action_rx) = mpsc::unbounded_channel::<ActionRequest>();
        let mut backoff = Backoff::new(self.options.backoff_base, self.options.backoff_cap);
        loop {
            // Catch up over plain requests: sessions, events after the cursor, endings.
            let caught_up = tokio::select! {
                _ = &mut shutdown => return Ok(()),
                r = self.account.sync() => r,
            };
            let wait = match caught_up {
                Ok(report) => {
                    let _ = updates.send(SyncUpdate::Synced {
                        at: Utc::now(),
                        mode: SyncMode::Polling,
                    });
                    self.raise(report.new_alerts, &updates, &action_tx).await;
                    let _ = updates.send(SyncUpdate::Changed);
                    match self
                        .follow_stream(
                            &updates,
                            &action_tx,
                            &mut action_rx,
                            &mut backoff,
                            &mut shutdown,
                        )
                        .await
                    {
                        Ok(Flow::Stop) => return Ok(()),
                        Ok(Flow::Continue) => backoff.next_delay(),
                        Err(Error::SignedOut) | Err(Error::NoCredentials(_)) => {
                            let _ = updates.send(SyncUpdate::SignedOut);
                            return Err(Error::SignedOut);
                        }
                        Err(e) if e.is_offline() => {
                            self.offline(&updates, &e).await;
                            backoff.next_delay()
                        }
                        Err(e) => {
                            tracing::info!(error = %e, "event stream unavailable; polling");
                            self.options.poll_interval
                        }
                    }
                }
                Err(Error::SignedOut) | Err(Error::NoCredentials(_)) => {
                    let _ = updates.send(SyncUpdate::SignedOut);
                    return Err(Error::SignedOut);
                }
                Err(e) => {
                    self.offline(&updates, &e).await;
                    backoff
                        .next_delay()
                        .min(self.options.poll_interval.max(self.options.backoff_base))
                }
            };
            let deadline = tokio::time::sleep(wait);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    _ = &mut deadline => break,
                    Some(req) = action_rx.recv() => self.perform(req, &updates).await,
                }
            }
        }
    }

    async fn offline(&self, updates: &mpsc::UnboundedSender<SyncUpdate>, e: &Error) {
        tracing::warn!(error = %e, "server unreachable");
        let last = self.account.db(|h| h.last_synced_at()).await.ok().flatten();
        let _ = updates.send(SyncUpdate::Offline {
            reason: e.to_string(),
            last_synced_at: last,
        });
    }

    /// Follows the stream until it ends. `Ok(Continue)`: reconnect; `Ok(Stop)`: shut down.
    async fn follow_stream(
        &self,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
        action_rx: &mut mpsc::UnboundedReceiver<ActionRequest>,
        backoff: &mut Backoff,
        shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>,
    ) -> Result<Flow> {
        let cursor = self.account.db(|h| h.last_event_id()).await?;
        let mut stream = tokio::select! {
            _ = shutdown.as_mut() => return Ok(Flow::Stop),
            s = self.account.client().event_stream(Some(cursor)) => s?,
        };
        let _ = updates.send(SyncUpdate::Synced {
            at: Utc::now(),
            mode: SyncMode::Stream,
        });
        loop {
            tokio::select! {
                _ = shutdown.as_mut() => return Ok(Flow::Stop),
                Some(req) = action_rx.recv() => self.perform(req, updates).await,
                item = stream.next() => match item {
                    Ok(Some(StreamItem::Event(event))) => {
                        backoff.reset();
                        let (fresh, alerts) = self.account.record_event(*event).await?;
                        self.account.db(|h| h.mark_synced(Utc::now())).await?;
                        self.raise(alerts, updates, action_tx).await;
                        if fresh {
                            let _ = updates.send(SyncUpdate::Changed);
                        }
                    }
                    Ok(Some(StreamItem::Retry(d))) => backoff.set_base(d),
                    Ok(None) => {
                        tracing::info!("event stream closed by the server; reconnecting");
                        return Ok(Flow::Continue);
                    }
                    Err(e) => {
                        tracing::info!(error = %e, "event stream broke; reconnecting");
                        return Ok(Flow::Continue);
                    }
                },
            }
        }
    }

    async fn raise(
        &self,
        alerts: Vec<AlertRecord>,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
    ) {
        for alert in alerts {
            let session = match alert.alert.session_id.clone() {
                Some(id) => self
                    .account
                    .db(move |h| h.session(&id))
                    .await
                    .ok()
                    .flatten()
                    .map(|r| r.snapshot),
                None => None,
            };
            let prefs = self.account.preferences();
            let language = Language::resolve(prefs.language.as_deref());
            let notice = AlertNotice::for_alert(&alert, session.as_ref(), language);
            let paused = prefs
                .notifications_paused_until
                .is_some_and(|t| t > Utc::now());
            let wanted =
                prefs.notifications && !paused && alert.alert.severity >= prefs.notify_min_severity;
            if let Some(n) = self.notifier.as_ref().filter(|_| wanted) {
                // Showing a notification is a blocking D-Bus call: keep it off the runtime.
                let (n, notice, tx) = (Arc::clone(n), notice.clone(), action_tx.clone());
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = n.notify(notice, tx) {
                        tracing::warn!(error = %e, "could not show a notification");
                    }
                });
            }
            let _ = updates.send(SyncUpdate::Alert {
                alert: Box::new(alert),
                notice,
            });
        }
    }

    async fn perform(&self, req: ActionRequest, updates: &mpsc::UnboundedSender<SyncUpdate>) {
        let result = match req.action {
            NoticeAction::SignOut => match self.account.revoke(&req.session_id).await {
                // Already gone is what the user wanted.
                Err(Error::NotFound(_)) => {
                    let id = req.session_id.clone();
                    self.account
                        .db(move |h| {
                            let now = Utc::now();
                            h.end_session(&id, EndReason::SignedOutHere, now, None)?;
                            h.resolve_session_alerts(
                                &id,
                                AlertState::Acted,
                                Some("signed_out_session"),
                                now,
                            )?;
                            Ok(())
                        })
                        .await
                }
                other => other,
            },
            NoticeAction::ThisWasMe => self.account.trust(&req.session_id).await,
            // Nothing to do here: whoever shows alerts shows it.
            NoticeAction::Open => Ok(()),
        };
        if let Err(e) = &result {
            tracing::warn!(error = %e, action = ?req.action, "notification action failed");
        }
        let _ = updates.send(SyncUpdate::ActionDone {
            alert_key: req.alert_key,
            session_id: req.session_id,
            action: req.action,
            error: result.err().map(|e| e.to_string()),
        });
    }
}
