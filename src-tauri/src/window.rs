//! The main window: destroyed when closed (so that WebKit's processes end while Keepwatch
//! watches from the tray) and rebuilt from the configuration on "Open".

use tauri::{AppHandle, Manager, WebviewWindowBuilder};

/// The main window's label in tauri.conf.json.
pub const MAIN: &str = "main";

/// Shows and focuses the main window, creating it again if it was closed.
pub fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        tracing::error!("no main window in the configuration");
        return;
    };
    match WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build()) {
        Ok(window) => {
            let _ = window.set_focus();
        }
        Err(e) => tracing::error!(error = %e, "could not open the window"),
    }
}
