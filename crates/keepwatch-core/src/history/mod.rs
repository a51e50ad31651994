//! The local history: one SQLite file per account, on disk, that outlives the server's
//! retention. Sessions ever seen, account events, alerts and their fate, what the user trusts,
//! and where syncing stopped.
//!
//! By what each part holds: [`schema`] (tables and migrations), [`sessions`] (sessions and
//! the filtered queries over them), [`query`] (what a query may ask), [`plan`] (how it runs
//! at a million rows), [`events`], [`alerts`],
//! and [`cursor`] (where syncing stopped, one typed row).
//!
//! Sessions are stored as typed columns, and the text that repeats across thousands of them
//! (device, place, network) once in small dictionary tables: that keeps a million sessions
//! under half the bytes a JSON snapshot per row took, and lets text search run over a few
//! thousand distinct values instead of every row. Session times are integer microseconds
//! since the epoch; events and alerts keep fixed-width RFC 3339 UTC text, whose text order is
//! time order.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use keepwatch_api::{Session, Timestamp};
use parking_lot::{ReentrantMutex, ReentrantMutexGuard};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use keepwatch_detector::Alert;

use crate::error::{Error, Result};

pub mod alerts;
pub mod cursor;
pub mod events;
pub mod plan;
pub mod query;
mod rfc3339;
pub mod schema;
pub mod sessions;

#[cfg(test)]
mod tests;

pub use query::{HistoryQuery, SessionPage, SessionState};

/// How history writes a time as text (events, alerts, exports).
pub(crate) fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn conversion_error(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn parse_ts(s: &str) -> rusqlite::Result<Timestamp> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(conversion_error)
}

/// A session time as stored: microseconds since the epoch.
fn micros(t: &Timestamp) -> i64 {
    t.timestamp_micros()
}

#[derive(Debug, thiserror::Error)]
#[error("time out of range: {0} µs")]
struct OutOfRange(i64);

fn from_micros(us: i64) -> rusqlite::Result<Timestamp> {
    DateTime::from_timestamp_micros(us).ok_or_else(|| conversion_error(OutOfRange(us)))
}

fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(conversion_error)
}

/// The serde name of a unit enum variant (`critical`, `possible_takeover`).
fn enum_name(v: &impl Serialize) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::Invalid("not a unit enum".into())),
    }
}

/// The unit enum variant whose serde name is `s`, if any.
fn from_enum_name<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

fn to_json(v: &impl Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Invalid(format!("cannot encode for history: {e}")))
}

/// `s` as a LIKE pattern matching it anywhere, with `\` escaping its wildcards.
fn like(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
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
/// several of the methods of the submodules, each of which takes it too.
pub struct History {
    conn: ReentrantMutex<Connection>,
    limits: plan::QueryLimits,
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
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Up to 32 MiB of pages kept between queries (SQLite's default is 2 MiB), taken only
        // as a large history is read: its indexes then stay in memory.
        conn.pragma_update(None, "cache_size", -32 * 1024)?;
        // Reads through a memory map rather than a system call per page: a page of sessions
        // in time order looks up rows all over the file. Address space only (the OS caches
        // the file either way); SQLite falls back to reads where mapping is not possible.
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        // Switching to WAL and migrating need the database to themselves; SQLite answers
        // "busy" at once (without waiting) when another process is doing the same, so wait here.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match schema::initialise(&mut conn) {
                Err(Error::History(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(e),
                Ok(()) => break,
            }
        }
        Ok(Self {
            conn: ReentrantMutex::new(conn),
            limits: plan::QueryLimits::default(),
        })
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

    /// This history with the query planner's thresholds at `limits` (tests move them to run
    /// every way a query can take on a few rows).
    #[doc(hidden)]
    pub fn with_query_limits(mut self, limits: plan::QueryLimits) -> Self {
        self.limits = limits;
        self
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

    /// Runs `f` in one read transaction, so that the reads it makes see one state of the
    /// file while other connections write. A call from inside a transaction joins it.
    pub fn reading<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        if !conn.is_autocommit() {
            return f(self);
        }
        conn.execute_batch("BEGIN DEFERRED")?;
        let rollback = RollbackOnDrop(&conn);
        let value = f(self)?;
        conn.execute_batch("COMMIT")?;
        std::mem::forget(rollback);
        Ok(value)
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The result of SQLite's own consistency check: `["ok"]` when the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves everything in the write-ahead log into the database file and empties the log,
    /// so that the file's size is what the history takes (the benchmark measures it).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Refreshes the query planner's statistics when SQLite thinks they are stale; cheap
    /// enough to call after large writes.
    pub fn optimise(&self) -> Result<()> {
        self.conn().execute_batch("PRAGMA optimize")?;
        Ok(())
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
