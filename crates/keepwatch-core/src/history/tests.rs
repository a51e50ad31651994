//! Tests of the history as a whole: what older files hold, and what the queries find.

use super::*;
use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network};
use keepwatch_detector::{AlertKind, Severity};
use rusqlite::Connection;

fn session(id: &str, city: &str, country: &str, code: &str, label: &str) -> Session {
    let now = Utc::now();
    Session {
        id: id.into(),
        current: false,
        client: ClientKind::Web,
        remember_me: true,
        trusted_device: false,
        created_at: now,
        last_active_at: now,
        expires_at: now,
        ip: "198.51.100.7".into(),
        device: Device {
            label: label.into(),
            browser: None,
            browser_version: None,
            os: None,
            os_version: None,
            device_type: DeviceType::Desktop,
            user_agent: None,
        },
        network: Network {
            asn: Some(1),
            isp: Some("Net_Co 100%".into()),
        },
        location: Location {
            city: Some(city.into()),
            country: Some(country.into()),
            country_code: Some(code.into()),
            ..Default::default()
        },
    }
}

fn alert(key: &str, session_id: &str) -> Alert {
    Alert {
        key: key.into(),
        kind: AlertKind::PossibleTakeover,
        severity: Severity::Critical,
        title: "Possible account takeover".into(),
        summary: "Chrome on Windows · São Paulo".into(),
        session_id: Some(session_id.into()),
        event_id: None,
        reasons: vec![],
        steps: vec![],
        occurred_at: Utc::now(),
    }
}

#[test]
fn survives_reopening_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    {
        let h = History::open(&path).unwrap();
        h.upsert_session(
            &session("a", "Berlin", "Germany", "DE", "Firefox"),
            "k",
            false,
            Utc::now(),
        )
        .unwrap();
        h.set_last_event_id(9).unwrap();
    }
    let h = History::open(&path).unwrap();
    assert_eq!(h.schema_version().unwrap(), schema::VERSION);
    assert_eq!(h.last_event_id().unwrap(), 9);
    assert_eq!(h.active_sessions().unwrap().len(), 1);
    let mode: String = h
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn two_openers_of_a_new_database_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || History::open(&path).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    assert_eq!(
        History::open(&path).unwrap().schema_version().unwrap(),
        schema::VERSION
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(History::open(&path), Err(Error::Invalid(_))));
}

#[test]
fn counts_and_alerts_about_sessions_are_not_cut_by_the_listing_limit() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let now = Utc::now();
    // More alerts than a default listing holds, so a count made from one would stop at 1000.
    h.atomically(|h| {
        for i in 0..1005 {
            h.insert_alert(&alert(&format!("k{i}"), &format!("s{}", i % 3)), now)?;
        }
        Ok(())
    })
    .unwrap();
    h.set_alert_state("k0", AlertState::Acknowledged, None, now)
        .unwrap();
    h.resolve_session_alerts("s2", AlertState::Acted, Some("signed_out_session"), now)
        .unwrap();
    assert_eq!(h.count_alerts_in(&[AlertState::New]).unwrap(), 669);
    assert_eq!(
        h.count_alerts_in(&[AlertState::New, AlertState::Acknowledged])
            .unwrap(),
        670
    );
    assert_eq!(h.count_alerts_in(&[]).unwrap(), 0);
    let about = h.alerts_about(&["s0".into(), "s1".into()]).unwrap();
    assert_eq!(about.len(), 670);
    assert!(about
        .iter()
        .all(|a| matches!(a.alert.session_id.as_deref(), Some("s0" | "s1"))));
    assert!(h.alerts_about(&[]).unwrap().is_empty());
}

#[test]
fn an_alert_is_stored_once_per_key() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let now = Utc::now();
    assert!(h.insert_alert(&alert("session:x", "x"), now).unwrap());
    assert!(!h.insert_alert(&alert("session:x", "x"), now).unwrap());
    assert_eq!(h.query_alerts(&HistoryQuery::default()).unwrap().len(), 1);
    h.resolve_session_alerts("x", AlertState::Confirmed, Some("this_was_me"), now)
        .unwrap();
    let a = h.alert("session:x").unwrap().unwrap();
    assert_eq!(a.state, AlertState::Confirmed);
    assert_eq!(a.action.as_deref(), Some("this_was_me"));
    assert_eq!(a.alert.kind, AlertKind::PossibleTakeover);
    let q = HistoryQuery {
        alert_state: Some(AlertState::New),
        ..Default::default()
    };
    assert!(h.query_alerts(&q).unwrap().is_empty());
}

#[test]
fn sessions_end_once_with_the_first_reason_and_vanish_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let now = Utc::now();
    for id in ["a", "b", "c"] {
        h.upsert_session(
            &session(id, "Berlin", "Germany", "DE", "Firefox"),
            "k",
            false,
            now,
        )
        .unwrap();
    }
    h.end_session("a", EndReason::SignedOutElsewhere, now, None)
        .unwrap();
    h.end_session("a", EndReason::Expired, now, None).unwrap();
    // "d" came from an event after the list was made: not missing, just newer.
    let later = now + chrono::TimeDelta::seconds(1);
    h.upsert_session(
        &session("d", "Berlin", "Germany", "DE", "Firefox"),
        "k",
        false,
        later,
    )
    .unwrap();
    let gone = h.end_missing_sessions(&["c".into()], now, later).unwrap();
    assert_eq!(gone, vec!["b".to_owned()]);
    let a = h.session("a").unwrap().unwrap();
    assert_eq!(a.end_reason, Some(EndReason::SignedOutElsewhere));
    assert_eq!(
        h.session("b").unwrap().unwrap().end_reason,
        Some(EndReason::Vanished)
    );
    assert_eq!(h.active_sessions().unwrap().len(), 2);
}

#[test]
fn queries_filter_by_country_device_text_and_time_and_escape_wildcards() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let now = Utc::now();
    h.upsert_session(
        &session("a", "Berlin", "Germany", "DE", "Firefox 128 on Linux"),
        "k",
        false,
        now,
    )
    .unwrap();
    h.upsert_session(
        &session("b", "São Paulo", "Brazil", "BR", "Chrome 124 on Windows 11"),
        "k",
        false,
        now,
    )
    .unwrap();
    let q = |q: HistoryQuery| -> Vec<String> {
        h.query_sessions(&q)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(
        q(HistoryQuery {
            country: Some("br".into()),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        q(HistoryQuery {
            country: Some("germany".into()),
            ..Default::default()
        }),
        ["a"]
    );
    assert_eq!(
        q(HistoryQuery {
            device: Some("chrome".into()),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        q(HistoryQuery {
            text: Some("são".into()),
            ..Default::default()
        }),
        ["b"]
    );
    assert_eq!(
        q(HistoryQuery {
            text: Some("100%".into()),
            ..Default::default()
        })
        .len(),
        2
    );
    assert!(
        q(HistoryQuery {
            text: Some("t_Co".into()),
            ..Default::default()
        })
        .len()
            == 2
    );
    assert!(q(HistoryQuery {
        text: Some("Net%Co".into()),
        ..Default::default()
    })
    .is_empty());
    assert!(q(HistoryQuery {
        since: Some(now + chrono::TimeDelta::hours(1)),
        ..Default::default()
    })
    .is_empty());
    assert_eq!(
        q(HistoryQuery {
            limit: Some(1),
            ..Default::default()
        })
        .len(),
        1
    );
}

/// A session with every field the server sends filled in, to see it survive storage.
fn full_session(id: &str) -> Session {
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    Session {
        id: id.into(),
        current: true,
        client: ClientKind::MobilePwa,
        remember_me: true,
        trusted_device: true,
        created_at: t("2025-01-02T03:04:05.123456Z"),
        last_active_at: t("2025-01-03T03:04:05.654321Z"),
        expires_at: t("2025-02-03T03:04:05Z"),
        ip: "2001:db8::7".into(),
        device: Device {
            label: "Safari 17 on iOS 17.4".into(),
            browser: Some("Safari".into()),
            browser_version: Some("17".into()),
            os: Some("iOS".into()),
            os_version: Some("17.4".into()),
            device_type: DeviceType::Mobile,
            user_agent: Some("Mozilla/5.0 (iPhone)".into()),
        },
        network: Network {
            asn: Some(8452),
            isp: Some("TE Data".into()),
        },
        location: Location {
            city: Some("القاهرة".into()),
            region: Some("Cairo Governorate".into()),
            country_code: Some("EG".into()),
            country: Some("Egypt".into()),
            latitude: Some(30.0444),
            longitude: Some(31.2357),
        },
    }
}

#[test]
fn a_session_is_rebuilt_whole_from_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let s = full_session("ses_full");
    h.upsert_session(&s, "dk", true, Utc::now()).unwrap();
    let r = h.session("ses_full").unwrap().unwrap();
    assert_eq!(r.snapshot, s);
    assert!(r.own);
    assert_eq!(r.device_key, "dk");
    assert_eq!(r.city.as_deref(), Some("القاهرة"));
}

/// An export's borrowed view of a session writes the JSON its record writes, for every kind
/// of row: full, bare, ended, trusted, hostile text made inert.
#[test]
fn a_session_view_serialises_as_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let now = Utc::now();
    h.upsert_session(&full_session("ses_full"), "dk", true, now)
        .unwrap();
    let mut bare = session("ses_bare", "", "", "", "");
    bare.network = Network::default();
    bare.location = Location::default();
    h.upsert_session(&bare, "k", false, now).unwrap();
    let hostile = session(
        "ses_\u{202e}evil",
        "=cmd",
        "Ägypten\u{200b}",
        "EG",
        "Chrome\u{202e}",
    );
    h.upsert_session(&hostile, "k\u{202e}", false, now).unwrap();
    h.end_session("ses_bare", EndReason::Expired, now, None)
        .unwrap();
    h.set_trust("ses_full", Trust::Confirmed).unwrap();
    let mut records: Vec<serde_json::Value> = h
        .query_sessions(&HistoryQuery::default())
        .unwrap()
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    let mut views = Vec::new();
    let n = h
        .for_each_session_recorded(|v| {
            views.push(serde_json::to_value(v).unwrap());
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 3);
    let by_id = |a: &serde_json::Value, b: &serde_json::Value| {
        a["id"].as_str().unwrap().cmp(b["id"].as_str().unwrap())
    };
    records.sort_by(by_id);
    views.sort_by(by_id);
    assert_eq!(views, records);
}

/// A file as Keepwatch wrote it before this schema: version 2, a JSON snapshot per session
/// and key-value sync state.
fn version_2_file(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(schema::V1).unwrap();
    conn.execute_batch(schema::V2).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    let insert = "INSERT INTO sessions (id, first_seen, last_seen, created_at, last_active_at,
            country_code, country, city, device_label, device_key, ip, isp, own, trust,
            snapshot, ended_at, end_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
    let full = full_session("ses_full");
    conn.execute(
        insert,
        rusqlite::params![
            "ses_full",
            "2025-01-02T04:00:00.000001Z",
            "2025-01-03T04:00:00.000002Z",
            ts(&full.created_at),
            ts(&full.last_active_at),
            "EG",
            "Egypt",
            "القاهرة",
            "Safari 17 on iOS 17.4",
            "dk-full",
            "2001:db8::7",
            "TE Data",
            1,
            "own",
            serde_json::to_string(&full).unwrap(),
            None::<String>,
            None::<String>,
        ],
    )
    .unwrap();
    conn.execute(
        insert,
        rusqlite::params![
            "ses_old",
            "2024-05-01T00:00:00.000000Z",
            "2024-05-02T00:00:00.000000Z",
            "2024-05-01T00:00:00.000000Z",
            "2024-05-02T00:00:00.000000Z",
            "DE",
            "Germany",
            "Berlin",
            "Firefox 128 on Linux",
            "dk-old",
            "198.51.100.9",
            None::<String>,
            0,
            None::<String>,
            // Damaged: the columns still say what the session was.
            "{not json",
            "2024-05-03T00:00:00.000000Z",
            "expired",
        ],
    )
    .unwrap();
    for (k, v) in [
        ("last_event_id", "41"),
        ("last_synced_at", "2025-01-03T05:00:00.000000Z"),
        ("sessions_etag", "\"e1\""),
        ("sessions_body", "{\"sessions\":[]}"),
        ("baseline", "{\"countries\":[]}"),
        ("initialised", "true"),
        ("trust_existing", "true"),
    ] {
        conn.execute(
            "INSERT INTO sync_state (key, value) VALUES (?1, ?2)",
            [k, v],
        )
        .unwrap();
    }
    let alert = alert("session:ses_full", "ses_full");
    conn.execute(
        "INSERT INTO alerts (key, kind, severity, title, summary, session_id, occurred_at,
            raised_at, json, notified, notified_at)
         VALUES (?1, 'possible_takeover', 'critical', ?2, ?3, 'ses_full', ?4, ?4, ?5, 'shown', ?4)",
        rusqlite::params![
            alert.key,
            alert.title,
            alert.summary,
            ts(&alert.occurred_at),
            serde_json::to_string(&alert).unwrap()
        ],
    )
    .unwrap();
}

#[test]
fn a_version_2_file_opens_migrated_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    version_2_file(&path);
    let h = History::open(&path).unwrap();
    assert_eq!(h.schema_version().unwrap(), schema::VERSION);
    assert_eq!(h.integrity_check().unwrap(), ["ok"]);

    let full = h.session("ses_full").unwrap().unwrap();
    assert_eq!(full.snapshot, full_session("ses_full"));
    assert_eq!(full.device_key, "dk-full");
    assert!(full.own);
    assert_eq!(full.trust, Some(Trust::Own));
    assert_eq!(ts(&full.first_seen), "2025-01-02T04:00:00.000001Z");
    assert_eq!(ts(&full.last_seen), "2025-01-03T04:00:00.000002Z");
    assert_eq!(full.ended_at, None);

    let old = h.session("ses_old").unwrap().unwrap();
    assert_eq!(old.device_label, "Firefox 128 on Linux");
    assert_eq!(old.snapshot.device.label, "Firefox 128 on Linux");
    assert_eq!(old.city.as_deref(), Some("Berlin"));
    assert_eq!(old.snapshot.ip, "198.51.100.9");
    assert_eq!(old.end_reason, Some(EndReason::Expired));
    assert_eq!(ts(&old.ended_at.unwrap()), "2024-05-03T00:00:00.000000Z");

    // The moved rows are in the text index and the new indexes.
    let find = |q: HistoryQuery| -> Vec<String> {
        h.query_sessions(&q)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(
        find(HistoryQuery {
            text: Some("db8::".into()),
            ..Default::default()
        }),
        ["ses_full"]
    );
    assert_eq!(
        find(HistoryQuery {
            state: Some(SessionState::Expired),
            ..Default::default()
        }),
        ["ses_old"]
    );
    assert_eq!(h.active_sessions().unwrap().len(), 1);
    assert_eq!(h.trusted_sessions().unwrap().len(), 1);
    assert_eq!(h.own_session_ids().unwrap(), ["ses_full"]);

    assert_eq!(h.last_event_id().unwrap(), 41);
    assert_eq!(
        h.last_synced_at().unwrap().map(|t| ts(&t)).as_deref(),
        Some("2025-01-03T05:00:00.000000Z")
    );
    assert_eq!(
        h.sessions_cache().unwrap(),
        Some(("\"e1\"".into(), "{\"sessions\":[]}".into()))
    );
    assert_eq!(h.baseline().unwrap().as_deref(), Some("{\"countries\":[]}"));
    assert!(h.initialised().unwrap());
    assert!(h.trust_existing().unwrap());

    let alerts = h.query_alerts(&HistoryQuery::default()).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].notice, Some(NoticeOutcome::Shown));
    assert_eq!(
        h.max_alert_severities(&["ses_full".into(), "ses_old".into()])
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        [("ses_full".to_owned(), Severity::Critical)]
    );

    let tables: Vec<String> = h
        .conn()
        .prepare("SELECT name FROM sqlite_schema WHERE name IN ('sync_state', 'sessions_v2')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(tables.is_empty(), "{tables:?}");
    drop(h);
    // And once migrated, it opens as it is.
    assert_eq!(
        History::open(&path)
            .unwrap()
            .active_sessions()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_fresh_cursor_is_empty_and_keeps_what_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    assert_eq!(h.last_event_id().unwrap(), 0);
    assert_eq!(h.last_synced_at().unwrap(), None);
    assert_eq!(h.sessions_cache().unwrap(), None);
    assert!(!h.initialised().unwrap());
    assert!(!h.trust_existing().unwrap());
    h.set_last_event_id(7).unwrap();
    h.set_sessions_cache("e", "b").unwrap();
    h.set_trust_existing(true).unwrap();
    h.set_initialised().unwrap();
    h.set_baseline("{}").unwrap();
    assert_eq!(h.last_event_id().unwrap(), 7);
    assert_eq!(h.sessions_cache().unwrap(), Some(("e".into(), "b".into())));
    assert!(h.trust_existing().unwrap() && h.initialised().unwrap());
    assert_eq!(h.baseline().unwrap().as_deref(), Some("{}"));
}

/// A small history with every filter's cases: 40 sessions over three countries, four device
/// labels (two of them sharing a word), ended in each way, seen at distinct times.
fn varied() -> (tempfile::TempDir, History, Vec<SessionRecord>) {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
    let base = DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let places = [
        ("Berlin", "Germany", "DE"),
        ("Cairo", "Egypt", "EG"),
        ("東京", "Japan", "JP"),
    ];
    let labels = [
        "Chrome 124 on Windows 11",
        "Chrome 124 on Windows 10",
        "Firefox 128 on Linux",
        "Safari 17 on macOS",
    ];
    for i in 0..40u32 {
        let (city, country, code) = places[i as usize % 3];
        let mut s = session(
            &format!("ses_{i:02}"),
            city,
            country,
            code,
            labels[i as usize % 4],
        );
        s.ip = format!("203.0.113.{i}");
        let seen = base + chrono::TimeDelta::hours(i64::from(i));
        h.upsert_session(&s, "k", false, seen).unwrap();
        match i % 5 {
            0 | 1 => {}
            2 => h
                .end_session(&s.id, EndReason::Expired, seen, None)
                .unwrap(),
            3 => h
                .end_session(&s.id, EndReason::SignedOutElsewhere, seen, None)
                .unwrap(),
            _ => h
                .end_session(&s.id, EndReason::Vanished, seen, None)
                .unwrap(),
        }
    }
    let all = h
        .query_sessions(&HistoryQuery {
            limit: Some(u32::MAX),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 40);
    (dir, h, all)
}

/// The ids of `all` (newest first) that `keep` keeps.
fn expected(all: &[SessionRecord], keep: impl Fn(&SessionRecord) -> bool) -> Vec<String> {
    all.iter()
        .filter(|r| keep(r))
        .map(|r| r.id.clone())
        .collect()
}

/// Every page of `q` at `size` rows, checking each page's total: exact, or a true lower
/// bound that the last page makes exact; the ids in order.
fn paged(h: &History, q: &HistoryQuery, size: u32) -> Vec<String> {
    let total = h.count_sessions(q).unwrap();
    let mut ids = Vec::new();
    for page in 0.. {
        let p = h
            .session_page(&HistoryQuery {
                limit: Some(size),
                offset: Some(page * size),
                ..q.clone()
            })
            .unwrap();
        if p.total_is_exact {
            assert_eq!(p.total, total, "{q:?}");
        } else {
            assert!(p.total <= total, "{q:?}: {} is above {total}", p.total);
            assert!(p.total >= u64::from((page + 1) * size).min(total), "{q:?}");
        }
        assert!(p.rows.len() <= size as usize);
        let last = (p.rows.len() as u32) < size;
        ids.extend(p.rows.into_iter().map(|r| r.id));
        if last {
            assert!(p.total_is_exact, "{q:?}: the last page knows the total");
            break;
        }
    }
    assert_eq!(ids.len() as u64, total);
    ids
}

/// The ways the planner can take (see `plan`): its thresholds as shipped, which read these
/// few rows the sparse way; none sparse, so every query reads `sessions_order` newest
/// first; and that with counting stopped at 4 rows, so that totals are "more than".
const EVERY_WAY: [crate::history::plan::QueryLimits; 3] = [
    crate::history::plan::QueryLimits {
        sparse_max: crate::history::plan::SPARSE_MAX,
        count_cap: crate::history::plan::COUNT_CAP,
    },
    crate::history::plan::QueryLimits {
        sparse_max: 0,
        count_cap: crate::history::plan::COUNT_CAP,
    },
    crate::history::plan::QueryLimits {
        sparse_max: 0,
        count_cap: 4,
    },
];

#[test]
fn every_filter_is_applied_before_the_limit_and_pages_report_the_total() {
    for limits in EVERY_WAY {
        let (_dir, h, all) = varied();
        every_filter_is_applied_before_the_limit(h.with_query_limits(limits), &all);
    }
}

fn every_filter_is_applied_before_the_limit(h: History, all: &[SessionRecord]) {
    type Keep = Box<dyn Fn(&SessionRecord) -> bool>;
    let cases: Vec<(HistoryQuery, Keep)> = vec![
        (
            HistoryQuery {
                country_code: Some("EG".into()),
                ..Default::default()
            },
            Box::new(|r| r.country_code.as_deref() == Some("EG")),
        ),
        (
            // Exact: not the Windows 10 label, which shares every word but one.
            HistoryQuery {
                device_label: Some("Chrome 124 on Windows 11".into()),
                ..Default::default()
            },
            Box::new(|r| r.device_label == "Chrome 124 on Windows 11"),
        ),
        (
            HistoryQuery {
                device: Some("chrome".into()),
                ..Default::default()
            },
            Box::new(|r| r.device_label.starts_with("Chrome")),
        ),
        (
            HistoryQuery {
                state: Some(SessionState::Active),
                ..Default::default()
            },
            Box::new(|r| r.ended_at.is_none()),
        ),
        (
            HistoryQuery {
                state: Some(SessionState::Expired),
                ..Default::default()
            },
            Box::new(|r| r.end_reason == Some(EndReason::Expired)),
        ),
        (
            HistoryQuery {
                state: Some(SessionState::SignedOut),
                ..Default::default()
            },
            Box::new(|r| r.ended_at.is_some() && r.end_reason != Some(EndReason::Expired)),
        ),
        (
            HistoryQuery {
                since: Some(all[29].last_seen),
                until: Some(all[5].first_seen),
                ..Default::default()
            },
            Box::new(|r| r.last_seen >= all_seen(29) && r.first_seen < all_seen(5)),
        ),
        (
            HistoryQuery {
                text: Some("windows".into()),
                country_code: Some("DE".into()),
                ..Default::default()
            },
            Box::new(|r| {
                r.device_label.contains("Windows") && r.country_code.as_deref() == Some("DE")
            }),
        ),
        (
            HistoryQuery {
                device: Some("chrome".into()),
                state: Some(SessionState::Active),
                ..Default::default()
            },
            Box::new(|r| r.device_label.starts_with("Chrome") && r.ended_at.is_none()),
        ),
        (
            HistoryQuery {
                text: Some("113.1".into()),
                ..Default::default()
            },
            Box::new(|r| r.ip.contains("113.1")),
        ),
        (
            // A name, in any case, as the CLI's --country takes it.
            HistoryQuery {
                country: Some("japan".into()),
                ..Default::default()
            },
            Box::new(|r| r.country_code.as_deref() == Some("JP")),
        ),
        (
            // Two characters: the city's, and no id or address holds them.
            HistoryQuery {
                text: Some("東京".into()),
                ..Default::default()
            },
            Box::new(|r| r.city.as_deref() == Some("東京")),
        ),
        (
            // An id's, an address's and a device's at once.
            HistoryQuery {
                text: Some("1".into()),
                state: Some(SessionState::SignedOut),
                ..Default::default()
            },
            Box::new(|r| {
                (r.id.contains('1') || r.ip.contains('1') || r.device_label.contains('1'))
                    && r.ended_at.is_some()
                    && r.end_reason != Some(EndReason::Expired)
            }),
        ),
        (
            HistoryQuery {
                text: Some("ses_3".into()),
                until: Some(all[2].first_seen),
                ..Default::default()
            },
            Box::new(|r| r.id.starts_with("ses_3") && r.first_seen < all_seen(2)),
        ),
    ];
    for nothing in ["zq", "ses_99", "Atlantis"] {
        let q = HistoryQuery {
            text: Some(nothing.into()),
            ..Default::default()
        };
        let page = h.session_page(&q).unwrap();
        assert!(
            page.rows.is_empty() && page.total == 0 && page.total_is_exact,
            "{q:?}"
        );
    }
    for (q, keep) in &cases {
        let want = expected(all, keep);
        assert!(want.len() > 3, "{q:?} should match more than a page");
        assert_eq!(paged(&h, q, 3), want, "{q:?}");
        // A limit smaller than the matches cuts matches, never other rows.
        let first = h
            .query_sessions(&HistoryQuery {
                limit: Some(2),
                ..q.clone()
            })
            .unwrap();
        assert_eq!(
            first.into_iter().map(|r| r.id).collect::<Vec<_>>(),
            want[..2]
        );
    }

    fn all_seen(i: usize) -> Timestamp {
        let base = DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        // Rows are newest first: row i was seen at hour 39 - i.
        base + chrono::TimeDelta::hours(39 - i as i64)
    }
}

#[test]
fn the_filter_menus_and_severities_come_from_sql() {
    let (_dir, h, _all) = varied();
    assert_eq!(h.country_codes().unwrap(), ["DE", "EG", "JP"]);
    assert_eq!(
        h.device_labels().unwrap(),
        [
            "Chrome 124 on Windows 10",
            "Chrome 124 on Windows 11",
            "Firefox 128 on Linux",
            "Safari 17 on macOS"
        ]
    );
    // Sessions that moved leave no trace in the menus: every German one goes to Paris.
    let mut moved = session("ses_00", "Paris", "France", "FR", "Edge 120 on Windows 11");
    moved.ip = "203.0.113.0".into();
    for i in (0..40).step_by(3) {
        let mut s = moved.clone();
        s.id = format!("ses_{i:02}");
        h.upsert_session(&s, "k", false, Utc::now()).unwrap();
    }
    assert_eq!(h.country_codes().unwrap(), ["EG", "FR", "JP"]);
    assert!(h
        .device_labels()
        .unwrap()
        .contains(&"Edge 120 on Windows 11".to_owned()));

    let now = Utc::now();
    let mut warning = alert("a1", "ses_01");
    warning.severity = Severity::Warning;
    h.insert_alert(&warning, now).unwrap();
    h.insert_alert(&alert("a2", "ses_01"), now).unwrap();
    let mut info = alert("a3", "ses_02");
    info.severity = Severity::Info;
    h.insert_alert(&info, now).unwrap();
    h.insert_alert(&alert("a4", "ses_09"), now).unwrap();
    let got = h
        .max_alert_severities(&["ses_01".into(), "ses_02".into(), "ses_03".into()])
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got["ses_01"], Severity::Critical);
    assert_eq!(got["ses_02"], Severity::Info);
}

/// What the LIKE search of the previous schema matched: an ASCII-case-insensitive substring
/// of device, IP, ISP, city, country or id.
fn old_like(r: &SessionRecord, needle: &str) -> bool {
    let n = needle.to_ascii_lowercase();
    [
        Some(&r.device_label),
        Some(&r.ip),
        r.isp.as_ref(),
        r.city.as_ref(),
        r.country.as_ref(),
        Some(&r.id),
    ]
    .into_iter()
    .flatten()
    .any(|v| v.to_ascii_lowercase().contains(&n))
}

#[test]
fn text_search_matches_what_like_matched_and_follows_updates() {
    for limits in EVERY_WAY {
        text_search_matches_what_like_matched(limits);
    }
}

fn text_search_matches_what_like_matched(limits: crate::history::plan::QueryLimits) {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3"))
        .unwrap()
        .with_query_limits(limits);
    let rows = [
        (
            "ses_a1",
            "الرياض",
            "المملكة العربية السعودية",
            "SA",
            "كروم على ويندوز",
            "10.0.0.1",
        ),
        (
            "ses_b2",
            "北京",
            "中国",
            "CN",
            "Chrome 124 on Windows 11",
            "2001:db8::1",
        ),
        (
            "ses_c3",
            "São Paulo",
            "Brazil",
            "BR",
            "Firefox_128 100% on Linux",
            "198.51.100.3",
        ),
        (
            "ses_d4",
            "Berlin",
            "Germany",
            "DE",
            "Safari 17 on macOS",
            "203.0.113.44",
        ),
    ];
    for (id, city, country, code, label, ip) in rows {
        let mut s = session(id, city, country, code, label);
        s.ip = ip.into();
        h.upsert_session(&s, "k", false, Utc::now()).unwrap();
    }
    let needles = [
        "ses_",
        "S_A1",
        "الرياض",
        "رياض",
        "ري",
        "ع",
        "北京",
        "北",
        "中国",
        "chrome",
        "CHROME 12",
        "o",
        "ws",
        "w",
        "100%",
        "_1",
        "e_12",
        "%",
        "db8::",
        "DB8",
        "0.0",
        "113.44",
        "são",
        "PAULO",
        "brazil",
        "germ",
        "macos",
        "zzz",
        "x",
        "Net_Co",
        "t_co",
        "NET%CO",
        "9",
    ];
    let check = |h: &History| {
        let all = h
            .query_sessions(&HistoryQuery {
                limit: Some(u32::MAX),
                ..Default::default()
            })
            .unwrap();
        for needle in needles {
            let q = HistoryQuery {
                text: Some(needle.into()),
                ..Default::default()
            };
            let got: Vec<String> = h
                .query_sessions(&q)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect();
            let want = expected(&all, |r| old_like(r, needle));
            assert_eq!(got, want, "{needle:?}");
            assert_eq!(
                h.count_sessions(&q).unwrap(),
                want.len() as u64,
                "{needle:?}"
            );
        }
    };
    check(&h);
    // A session's address changes: the old one no longer finds it, the new one does.
    let mut moved = session("ses_d4", "Berlin", "Germany", "DE", "Safari 17 on macOS");
    moved.ip = "192.0.2.200".into();
    h.upsert_session(&moved, "k", false, Utc::now()).unwrap();
    let ids = |t: &str| -> Vec<String> {
        h.query_sessions(&HistoryQuery {
            text: Some(t.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    assert!(ids("113.44").is_empty());
    assert_eq!(ids("2.200"), ["ses_d4"]);
    h.end_session("ses_d4", EndReason::Expired, Utc::now(), None)
        .unwrap();
    assert_eq!(ids("0.2.20"), ["ses_d4"]);
    check(&h);
    // The index stays consistent with its table through all of it.
    h.conn()
        .execute_batch(
            "INSERT INTO sessions_text (sessions_text, rank) VALUES ('integrity-check', 1)",
        )
        .unwrap();
}

#[test]
fn text_of_common_trigrams_is_read_as_one_phrase_and_still_sifted() {
    // Each trigram of "ses_a" is in two of these ids, the whole of it in one: with a sparse
    // limit of one, no trigram is rare enough, and the phrase's short list is what is read.
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(&dir.path().join("h.sqlite3"))
        .unwrap()
        .with_query_limits(crate::history::plan::QueryLimits {
            sparse_max: 1,
            count_cap: crate::history::plan::COUNT_CAP,
        });
    for id in ["ses_ab", "ses_ba", "xs_a1"] {
        h.upsert_session(
            &session(id, "Berlin", "Germany", "DE", "Safari"),
            "k",
            false,
            Utc::now(),
        )
        .unwrap();
    }
    for (needle, want) in [("ses_a", vec!["ses_ab"]), ("S_A", vec!["ses_ab", "xs_a1"])] {
        let q = HistoryQuery {
            text: Some(needle.into()),
            ..Default::default()
        };
        let mut got: Vec<String> = h
            .query_sessions(&q)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        got.sort();
        assert_eq!(got, want, "{needle:?}");
        assert_eq!(
            h.count_sessions(&q).unwrap(),
            want.len() as u64,
            "{needle:?}"
        );
    }
}
