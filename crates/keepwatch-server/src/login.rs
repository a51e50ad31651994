//! Signing in: password, 2FA (TOTP, backup codes, trusted devices), lockout and the sign-in
//! history.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use keepwatch_api::{
    Device, Event, EventKind, LoginAttempt, LoginOutcome, LoginRequest, TokenPair, TrustedDevice,
    TRUSTED_DEVICE_DAYS,
};
use keepwatch_geo::GeoDb;
use rusqlite::{Connection, OptionalExtension};

use axum::http::StatusCode;
use keepwatch_api::ErrorCode;

use crate::config::{chrono_duration, Limits};
use crate::error::{HttpError, HttpResult};
use crate::secrets::{backup_code_hash, new_id, new_token, token_hash};
use crate::sessions::{self, NewSession};
use crate::store::{parse_json, parse_ts, ts, Write};
use crate::{blocklist, tokens, totp};

/// What an account needs for sign-in.
#[derive(Debug, Clone)]
pub struct AccountAuth {
    /// Account id.
    pub id: String,
    /// Email as stored.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// Finds an account by email (case-insensitive).
pub fn find_by_email(conn: &Connection, email: &str) -> HttpResult<Option<AccountAuth>> {
    Ok(conn
        .query_row(
            "SELECT id, email, password_hash FROM accounts WHERE email = ?1",
            [email.trim()],
            |r| {
                Ok(AccountAuth {
                    id: r.get(0)?,
                    email: r.get(1)?,
                    password_hash: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Finds an account by id.
pub fn find_by_id(conn: &Connection, id: &str) -> HttpResult<Option<AccountAuth>> {
    Ok(conn
        .query_row(
            "SELECT id, email, password_hash FROM accounts WHERE id = ?1",
            [id],
            |r| {
                Ok(AccountAuth {
                    id: r.get(0)?,
                    email: r.get(1)?,
                    password_hash: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// A sign-in request with what the HTTP layer knows about its sender.
#[derive(Debug, Clone)]
pub struct LoginInput {
    /// The body.
    pub request: LoginRequest,
    /// The client's address.
    pub ip: IpAddr,
    /// The parsed User-Agent and client hints.
    pub device: Device,
}

/// Stores an attempt in the sign-in history.
pub fn record_attempt(
    w: &mut Write<'_>,
    account_id: &str,
    outcome: LoginOutcome,
    session_id: Option<&str>,
    ip: IpAddr,
    device: &Device,
) -> HttpResult<LoginAttempt> {
    let (location, network) = w.geo.lookup(ip);
    let attempt = LoginAttempt {
        id: new_id("att"),
        at: w.now,
        outcome,
        session_id: session_id.map(str::to_owned),
        ip: ip.to_string(),
        device: device.clone(),
        network,
        location,
    };
    w.tx.execute(
        "INSERT INTO login_attempts (id, account_id, at, outcome, session_id, ip, device_json, network_json, location_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            attempt.id,
            account_id,
            ts(attempt.at),
            serde_json::to_value(outcome)?.as_str().unwrap_or("unknown"),
            attempt.session_id,
            attempt.ip,
            serde_json::to_string(&attempt.device)?,
            serde_json::to_string(&attempt.network)?,
            serde_json::to_string(&attempt.location)?,
        ],
    )?;
    Ok(attempt)
}

/// The account's sign-in history, newest first.
pub fn history(conn: &Connection, account_id: &str, limit: u32) -> HttpResult<Vec<LoginAttempt>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, outcome, session_id, ip, device_json, network_json, location_json \
         FROM login_attempts WHERE account_id = ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![account_id, limit], |r| {
            let outcome: String = r.get(2)?;
            Ok(LoginAttempt {
                id: r.get(0)?,
                at: parse_ts(&r.get::<_, String>(1)?)?,
                outcome: serde_json::from_value(serde_json::Value::String(outcome))
                    .unwrap_or(LoginOutcome::Unknown),
                session_id: r.get(3)?,
                ip: r.get(4)?,
                device: parse_json(&r.get::<_, String>(5)?)?,
                network: parse_json(&r.get::<_, String>(6)?)?,
                location: parse_json(&r.get::<_, String>(7)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn locked_error(until: DateTime<Utc>, now: DateTime<Utc>) -> HttpError {
    let wait = (until - now).num_seconds() + i64::from((until - now).subsec_nanos() > 0);
    HttpError::new(
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
        "too many failed sign-ins; the account is locked for a while",
    )
    .retry_after(wait)
}

/// Completes a sign-in whose password was already checked (`password_ok`, off the database
/// lock, because Argon2 is slow). Refusals are the inner `Err`, so that the attempt, the
/// failure count and the events they cause are committed.
pub fn finish(
    w: &mut Write<'_>,
    account_id: Option<&str>,
    input: &LoginInput,
    password_ok: bool,
    limits: &Limits,
) -> HttpResult<Result<TokenPair, HttpError>> {
    let Some(account_id) = account_id else {
        return Ok(Err(HttpError::invalid_credentials()));
    };
    type Row = (Option<String>, u32, Option<String>, Option<i64>);
    let (totp_secret, failed, locked_until, totp_last_step): Row = w.tx.query_row(
        "SELECT totp_secret, failed_logins, locked_until, totp_last_step FROM accounts WHERE id = ?1",
        [account_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let req = &input.request;
    let ip = input.ip;

    if blocklist::is_blocked(&w.tx, account_id, ip)? {
        refuse(w, account_id, input, LoginOutcome::IpBlocked)?;
        return Ok(Err(HttpError::ip_blocked()));
    }
    if let Some(until) = locked_until.as_deref().map(parse_ts).transpose()? {
        if until > w.now {
            refuse(w, account_id, input, LoginOutcome::AccountLocked)?;
            return Ok(Err(locked_error(until, w.now)));
        }
    }
    if !password_ok {
        return fail(
            w,
            account_id,
            input,
            failed,
            LoginOutcome::InvalidCredentials,
            limits,
        );
    }

    let mut trusted = false;
    let mut did_two_factor = false;
    if let Some(secret) = totp_secret {
        trusted = match req.device_token.as_deref() {
            Some(token) => w
                .tx
                .query_row(
                    "SELECT 1 FROM trusted_devices WHERE account_id = ?1 AND token_hash = ?2 AND expires_at > ?3",
                    rusqlite::params![account_id, token_hash(token), ts(w.now)],
                    |_| Ok(()),
                )
                .optional()?
                .is_some(),
            None => false,
        };
        if !trusted {
            if let Some(code) = req.totp_code.as_deref() {
                let Some(step) = totp::verify(&secret, code, w.now, totp_last_step) else {
                    return fail(
                        w,
                        account_id,
                        input,
                        failed,
                        LoginOutcome::InvalidTotp,
                        limits,
                    );
                };
                w.tx.execute(
                    "UPDATE accounts SET totp_last_step = ?2 WHERE id = ?1",
                    rusqlite::params![account_id, step],
                )?;
            } else if let Some(code) = req.backup_code.as_deref() {
                let used = w.tx.execute(
                    "UPDATE backup_codes SET used_at = ?3 WHERE account_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
                    rusqlite::params![account_id, backup_code_hash(code), ts(w.now)],
                )?;
                if used == 0 {
                    return fail(
                        w,
                        account_id,
                        input,
                        failed,
                        LoginOutcome::InvalidTotp,
                        limits,
                    );
                }
            } else {
                // Not a failure: the normal second step of a 2FA sign-in.
                record_attempt(
                    w,
                    account_id,
                    LoginOutcome::TotpRequired,
                    None,
                    ip,
                    &input.device,
                )?;
                return Ok(Err(HttpError::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::TotpRequired,
                    "a TOTP code or backup code is needed",
                )));
            }
            did_two_factor = true;
        }
    }

    w.tx.execute(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        [account_id],
    )?;
    let becomes_trusted = req.trust_device && did_two_factor;
    let now = w.now;
    let session = sessions::create(
        w,
        NewSession {
            account_id,
            client: req.client,
            remember_me: req.remember_me,
            trusted_device: trusted || becomes_trusted,
            ip,
            device: &input.device,
            created_at: now,
        },
    )?;
    record_attempt(
        w,
        account_id,
        LoginOutcome::Success,
        Some(&session.id),
        ip,
        &input.device,
    )?;
    let mut pair = tokens::issue(w, &session.id, chrono_duration(limits.access_token_ttl))?;
    if becomes_trusted {
        let token = new_token();
        let device = TrustedDevice {
            id: new_id("dev"),
            device: input.device.clone(),
            ip: ip.to_string(),
            location: w.geo.lookup(ip).0,
            created_at: w.now,
            expires_at: w.now + Duration::days(TRUSTED_DEVICE_DAYS),
        };
        w.tx.execute(
            "INSERT INTO trusted_devices (id, account_id, token_hash, device_json, ip, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                device.id,
                account_id,
                token_hash(&token),
                serde_json::to_string(&device.device)?,
                device.ip,
                ts(device.created_at),
                ts(device.expires_at),
            ],
        )?;
        let mut event = Event::new(0, EventKind::TrustedDeviceAdded, w.now);
        event.session = Some(session.view(w.geo, None));
        event.trusted_device = Some(device);
        w.emit(account_id, event)?;
        pair.device_token = Some(token);
    }
    Ok(Ok(pair))
}

/// Records a refused attempt that does not count towards lockout, with its `login_failed`.
fn refuse(
    w: &mut Write<'_>,
    account_id: &str,
    input: &LoginInput,
    outcome: LoginOutcome,
) -> HttpResult<()> {
    let attempt = record_attempt(w, account_id, outcome, None, input.ip, &input.device)?;
    let mut event = Event::new(0, EventKind::LoginFailed, w.now);
    event.attempt = Some(attempt);
    w.emit(account_id, event)?;
    Ok(())
}

/// Records a failed attempt, counts it, and locks the account at the threshold.
fn fail(
    w: &mut Write<'_>,
    account_id: &str,
    input: &LoginInput,
    failed_before: u32,
    outcome: LoginOutcome,
    limits: &Limits,
) -> HttpResult<Result<TokenPair, HttpError>> {
    let attempt = record_attempt(w, account_id, outcome, None, input.ip, &input.device)?;
    let mut event = Event::new(0, EventKind::LoginFailed, w.now);
    event.attempt = Some(attempt.clone());
    w.emit(account_id, event)?;
    let failed = failed_before + 1;
    if failed >= limits.lockout_threshold {
        let until = w.now + chrono_duration(limits.lockout_duration);
        w.tx.execute(
            "UPDATE accounts SET failed_logins = 0, locked_until = ?2 WHERE id = ?1",
            rusqlite::params![account_id, ts(until)],
        )?;
        let mut event = Event::new(0, EventKind::AccountLocked, w.now);
        event.attempt = Some(attempt);
        event.locked_until = Some(until);
        w.emit(account_id, event)?;
        tracing::warn!(account = %account_id, "account locked after repeated failed sign-ins");
        return Ok(Err(locked_error(until, w.now)));
    }
    w.tx.execute(
        "UPDATE accounts SET failed_logins = ?2 WHERE id = ?1",
        rusqlite::params![account_id, failed],
    )?;
    Ok(Err(match outcome {
        LoginOutcome::InvalidTotp => HttpError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidTotp,
            "the TOTP code or backup code is wrong",
        ),
        _ => HttpError::invalid_credentials(),
    }))
}

/// The account's trusted devices that have not lapsed.
pub fn trusted_devices(
    conn: &Connection,
    geo: &GeoDb,
    account_id: &str,
    now: DateTime<Utc>,
) -> HttpResult<Vec<TrustedDevice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, device_json, ip, created_at, expires_at FROM trusted_devices \
         WHERE account_id = ?1 AND expires_at > ?2 ORDER BY created_at, id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![account_id, ts(now)], |r| {
            let ip: String = r.get(2)?;
            let location = ip
                .parse::<IpAddr>()
                .map(|a| geo.lookup(a).0)
                .unwrap_or_default();
            Ok(TrustedDevice {
                id: r.get(0)?,
                device: parse_json(&r.get::<_, String>(1)?)?,
                ip,
                location,
                created_at: parse_ts(&r.get::<_, String>(3)?)?,
                expires_at: parse_ts(&r.get::<_, String>(4)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
