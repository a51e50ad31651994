//! Keepwatch desktop shell: window, tray and wiring over `keepwatch-core`.
//!
//! Nothing here decides anything; the core does. This crate turns the core's answers into a
//! window, a tray icon and native notifications.

/// Starts the desktop app and blocks until it quits.
pub fn run() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
