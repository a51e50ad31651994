//! Exporting history for review elsewhere: CSV (one row per session ever seen) or JSON
//! (sessions, events and alerts).

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::history::{ts, History, HistoryQuery};

/// Export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// One row per session, with a header line.
    Csv,
    /// `{"sessions": [...], "events": [...], "alerts": [...]}`.
    Json,
}

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "session_id",
    "device",
    "device_key",
    "ip",
    "isp",
    "city",
    "country",
    "country_code",
    "first_login",
    "last_activity",
    "first_seen",
    "last_seen",
    "ended_at",
    "end_reason",
    "trust",
    "own",
];

fn all() -> HistoryQuery {
    HistoryQuery {
        limit: Some(u32::MAX),
        ..Default::default()
    }
}

/// Writes the export of `history` to `out`.
pub fn export(history: &History, format: ExportFormat, out: Box<dyn Write + Send>) -> Result<()> {
    let sessions = history.query_sessions(&all())?;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let fail = |e: csv::Error| Error::Export(e.to_string());
            w.write_record(CSV_COLUMNS).map_err(fail)?;
            for s in &sessions {
                let opt_ts =
                    |t: &Option<keepwatch_api::Timestamp>| t.as_ref().map(ts).unwrap_or_default();
                w.write_record([
                    s.id.clone(),
                    s.device_label.clone(),
                    s.device_key.clone(),
                    s.ip.clone(),
                    s.isp.clone().unwrap_or_default(),
                    s.city.clone().unwrap_or_default(),
                    s.country.clone().unwrap_or_default(),
                    s.country_code.clone().unwrap_or_default(),
                    ts(&s.created_at),
                    ts(&s.last_active_at),
                    ts(&s.first_seen),
                    ts(&s.last_seen),
                    opt_ts(&s.ended_at),
                    s.end_reason
                        .map(|r| r.as_str().to_owned())
                        .unwrap_or_default(),
                    s.trust.map(|t| t.as_str().to_owned()).unwrap_or_default(),
                    s.own.to_string(),
                ])
                .map_err(fail)?;
            }
            w.flush().map_err(|e| Error::io("writing the export", e))
        }
        ExportFormat::Json => {
            #[derive(Serialize)]
            struct Dump<'a> {
                format: &'static str,
                exported_at: keepwatch_api::Timestamp,
                sessions: &'a [crate::history::SessionRecord],
                events: Vec<keepwatch_api::Event>,
                alerts: Vec<crate::history::AlertRecord>,
            }
            let dump = Dump {
                format: "keepwatch-history-v1",
                exported_at: chrono::Utc::now(),
                sessions: &sessions,
                events: history.query_events(&all())?,
                alerts: history.query_alerts(&all())?,
            };
            let mut out = out;
            serde_json::to_writer_pretty(&mut out, &dump)
                .map_err(|e| Error::Export(e.to_string()))?;
            out.write_all(b"\n")
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("writing the export", e))
        }
    }
}
