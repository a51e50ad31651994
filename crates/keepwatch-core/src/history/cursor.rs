//! Where syncing stopped, and what the first sync decided: one typed row (`sync_cursor`).

use chrono::{DateTime, Utc};
use keepwatch_api::Timestamp;
use rusqlite::{params, OptionalExtension};

use super::{ts, History};
use crate::error::Result;

impl History {
    fn cursor_value<T: rusqlite::types::FromSql>(&self, column: &str) -> Result<Option<T>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {column} FROM sync_cursor WHERE id = 1"),
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    fn set_cursor_value(&self, column: &str, value: &dyn rusqlite::ToSql) -> Result<()> {
        self.conn().execute(
            &format!(
                "INSERT INTO sync_cursor (id, {column}) VALUES (1, ?1)
                 ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}"
            ),
            params![value],
        )?;
        Ok(())
    }

    /// The last event id stored (the resume cursor).
    pub fn last_event_id(&self) -> Result<u64> {
        Ok(self
            .cursor_value::<i64>("last_event_id")?
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0))
    }

    /// Records the last event id stored.
    pub fn set_last_event_id(&self, id: u64) -> Result<()> {
        // Ids past i64 cannot be stored; the server's are far below.
        self.set_cursor_value("last_event_id", &i64::try_from(id).unwrap_or(i64::MAX))
    }

    /// When the server last answered.
    pub fn last_synced_at(&self) -> Result<Option<Timestamp>> {
        Ok(self
            .cursor_value::<String>("last_synced_at")?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Records that the server answered at `at`.
    pub fn mark_synced(&self, at: Timestamp) -> Result<()> {
        self.set_cursor_value("last_synced_at", &ts(&at))
    }

    /// The ETag and body of the last sessions list, for reuse on 304 after a restart.
    pub fn sessions_cache(&self) -> Result<Option<(String, String)>> {
        let conn = self.conn();
        let row: Option<(Option<String>, Option<String>)> = conn
            .query_row(
                "SELECT sessions_etag, sessions_body FROM sync_cursor WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            Some((Some(etag), Some(body))) => Some((etag, body)),
            _ => None,
        })
    }

    /// Records the ETag and body of the last sessions list.
    pub fn set_sessions_cache(&self, etag: &str, body: &str) -> Result<()> {
        self.atomically(|h| {
            h.set_cursor_value("sessions_etag", &etag)?;
            h.set_cursor_value("sessions_body", &body)
        })
    }

    /// The baseline last learned, as JSON, for review.
    pub fn baseline(&self) -> Result<Option<String>> {
        self.cursor_value("baseline")
    }

    /// Records the baseline last learned, as JSON.
    pub fn set_baseline(&self, json: &str) -> Result<()> {
        self.set_cursor_value("baseline", &json)
    }

    /// Whether the first sync after sign-in happened.
    pub fn initialised(&self) -> Result<bool> {
        Ok(self.cursor_value::<bool>("initialised")?.unwrap_or(false))
    }

    /// Records that the first sync after sign-in happened.
    pub fn set_initialised(&self) -> Result<()> {
        self.set_cursor_value("initialised", &true)
    }

    /// Whether the user chose to trust the sessions that existed at first sign-in.
    pub fn trust_existing(&self) -> Result<bool> {
        Ok(self
            .cursor_value::<bool>("trust_existing")?
            .unwrap_or(false))
    }

    /// Records whether the user chose to trust the sessions that existed at first sign-in.
    pub fn set_trust_existing(&self, trust: bool) -> Result<()> {
        self.set_cursor_value("trust_existing", &trust)
    }
}
