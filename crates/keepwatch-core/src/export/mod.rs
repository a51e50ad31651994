//! Exporting history for review elsewhere: CSV (one row per session ever seen) or JSON
//! (sessions, events and alerts).
//!
//! Sessions come in the order history recorded them (first seen first): reading the table
//! in its own order is what lets a million rows out at a few hundred thousand a second,
//! where newest first would look each one up. Events and alerts come oldest first.
//!
//! Both hold the text history returns, which is inert ([`crate::inert`]). A CSV file is also
//! opened in spreadsheets, which run a cell that begins with `=`, `+`, `-` or `@` (or a tab or
//! carriage return before one) as a formula: a device label like `=HYPERLINK(…)` would become a
//! live link. Such cells are written with a leading `'`, as OWASP advises, which spreadsheets
//! show as text.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::history::sessions::SessionView;
use crate::history::{ts, History, HistoryQuery};

mod writer;

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

/// How far an export has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportProgress {
    /// Rows written so far (sessions, then events and alerts for JSON).
    pub rows_done: u64,
    /// Rows the export will write in all, counted when it began.
    pub rows_total: u64,
}

/// How many rows pass between two progress reports.
pub const PROGRESS_EVERY: u64 = 1000;

/// Counts rows and reports every [`PROGRESS_EVERY`] of them, and once at the end.
struct Progress<'a> {
    now: ExportProgress,
    report: &'a mut dyn FnMut(ExportProgress),
}

impl Progress<'_> {
    fn row(&mut self) {
        self.now.rows_done += 1;
        if self.now.rows_done.is_multiple_of(PROGRESS_EVERY) {
            (self.report)(self.now);
        }
    }

    fn done(&mut self) {
        // Rows added while exporting may make done exceed the total counted at the start.
        self.now.rows_total = self.now.rows_total.max(self.now.rows_done);
        (self.report)(self.now);
    }
}

/// Writes the export of `history` to `out`.
pub fn export(history: &History, format: ExportFormat, out: Box<dyn Write + Send>) -> Result<()> {
    export_with_progress(history, format, out, &mut |_| {}).map(|_| ())
}

/// Writes the export of `history` to `out` row by row as history reads them (never all of it
/// in memory), telling `progress` how far it has got every [`PROGRESS_EVERY`] rows and at the
/// end. Returns the rows written.
///
/// The rows are read inside one read transaction, so that the file is one state of history
/// even while syncing goes on.
pub fn export_with_progress(
    history: &History,
    format: ExportFormat,
    out: impl Write + Send,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<u64> {
    history.reading(|history| {
        let sessions = history.count_sessions(&all())?;
        let rows_total = match format {
            ExportFormat::Csv => sessions,
            ExportFormat::Json => sessions + history.count_events()? + history.count_alerts()?,
        };
        let mut progress = Progress {
            now: ExportProgress {
                rows_done: 0,
                rows_total,
            },
            report: progress,
        };
        (progress.report)(progress.now);
        writer::with_writer_thread(out, |out| write_rows(history, format, out, &mut progress))?;
        progress.done();
        Ok(progress.now.rows_done)
    })
}

/// The rows of the export of `history`, in `format`, to `out`.
fn write_rows(
    history: &History,
    format: ExportFormat,
    out: &mut writer::ChunkWriter,
    progress: &mut Progress<'_>,
) -> Result<()> {
    let write_failed = |e: std::io::Error| Error::io("writing the export", e);
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let fail = |e: csv::Error| Error::Export(e.to_string());
            w.write_record(CSV_COLUMNS).map_err(fail)?;
            history.for_each_session_recorded(|s| {
                w.write_record(csv_row(s).map(neutralise_formula))
                    .map_err(fail)?;
                progress.row();
                Ok(())
            })?;
            w.flush().map_err(write_failed)?;
        }
        ExportFormat::Json => {
            let json_failed = |e: serde_json::Error| Error::Export(e.to_string());
            write!(
                out,
                "{{\n  \"format\": \"keepwatch-history-v1\",\n  \"exported_at\": {}",
                serde_json::to_string(&chrono::Utc::now()).map_err(json_failed)?
            )
            .map_err(write_failed)?;
            // Each array is written element by element as it is read; an element is
            // serialised into `row` first, so that serde's many small writes are to a
            // vector rather than each through the writer.
            let mut row = Vec::with_capacity(4096);
            let mut array =
                |name: &str, out: &mut writer::ChunkWriter, each: &mut erased::Rows<'_>| {
                    write!(out, ",\n  \"{name}\": [").map_err(write_failed)?;
                    let mut first = true;
                    each(&mut |v| {
                        row.clear();
                        row.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        first = false;
                        v.write(&mut row).map_err(json_failed)?;
                        out.write_all(&row).map_err(write_failed)?;
                        progress.row();
                        Ok(())
                    })?;
                    out.write_all(if first { b"]" } else { b"\n  ]" })
                        .map_err(write_failed)
                };
            array("sessions", out, &mut |f| {
                history.for_each_session_recorded(|s| f(s))
            })?;
            array("events", out, &mut |f| history.for_each_event(|e| f(&e)))?;
            array("alerts", out, &mut |f| history.for_each_alert(|a| f(&a)))?;
            out.write_all(b"\n}\n").map_err(write_failed)?;
        }
    }
    Ok(())
}

/// Serialising a value of any of the exported types through one `dyn` callback.
mod erased {
    /// A value written as compact JSON.
    pub trait Json {
        /// Appends it to `out`.
        fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
    }

    /// Something that calls its argument with each row it reads; returns how many.
    pub type Rows<'a> =
        dyn FnMut(&mut dyn FnMut(&dyn Json) -> crate::Result<()>) -> crate::Result<u64> + 'a;

    impl<T: serde::Serialize> Json for T {
        fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
            serde_json::to_writer(out, self)
        }
    }
}

/// The CSV cells of one session, in [`CSV_COLUMNS`] order, before neutralising.
fn csv_row(s: &SessionView<'_>) -> [String; 16] {
    let opt_ts = |t: &Option<keepwatch_api::Timestamp>| t.as_ref().map(ts).unwrap_or_default();
    let text = |t: Option<&str>| t.unwrap_or_default().to_owned();
    [
        s.id.to_owned(),
        s.device_label.to_owned(),
        s.device_key.to_owned(),
        s.ip.to_owned(),
        text(s.isp),
        text(s.city),
        text(s.country),
        text(s.country_code),
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

    /// A writer whose bytes the test can look at while the export runs.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<parking_lot::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn many(n: usize) -> (tempfile::TempDir, History) {
        use keepwatch_api::*;
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let now = chrono::Utc::now();
        history
            .atomically(|h| {
                for i in 0..n {
                    let session = Session {
                        id: format!("ses_{i:05}"),
                        current: false,
                        client: ClientKind::Web,
                        remember_me: false,
                        trusted_device: false,
                        created_at: now,
                        last_active_at: now,
                        expires_at: now,
                        ip: format!("198.51.{}.{}", i / 256, i % 256),
                        device: Device {
                            label: format!("Chrome {} on Windows", i % 7),
                            browser: None,
                            browser_version: None,
                            os: None,
                            os_version: None,
                            device_type: DeviceType::Desktop,
                            user_agent: None,
                        },
                        network: Network::default(),
                        location: Location::default(),
                    };
                    let seen = now + chrono::TimeDelta::seconds(i as i64);
                    h.upsert_session(&session, "k", false, seen)?;
                }
                Ok(())
            })
            .unwrap();
        (dir, history)
    }

    #[test]
    fn a_csv_export_streams_and_reports_its_progress() {
        let n = 60_500;
        let k = 50_000;
        let (_dir, history) = many(n);
        let out = Shared::default();
        let seen = out.clone();
        let mut reports = Vec::new();
        let mut written_by_k = 0;
        let rows = export_with_progress(&history, ExportFormat::Csv, out, &mut |p| {
            if p.rows_done == k as u64 {
                written_by_k = seen.0.lock().len();
            }
            reports.push(p);
        })
        .unwrap();
        assert_eq!(rows, n as u64);
        // Streamed: by row k, all but the few chunks the writer thread may hold is out.
        let total = seen.0.lock().len();
        let serialised_by_k = total * k / n;
        assert!(
            total > 5 * writer::CHUNK,
            "{total} bytes are too few to tell"
        );
        assert!(
            written_by_k + writer::MAX_HELD >= serialised_by_k,
            "{written_by_k} of about {serialised_by_k} bytes out by row {k}"
        );
        let done: Vec<u64> = reports.iter().map(|p| p.rows_done).collect();
        let every: Vec<u64> = (0..=60).map(|i| i * 1000).chain([60_500]).collect();
        assert_eq!(done, every);
        assert!(reports.iter().all(|p| p.rows_total == n as u64));
        let text = String::from_utf8(out_bytes(&seen)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_COLUMNS
        );
        let first = reader.records().next().unwrap().unwrap();
        // In the order recorded.
        assert_eq!(&first[0], "ses_00000");
        assert_eq!(reader.records().count(), n - 1);
    }

    fn out_bytes(w: &Shared) -> Vec<u8> {
        w.0.lock().clone()
    }

    #[test]
    fn a_json_export_streams_sessions_events_and_alerts() {
        let (_dir, history) = many(1_200);
        let now = chrono::Utc::now();
        history
            .insert_alert(
                &keepwatch_detector::Alert {
                    key: "session:ses_00001".into(),
                    kind: keepwatch_detector::AlertKind::NewDevice,
                    severity: keepwatch_detector::Severity::Warning,
                    title: "New device".into(),
                    summary: "Chrome".into(),
                    session_id: Some("ses_00001".into()),
                    event_id: None,
                    reasons: vec![],
                    steps: vec![],
                    occurred_at: now,
                },
                now,
            )
            .unwrap();
        let out = Shared::default();
        let mut last = None;
        let rows = export_with_progress(&history, ExportFormat::Json, out.clone(), &mut |p| {
            last = Some(p)
        })
        .unwrap();
        assert_eq!(rows, 1_201);
        assert_eq!(
            last,
            Some(ExportProgress {
                rows_done: 1_201,
                rows_total: 1_201
            })
        );
        let json: serde_json::Value = serde_json::from_slice(&out_bytes(&out)).unwrap();
        assert_eq!(json["format"], "keepwatch-history-v1");
        assert_eq!(json["sessions"].as_array().unwrap().len(), 1_200);
        assert_eq!(json["sessions"][0]["id"], "ses_00000");
        assert_eq!(json["sessions"][1199]["snapshot"]["ip"], "198.51.4.175");
        assert_eq!(json["events"].as_array().unwrap().len(), 0);
        assert_eq!(json["alerts"][0]["key"], "session:ses_00001");
    }
}
