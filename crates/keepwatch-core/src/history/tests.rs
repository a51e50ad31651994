//! Tests of the history as a whole: what older files hold, and what the queries find.

use super::*;
use rusqlite::Connection;
use keepwatch_api::{ClientKind, Device, DeviceType, Location, Network};
use keepwatch_detector::{AlertKind, Severity};

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

