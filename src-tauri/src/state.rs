//! What the shell holds while it runs: the core, a sync engine for every account, the account
//! the window shows, and the last status each engine reported. Everything else is asked of the
//! core when needed.
//!
//! Every account is watched, whichever one the window shows: an intruder on the account not on
//! screen is notified and counted in the tray all the same. Switching only changes what the
//! window shows.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use keepwatch_core::notifier::NoticeAction;
use keepwatch_core::{
    Account, DesktopNotifier, Keepwatch, SyncEngine, SyncMode, SyncOptions, SyncUpdate,
};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::{mpsc, oneshot};

use keepwatch_ipc::{AlertRecord, CoreErrorKind, IpcError, IpcResult, SyncPhase, SyncStatus};

use crate::tray;

/// One watched account: its engine and what the engine last said.
struct Watched {
    account: Account,
    stop: oneshot::Sender<()>,
    /// Tells this engine's updates from those of an engine it replaced.
    generation: u64,
    status: SyncStatus,
}

#[derive(Default)]
struct Inner {
    /// The account the window shows.
    active: Option<String>,
    watched: BTreeMap<String, Watched>,
    /// Bumped whenever an engine starts.
    generation: u64,
    /// The alert whose notification was clicked, until the window has shown it.
    focus_request: Option<String>,
}

/// How one watched account stands, for the tray.
pub struct AccountStanding {
    /// The account.
    pub account: Account,
    /// Its engine's phase.
    pub phase: SyncPhase,
}

/// Shared state, managed by Tauri.
pub struct AppState {
    /// The core.
    pub kw: Arc<Keepwatch>,
    inner: Mutex<Inner>,
}

impl AppState {
    /// State over an opened core, with no account active yet.
    pub fn new(kw: Keepwatch) -> Self {
        Self {
            kw: Arc::new(kw),
            inner: Mutex::new(Inner::default()),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account the window shows, or `not_signed_in`.
    pub fn account(&self) -> IpcResult<Account> {
        let inner = self.inner();
        inner
            .active
            .as_ref()
            .and_then(|id| inner.watched.get(id))
            .map(|w| w.account.clone())
            .ok_or_else(|| IpcError::new(CoreErrorKind::NotSignedIn, "no account is signed in"))
    }

    /// Every watched account and its phase, in the order they were added.
    pub fn standings(&self) -> Vec<AccountStanding> {
        let mut all: Vec<AccountStanding> = self
            .inner()
            .watched
            .values()
            .map(|w| AccountStanding {
                account: w.account.clone(),
                phase: w.status.phase,
            })
            .collect();
        all.sort_by_key(|s| s.account.config().added_at);
        all
    }

    /// Remembers that a notification click asked to show the alert `key`.
    fn request_focus(&self, key: &str) {
        self.inner().focus_request = Some(key.to_owned());
    }

    /// Takes the alert a notification click asked to show, if any is waiting.
    pub fn take_focus_request(&self) -> Option<String> {
        self.inner().focus_request.take()
    }

    /// The active account's id.
    pub fn active_id(&self) -> Option<String> {
        self.inner().active.clone()
    }

    /// The active account's last status.
    pub fn status(&self) -> SyncStatus {
        let active = self.active_id();
        match active {
            Some(id) => self.status_of(&id),
            None => SyncStatus::signed_out(None),
        }
    }

    /// Account `id`'s last status.
    fn status_of(&self, id: &str) -> SyncStatus {
        self.inner()
            .watched
            .get(id)
            .map(|w| w.status.clone())
            .unwrap_or_else(|| SyncStatus::signed_out(Some(id.to_owned())))
    }

    /// Records `status` for its account and tells the window (when it shows that account) and
    /// the tray, if it changed.
    pub fn set_status(&self, app: &AppHandle, status: SyncStatus) {
        let shown = {
            let mut inner = self.inner();
            let Some(id) = status.account_id.clone() else {
                return;
            };
            let Some(watched) = inner.watched.get_mut(&id) else {
                return;
            };
            if watched.status == status {
                return;
            }
            watched.status = status.clone();
            inner.active.as_deref() == Some(id.as_str())
        };
        if shown {
            let _ = app.emit("sync://status", &status);
        }
        tray::refresh(app);
    }

    /// Starts an engine for every account that has none.
    pub fn watch_all(&self, app: &AppHandle) {
        for view in self.kw.accounts() {
            let watched = self.inner().watched.contains_key(&view.id);
            if !watched {
                if let Err(e) = self.watch(app, &view.id) {
                    tracing::warn!(error = ?e, account = %view.id, "could not watch an account");
                }
            }
        }
    }

    /// (Re)starts the engine of account `id` as it is configured now (after a sign-in: with
    /// its new session).
    pub fn watch(&self, app: &AppHandle, id: &str) -> IpcResult<()> {
        let account = self.kw.account(Some(id))?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let generation = {
            let mut inner = self.inner();
            inner.generation += 1;
            let generation = inner.generation;
            let status = SyncStatus {
                account_id: Some(account.id().to_owned()),
                phase: SyncPhase::Syncing,
                last_synced_at: None,
                live: false,
                last_error: None,
            };
            let replaced = inner.watched.insert(
                account.id().to_owned(),
                Watched {
                    account: account.clone(),
                    stop,
                    generation,
                    status,
                },
            );
            if let Some(old) = replaced {
                let _ = old.stop.send(());
            }
            generation
        };
        let prefs = self.kw.preferences();
        let options = SyncOptions {
            poll_interval: std::time::Duration::from_secs(prefs.poll_interval_secs.max(1)),
            ..SyncOptions::default()
        };
        let engine = SyncEngine::new(
            account.clone(),
            Some(Arc::new(DesktopNotifier::with_open_action())),
            options,
        );
        tauri::async_runtime::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            match engine.run(tx, shutdown).await {
                Ok(()) => tracing::info!("sync engine stopped"),
                Err(e) => tracing::info!(error = %e, "sync engine ended"),
            }
        });
        tauri::async_runtime::spawn(forward(app.clone(), account, rx, generation));
        Ok(())
    }

    /// Stops watching account `id` (after signing out of it); the window shows none until the
    /// next [`AppState::activate`].
    pub fn unwatch(&self, app: &AppHandle, id: &str) {
        let (gone, was_active) = {
            let mut inner = self.inner();
            let gone = inner.watched.remove(id);
            let was_active = inner.active.as_deref() == Some(id);
            if was_active {
                inner.active = None;
            }
            (gone, was_active)
        };
        if let Some(watched) = gone {
            let _ = watched.stop.send(());
        }
        if was_active {
            let _ = app.emit("sync://status", SyncStatus::signed_out(None));
        }
        tray::refresh(app);
    }

    /// Shows `selector`'s account (or the first one added) in the window, watching every
    /// account. With no account at all, the status says signed out.
    pub fn activate(&self, app: &AppHandle, selector: Option<&str>) -> IpcResult<SyncStatus> {
        self.watch_all(app);
        let selector = selector.map(str::to_owned).or_else(|| {
            // Several accounts and none chosen: the first one added.
            self.kw.accounts().first().map(|a| a.id.clone())
        });
        if let Some(id) = &selector {
            let watched = self.inner().watched.contains_key(id);
            if !watched {
                self.watch(app, id)?;
            }
        }
        self.inner().active = selector;
        let status = self.status();
        let _ = app.emit("sync://status", &status);
        if let Ok(account) = self.account() {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { emit_sessions(&app, &account).await });
        }
        tray::refresh(app);
        Ok(status)
    }

    fn is_current(&self, id: &str, generation: u64) -> bool {
        self.inner()
            .watched
            .get(id)
            .is_some_and(|w| w.generation == generation)
    }

    fn is_active(&self, id: &str) -> bool {
        self.inner().active.as_deref() == Some(id)
    }
}

/// Turns the engine's updates into window events and tray changes.
async fn forward(
    app: AppHandle,
    account: Account,
    mut updates: mpsc::UnboundedReceiver<SyncUpdate>,
    generation: u64,
) {
    let id = account.id().to_owned();
    while let Some(update) = updates.recv().await {
        let state = app.state::<AppState>();
        if !state.is_current(&id, generation) {
            return;
        }
        let shown = state.is_active(&id);
        let current = state.status_of(&id);
        match update {
            SyncUpdate::Synced { at, mode } => {
                state.set_status(
                    &app,
                    SyncStatus {
                        account_id: Some(account.id().to_owned()),
                        phase: SyncPhase::Idle,
                        last_synced_at: Some(at),
                        live: mode == SyncMode::Stream,
                        last_error: None,
                    },
                );
                if shown {
                    emit_sessions(&app, &account).await;
                }
            }
            SyncUpdate::Offline {
                reason,
                last_synced_at,
            } => {
                state.set_status(
                    &app,
                    SyncStatus {
                        account_id: Some(account.id().to_owned()),
                        phase: SyncPhase::Offline,
                        last_synced_at: last_synced_at.or(current.last_synced_at),
                        live: false,
                        last_error: Some(IpcError::new(CoreErrorKind::Network, reason)),
                    },
                );
            }
            SyncUpdate::Alert { alert, .. } => {
                if shown {
                    let _ = app.emit("sync://alert", AlertRecord::from(*alert));
                    emit_sessions(&app, &account).await;
                }
                tray::refresh(&app);
            }
            SyncUpdate::Changed if shown => emit_sessions(&app, &account).await,
            SyncUpdate::Changed => {}
            SyncUpdate::ActionDone {
                alert_key,
                action: NoticeAction::Open,
                ..
            } => {
                // The alert may be about an account the window does not show: show that one.
                // Kept until the window takes it: a window built just now is not listening
                // yet, one already open hears the event.
                if !shown {
                    if let Err(e) = state.activate(&app, Some(&id)) {
                        tracing::warn!(error = ?e, "could not show the alert's account");
                    }
                }
                state.request_focus(&alert_key);
                crate::window::show(&app);
                let _ = app.emit("sync://focus-alert", alert_key);
            }
            SyncUpdate::ActionDone { alert_key, .. } => {
                if shown {
                    if let Ok(alerts) = account.cached_alerts().await {
                        if let Some(record) = alerts.into_iter().find(|a| a.alert.key == alert_key)
                        {
                            let _ = app.emit("sync://alert", AlertRecord::from(record));
                        }
                    }
                    emit_sessions(&app, &account).await;
                }
                tray::refresh(&app);
            }
            SyncUpdate::SignedOut => {
                state.set_status(
                    &app,
                    SyncStatus {
                        phase: SyncPhase::SignedOut,
                        live: false,
                        ..current
                    },
                );
            }
        }
    }
}

/// Sends the active account's cached session list to the window.
pub async fn emit_sessions(app: &AppHandle, account: &Account) {
    match account.cached_session_list().await {
        Ok(list) => {
            let _ = app.emit("sync://sessions", &list);
        }
        Err(e) => tracing::warn!(error = %e, "could not read the session list from history"),
    }
}
