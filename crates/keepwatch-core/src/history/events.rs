//! Account events, as the server sent them.

use keepwatch_api::Event;
use rusqlite::params;

use super::{like, parse_json, to_json, ts, History, HistoryQuery};
use crate::error::Result;
use crate::inert::Inert;

impl History {
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

    /// Calls `each` with every event, newest first, as SQLite reads them. Returns how many.
    pub fn for_each_event(&self, mut each: impl FnMut(Event) -> Result<()>) -> Result<u64> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT json FROM events ORDER BY id DESC")?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            each(parse_json::<Event>(&row.get::<_, String>(0)?)?.inert())?;
            n += 1;
        }
        Ok(n)
    }

    /// How many events history holds.
    pub fn count_events(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
