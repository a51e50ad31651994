//! History at scale: `cargo bench -p keepwatch-core --bench history [-- --rows N --reps R]`
//! (or `KEEPWATCH_BENCH_ROWS`, `KEEPWATCH_BENCH_REPS`).
//!
//! Method. A history file is built on disk in a temporary folder through the public API
//! (`History::upsert_session`, `end_session`, `insert_alert`) in one transaction: `--rows`
//! sessions (default 1,000,000) from a fixed seed over 260 countries, 420 cities, 310 ISPs
//! and 3,000 device labels (each with its User-Agent, and the device key the detector derives
//! from it, as syncing stores them), a few of them Arabic and CJK; about
//! 10% are still active, the rest ended (about a third expired), and about 1% have an alert.
//! The file is then checkpointed and its size divided by the rows (goal: at most 740 bytes,
//! half of the 1,480 that the JSON-snapshot schema took). Each query kind then runs `--reps`
//! times (default 40), cycling through a handful of values drawn from the data, and its
//! p50/p95/max are printed against 50 ms: a "page" is `History::session_page` with a limit
//! of 50, which counts the matches too. Last, the CSV and JSON exports are written to a file
//! through `export_with_progress`, three times each, and the median of their sessions per
//! second compared with 200,000 (the slowest and fastest are printed beside it).
//!
//! `--exports-only` skips the queries (for profiling the exports, e.g. under `perf record`).
//!
//! `--file PATH` keeps the built history at PATH and, when PATH already exists, measures it
//! instead of building another (the same seed gives the same file; building takes minutes).
//!
//! Figures on the 2-core development VM, 1,000,000 rows: see `crates/keepwatch-core/README.md`.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network, Session};
use keepwatch_core::export::{export_with_progress, ExportFormat};
use keepwatch_core::history::{History, HistoryQuery, SessionState};
use keepwatch_core::{Alert, AlertKind, EndReason, Severity};

const GOAL_MS: f64 = 50.0;
const GOAL_BYTES_PER_ROW: f64 = 740.0;
const GOAL_ROWS_PER_S: f64 = 200_000.0;

fn arg(name: &str, env: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .or_else(|| std::env::var(env).ok())
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The shared vocabulary the sessions are drawn from.
struct World {
    places: Vec<(String, String, String, f64, f64)>,
    isps: Vec<(String, u32)>,
    devices: Vec<Device>,
}

fn world() -> World {
    let real = [
        ("EG", "Egypt", "القاهرة"),
        ("SA", "Saudi Arabia", "الرياض"),
        ("AE", "United Arab Emirates", "دبي"),
        ("CN", "China", "北京"),
        ("JP", "Japan", "東京"),
        ("KR", "South Korea", "서울"),
        ("BR", "Brazil", "São Paulo"),
        ("DE", "Germany", "Berlin"),
        ("FR", "France", "Paris"),
        ("US", "United States", "New York"),
    ];
    let mut countries: Vec<(String, String)> = real
        .iter()
        .map(|(c, n, _)| (c.to_string(), n.to_string()))
        .collect();
    for i in 0..250u8 {
        let code = format!(
            "{}{}",
            (b'A' + i / 26 % 26) as char,
            (b'A' + i % 26) as char
        );
        if !countries.iter().any(|(c, _)| *c == code) {
            countries.push((code, format!("Country {i}")));
        }
    }
    let mut places: Vec<(String, String, String, f64, f64)> = real
        .iter()
        .map(|(c, n, city)| (city.to_string(), n.to_string(), c.to_string(), 30.0, 31.0))
        .collect();
    for i in 0..410usize {
        let (code, name) = &countries[i % countries.len()];
        places.push((
            format!("City {i}"),
            name.clone(),
            code.clone(),
            (i as f64 * 0.37) % 90.0,
            (i as f64 * 0.71) % 180.0,
        ));
    }
    let mut isps: Vec<(String, u32)> = vec![
        ("اتصالات".into(), 5384),
        ("中国电信".into(), 4134),
        ("Deutsche Telekom AG".into(), 3320),
        ("TE Data".into(), 8452),
    ];
    for i in 0..306u32 {
        isps.push((format!("Provider {i} Telecom Ltd"), 10_000 + i));
    }
    let browsers = [
        "Chrome",
        "Firefox",
        "Safari",
        "Edge",
        "Opera",
        "Samsung Internet",
        "كروم",
    ];
    let systems = [
        ("Windows", "10"),
        ("Windows", "11"),
        ("macOS", "Sonoma"),
        ("iOS", "17.4"),
        ("Android", "14"),
        ("Linux", ""),
        ("ChromeOS", "120"),
        ("iPadOS", "17"),
    ];
    let mut devices = Vec::new();
    'all: for version in 80..200u32 {
        for b in browsers {
            for (os, osv) in systems {
                if devices.len() == 3000 {
                    break 'all;
                }
                let on = if osv.is_empty() {
                    os.to_string()
                } else {
                    format!("{os} {osv}")
                };
                devices.push(Device {
                    label: format!("{b} {version} on {on}"),
                    browser: Some(b.into()),
                    browser_version: Some(version.to_string()),
                    os: Some(os.into()),
                    os_version: (!osv.is_empty()).then(|| osv.into()),
                    device_type: if os == "iOS" || os == "Android" {
                        DeviceType::Mobile
                    } else {
                        DeviceType::Desktop
                    },
                    user_agent: Some(format!(
                        "Mozilla/5.0 ({os} {osv}; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                         {b}/{version}.0.0.0 Safari/537.36"
                    )),
                });
            }
        }
    }
    World {
        places,
        isps,
        devices,
    }
}

fn build(path: &Path, rows: usize, w: &World) -> History {
    let h = History::open(path).expect("open");
    let mut rng = fastrand::Rng::with_seed(10);
    let start = Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap();
    let span_s = 3 * 365 * 86_400i64;
    h.atomically(|h| {
        for _ in 0..rows {
            let created = start + TimeDelta::seconds(rng.i64(0..span_s));
            let seen = created + TimeDelta::seconds(rng.i64(0..86_400 * 3));
            let place = &w.places[rng.usize(0..w.places.len())];
            let (isp, asn) = &w.isps[rng.usize(0..w.isps.len())];
            let device = w.devices[rng.usize(0..w.devices.len())].clone();
            let ip = if rng.u8(0..10) == 0 {
                format!("2001:db8:{:x}::{:x}", rng.u16(..), rng.u16(..))
            } else {
                format!(
                    "{}.{}.{}.{}",
                    rng.u8(1..224),
                    rng.u8(..),
                    rng.u8(..),
                    rng.u8(..)
                )
            };
            let s = Session {
                id: format!("ses_{:024x}", rng.u128(..) >> 32),
                current: false,
                client: ClientKind::Web,
                remember_me: rng.bool(),
                trusted_device: false,
                created_at: created,
                last_active_at: seen,
                expires_at: seen + TimeDelta::days(30),
                ip,
                device,
                network: Network {
                    asn: Some(*asn),
                    isp: Some(isp.clone()),
                },
                location: Location {
                    city: Some(place.0.clone()),
                    region: None,
                    country_code: Some(place.2.clone()),
                    country: Some(place.1.clone()),
                    latitude: Some(place.3),
                    longitude: Some(place.4),
                },
            };
            h.upsert_session(&s, &keepwatch_core::detection::device_key(&s), false, seen)?;
            match rng.u8(0..30) {
                0..=2 => {}
                3..=12 => h.end_session(&s.id, EndReason::Expired, seen, None)?,
                13..=20 => h.end_session(&s.id, EndReason::SignedOutElsewhere, seen, None)?,
                _ => h.end_session(&s.id, EndReason::Vanished, seen, None)?,
            }
            if rng.u8(0..100) == 0 {
                let severity =
                    [Severity::Info, Severity::Warning, Severity::Critical][rng.usize(0..3)];
                h.insert_alert(
                    &Alert {
                        key: format!("session:{}", s.id),
                        kind: AlertKind::NewDevice,
                        severity,
                        title: "New device".into(),
                        summary: s.device.label.clone(),
                        session_id: Some(s.id.clone()),
                        event_id: None,
                        reasons: vec![],
                        steps: vec![],
                        occurred_at: seen,
                    },
                    seen,
                )?;
            }
        }
        Ok(())
    })
    .expect("build");
    h.optimise().expect("optimize");
    h
}

struct Stats {
    p50: f64,
    p95: f64,
    max: f64,
}

fn measure(reps: usize, mut f: impl FnMut(usize)) -> Stats {
    f(0); // warm the cache, as a window that was just opened has
    let mut ms: Vec<f64> = (0..reps)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    Stats {
        p50: at(0.5),
        p95: at(0.95),
        max: ms[ms.len() - 1],
    }
}

fn report(name: &str, s: &Stats, goal: bool) {
    let verdict = if !goal {
        "(info)"
    } else if s.p95 <= GOAL_MS {
        "PASS"
    } else {
        "FAIL"
    };
    println!(
        "{name:<40} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms  {verdict} (p95 ≤ {GOAL_MS} ms)",
        s.p50, s.p95, s.max
    );
}

fn page(q: HistoryQuery) -> HistoryQuery {
    HistoryQuery {
        limit: Some(50),
        ..q
    }
}

fn main() {
    let rows = arg("--rows", "KEEPWATCH_BENCH_ROWS", 1_000_000);
    let reps = arg("--reps", "KEEPWATCH_BENCH_REPS", 40).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = std::env::args()
        .skip_while(|a| a != "--file")
        .nth(1)
        .map(std::path::PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.sqlite3"));
    let w = world();

    let t = Instant::now();
    let h = if kept.is_some() && path.exists() {
        let h = History::open(&path).expect("open the kept history");
        println!(
            "measuring the kept history {} (opened and migrated in {:.1} s)",
            path.display(),
            t.elapsed().as_secs_f64()
        );
        h
    } else {
        build(&path, rows, &w)
    };
    let built = t.elapsed();
    h.checkpoint().expect("checkpoint");
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64;
    let per_row = bytes / rows.max(1) as f64;
    println!("rows: {rows}; built in {:.1} s", built.as_secs_f64());
    println!(
        "{:<40} {per_row:.0} bytes/row ({:.1} MB)  {} (≤ {GOAL_BYTES_PER_ROW})",
        "file size",
        bytes / 1e6,
        if per_row <= GOAL_BYTES_PER_ROW {
            "PASS"
        } else {
            "FAIL"
        }
    );

    if std::env::args().any(|a| a == "--exports-only") {
        exports(&h, rows, dir.path());
        return;
    }

    let pick = |i: usize, n: usize| (i * 7919) % n;
    let countries: Vec<String> = h.country_codes().expect("countries");
    let labels: Vec<String> = h.device_labels().expect("labels");
    let day = |d: i64| Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap() + TimeDelta::days(d);
    let long_text = [
        "chrome 1",
        "Telecom",
        "القاهرة",
        "東京",
        "ses_ab",
        "db8:",
        ".17.",
        "City 3",
        "Firefox 9",
    ];
    let short_text = ["a", "7", "ch", "京", "ال", "1.", "Ed"];
    let states = [
        SessionState::Active,
        SessionState::SignedOut,
        SessionState::Expired,
    ];

    let run = |q: HistoryQuery| {
        let p = h.session_page(&q).expect("page");
        std::hint::black_box(p);
    };
    type Make<'a> = Box<dyn Fn(usize) -> HistoryQuery + 'a>;
    let kinds: Vec<(&str, Make)> = vec![
        (
            "country (exact code)",
            Box::new(|i| HistoryQuery {
                country_code: Some(countries[pick(i, countries.len())].clone()),
                ..Default::default()
            }),
        ),
        (
            "country (code or name, old filter)",
            Box::new(|i| HistoryQuery {
                country: Some(countries[pick(i, countries.len())].to_lowercase()),
                ..Default::default()
            }),
        ),
        (
            "exact device label",
            Box::new(|i| HistoryQuery {
                device_label: Some(labels[pick(i, labels.len())].clone()),
                ..Default::default()
            }),
        ),
        (
            "device substring",
            Box::new(|i| HistoryQuery {
                device: Some(["chrome", "on ios", "Edge 1", "كروم"][i % 4].into()),
                ..Default::default()
            }),
        ),
        (
            "state",
            Box::new(|i| HistoryQuery {
                state: Some(states[i % 3]),
                ..Default::default()
            }),
        ),
        (
            "time range",
            Box::new(|i| HistoryQuery {
                since: Some(day((i * 37 % 1000) as i64)),
                until: Some(day((i * 37 % 1000) as i64 + 30)),
                ..Default::default()
            }),
        ),
        (
            "text, 3+ chars",
            Box::new(|i| HistoryQuery {
                text: Some(long_text[i % long_text.len()].into()),
                ..Default::default()
            }),
        ),
        (
            "text, 1-2 chars",
            Box::new(|i| HistoryQuery {
                text: Some(short_text[i % short_text.len()].into()),
                ..Default::default()
            }),
        ),
        (
            "combined (country+state+text+range)",
            Box::new(|i| HistoryQuery {
                country_code: Some(countries[pick(i, countries.len())].clone()),
                state: Some(states[i % 3]),
                text: Some(["Chrome", "Telecom", "on Windows"][i % 3].into()),
                since: Some(day(100)),
                until: Some(day(900)),
                ..Default::default()
            }),
        ),
        (
            "combined (device label+state)",
            Box::new(|i| HistoryQuery {
                device_label: Some(labels[pick(i, labels.len())].clone()),
                state: Some(states[i % 3]),
                ..Default::default()
            }),
        ),
        (
            "active list (page)",
            Box::new(|_| HistoryQuery {
                state: Some(SessionState::Active),
                ..Default::default()
            }),
        ),
        (
            "deep page (offset 5,000)",
            Box::new(|i| HistoryQuery {
                country_code: Some(countries[pick(i, countries.len())].clone()),
                offset: Some(5_000),
                ..Default::default()
            }),
        ),
    ];
    for (name, q) in &kinds {
        report(
            &format!("page: {name}"),
            &measure(reps, |i| run(page(q(i)))),
            true,
        );
    }
    // Text is the query whose cost depends most on its value: each one alone, for the record.
    for t in long_text.iter().chain(short_text.iter()) {
        report(
            &format!("  text {t:?}"),
            &measure(reps.min(10), |_| {
                run(page(HistoryQuery {
                    text: Some((*t).into()),
                    ..Default::default()
                }))
            }),
            false,
        );
    }
    report(
        "page with severities",
        &measure(reps, |i| {
            let p = h
                .session_page(&page(HistoryQuery {
                    state: Some(states[i % 3]),
                    ..Default::default()
                }))
                .expect("page");
            let ids: Vec<String> = p.rows.iter().map(|r| r.id.clone()).collect();
            std::hint::black_box(h.max_alert_severities(&ids).expect("severities"));
        }),
        true,
    );
    report(
        "filter menus (countries + devices)",
        &measure(reps, |_| {
            std::hint::black_box(h.country_codes().expect("countries"));
            std::hint::black_box(h.device_labels().expect("labels"));
        }),
        true,
    );
    // Pages count up to 1,000; an exact count reads every match, which a page never waits for.
    report(
        "exact count_sessions (country, label, state, range)",
        &measure(reps, |i| {
            let q = kinds[[0, 2, 4, 5][i % 4]].1(i);
            std::hint::black_box(h.count_sessions(&q).expect("count"));
        }),
        false,
    );
    report(
        "text, 2 chars matching almost nothing",
        &measure(reps.min(10), |i| {
            run(page(HistoryQuery {
                text: Some(["qz", "ǂ!"][i % 2].into()),
                ..Default::default()
            }))
        }),
        false,
    );
    report(
        "active_sessions() (every active row)",
        &measure(reps.min(10), |_| {
            std::hint::black_box(h.active_sessions().expect("active"));
        }),
        false,
    );

    exports(&h, rows, dir.path());
}

/// Writes both exports to files in `dir`, `EXPORT_REPS` times each (the file written anew
/// each time), and prints the median rate with the slowest and fastest: a file of a gigabyte
/// meets the disk's writeback, which varies from run to run on a shared machine.
fn exports(h: &History, rows: usize, dir: &Path) {
    const EXPORT_REPS: usize = 3;
    for (name, format) in [("CSV", ExportFormat::Csv), ("JSON", ExportFormat::Json)] {
        let file = dir.join(format!("export.{name}"));
        let mut rates = Vec::new();
        let (mut written, mut reports) = (0, 0u32);
        for _ in 0..EXPORT_REPS {
            let out = std::fs::File::create(&file).expect("file");
            reports = 0;
            let t = Instant::now();
            written = export_with_progress(h, format, out, &mut |_| reports += 1).expect("export");
            let secs = t.elapsed().max(Duration::from_micros(1)).as_secs_f64();
            rates.push(rows as f64 / secs);
        }
        rates.sort_by(f64::total_cmp);
        let rate = rates[rates.len() / 2];
        let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        println!(
            "{:<40} {rate:>10.0} sessions/s median of {EXPORT_REPS} ({:.0}–{:.0}; {written} rows, {} bytes a row, {reports} progress reports)  {} (≥ {GOAL_ROWS_PER_S})",
            format!("export {name}"),
            rates[0],
            rates[rates.len() - 1],
            bytes / written.max(1),
            if rate >= GOAL_ROWS_PER_S { "PASS" } else { "FAIL" }
        );
    }
}
