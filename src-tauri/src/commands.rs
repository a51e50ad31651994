//! The window's commands (ui/IPC.md, "Commands"): each asks the core and maps its answer.
//!
//! Argument names follow Tauri's default camelCase mapping (`session_id` is `sessionId` in
//! JavaScript). Passwords and codes pass through to the core and are never logged.

use keepwatch_api::{
    BlocklistEntry, ChangePasswordRequest, ChangePasswordResponse, NewBlocklistEntry,
    RevokeOthersResponse, SessionLength, SessionList, TrustedDevice, TwoFactorResetRequest,
    Withdrawal,
};
use keepwatch_core::{HistoryQuery, LoginParams};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use keepwatch_ipc::{
    history_page, AccountSummary, AlertRecord, AlertState, CoreErrorKind, DemoDefaults,
    ExportFormat, ExportResult, HistoryFilter, HistoryPage, IpcError, IpcResult, NewTwoFactor,
    Settings, SignInRequest, SyncPhase, SyncStatus,
};

use crate::state::{emit_sessions, AppState};
use crate::tray;

/// Folds what a cache-backed read learnt about freshness into the status.
fn note_freshness(app: &AppHandle, state: &AppState, f: &keepwatch_core::views::Freshness) {
    let mut status = state.status();
    status.last_synced_at = f.last_synced_at.or(status.last_synced_at);
    if f.signed_out {
        status.phase = SyncPhase::SignedOut;
        status.live = false;
    } else if !f.online {
        status.phase = SyncPhase::Offline;
        status.live = false;
        status.last_error = f
            .offline_reason
            .clone()
            .map(|m| IpcError::new(CoreErrorKind::Network, m));
    } else if status.phase == SyncPhase::Offline {
        status.phase = SyncPhase::Idle;
        status.last_error = None;
    }
    state.set_status(app, status);
}

/// The sync status of the active account.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> IpcResult<SyncStatus> {
    Ok(state.status())
}

/// Every account known.
#[tauri::command]
pub async fn accounts(state: State<'_, AppState>) -> IpcResult<Vec<AccountSummary>> {
    let active = state.active_id();
    Ok(state
        .kw
        .accounts()
        .iter()
        .map(|a| AccountSummary::of(a, active.as_deref()))
        .collect())
}

/// Signs in and makes the account active.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    request: SignInRequest,
) -> IpcResult<AccountSummary> {
    let view = state
        .kw
        .login(LoginParams {
            server: request.server_url,
            email: request.email,
            password: request.password,
            totp_code: request.totp_code.filter(|c| !c.trim().is_empty()),
            backup_code: None,
            trust_existing: request.trust_existing,
            remember: request.remember,
            trust_device: request.trust_device,
            ca_cert: None,
        })
        .await?;
    // Its engine restarts with the new session; the window shows it.
    state.watch(&app, &view.account.id)?;
    state.activate(&app, Some(&view.account.id))?;
    Ok(AccountSummary::of(&view.account, Some(&view.account.id)))
}

/// Ends the account's session; `forget` also deletes its history.
#[tauri::command]
pub async fn sign_out(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
    forget: bool,
) -> IpcResult<()> {
    let was_active = state.active_id().as_deref() == Some(account_id.as_str());
    state.unwatch(&app, &account_id);
    let account = state.kw.account(Some(&account_id))?;
    state.kw.logout(account, !forget).await?;
    if was_active && !state.kw.accounts().is_empty() {
        state.activate(&app, None)?;
    }
    Ok(())
}

/// Makes another account active.
#[tauri::command]
pub async fn switch_account(
    app: AppHandle,
    state: State<'_, AppState>,
    account_id: String,
) -> IpcResult<SyncStatus> {
    state.activate(&app, Some(&account_id))
}

/// The active account's sessions, live or cached.
#[tauri::command]
pub async fn list_sessions(app: AppHandle, state: State<'_, AppState>) -> IpcResult<SessionList> {
    let account = state.account()?;
    let (freshness, list) = account.session_list().await?;
    note_freshness(&app, &state, &freshness);
    Ok(list)
}

/// Signs one session out.
#[tauri::command]
pub async fn revoke_session(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: String,
) -> IpcResult<()> {
    let account = state.account()?;
    account.revoke(&session_id).await?;
    emit_sessions(&app, &account).await;
    tray::refresh(&app);
    Ok(())
}

/// Signs every other session out.
#[tauri::command]
pub async fn revoke_others(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<RevokeOthersResponse> {
    let account = state.account()?;
    let revoked = account.revoke_others().await?;
    emit_sessions(&app, &account).await;
    tray::refresh(&app);
    Ok(RevokeOthersResponse { revoked })
}

/// "This was me".
#[tauri::command]
pub async fn confirm_session(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: String,
) -> IpcResult<()> {
    let account = state.account()?;
    account.trust(&session_id).await?;
    tray::refresh(&app);
    Ok(())
}

/// Every alert, newest first.
#[tauri::command]
pub async fn list_alerts(state: State<'_, AppState>) -> IpcResult<Vec<AlertRecord>> {
    let account = state.account()?;
    let alerts = account.cached_alerts().await?;
    Ok(alerts.into_iter().map(AlertRecord::from).collect())
}

/// Moves an alert along.
#[tauri::command]
pub async fn set_alert_state(
    app: AppHandle,
    app_state: State<'_, AppState>,
    key: String,
    state: AlertState,
) -> IpcResult<()> {
    let account = app_state.account()?;
    account.set_alert_state(&key, state.to_core()).await?;
    tray::refresh(&app);
    Ok(())
}

/// The history, filtered.
#[tauri::command]
pub async fn history(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: HistoryFilter,
) -> IpcResult<HistoryPage> {
    let account = state.account()?;
    let (freshness, matching, alerts) = account.history_records(filter.query()).await?;
    note_freshness(&app, &state, &freshness);
    let (_, all, _) = account.history_records(HistoryQuery::default()).await?;
    Ok(history_page(&filter, &matching, &all, &alerts))
}

/// Exports the history to a file the user picks.
#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    filter: HistoryFilter,
) -> IpcResult<ExportResult> {
    let account = state.account()?;
    let (extension, core_format) = match format {
        ExportFormat::Csv => ("csv", keepwatch_core::ExportFormat::Csv),
        ExportFormat::Json => ("json", keepwatch_core::ExportFormat::Json),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter(extension.to_uppercase(), &[extension])
        .set_file_name(format!("keepwatch-history.{extension}"))
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else {
        return Ok(ExportResult {
            path: None,
            rows: 0,
        });
    };
    let path = path
        .into_path()
        .map_err(|e| IpcError::new(CoreErrorKind::Storage, e.to_string()))?;
    let file = std::fs::File::create(&path).map_err(|e| {
        IpcError::new(
            CoreErrorKind::Storage,
            format!("cannot create {}: {e}", path.display()),
        )
    })?;
    account.export(core_format, Box::new(file)).await?;
    // The core exports the whole history; the count is of what the filter shows.
    let (_, rows, _) = account.history_records(filter.query()).await?;
    Ok(ExportResult {
        path: Some(path.display().to_string()),
        rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
    })
}

/// Changes the password.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current_password: String,
    new_password: String,
) -> IpcResult<ChangePasswordResponse> {
    let account = state.account()?;
    Ok(account
        .change_password(&ChangePasswordRequest {
            current_password,
            new_password,
        })
        .await?)
}

/// Replaces the 2FA secret; the answer, with its QR code, is shown once and not kept.
#[tauri::command]
pub async fn reset_two_factor(
    state: State<'_, AppState>,
    password: String,
) -> IpcResult<NewTwoFactor> {
    let account = state.account()?;
    Ok(account
        .reset_two_factor(&TwoFactorResetRequest { password })
        .await?
        .into())
}

/// Recent withdrawals.
#[tauri::command]
pub async fn withdrawals(
    state: State<'_, AppState>,
    limit: Option<u32>,
) -> IpcResult<Vec<Withdrawal>> {
    Ok(state.account()?.withdrawals(limit).await?)
}

/// The IP blocklist.
#[tauri::command]
pub async fn blocklist(state: State<'_, AppState>) -> IpcResult<Vec<BlocklistEntry>> {
    Ok(state.account()?.blocklist().await?)
}

/// Blocks an address or range.
#[tauri::command]
pub async fn add_block(
    state: State<'_, AppState>,
    entry: NewBlocklistEntry,
) -> IpcResult<BlocklistEntry> {
    Ok(state.account()?.block(&entry).await?)
}

/// Unblocks.
#[tauri::command]
pub async fn remove_block(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    Ok(state.account()?.unblock(&id).await?)
}

/// Idle lifetimes.
#[tauri::command]
pub async fn session_length(state: State<'_, AppState>) -> IpcResult<SessionLength> {
    Ok(state.account()?.session_length().await?)
}

/// Sets idle lifetimes.
#[tauri::command]
pub async fn set_session_length(
    state: State<'_, AppState>,
    value: SessionLength,
) -> IpcResult<SessionLength> {
    Ok(state.account()?.set_session_length(&value).await?)
}

/// Devices that skip 2FA.
#[tauri::command]
pub async fn trusted_devices(state: State<'_, AppState>) -> IpcResult<Vec<TrustedDevice>> {
    Ok(state.account()?.client().trusted_devices().await?)
}

/// Forgets a trusted device.
#[tauri::command]
pub async fn forget_trusted_device(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    Ok(state.account()?.client().forget_trusted_device(&id).await?)
}

/// App preferences.
#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> IpcResult<Settings> {
    Ok(Settings::of(&state.kw.preferences()))
}

/// Saves preferences and applies start-at-login.
#[tauri::command]
pub async fn set_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> IpcResult<Settings> {
    let before = state.kw.preferences();
    let prefs = settings.apply(before.clone());
    if prefs.start_at_login != before.start_at_login {
        crate::autostart::set(&app, prefs.start_at_login)
            .map_err(|e| IpcError::new(CoreErrorKind::Storage, format!("start at login: {e}")))?;
    }
    // The running engine reads the saved preferences when it decides; nothing to restart.
    state.kw.set_preferences(prefs.clone())?;
    // The tray speaks the chosen language too.
    if prefs.language != before.language {
        tray::refresh(&app);
    }
    Ok(Settings::of(&prefs))
}

/// The alert a click on its notification asked the window to show, once.
#[tauri::command]
pub async fn take_focus_request(state: State<'_, AppState>) -> IpcResult<Option<String>> {
    Ok(state.take_focus_request())
}

/// What `./run demo` asks the sign-in form to show (from `KEEPWATCH_DEMO_*`), if anything.
#[tauri::command]
pub async fn demo_defaults() -> IpcResult<Option<DemoDefaults>> {
    let Ok(server_url) = std::env::var("KEEPWATCH_DEMO_SERVER") else {
        return Ok(None);
    };
    Ok(Some(DemoDefaults {
        server_url,
        email: std::env::var("KEEPWATCH_DEMO_EMAIL").unwrap_or_default(),
        password: std::env::var("KEEPWATCH_DEMO_PASSWORD").ok(),
    }))
}
