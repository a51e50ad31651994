/// The window's commands (src-tauri/src/commands.rs): each gets an `allow-<name>` permission,
/// and only what capabilities/main.json grants may be called.
const COMMANDS: &[&str] = &[
    "status",
    "accounts",
    "sign_in",
    "detect_provider",
    "sign_out",
    "switch_account",
    "list_sessions",
    "revoke_session",
    "revoke_others",
    "confirm_session",
    "list_alerts",
    "set_alert_state",
    "history",
    "export_history",
    "change_password",
    "reset_two_factor",
    "withdrawals",
    "blocklist",
    "add_block",
    "remove_block",
    "session_length",
    "set_session_length",
    "trusted_devices",
    "forget_trusted_device",
    "settings",
    "set_settings",
    "demo_defaults",
    "take_focus_request",
    "geo_status",
    "update_geo",
    "set_location_data_folder",
    "choose_folder",
];

fn main() {
    // The manifest sits at the repository root, so point Tauri at the shell's own capability files.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(
            tauri_build::AppManifest::new()
                .commands(COMMANDS)
                .permissions_path_pattern("./src-tauri/permissions/**/*"),
        );
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
