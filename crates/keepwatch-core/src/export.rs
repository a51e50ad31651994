//! Exporting history for review elsewhere: CSV (one row per session ever seen) or JSON
//! (sessions, events and alerts).
//!
//! Both hold the text history returns, which is inert ([`crate::inert`]). A CSV file is also
//! opened in spreadsheets, which run a cell that begins with `=`, `+`, `-` or `@` (or a tab or
//! carriage return before one) as a formula: a device label like `=HYPERLINK(…)` would become a
//! live link. Such cells are written with a leading `'`, as OWASP advises, which spreadsheets
//! show as text.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::history::{ts, History, HistoryQuery};

/// Export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// One row per session, with a header line.
    Csv,
    /// `{"sessions": [...], "events": [...], "alerts": [...]}`.
    Json,
}

impl ExportFormat {
    /// The file name extension, also its name on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        [ExportFormat::Csv, ExportFormat::Json]
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| format!("unknown export format {s:?} (csv, json)"))
    }
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

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet will show it, not run it: prefixed with `'` when it begins with a
/// formula trigger.
pub fn neutralise_formula(cell: String) -> String {
    if cell.starts_with(FORMULA_TRIGGERS) {
        format!("'{cell}")
    } else {
        cell
    }
}

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
                w.write_record(
                    [
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
                    ]
                    .map(neutralise_formula),
                )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A history holding hostile names, stored raw as an older Keepwatch would have: the CSV a
    /// spreadsheet opens runs nothing and hides nothing.
    #[test]
    fn a_csv_of_hostile_history_runs_no_formula() {
        use keepwatch_api::*;
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let hostile = [
            "=HYPERLINK(\"http://evil.example\",\"Safari\")",
            "+1",
            "-2",
            "@SUM(1)",
            "\t=1",
            "\u{202E}=1",
        ];
        for (i, name) in hostile.iter().enumerate() {
            let now = chrono::Utc::now();
            let session = Session {
                id: format!("ses_{i}"),
                current: false,
                client: ClientKind::Web,
                remember_me: false,
                trusted_device: false,
                created_at: now,
                last_active_at: now,
                expires_at: now,
                ip: "198.51.100.10".into(),
                device: Device {
                    label: (*name).into(),
                    browser: None,
                    browser_version: None,
                    os: None,
                    os_version: None,
                    device_type: DeviceType::Unknown,
                    user_agent: None,
                },
                network: Network {
                    asn: None,
                    isp: Some((*name).into()),
                },
                location: Location {
                    city: Some((*name).into()),
                    country: Some((*name).into()),
                    ..Default::default()
                },
            };
            history.upsert_session(&session, name, false, now).unwrap();
        }
        let path = dir.path().join("export.csv");
        let file = std::fs::File::create(&path).unwrap();
        export(&history, ExportFormat::Csv, Box::new(file)).unwrap();
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let mut neutralised = 0;
        for row in reader.records() {
            for cell in row.unwrap().iter() {
                assert!(!cell.starts_with(FORMULA_TRIGGERS), "{cell:?}");
                assert!(!cell.contains('\u{202E}'), "{cell:?}");
                neutralised += usize::from(cell.starts_with('\''));
            }
        }
        // Label, key, ISP, city and country of each row.
        assert_eq!(neutralised, hostile.len() * 5);
    }

    #[test]
    fn formula_cells_are_neutralised_and_others_left_alone() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2",
            "@SUM(1)",
            "\t=1",
            "\r=1",
        ] {
            let cell = neutralise_formula(formula.to_owned());
            assert_eq!(cell, format!("'{formula}"));
        }
        for plain in [
            "Chrome 124 on Windows 11",
            "198.51.100.10",
            "2001:db8::1",
            "",
            "1+1",
        ] {
            assert_eq!(neutralise_formula(plain.to_owned()), plain);
        }
    }
}
