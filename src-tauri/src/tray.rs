//! The tray icon: normal, unreviewed alerts, or offline; and its menu (alert count, Open,
//! Sign out all other sessions, Pause alerts for an hour or Resume, Quit). What it shows is
//! the core's [`TrayModel`]; this module only paints it and turns clicks into API calls.

use std::sync::Arc;

use keepwatch_core::api::{TrayIcon, TrayModel};
use keepwatch_core::wording::{Language, Wording};
use keepwatch_core::Api;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::window;

const TRAY_ID: &str = "keepwatch";
const NORMAL: &[u8] = include_bytes!("../../icons/tray/normal.png");
const ALERT: &[u8] = include_bytes!("../../icons/tray/alert.png");
const OFFLINE: &[u8] = include_bytes!("../../icons/tray/offline.png");

/// The menu's entries, reworded whenever the state or the language changes.
struct LiveItems {
    count: MenuItem<Wry>,
    open: MenuItem<Wry>,
    /// Needs a signed-in account.
    revoke_others: MenuItem<Wry>,
    /// "Pause alerts for an hour", or "Resume alerts" while paused.
    pause: MenuItem<Wry>,
    quit: MenuItem<Wry>,
}

/// The wording in the language the user chose, or the system's.
pub(crate) fn wording(app: &AppHandle) -> Wording {
    let language = app
        .try_state::<Arc<Api>>()
        .map(|api| api.language())
        .unwrap_or_else(|| Language::resolve(None));
    Wording(language)
}

fn image(bytes: &'static [u8]) -> tauri::Result<Image<'static>> {
    Image::from_bytes(bytes)
}

/// Adds the tray icon and its menu.
pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let w = wording(app);
    let count = MenuItem::with_id(app, "count", w.unreviewed_alerts(0), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", w.open(), true, None::<&str>)?;
    // Enabled by `refresh` once an account is active.
    let others = MenuItem::with_id(
        app,
        "revoke_others",
        w.sign_out_others_menu(),
        false,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(app, "pause", w.pause_an_hour(), true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", w.quit(), true, None::<&str>)?;
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
        open,
        revoke_others: others,
        pause,
        quit,
    });
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(image(NORMAL)?)
        .tooltip("Keepwatch")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => window::show(app),
            "revoke_others" => confirm_revoke_others(app),
            "pause" => toggle_pause(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(())
}

/// Paints the tray as the core's model of it says now.
pub async fn paint(app: &AppHandle, api: &Arc<Api>) {
    let model = TrayModel::of(&api.tray_facts().await, chrono::Utc::now());
    let icon = match model.icon {
        TrayIcon::Normal => NORMAL,
        TrayIcon::Alert => ALERT,
        TrayIcon::Offline => OFFLINE,
    };
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        if let Ok(img) = image(icon) {
            let _ = tray.set_icon(Some(img));
        }
        let _ = tray.set_tooltip(Some(&model.tooltip));
    }
    if let Some(items) = app.try_state::<LiveItems>() {
        let _ = items.count.set_text(&model.count);
        let _ = items.open.set_text(&model.open);
        let _ = items.revoke_others.set_text(&model.revoke_others);
        let _ = items.revoke_others.set_enabled(model.revoke_others_enabled);
        let _ = items.pause.set_text(&model.pause);
        let _ = items.quit.set_text(&model.quit);
    }
}

/// Asks first, natively; signing every other session out cannot be undone. Where the
/// account's server wants the password for it (Matrix), the window asks instead.
fn confirm_revoke_others(app: &AppHandle) {
    match app.state::<Arc<Api>>().sign_out_others_in_window() {
        Ok(true) => return,
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "could not tell who signs the others out"),
    }
    let app2 = app.clone();
    let w = wording(app);
    app.dialog()
        .message(w.confirm_others_body())
        .title(w.confirm_others_title())
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            w.confirm_others_action(),
            w.cancel(),
        ))
        .show(move |confirmed| {
            if !confirmed {
                return;
            }
            tauri::async_runtime::spawn(async move {
                let api = app2.state::<Arc<Api>>().inner().clone();
                match api.revoke_others(None, None).await {
                    Ok(n) => tracing::info!(revoked = n.revoked, "signed out all other sessions"),
                    // Said aloud: the window may be closed, and someone who just chose to
                    // throw others out must not believe it happened.
                    Err(e) => {
                        tracing::warn!(error = %e, "could not sign out the other sessions");
                        app2.dialog()
                            .message(
                                w.others_failed_body(&keepwatch_core::inert::text(&e.to_string())),
                            )
                            .title(w.others_failed_title())
                            .kind(MessageDialogKind::Error)
                            .show(|_| {});
                    }
                }
            });
        });
}

/// Silences notifications for an hour (alerts are still recorded and listed), or ends the
/// pause early; the change repaints the tray.
fn toggle_pause(app: &AppHandle) {
    let api = app.state::<Arc<Api>>();
    if let Err(e) = api.toggle_pause() {
        tracing::warn!(error = %e, "could not pause or resume alerts");
    }
}
