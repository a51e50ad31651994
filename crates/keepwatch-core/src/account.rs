//! One watched account: its client, its history, and every operation the UI offers on it.

use std::sync::Arc;

use chrono::Utc;
use keepwatch_api::{
    BlocklistEntry, ChangePasswordRequest, ChangePasswordResponse, Event, EventKind, LoginAttempt,
    NewBlocklistEntry, Session, SessionLength, SessionList, TwoFactorResetRequest,
    TwoFactorResetResponse, Withdrawal,
};

use crate::client::AccountClient;
use crate::config::{AccountConfig, Config, DataDirs, Preferences};
use crate::detection;
use crate::error::{Error, Result};
use crate::history::{
    AlertRecord, AlertState, EndReason, History, HistoryQuery, SessionRecord, Trust,
};
use crate::views::{
    AccountView, AlertBrief, AlertsView, Freshness, HistoryView, SessionView, SessionsView,
    StatusView,
};

/// Largest page asked of `/v1/events` while catching up.
const EVENTS_PAGE: u32 = 500;
/// Most pages read in one catch-up; the rest waits for the next sync.
const MAX_EVENT_PAGES: usize = 200;

pub(crate) struct AccountInner {
    pub(crate) config: AccountConfig,
    pub(crate) dirs: DataDirs,
    pub(crate) client: AccountClient,
    pub(crate) history: Arc<History>,
    pub(crate) prefs: Preferences,
    /// One sync at a time: two would race on the event cursor.
    pub(crate) sync_lock: tokio::sync::Mutex<()>,
}

/// A watched account. Cheap to clone; every method is safe to call concurrently.
#[derive(Clone)]
pub struct Account {
    pub(crate) inner: Arc<AccountInner>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.inner.config.id)
            .finish_non_exhaustive()
    }
}

/// What one full sync found.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Alerts raised for the first time.
    pub new_alerts: Vec<AlertRecord>,
    /// Events stored for the first time.
    pub new_events: usize,
    /// Sessions that ended since the last sync.
    pub ended_sessions: Vec<String>,
}

impl Account {
    pub(crate) fn new(
        config: AccountConfig,
        dirs: DataDirs,
        client: AccountClient,
        history: History,
        prefs: Preferences,
    ) -> Self {
        Self {
            inner: Arc::new(AccountInner {
                config,
                dirs,
                client,
                history: Arc::new(history),
                prefs,
                sync_lock: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// `<email>@<server>`.
    pub fn id(&self) -> &str {
        &self.inner.config.id
    }

    /// The account's configuration.
    pub fn config(&self) -> &AccountConfig {
        &self.inner.config
    }

    /// The preferences as saved now, so that a running `watch` or desktop app follows changes
    /// made elsewhere (`keepwatch travel`, the window's settings) without a restart. Those read
    /// when the account was opened stand in while no configuration file exists or it cannot be
    /// read.
    pub fn preferences(&self) -> Preferences {
        let path = self.inner.dirs.config_file();
        if !path.exists() {
            return self.inner.prefs.clone();
        }
        match Config::load(&path) {
            Ok(config) => config.preferences,
            Err(e) => {
                tracing::warn!(error = %e, "using the preferences read at start");
                self.inner.prefs.clone()
            }
        }
    }

    /// How notifications, the tray and `watch` name this account when several are set up (as
    /// saved now): its email, or its whole id when another account has the same email. `None`
    /// with a single account, which needs no name.
    pub fn notice_name(&self) -> Option<String> {
        let accounts = Config::load(&self.inner.dirs.config_file())
            .map(|c| c.accounts)
            .unwrap_or_default();
        if accounts.len() < 2 {
            return None;
        }
        let email = &self.inner.config.email;
        let shared = accounts
            .iter()
            .filter(|a| a.email.eq_ignore_ascii_case(email))
            .count()
            > 1;
        Some(if shared {
            self.id().to_owned()
        } else {
            email.clone()
        })
    }

    /// The account's API client.
    pub fn client(&self) -> &AccountClient {
        &self.inner.client
    }

    /// What `accounts` shows about it.
    pub fn view(&self) -> AccountView {
        account_view(&self.inner.config, &self.inner.dirs)
    }

    /// The history database, for blocking callers (already off the async runtime).
    pub(crate) fn history_db(&self) -> &History {
        &self.inner.history
    }

    /// Runs `f` on the history database off the async runtime.
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&History) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let history = Arc::clone(&self.inner.history);
        tokio::task::spawn_blocking(move || f(&history))
            .await
            .map_err(|e| Error::Invalid(format!("history task failed: {e}")))?
    }

    fn own_session_id(&self) -> Option<&str> {
        self.inner.config.session_id.as_deref()
    }

    /// Asks the server for everything new and records it: sessions (ETag), events after the
    /// cursor, ended sessions; new sessions and events go through the detector.
    ///
    /// When the server answers that Keepwatch's session has ended ([`Error::SessionEnded`]),
    /// that is recorded and judged ([`Account::session_lost`]) before the error is returned,
    /// so that whoever asked (the engine, a CLI command) leaves the alarm in history.
    pub async fn sync(&self) -> Result<SyncReport> {
        let result = self.sync_once().await;
        self.noting_session_end(result).await
    }

    /// Opens the account's event stream after `cursor`, recording the end of Keepwatch's
    /// session as [`Account::sync`] does when the server refuses it for that.
    pub async fn event_stream(&self, cursor: u64) -> Result<crate::client::EventStream> {
        let result = self.inner.client.event_stream(Some(cursor)).await;
        self.noting_session_end(result).await
    }

    /// Passes `result` on, having recorded and judged an [`Error::SessionEnded`] first.
    async fn noting_session_end<T>(&self, result: Result<T>) -> Result<T> {
        if let Err(Error::SessionEnded(revocation)) = &result {
            if let Err(e) = self.session_lost(revocation.clone()).await {
                tracing::warn!(error = %e, "could not record the end of Keepwatch's session");
            }
        }
        result
    }

    /// Records that the server ended Keepwatch's own session as `revocation` says, and raises
    /// the alarm when someone else ended it. Returns the alerts raised for the first time (none
    /// when the event that ended it was already judged, or when it simply expired).
    pub async fn session_lost(
        &self,
        revocation: keepwatch_api::Revocation,
    ) -> Result<Vec<AlertRecord>> {
        let Some(own) = self.own_session_id().map(str::to_owned) else {
            return Ok(Vec::new());
        };
        let prefs = self.preferences();
        self.db(move |h| {
            h.atomically(|h| {
                let now = Utc::now();
                h.end_session(
                    &own,
                    EndReason::of_revocation(revocation.reason),
                    revocation.ended_at,
                    None,
                )?;
                let verdict = detection::assess_lost_session(h, &prefs, &own, &revocation, now)?;
                Ok(store_alert(h, verdict, now)?.into_iter().collect())
            })
        })
        .await
    }

    async fn sync_once(&self) -> Result<SyncReport> {
        let _guard = self.inner.sync_lock.lock().await;
        // Taken before asking, so that a session an event adds after the list was made is
        // never mistaken for one that left it.
        let now = Utc::now();
        let list = self.inner.client.sessions().await?;
        let mut report = SyncReport::default();
        let own = self.own_session_id().map(str::to_owned);
        let etag = self.inner.client.sessions_etag();
        let list_for_db = list.clone();
        let new_sessions: Vec<Session> = self
            .db(move |h| {
                h.atomically(|h| {
                    let mut fresh = Vec::new();
                    for s in &list_for_db.sessions {
                        let is_own = Some(s.id.as_str()) == own.as_deref()
                            || s.id == list_for_db.current_session_id;
                        if h.upsert_session(s, &detection::device_key(s), is_own, now)? {
                            fresh.push(s.clone());
                        }
                        if is_own {
                            h.set_trust(&s.id, Trust::Own)?;
                        }
                    }
                    if !h.initialised()? {
                        if h.trust_existing()? {
                            h.trust_all_active(Trust::Existing)?;
                        }
                        h.set_initialised()?;
                    }
                    if let Some(etag) = etag {
                        let body = serde_json::to_string(&list_for_db)
                            .map_err(|e| Error::Invalid(e.to_string()))?;
                        h.set_sessions_cache(&etag, &body)?;
                    }
                    Ok(fresh)
                })
            })
            .await?;

        // Events first, so that sessions that ended get their precise reason.
        let mut cursor = self.db(|h| h.last_event_id()).await?;
        for _ in 0..MAX_EVENT_PAGES {
            let page = self.inner.client.events(cursor, Some(EVENTS_PAGE)).await?;
            let last_id = page.events.iter().map(|e| e.id).max().unwrap_or(0);
            for event in page.events {
                let (stored, alerts) = self.record_event(event).await?;
                report.new_events += usize::from(stored);
                report.new_alerts.extend(alerts);
            }
            // A server that says "more" without moving its cursor would keep us here forever.
            let next = page.cursor.max(last_id);
            if !page.has_more || next <= cursor {
                break;
            }
            cursor = next;
        }

        let active: Vec<String> = list.sessions.iter().map(|s| s.id.clone()).collect();
        let prefs = self.preferences();
        let (ended, alerts) = self
            .db(move |h| {
                h.atomically(|h| {
                    let ended = h.end_missing_sessions(&active, now, Utc::now())?;
                    let mut alerts = Vec::new();
                    for s in &new_sessions {
                        let verdict = detection::assess_session(h, &prefs, s, now)?;
                        alerts.extend(store_alert(h, verdict, now)?);
                    }
                    h.mark_synced(now)?;
                    Ok((ended, alerts))
                })
            })
            .await?;
        report.ended_sessions = ended;
        report.new_alerts.extend(alerts);
        Ok(report)
    }

    /// Records one event (from the list or the stream) and runs the detector on it. Returns
    /// whether it was new, and the alerts it raised for the first time.
    ///
    /// The event, its alerts and the cursor past it are written in one transaction: after a
    /// crash either all of them are on disk (and the alerts wait to be notified) or none is
    /// (and the event is fetched again).
    pub(crate) async fn record_event(&self, event: Event) -> Result<(bool, Vec<AlertRecord>)> {
        let own = self.own_session_id().map(str::to_owned);
        let prefs = self.preferences();
        self.db(move |h| {
            h.atomically(|h| {
                let now = Utc::now();
                let fresh = h.insert_event(&event)?;
                let mut alerts = Vec::new();
                if fresh {
                    match (event.kind, &event.session) {
                        (EventKind::SessionCreated, Some(s)) => {
                            let is_own = Some(s.id.as_str()) == own.as_deref();
                            let known = h.session(&s.id)?.is_some();
                            if !known {
                                h.upsert_session(s, &detection::device_key(s), is_own, now)?;
                            }
                            // The detector's event verdict below covers the new session, under
                            // the same `session:<id>` key as a verdict from the list would.
                        }
                        (EventKind::SessionRevoked, Some(s)) => {
                            let here = event.actor_session_id.is_some()
                                && event.actor_session_id.as_deref() == own.as_deref();
                            let reason = if here {
                                EndReason::SignedOutHere
                            } else {
                                EndReason::SignedOutElsewhere
                            };
                            h.end_session(
                                &s.id,
                                reason,
                                event.occurred_at,
                                Some((s, &detection::device_key(s))),
                            )?;
                        }
                        (EventKind::SessionExpired, Some(s)) => {
                            h.end_session(
                                &s.id,
                                EndReason::Expired,
                                event.occurred_at,
                                Some((s, &detection::device_key(s))),
                            )?;
                        }
                        _ => {}
                    }
                    let verdict = detection::assess_event(h, &prefs, &event, now)?;
                    alerts.extend(store_alert(h, verdict, now)?);
                    if let Some(revocation) = own_session_ended(&event, own.as_deref()) {
                        let own = own.as_deref().unwrap_or_default();
                        let verdict =
                            detection::assess_lost_session(h, &prefs, own, &revocation, now)?;
                        alerts.extend(store_alert(h, verdict, now)?);
                    }
                }
                if event.id > h.last_event_id()? {
                    h.set_last_event_id(event.id)?;
                }
                Ok((fresh, alerts))
            })
        })
        .await
    }

    async fn freshness_after(&self, result: &Result<SyncReport>) -> Result<Freshness> {
        let last = self.db(|h| h.last_synced_at()).await?;
        Ok(match result {
            Ok(_) => Freshness {
                online: true,
                last_synced_at: last,
                offline_reason: None,
                signed_out: false,
            },
            Err(e) if e.is_signed_out() => Freshness {
                online: false,
                last_synced_at: last,
                offline_reason: Some(e.to_string()),
                signed_out: true,
            },
            Err(e) => Freshness {
                online: false,
                last_synced_at: last,
                offline_reason: Some(e.to_string()),
                signed_out: false,
            },
        })
    }

    /// Syncs if the server answers; errors other than being offline or signed out are
    /// returned, those two become a [`Freshness`] that says so.
    async fn try_sync(&self) -> Result<Freshness> {
        let result = match self.sync().await {
            Ok(report) => Ok(report),
            Err(e) if shows_history_instead(&e) => {
                tracing::warn!(error = %e, "showing history: the server could not be asked");
                Err(e)
            }
            Err(e) => return Err(e),
        };
        self.freshness_after(&result).await
    }

    /// The active sessions: from the server when it answers, else from history.
    pub async fn sessions(&self) -> Result<SessionsView> {
        let freshness = self.try_sync().await?;
        let own = self.own_session_id().map(str::to_owned);
        let sessions = self
            .db(move |h| {
                let alerts = h.query_alerts(&HistoryQuery::default())?;
                Ok(h.active_sessions()?
                    .iter()
                    .map(|r| session_view(r, own.as_deref(), &alerts))
                    .collect())
            })
            .await?;
        Ok(SessionsView {
            account: self.id().to_owned(),
            freshness,
            sessions,
        })
    }

    /// The active sessions as the account API shapes them (device, network, location), from
    /// the server when it answers, else the last snapshots in history; `current` marks
    /// Keepwatch's own session. This is what the desktop window's session list shows.
    pub async fn session_list(&self) -> Result<(Freshness, SessionList)> {
        let freshness = self.try_sync().await?;
        let own = self.own_session_id().map(str::to_owned);
        let records = self.db(|h| h.active_sessions()).await?;
        Ok((freshness, snapshot_list(&records, own.as_deref())))
    }

    /// [`Account::session_list`] from history alone, without asking the server: for a
    /// listener of the sync engine, which has just synced.
    pub async fn cached_session_list(&self) -> Result<SessionList> {
        let own = self.own_session_id().map(str::to_owned);
        let records = self.db(|h| h.active_sessions()).await?;
        Ok(snapshot_list(&records, own.as_deref()))
    }

    /// Every alert in history, newest first, without asking the server.
    pub async fn cached_alerts(&self) -> Result<Vec<AlertRecord>> {
        self.db(|h| h.query_alerts(&HistoryQuery::default())).await
    }

    /// Session records ever seen that match `query` (synced first when the server answers),
    /// with every alert in history, for views that need the API's whole session shape.
    pub async fn history_records(
        &self,
        query: HistoryQuery,
    ) -> Result<(Freshness, Vec<SessionRecord>, Vec<AlertRecord>)> {
        let freshness = self.try_sync().await?;
        let (records, alerts) = self
            .db(move |h| {
                Ok((
                    h.query_sessions(&query)?,
                    h.query_alerts(&HistoryQuery::default())?,
                ))
            })
            .await?;
        Ok((freshness, records, alerts))
    }

    /// Alerts matching `query` (synced first when the server answers).
    pub async fn alerts(&self, query: HistoryQuery) -> Result<AlertsView> {
        let freshness = self.try_sync().await?;
        let alerts = self.db(move |h| h.query_alerts(&query)).await?;
        Ok(AlertsView {
            account: self.id().to_owned(),
            freshness,
            alerts,
        })
    }

    /// Sessions ever seen matching `query` (synced first when the server answers).
    pub async fn history(&self, query: HistoryQuery) -> Result<HistoryView> {
        let freshness = self.try_sync().await?;
        let own = self.own_session_id().map(str::to_owned);
        let sessions = self
            .db(move |h| {
                let alerts = h.query_alerts(&HistoryQuery::default())?;
                Ok(h.query_sessions(&query)?
                    .iter()
                    .map(|r| session_view(r, own.as_deref(), &alerts))
                    .collect())
            })
            .await?;
        Ok(HistoryView {
            account: self.id().to_owned(),
            freshness,
            sessions,
        })
    }

    /// Events matching `query`, from history only.
    pub async fn events(&self, query: HistoryQuery) -> Result<Vec<Event>> {
        self.db(move |h| h.query_events(&query)).await
    }

    /// Account state without asking the server.
    pub async fn status(&self) -> Result<StatusView> {
        let (active, open, cursor, last) = self
            .db(|h| {
                let active = h.active_sessions()?.len();
                let open = h
                    .query_alerts(&HistoryQuery::default())?
                    .iter()
                    .filter(|a| matches!(a.state, AlertState::New | AlertState::Acknowledged))
                    .count();
                Ok((active, open, h.last_event_id()?, h.last_synced_at()?))
            })
            .await?;
        let online = self.inner.client.ensure_signed_in().await;
        let freshness = Freshness {
            online: online.is_ok(),
            last_synced_at: last,
            offline_reason: online.as_ref().err().map(|e| e.to_string()),
            signed_out: online.as_ref().is_err_and(Error::is_signed_out),
        };
        Ok(StatusView {
            account: self.view(),
            freshness,
            active_sessions: active,
            open_alerts: open,
            last_event_id: cursor,
        })
    }

    /// Signs session `id` out on the server and records it.
    pub async fn revoke(&self, id: &str) -> Result<()> {
        if Some(id) == self.own_session_id() {
            return Err(Error::CurrentSession);
        }
        self.inner.client.revoke_session(id).await?;
        let id = id.to_owned();
        self.db(move |h| {
            let now = Utc::now();
            h.end_session(&id, EndReason::SignedOutHere, now, None)?;
            h.resolve_session_alerts(&id, AlertState::Acted, Some("signed_out_session"), now)?;
            Ok(())
        })
        .await
    }

    /// Signs every other session out. Returns how many ended.
    pub async fn revoke_others(&self) -> Result<u32> {
        let before: Vec<SessionRecord> = self.db(|h| h.active_sessions()).await?;
        let answer = self.inner.client.revoke_others().await?;
        let own = self.own_session_id().map(str::to_owned);
        self.db(move |h| {
            let now = Utc::now();
            for s in before.iter().filter(|s| Some(&s.id) != own.as_ref()) {
                h.end_session(&s.id, EndReason::SignedOutHere, now, None)?;
                h.resolve_session_alerts(
                    &s.id,
                    AlertState::Acted,
                    Some("signed_out_session"),
                    now,
                )?;
            }
            Ok(())
        })
        .await?;
        Ok(answer.revoked)
    }

    /// "This was me": trusts session `id` (into the baseline) and closes its alerts.
    pub async fn trust(&self, id: &str) -> Result<()> {
        let known = {
            let id = id.to_owned();
            self.db(move |h| Ok(h.session(&id)?.is_some())).await?
        };
        if !known {
            // It may be newer than the last sync.
            if let Err(e) = self.sync().await {
                tracing::warn!(error = %e, "could not sync before trusting");
            }
        }
        let id = id.to_owned();
        self.db(move |h| {
            let now = Utc::now();
            if !h.set_trust(&id, Trust::Confirmed)? {
                return Err(Error::NotFound(format!("no session {id} in history")));
            }
            h.resolve_session_alerts(&id, AlertState::Confirmed, Some("this_was_me"), now)?;
            Ok(())
        })
        .await
    }

    /// Moves an alert to `state` (e.g. acknowledged).
    pub async fn set_alert_state(&self, key: &str, state: AlertState) -> Result<()> {
        let key = key.to_owned();
        self.db(move |h| {
            if h.set_alert_state(&key, state, None, Utc::now())? {
                Ok(())
            } else {
                Err(Error::NotFound(format!("no alert {key}")))
            }
        })
        .await
    }

    /// Writes all history as CSV (sessions) or JSON (sessions, events, alerts) to `out`.
    pub async fn export(
        &self,
        format: crate::export::ExportFormat,
        out: Box<dyn std::io::Write + Send>,
    ) -> Result<()> {
        self.db(move |h| crate::export::export(h, format, out))
            .await
    }

    /// Changes the password.
    pub async fn change_password(
        &self,
        request: &ChangePasswordRequest,
    ) -> Result<ChangePasswordResponse> {
        self.inner.client.change_password(request).await
    }

    /// Replaces the TOTP secret and backup codes.
    pub async fn reset_two_factor(
        &self,
        request: &TwoFactorResetRequest,
    ) -> Result<TwoFactorResetResponse> {
        self.inner.client.reset_two_factor(request).await
    }

    /// The IP blocklist.
    pub async fn blocklist(&self) -> Result<Vec<BlocklistEntry>> {
        self.inner.client.blocklist().await
    }

    /// Blocks an address or range.
    pub async fn block(&self, entry: &NewBlocklistEntry) -> Result<BlocklistEntry> {
        self.inner.client.add_blocklist_entry(entry).await
    }

    /// Unblocks.
    pub async fn unblock(&self, id: &str) -> Result<()> {
        self.inner.client.remove_blocklist_entry(id).await
    }

    /// Idle lifetimes.
    pub async fn session_length(&self) -> Result<SessionLength> {
        self.inner.client.session_length().await
    }

    /// Sets idle lifetimes.
    pub async fn set_session_length(&self, length: &SessionLength) -> Result<SessionLength> {
        self.inner.client.set_session_length(length).await
    }

    /// Recent withdrawals.
    pub async fn withdrawals(&self, limit: Option<u32>) -> Result<Vec<Withdrawal>> {
        self.inner.client.withdrawals(limit).await
    }

    /// Sign-in attempts.
    pub async fn login_history(&self, limit: Option<u32>) -> Result<Vec<LoginAttempt>> {
        self.inner.client.login_history(limit).await
    }

    /// The server's current session list (no history).
    pub async fn server_sessions(&self) -> Result<SessionList> {
        self.inner.client.sessions().await
    }
}

/// Stores a verdict of the detector, returning the alert when it is raised for the first time.
fn store_alert(
    h: &History,
    verdict: Option<keepwatch_detector::Alert>,
    now: keepwatch_api::Timestamp,
) -> Result<Option<AlertRecord>> {
    let Some(new) = verdict else {
        return Ok(None);
    };
    if h.insert_alert(&new, now)? {
        h.alert(&new.key)
    } else {
        Ok(None)
    }
}

/// How Keepwatch's own session `own` ended, when `event` is its `session_revoked`. A server
/// that names no reason is read as well as it can be from who acted.
fn own_session_ended(event: &Event, own: Option<&str>) -> Option<keepwatch_api::Revocation> {
    use keepwatch_api::RevocationReason as R;
    let session = event.session.as_ref()?;
    if event.kind != EventKind::SessionRevoked || Some(session.id.as_str()) != own {
        return None;
    }
    let by = event.actor_session_id.clone();
    let reason = event.revocation.unwrap_or(match by.as_deref() {
        Some(by) if by == session.id => R::SignedOut,
        Some(_) => R::RevokedBySession,
        None => R::Unknown,
    });
    Some(keepwatch_api::Revocation {
        reason,
        by_session: by,
        event_id: Some(event.cause_event_id.unwrap_or(event.id)),
        ended_at: event.occurred_at,
    })
}

/// The server-shaped list of `records`' last snapshots, `current` set for `own` only.
fn snapshot_list(records: &[SessionRecord], own: Option<&str>) -> SessionList {
    let sessions = records
        .iter()
        .map(|r| {
            let mut s = r.snapshot.clone();
            s.current = Some(r.id.as_str()) == own;
            s
        })
        .collect();
    SessionList {
        current_session_id: own.unwrap_or_default().to_owned(),
        sessions,
    }
}

fn session_view(r: &SessionRecord, own: Option<&str>, alerts: &[AlertRecord]) -> SessionView {
    let open = alerts
        .iter()
        .filter(|a| a.alert.session_id.as_deref() == Some(r.id.as_str()))
        .filter(|a| matches!(a.state, AlertState::New | AlertState::Acknowledged))
        .max_by_key(|a| a.alert.severity)
        .map(|a| AlertBrief {
            key: a.alert.key.clone(),
            kind: a.alert.kind,
            severity: a.alert.severity,
            state: a.state,
        });
    SessionView::from_record(r, Some(r.id.as_str()) == own, open)
}

pub(crate) fn account_view(c: &AccountConfig, dirs: &DataDirs) -> AccountView {
    AccountView {
        id: c.id.clone(),
        server: c.server.clone(),
        email: c.email.clone(),
        added_at: c.added_at,
        session_id: c.session_id.clone(),
        history_path: dirs.history_file(&c.id).display().to_string(),
        remembered: c.remember,
    }
}

/// Errors after which the cached history is still worth showing, marked as not fresh.
fn shows_history_instead(e: &Error) -> bool {
    e.is_offline()
        || matches!(
            e,
            Error::SignedOut
                | Error::NoCredentials(_)
                | Error::SessionEnded(_)
                | Error::BadResponse(_)
                | Error::BodyTooLarge { .. }
                | Error::RateLimited { .. }
                | Error::Keyring(_)
                | Error::KeyringTimeout
        )
}
