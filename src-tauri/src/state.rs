//! What the shell holds while it runs: the core, the active account, its sync engine, and the
//! last status it reported. Everything else is asked of the core when needed.

use std::sync::{Arc, Mutex, MutexGuard};

use keepwatch_core::notifier::NoticeAction;
use keepwatch_core::{
    Account, DesktopNotifier, Keepwatch, SyncEngine, SyncMode, SyncOptions, SyncUpdate,
};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::{mpsc, oneshot};

use keepwatch_ipc::{AlertRecord, CoreErrorKind, IpcError, IpcResult, SyncPhase, SyncStatus};

use crate::tray;

/// The running sync engine of the active account.
struct Engine {
    stop: oneshot::Sender<()>,
}

#[derive(Default)]
struct Inner {
    account: Option<Account>,
    status: Option<SyncStatus>,
    engine: Option<Engine>,
    /// Bumped whenever the engine is replaced, so that a stopping engine's last updates are
    /// not taken for the new one's.
    generation: u64,
    /// The alert whose notification was clicked, until the window has shown it.
    focus_request: Option<String>,
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

    /// The active account, or `not_signed_in`.
    pub fn account(&self) -> IpcResult<Account> {
        self.inner()
            .account
            .clone()
            .ok_or_else(|| IpcError::new(CoreErrorKind::NotSignedIn, "no account is signed in"))
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
        self.inner().account.as_ref().map(|a| a.id().to_owned())
    }

    /// The last status.
    pub fn status(&self) -> SyncStatus {
        let inner = self.inner();
        inner.status.clone().unwrap_or_else(|| {
            SyncStatus::signed_out(inner.account.as_ref().map(|a| a.id().to_owned()))
        })
    }

    /// Records `status` and tells the window and tray, if it changed.
    pub fn set_status(&self, app: &AppHandle, status: SyncStatus) {
        {
            let mut inner = self.inner();
            if inner.status.as_ref() == Some(&status) {
                return;
            }
            inner.status = Some(status.clone());
        }
        let _ = app.emit("sync://status", &status);
        tray::refresh(app);
    }

    /// Makes `selector`'s account (or the only/first one) active and (re)starts its sync
    /// engine. With no account at all, the status says signed out.
    pub fn activate(&self, app: &AppHandle, selector: Option<&str>) -> IpcResult<SyncStatus> {
        let selector = selector.map(str::to_owned).or_else(|| {
            // Several accounts and none chosen: the first one added.
            self.kw.accounts().first().map(|a| a.id.clone())
        });
        let account = match selector {
            Some(id) => Some(self.kw.account(Some(&id))?),
            None => None,
        };
        let generation = {
            let mut inner = self.inner();
            if let Some(engine) = inner.engine.take() {
                let _ = engine.stop.send(());
            }
            inner.generation += 1;
            inner.account = account.clone();
            inner.status = None;
            inner.generation
        };
        let status = match account {
            Some(account) => {
                let status = SyncStatus {
                    account_id: Some(account.id().to_owned()),
                    phase: SyncPhase::Syncing,
                    last_synced_at: None,
                    live: false,
                    last_error: None,
                };
                self.start_engine(app, account, generation);
                status
            }
            None => SyncStatus::signed_out(None),
        };
        self.set_status(app, status.clone());
        Ok(status)
    }

    /// Stops the engine and forgets the active account (after signing out).
    pub fn deactivate(&self, app: &AppHandle) {
        {
            let mut inner = self.inner();
            if let Some(engine) = inner.engine.take() {
                let _ = engine.stop.send(());
            }
            inner.generation += 1;
            inner.account = None;
            inner.status = None;
        }
        self.set_status(app, SyncStatus::signed_out(None));
    }

    fn start_engine(&self, app: &AppHandle, account: Account, generation: u64) {
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
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, stopped) = oneshot::channel::<()>();
        self.inner().engine = Some(Engine { stop });
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
    }

    fn is_current(&self, generation: u64) -> bool {
        self.inner().generation == generation
    }
}

/// Turns the engine's updates into window events and tray changes.
async fn forward(
    app: AppHandle,
    account: Account,
    mut updates: mpsc::UnboundedReceiver<SyncUpdate>,
    generation: u64,
) {
    while let Some(update) = updates.recv().await {
        let state = app.state::<AppState>();
        if !state.is_current(generation) {
            return;
        }
        let current = state.status();
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
                emit_sessions(&app, &account).await;
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
                let _ = app.emit("sync://alert", AlertRecord::from(*alert));
                emit_sessions(&app, &account).await;
                tray::refresh(&app);
            }
            SyncUpdate::Changed => emit_sessions(&app, &account).await,
            SyncUpdate::ActionDone {
                alert_key,
                action: NoticeAction::Open,
                ..
            } => {
                // Kept until the window takes it: a window built just now is not listening
                // yet, one already open hears the event.
                state.request_focus(&alert_key);
                crate::window::show(&app);
                let _ = app.emit("sync://focus-alert", alert_key);
            }
            SyncUpdate::ActionDone { alert_key, .. } => {
                if let Ok(alerts) = account.cached_alerts().await {
                    if let Some(record) = alerts.into_iter().find(|a| a.alert.key == alert_key) {
                        let _ = app.emit("sync://alert", AlertRecord::from(record));
                    }
                }
                emit_sessions(&app, &account).await;
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
