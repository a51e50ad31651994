//! Sessions: recording what the server lists, and reading it back filtered and paged.

use std::collections::{BTreeSet, HashMap};

use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network, Session, Timestamp};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::query::{Filter, DEFAULT_LIMIT};
use super::{
    enum_name, from_enum_name, from_micros, micros, to_json, EndReason, History, HistoryQuery,
    SessionPage, SessionRecord, Trust,
};
use crate::error::Result;
use crate::inert::Inert;

/// What a session row is read as; [`record`] takes the columns in this order.
const SELECT: &str = "SELECT s.id, s.own, d.label, d.device_key, s.ip, n.isp, p.city, p.country,
        p.country_code, s.created_at, s.last_active_at, s.first_seen, s.last_seen, s.ended_at,
        s.end_reason, s.trust, s.expires_at, s.client, s.flags, d.browser, d.browser_version,
        d.os, d.os_version, d.device_type, d.user_agent, n.asn, p.region, p.latitude,
        p.longitude, s.device_id, s.place_id, s.network_id
    FROM sessions s
    CROSS JOIN devices d ON d.id = s.device_id
    CROSS JOIN places p ON p.id = s.place_id
    CROSS JOIN networks n ON n.id = s.network_id";

/// The order sessions are listed in: most recently seen first.
const NEWEST_FIRST: &str = "ORDER BY s.last_seen DESC, s.first_seen DESC";

/// The same order, but as expressions no index holds: for few matches, SQLite then finds them
/// by the filters' indexes and sorts them, instead of reading every session newest first.
const NEWEST_FIRST_SORTED: &str = "ORDER BY s.last_seen + 0 DESC, s.first_seen + 0 DESC";

const CURRENT: i64 = 1;
const REMEMBER_ME: i64 = 2;
const TRUSTED_DEVICE: i64 = 4;

/// The dictionary rows one query has read, each made inert once: cleaning text is most of
/// what reading a row costs, and a page or an export meets the same few thousand devices,
/// places and networks again and again.
#[derive(Default)]
struct Parts {
    devices: HashMap<i64, (Device, String)>,
    places: HashMap<i64, Location>,
    networks: HashMap<i64, Network>,
}

/// `text` made inert as a label; plain ASCII that cleaning would leave alone is kept as it
/// is without the Unicode tables.
fn clean_label(text: String) -> String {
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

/// The session of a row selected by [`SELECT`], rebuilt from its columns and made inert: the
/// same as `.inert()` on the raw record, since cleaning twice is cleaning once.
fn record(r: &Row<'_>, parts: &mut Parts) -> rusqlite::Result<SessionRecord> {
    let flags: i64 = r.get(18)?;
    let ended: Option<i64> = r.get(13)?;
    let reason: Option<String> = r.get(14)?;
    let trust: Option<String> = r.get(15)?;
    let client: String = r.get(17)?;
    let device = match parts.devices.entry(r.get(29)?) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => {
            let device_type: String = r.get(23)?;
            let device = Device {
                label: r.get(2)?,
                browser: r.get(19)?,
                browser_version: r.get(20)?,
                os: r.get(21)?,
                os_version: r.get(22)?,
                device_type: from_enum_name(&device_type).unwrap_or(DeviceType::Unknown),
                user_agent: r.get(24)?,
            };
            e.insert((device.inert(), clean_label(r.get(3)?)))
        }
    }
    .clone();
    let location = match parts.places.entry(r.get(30)?) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => e.insert(
            Location {
                city: r.get(6)?,
                region: r.get(26)?,
                country_code: r.get(8)?,
                country: r.get(7)?,
                latitude: r.get(27)?,
                longitude: r.get(28)?,
            }
            .inert(),
        ),
    }
    .clone();
    let network = match parts.networks.entry(r.get(31)?) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => {
            let asn: Option<i64> = r.get(25)?;
            e.insert(
                Network {
                    asn: asn.and_then(|a| u32::try_from(a).ok()),
                    isp: r.get(5)?,
                }
                .inert(),
            )
        }
    }
    .clone();
    let (device, device_key) = device;
    let id = clean_label(r.get(0)?);
    let ip = clean_label(r.get(4)?);
    let created_at = from_micros(r.get(9)?)?;
    let last_active_at = from_micros(r.get(10)?)?;
    let record = SessionRecord {
        id: id.clone(),
        own: r.get(1)?,
        device_label: device.label.clone(),
        device_key,
        ip: ip.clone(),
        isp: network.isp.clone(),
        city: location.city.clone(),
        country: location.country.clone(),
        country_code: location.country_code.clone(),
        created_at,
        last_active_at,
        first_seen: from_micros(r.get(11)?)?,
        last_seen: from_micros(r.get(12)?)?,
        ended_at: ended.map(from_micros).transpose()?,
        end_reason: reason.as_deref().and_then(EndReason::parse),
        trust: trust.as_deref().and_then(Trust::parse),
        snapshot: Session {
            id,
            current: flags & CURRENT != 0,
            // Names a later server adds read as what this build knows best, not as an error.
            client: from_enum_name(&client).unwrap_or(ClientKind::Web),
            remember_me: flags & REMEMBER_ME != 0,
            trusted_device: flags & TRUSTED_DEVICE != 0,
            created_at,
            last_active_at,
            expires_at: from_micros(r.get(16)?)?,
            ip,
            device,
            network,
            location,
        },
    };
    Ok(record)
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
        let existed = conn
            .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?
            .query_row([&session.id], |_| Ok(()))
            .optional()?
            .is_some();
        write_session(&conn, session, device_key, own, micros(&now))?;
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
        let filter = Filter::sessions(q);
        self.select_sessions(
            &format!("{} {NEWEST_FIRST} {}", filter.sql(), limit_offset(q)),
            rusqlite::params_from_iter(&filter.args),
        )
    }

    /// How many sessions match `q` (ignoring its limit and offset).
    pub fn count_sessions(&self, q: &HistoryQuery) -> Result<u64> {
        let filter = Filter::sessions(q);
        let n: i64 = self.conn().query_row(
            &format!("SELECT count(*) FROM sessions s {}", filter.sql()),
            rusqlite::params_from_iter(&filter.args),
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The page of sessions `q` asks for (its `limit`, default 1000, after its `offset`),
    /// most recently seen first, and how many match in all.
    ///
    /// Counting first decides how to read the page: when matches are many, reading every
    /// session newest first finds the page's in a few rows; when they are few, their indexes
    /// find them all and they are sorted.
    pub fn session_page(&self, q: &HistoryQuery) -> Result<SessionPage> {
        self.reading(|h| {
            let total = h.count_sessions(q)?;
            let filter = Filter::sessions(q);
            let sessions: i64 =
                h.conn()
                    .query_row("SELECT coalesce(max(rid), 0) FROM sessions", [], |r| {
                        r.get(0)
                    })?;
            let wanted =
                u64::from(q.offset.unwrap_or(0)) + u64::from(q.limit.unwrap_or(DEFAULT_LIMIT));
            // Reading in order costs about wanted × sessions / total rows, sorting about total.
            let in_order = filter.sql().is_empty()
                || (total as f64) * (total as f64) >= (wanted as f64) * (sessions.max(1) as f64);
            let order = if in_order {
                NEWEST_FIRST
            } else {
                NEWEST_FIRST_SORTED
            };
            let rows = if total == 0 {
                Vec::new()
            } else {
                h.select_sessions(
                    &format!("{} {order} {}", filter.sql(), limit_offset(q)),
                    rusqlite::params_from_iter(&filter.args),
                )?
            };
            Ok(SessionPage { rows, total })
        })
    }

    /// Calls `each` with every session matching `q` (limit and offset apply), most recently
    /// seen first, as SQLite reads them: none are held in memory. Returns how many there were.
    pub fn for_each_session(
        &self,
        q: &HistoryQuery,
        mut each: impl FnMut(SessionRecord) -> Result<()>,
    ) -> Result<u64> {
        let filter = Filter::sessions(q);
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{SELECT} {} {NEWEST_FIRST} {}",
            filter.sql(),
            limit_offset(q)
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(&filter.args))?;
        let mut parts = Parts::default();
        let mut n = 0;
        while let Some(row) = rows.next()? {
            each(record(row, &mut parts)?)?;
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
        let mut stmt = conn.prepare(&format!("{SELECT} {tail}"))?;
        let mut parts = Parts::default();
        let rows = stmt.query_map(p, |r| record(r, &mut parts))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn limit_offset(q: &HistoryQuery) -> String {
    format!(
        "LIMIT {} OFFSET {}",
        q.limit.unwrap_or(DEFAULT_LIMIT),
        q.offset.unwrap_or(0)
    )
}
