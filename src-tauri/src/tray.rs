//! The tray icon: normal, unreviewed alerts, or offline; and its menu (alert count, Open,
//! Sign out all other sessions, Pause alerts for an hour, Quit).

use keepwatch_core::AlertState as CoreAlertState;
use keepwatch_ipc::SyncPhase;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::state::AppState;
use crate::window;

const TRAY_ID: &str = "keepwatch";
const NORMAL: &[u8] = include_bytes!("../../icons/tray/normal.png");
const ALERT: &[u8] = include_bytes!("../../icons/tray/alert.png");
const OFFLINE: &[u8] = include_bytes!("../../icons/tray/offline.png");

/// The menu entries that change with the state: the alert count line, reworded, and
/// "Sign out all other sessions…", which needs a signed-in account.
struct LiveItems {
    count: MenuItem<Wry>,
    revoke_others: MenuItem<Wry>,
}

fn image(bytes: &'static [u8]) -> tauri::Result<Image<'static>> {
    Image::from_bytes(bytes)
}

/// Adds the tray icon and its menu.
pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let count = MenuItem::with_id(app, "count", "No unreviewed alerts", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Keepwatch", true, None::<&str>)?;
    // Enabled by `refresh` once an account is active.
    let others = MenuItem::with_id(
        app,
        "revoke_others",
        "Sign out all other sessions…",
        false,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(app, "pause", "Pause alerts for an hour", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &count,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &others,
            &pause,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    app.manage(LiveItems {
        count,
        revoke_others: others,
    });
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(image(NORMAL)?)
        .tooltip("Keepwatch")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => window::show(app),
            "revoke_others" => confirm_revoke_others(app),
            "pause" => pause_an_hour(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// Re-reads the alert count and phase and updates the icon and the count line.
pub fn refresh(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let phase = state.status().phase;
        let account = state.account();
        let signed_in = account.is_ok();
        let open = match account {
            Ok(account) => account
                .cached_alerts()
                .await
                .map(|alerts| {
                    alerts
                        .iter()
                        .filter(|a| a.state == CoreAlertState::New)
                        .count()
                })
                .unwrap_or(0),
            Err(_) => 0,
        };
        let (icon, tooltip) = if matches!(phase, SyncPhase::Offline | SyncPhase::SignedOut) {
            (OFFLINE, "Keepwatch: offline")
        } else if open > 0 {
            (ALERT, "Keepwatch: unreviewed alerts")
        } else {
            (NORMAL, "Keepwatch: watching")
        };
        if let Some(tray) = app.tray_by_id(TRAY_ID) {
            if let Ok(img) = image(icon) {
                let _ = tray.set_icon(Some(img));
            }
            let _ = tray.set_tooltip(Some(tooltip));
        }
        if let Some(items) = app.try_state::<LiveItems>() {
            let text = match open {
                0 => "No unreviewed alerts".to_owned(),
                1 => "1 unreviewed alert".to_owned(),
                n => format!("{n} unreviewed alerts"),
            };
            let _ = items.count.set_text(text);
            let _ = items.revoke_others.set_enabled(signed_in);
        }
    });
}

/// Asks first, natively; signing every other session out cannot be undone.
fn confirm_revoke_others(app: &AppHandle) {
    let app2 = app.clone();
    app.dialog()
        .message("Every session except this app's own will be signed out, including any you use in your browser.")
        .title("Sign out all other sessions?")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Sign out others".into(),
            "Cancel".into(),
        ))
        .show(move |confirmed| {
            if !confirmed {
                return;
            }
            tauri::async_runtime::spawn(async move {
                let state = app2.state::<AppState>();
                let Ok(account) = state.account() else { return };
                match account.revoke_others().await {
                    Ok(n) => tracing::info!(revoked = n, "signed out all other sessions"),
                    // Said aloud: the window may be closed, and someone who just chose to
                    // throw others out must not believe it happened.
                    Err(e) => {
                        tracing::warn!(error = %e, "could not sign out the other sessions");
                        app2.dialog()
                            .message(format!("The other sessions are still signed in: {e}."))
                            .title("Could not sign out other sessions")
                            .kind(MessageDialogKind::Error)
                            .show(|_| {});
                    }
                }
                crate::state::emit_sessions(&app2, &account).await;
                refresh(&app2);
            });
        });
}

/// Silences notifications for an hour (alerts are still recorded and listed).
fn pause_an_hour(app: &AppHandle) {
    let state = app.state::<AppState>();
    let mut prefs = state.kw.preferences();
    prefs.notifications_paused_until = Some(chrono::Utc::now() + chrono::TimeDelta::hours(1));
    if let Err(e) = state.kw.set_preferences(prefs) {
        tracing::warn!(error = %e, "could not pause alerts");
        return;
    }
    // The engine reads preferences when it starts.
    let active = state.active_id();
    if let Err(e) = state.activate(app, active.as_deref()) {
        tracing::warn!(error = ?e, "could not restart the sync engine");
    }
}
