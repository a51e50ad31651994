//! Access and refresh tokens: issuing, checking, rotating.

use std::net::IpAddr;

use chrono::Duration;
use keepwatch_api::TokenPair;
use rusqlite::OptionalExtension;

use crate::blocklist;
use crate::error::{HttpError, HttpResult};
use crate::secrets::{new_token, token_hash};
use crate::sessions::{self, Ending, SessionRow, SESSION_COLUMNS};
use crate::store::{parse_ts, ts, Write};

/// How long after a refresh token was rotated it may be presented once more, as long as the
/// token that replaced it was never used: a client that crashed after the server rotated but
/// before it stored the answer comes back with the old token, and must not lose its session
/// (nor raise a theft alarm) for it. A copy used by someone else is still caught, here or when
/// the real client next presents the replacement.
pub const REFRESH_REUSE_GRACE: Duration = Duration::minutes(2);

/// Who is calling: the outcome of checking an access token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub account_id: String,
    /// The calling session.
    pub session_id: String,
    /// Where the request came from.
    pub ip: IpAddr,
}

/// Issues a fresh access + refresh token pair for a session.
pub fn issue(w: &mut Write<'_>, session_id: &str, access_ttl: Duration) -> HttpResult<TokenPair> {
    let access = new_token();
    let refresh = new_token();
    w.tx.execute(
        "INSERT INTO access_tokens (token_hash, session_id, expires_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![token_hash(&access), session_id, ts(w.now + access_ttl)],
    )?;
    w.tx.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![token_hash(&refresh), session_id, ts(w.now)],
    )?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer".to_owned(),
        expires_in: access_ttl.num_seconds().max(0) as u64,
        session_id: session_id.to_owned(),
        device_token: None,
    })
}

/// Records activity: `last_active_at` moves only when `granularity` has passed (so that a
/// client polling the session list sees an unchanged ETag), the address whenever it changes.
pub fn touch(
    w: &mut Write<'_>,
    session: &SessionRow,
    ip: IpAddr,
    granularity: Duration,
) -> HttpResult<()> {
    let ip_text = ip.to_string();
    if session.ip != ip_text || w.now - session.last_active_at >= granularity {
        w.tx.execute(
            "UPDATE sessions SET last_active_at = ?2, ip = ?3 WHERE id = ?1",
            rusqlite::params![session.id, ts(w.now.max(session.last_active_at)), ip_text],
        )?;
    }
    Ok(())
}

/// Checks a session found by one of its tokens: still running, not past its lifetime, not
/// from a blocked address. A session found past its lifetime is expired here (and the caller
/// must commit that), which is why the refusal is the inner `Err`.
fn check_session(
    w: &mut Write<'_>,
    session: &SessionRow,
    ip: IpAddr,
) -> HttpResult<Result<(), HttpError>> {
    if let Some(revocation) = &session.revocation {
        return Ok(Err(HttpError::session_revoked(revocation.clone())));
    }
    if session.expires_at() <= w.now {
        return Ok(Err(match sessions::end(w, session, Ending::expired())? {
            Some(revocation) => HttpError::session_revoked(revocation),
            None => HttpError::invalid_token("the session has ended"),
        }));
    }
    if blocklist::is_blocked(&w.tx, &session.account_id, ip)? {
        return Ok(Err(HttpError::ip_blocked()));
    }
    Ok(Ok(()))
}

/// Checks an access token and records the activity.
pub fn authenticate(
    w: &mut Write<'_>,
    token: &str,
    ip: IpAddr,
    granularity: Duration,
) -> HttpResult<Result<Caller, HttpError>> {
    let found =
        w.tx.query_row(
            &format!(
                "SELECT t.expires_at, {SESSION_COLUMNS} FROM access_tokens t \
                 JOIN sessions s ON s.id = t.session_id JOIN accounts a ON a.id = s.account_id \
                 WHERE t.token_hash = ?1"
            ),
            [token_hash(token)],
            |r| Ok((r.get::<_, String>(0)?, SessionRow::from_row(r, 1)?)),
        )
        .optional()?;
    let Some((expires, session)) = found else {
        return Ok(Err(HttpError::invalid_token(
            "unknown or revoked access token",
        )));
    };
    // The session first: an ended one answers how it ended whatever the token's age, so that
    // a client learns it at once rather than after a refresh.
    if let Err(e) = check_session(w, &session, ip)? {
        return Ok(Err(e));
    }
    if parse_ts(&expires)? <= w.now {
        return Ok(Err(HttpError::invalid_token(
            "the access token has expired; refresh it",
        )));
    }
    touch(w, &session, ip, granularity)?;
    Ok(Ok(Caller {
        account_id: session.account_id,
        session_id: session.id,
        ip,
    }))
}

/// Whether the token with `successor` as its replacement, rotated at `rotated`, may be
/// honoured once more: within [`REFRESH_REUSE_GRACE`], while that replacement was never used.
fn successor_unused(w: &Write<'_>, rotated: &str, successor: Option<&str>) -> HttpResult<bool> {
    let Some(successor) = successor else {
        return Ok(false);
    };
    if w.now - parse_ts(rotated)? > REFRESH_REUSE_GRACE {
        return Ok(false);
    }
    let unused: bool = w
        .tx
        .query_row(
            "SELECT rotated_at IS NULL AND retired_at IS NULL FROM refresh_tokens WHERE token_hash = ?1",
            [successor],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    Ok(unused)
}

/// Trades a refresh token for a new pair. A token that was already rotated is a sign that
/// it leaked: the whole session is revoked.
pub fn refresh(
    w: &mut Write<'_>,
    token: &str,
    ip: IpAddr,
    access_ttl: Duration,
) -> HttpResult<Result<TokenPair, HttpError>> {
    let hash = token_hash(token);
    let found =
        w.tx.query_row(
            &format!(
                "SELECT r.rotated_at, r.successor_hash, r.retired_at, {SESSION_COLUMNS} FROM refresh_tokens r \
                 JOIN sessions s ON s.id = r.session_id JOIN accounts a ON a.id = s.account_id \
                 WHERE r.token_hash = ?1"
            ),
            [&hash],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    SessionRow::from_row(r, 3)?,
                ))
            },
        )
        .optional()?;
    let Some((rotated, successor, retired, session)) = found else {
        return Ok(Err(HttpError::invalid_token("unknown refresh token")));
    };
    if let Err(e) = check_session(w, &session, ip)? {
        return Ok(Err(e));
    }
    // A retired replacement never reached its client: whoever presents it copied it.
    let rotated = rotated.or(retired);
    if let Some(rotated) = rotated {
        if successor_unused(w, &rotated, successor.as_deref())? {
            tracing::info!(session = %session.id, "rotated refresh token presented again within the grace; its unused replacement is retired");
            w.tx.execute(
                "UPDATE refresh_tokens SET retired_at = ?2 WHERE token_hash = ?1",
                rusqlite::params![successor, ts(w.now)],
            )?;
            touch(w, &session, ip, Duration::zero())?;
            let pair = issue(w, &session.id, access_ttl)?;
            w.tx.execute(
                "UPDATE refresh_tokens SET successor_hash = ?2 WHERE token_hash = ?1",
                rusqlite::params![hash, token_hash(&pair.refresh_token)],
            )?;
            return Ok(Ok(pair));
        }
        tracing::warn!(session = %session.id, "refresh token reused; revoking the session");
        return Ok(Err(
            match sessions::end(w, &session, Ending::token_reused())? {
                Some(revocation) => HttpError::session_revoked(revocation),
                None => HttpError::invalid_token("the session has ended"),
            },
        ));
    }
    touch(w, &session, ip, Duration::zero())?;
    let pair = issue(w, &session.id, access_ttl)?;
    w.tx.execute(
        "UPDATE refresh_tokens SET rotated_at = ?2, successor_hash = ?3 WHERE token_hash = ?1",
        rusqlite::params![hash, ts(w.now), token_hash(&pair.refresh_token)],
    )?;
    Ok(Ok(pair))
}
