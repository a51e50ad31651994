//! Sessions: creating, rendering, ending, and expiring them.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use keepwatch_api::{
    ClientKind, Device, Event, EventKind, Revocation, RevocationReason, Session, SessionLength,
    NO_REMEMBER_ME_HOURS,
};
use keepwatch_geo::GeoDb;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::HttpResult;
use crate::secrets::new_id;
use crate::store::{parse_json, parse_ts, ts, Write};

/// A session as stored, with its account's session-length setting.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Session id.
    pub id: String,
    /// Owner.
    pub account_id: String,
    /// Kind of client.
    pub client: ClientKind,
    /// "Remember me".
    pub remember_me: bool,
    /// Signed in as, or became, a trusted device.
    pub trusted_device: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last request.
    pub last_active_at: DateTime<Utc>,
    /// Last address.
    pub ip: String,
    /// Parsed device.
    pub device: Device,
    /// When it ended, if it did.
    pub ended_at: Option<DateTime<Utc>>,
    /// The account's idle lifetimes.
    pub length: SessionLength,
    /// How it ended, if it did.
    pub revocation: Option<Revocation>,
    /// When it ends however busy it is (fixed at sign-in).
    pub absolute_expires_at: Option<DateTime<Utc>>,
}

/// Columns for [`SessionRow::from_row`]; needs `sessions s JOIN accounts a`.
pub const SESSION_COLUMNS: &str = "s.id, s.account_id, s.client, s.remember_me, s.trusted_device, \
     s.created_at, s.last_active_at, s.ip, s.device_json, s.ended_at, a.web_idle_days, a.mobile_idle_days, \
     s.end_reason, s.ended_by, s.end_event_id, s.absolute_expires_at";

fn reason_from_str(s: &str) -> RevocationReason {
    match s {
        "revoked_by_session" => RevocationReason::RevokedBySession,
        "password_changed" => RevocationReason::PasswordChanged,
        "two_factor_reset" => RevocationReason::TwoFactorReset,
        "expired" => RevocationReason::Expired,
        "signed_out" => RevocationReason::SignedOut,
        "token_reused" => RevocationReason::TokenReused,
        // Rows from before reasons were recorded: a sign-out of its own or by another session
        // alike, with no way to tell them apart any more.
        _ => RevocationReason::Unknown,
    }
}

fn client_from_str(s: &str) -> ClientKind {
    match s {
        "mobile_pwa" => ClientKind::MobilePwa,
        "desktop" => ClientKind::Desktop,
        _ => ClientKind::Web,
    }
}

impl SessionRow {
    /// Reads a row selected with [`SESSION_COLUMNS`] starting at column `base`.
    pub fn from_row(row: &Row<'_>, base: usize) -> rusqlite::Result<Self> {
        let ended: Option<String> = row.get(base + 9)?;
        let ended_at = ended.as_deref().map(parse_ts).transpose()?;
        let reason: Option<String> = row.get(base + 12)?;
        let revocation = ended_at.map(|ended_at| -> rusqlite::Result<Revocation> {
            Ok(Revocation {
                reason: reason_from_str(reason.as_deref().unwrap_or_default()),
                by_session: row.get(base + 13)?,
                event_id: row.get::<_, Option<i64>>(base + 14)?.map(|id| id as u64),
                ended_at,
            })
        });
        Ok(Self {
            id: row.get(base)?,
            account_id: row.get(base + 1)?,
            client: client_from_str(&row.get::<_, String>(base + 2)?),
            remember_me: row.get(base + 3)?,
            trusted_device: row.get(base + 4)?,
            created_at: parse_ts(&row.get::<_, String>(base + 5)?)?,
            last_active_at: parse_ts(&row.get::<_, String>(base + 6)?)?,
            ip: row.get(base + 7)?,
            device: parse_json(&row.get::<_, String>(base + 8)?)?,
            ended_at,
            length: SessionLength {
                web_idle_days: row.get(base + 10)?,
                mobile_idle_days: row.get(base + 11)?,
            },
            revocation: revocation.transpose()?,
            absolute_expires_at: row
                .get::<_, Option<String>>(base + 15)?
                .as_deref()
                .map(parse_ts)
                .transpose()?,
        })
    }

    /// When the session ends unless used again: its idle lifetime after the last request, for
    /// a web session without "remember me" no later than 12 hours after sign-in, and in any
    /// case no later than its absolute end.
    pub fn expires_at(&self) -> DateTime<Utc> {
        let idle = self.idle_expires_at();
        match self.absolute_expires_at {
            Some(end) => idle.min(end),
            None => idle,
        }
    }

    fn idle_expires_at(&self) -> DateTime<Utc> {
        let idle_days = match self.client {
            ClientKind::MobilePwa => self.length.mobile_idle_days,
            ClientKind::Web | ClientKind::Desktop => self.length.web_idle_days,
        };
        let idle_end = self.last_active_at + Duration::days(i64::from(idle_days));
        if self.client == ClientKind::Web && !self.remember_me {
            idle_end.min(self.created_at + Duration::hours(NO_REMEMBER_ME_HOURS))
        } else {
            idle_end
        }
    }

    /// The session as the API shows it.
    pub fn view(&self, geo: &GeoDb, current_session_id: Option<&str>) -> Session {
        let (location, network) = match self.ip.parse::<IpAddr>() {
            Ok(ip) => geo.lookup(ip),
            Err(_) => Default::default(),
        };
        Session {
            id: self.id.clone(),
            current: current_session_id == Some(self.id.as_str()),
            client: self.client,
            remember_me: self.remember_me,
            trusted_device: self.trusted_device,
            created_at: self.created_at,
            last_active_at: self.last_active_at,
            expires_at: self.expires_at(),
            ip: self.ip.clone(),
            device: self.device.clone(),
            network,
            location,
        }
    }
}

/// One session by id, ended or not.
pub fn load(conn: &Connection, session_id: &str) -> HttpResult<Option<SessionRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?1"),
            [session_id],
            |r| SessionRow::from_row(r, 0),
        )
        .optional()?)
}

/// The account's sessions that have not ended, oldest first.
pub fn active(conn: &Connection, account_id: &str) -> HttpResult<Vec<SessionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.account_id = ?1 AND s.ended_at IS NULL ORDER BY s.created_at, s.id"
    ))?;
    let rows = stmt
        .query_map([account_id], |r| SessionRow::from_row(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// What a new session is made of.
pub struct NewSession<'a> {
    /// Owner.
    pub account_id: &'a str,
    /// Kind of client.
    pub client: ClientKind,
    /// "Remember me".
    pub remember_me: bool,
    /// Trusted device.
    pub trusted_device: bool,
    /// Where it signed in from.
    pub ip: IpAddr,
    /// What it runs on.
    pub device: &'a Device,
    /// When it was created; also its first activity.
    pub created_at: DateTime<Utc>,
    /// Its absolute lifetime from `created_at`, however busy it is.
    pub max_age: Duration,
}

/// Stores a new session and emits `session_created`. Returns the stored row.
pub fn create(w: &mut Write<'_>, new: NewSession<'_>) -> HttpResult<SessionRow> {
    let id = new_id("ses");
    w.tx.execute(
        "INSERT INTO sessions (id, account_id, client, remember_me, trusted_device, created_at, last_active_at, ip, device_json, absolute_expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            id,
            new.account_id,
            new.client.as_str(),
            new.remember_me,
            new.trusted_device,
            ts(new.created_at),
            new.ip.to_string(),
            serde_json::to_string(new.device)?,
            ts(new.created_at + new.max_age),
        ],
    )?;
    let row =
        load(&w.tx, &id)?.ok_or_else(|| crate::error::HttpError::internal("session vanished"))?;
    let mut event = Event::new(0, EventKind::SessionCreated, w.now);
    event.session = Some(row.view(w.geo, None));
    w.emit(new.account_id, event)?;
    Ok(row)
}

/// How a session comes to end: why, by whom, and as part of which event.
#[derive(Debug, Clone, Copy)]
pub struct Ending<'a> {
    /// Why.
    pub reason: RevocationReason,
    /// The session that ended it, when another one did (or itself, signing out).
    pub by_session: Option<&'a str>,
    /// The event it is part of (a `password_changed` or `sessions_revoked` emitted first).
    pub cause_event_id: Option<u64>,
}

impl<'a> Ending<'a> {
    /// Past its lifetime.
    pub fn expired() -> Self {
        Self {
            reason: RevocationReason::Expired,
            by_session: None,
            cause_event_id: None,
        }
    }

    /// Signed out by `by`: itself (logout) or another session of the account.
    pub fn signed_out_by(session: &SessionRow, by: &'a str) -> Self {
        let reason = if session.id == by {
            RevocationReason::SignedOut
        } else {
            RevocationReason::RevokedBySession
        };
        Self {
            reason,
            by_session: Some(by),
            cause_event_id: None,
        }
    }

    /// A refresh token came back a second time.
    pub fn token_reused() -> Self {
        Self {
            reason: RevocationReason::TokenReused,
            by_session: None,
            cause_event_id: None,
        }
    }
}

/// Ends a session and emits `session_revoked` or `session_expired`, saying why. Its tokens
/// stay on file, so that a client presenting one later is told how the session ended rather
/// than that the token is unknown. Returns that account of the ending, or `None` when the
/// session had already ended.
pub fn end(
    w: &mut Write<'_>,
    session: &SessionRow,
    ending: Ending<'_>,
) -> HttpResult<Option<Revocation>> {
    let kind = match ending.reason {
        RevocationReason::Expired => EventKind::SessionExpired,
        _ => EventKind::SessionRevoked,
    };
    let changed = w.tx.execute(
        "UPDATE sessions SET ended_at = ?2, end_reason = ?3, ended_by = ?4 \
         WHERE id = ?1 AND ended_at IS NULL",
        rusqlite::params![
            session.id,
            ts(w.now),
            ending.reason.as_str(),
            ending.by_session
        ],
    )?;
    if changed == 0 {
        return Ok(None);
    }
    let mut event = Event::new(0, kind, w.now);
    event.session = Some(session.view(w.geo, None));
    event.actor_session_id = ending.by_session.map(str::to_owned);
    event.revocation = Some(ending.reason);
    event.cause_event_id = ending.cause_event_id;
    let own_id = w.emit(&session.account_id, event)?;
    let event_id = ending.cause_event_id.unwrap_or(own_id);
    w.tx.execute(
        "UPDATE sessions SET end_event_id = ?2 WHERE id = ?1",
        rusqlite::params![session.id, event_id as i64],
    )?;
    Ok(Some(Revocation {
        reason: ending.reason,
        by_session: ending.by_session.map(str::to_owned),
        event_id: Some(event_id),
        ended_at: w.now,
    }))
}

/// The account's active sessions other than `keep`.
pub fn others(w: &Write<'_>, account_id: &str, keep: &str) -> HttpResult<Vec<SessionRow>> {
    Ok(active(&w.tx, account_id)?
        .into_iter()
        .filter(|s| s.id != keep)
        .collect())
}

/// Ends `sessions` as part of the event `cause` that `by` caused; returns how many ended.
pub fn end_all(
    w: &mut Write<'_>,
    sessions: &[SessionRow],
    reason: RevocationReason,
    by: &str,
    cause: u64,
) -> HttpResult<u32> {
    let ending = Ending {
        reason,
        by_session: Some(by),
        cause_event_id: Some(cause),
    };
    let mut count = 0;
    for session in sessions {
        if end(w, session, ending)?.is_some() {
            count += 1;
        }
    }
    Ok(count)
}

/// Drops the tokens of sessions that ended longer ago than they could have lived: from then on
/// they answer as unknown tokens. Returns how many tokens went.
pub fn forget_ended_tokens(w: &mut Write<'_>) -> HttpResult<usize> {
    let mut gone = 0;
    for table in ["access_tokens", "refresh_tokens"] {
        gone += w.tx.execute(
            &format!(
                "DELETE FROM {table} WHERE session_id IN ( \
                   SELECT s.id FROM sessions s JOIN accounts a ON a.id = s.account_id \
                   WHERE s.ended_at IS NOT NULL AND julianday(s.ended_at) + \
                     (CASE s.client WHEN 'mobile_pwa' THEN a.mobile_idle_days ELSE a.web_idle_days END) \
                     < julianday(?1))"
            ),
            [ts(w.now)],
        )?;
    }
    Ok(gone)
}

/// Expires every session (of one account, or of all) past its lifetime; returns how many.
pub fn sweep(w: &mut Write<'_>, account_id: Option<&str>) -> HttpResult<u32> {
    let sessions: Vec<SessionRow> = {
        let mut stmt = w.tx.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.ended_at IS NULL AND (?1 IS NULL OR s.account_id = ?1)"
        ))?;
        let rows = stmt
            .query_map([account_id], |r| SessionRow::from_row(r, 0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    let mut count = 0;
    for session in sessions {
        if session.expires_at() <= w.now {
            end(w, &session, Ending::expired())?;
            count += 1;
        }
    }
    if account_id.is_none() {
        forget_ended_tokens(w)?;
        crate::lockout::forget_stale(w)?;
    }
    Ok(count)
}
