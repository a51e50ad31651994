//! `POST /v1/account/password`, `POST /v1/account/2fa/reset`, `GET /v1/account/withdrawals`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use keepwatch_api::{
    ChangePasswordRequest, ChangePasswordResponse, Device, ErrorCode, Event, EventKind, LimitQuery,
    LoginOutcome, RevocationReason, TwoFactorResetRequest, TwoFactorResetResponse, Withdrawal,
    MIN_PASSWORD_LENGTH,
};

use super::extract::{list_limit, ApiJson, ApiQuery, Auth};
use crate::account::{self, TwoFactorSecrets};
use crate::error::{HttpError, HttpResult};
use crate::lockout;
use crate::login::{self, AccountAuth, Failure};
use crate::secrets::{hash_password, verify_password};
use crate::sessions;
use crate::state::AppState;
use crate::store::Write;
use crate::tokens::Caller;
use crate::totp;

/// Issuer shown in authenticator apps.
const TOTP_ISSUER: &str = "Keepwatch";

/// Loads the caller's account and checks `password` against it, off the runtime. A wrong
/// password is a failed sign-in in all but name: recorded with `login_failed` (the calling
/// session's device and address as its context), counted with the sign-in failures of the
/// account from the same address, and also from the same session (so that a stolen token
/// gains nothing from moving), and locked out the same way.
async fn confirm_password(
    state: &AppState,
    caller: &Caller,
    password: String,
) -> HttpResult<AccountAuth> {
    let account_id = caller.account_id.clone();
    let account = state
        .db
        .read(move |c, _, _| login::find_by_id(c, &account_id))
        .await?
        .ok_or_else(|| HttpError::invalid_token("the account no longer exists"))?;
    let subject = lockout::subject(&account.email);
    let sources = vec![
        lockout::address_source(caller.ip),
        lockout::session_source(&caller.session_id),
    ];
    let (c, s, sub) = (caller.clone(), sources.clone(), subject.clone());
    let locked = state
        .db
        .write(move |w| {
            let Some(until) = lockout::locked_until(&w.tx, &sub, &s, w.now)? else {
                return Ok(None);
            };
            let device = caller_device(w, &c)?;
            let failure = Failure {
                account_id: &c.account_id,
                subject: &sub,
                sources: &s,
                ip: c.ip,
                device: &device,
            };
            login::refuse(w, &failure, LoginOutcome::AccountLocked)?;
            Ok(Some(login::locked_error(until, w.now)))
        })
        .await?;
    if let Some(locked) = locked {
        return Err(locked);
    }
    let hash = account.password_hash.clone();
    let ok = state
        .password_work
        .run(move || verify_password(&password, &hash))
        .await?;
    let c = caller.clone();
    let limits = state.limits.clone();
    let refusal = state
        .db
        .write(move |w| {
            if ok {
                lockout::clear(w, &subject, &sources)?;
                return Ok(None);
            }
            let device = caller_device(w, &c)?;
            let failure = Failure {
                account_id: &c.account_id,
                subject: &subject,
                sources: &sources,
                ip: c.ip,
                device: &device,
            };
            Ok(Some(login::fail(
                w,
                &failure,
                LoginOutcome::InvalidCredentials,
                &limits,
            )?))
        })
        .await?;
    match refusal {
        Some(e) => Err(e),
        None => Ok(account),
    }
}

/// The device of the calling session, as its sign-in recorded it.
fn caller_device(w: &Write<'_>, caller: &Caller) -> HttpResult<Device> {
    sessions::load(&w.tx, &caller.session_id)?
        .map(|s| s.device)
        .ok_or_else(|| HttpError::invalid_token("the session has ended"))
}

/// `POST /v1/account/password`: every other session ends.
pub async fn change_password(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> HttpResult<Json<ChangePasswordResponse>> {
    confirm_password(&state, &caller, body.current_password.clone()).await?;
    if body.new_password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::WeakPassword,
            format!("the new password must have at least {MIN_PASSWORD_LENGTH} characters"),
        ));
    }
    if body.new_password == body.current_password {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::WeakPassword,
            "the new password must differ from the current one",
        ));
    }
    let cost = state.limits.password_cost;
    let new_hash = state
        .password_work
        .run(move || hash_password(&body.new_password, cost))
        .await?
        .map_err(HttpError::internal)?;
    let session_id = caller.session_id.clone();
    let revoked_sessions = state
        .db
        .write(move |w| {
            w.tx.execute(
                "UPDATE accounts SET password_hash = ?2 WHERE id = ?1",
                rusqlite::params![caller.account_id, new_hash],
            )?;
            // The event comes before the endings it causes, so that every session being ended
            // hears of the change (and who made it) before its stream closes.
            let others = sessions::others(w, &caller.account_id, &caller.session_id)?;
            let mut event = Event::new(0, EventKind::PasswordChanged, w.now);
            event.session = sessions::load(&w.tx, &caller.session_id)?.map(|s| s.view(w.geo, None));
            event.revoked_sessions = Some(others.len() as u32);
            let cause = w.emit(&caller.account_id, event)?;
            sessions::end_all(
                w,
                &others,
                RevocationReason::PasswordChanged,
                &caller.session_id,
                cause,
            )
        })
        .await?;
    tracing::info!(session = %session_id, revoked_sessions, "password changed");
    Ok(Json(ChangePasswordResponse { revoked_sessions }))
}

/// `POST /v1/account/2fa/reset`.
pub async fn reset_two_factor(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TwoFactorResetRequest>,
) -> HttpResult<Json<TwoFactorResetResponse>> {
    let account = confirm_password(&state, &caller, body.password.clone()).await?;
    let cost = state.limits.password_cost;
    // Ten backup codes, each hashed with Argon2: on the bounded password workers.
    let fresh = state
        .password_work
        .run(move || TwoFactorSecrets::generate(cost))
        .await?
        .map_err(HttpError::internal)?;
    let session_id = caller.session_id.clone();
    let (secrets, revoked_sessions) = state
        .db
        .write(move |w| {
            account::replace_two_factor(w, &caller.account_id, &fresh)?;
            // As with a password change: whoever holds another session may be who made the
            // reset necessary. The event comes first, so that each ending session hears why.
            let others = sessions::others(w, &caller.account_id, &caller.session_id)?;
            let mut event = Event::new(0, EventKind::TwoFactorReset, w.now);
            event.session = sessions::load(&w.tx, &caller.session_id)?.map(|s| s.view(w.geo, None));
            event.revoked_sessions = Some(others.len() as u32);
            let cause = w.emit(&caller.account_id, event)?;
            let revoked = sessions::end_all(
                w,
                &others,
                RevocationReason::TwoFactorReset,
                &caller.session_id,
                cause,
            )?;
            Ok((fresh, revoked))
        })
        .await?;
    tracing::info!(session = %session_id, revoked_sessions, "two-factor reset");
    Ok(Json(TwoFactorResetResponse {
        otpauth_uri: totp::otpauth_uri(TOTP_ISSUER, &account.email, &secrets.secret),
        secret: secrets.secret,
        backup_codes: secrets.backup_codes,
    }))
}

/// `GET /v1/account/withdrawals`.
pub async fn withdrawals(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<LimitQuery>,
) -> HttpResult<Json<Vec<Withdrawal>>> {
    let limit = list_limit(query.limit)?;
    let list = state
        .db
        .read(move |c, _, _| account::withdrawals(c, &caller.account_id, limit))
        .await?;
    Ok(Json(list))
}
