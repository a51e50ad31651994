//! Tables and migrations.
//!
//! Migrations run by `rusqlite_migration`, which counts them in `PRAGMA user_version` as
//! Keepwatch always did: the first two are the ones files written before it hold (version 2),
//! word for word, so that those files carry on from where they are.

use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{HookError, HookResult, Migrations, M};

use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network, Session};

use super::{micros, parse_json, parse_ts, EndReason};
use crate::error::{Error, Result};

/// The first schema: sessions with a JSON snapshot per row, and a key-value `sync_state`.
pub(crate) const V1: &str = r#"
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
"#;

/// Whether each alert's notification was shown, so that one lost to a crash or to a missing
/// notification server is shown later. Alerts from before were shown when raised.
pub(crate) const V2: &str = r#"
ALTER TABLE alerts ADD COLUMN notified TEXT;
ALTER TABLE alerts ADD COLUMN notified_at TEXT;
UPDATE alerts SET notified = 'shown', notified_at = raised_at;
CREATE INDEX alerts_unnotified ON alerts(raised_at) WHERE notified IS NULL;
"#;

/// Sessions as typed columns over three dictionaries, with a trigram index over the two
/// columns that are unique per session (id and address). The old rows move in the hook.
///
/// `rid` is declared so that VACUUM keeps it: the text index refers to rows by it. Every
/// filter's index ends in `(last_seen, first_seen)`, the order pages are listed in, so that a
/// filtered page is read in order and stops at its limit.
const V3: &str = r#"
ALTER TABLE sessions RENAME TO sessions_v2;
DROP INDEX sessions_last_seen;
DROP INDEX sessions_country;
DROP INDEX sessions_device;
CREATE TABLE devices (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    label           TEXT NOT NULL,
    device_key      TEXT NOT NULL,
    browser         TEXT,
    browser_version TEXT,
    os              TEXT,
    os_version      TEXT,
    device_type     TEXT NOT NULL,
    user_agent      TEXT
);
CREATE INDEX devices_label ON devices(label);
CREATE TABLE places (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    city         TEXT,
    region       TEXT,
    country_code TEXT,
    country      TEXT,
    latitude     REAL,
    longitude    REAL
);
CREATE TABLE networks (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    isp TEXT,
    asn INTEGER
);
CREATE TABLE sessions (
    rid            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    device_id      INTEGER NOT NULL,
    place_id       INTEGER NOT NULL,
    network_id     INTEGER NOT NULL,
    country_code   TEXT,
    ip             TEXT NOT NULL,
    first_seen     INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    client         TEXT NOT NULL,
    flags          INTEGER NOT NULL DEFAULT 0,
    own            INTEGER NOT NULL DEFAULT 0,
    trust          TEXT,
    ended_at       INTEGER,
    end_reason     TEXT
);
CREATE INDEX sessions_seen ON sessions(last_seen, first_seen);
CREATE INDEX sessions_country ON sessions(country_code, last_seen, first_seen);
CREATE INDEX sessions_device ON sessions(device_id, last_seen, first_seen);
CREATE INDEX sessions_place ON sessions(place_id, last_seen, first_seen);
CREATE INDEX sessions_network ON sessions(network_id, last_seen, first_seen);
CREATE INDEX sessions_open ON sessions(last_active_at) WHERE ended_at IS NULL;
CREATE INDEX sessions_open_seen ON sessions(last_seen, first_seen) WHERE ended_at IS NULL;
CREATE INDEX sessions_expired ON sessions(last_seen, first_seen) WHERE end_reason = 'expired';
CREATE INDEX sessions_trusted ON sessions(first_seen) WHERE trust IS NOT NULL;
CREATE INDEX sessions_own ON sessions(own) WHERE own = 1;
CREATE VIRTUAL TABLE sessions_text USING fts5(
    id, ip, content = 'sessions', content_rowid = 'rid', tokenize = 'trigram', columnsize = 0
);
CREATE TRIGGER sessions_text_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_text (rowid, id, ip) VALUES (new.rid, new.id, new.ip);
END;
CREATE TRIGGER sessions_text_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_text (sessions_text, rowid, id, ip)
    VALUES ('delete', old.rid, old.id, old.ip);
END;
CREATE TRIGGER sessions_text_update AFTER UPDATE OF id, ip ON sessions
WHEN old.id IS NOT new.id OR old.ip IS NOT new.ip BEGIN
    INSERT INTO sessions_text (sessions_text, rowid, id, ip)
    VALUES ('delete', old.rid, old.id, old.ip);
    INSERT INTO sessions_text (rowid, id, ip) VALUES (new.rid, new.id, new.ip);
END;
"#;

/// Where syncing stopped, as one typed row instead of key-value text.
const V4: &str = r#"
CREATE TABLE sync_cursor (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id  INTEGER NOT NULL DEFAULT 0,
    last_synced_at TEXT,
    sessions_etag  TEXT,
    sessions_body  TEXT,
    baseline       TEXT,
    initialised    INTEGER NOT NULL DEFAULT 0,
    trust_existing INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_cursor (id) VALUES (1);
UPDATE sync_cursor SET
    last_event_id = COALESCE(
        (SELECT CAST(value AS INTEGER) FROM sync_state
         WHERE key = 'last_event_id' AND value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9]*'),
        0),
    last_synced_at = (SELECT value FROM sync_state WHERE key = 'last_synced_at'),
    sessions_etag = (SELECT value FROM sync_state WHERE key = 'sessions_etag'),
    sessions_body = (SELECT value FROM sync_state WHERE key = 'sessions_body'),
    baseline = (SELECT value FROM sync_state WHERE key = 'baseline'),
    initialised = EXISTS (SELECT 1 FROM sync_state WHERE key = 'initialised'),
    trust_existing = EXISTS (SELECT 1 FROM sync_state WHERE key = 'trust_existing' AND value = 'true');
DROP TABLE sync_state;
"#;

/// The most serious alert of a page of sessions is one indexed look-up per session.
const V5: &str = r#"
CREATE INDEX alerts_session ON alerts(session_id, severity) WHERE session_id IS NOT NULL;
"#;

/// What pages at a million sessions need (see `plan`): a session's state as a column, one
/// index that every condition can be tested on while reading sessions newest first
/// (`sessions_order`, which replaces the plain time index and the partial ones by state), one on state for when few sessions are in it, the longest span
/// between a session's first and last sighting, which bounds a time range on `last_seen`, and
/// every character that occurs in an id or address (filled in the hook), which tells at once
/// that a search for text of one or two characters, which no index finds, cannot match them.
const V6: &str = r#"
ALTER TABLE sessions ADD COLUMN state INTEGER GENERATED ALWAYS AS (
    CASE WHEN ended_at IS NULL THEN 0 WHEN end_reason = 'expired' THEN 2 ELSE 1 END
) VIRTUAL;
DROP INDEX sessions_seen;
DROP INDEX sessions_open_seen;
DROP INDEX sessions_expired;
CREATE INDEX sessions_order ON sessions(
    last_seen, first_seen, state, country_code, device_id, place_id, network_id, ip, id
);
CREATE INDEX sessions_state ON sessions(state, last_seen, first_seen);
CREATE TABLE session_bounds (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    max_span INTEGER NOT NULL
);
INSERT INTO session_bounds (id, max_span)
    VALUES (1, (SELECT coalesce(max(last_seen - first_seen), 0) FROM sessions));
CREATE TABLE session_text_chars (ch TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER sessions_span_insert AFTER INSERT ON sessions
WHEN new.last_seen - new.first_seen > (SELECT max_span FROM session_bounds WHERE id = 1) BEGIN
    UPDATE session_bounds SET max_span = new.last_seen - new.first_seen WHERE id = 1;
END;
CREATE TRIGGER sessions_span_update AFTER UPDATE OF first_seen, last_seen ON sessions
WHEN new.last_seen - new.first_seen > (SELECT max_span FROM session_bounds WHERE id = 1) BEGIN
    UPDATE session_bounds SET max_span = new.last_seen - new.first_seen WHERE id = 1;
END;
"#;

/// Every migration, oldest first.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up_with_hook(V3, move_v2_sessions),
        M::up(V4),
        M::up(V5),
        M::up_with_hook(V6, note_v5_text_chars),
    ])
}

/// The schema version this build writes.
pub const VERSION: u32 = 6;

/// Switches `conn` to WAL and migrates it to [`VERSION`].
pub(super) fn initialise(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // The migration's transaction takes the write lock when it begins, so that of two openers
    // of a new file one migrates and the other waits.
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    let migrations = migrations();
    loop {
        let before = user_version(conn)?;
        match migrations.to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(e) => {
                // The version is read before that transaction begins: another opener may have
                // migrated in between, which made this attempt fail (and roll back). Again
                // from where it is now.
                if user_version(conn)? != before {
                    continue;
                }
                return Err(migration_error(e, before));
            }
        }
    }
}

fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

fn migration_error(e: rusqlite_migration::Error, version: u32) -> Error {
    use rusqlite_migration::{Error as E, MigrationDefinitionError as D};
    match e {
        E::MigrationDefinition(D::DatabaseTooFarAhead) => Error::Invalid(format!(
            "history database is from a newer Keepwatch (schema {version})"
        )),
        E::RusqliteError { err, .. } => Error::History(err),
        other => Error::Invalid(format!("cannot migrate the history: {other}")),
    }
}

fn hook_error(e: impl std::fmt::Display) -> HookError {
    HookError::Hook(e.to_string())
}

/// Moves the rows of the version-2 `sessions` table into the typed one. The snapshot gives
/// what only it held (browser, expiry, coordinates…); the columns win where both hold a value,
/// since queries read those. A snapshot that does not parse leaves its fields empty rather
/// than stopping the upgrade.
fn move_v2_sessions(tx: &Transaction) -> HookResult {
    let mut read = tx.prepare(
        "SELECT id, first_seen, last_seen, created_at, last_active_at, country_code, country,
                city, device_label, device_key, ip, isp, own, trust, snapshot, ended_at,
                end_reason
         FROM sessions_v2",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let time = |i: usize| -> std::result::Result<i64, HookError> {
            let text: String = r.get(i)?;
            Ok(micros(&parse_ts(&text).map_err(hook_error)?))
        };
        let (first_seen, last_seen) = (time(1)?, time(2)?);
        let created_at = parse_ts(&r.get::<_, String>(3)?).map_err(hook_error)?;
        let last_active_at = parse_ts(&r.get::<_, String>(4)?).map_err(hook_error)?;
        let snapshot: String = r.get(14)?;
        let mut s = parse_json::<Session>(&snapshot).unwrap_or_else(|e| {
            tracing::warn!(session = %id, error = %e, "an unreadable snapshot in history");
            Session {
                id: id.clone(),
                current: false,
                client: ClientKind::Web,
                remember_me: false,
                trusted_device: false,
                created_at,
                last_active_at,
                expires_at: last_active_at,
                ip: String::new(),
                device: Device {
                    label: String::new(),
                    browser: None,
                    browser_version: None,
                    os: None,
                    os_version: None,
                    device_type: DeviceType::Unknown,
                    user_agent: None,
                },
                network: Network::default(),
                location: Location::default(),
            }
        });
        s.id = id;
        s.created_at = created_at;
        s.last_active_at = last_active_at;
        s.location.country_code = r.get(5)?;
        s.location.country = r.get(6)?;
        s.location.city = r.get(7)?;
        s.device.label = r.get(8)?;
        s.ip = r.get(10)?;
        s.network.isp = r.get(11)?;
        let device_key: String = r.get(9)?;
        let ended_at = r
            .get::<_, Option<String>>(15)?
            .map(|t| parse_ts(&t).map(|t| micros(&t)))
            .transpose()
            .map_err(hook_error)?;
        let end_reason: Option<String> = r.get(16)?;
        super::sessions::write_session(tx, &s, &device_key, r.get(12)?, first_seen)?;
        tx.execute(
            "UPDATE sessions SET last_seen = ?2, trust = ?3, ended_at = ?4, end_reason = ?5
             WHERE id = ?1",
            params![
                s.id,
                last_seen,
                r.get::<_, Option<String>>(13)?,
                ended_at,
                // Only names this build knows: a reason it cannot read would be lost anyway.
                end_reason
                    .as_deref()
                    .and_then(EndReason::parse)
                    .map(EndReason::as_str),
            ],
        )?;
    }
    drop(rows);
    drop(read);
    tx.execute_batch("DROP TABLE sessions_v2")?;
    Ok(())
}

/// Fills `session_text_chars` from the sessions already there.
fn note_v5_text_chars(tx: &Transaction) -> HookResult {
    let mut read = tx.prepare("SELECT id, ip FROM sessions")?;
    let mut rows = read.query([])?;
    let mut chars = std::collections::BTreeSet::new();
    while let Some(r) = rows.next()? {
        for column in 0..2 {
            let text: String = r.get(column)?;
            chars.extend(super::sessions::text_chars(&text));
        }
    }
    drop(rows);
    drop(read);
    super::sessions::note_text_chars(tx, chars)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_are_sound_and_counted_by_version() {
        migrations().validate().unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), VERSION);
    }

    #[test]
    fn the_bundled_sqlite_has_fts5_with_trigrams() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'trigram')")
            .unwrap();
        conn.execute("INSERT INTO t (a) VALUES ('Chrome on Windows')", [])
            .unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM t WHERE t MATCH '\"WINDOW\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }
}
