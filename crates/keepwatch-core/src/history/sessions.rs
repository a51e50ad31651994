//! Sessions: recording what the server lists, and reading it back filtered and paged.

use std::collections::{BTreeSet, HashMap};

use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network, Session, Timestamp};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::value::RawValue;

use super::plan::{self, Find, Plan, Sql};
use super::query::DEFAULT_LIMIT;
use super::{
    enum_name, from_enum_name, from_micros, micros, to_json, EndReason, History, HistoryQuery,
    SessionPage, SessionRecord, Trust,
};
use crate::error::Result;
use crate::inert::Inert;

/// What a session row is read as; [`record`] takes the columns in this order. The device,
/// place and network come from their dictionaries, each row read once per query ([`Parts`]).
const COLUMNS: &str = "SELECT s.id, s.own, s.ip, s.created_at, s.last_active_at, s.first_seen,
        s.last_seen, s.ended_at, s.end_reason, s.trust, s.expires_at, s.client, s.flags,
        s.device_id, s.place_id, s.network_id, s.rid";

/// Where `COLUMNS` come from; `FROM_ORDERED` reads the sessions through `sessions_order`.
const FROM: &str = "FROM sessions s";
const FROM_ORDERED: &str = "FROM sessions s INDEXED BY sessions_order";

/// The column of `s.rid` in `COLUMNS`.
const RID_COLUMN: usize = 16;

/// The index every dense read goes through (see [`plan`]).
const ORDER_INDEX: &str = "INDEXED BY sessions_order";

/// The order sessions are listed in: most recently seen first, and of sessions seen at once
/// (in one sync), the one recorded last first. `sessions_order` gives the first two, so a
/// dense read sorts only within runs of equal times.
const NEWEST_FIRST: &str = "ORDER BY s.last_seen DESC, s.first_seen DESC, s.rid DESC";

const CURRENT: i64 = 1;
const REMEMBER_ME: i64 = 2;
const TRUSTED_DEVICE: i64 = 4;

/// The dictionary rows one query has read, each read once and made inert once: cleaning
/// text is most of what reading a row costs, and a page or an export meets the same few
/// thousand devices, places and networks again and again.
#[derive(Default)]
pub(super) struct Parts {
    devices: HashMap<i64, (Device, String)>,
    places: HashMap<i64, Location>,
    networks: HashMap<i64, Network>,
}

/// The value at `id` in `map`, loaded with `load` the first time it is asked for.
fn cached<T, E>(
    map: &mut HashMap<i64, T>,
    id: i64,
    load: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<&T, E> {
    match map.entry(id) {
        std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(e) => Ok(e.insert(load()?)),
    }
}

impl Parts {
    /// The device with dictionary id `id`, and its device key.
    pub(super) fn device(
        &mut self,
        conn: &Connection,
        id: i64,
    ) -> rusqlite::Result<&(Device, String)> {
        cached(&mut self.devices, id, || {
            conn.prepare_cached(
                "SELECT label, device_key, browser, browser_version, os, os_version,
                        device_type, user_agent
                 FROM devices WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let device_type: String = r.get(6)?;
                let device = Device {
                    label: r.get(0)?,
                    browser: r.get(2)?,
                    browser_version: r.get(3)?,
                    os: r.get(4)?,
                    os_version: r.get(5)?,
                    device_type: from_enum_name(&device_type).unwrap_or(DeviceType::Unknown),
                    user_agent: r.get(7)?,
                };
                Ok((device.inert(), clean_label(r.get(1)?)))
            })
        })
    }

    /// The place with dictionary id `id`.
    pub(super) fn place(&mut self, conn: &Connection, id: i64) -> rusqlite::Result<&Location> {
        cached(&mut self.places, id, || {
            conn.prepare_cached(
                "SELECT city, region, country_code, country, latitude, longitude
                 FROM places WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Location {
                    city: r.get(0)?,
                    region: r.get(1)?,
                    country_code: r.get(2)?,
                    country: r.get(3)?,
                    latitude: r.get(4)?,
                    longitude: r.get(5)?,
                }
                .inert())
            })
        })
    }

    /// The network with dictionary id `id`.
    pub(super) fn network(&mut self, conn: &Connection, id: i64) -> rusqlite::Result<&Network> {
        cached(&mut self.networks, id, || {
            conn.prepare_cached("SELECT isp, asn FROM networks WHERE id = ?1")?
                .query_row([id], |r| {
                    let asn: Option<i64> = r.get(1)?;
                    Ok(Network {
                        asn: asn.and_then(|a| u32::try_from(a).ok()),
                        isp: r.get(0)?,
                    }
                    .inert())
                })
        })
    }
}

/// A session as an export reads it: borrowed from its row and from the query's
/// dictionaries, so that writing a million of them copies no text. It serialises exactly as
/// the [`SessionRecord`] of the same row does.
#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    /// See [`SessionRecord::id`].
    pub id: &'a str,
    /// See [`SessionRecord::own`].
    pub own: bool,
    /// See [`SessionRecord::device_label`].
    pub device_label: &'a str,
    /// See [`SessionRecord::device_key`].
    pub device_key: &'a str,
    /// See [`SessionRecord::ip`].
    pub ip: &'a str,
    /// See [`SessionRecord::isp`].
    pub isp: Option<&'a str>,
    /// See [`SessionRecord::city`].
    pub city: Option<&'a str>,
    /// See [`SessionRecord::country`].
    pub country: Option<&'a str>,
    /// See [`SessionRecord::country_code`].
    pub country_code: Option<&'a str>,
    /// See [`SessionRecord::created_at`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: Timestamp,
    /// See [`SessionRecord::last_active_at`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub last_active_at: Timestamp,
    /// See [`SessionRecord::first_seen`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub first_seen: Timestamp,
    /// See [`SessionRecord::last_seen`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub last_seen: Timestamp,
    /// See [`SessionRecord::ended_at`].
    #[serde(serialize_with = "super::rfc3339::serialize_opt")]
    pub ended_at: Option<Timestamp>,
    /// See [`SessionRecord::end_reason`].
    pub end_reason: Option<EndReason>,
    /// See [`SessionRecord::trust`].
    pub trust: Option<Trust>,
    /// See [`SessionRecord::snapshot`].
    pub snapshot: SnapshotView<'a>,
}

/// The server's snapshot of a session, borrowed: serialises as [`Session`].
#[derive(Debug, Serialize)]
pub struct SnapshotView<'a> {
    /// See [`Session::id`].
    pub id: &'a str,
    /// See [`Session::current`].
    pub current: bool,
    /// See [`Session::client`].
    pub client: ClientKind,
    /// See [`Session::remember_me`].
    pub remember_me: bool,
    /// See [`Session::trusted_device`].
    pub trusted_device: bool,
    /// See [`Session::created_at`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: Timestamp,
    /// See [`Session::last_active_at`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub last_active_at: Timestamp,
    /// See [`Session::expires_at`].
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub expires_at: Timestamp,
    /// See [`Session::ip`].
    pub ip: &'a str,
    /// See [`Session::device`], as JSON.
    pub device: &'a RawValue,
    /// See [`Session::network`], as JSON.
    pub network: &'a RawValue,
    /// See [`Session::location`], as JSON.
    pub location: &'a RawValue,
}

/// `value` as JSON, made once for `id` and kept in `map`.
fn raw_once<'m>(
    map: &'m mut HashMap<i64, Box<RawValue>>,
    id: i64,
    value: &impl Serialize,
) -> Result<&'m RawValue> {
    cached(map, id, || {
        serde_json::value::to_raw_value(value)
            .map_err(|e| crate::error::Error::Export(e.to_string()))
    })
    .map(|raw| &**raw)
}

/// `text` made inert as a label; plain ASCII that cleaning would leave alone is kept as it
/// is without the Unicode tables.
pub(super) fn clean_label(text: String) -> String {
    let plain = text.len() <= crate::inert::LABEL_MAX_CHARS
        && text.bytes().all(|b| (0x21..0x7f).contains(&b) || b == b' ')
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ");
    if plain {
        text
    } else {
        crate::inert::label(&text)
    }
}

/// The session's own columns of a row selected by [`COLUMNS`], decoded, text made inert;
/// the dictionary ids say where its device, place and network are.
struct Columns {
    id: String,
    ip: String,
    own: bool,
    created_at: Timestamp,
    last_active_at: Timestamp,
    first_seen: Timestamp,
    last_seen: Timestamp,
    expires_at: Timestamp,
    ended_at: Option<Timestamp>,
    end_reason: Option<EndReason>,
    trust: Option<Trust>,
    client: ClientKind,
    flags: i64,
    device_id: i64,
    place_id: i64,
    network_id: i64,
}

impl Columns {
    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        let reason: Option<String> = r.get(8)?;
        let trust: Option<String> = r.get(9)?;
        let client: String = r.get(11)?;
        Ok(Self {
            id: clean_label(r.get(0)?),
            own: r.get(1)?,
            ip: clean_label(r.get(2)?),
            created_at: from_micros(r.get(3)?)?,
            last_active_at: from_micros(r.get(4)?)?,
            first_seen: from_micros(r.get(5)?)?,
            last_seen: from_micros(r.get(6)?)?,
            ended_at: r.get::<_, Option<i64>>(7)?.map(from_micros).transpose()?,
            end_reason: reason.as_deref().and_then(EndReason::parse),
            trust: trust.as_deref().and_then(Trust::parse),
            expires_at: from_micros(r.get(10)?)?,
            // Names a later server adds read as what this build knows best, not as an error.
            client: from_enum_name(&client).unwrap_or(ClientKind::Web),
            flags: r.get(12)?,
            device_id: r.get(13)?,
            place_id: r.get(14)?,
            network_id: r.get(15)?,
        })
    }
}

/// The session of a row selected by [`COLUMNS`], rebuilt from its columns and its
/// dictionaries and made inert: the same as `.inert()` on the raw record, since cleaning
/// twice is cleaning once.
fn record(conn: &Connection, r: &Row<'_>, parts: &mut Parts) -> rusqlite::Result<SessionRecord> {
    let c = Columns::read(r)?;
    let (device, device_key) = parts.device(conn, c.device_id)?.clone();
    let location = parts.place(conn, c.place_id)?.clone();
    let network = parts.network(conn, c.network_id)?.clone();
    Ok(SessionRecord {
        id: c.id.clone(),
        own: c.own,
        device_label: device.label.clone(),
        device_key,
        ip: c.ip.clone(),
        isp: network.isp.clone(),
        city: location.city.clone(),
        country: location.country.clone(),
        country_code: location.country_code.clone(),
        created_at: c.created_at,
        last_active_at: c.last_active_at,
        first_seen: c.first_seen,
        last_seen: c.last_seen,
        ended_at: c.ended_at,
        end_reason: c.end_reason,
        trust: c.trust,
        snapshot: Session {
            id: c.id,
            current: c.flags & CURRENT != 0,
            client: c.client,
            remember_me: c.flags & REMEMBER_ME != 0,
            trusted_device: c.flags & TRUSTED_DEVICE != 0,
            created_at: c.created_at,
            last_active_at: c.last_active_at,
            expires_at: c.expires_at,
            ip: c.ip,
            device,
            network,
            location,
        },
    })
}

/// The id of the dictionary row of `table` with `key`, added with `insert` (whose first
/// parameter is the key) when there is none.
fn dictionary_id(
    conn: &Connection,
    table: &str,
    key: &str,
    insert: &str,
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<i64> {
    let found = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE key = ?1"))?
        .query_row([key], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let mut all: Vec<&dyn rusqlite::ToSql> = vec![&key];
    all.extend_from_slice(values);
    conn.prepare_cached(insert)?
        .execute(rusqlite::params_from_iter(all))?;
    Ok(conn.last_insert_rowid())
}

/// The characters of `text` as a search for it compares them: ASCII letters in lower case,
/// as `LIKE` folds them.
pub(super) fn text_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(|c| c.to_ascii_lowercase())
}

/// Notes each of `chars` in `session_text_chars` (see the schema's V6). Every write of a
/// session after V6 goes through [`History::upsert_session`], which calls this.
pub(super) fn note_text_chars(
    conn: &Connection,
    chars: impl IntoIterator<Item = char>,
) -> rusqlite::Result<()> {
    let seen: BTreeSet<char> = chars.into_iter().collect();
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO session_text_chars (ch) VALUES (?1)")?;
    for ch in seen {
        insert.execute([ch.to_string()])?;
    }
    Ok(())
}

/// Writes `s` as seen at `now` (µs): a new row, or the known one brought up to date and
/// active again.
pub(super) fn write_session(
    conn: &Connection,
    s: &Session,
    device_key: &str,
    own: bool,
    now: i64,
) -> rusqlite::Result<()> {
    let to_sql = |e: crate::error::Error| {
        rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e.to_string())))
    };
    let d = &s.device;
    let device_type = enum_name(&d.device_type).map_err(to_sql)?;
    // The key is every value of the row, so that one row is never two different devices.
    let device_key_text = to_json(&(
        &d.label,
        device_key,
        &d.browser,
        &d.browser_version,
        &d.os,
        &d.os_version,
        &device_type,
        &d.user_agent,
    ))
    .map_err(to_sql)?;
    let device_id = dictionary_id(
        conn,
        "devices",
        &device_key_text,
        "INSERT INTO devices (key, label, device_key, browser, browser_version, os, os_version,
             device_type, user_agent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            &d.label,
            &device_key,
            &d.browser,
            &d.browser_version,
            &d.os,
            &d.os_version,
            &device_type,
            &d.user_agent,
        ],
    )?;
    let l = &s.location;
    let place_key = to_json(l).map_err(to_sql)?;
    let place_id = dictionary_id(
        conn,
        "places",
        &place_key,
        "INSERT INTO places (key, city, region, country_code, country, latitude, longitude)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            &l.city,
            &l.region,
            &l.country_code,
            &l.country,
            &l.latitude,
            &l.longitude,
        ],
    )?;
    let n = &s.network;
    let network_key = to_json(n).map_err(to_sql)?;
    let network_id = dictionary_id(
        conn,
        "networks",
        &network_key,
        "INSERT INTO networks (key, isp, asn) VALUES (?1, ?2, ?3)",
        &[&n.isp, &n.asn],
    )?;
    let flags = if s.current { CURRENT } else { 0 }
        | if s.remember_me { REMEMBER_ME } else { 0 }
        | if s.trusted_device { TRUSTED_DEVICE } else { 0 };
    conn.prepare_cached(
        "INSERT INTO sessions (id, device_id, place_id, network_id, country_code, ip,
            first_seen, last_seen, created_at, last_active_at, expires_at, client, flags, own)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(id) DO UPDATE SET
            last_seen = excluded.last_seen, last_active_at = excluded.last_active_at,
            device_id = excluded.device_id, place_id = excluded.place_id,
            network_id = excluded.network_id, country_code = excluded.country_code,
            ip = excluded.ip, created_at = excluded.created_at,
            expires_at = excluded.expires_at, client = excluded.client, flags = excluded.flags,
            own = MAX(own, excluded.own), ended_at = NULL, end_reason = NULL",
    )?
    .execute(params![
        s.id,
        device_id,
        place_id,
        network_id,
        l.country_code,
        s.ip,
        now,
        micros(&s.created_at),
        micros(&s.last_active_at),
        micros(&s.expires_at),
        s.client.as_str(),
        flags,
        own,
    ])?;
    Ok(())
}

impl History {
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
        let known_ip: Option<String> = conn
            .prepare_cached("SELECT ip FROM sessions WHERE id = ?1")?
            .query_row([&session.id], |r| r.get(0))
            .optional()?;
        write_session(&conn, session, device_key, own, micros(&now))?;
        // Every sync writes each session again; only a new id or address brings characters.
        if known_ip.as_deref() != Some(session.ip.as_str()) {
            note_text_chars(
                &conn,
                [session.id.as_str(), session.ip.as_str()]
                    .into_iter()
                    .flat_map(text_chars),
            )?;
        }
        Ok(known_ip.is_none())
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
            params![id, micros(&at), reason.as_str()],
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
            .query_map([micros(&listed_at)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let listed: std::collections::HashSet<&str> =
            active_ids.iter().map(String::as_str).collect();
        let gone: Vec<String> = open
            .into_iter()
            .filter(|id| !listed.contains(id.as_str()))
            .collect();
        for id in &gone {
            conn.execute(
                "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1",
                params![id, micros(&at), EndReason::Vanished.as_str()],
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
        self.select_sessions("WHERE s.trust IS NOT NULL ORDER BY s.first_seen", [])
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
            .select_sessions("WHERE s.id = ?1", [id])?
            .into_iter()
            .next())
    }

    /// Sessions not ended, newest activity first.
    pub fn active_sessions(&self) -> Result<Vec<SessionRecord>> {
        self.select_sessions(
            "WHERE s.ended_at IS NULL ORDER BY s.last_active_at DESC",
            [],
        )
    }

    /// Sessions matching `q`, most recently seen first: at most `limit` (default 1000) after
    /// `offset`.
    pub fn query_sessions(&self, q: &HistoryQuery) -> Result<Vec<SessionRecord>> {
        let mut rows = Vec::new();
        self.for_each_session(q, |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }

    /// How many sessions match `q` (ignoring its limit and offset), exactly: this reads every
    /// match, where [`History::session_page`] stops counting at [`plan::COUNT_CAP`].
    pub fn count_sessions(&self, q: &HistoryQuery) -> Result<u64> {
        let conn = self.conn();
        let n: i64 = match plan::plan(&conn, q, &self.limits)? {
            Plan::Empty => 0,
            Plan::Dense { test } => return dense_count(&conn, test.as_ref(), None),
            Plan::Sparse { find, test } => {
                let sql = sparse_sql("count(*)", &find, &test);
                conn.query_row(&sql.text, sql.params(), |r| r.get(0))?
            }
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The page of sessions `q` asks for (its `limit`, default 1000, after its `offset`),
    /// most recently seen first, and how many match in all: exactly, or at least
    /// [`plan::COUNT_CAP`] when the query matches many (see [`plan`]).
    pub fn session_page(&self, q: &HistoryQuery) -> Result<SessionPage> {
        self.reading(|h| {
            let conn = h.conn();
            let offset = u64::from(q.offset.unwrap_or(0));
            let limit = u64::from(q.limit.unwrap_or(DEFAULT_LIMIT));
            let cap = h.limits.count_cap;
            let (rids, total, exact) = match plan::plan(&conn, q, &h.limits)? {
                Plan::Empty => (Vec::new(), 0, true),
                Plan::Sparse { find, test } => {
                    let all = sparse_rids(&conn, &find, &test)?;
                    let total = all.len() as u64;
                    (page_of(all, offset, limit), total, true)
                }
                Plan::Dense { test } => {
                    let page = dense_rids(&conn, test.as_ref(), offset, limit)?;
                    let short = (page.len() as u64) < limit;
                    if short && !page.is_empty() {
                        // The last page: it tells the total.
                        let total = offset + page.len() as u64;
                        (page, total, true)
                    } else if short {
                        // Past the end, so fewer than `offset` match: counting them is no
                        // more reading than skipping them was.
                        (page, dense_count(&conn, test.as_ref(), Some(offset))?, true)
                    } else {
                        let n = dense_count(&conn, test.as_ref(), Some(cap + 1))?;
                        let through_page = offset + page.len() as u64;
                        if test.is_none() || n <= cap {
                            (page, n, true)
                        } else {
                            (page, cap.max(through_page), false)
                        }
                    }
                }
            };
            let rows = fetch(&conn, &rids)?;
            Ok(SessionPage {
                rows,
                total,
                total_is_exact: exact,
            })
        })
    }

    /// Calls `each` with every session matching `q` (limit and offset apply), most recently
    /// seen first, as SQLite reads them: none are held in memory (but the ids of a sparse
    /// query's matches, at most [`plan::SPARSE_MAX`]). Returns how many there were.
    pub fn for_each_session(
        &self,
        q: &HistoryQuery,
        mut each: impl FnMut(SessionRecord) -> Result<()>,
    ) -> Result<u64> {
        let conn = self.conn();
        let offset = u64::from(q.offset.unwrap_or(0));
        let limit = u64::from(q.limit.unwrap_or(DEFAULT_LIMIT));
        let mut parts = Parts::default();
        let mut n = 0;
        match plan::plan(&conn, q, &self.limits)? {
            Plan::Empty => {}
            Plan::Sparse { find, test } => {
                let rids = page_of(sparse_rids(&conn, &find, &test)?, offset, limit);
                for chunk in rids.chunks(FETCH_CHUNK) {
                    for record in fetch_with(&conn, chunk, &mut parts)? {
                        each(record)?;
                        n += 1;
                    }
                }
            }
            Plan::Dense { test } => {
                let sql = Sql::new(format!("{COLUMNS} {FROM_ORDERED}"))
                    .then(&where_clause(test.as_ref()))
                    .and_text(&format!(" {NEWEST_FIRST} LIMIT {limit} OFFSET {offset}"));
                let mut stmt = conn.prepare(&sql.text)?;
                let mut rows = stmt.query(sql.params())?;
                while let Some(row) = rows.next()? {
                    each(record(&conn, row, &mut parts)?)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// Calls `each` with every session in the order history recorded them (first seen
    /// first), as SQLite reads them from its table, each borrowed rather than built: the
    /// fastest way through all of them, which exports take. Returns how many there were.
    pub fn for_each_session_recorded(
        &self,
        mut each: impl FnMut(&SessionView<'_>) -> Result<()>,
    ) -> Result<u64> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{COLUMNS} {FROM} ORDER BY s.rid"))?;
        let mut rows = stmt.query([])?;
        let mut parts = Parts::default();
        // Each dictionary row as JSON, made once: escaping the same User-Agent for every row
        // was most of what a JSON export cost.
        let mut json: [HashMap<i64, Box<RawValue>>; 3] = Default::default();
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let c = Columns::read(r)?;
            parts.device(&conn, c.device_id)?;
            parts.place(&conn, c.place_id)?;
            parts.network(&conn, c.network_id)?;
            let (device, device_key) = &parts.devices[&c.device_id];
            let location = &parts.places[&c.place_id];
            let network = &parts.networks[&c.network_id];
            let [devices, places, networks] = &mut json;
            let view = SessionView {
                id: &c.id,
                own: c.own,
                device_label: &device.label,
                device_key,
                ip: &c.ip,
                isp: network.isp.as_deref(),
                city: location.city.as_deref(),
                country: location.country.as_deref(),
                country_code: location.country_code.as_deref(),
                created_at: c.created_at,
                last_active_at: c.last_active_at,
                first_seen: c.first_seen,
                last_seen: c.last_seen,
                ended_at: c.ended_at,
                end_reason: c.end_reason,
                trust: c.trust,
                snapshot: SnapshotView {
                    id: &c.id,
                    current: c.flags & CURRENT != 0,
                    client: c.client,
                    remember_me: c.flags & REMEMBER_ME != 0,
                    trusted_device: c.flags & TRUSTED_DEVICE != 0,
                    created_at: c.created_at,
                    last_active_at: c.last_active_at,
                    expires_at: c.expires_at,
                    ip: &c.ip,
                    device: raw_once(devices, c.device_id, device)?,
                    network: raw_once(networks, c.network_id, network)?,
                    location: raw_once(places, c.place_id, location)?,
                },
            };
            each(&view)?;
            n += 1;
        }
        Ok(n)
    }

    /// Every country code of a session in history, sorted, for a filter menu.
    pub fn country_codes(&self) -> Result<Vec<String>> {
        // The places table holds each place once; a place no session is at any more (its
        // sessions moved) is left out by one index probe per place.
        self.menu(
            "SELECT DISTINCT p.country_code FROM places p
             WHERE p.country_code IS NOT NULL
               AND EXISTS (SELECT 1 FROM sessions s WHERE s.place_id = p.id)",
        )
    }

    /// Every device label of a session in history, sorted, for a filter menu.
    pub fn device_labels(&self) -> Result<Vec<String>> {
        self.menu(
            "SELECT DISTINCT d.label FROM devices d
             WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id)",
        )
    }

    fn menu(&self, sql: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql)?;
        let values = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .map(|v| {
                v.map(|v| {
                    let v = clean_label(v);
                    if v.is_empty() {
                        "Unknown device".to_owned()
                    } else {
                        v
                    }
                })
            })
            .collect::<rusqlite::Result<BTreeSet<String>>>()?;
        Ok(values.into_iter().collect())
    }

    pub(super) fn select_sessions<P: rusqlite::Params>(
        &self,
        tail: &str,
        p: P,
    ) -> Result<Vec<SessionRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{COLUMNS} {FROM} {tail}"))?;
        let mut parts = Parts::default();
        let rows = stmt.query_map(p, |r| record(&conn, r, &mut parts))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// `WHERE test`, or nothing.
fn where_clause(test: Option<&Sql>) -> Sql {
    match test {
        Some(test) => Sql::new(" WHERE ").then(test),
        None => Sql::default(),
    }
}

/// How many sessions meet `test` (none: all of them), reading `sessions_order`; with `cap`,
/// at most that many (the count of all sessions is always exact).
fn dense_count(conn: &Connection, test: Option<&Sql>, cap: Option<u64>) -> Result<u64> {
    let n: i64 = match (test, cap) {
        (None, _) => conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?,
        (Some(test), None) => {
            let sql = Sql::new(format!(
                "SELECT count(*) FROM sessions s {ORDER_INDEX} WHERE "
            ))
            .then(test);
            conn.query_row(&sql.text, sql.params(), |r| r.get(0))?
        }
        (Some(test), Some(cap)) => {
            let sql = Sql::new(format!(
                "SELECT count(*) FROM (SELECT 1 FROM sessions s {ORDER_INDEX} WHERE "
            ))
            .then(test)
            .and_text(&format!(" LIMIT {cap})"));
            conn.query_row(&sql.text, sql.params(), |r| r.get(0))?
        }
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The `limit` rids after the first `offset` of `all`.
fn page_of(all: Vec<i64>, offset: u64, limit: u64) -> Vec<i64> {
    all.into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect()
}

/// The rids of a dense query's page: `sessions_order` read newest first, `offset` matches
/// skipped, `limit` kept.
fn dense_rids(conn: &Connection, test: Option<&Sql>, offset: u64, limit: u64) -> Result<Vec<i64>> {
    let sql = Sql::new(format!("SELECT s.rid FROM sessions s {ORDER_INDEX}"))
        .then(&where_clause(test))
        .and_text(&format!(" {NEWEST_FIRST} LIMIT {limit} OFFSET {offset}"));
    let mut stmt = conn.prepare(&sql.text)?;
    let rids = stmt.query_map(sql.params(), |r| r.get(0))?;
    Ok(rids.collect::<rusqlite::Result<_>>()?)
}

/// The rows of a sparse query, as a SQL text selecting `columns` over `s`.
fn sparse_sql(columns: &str, find: &Find, test: &Sql) -> Sql {
    match find {
        Find::Index(index) => Sql::new(format!(
            "SELECT {columns} FROM sessions s INDEXED BY {index} WHERE "
        ))
        .then(test),
        Find::Rids(rids) => Sql::new(format!("SELECT {columns} FROM sessions s WHERE s.rid IN ("))
            .then(rids)
            .and_text(") AND ")
            .then(test),
    }
}

/// The rids of every row `find` finds that meets `test`, newest first, as a dense read lists
/// them (see [`NEWEST_FIRST`]).
fn sparse_rids(conn: &Connection, find: &Find, test: &Sql) -> Result<Vec<i64>> {
    let sql = sparse_sql("s.last_seen, s.first_seen, s.rid", find, test);
    let mut stmt = conn.prepare(&sql.text)?;
    let mut keys: Vec<(i64, i64, i64)> = stmt
        .query_map(sql.params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    keys.sort_unstable_by(|a, b| b.cmp(a));
    Ok(keys.into_iter().map(|k| k.2).collect())
}

/// How many rows one fetch by rid asks for.
const FETCH_CHUNK: usize = 500;

/// The sessions with `rids`, in that order.
fn fetch(conn: &Connection, rids: &[i64]) -> Result<Vec<SessionRecord>> {
    let mut parts = Parts::default();
    let mut out = Vec::with_capacity(rids.len());
    for chunk in rids.chunks(FETCH_CHUNK) {
        out.extend(fetch_with(conn, chunk, &mut parts)?);
    }
    Ok(out)
}

fn fetch_with(conn: &Connection, rids: &[i64], parts: &mut Parts) -> Result<Vec<SessionRecord>> {
    if rids.is_empty() {
        return Ok(Vec::new());
    }
    let list = rids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = conn.prepare(&format!("{COLUMNS} {FROM} WHERE s.rid IN ({list})"))?;
    let mut by_rid = HashMap::with_capacity(rids.len());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let rid: i64 = row.get(RID_COLUMN)?;
        by_rid.insert(rid, record(conn, row, parts)?);
    }
    Ok(rids.iter().filter_map(|rid| by_rid.remove(rid)).collect())
}
