//! Keepwatch desktop shell: window, tray and wiring over `keepwatch-core`.
//!
//! Nothing here decides anything; the core does, through its app-facing API
//! ([`keepwatch_core::api`]). This crate turns it into a window, a tray icon and native
//! notifications: [`commands`] forward the window's calls to the API one line each,
//! [`changes`] forwards the API's change stream to the window as events and repaints the
//! [`tray`] from the core's model, [`window`] opens and closes the webview, and [`webkit`] ends
//! what WebKit leaves running once no window is open.

#![warn(missing_docs)]

pub mod autostart;
pub mod changes;
pub mod commands;
pub mod logs;
pub mod tray;
pub mod webkit;
pub mod window;

use std::sync::Arc;

use keepwatch_core::api::WatchOptions;
use keepwatch_core::{Api, DesktopNotifier, Keepwatch};
use tauri::{Manager, RunEvent, WindowEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

/// Starts the desktop app and blocks until it quits.
pub fn run() {
    // Kept until the app ends: dropping it flushes the log file.
    let _log = logs::init();

    // The tray item's title, which panels name it by, is GLib's application name; without
    // this it is the binary's name.
    #[cfg(target_os = "linux")]
    glib::set_application_name("Keepwatch");

    let app = tauri::Builder::default()
        // First, so that a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::show(app)
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Used on macOS and Windows; Linux has its own (see autostart.rs).
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            // KEEPWATCH_DATA_DIR (tests, the demo) wins over the platform folders.
            let kw = match Keepwatch::open(None) {
                Ok(kw) => kw,
                Err(e) => {
                    // Said in a window rather than a panic's backtrace: the app may have been
                    // started from a menu, with no terminal to read.
                    tracing::error!(error = %e, "cannot start");
                    app.dialog()
                        .message(
                            tray::wording(app.handle())
                                .cannot_start(&keepwatch_core::inert::text(&e.to_string())),
                        )
                        .title("Keepwatch")
                        .kind(MessageDialogKind::Error)
                        .blocking_show();
                    std::process::exit(1);
                }
            };
            let runtime =
                tauri::async_runtime::block_on(async { tokio::runtime::Handle::current() });
            let api = Api::new(kw, runtime);
            app.manage(Arc::clone(&api));
            tray::install(app.handle())?;
            tauri::async_runtime::spawn(changes::forward(app.handle().clone(), Arc::clone(&api)));
            // Built by hand rather than from the configuration, so that its navigation guard
            // is in place before the first page loads.
            window::show(app.handle());
            api.watch_all(WatchOptions {
                notifier: Some(Arc::new(DesktopNotifier::with_open_action())),
                poll_interval: None,
            });
            api.activate_default();
            // A damaged configuration or history was put aside: the user should know why an
            // account or its past is missing.
            let repaired = api.keepwatch().take_recoveries();
            if !repaired.is_empty() {
                app.dialog()
                    .message(repaired.join("\n\n"))
                    .title(tray::wording(app.handle()).files_repaired_title())
                    .kind(MessageDialogKind::Warning)
                    .show(|_| {});
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                // Keep watching from the tray, but end the webview and its WebKit processes:
                // "Open" builds a new one in a moment.
                api.prevent_close();
                use tauri_plugin_window_state::{AppHandleExt, StateFlags};
                let _ = window.app_handle().save_window_state(StateFlags::all());
                let _ = window.destroy();
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::accounts,
            commands::sign_in,
            commands::detect_provider,
            commands::sign_out,
            commands::switch_account,
            commands::sync_now,
            commands::list_sessions,
            commands::revoke_session,
            commands::revoke_others,
            commands::confirm_session,
            commands::list_alerts,
            commands::set_alert_state,
            commands::history,
            commands::export_history,
            commands::change_password,
            commands::reset_two_factor,
            commands::withdrawals,
            commands::blocklist,
            commands::add_block,
            commands::remove_block,
            commands::session_length,
            commands::set_session_length,
            commands::trusted_devices,
            commands::forget_trusted_device,
            commands::settings,
            commands::set_settings,
            commands::demo_defaults,
            commands::take_focus_request,
            commands::geo_status,
            commands::update_geo,
            commands::set_location_data_folder,
            commands::choose_folder,
            commands::about,
        ])
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");

    app.run(|app, event| match event {
        // The last window closing is not quitting: Keepwatch watches from the tray until
        // "Quit" (which exits with a code).
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        RunEvent::Exit => {
            // Sign-ins the user chose not to remember end with the app, on the server too;
            // a few seconds at most, so that quitting never hangs on a dead server.
            let api = app.state::<Arc<Api>>().inner().clone();
            let ended = tauri::async_runtime::block_on(async move {
                tokio::time::timeout(
                    std::time::Duration::from_secs(3),
                    api.keepwatch().end_unremembered_sessions(),
                )
                .await
            });
            if let Ok(n @ 1..) = ended {
                tracing::info!(ended = n, "ended the sessions not to be remembered");
            }
        }
        // Delivered after the window left the app's list, so an empty list means none is
        // open, and no page can be loading.
        RunEvent::WindowEvent {
            event: WindowEvent::Destroyed,
            ..
        } if app.webview_windows().is_empty() => webkit::end_network_process(),
        _ => {}
    });
}
