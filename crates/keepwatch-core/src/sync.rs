//! The sync engine: follows the account's event stream (or polls when there is none), keeps
//! history up to date, raises alerts, shows notifications and performs their buttons.
//!
//! Notifications are delivered from history, not from memory: an alert is committed first
//! (with its event and the cursor), then every alert not yet notified is shown and marked so.
//! A crash between the two, or a notification server that is not there, leaves the alert
//! unnotified, and the next delivery (at start, after the next sync or event, or on the retry
//! tick) shows it: at least once, never lost.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use keepwatch_api::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::account::Account;
use crate::client::StreamItem;
use crate::error::{Error, Result};
use crate::history::{AlertRecord, AlertState, EndReason, NoticeOutcome};
use crate::notifier::{ActionRequest, AlertNotice, NoticeAction, Notifier};
use crate::retry::Backoff;
use crate::wording::Language;

/// How long one Matrix `/sync` long-poll is held open: under the minute or two after which
/// proxies cut idle connections.
const MATRIX_LONG_POLL: Duration = Duration::from_secs(30);

/// Ticks every `every` (at least every 100 ms), the first one `every` from now; ticks missed
/// while busy are not made up.
fn ticks_every(every: Duration) -> tokio::time::Interval {
    let every = every.max(Duration::from_millis(100));
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks
}

/// How soon a Matrix device listed without its address is listed again.
const MATRIX_SETTLE_CHECK: Duration = Duration::from_secs(2);

/// How the engine is getting news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    /// Following `/v1/events/stream` (Matrix: `/sync` long-polls).
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
    /// The session ended; the engine stopped. Sign in again. When someone else ended it, an
    /// [`SyncUpdate::Alert`] came first.
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
    /// Shortest reconnection delay, whatever the server's `retry:` says
    /// ([`MIN_RECONNECT_DELAY`](crate::retry::MIN_RECONNECT_DELAY) unless a test lowers it).
    pub reconnect_floor: Duration,
    /// How often notifications that could not be shown are tried again.
    pub notify_retry: Duration,
    /// Whether to follow the event stream; off, the engine only polls (for networks whose
    /// proxies break long-lived responses).
    pub stream: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(30),
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(60),
            reconnect_floor: crate::retry::MIN_RECONNECT_DELAY,
            notify_retry: Duration::from_secs(30),
            stream: true,
        }
    }
}

/// The engine of one account.
pub struct SyncEngine {
    account: Account,
    notifier: Option<Arc<dyn Notifier>>,
    options: SyncOptions,
    /// Alerts already sent to the listener in this run.
    reported: Mutex<HashSet<String>>,
    /// Alerts whose notification is being shown right now.
    showing: Arc<Mutex<HashSet<String>>>,
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
            reported: Mutex::default(),
            showing: Arc::default(),
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
        let mut backoff = Backoff::new(self.options.backoff_base, self.options.backoff_cap)
            .with_floor(self.options.reconnect_floor);
        // What a crash or a missing notification server left unshown.
        self.deliver(&updates, &action_tx).await;
        loop {
            // Catch up over plain requests: sessions, events after the cursor, endings.
            let caught_up = tokio::select! {
                _ = &mut shutdown => return Ok(()),
                r = self.account.sync() => r,
            };
            let wait = match caught_up {
                Ok(_) => {
                    let _ = updates.send(SyncUpdate::Synced {
                        at: Utc::now(),
                        mode: SyncMode::Polling,
                    });
                    self.deliver(&updates, &action_tx).await;
                    let _ = updates.send(SyncUpdate::Changed);
                    if !self.options.stream {
                        self.options.poll_interval
                    } else {
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
                            Err(e) if e.is_signed_out() => {
                                return self.signed_out(e, &updates, &action_tx).await;
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
                }
                Err(e) if e.is_signed_out() => {
                    return self.signed_out(e, &updates, &action_tx).await;
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
            let mut retry = self.retry_ticks();
            loop {
                tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    _ = &mut deadline => break,
                    Some(req) = action_rx.recv() => self.perform(req, &updates).await,
                    _ = retry.tick() => self.deliver(&updates, &action_tx).await,
                }
            }
        }
    }

    /// The session is gone. Whatever alarm that raised is in history by now
    /// ([`Account::sync`] and [`Account::event_stream`] record it): show it, then stop.
    async fn signed_out(
        &self,
        e: Error,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
    ) -> Result<()> {
        tracing::warn!(error = %e, "signed out; the engine stops");
        self.deliver(updates, action_tx).await;
        let _ = updates.send(SyncUpdate::SignedOut);
        Err(e)
    }

    fn retry_ticks(&self) -> tokio::time::Interval {
        ticks_every(self.options.notify_retry)
    }

    async fn offline(&self, updates: &mpsc::UnboundedSender<SyncUpdate>, e: &Error) {
        tracing::warn!(error = %e, "server unreachable");
        let last = self.account.db(|h| h.last_synced_at()).await.ok().flatten();
        let _ = updates.send(SyncUpdate::Offline {
            reason: e.to_string(),
            last_synced_at: last,
        });
    }

    /// Follows a Matrix account through `/sync` long-polls until one fails: a change to the
    /// account's devices syncs at once, and a sync also runs every poll interval, since
    /// last-seen times and addresses change without a device-list change. `Ok(Continue)`:
    /// reconnect; `Ok(Stop)`: shut down.
    async fn follow_matrix(
        &self,
        matrix: &crate::provider::matrix::MatrixAccount,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
        action_rx: &mut mpsc::UnboundedReceiver<ActionRequest>,
        backoff: &mut Backoff,
        shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>,
    ) -> Result<Flow> {
        let (mut since, _) = tokio::select! {
            _ = shutdown.as_mut() => return Ok(Flow::Stop),
            r = matrix.wait_for_changes(None, Duration::ZERO) => match r {
                Err(e) if e.is_signed_out() => return Err(self.recorded_end(e).await),
                other => other?,
            },
        };
        let _ = updates.send(SyncUpdate::Synced {
            at: Utc::now(),
            mode: SyncMode::Stream,
        });
        let mut resync = ticks_every(self.options.poll_interval);
        let mut retry = self.retry_ticks();
        // Kept across the other branches: restarting a long-poll on every tick would only
        // churn requests.
        let mut poll = Box::pin(matrix.wait_for_changes(Some(since.clone()), MATRIX_LONG_POLL));
        // A device listed before its address was known is listed again soon (at once, if the
        // sync just before left one).
        let settle = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(settle);
        let mut settling = matrix.has_settling();
        let recheck = |settling: &mut bool, settle: std::pin::Pin<&mut tokio::time::Sleep>| {
            if !*settling && matrix.has_settling() {
                *settling = true;
                settle.reset(tokio::time::Instant::now() + MATRIX_SETTLE_CHECK);
            }
        };
        loop {
            tokio::select! {
                _ = shutdown.as_mut() => return Ok(Flow::Stop),
                Some(req) = action_rx.recv() => self.perform(req, updates).await,
                _ = retry.tick() => self.deliver(updates, action_tx).await,
                _ = resync.tick() => self.resync(updates, action_tx).await?,
                _ = &mut settle, if settling => {
                    settling = false;
                    self.resync(updates, action_tx).await?;
                    recheck(&mut settling, settle.as_mut());
                }
                r = &mut poll => {
                    let (next, changed) = match r {
                        Ok(answer) => answer,
                        Err(e) if e.is_signed_out() => return Err(self.recorded_end(e).await),
                        Err(e) => {
                            tracing::info!(error = %e, "the /sync long-poll broke; reconnecting");
                            return Ok(Flow::Continue);
                        }
                    };
                    backoff.reset();
                    since = next;
                    if changed {
                        self.resync(updates, action_tx).await?;
                        recheck(&mut settling, settle.as_mut());
                    }
                    poll = Box::pin(matrix.wait_for_changes(Some(since.clone()), MATRIX_LONG_POLL));
                }
            }
        }
    }

    /// A long-poll refused because Keepwatch's device is gone: [`Account::sync`] meets the
    /// same refusal and records the end of the session and judges it (the alarm); its error
    /// is the one to stop with.
    async fn recorded_end(&self, e: Error) -> Error {
        match self.account.sync().await {
            Err(recorded) => recorded,
            Ok(_) => e,
        }
    }

    /// Syncs now, tells the listener, and shows what it raised.
    async fn resync(
        &self,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
    ) -> Result<()> {
        match self.account.sync().await {
            Ok(_) => {
                self.deliver(updates, action_tx).await;
                let _ = updates.send(SyncUpdate::Changed);
                Ok(())
            }
            Err(e) if e.is_signed_out() => Err(e),
            Err(e) => {
                self.offline(updates, &e).await;
                Ok(())
            }
        }
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
        if let crate::provider::Provider::Matrix(matrix) = self.account.provider() {
            return self
                .follow_matrix(matrix, updates, action_tx, action_rx, backoff, shutdown)
                .await;
        }
        let cursor = self.account.db(|h| h.last_event_id()).await?;
        let mut stream = tokio::select! {
            _ = shutdown.as_mut() => return Ok(Flow::Stop),
            s = self.account.event_stream(cursor) => s?,
        };
        let _ = updates.send(SyncUpdate::Synced {
            at: Utc::now(),
            mode: SyncMode::Stream,
        });
        let mut retry = self.retry_ticks();
        loop {
            tokio::select! {
                _ = shutdown.as_mut() => return Ok(Flow::Stop),
                Some(req) = action_rx.recv() => self.perform(req, updates).await,
                _ = retry.tick() => self.deliver(updates, action_tx).await,
                item = stream.next() => match item {
                    Ok(Some(StreamItem::Event(event))) => {
                        backoff.reset();
                        let (fresh, _) = self.account.record_event(*event).await?;
                        self.account.db(|h| h.mark_synced(Utc::now())).await?;
                        self.deliver(updates, action_tx).await;
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

    /// Tells the listener of every alert not yet reported in this run, and shows every alert
    /// not yet notified: one notification, or one for several that says how many. An alert is
    /// marked shown only once the notification server took it.
    async fn deliver(
        &self,
        updates: &mpsc::UnboundedSender<SyncUpdate>,
        action_tx: &mpsc::UnboundedSender<ActionRequest>,
    ) {
        let pending = match self.account.db(|h| h.unnotified_alerts()).await {
            Ok(pending) => pending,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the alerts to notify");
                return;
            }
        };
        let prefs = self.account.preferences();
        let language = Language::resolve(prefs.language.as_deref());
        let unreported: Vec<&AlertRecord> = {
            let mut reported = self.reported.lock().unwrap_or_else(|p| p.into_inner());
            pending
                .iter()
                .filter(|a| reported.insert(a.alert.key.clone()))
                .collect()
        };
        for alert in unreported {
            let notice = self.notice_for(alert, language).await;
            let _ = updates.send(SyncUpdate::Alert {
                alert: Box::new(alert.clone()),
                notice,
            });
        }

        let paused = prefs
            .notifications_paused_until
            .is_some_and(|t| t > Utc::now());
        let (wanted, unwanted): (Vec<AlertRecord>, Vec<AlertRecord>) =
            pending.into_iter().partition(|a| {
                prefs.notifications && !paused && a.alert.severity >= prefs.notify_min_severity
            });
        if !unwanted.is_empty() {
            let keys: Vec<String> = unwanted.iter().map(|a| a.alert.key.clone()).collect();
            if let Err(e) = self
                .account
                .db(move |h| h.mark_notified(&keys, NoticeOutcome::Suppressed, Utc::now()))
                .await
            {
                tracing::warn!(error = %e, "could not record suppressed notifications");
            }
        }
        // Without a notifier (a headless `watch`), whoever has one shows them later.
        let Some(notifier) = self.notifier.clone() else {
            return;
        };
        let wanted: Vec<AlertRecord> = {
            let mut showing = self.showing.lock().unwrap_or_else(|p| p.into_inner());
            wanted
                .into_iter()
                .filter(|a| showing.insert(a.alert.key.clone()))
                .collect()
        };
        let mut notice = match wanted.as_slice() {
            [] => return,
            [one] => self.notice_for(one, language).await,
            several => AlertNotice::for_alerts(several, language),
        };
        if let Some(name) = self.account.notice_name() {
            notice.body = format!("{name}\n{}", notice.body);
        }
        let keys: Vec<String> = wanted.iter().map(|a| a.alert.key.clone()).collect();
        let (account, showing, tx) = (
            self.account.clone(),
            Arc::clone(&self.showing),
            action_tx.clone(),
        );
        // Showing a notification is a blocking D-Bus call: keep it off the runtime.
        tokio::task::spawn_blocking(move || {
            match notifier.notify(notice, tx) {
                Ok(()) => {
                    if let Err(e) =
                        account
                            .history_db()
                            .mark_notified(&keys, NoticeOutcome::Shown, Utc::now())
                    {
                        tracing::warn!(error = %e, "could not record a shown notification");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not show a notification; will retry"),
            }
            let mut showing = showing.lock().unwrap_or_else(|p| p.into_inner());
            for key in &keys {
                showing.remove(key);
            }
        });
    }

    /// The notice for one alert, about its session as history last saw it.
    async fn notice_for(&self, alert: &AlertRecord, language: Language) -> AlertNotice {
        let session = self.session_of(alert).await;
        let mut notice = AlertNotice::for_alert(alert, session.as_ref(), language);
        notice.sign_out_in_window = self
            .account
            .provider()
            .capabilities()
            .sign_out_needs_password;
        notice
    }

    /// The session an alert is about, as history last saw it.
    async fn session_of(&self, alert: &AlertRecord) -> Option<keepwatch_api::Session> {
        let id = alert.alert.session_id.clone()?;
        self.account
            .db(move |h| h.session(&id))
            .await
            .ok()
            .flatten()
            .map(|r| r.snapshot)
    }

    async fn perform(&self, req: ActionRequest, updates: &mpsc::UnboundedSender<SyncUpdate>) {
        let result = match req.action {
            NoticeAction::SignOut => match self.account.revoke(&req.session_id, None).await {
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
