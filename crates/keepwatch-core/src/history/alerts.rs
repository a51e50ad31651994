//! Alerts and their fate: what the user did about each, and whether its notification was
//! shown.

use std::collections::HashMap;

use keepwatch_api::Timestamp;
use keepwatch_detector::{Alert, Severity};
use rusqlite::params;

use super::{
    enum_name, from_enum_name, like, parse_json, parse_ts, to_json, ts, AlertRecord, AlertState,
    History, HistoryQuery, NoticeOutcome,
};
use crate::error::Result;
use crate::inert::Inert;

const SELECT: &str = "SELECT key, kind, severity, title, summary, session_id, event_id,
        occurred_at, raised_at, state, action, state_changed_at, json, notified, notified_at
    FROM alerts";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertRecord> {
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
}

impl History {
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
        let mut stmt = conn.prepare(&format!("{SELECT} {tail}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), record)?;
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

    /// The most serious alert severity of each of `session_ids` that has alerts, in one
    /// query however many alerts history holds.
    pub fn max_alert_severities(
        &self,
        session_ids: &[String],
    ) -> Result<HashMap<String, Severity>> {
        let mut out: HashMap<String, Severity> = HashMap::new();
        if session_ids.is_empty() {
            return Ok(out);
        }
        let conn = self.conn();
        // One row per session and severity, from the (session_id, severity) index: SQL's
        // MAX would order severities by name, not by seriousness.
        let placeholders = vec!["?"; session_ids.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT DISTINCT session_id, severity FROM alerts WHERE session_id IN ({placeholders})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(session_ids))?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let Some(severity) = from_enum_name::<Severity>(&r.get::<_, String>(1)?) else {
                continue;
            };
            let best = out.entry(id).or_insert(severity);
            *best = (*best).max(severity);
        }
        Ok(out)
    }

    /// Calls `each` with every alert, newest first, as SQLite reads them. Returns how many.
    pub fn for_each_alert(&self, mut each: impl FnMut(AlertRecord) -> Result<()>) -> Result<u64> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{SELECT} ORDER BY occurred_at DESC, raised_at DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            each(record(row)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// How many alerts are in one of `states`, counted in SQL however many history holds.
    pub fn count_alerts_in(&self, states: &[AlertState]) -> Result<u64> {
        if states.is_empty() {
            return Ok(0);
        }
        let placeholders = vec!["?"; states.len()].join(", ");
        let n: i64 = self.conn().query_row(
            &format!("SELECT count(*) FROM alerts WHERE state IN ({placeholders})"),
            rusqlite::params_from_iter(states.iter().map(|s| s.as_str())),
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every alert about one of `session_ids`, newest first, from the index by session: no
    /// limit cuts them, however many other alerts history holds.
    pub fn alerts_about(&self, session_ids: &[String]) -> Result<Vec<AlertRecord>> {
        if session_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; session_ids.len()].join(", ");
        self.select_alerts(
            &format!(
                "WHERE session_id IN ({placeholders}) ORDER BY occurred_at DESC, raised_at DESC"
            ),
            session_ids.to_vec(),
        )
    }

    /// How many alerts history holds.
    pub fn count_alerts(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM alerts", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
