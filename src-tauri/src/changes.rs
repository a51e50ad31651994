//! The core's change stream, forwarded: to the window as events (ui/IPC.md, "Events") when it
//! is about the account the window shows, and to the tray, repainted from
//! [`keepwatch_core::api::TrayModel::of`] after every change. Nothing here decides; the
//! core's changes and models do.

use std::sync::Arc;

use keepwatch_core::api::Change;
use keepwatch_core::Api;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

use crate::tray;

/// Forwards every change for as long as the app runs.
pub async fn forward(app: AppHandle, api: Arc<Api>) {
    let mut changes = api.subscribe();
    loop {
        match changes.recv().await {
            Ok(change) => show(&app, &api, change).await,
            // Fell behind: say everything again rather than miss one thing.
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "the window fell behind the core's changes");
                show_everything(&app, &api).await;
            }
            Err(RecvError::Closed) => return,
        }
        tray::paint(&app, &api).await;
    }
}

fn is_active(api: &Api, account_id: &str) -> bool {
    api.active_account_id().as_deref() == Some(account_id)
}

async fn show(app: &AppHandle, api: &Arc<Api>, change: Change) {
    match change {
        Change::Status { status } => {
            let shown = match &status.account_id {
                Some(id) => is_active(api, id),
                None => true,
            };
            if shown {
                let _ = app.emit("sync://status", &status);
            }
        }
        Change::Sessions { account_id } if is_active(api, &account_id) => {
            emit_sessions(app, api).await
        }
        Change::Alert { account_id, alert } if is_active(api, &account_id) => {
            let _ = app.emit("sync://alert", &alert);
        }
        Change::Sessions { .. } | Change::Alert { .. } => {}
        Change::Focus {
            account_id,
            request,
        } => {
            // The alert may be about an account the window does not show: show that one.
            if !is_active(api, &account_id) {
                if let Err(e) = api.switch_account(&account_id) {
                    tracing::warn!(error = %e, "could not show the alert's account");
                }
            }
            crate::window::show(app);
            let _ = app.emit("sync://focus", request);
        }
        Change::Settings { settings } => {
            let _ = app.emit("sync://settings", &settings);
        }
        Change::Accounts => {
            let _ = app.emit("sync://accounts", api.accounts());
        }
    }
}

async fn emit_sessions(app: &AppHandle, api: &Api) {
    match api.sessions(None).await {
        Ok(page) => {
            let _ = app.emit("sync://sessions", &page);
        }
        Err(e) => tracing::warn!(error = %e, "could not read the session list from history"),
    }
}

async fn show_everything(app: &AppHandle, api: &Arc<Api>) {
    if let Ok(status) = api.status(None) {
        let _ = app.emit("sync://status", &status);
    }
    emit_sessions(app, api).await;
    let _ = app.emit("sync://settings", api.settings());
    let _ = app.emit("sync://accounts", api.accounts());
}
