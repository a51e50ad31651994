//! One watched account: its client, its history, and every operation the UI offers on it.

use std::sync::Arc;

use chrono::Utc;
use keepwatch_api::{Event, EventKind, Session};

use crate::client::AccountClient;
use crate::config::{AccountConfig, Preferences};
use crate::config_store::ConfigStore;
use crate::detection;
use crate::error::{Error, Result};
use crate::history::{
    AlertRecord, AlertState, EndReason, History, HistoryQuery, SessionRecord, Trust,
};
use crate::provider::{Capabilities, Provider};

/// Largest page asked of `/v1/events` while catching up.
const EVENTS_PAGE: u32 = 500;
/// Most pages read in one catch-up; the rest waits for the next sync.
const MAX_EVENT_PAGES: usize = 200;

pub(crate) struct AccountInner {
    pub(crate) config: AccountConfig,
    pub(crate) provider: Provider,
    pub(crate) history: Arc<History>,
    pub(crate) config_store: Arc<ConfigStore>,
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
        provider: Provider,
        history: History,
        config_store: Arc<ConfigStore>,
    ) -> Self {
        Self {
            inner: Arc::new(AccountInner {
                config,
                provider,
                history: Arc::new(history),
                config_store,
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
    /// made elsewhere (`keepwatch travel`, the window's settings) without a restart.
    pub fn preferences(&self) -> Preferences {
        self.inner.config_store.get().preferences
    }

    /// How notifications, the tray and `watch` name this account when several are set up (as
    /// saved now): its email, or its whole id when another account has the same email. `None`
    /// with a single account, which needs no name.
    pub fn notice_name(&self) -> Option<String> {
        let accounts = self.inner.config_store.get().accounts;
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

    /// The account's connection to its account system.
    pub fn provider(&self) -> &Provider {
        &self.inner.provider
    }

    /// The Keepwatch API client, for what only that provider offers; `what` names it in the
    /// error for an account on another provider.
    pub fn client_for(&self, what: &'static str) -> Result<&AccountClient> {
        self.inner.provider.keepwatch_api(what)
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
        let result = match self.client_for("an event stream") {
            Ok(client) => client.event_stream(Some(cursor)).await,
            Err(e) => Err(e),
        };
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
        let caps = self.inner.provider.capabilities();
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
                Ok(store_alert(h, verdict, now, caps)?.into_iter().collect())
            })
        })
        .await
    }

    async fn sync_once(&self) -> Result<SyncReport> {
        let _guard = self.inner.sync_lock.lock().await;
        // Taken before asking, so that a session an event adds after the list was made is
        // never mistaken for one that left it.
        let now = Utc::now();
        let list = self.inner.provider.sessions().await?;
        let mut report = SyncReport::default();
        let own = self.own_session_id().map(str::to_owned);
        let etag = self.inner.provider.sessions_etag();
        let caps = self.inner.provider.capabilities();
        let first_login_known = caps.first_login;
        let list_for_db = list.clone();
        let new_sessions: Vec<Session> = self
            .db(move |h| {
                h.atomically(|h| {
                    let mut fresh = Vec::new();
                    for s in &list_for_db.sessions {
                        let first_seen;
                        let s = if first_login_known {
                            s
                        } else {
                            // The provider does not say when a session signed in: history's
                            // first sighting of it stands in, and stays put.
                            let mut seen = s.clone();
                            seen.created_at =
                                h.session(&s.id)?.map_or(now, |known| known.created_at);
                            first_seen = seen;
                            &first_seen
                        };
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
        // Matrix keeps no event log: there, the sessions list is all there is.
        if let Provider::KeepwatchApi(client) = &self.inner.provider {
            self.catch_up_events(client, &mut report).await?;
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
                        alerts.extend(store_alert(h, verdict, now, caps)?);
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

    /// Reads the Keepwatch API's events after the cursor, a page at a time, into history.
    async fn catch_up_events(&self, client: &AccountClient, report: &mut SyncReport) -> Result<()> {
        let mut cursor = self.db(|h| h.last_event_id()).await?;
        for _ in 0..MAX_EVENT_PAGES {
            let page = client.events(cursor, Some(EVENTS_PAGE)).await?;
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
        Ok(())
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
        let caps = self.inner.provider.capabilities();
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
                    alerts.extend(store_alert(h, verdict, now, caps)?);
                    if let Some(revocation) = own_session_ended(&event, own.as_deref()) {
                        let own = own.as_deref().unwrap_or_default();
                        let verdict =
                            detection::assess_lost_session(h, &prefs, own, &revocation, now)?;
                        alerts.extend(store_alert(h, verdict, now, caps)?);
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

    /// The sessions history holds as active, newest activity first, without asking the server.
    pub async fn active_sessions(&self) -> Result<Vec<SessionRecord>> {
        self.db(|h| h.active_sessions()).await
    }

    /// Every alert in history, newest first, without asking the server.
    pub async fn cached_alerts(&self) -> Result<Vec<AlertRecord>> {
        self.db(|h| h.query_alerts(&HistoryQuery::default())).await
    }

    /// Events matching `query`, from history only.
    pub async fn events(&self, query: HistoryQuery) -> Result<Vec<Event>> {
        self.db(move |h| h.query_events(&query)).await
    }

    /// Signs session `id` out on the server and records it. `password` confirms it where the
    /// provider asks for one ([`crate::provider::Capabilities::sign_out_needs_password`]).
    pub async fn revoke(&self, id: &str, password: Option<&str>) -> Result<()> {
        if Some(id) == self.own_session_id() {
            return Err(Error::CurrentSession);
        }
        self.inner.provider.revoke(id, password).await?;
        let id = id.to_owned();
        self.db(move |h| {
            let now = Utc::now();
            h.end_session(&id, EndReason::SignedOutHere, now, None)?;
            h.resolve_session_alerts(&id, AlertState::Acted, Some("signed_out_session"), now)?;
            Ok(())
        })
        .await
    }

    /// Signs every other session out (`password` as for [`Account::revoke`]). Returns how
    /// many ended.
    pub async fn revoke_others(&self, password: Option<&str>) -> Result<u32> {
        let before: Vec<SessionRecord> = self.db(|h| h.active_sessions()).await?;
        let revoked = self.inner.provider.revoke_others(password).await?;
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
        Ok(revoked)
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

    /// Writes all history as CSV (sessions) or JSON (sessions, events, alerts) to `out`, row
    /// by row, telling `progress` how far it has got. Returns the rows written.
    pub async fn export(
        &self,
        format: crate::export::ExportFormat,
        out: Box<dyn std::io::Write + Send>,
        mut progress: impl FnMut(crate::export::ExportProgress) + Send + 'static,
    ) -> Result<u64> {
        self.db(move |h| crate::export::export_with_progress(h, format, out, &mut progress))
            .await
    }
}

/// Stores a verdict of the detector, returning the alert when it is raised for the first time.
/// Records `verdict`, with only the response steps the account's provider can carry out
/// (no "review withdrawals" for a Matrix account); returns it when it is new.
fn store_alert(
    h: &History,
    verdict: Option<keepwatch_detector::Alert>,
    now: keepwatch_api::Timestamp,
    caps: Capabilities,
) -> Result<Option<AlertRecord>> {
    let Some(mut new) = verdict else {
        return Ok(None);
    };
    new.steps.retain(|step| caps.offers(step));
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

/// Errors after which the cached history is still worth showing, marked as not fresh.
pub(crate) fn shows_history_instead(e: &Error) -> bool {
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
