//! The local history: one SQLite file per account, on disk, that outlives the server's
//! retention. Sessions ever seen, account events, alerts and their fate, what the user trusts,
//! and where syncing stopped.
//!
//! Times are stored as fixed-width RFC 3339 UTC text so that text order is time order.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use keepwatch_api::{Event, Session, Timestamp};
use parking_lot::{ReentrantMutex, ReentrantMutexGuard};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use keepwatch_detector::Alert;

use crate::error::{Error, Result};
use crate::inert::Inert;

/// Migrations, applied in order; `PRAGMA user_version` is how many have run.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    country_code   TEXT,
    country        TEXT,
    city           TEXT,
    device_label   TEXT NOT NULL,
    device_key     TEXT NOT NULL,
    ip             TEXT NOT NULL,
    isp            TEXT,
    own            INTEGER NOT NULL DEFAULT 0,
    trust          TEXT,
    snapshot       TEXT NOT NULL,
    ended_at       TEXT,
    end_reason     TEXT
);
CREATE INDEX sessions_last_seen ON sessions(last_seen);
CREATE INDEX sessions_country ON sessions(country_code);
CREATE INDEX sessions_device ON sessions(device_key);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    session_id  TEXT,
    json        TEXT NOT NULL
);
CREATE INDEX events_occurred ON events(occurred_at);
CREATE TABLE alerts (
    key              TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    severity         TEXT NOT NULL,
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    session_id       TEXT,
    event_id         INTEGER,
    occurred_at      TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'new',
    action           TEXT,
    state_changed_at TEXT,
    json             TEXT NOT NULL
);
CREATE INDEX alerts_occurred ON alerts(occurred_at);
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // Whether each alert's notification was shown, so that one lost to a crash or to a missing
    // notification server is shown later. Alerts from before were shown when raised.
    r#"
ALTER TABLE alerts ADD COLUMN notified TEXT;
ALTER TABLE alerts ADD COLUMN notified_at TEXT;
UPDATE alerts SET notified = 'shown', notified_at = raised_at;
CREATE INDEX alerts_unnotified ON alerts(raised_at) WHERE notified IS NULL;
"#,
];

pub(crate) fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(s: &str) -> rusqlite::Result<Timestamp> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The serde name of a unit enum variant (`critical`, `possible_takeover`).
fn enum_name(v: &impl Serialize) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::Invalid("not a unit enum".into())),
    }
}

fn to_json(v: &impl Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Invalid(format!("cannot encode for history: {e}")))
}

/// Why the user trusts a session (it feeds the baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// Keepwatch's own session.
    Own,
    /// The user said "this was me".
    Confirmed,
    /// It existed at first sign-in and the user chose to trust those.
    Existing,
}

impl Trust {
    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trust::Own => "own",
            Trust::Confirmed => "confirmed",
            Trust::Existing => "existing",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "own" => Trust::Own,
            "confirmed" => Trust::Confirmed,
            "existing" => Trust::Existing,
            _ => return None,
        })
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// It reached its idle lifetime.
    Expired,
    /// Keepwatch signed it out.
    SignedOutHere,
    /// Another session (or the password change) signed it out.
    SignedOutElsewhere,
    /// It left the server's list without an event saying why.
    Vanished,
}

impl EndReason {
    /// How history records a session the server ended for `reason`.
    pub fn of_revocation(reason: keepwatch_api::RevocationReason) -> Self {
        use keepwatch_api::RevocationReason as R;
        match reason {
            R::Expired => EndReason::Expired,
            R::SignedOut => EndReason::SignedOutHere,
            _ => EndReason::SignedOutElsewhere,
        }
    }

    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Expired => "expired",
            EndReason::SignedOutHere => "signed_out_here",
            EndReason::SignedOutElsewhere => "signed_out_elsewhere",
            EndReason::Vanished => "vanished",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "expired" => EndReason::Expired,
            "signed_out_here" => EndReason::SignedOutHere,
            "signed_out_elsewhere" => EndReason::SignedOutElsewhere,
            "vanished" => EndReason::Vanished,
            _ => return None,
        })
    }
}

/// One session as history knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The server's session id.
    pub id: String,
    /// Whether it is Keepwatch's own session on the server.
    pub own: bool,
    /// What it runs on, for people: `"Chrome 124 on Windows 11"`.
    pub device_label: String,
    /// The detector's stable device identity.
    pub device_key: String,
    /// The address it last came from.
    pub ip: String,
    /// Whose network that address belongs to.
    pub isp: Option<String>,
    /// City, roughly.
    pub city: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO country code.
    pub country_code: Option<String>,
    /// First login (server time).
    pub created_at: Timestamp,
    /// Last activity (server time).
    pub last_active_at: Timestamp,
    /// When Keepwatch first saw it.
    pub first_seen: Timestamp,
    /// When Keepwatch last saw it active.
    pub last_seen: Timestamp,
    /// When it ended, if it did.
    pub ended_at: Option<Timestamp>,
    /// How it ended.
    pub end_reason: Option<EndReason>,
    /// Why the user trusts it, if they do.
    pub trust: Option<Trust>,
    /// The last full snapshot from the server.
    pub snapshot: Session,
}

/// State of an alert in the user's hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Not looked at yet.
    New,
    /// Seen, nothing decided.
    Acknowledged,
    /// "This was me".
    Confirmed,
    /// The user acted (signed the session out, …); `action` says what.
    Acted,
}

impl AlertState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::New => "new",
            AlertState::Acknowledged => "acknowledged",
            AlertState::Confirmed => "confirmed",
            AlertState::Acted => "acted",
        }
    }
    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "new" => AlertState::New,
            "acknowledged" => AlertState::Acknowledged,
            "confirmed" => AlertState::Confirmed,
            "acted" => AlertState::Acted,
            _ => return None,
        })
    }
}

/// One alert as history knows it: the detector's alert and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    /// The alert as the detector raised it (its `key` is the de-duplication key).
    #[serde(flatten)]
    pub alert: Alert,
    /// When Keepwatch raised it.
    pub raised_at: Timestamp,
    /// Where it stands.
    pub state: AlertState,
    /// What the user did, when `state` is `acted` or `confirmed` (`signed_out_session`,
    /// `this_was_me`).
    pub action: Option<String>,
    /// When `state` last changed.
    pub state_changed_at: Option<Timestamp>,
    /// What became of its notification; `None` while it is still to be shown.
    #[serde(default)]
    pub notice: Option<NoticeOutcome>,
    /// When that was decided.
    #[serde(default)]
    pub notice_at: Option<Timestamp>,
}

/// What became of an alert's notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum NoticeOutcome {
    /// The notification server took it.
    Shown,
    /// The user's settings said not to show it (notifications off, paused, or below the
    /// chosen severity).
    Suppressed,
}

impl NoticeOutcome {
    fn as_str(self) -> &'static str {
        match self {
            NoticeOutcome::Shown => "shown",
            NoticeOutcome::Suppressed => "suppressed",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "shown" => Some(NoticeOutcome::Shown),
            "suppressed" => Some(NoticeOutcome::Suppressed),
            _ => None,
        }
    }
}

/// Filters for offline review. Empty filters match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    /// Seen at or after.
    pub since: Option<Timestamp>,
    /// Seen before.
    pub until: Option<Timestamp>,
    /// Country code or name, case-insensitive.
    pub country: Option<String>,
    /// Part of the device label, case-insensitive.
    pub device: Option<String>,
    /// Part of any text column (device, IP, ISP, city, country; title and summary of alerts).
    pub text: Option<String>,
    /// Alerts only: this state.
    pub alert_state: Option<AlertState>,
    /// At most this many rows (newest first); default 1000.
    pub limit: Option<u32>,
}

fn like(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The largest history [`History::open_or_recover`] checks page by page when opening it.
pub const QUICK_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Whether SQLite said the file is not a sound database.
fn is_damage(e: &Error) -> bool {
    matches!(
        e,
        Error::History(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// An open history database.
///
/// The connection's lock is re-entrant so that [`History::atomically`] can hold it across
/// several of the methods below, each of which takes it too.
pub struct History {
    conn: ReentrantMutex<Connection>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").finish_non_exhaustive()
    }
}

impl History {
    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    ///
    /// The folder is made private (0700) and the file 0600, as are SQLite's `-wal` and `-shm`
    /// files, which take the database file's mode.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            crate::files::create_private_dir(dir)?;
        }
        crate::files::create_private_file(path)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let history = Self {
            conn: ReentrantMutex::new(conn),
        };
        // Switching to WAL and migrating need the database to themselves; SQLite answers
        // "busy" at once (without waiting) when another process is doing the same, so wait here.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match history.initialise() {
                Err(Error::History(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other.map(|()| history),
            }
        }
    }

    /// Opens the database at `path` as [`History::open`] does, but one that SQLite finds
    /// damaged (not a database, malformed pages, a failed quick check) is moved aside (see
    /// [`crate::files::move_aside`]) and a new one started. Returns where the damaged file went.
    ///
    /// The quick check reads every page, so it runs only on files up to
    /// [`QUICK_CHECK_MAX_BYTES`]; damage deeper in a larger file shows as errors when read.
    pub fn open_or_recover(path: &Path) -> Result<(Self, Option<std::path::PathBuf>)> {
        let damaged = match Self::open(path).and_then(|h| h.check_quickly(path).map(|()| h)) {
            Ok(history) => return Ok((history, None)),
            Err(e) if is_damage(&e) => e,
            Err(e) => return Err(e),
        };
        tracing::warn!(error = %damaged, path = %path.display(), "the history is damaged");
        let aside = crate::files::move_aside(path, &["-wal", "-shm"])?;
        Ok((Self::open(path)?, Some(aside)))
    }

    fn check_quickly(&self, path: &Path) -> Result<()> {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > QUICK_CHECK_MAX_BYTES {
            return Ok(());
        }
        let conn = self.conn();
        let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(Error::History(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(verdict),
            )))
        }
    }

    fn initialise(&self) -> Result<()> {
        self.conn().pragma_update(None, "journal_mode", "WAL")?;
        self.migrate()
    }

    fn conn(&self) -> ReentrantMutexGuard<'_, Connection> {
        self.conn.lock()
    }

    /// Runs `f` in one write transaction: everything it writes is on disk together, or none of
    /// it is (a crash in between leaves the database as it was before). Other threads wait
    /// until it is done; a call from inside `f` joins the same transaction.
    pub fn atomically<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        if !conn.is_autocommit() {
            return f(self);
        }
        // Immediate: take the write lock now, so that another process (the CLI beside the
        // app) waits here rather than failing half-way through.
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let rollback = RollbackOnDrop(&conn);
        let value = f(self)?;
        conn.execute_batch("COMMIT")?;
        std::mem::forget(rollback);
        Ok(value)
    }

    fn migrate(&self) -> Result<()> {
        // The version is read inside a write transaction: the watcher and a CLI command may
        // open a new database at the same moment, and only one of them may migrate it.
        self.atomically(|h| {
            let conn = h.conn();
            let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if version as usize > MIGRATIONS.len() {
                return Err(Error::Invalid(format!(
                    "history database is from a newer Keepwatch (schema {version})"
                )));
            }
            for sql in MIGRATIONS.iter().skip(version as usize) {
                conn.execute_batch(sql)?;
            }
            conn.pragma_update(None, "user_version", MIGRATIONS.len() as u32)?;
            Ok(())
        })
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Records a session as seen active at `now`. Returns true when it was never seen before.
    /// A session seen again after being marked ended is active again.
    pub fn upsert_session(
        &self,
        session: &Session,
        device_key: &str,
        own: bool,
        now: Timestamp,
    ) -> Result<bool> {
        let conn = self.conn();
        let existed: bool = conn
            .query_row(
                "SELECT 1 FROM sessions WHERE id = ?1",
                [&session.id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        let snapshot = to_json(session)?;
        let now = ts(&now);
        conn.execute(
            "INSERT INTO sessions (id, first_seen, last_seen, created_at, last_active_at,
                country_code, country, city, device_label, device_key, ip, isp, own, snapshot)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT(id) DO UPDATE SET
                last_seen = excluded.last_seen, last_active_at = excluded.last_active_at,
                country_code = excluded.country_code, country = excluded.country,
                city = excluded.city, device_label = excluded.device_label,
                device_key = excluded.device_key, ip = excluded.ip, isp = excluded.isp,
                own = MAX(own, excluded.own), snapshot = excluded.snapshot,
                ended_at = NULL, end_reason = NULL",
            params![
                session.id,
                now,
                ts(&session.created_at),
                ts(&session.last_active_at),
                session.location.country_code,
                session.location.country,
                session.location.city,
                session.device.label,
                device_key,
                session.ip,
                session.network.isp,
                own,
                snapshot,
            ],
        )?;
        Ok(!existed)
    }

    /// Records a session that ended, keeping the first reason recorded. A session never seen
    /// before is stored from `snapshot` when given.
    pub fn end_session(
        &self,
        id: &str,
        reason: EndReason,
        at: Timestamp,
        snapshot: Option<(&Session, &str)>,
    ) -> Result<()> {
        if let Some((session, key)) = snapshot {
            let conn = self.conn();
            let exists = conn
                .query_row("SELECT 1 FROM sessions WHERE id = ?1", [id], |_| Ok(()))
                .optional()?
                .is_some();
            drop(conn);
            if !exists {
                self.upsert_session(session, key, false, at)?;
            }
        }
        self.conn().execute(
            "UPDATE sessions SET ended_at = ?2, end_reason = ?3
             WHERE id = ?1 AND ended_at IS NULL",
            params![id, ts(&at), reason.as_str()],
        )?;
        Ok(())
    }

    /// Marks every active session not in `active_ids` (a list made at `listed_at`) as ended
    /// (`vanished`) at `at`. Sessions recorded after `listed_at` (from events) are left alone.
    /// Returns the ids ended.
    pub fn end_missing_sessions(
        &self,
        active_ids: &[String],
        listed_at: Timestamp,
        at: Timestamp,
    ) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id FROM sessions WHERE ended_at IS NULL AND last_seen <= ?1")?;
        let open: Vec<String> = stmt
            .query_map([ts(&listed_at)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let gone: Vec<String> = open
            .into_iter()
            .filter(|id| !active_ids.contains(id))
            .collect();
        for id in &gone {
            conn.execute(
                "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1",
                params![id, ts(&at), EndReason::Vanished.as_str()],
            )?;
        }
        Ok(gone)
    }

    /// Sets why the user trusts a session. Returns false when the session is unknown.
    pub fn set_trust(&self, id: &str, trust: Trust) -> Result<bool> {
        let n = self.conn().execute(
            "UPDATE sessions SET trust = ?2 WHERE id = ?1",
            params![id, trust.as_str()],
        )?;
        Ok(n > 0)
    }

    /// Marks every session not yet ended as trusted with `trust` (first sign-in, "trust
    /// existing").
    pub fn trust_all_active(&self, trust: Trust) -> Result<usize> {
        Ok(self.conn().execute(
            "UPDATE sessions SET trust = ?1 WHERE ended_at IS NULL AND trust IS NULL",
            [trust.as_str()],
        )?)
    }

    /// Every session the user trusts: the baseline's source.
    pub fn trusted_sessions(&self) -> Result<Vec<SessionRecord>> {
        self.select_sessions("WHERE trust IS NOT NULL ORDER BY first_seen", [])
    }

    /// Ids of every session that was ever Keepwatch's own.
    pub fn own_session_ids(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM sessions WHERE own = 1")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// One session.
    pub fn session(&self, id: &str) -> Result<Option<SessionRecord>> {
        Ok(self
            .select_sessions("WHERE id = ?1", [id])?
            .into_iter()
            .next())
    }

    /// Sessions not ended, newest activity first.
    pub fn active_sessions(&self) -> Result<Vec<SessionRecord>> {
        self.select_sessions("WHERE ended_at IS NULL ORDER BY last_active_at DESC", [])
    }

    /// Sessions matching `q`, most recently seen first.
    pub fn query_sessions(&self, q: &HistoryQuery) -> Result<Vec<SessionRecord>> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(since) = &q.since {
            args.push(ts(since));
            clauses.push(format!("last_seen >= ?{}", args.len()));
        }
        if let Some(until) = &q.until {
            args.push(ts(until));
            clauses.push(format!("first_seen < ?{}", args.len()));
        }
        if let Some(c) = &q.country {
            args.push(c.to_owned());
            let n = args.len();
            clauses.push(format!(
                "(country_code = ?{n} COLLATE NOCASE OR country = ?{n} COLLATE NOCASE)"
            ));
        }
        if let Some(d) = &q.device {
            args.push(like(d));
            clauses.push(format!("device_label LIKE ?{} ESCAPE '\\'", args.len()));
        }
        if let Some(t) = &q.text {
            args.push(like(t));
            let n = args.len();
            clauses.push(format!(
                "(device_label LIKE ?{n} ESCAPE '\\' OR ip LIKE ?{n} ESCAPE '\\' \
                 OR isp LIKE ?{n} ESCAPE '\\' OR city LIKE ?{n} ESCAPE '\\' \
                 OR country LIKE ?{n} ESCAPE '\\' OR id LIKE ?{n} ESCAPE '\\')"
            ));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let sql = format!(
            "{filter} ORDER BY last_seen DESC, first_seen DESC LIMIT {}",
            q.limit.unwrap_or(1000)
        );
        self.select_sessions(&sql, rusqlite::params_from_iter(args))
    }

    fn select_sessions<P: rusqlite::Params>(&self, tail: &str, p: P) -> Result<Vec<SessionRecord>> {
        let conn = self.conn();
        let sql = format!(
            "SELECT id, own, device_label, device_key, ip, isp, city, country, country_code,
                    created_at, last_active_at, first_seen, last_seen, ended_at, end_reason,
                    trust, snapshot
             FROM sessions {tail}"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(p, |r| {
            let ended: Option<String> = r.get(13)?;
            let reason: Option<String> = r.get(14)?;
            let trust: Option<String> = r.get(15)?;
            Ok(SessionRecord {
                id: r.get(0)?,
                own: r.get(1)?,
                device_label: r.get(2)?,
                device_key: r.get(3)?,
                ip: r.get(4)?,
                isp: r.get(5)?,
                city: r.get(6)?,
                country: r.get(7)?,
                country_code: r.get(8)?,
                created_at: parse_ts(&r.get::<_, String>(9)?)?,
                last_active_at: parse_ts(&r.get::<_, String>(10)?)?,
                first_seen: parse_ts(&r.get::<_, String>(11)?)?,
                last_seen: parse_ts(&r.get::<_, String>(12)?)?,
                ended_at: ended.as_deref().map(parse_ts).transpose()?,
                end_reason: reason.as_deref().and_then(EndReason::parse),
                trust: trust.as_deref().and_then(Trust::parse),
                snapshot: parse_json(&r.get::<_, String>(16)?)?,
            }
            // Rows may predate inert text: every read cleans, so old data is shown safe too.
            .inert())
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores an event; returns false when it was already stored.
    pub fn insert_event(&self, event: &Event) -> Result<bool> {
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO events (id, kind, occurred_at, session_id, json)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                event.id as i64,
                event.kind.as_str(),
                ts(&event.occurred_at),
                event.session.as_ref().map(|s| s.id.clone()),
                to_json(event)?,
            ],
        )?;
        Ok(n > 0)
    }

    /// Events matching the time range and text of `q`, newest first.
    pub fn query_events(&self, q: &HistoryQuery) -> Result<Vec<Event>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT json FROM events
             WHERE (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR occurred_at < ?2)
               AND (?3 IS NULL OR json LIKE ?3 ESCAPE '\\')
             ORDER BY id DESC LIMIT {}",
            q.limit.unwrap_or(1000)
        ))?;
        let rows = stmt.query_map(
            params![
                q.since.as_ref().map(ts),
                q.until.as_ref().map(ts),
                q.text.as_deref().map(like)
            ],
            |r| parse_json::<Event>(&r.get::<_, String>(0)?).map(Event::inert),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores an alert unless one with the same key exists. Returns true when it is new, which
    /// is when the user should be told.
    pub fn insert_alert(&self, alert: &Alert, now: Timestamp) -> Result<bool> {
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO alerts (key, kind, severity, title, summary, session_id,
                event_id, occurred_at, raised_at, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                alert.key,
                enum_name(&alert.kind)?,
                enum_name(&alert.severity)?,
                alert.title,
                alert.summary,
                alert.session_id,
                alert.event_id.map(|i| i as i64),
                ts(&alert.occurred_at),
                ts(&now),
                to_json(alert)?,
            ],
        )?;
        Ok(n > 0)
    }

    /// Moves the alert `key` to `state`. Returns false when there is no such alert.
    pub fn set_alert_state(
        &self,
        key: &str,
        state: AlertState,
        action: Option<&str>,
        now: Timestamp,
    ) -> Result<bool> {
        let n = self.conn().execute(
            "UPDATE alerts SET state = ?2, action = ?3, state_changed_at = ?4 WHERE key = ?1",
            params![key, state.as_str(), action, ts(&now)],
        )?;
        Ok(n > 0)
    }

    /// Moves every alert about session `id` that is still new or acknowledged to `state`.
    pub fn resolve_session_alerts(
        &self,
        session_id: &str,
        state: AlertState,
        action: Option<&str>,
        now: Timestamp,
    ) -> Result<usize> {
        Ok(self.conn().execute(
            "UPDATE alerts SET state = ?2, action = ?3, state_changed_at = ?4
             WHERE session_id = ?1 AND state IN ('new', 'acknowledged')",
            params![session_id, state.as_str(), action, ts(&now)],
        )?)
    }

    /// One alert.
    pub fn alert(&self, key: &str) -> Result<Option<AlertRecord>> {
        Ok(self
            .select_alerts("WHERE key = ?1", vec![key.to_owned()])?
            .into_iter()
            .next())
    }

    /// Alerts matching `q`, newest first.
    pub fn query_alerts(&self, q: &HistoryQuery) -> Result<Vec<AlertRecord>> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(since) = &q.since {
            args.push(ts(since));
            clauses.push(format!("occurred_at >= ?{}", args.len()));
        }
        if let Some(until) = &q.until {
            args.push(ts(until));
            clauses.push(format!("occurred_at < ?{}", args.len()));
        }
        if let Some(state) = q.alert_state {
            args.push(state.as_str().to_owned());
            clauses.push(format!("state = ?{}", args.len()));
        }
        if let Some(t) = &q.text {
            args.push(like(t));
            let n = args.len();
            clauses.push(format!(
                "(title LIKE ?{n} ESCAPE '\\' OR summary LIKE ?{n} ESCAPE '\\')"
            ));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        self.select_alerts(
            &format!(
                "{filter} ORDER BY occurred_at DESC, raised_at DESC LIMIT {}",
                q.limit.unwrap_or(1000)
            ),
            args,
        )
    }

    fn select_alerts(&self, tail: &str, args: Vec<String>) -> Result<Vec<AlertRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT key, kind, severity, title, summary, session_id, event_id, occurred_at,
                    raised_at, state, action, state_changed_at, json, notified, notified_at
             FROM alerts {tail}"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let changed: Option<String> = r.get(11)?;
            Ok(AlertRecord {
                alert: parse_json(&r.get::<_, String>(12)?)?,
                raised_at: parse_ts(&r.get::<_, String>(8)?)?,
                state: AlertState::parse(&r.get::<_, String>(9)?).unwrap_or(AlertState::New),
                action: r.get(10)?,
                state_changed_at: changed.as_deref().map(parse_ts).transpose()?,
                notice: r
                    .get::<_, Option<String>>(13)?
                    .as_deref()
                    .and_then(NoticeOutcome::parse),
                notice_at: r
                    .get::<_, Option<String>>(14)?
                    .as_deref()
                    .map(parse_ts)
                    .transpose()?,
            }
            .inert())
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// New alerts whose notification is still to be shown, oldest first.
    pub fn unnotified_alerts(&self) -> Result<Vec<AlertRecord>> {
        self.select_alerts(
            "WHERE notified IS NULL AND state = 'new' ORDER BY raised_at, occurred_at",
            Vec::new(),
        )
    }

    /// Records what became of the notification of each alert in `keys`.
    pub fn mark_notified(
        &self,
        keys: &[String],
        outcome: NoticeOutcome,
        at: Timestamp,
    ) -> Result<()> {
        self.atomically(|h| {
            let conn = h.conn();
            let mut stmt = conn.prepare_cached(
                "UPDATE alerts SET notified = ?2, notified_at = ?3 WHERE key = ?1",
            )?;
            for key in keys {
                stmt.execute(params![key, outcome.as_str(), ts(&at)])?;
            }
            Ok(())
        })
    }

    /// The result of SQLite's own consistency check: `["ok"]` when the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A sync-state value.
    pub fn state(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a sync-state value.
    pub fn set_state(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The last event id stored (the resume cursor).
    pub fn last_event_id(&self) -> Result<u64> {
        Ok(self
            .state(state_keys::LAST_EVENT_ID)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// When the server last answered.
    pub fn last_synced_at(&self) -> Result<Option<Timestamp>> {
        Ok(self
            .state(state_keys::LAST_SYNCED_AT)?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Records that the server answered at `at`.
    pub fn mark_synced(&self, at: Timestamp) -> Result<()> {
        self.set_state(state_keys::LAST_SYNCED_AT, &ts(&at))
    }
}

/// Rolls back the transaction it guards unless forgotten: `?` and panics alike leave the
/// database as it was.
struct RollbackOnDrop<'a>(&'a Connection);

impl Drop for RollbackOnDrop<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.execute_batch("ROLLBACK") {
            tracing::warn!(error = %e, "could not roll back a history transaction");
        }
    }
}

/// Names of the sync-state values.
pub mod state_keys {
    /// The resume cursor of the event feed.
    pub const LAST_EVENT_ID: &str = "last_event_id";
    /// When the server last answered.
    pub const LAST_SYNCED_AT: &str = "last_synced_at";
    /// ETag of the last sessions list.
    pub const SESSIONS_ETAG: &str = "sessions_etag";
    /// Body of the last sessions list, for reuse on 304 after a restart.
    pub const SESSIONS_BODY: &str = "sessions_body";
    /// The baseline last learned, as JSON, for review.
    pub const BASELINE: &str = "baseline";
    /// Whether the first sync after sign-in happened.
    pub const INITIALISED: &str = "initialised";
    /// Whether the user chose to trust the sessions that existed at first sign-in.
    pub const TRUST_EXISTING: &str = "trust_existing";
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network};
    use keepwatch_detector::{AlertKind, Severity};

    fn session(id: &str, city: &str, country: &str, code: &str, label: &str) -> Session {
        let now = Utc::now();
        Session {
            id: id.into(),
            current: false,
            client: ClientKind::Web,
            remember_me: true,
            trusted_device: false,
            created_at: now,
            last_active_at: now,
            expires_at: now,
            ip: "198.51.100.7".into(),
            device: Device {
                label: label.into(),
                browser: None,
                browser_version: None,
                os: None,
                os_version: None,
                device_type: DeviceType::Desktop,
                user_agent: None,
            },
            network: Network {
                asn: Some(1),
                isp: Some("Net_Co 100%".into()),
            },
            location: Location {
                city: Some(city.into()),
                country: Some(country.into()),
                country_code: Some(code.into()),
                ..Default::default()
            },
        }
    }

    fn alert(key: &str, session_id: &str) -> Alert {
        Alert {
            key: key.into(),
            kind: AlertKind::PossibleTakeover,
            severity: Severity::Critical,
            title: "Possible account takeover".into(),
            summary: "Chrome on Windows · São Paulo".into(),
            session_id: Some(session_id.into()),
            event_id: None,
            reasons: vec![],
            steps: vec![],
            occurred_at: Utc::now(),
        }
    }

    #[test]
    fn survives_reopening_and_migrates_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite3");
        {
            let h = History::open(&path).unwrap();
            h.upsert_session(
                &session("a", "Berlin", "Germany", "DE", "Firefox"),
                "k",
                false,
                Utc::now(),
            )
            .unwrap();
            h.set_state(state_keys::LAST_EVENT_ID, "9").unwrap();
        }
        let h = History::open(&path).unwrap();
        assert_eq!(h.schema_version().unwrap(), MIGRATIONS.len() as u32);
        assert_eq!(h.last_event_id().unwrap(), 9);
        assert_eq!(h.active_sessions().unwrap().len(), 1);
        let mode: String = h
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn two_openers_of_a_new_database_migrate_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite3");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || History::open(&path).map(|_| ()))
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        assert_eq!(
            History::open(&path).unwrap().schema_version().unwrap(),
            MIGRATIONS.len() as u32
        );
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite3");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(History::open(&path), Err(Error::Invalid(_))));
    }

    #[test]
    fn an_alert_is_stored_once_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let now = Utc::now();
        assert!(h.insert_alert(&alert("session:x", "x"), now).unwrap());
        assert!(!h.insert_alert(&alert("session:x", "x"), now).unwrap());
        assert_eq!(h.query_alerts(&HistoryQuery::default()).unwrap().len(), 1);
        h.resolve_session_alerts("x", AlertState::Confirmed, Some("this_was_me"), now)
            .unwrap();
        let a = h.alert("session:x").unwrap().unwrap();
        assert_eq!(a.state, AlertState::Confirmed);
        assert_eq!(a.action.as_deref(), Some("this_was_me"));
        assert_eq!(a.alert.kind, AlertKind::PossibleTakeover);
        let q = HistoryQuery {
            alert_state: Some(AlertState::New),
            ..Default::default()
        };
        assert!(h.query_alerts(&q).unwrap().is_empty());
    }

    #[test]
    fn sessions_end_once_with_the_first_reason_and_vanish_when_missing() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let now = Utc::now();
        for id in ["a", "b", "c"] {
            h.upsert_session(
                &session(id, "Berlin", "Germany", "DE", "Firefox"),
                "k",
                false,
                now,
            )
            .unwrap();
        }
        h.end_session("a", EndReason::SignedOutElsewhere, now, None)
            .unwrap();
        h.end_session("a", EndReason::Expired, now, None).unwrap();
        // "d" came from an event after the list was made: not missing, just newer.
        let later = now + chrono::TimeDelta::seconds(1);
        h.upsert_session(
            &session("d", "Berlin", "Germany", "DE", "Firefox"),
            "k",
            false,
            later,
        )
        .unwrap();
        let gone = h.end_missing_sessions(&["c".into()], now, later).unwrap();
        assert_eq!(gone, vec!["b".to_owned()]);
        let a = h.session("a").unwrap().unwrap();
        assert_eq!(a.end_reason, Some(EndReason::SignedOutElsewhere));
        assert_eq!(
            h.session("b").unwrap().unwrap().end_reason,
            Some(EndReason::Vanished)
        );
        assert_eq!(h.active_sessions().unwrap().len(), 2);
    }

    #[test]
    fn queries_filter_by_country_device_text_and_time_and_escape_wildcards() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let now = Utc::now();
        h.upsert_session(
            &session("a", "Berlin", "Germany", "DE", "Firefox 128 on Linux"),
            "k",
            false,
            now,
        )
        .unwrap();
        h.upsert_session(
            &session("b", "São Paulo", "Brazil", "BR", "Chrome 124 on Windows 11"),
            "k",
            false,
            now,
        )
        .unwrap();
        let q = |q: HistoryQuery| -> Vec<String> {
            h.query_sessions(&q)
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        assert_eq!(
            q(HistoryQuery {
                country: Some("br".into()),
                ..Default::default()
            }),
            ["b"]
        );
        assert_eq!(
            q(HistoryQuery {
                country: Some("germany".into()),
                ..Default::default()
            }),
            ["a"]
        );
        assert_eq!(
            q(HistoryQuery {
                device: Some("chrome".into()),
                ..Default::default()
            }),
            ["b"]
        );
        assert_eq!(
            q(HistoryQuery {
                text: Some("são".into()),
                ..Default::default()
            }),
            ["b"]
        );
        assert_eq!(
            q(HistoryQuery {
                text: Some("100%".into()),
                ..Default::default()
            })
            .len(),
            2
        );
        assert!(
            q(HistoryQuery {
                text: Some("t_Co".into()),
                ..Default::default()
            })
            .len()
                == 2
        );
        assert!(q(HistoryQuery {
            text: Some("Net%Co".into()),
            ..Default::default()
        })
        .is_empty());
        assert!(q(HistoryQuery {
            since: Some(now + chrono::TimeDelta::hours(1)),
            ..Default::default()
        })
        .is_empty());
        assert_eq!(
            q(HistoryQuery {
                limit: Some(1),
                ..Default::default()
            })
            .len(),
            1
        );
    }
}
