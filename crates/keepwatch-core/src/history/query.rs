//! What a query over history may ask, and the SQL that asks it.
//!
//! Every filter is SQL, so that a limit cuts only what matched. Text search is a
//! case-insensitive substring of a session's id, address, device label, ISP, city or country:
//! the device, place and network columns hold a few thousand distinct values, which `LIKE`
//! scans in a moment, and id and address are in a trigram index (`sessions_text`). A trigram
//! index cannot look up fewer than three characters; one or two are matched by `LIKE` on id
//! and address too, while reading sessions newest first, which stops as soon as the page is
//! full (short strings match most rows) — see the benchmark for what that costs at worst.

use serde::{Deserialize, Serialize};

use super::{like, micros, AlertState, SessionRecord};

/// Filters for offline review. Empty filters match everything; filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    /// Seen at or after.
    pub since: Option<keepwatch_api::Timestamp>,
    /// Seen before.
    pub until: Option<keepwatch_api::Timestamp>,
    /// Country code or name, case-insensitive.
    pub country: Option<String>,
    /// Exactly this ISO country code (as stored, upper case).
    #[serde(default)]
    pub country_code: Option<String>,
    /// Part of the device label, case-insensitive.
    pub device: Option<String>,
    /// Exactly this device label.
    #[serde(default)]
    pub device_label: Option<String>,
    /// Sessions in this state.
    #[serde(default)]
    pub state: Option<SessionState>,
    /// Part of any text column (device, IP, ISP, city, country, id; title and summary of
    /// alerts), case-insensitive.
    pub text: Option<String>,
    /// Alerts only: this state.
    pub alert_state: Option<AlertState>,
    /// At most this many rows (newest first); default 1000.
    pub limit: Option<u32>,
    /// Skip this many matching rows first (paging).
    #[serde(default)]
    pub offset: Option<u32>,
}

/// Where a session stands, as the history window groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Not ended.
    Active,
    /// Ended other than by expiring (signed out here or elsewhere, vanished).
    SignedOut,
    /// Ended by reaching its idle lifetime.
    Expired,
}

impl SessionState {
    /// The state of `record`.
    pub fn of(record: &SessionRecord) -> Self {
        match (record.ended_at, record.end_reason) {
            (None, _) => SessionState::Active,
            (Some(_), Some(super::EndReason::Expired)) => SessionState::Expired,
            (Some(_), _) => SessionState::SignedOut,
        }
    }
}

/// One page of sessions matching a query, and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPage {
    /// The page: at most `limit` sessions after `offset`, most recently seen first.
    pub rows: Vec<SessionRecord>,
    /// How many sessions match the filters, ignoring limit and offset.
    pub total: u64,
}

/// The default page size.
pub(super) const DEFAULT_LIMIT: u32 = 1000;

/// A value a filter binds.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    Text(String),
    Int(i64),
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Text(s) => s.to_sql(),
            Arg::Int(i) => i.to_sql(),
        }
    }
}

/// The WHERE clause of a sessions query over `s` (the sessions table), with its arguments.
#[derive(Debug, Default)]
pub(super) struct Filter {
    clauses: Vec<String>,
    pub(super) args: Vec<Arg>,
    /// Whether only active sessions match, so that the partial indexes over them apply.
    pub(super) active_only: bool,
}

impl Filter {
    fn push(&mut self, arg: Arg) -> usize {
        self.args.push(arg);
        self.args.len()
    }

    /// `WHERE …`, or nothing.
    pub(super) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The sessions filter of `q`.
    pub(super) fn sessions(q: &HistoryQuery) -> Self {
        let mut f = Filter::default();
        if let Some(since) = &q.since {
            let n = f.push(Arg::Int(micros(since)));
            f.clauses.push(format!("s.last_seen >= ?{n}"));
        }
        if let Some(until) = &q.until {
            let n = f.push(Arg::Int(micros(until)));
            f.clauses.push(format!("s.first_seen < ?{n}"));
        }
        if let Some(c) = &q.country {
            let n = f.push(Arg::Text(c.clone()));
            f.clauses.push(format!(
                "s.place_id IN (SELECT id FROM places \
                 WHERE country_code = ?{n} COLLATE NOCASE OR country = ?{n} COLLATE NOCASE)"
            ));
        }
        if let Some(code) = &q.country_code {
            let n = f.push(Arg::Text(code.clone()));
            f.clauses.push(format!("s.country_code = ?{n}"));
        }
        if let Some(d) = &q.device {
            let n = f.push(Arg::Text(like(d)));
            f.clauses.push(format!(
                "s.device_id IN (SELECT id FROM devices WHERE label LIKE ?{n} ESCAPE '\\')"
            ));
        }
        if let Some(label) = &q.device_label {
            let n = f.push(Arg::Text(label.clone()));
            f.clauses.push(format!(
                "s.device_id IN (SELECT id FROM devices WHERE label = ?{n})"
            ));
        }
        match q.state {
            None => {}
            Some(SessionState::Active) => {
                f.active_only = true;
                f.clauses.push("s.ended_at IS NULL".into());
            }
            Some(SessionState::Expired) => f
                .clauses
                .push("s.end_reason = 'expired' AND s.ended_at IS NOT NULL".into()),
            Some(SessionState::SignedOut) => f
                .clauses
                .push("s.ended_at IS NOT NULL AND s.end_reason IS NOT 'expired'".into()),
        }
        if let Some(t) = q.text.as_deref().filter(|t| !t.is_empty()) {
            let n = f.push(Arg::Text(like(t)));
            let unique = if t.chars().count() >= 3 {
                // A quoted FTS5 string is one phrase: the trigrams of `t` in a row, which is
                // `t` as a substring, whatever punctuation it holds.
                let m = f.push(Arg::Text(format!("\"{}\"", t.replace('"', "\"\""))));
                format!("s.rid IN (SELECT rowid FROM sessions_text WHERE sessions_text MATCH ?{m})")
            } else {
                format!("s.id LIKE ?{n} ESCAPE '\\' OR s.ip LIKE ?{n} ESCAPE '\\'")
            };
            f.clauses.push(format!(
                "({unique} \
                 OR s.device_id IN (SELECT id FROM devices WHERE label LIKE ?{n} ESCAPE '\\') \
                 OR s.place_id IN (SELECT id FROM places \
                     WHERE city LIKE ?{n} ESCAPE '\\' OR country LIKE ?{n} ESCAPE '\\') \
                 OR s.network_id IN (SELECT id FROM networks WHERE isp LIKE ?{n} ESCAPE '\\'))"
            ));
        }
        f
    }
}
