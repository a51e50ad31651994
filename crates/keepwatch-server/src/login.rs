//! Signing in: password, 2FA (TOTP, backup codes, trusted devices), lockout (see
//! [`crate::lockout`]) and the sign-in history.

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
use crate::secrets::{new_id, new_token, token_hash};
use crate::sessions::{self, NewSession};
use crate::store::{parse_json, parse_ts, ts, Write};
use crate::{blocklist, lockout, tokens, totp};

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

/// The 423 answer, the same whether or not the email has an account.
pub fn locked_error(until: DateTime<Utc>, now: DateTime<Utc>) -> HttpError {
    let wait = (until - now).num_seconds() + i64::from((until - now).subsec_nanos() > 0);
    HttpError::new(
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
        "too many failed sign-ins; the account is locked for a while",
    )
    .retry_after(wait)
}

/// The 401 answer to a wrong second factor.
fn invalid_totp() -> HttpError {
    HttpError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
        "the TOTP code or backup code is wrong",
    )
}

/// A failed password check to record and count: whose, from where, and under which lockout
/// sources.
pub struct Failure<'a> {
    /// The account.
    pub account_id: &'a str,
    /// Its lockout subject (see [`lockout::subject`]).
    pub subject: &'a str,
    /// The lockout sources the failure counts under.
    pub sources: &'a [String],
    /// Where it came from.
    pub ip: IpAddr,
    /// What it came from.
    pub device: &'a Device,
}

/// The trusted device of `account_id` whose token is `token`, if it has not lapsed.
fn trusted_device_id(
    w: &Write<'_>,
    account_id: &str,
    token: Option<&str>,
) -> HttpResult<Option<String>> {
    let Some(token) = token else {
        return Ok(None);
    };
    Ok(w.tx
        .query_row(
            "SELECT id FROM trusted_devices WHERE account_id = ?1 AND token_hash = ?2 AND expires_at > ?3",
            rusqlite::params![account_id, token_hash(token), ts(w.now)],
            |r| r.get(0),
        )
        .optional()?)
}

/// Completes a sign-in whose password (and backup code, if one was given) was already
/// checked off the database lock, because Argon2 is slow: `password_ok`, and in
/// `backup_match` the stored hash of the unused backup code that matched. Refusals are the
/// inner `Err`, so that the attempt, the failure count and the events they cause are
/// committed.
///
/// An email without an account is counted and locked exactly like one with an account, and
/// gets the same answers, so that neither the status, the body nor the lockout tells which
/// emails have accounts.
pub fn finish(
    w: &mut Write<'_>,
    account_id: Option<&str>,
    input: &LoginInput,
    password_ok: bool,
    backup_match: Option<&str>,
    limits: &Limits,
) -> HttpResult<Result<TokenPair, HttpError>> {
    let req = &input.request;
    let ip = input.ip;
    let subject = lockout::subject(&req.email);
    let Some(account_id) = account_id else {
        let sources = [lockout::address_source(ip)];
        if let Some(until) = lockout::locked_until(&w.tx, &subject, &sources, w.now)? {
            return Ok(Err(locked_error(until, w.now)));
        }
        return Ok(Err(
            match lockout::count_failure(w, &subject, &sources, limits)? {
                Some(until) => locked_error(until, w.now),
                None => HttpError::invalid_credentials(),
            },
        ));
    };
    type Row = (Option<String>, Option<i64>);
    let (totp_secret, totp_last_step): Row = w.tx.query_row(
        "SELECT totp_secret, totp_last_step FROM accounts WHERE id = ?1",
        [account_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // The owner's trusted devices count on their own, so that a stranger guessing from the
    // same network does not lock them out.
    let device_id = trusted_device_id(w, account_id, req.device_token.as_deref())?;
    let sources = [match &device_id {
        Some(id) => lockout::device_source(id),
        None => lockout::address_source(ip),
    }];
    let failure = Failure {
        account_id,
        subject: &subject,
        sources: &sources,
        ip,
        device: &input.device,
    };

    if blocklist::is_blocked(&w.tx, account_id, ip)? {
        refuse(w, &failure, LoginOutcome::IpBlocked)?;
        return Ok(Err(HttpError::ip_blocked()));
    }
    if let Some(until) = lockout::locked_until(&w.tx, &subject, &sources, w.now)? {
        refuse(w, &failure, LoginOutcome::AccountLocked)?;
        return Ok(Err(locked_error(until, w.now)));
    }
    if !password_ok {
        return Ok(Err(fail(
            w,
            &failure,
            LoginOutcome::InvalidCredentials,
            limits,
        )?));
    }

    let mut did_two_factor = false;
    let trusted = totp_secret.is_some() && device_id.is_some();
    if let Some(stored_secret) = totp_secret.filter(|_| !trusted) {
        if let Some(code) = req.totp_code.as_deref() {
            let secret = w.vault.open_totp(account_id, &stored_secret)?;
            let Some(step) = totp::verify(&secret, code, w.now, totp_last_step) else {
                return Ok(Err(fail(w, &failure, LoginOutcome::InvalidTotp, limits)?));
            };
            w.tx.execute(
                "UPDATE accounts SET totp_last_step = ?2 WHERE id = ?1",
                rusqlite::params![account_id, step],
            )?;
        } else if req.backup_code.is_some() {
            let used = match backup_match {
                Some(hash) => w.tx.execute(
                    "UPDATE backup_codes SET used_at = ?3 WHERE account_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
                    rusqlite::params![account_id, hash, ts(w.now)],
                )?,
                None => 0,
            };
            if used == 0 {
                return Ok(Err(fail(w, &failure, LoginOutcome::InvalidTotp, limits)?));
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

    lockout::clear(w, &subject, &sources)?;
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
            max_age: chrono_duration(limits.session_max_age),
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
pub fn refuse(w: &mut Write<'_>, f: &Failure<'_>, outcome: LoginOutcome) -> HttpResult<()> {
    let attempt = record_attempt(w, f.account_id, outcome, None, f.ip, f.device)?;
    let mut event = Event::new(0, EventKind::LoginFailed, w.now);
    event.attempt = Some(attempt);
    w.emit(f.account_id, event)?;
    Ok(())
}

/// Records a failed attempt with its `login_failed`, counts it, and locks its sources at the
/// threshold (with `account_locked`). Returns the answer to give: 423 when it locked, else
/// the 401 of `outcome`.
pub fn fail(
    w: &mut Write<'_>,
    f: &Failure<'_>,
    outcome: LoginOutcome,
    limits: &Limits,
) -> HttpResult<HttpError> {
    let attempt = record_attempt(w, f.account_id, outcome, None, f.ip, f.device)?;
    let mut event = Event::new(0, EventKind::LoginFailed, w.now);
    event.attempt = Some(attempt.clone());
    w.emit(f.account_id, event)?;
    if let Some(until) = lockout::count_failure(w, f.subject, f.sources, limits)? {
        let mut event = Event::new(0, EventKind::AccountLocked, w.now);
        event.attempt = Some(attempt);
        event.locked_until = Some(until);
        w.emit(f.account_id, event)?;
        tracing::warn!(account = %f.account_id, "sign-in locked for one source after repeated failures");
        return Ok(locked_error(until, w.now));
    }
    Ok(match outcome {
        LoginOutcome::InvalidTotp => invalid_totp(),
        _ => HttpError::invalid_credentials(),
    })
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
