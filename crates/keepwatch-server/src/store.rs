//! The SQLite database: opening and migrating it, and running work on it off the async
//! runtime, one transaction at a time.
//!
//! One connection behind a mutex serves the whole server. That keeps every write strictly
//! ordered, which the event feed relies on: events are broadcast after their transaction
//! commits and before the next one starts, so live subscribers see them in id order.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use keepwatch_api::Event;
use keepwatch_geo::GeoDb;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::broadcast;

use crate::clock::Clock;
use crate::error::{HttpError, HttpResult, ServerError};
use crate::schema::MIGRATIONS;
use crate::vault::{key_path, prepare_database_files, Vault};

/// How long a writer waits for another process (an admin command) holding the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How many unsent events a slow live subscriber may fall behind before it re-reads the
/// database instead.
const BROADCAST_CAPACITY: usize = 1024;

/// Database tasks that may occupy a blocking thread at once. The connection is one mutex, so
/// more would only park threads on it: with a thousand event streams polling, an unbounded
/// number would grow tokio's blocking pool to its 512 threads and their stacks and arenas to
/// hundreds of MiB. The rest wait here, as cheap async waiters.
const DB_THREADS: usize = 2;

/// An event as broadcast to live subscribers.
#[derive(Debug, Clone)]
pub struct Published {
    /// Whose it is.
    pub account_id: String,
    /// The event, with its id.
    pub event: Event,
}

/// Opens (creating if needed, owner-only) and migrates the database at `path`, with the
/// server key next to it (see [`crate::vault`]); TOTP secrets still stored in plaintext are
/// sealed on the way.
pub fn open(path: &Path) -> Result<(Connection, Vault), ServerError> {
    prepare_database_files(path).map_err(|e| {
        ServerError::Other(format!(
            "cannot create the database {}: {e}",
            path.display()
        ))
    })?;
    let vault =
        Vault::open_or_create(&key_path(path)).map_err(|e| ServerError::Other(e.to_string()))?;
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL, not WAL's usual NORMAL: under NORMAL a commit that was already answered (and its
    // events already streamed) can vanish on power loss, and `emit` would then hand the same
    // event ids to different events, which clients that saw the lost ones skip for good.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted and overwritten content (old TOTP secrets, tokens) is zeroed, not left in free
    // pages of the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    migrate(&mut conn)?;
    seal_plaintext_secrets(&mut conn, &vault)?;
    Ok((conn, vault))
}

/// Seals TOTP secrets stored before they were encrypted, then checkpoints so that the
/// plaintext does not linger in the WAL.
fn seal_plaintext_secrets(conn: &mut Connection, vault: &Vault) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let plain: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT id, totp_secret FROM accounts WHERE totp_secret IS NOT NULL")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(String, String)>, _>>()?;
        rows.into_iter()
            .filter(|(_, secret)| !Vault::is_sealed(secret))
            .collect()
    };
    for (id, secret) in &plain {
        tx.execute(
            "UPDATE accounts SET totp_secret = ?2 WHERE id = ?1",
            rusqlite::params![id, vault.seal_totp(id, secret)],
        )?;
    }
    tx.commit()?;
    if !plain.is_empty() {
        tracing::info!(accounts = plain.len(), "sealed plaintext TOTP secrets");
        // Busy (another process reading) only delays the scrub to a later checkpoint.
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(0);
    if version > MIGRATIONS.len() {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database has schema version {version}, newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for (i, script) in MIGRATIONS.iter().enumerate().skip(version) {
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()
}

/// The database and what work on it needs: the clock, the geolocation data and the live
/// event channel.
pub struct Db {
    conn: Mutex<Connection>,
    /// The server key, for TOTP secrets.
    pub vault: Vault,
    /// Bounds the blocking threads database work occupies (see [`DB_THREADS`]).
    threads: Arc<tokio::sync::Semaphore>,
    /// Live events, sent after their transaction commits.
    pub events: broadcast::Sender<Arc<Published>>,
    /// Where addresses are.
    pub geo: Arc<GeoDb>,
    /// What time it is.
    pub clock: Arc<dyn Clock>,
}

/// A write transaction in progress, with the events it will publish once it commits.
pub struct Write<'c> {
    /// The transaction.
    pub tx: Transaction<'c>,
    /// Geolocation, for snapshots of sessions in events.
    pub geo: &'c GeoDb,
    /// The time of this transaction.
    pub now: DateTime<Utc>,
    /// The server key, for TOTP secrets.
    pub vault: &'c Vault,
    pending: Vec<Published>,
}

impl Write<'_> {
    /// Stores `event` under the account's next event id and queues it for broadcast.
    pub fn emit(&mut self, account_id: &str, mut event: Event) -> HttpResult<u64> {
        let last: i64 = self.tx.query_row(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE account_id = ?1",
            [account_id],
            |r| r.get(0),
        )?;
        event.id = (last + 1) as u64;
        let body = serde_json::to_string(&event)?;
        self.tx.execute(
            "INSERT INTO events (account_id, id, kind, occurred_at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![account_id, event.id as i64, event.kind.as_str(), ts(event.occurred_at), body],
        )?;
        let id = event.id;
        self.pending.push(Published {
            account_id: account_id.to_owned(),
            event,
        });
        Ok(id)
    }
}

impl Db {
    /// Wraps an open connection.
    pub fn new(conn: Connection, vault: Vault, geo: Arc<GeoDb>, clock: Arc<dyn Clock>) -> Self {
        let (events, _) = broadcast::channel(BROADCAST_CAPACITY);
        Self {
            conn: Mutex::new(conn),
            vault,
            threads: Arc::new(tokio::sync::Semaphore::new(DB_THREADS)),
            events,
            geo,
            clock,
        }
    }

    /// Runs `work` in one immediate transaction on this thread. It commits when `work` returns
    /// `Ok` (even an `Ok(Err(..))`, which is how a refusal that must still be recorded — a
    /// failed sign-in — is expressed) and rolls back on `Err`.
    pub fn write_now<T>(
        &self,
        work: impl FnOnce(&mut Write<'_>) -> HttpResult<T>,
    ) -> HttpResult<T> {
        // A panic while holding the lock leaves only a rolled-back transaction behind, so the
        // connection is still good.
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut write = Write {
            tx,
            geo: &self.geo,
            now: self.clock.now(),
            vault: &self.vault,
            pending: Vec::new(),
        };
        let out = work(&mut write)?;
        let Write { tx, pending, .. } = write;
        tx.commit()?;
        for published in pending {
            // No subscribers is fine: the event is stored.
            let _ = self.events.send(Arc::new(published));
        }
        Ok(out)
    }

    /// Runs `work` on a read-only view on this thread.
    pub fn read_now<T>(
        &self,
        work: impl FnOnce(&Connection, &GeoDb, DateTime<Utc>) -> HttpResult<T>,
    ) -> HttpResult<T> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        work(&conn, &self.geo, self.clock.now())
    }

    /// [`Db::write_now`] on the blocking thread pool.
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Write<'_>) -> HttpResult<T> + Send + 'static,
    ) -> HttpResult<T> {
        let permit = self.thread_permit().await?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            db.write_now(work)
        })
        .await
        .map_err(HttpError::internal)?
    }

    /// [`Db::read_now`] on the blocking thread pool.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Connection, &GeoDb, DateTime<Utc>) -> HttpResult<T> + Send + 'static,
    ) -> HttpResult<T> {
        let permit = self.thread_permit().await?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            db.read_now(work)
        })
        .await
        .map_err(HttpError::internal)?
    }

    /// Waits (asynchronously) until database work may take a blocking thread.
    async fn thread_permit(&self) -> HttpResult<tokio::sync::OwnedSemaphorePermit> {
        Arc::clone(&self.threads)
            .acquire_owned()
            .await
            .map_err(HttpError::internal)
    }
}

/// A time as stored: RFC 3339 UTC with microseconds, so that text order is time order.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored time.
pub fn parse_ts(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

/// Reads a stored JSON column.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_refuse_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.sqlite");
        let (conn, _) = open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // 2 is FULL: every commit reaches the disk before it is answered, so that event ids
        // handed out are never handed out again after a power loss.
        let synchronous: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(synchronous, 2);
        drop(conn);
        // Opening again applies nothing twice.
        drop(open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(open(&path).is_err());
    }
}
