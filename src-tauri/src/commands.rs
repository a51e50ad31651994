//! The window's commands (ui/IPC.md, "Commands"): one line each, forwarded to the core's
//! app-facing API ([`keepwatch_core::api`]), which decides everything and publishes what
//! changed. The window always means the active account (`None`).
//!
//! Argument names follow Tauri's default camelCase mapping (`session_id` is `sessionId` in
//! JavaScript). Passwords and codes pass through to the core and are never logged.

use std::sync::Arc;

use keepwatch_api::{
    BlocklistEntry, ChangePasswordRequest, ChangePasswordResponse, NewBlocklistEntry,
    RevokeOthersResponse, SessionLength, TrustedDevice, Withdrawal,
};
use keepwatch_core::api::{
    About, AccountSummary, AlertFilter, AlertRecord, AlertState, AlertsPage, CoreErrorKind,
    DemoDefaults, ExportFormat, ExportResult, FocusRequest, GeoStatus, HistoryFilter, HistoryPage,
    IpcError, IpcResult, NewTwoFactor, ProviderFound, SessionsPage, Settings, SignInRequest,
    SignedIn, SyncStatus,
};
use keepwatch_core::Api;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::{DialogExt, FilePath};

type ApiState<'a> = State<'a, Arc<Api>>;

/// The sync status of the active account.
#[tauri::command]
pub async fn status(api: ApiState<'_>) -> IpcResult<SyncStatus> {
    Ok(api.status(None)?)
}

/// Every account known.
#[tauri::command]
pub async fn accounts(api: ApiState<'_>) -> IpcResult<Vec<AccountSummary>> {
    Ok(api.accounts())
}

/// What kind of account system answers at `server` (a URL or a Matrix ID).
#[tauri::command]
pub async fn detect_provider(api: ApiState<'_>, server: String) -> IpcResult<ProviderFound> {
    Ok(api.detect_provider(&server).await?)
}

/// Signs in and makes the account active.
#[tauri::command]
pub async fn sign_in(api: ApiState<'_>, request: SignInRequest) -> IpcResult<SignedIn> {
    Ok(api.sign_in(request).await?)
}

/// Ends the account's session; `forget` also deletes its history.
#[tauri::command]
pub async fn sign_out(api: ApiState<'_>, account_id: String, forget: bool) -> IpcResult<()> {
    Ok(api.sign_out(Some(&account_id), forget).await?)
}

/// Makes another account active.
#[tauri::command]
pub async fn switch_account(api: ApiState<'_>, account_id: String) -> IpcResult<SyncStatus> {
    Ok(api.switch_account(&account_id)?)
}

/// Asks the server for everything new now.
#[tauri::command]
pub async fn sync_now(api: ApiState<'_>) -> IpcResult<SyncStatus> {
    Ok(api.sync_now(None).await?)
}

/// The active account's sessions, as history last saw them.
#[tauri::command]
pub async fn list_sessions(api: ApiState<'_>) -> IpcResult<SessionsPage> {
    Ok(api.sessions(None).await?)
}

/// Signs one session out; `password` where the account's provider asks for it.
#[tauri::command]
pub async fn revoke_session(
    api: ApiState<'_>,
    session_id: String,
    password: Option<String>,
) -> IpcResult<()> {
    let password = password.map(zeroize::Zeroizing::new);
    Ok(api
        .revoke_session(None, &session_id, password.as_deref().map(String::as_str))
        .await?)
}

/// Signs every other session out; `password` where the account's provider asks for it.
#[tauri::command]
pub async fn revoke_others(
    api: ApiState<'_>,
    password: Option<String>,
) -> IpcResult<RevokeOthersResponse> {
    let password = password.map(zeroize::Zeroizing::new);
    Ok(api
        .revoke_others(None, password.as_deref().map(String::as_str))
        .await?)
}

/// "This was me".
#[tauri::command]
pub async fn confirm_session(api: ApiState<'_>, session_id: String) -> IpcResult<()> {
    Ok(api.confirm_session(None, &session_id).await?)
}

/// Alerts, newest first.
#[tauri::command]
pub async fn list_alerts(api: ApiState<'_>, filter: Option<AlertFilter>) -> IpcResult<AlertsPage> {
    Ok(api.alerts(None, filter.unwrap_or_default()).await?)
}

/// Moves an alert along.
#[tauri::command]
pub async fn set_alert_state(
    api: ApiState<'_>,
    key: String,
    state: AlertState,
) -> IpcResult<AlertRecord> {
    Ok(api.set_alert_state(None, &key, state).await?)
}

/// The history, filtered.
#[tauri::command]
pub async fn history(api: ApiState<'_>, filter: HistoryFilter) -> IpcResult<HistoryPage> {
    Ok(api.history(None, filter).await?)
}

/// Exports the history to a file the user picks (the one thing here that is the shell's: the
/// native save dialog).
#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    api: ApiState<'_>,
    format: ExportFormat,
) -> IpcResult<ExportResult> {
    let extension = format.extension();
    let picked = picked(|answer| {
        app.dialog()
            .file()
            .add_filter(extension.to_uppercase(), &[extension])
            .set_file_name(format!("keepwatch-history.{extension}"))
            .save_file(answer)
    });
    let Some(path) = picked.await? else {
        return Ok(ExportResult {
            path: None,
            rows: 0,
        });
    };
    let reporter = app.clone();
    Ok(api
        .export_history_to(None, format, &path, move |p| {
            let _ = reporter.emit("export://progress", p);
        })
        .await?)
}

/// Changes the password.
#[tauri::command]
pub async fn change_password(
    api: ApiState<'_>,
    current_password: String,
    new_password: String,
) -> IpcResult<ChangePasswordResponse> {
    let request = ChangePasswordRequest {
        current_password,
        new_password,
    };
    Ok(api.change_password(None, &request).await?)
}

/// Replaces the 2FA secret; the answer, with its QR code, is shown once and not kept.
#[tauri::command]
pub async fn reset_two_factor(api: ApiState<'_>, password: String) -> IpcResult<NewTwoFactor> {
    Ok(api.reset_two_factor(None, password).await?)
}

/// Recent withdrawals.
#[tauri::command]
pub async fn withdrawals(api: ApiState<'_>, limit: Option<u32>) -> IpcResult<Vec<Withdrawal>> {
    Ok(api.withdrawals(None, limit).await?)
}

/// The IP blocklist.
#[tauri::command]
pub async fn blocklist(api: ApiState<'_>) -> IpcResult<Vec<BlocklistEntry>> {
    Ok(api.blocklist(None).await?)
}

/// Blocks an address or range.
#[tauri::command]
pub async fn add_block(api: ApiState<'_>, entry: NewBlocklistEntry) -> IpcResult<BlocklistEntry> {
    Ok(api.add_block(None, &entry).await?)
}

/// Unblocks.
#[tauri::command]
pub async fn remove_block(api: ApiState<'_>, id: String) -> IpcResult<()> {
    Ok(api.remove_block(None, &id).await?)
}

/// Idle lifetimes.
#[tauri::command]
pub async fn session_length(api: ApiState<'_>) -> IpcResult<SessionLength> {
    Ok(api.session_length(None).await?)
}

/// Sets idle lifetimes.
#[tauri::command]
pub async fn set_session_length(
    api: ApiState<'_>,
    value: SessionLength,
) -> IpcResult<SessionLength> {
    Ok(api.set_session_length(None, &value).await?)
}

/// Devices that skip 2FA.
#[tauri::command]
pub async fn trusted_devices(api: ApiState<'_>) -> IpcResult<Vec<TrustedDevice>> {
    Ok(api.trusted_devices(None).await?)
}

/// Forgets a trusted device.
#[tauri::command]
pub async fn forget_trusted_device(api: ApiState<'_>, id: String) -> IpcResult<()> {
    Ok(api.forget_trusted_device(None, &id).await?)
}

/// App preferences.
#[tauri::command]
pub async fn settings(api: ApiState<'_>) -> IpcResult<Settings> {
    Ok(api.settings())
}

/// Saves preferences; start-at-login is the operating system's, so it is applied here first.
#[tauri::command]
pub async fn set_settings(
    app: AppHandle,
    api: ApiState<'_>,
    settings: Settings,
) -> IpcResult<Settings> {
    if settings.start_at_login != api.settings().start_at_login {
        crate::autostart::set(&app, settings.start_at_login)
            .map_err(|e| IpcError::new(CoreErrorKind::Storage, format!("start at login: {e}")))?;
    }
    Ok(api.set_settings(&settings)?)
}

/// What a notification or the tray asked the window to show, once.
#[tauri::command]
pub async fn take_focus_request(api: ApiState<'_>) -> IpcResult<Option<FocusRequest>> {
    Ok(api.take_focus_request())
}

/// The location data that places Matrix sessions: Keepwatch's files and the chosen folder's.
#[tauri::command]
pub async fn geo_status(api: ApiState<'_>) -> IpcResult<GeoStatus> {
    Ok(api.geo_status()?)
}

/// Downloads DB-IP Lite's current files; how far it has got is the `geo://progress` event.
#[tauri::command]
pub async fn update_geo(app: AppHandle, api: ApiState<'_>) -> IpcResult<GeoStatus> {
    Ok(api
        .update_geo(&mut |p| {
            let _ = app.emit("geo://progress", p);
        })
        .await?)
}

/// Reads location data from `folder` too (checked first), or from Keepwatch's own only.
#[tauri::command]
pub async fn set_location_data_folder(
    api: ApiState<'_>,
    folder: Option<String>,
) -> IpcResult<GeoStatus> {
    Ok(api.set_location_data_folder(folder).await?)
}

/// A folder the user picks in the platform's dialog; `None` when they cancel.
#[tauri::command]
pub async fn choose_folder(app: AppHandle) -> IpcResult<Option<String>> {
    let picked = picked(|answer| app.dialog().file().pick_folder(answer)).await?;
    Ok(picked.map(|path| path.display().to_string()))
}

/// The path the user picks in the file dialog `open` shows (passing it the callback that
/// takes the answer); `None` when they cancel.
async fn picked(
    open: impl FnOnce(Box<dyn FnOnce(Option<FilePath>) + Send>),
) -> IpcResult<Option<std::path::PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    open(Box::new(move |path| {
        let _ = tx.send(path);
    }));
    match rx.await.ok().flatten() {
        None => Ok(None),
        Some(path) => path
            .into_path()
            .map(Some)
            .map_err(|e| IpcError::new(CoreErrorKind::Storage, e.to_string())),
    }
}

/// Where Keepwatch keeps its files, and the log folder a user can send.
#[tauri::command]
pub async fn about(api: ApiState<'_>) -> IpcResult<About> {
    Ok(api.about())
}

/// What `./run demo` asks the sign-in form to show, if anything.
#[tauri::command]
pub async fn demo_defaults(api: ApiState<'_>) -> IpcResult<Option<DemoDefaults>> {
    Ok(api.demo_defaults())
}
