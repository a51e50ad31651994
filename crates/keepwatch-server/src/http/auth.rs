//! `POST /v1/auth/login`, `/refresh`, `/logout`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use keepwatch_api::{LoginRequest, RefreshRequest, TokenPair};

use super::extract::{ApiJson, Auth, ClientIp, RequestDevice};
use crate::config::chrono_duration;
use crate::error::{HttpError, HttpResult};
use crate::login::{self, LoginInput};
use crate::sessions::{self, Ending};
use crate::state::AppState;
use crate::tokens;

/// Signs in: rate limit, then password (off the database lock), then the rest in one
/// transaction.
pub async fn sign_in(state: &AppState, input: LoginInput) -> HttpResult<TokenPair> {
    let now = state.db.clock.now();
    state
        .login_rate
        .check(
            input.ip,
            now,
            state.limits.login_rate_max,
            chrono_duration(state.limits.login_rate_window),
        )
        .map_err(|wait| {
            HttpError::new(
                StatusCode::TOO_MANY_REQUESTS,
                keepwatch_api::ErrorCode::RateLimited,
                "too many sign-in attempts from this address",
            )
            .retry_after(wait)
        })?;
    let email = input.request.email.clone();
    let account = state
        .db
        .read(move |c, _, _| login::find_by_email(c, &email))
        .await?;
    // An unknown email is checked against a hash of the same cost, so that it takes as long as
    // a known one and timing does not tell which emails have accounts.
    let hash = account
        .as_ref()
        .map_or_else(|| state.dummy_hash.clone(), |a| a.password_hash.clone());
    let password = input.request.password.clone();
    let password_ok = state
        .password_work
        .run(move || crate::secrets::verify_password(&password, &hash))
        .await?
        && account.is_some();
    let account_id = account.map(|a| a.id);
    let backup_match = match (&account_id, &input.request.backup_code) {
        (Some(id), Some(code)) if password_ok => {
            find_backup_code(state, id.clone(), code.clone()).await?
        }
        _ => None,
    };
    let limits = state.limits.clone();
    let pair = state
        .db
        .write(move |w| {
            login::finish(
                w,
                account_id.as_deref(),
                &input,
                password_ok,
                backup_match.as_deref(),
                &limits,
            )
        })
        .await??;
    tracing::info!(session = %pair.session_id, "signed in");
    Ok(pair)
}

/// The stored hash of the account's unused backup code that `code` is, if any. Backup codes
/// are hashed slowly, so this runs off the database lock, and only after the password matched.
async fn find_backup_code(
    state: &AppState,
    account_id: String,
    code: String,
) -> HttpResult<Option<String>> {
    let stored = state
        .db
        .read(move |c, _, _| crate::account::unused_backup_codes(c, &account_id))
        .await?;
    // Each stored code is an Argon2 hash: the same bounded workers as passwords.
    state
        .password_work
        .run(move || {
            stored
                .into_iter()
                .find(|hash| crate::secrets::backup_code_matches(&code, hash))
        })
        .await
}

/// `POST /v1/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RequestDevice(device): RequestDevice,
    ApiJson(request): ApiJson<LoginRequest>,
) -> HttpResult<Json<TokenPair>> {
    sign_in(
        &state,
        LoginInput {
            request,
            ip,
            device,
        },
    )
    .await
    .map(Json)
}

/// `POST /v1/auth/refresh`.
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> HttpResult<Json<TokenPair>> {
    let ttl = chrono_duration(state.limits.access_token_ttl);
    let pair = state
        .db
        .write(move |w| tokens::refresh(w, &request.refresh_token, ip, ttl))
        .await??;
    Ok(Json(pair))
}

/// `POST /v1/auth/logout`.
pub async fn logout(State(state): State<AppState>, Auth(caller): Auth) -> HttpResult<StatusCode> {
    state
        .db
        .write(move |w| {
            if let Some(session) = sessions::load(&w.tx, &caller.session_id)? {
                sessions::end(
                    w,
                    &session,
                    Ending::signed_out_by(&session, &caller.session_id),
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
