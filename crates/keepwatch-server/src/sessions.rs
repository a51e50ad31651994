//! Sessions: creating, rendering, ending, and expiring them.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use keepwatch_api::{
    ClientKind, Device, Event, EventKind, Session, SessionLength, NO_REMEMBER_ME_HOURS,
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
}

/// Columns for [`SessionRow::from_row`]; needs `sessions s JOIN accounts a`.
pub const SESSION_COLUMNS: &str = "s.id, s.account_id, s.client, s.remember_me, s.trusted_device, \
     s.created_at, s.last_active_at, s.ip, s.device_json, s.ended_at, a.web_idle_days, a.mobile_idle_days";

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
            ended_at: ended.as_deref().map(parse_ts).transpose()?,
            length: SessionLength {
                web_idle_days: row.get(base + 10)?,
                mobile_idle_days: row.get(base + 11)?,
            },
        })
    }

    /// When the session ends unless used again: its idle lifetime after the last request, and
    /// for a web session without "remember me" no later than 12 hours after sign-in.
    pub fn expires_at(&self) -> DateTime<Utc> {
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
}

/// Stores a new session and emits `session_created`. Returns the stored row.
pub fn create(w: &mut Write<'_>, new: NewSession<'_>) -> HttpResult<SessionRow> {
    let id = new_id("ses");
    w.tx.execute(
        "INSERT INTO sessions (id, account_id, client, remember_me, trusted_device, created_at, last_active_at, ip, device_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8)",
        rusqlite::params![
            id,
            new.account_id,
            new.client.as_str(),
            new.remember_me,
            new.trusted_device,
            ts(new.created_at),
            new.ip.to_string(),
            serde_json::to_string(new.device)?,
        ],
    )?;
    let row =
        load(&w.tx, &id)?.ok_or_else(|| crate::error::HttpError::internal("session vanished"))?;
    let mut event = Event::new(0, EventKind::SessionCreated, w.now);
    event.session = Some(row.view(w.geo, None));
    w.emit(new.account_id, event)?;
    Ok(row)
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// Signed out, by itself or another session, or by refresh-token reuse.
    Revoked,
    /// Idle (or un-remembered) too long.
    Expired,
}

/// Ends a session, drops its tokens and emits `session_revoked` or `session_expired`.
pub fn end(
    w: &mut Write<'_>,
    session: &SessionRow,
    reason: EndReason,
    actor: Option<&str>,
) -> HttpResult<()> {
    let (kind, reason_text) = match reason {
        EndReason::Revoked => (EventKind::SessionRevoked, "revoked"),
        EndReason::Expired => (EventKind::SessionExpired, "expired"),
    };
    let changed = w.tx.execute(
        "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1 AND ended_at IS NULL",
        rusqlite::params![session.id, ts(w.now), reason_text],
    )?;
    if changed == 0 {
        return Ok(());
    }
    w.tx.execute(
        "DELETE FROM access_tokens WHERE session_id = ?1",
        [&session.id],
    )?;
    let mut event = Event::new(0, kind, w.now);
    event.session = Some(session.view(w.geo, None));
    event.actor_session_id = actor.map(str::to_owned);
    w.emit(&session.account_id, event)?;
    Ok(())
}

/// Ends every other active session of the account; returns how many.
pub fn revoke_others(w: &mut Write<'_>, account_id: &str, keep: &str) -> HttpResult<u32> {
    let mut count = 0;
    for session in active(&w.tx, account_id)? {
        if session.id != keep {
            end(w, &session, EndReason::Revoked, Some(keep))?;
            count += 1;
        }
    }
    Ok(count)
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
            end(w, &session, EndReason::Expired, None)?;
            count += 1;
        }
    }
    Ok(count)
}
