//! The tray icon: normal, unreviewed alerts, or offline; and its menu (alert count, Open,
//! Sign out all other sessions, Pause alerts for an hour or Resume, Quit), in the user's
//! language (`keepwatch_core::wording`).

use chrono::Utc;
use keepwatch_core::wording::{Language, Wording};
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
        .try_state::<AppState>()
        .map(|state| Language::resolve(state.kw.preferences().language.as_deref()))
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

/// Re-reads every account's alert count and phase, the pause and the language, and updates the
/// icon and the menu. The icon shows the worst over all accounts: unreviewed alerts anywhere
/// (being signed out by someone else among them) are red, before anything being offline or
/// signed out is grey.
pub fn refresh(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let signed_in = state.account().is_ok();
        let standings = state.standings();
        // Watching nothing is as grey as watching offline.
        let mut offline = standings.is_empty();
        let mut counts = Vec::new();
        for standing in standings {
            let open = standing
                .account
                .cached_alerts()
                .await
                .map(|alerts| {
                    alerts
                        .iter()
                        .filter(|a| a.state == CoreAlertState::New)
                        .count()
                })
                .unwrap_or(0);
            offline |= matches!(standing.phase, SyncPhase::Offline | SyncPhase::SignedOut);
            let name = standing
                .account
                .notice_name()
                .unwrap_or_else(|| standing.account.config().email.clone());
            counts.push((name, open));
        }
        let open: usize = counts.iter().map(|(_, n)| n).sum();
        let w = wording(&app);
        let icon = if open > 0 {
            ALERT
        } else if offline {
            OFFLINE
        } else {
            NORMAL
        };
        let tooltip = w.tooltip(offline && open == 0, open > 0);
        if let Some(tray) = app.tray_by_id(TRAY_ID) {
            if let Ok(img) = image(icon) {
                let _ = tray.set_icon(Some(img));
            }
            let _ = tray.set_tooltip(Some(tooltip));
        }
        if let Some(items) = app.try_state::<LiveItems>() {
            let paused = state
                .kw
                .preferences()
                .notifications_paused_until
                .filter(|until| *until > Utc::now());
            let _ = items.count.set_text(w.alert_counts(&counts));
            let _ = items.open.set_text(w.open());
            let _ = items.revoke_others.set_text(w.sign_out_others_menu());
            let _ = items.revoke_others.set_enabled(signed_in);
            let _ = items.pause.set_text(match paused {
                Some(until) => w.resume_alerts(until),
                None => w.pause_an_hour().to_owned(),
            });
            let _ = items.quit.set_text(w.quit());
        }
    });
}

/// Asks first, natively; signing every other session out cannot be undone.
fn confirm_revoke_others(app: &AppHandle) {
    let app2 = app.clone();
    let w = wording(app);
    app.dialog()
        .message(w.confirm_others_body())
        .title(w.confirm_others_title())
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            w.confirm_others_action().into(),
            w.cancel().into(),
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
                            .message(
                                w.others_failed_body(&keepwatch_core::inert::text(&e.to_string())),
                            )
                            .title(w.others_failed_title())
                            .kind(MessageDialogKind::Error)
                            .show(|_| {});
                    }
                }
                crate::state::emit_sessions(&app2, &account).await;
                refresh(&app2);
            });
        });
}

/// Silences notifications for an hour (alerts are still recorded and listed), or ends the
/// pause early.
fn toggle_pause(app: &AppHandle) {
    let state = app.state::<AppState>();
    let mut prefs = state.kw.preferences();
    let paused = prefs
        .notifications_paused_until
        .is_some_and(|until| until > Utc::now());
    prefs.notifications_paused_until = (!paused).then(|| Utc::now() + chrono::TimeDelta::hours(1));
    // The running engine reads the saved preferences before it notifies.
    if let Err(e) = state.kw.set_preferences(prefs) {
        tracing::warn!(error = %e, "could not pause or resume alerts");
        return;
    }
    refresh(app);
}
