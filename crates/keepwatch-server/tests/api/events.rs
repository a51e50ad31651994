//! Event list and the live stream: resume without loss or repetition, end on revocation.

use std::time::Duration;

use keepwatch_api::{paths, ErrorCode, Event, EventKind, EventList};
use keepwatch_geo::fixture::SAO_PAULO_V4;
use reqwest::StatusCode;

use crate::support::*;

const WAIT: Duration = Duration::from_secs(5);

fn parse(msg: &SseMessage) -> Event {
    let event: Event = serde_json::from_str(&msg.data).unwrap();
    assert_eq!(msg.id.as_deref(), Some(event.id.to_string().as_str()));
    assert_eq!(msg.event.as_deref(), Some(event.kind.as_str()));
    event
}

async fn stream(t: &TestServer, token: &str, last_event_id: Option<u64>) -> SseReader {
    let mut req = t.get(paths::EVENTS_STREAM, token);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    SseReader::new(req.send().await.unwrap())
}

#[tokio::test]
async fn event_list_pages_with_a_cursor() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t
        .login_from(Some(SAO_PAULO_V4.to_string().parse().unwrap()), CHROME_MAC)
        .await;
    t.login().await;
    t.login().await;
    let page: EventList = t
        .get(&format!("{}?limit=2", paths::EVENTS), &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.events.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2]);
    assert!(page.has_more);
    assert_eq!(page.cursor, 2);
    let first = &page.events[0];
    assert_eq!(first.kind, EventKind::SessionCreated);
    let s = first.session.as_ref().unwrap();
    assert_eq!(s.id, me.session_id);
    assert_eq!(s.ip, SAO_PAULO_V4.to_string());
    assert_eq!(s.location.country_code.as_deref(), Some("BR"));
    assert_eq!(s.device.browser.as_deref(), Some("Chrome"));

    let rest: EventList = t
        .get(&format!("{}?after=2", paths::EVENTS), &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest.events.iter().map(|e| e.id).collect::<Vec<_>>(), [3]);
    assert!(!rest.has_more);
    let empty: EventList = t
        .get(&format!("{}?after=3", paths::EVENTS), &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (empty.events.len(), empty.cursor, empty.has_more),
        (0, 3, false)
    );

    // Another account's events are separate, with their own ids.
    t.server
        .add_user("bob@example.com", "bobs password here", false)
        .await
        .unwrap();
    let bob: keepwatch_api::TokenPair = t
        .login_raw(&serde_json::json!({"email": "bob@example.com", "password": "bobs password here", "client": "web"}), None, None)
        .await
        .json()
        .await
        .unwrap();
    let bobs = t.events(&bob.access_token, 0).await;
    assert_eq!(bobs.iter().map(|e| e.id).collect::<Vec<_>>(), [1]);
    assert_eq!(bobs[0].session.as_ref().unwrap().id, bob.session_id);

    for bad in ["after=x", "after=-1", "limit=0", "from=1"] {
        let resp = t
            .get(&format!("{}?{bad}", paths::EVENTS), &me.access_token)
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest).await;
    }
}

#[tokio::test]
async fn stream_resumes_after_a_dropped_connection_without_loss_or_repeats() {
    let t = TestServer::start().await;
    t.user(false).await;
    let watcher = t.login().await; // event 1
    let mut sse = stream(&t, &watcher.access_token, Some(0)).await;
    let first = parse(&sse.next(WAIT).await.unwrap());
    assert_eq!((first.id, first.kind), (1, EventKind::SessionCreated));

    // Live events arrive as they happen.
    let other = t.login().await; // 2
    let e = parse(&sse.next(WAIT).await.unwrap());
    assert_eq!((e.id, e.kind), (2, EventKind::SessionCreated));
    assert_eq!(e.session.unwrap().id, other.session_id);
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.1", "bc1qlive", false, None)
        .await
        .unwrap(); // 3
    let e = parse(&sse.next(WAIT).await.unwrap());
    assert_eq!((e.id, e.kind), (3, EventKind::WithdrawalCreated));

    // The connection drops; events keep happening.
    drop(sse);
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.2", "bc1qmissed1", false, None)
        .await
        .unwrap(); // 4
    t.login().await; // 5
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.3", "bc1qmissed2", false, None)
        .await
        .unwrap(); // 6

    // Reconnect with the last id seen: exactly the missed ones, in order, then live ones.
    let mut sse = stream(&t, &watcher.access_token, Some(3)).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(parse(&sse.next(WAIT).await.unwrap()).id);
    }
    assert_eq!(ids, [4, 5, 6]);
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.4", "bc1qlive2", false, None)
        .await
        .unwrap(); // 7
    assert_eq!(parse(&sse.next(WAIT).await.unwrap()).id, 7);
    assert!(
        sse.next(Duration::from_millis(300)).await.is_none(),
        "nothing repeated"
    );

    // Without Last-Event-ID the stream starts with the next event.
    let mut fresh = stream(&t, &watcher.access_token, None).await;
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.5", "bc1qnext", false, None)
        .await
        .unwrap(); // 8
    assert_eq!(parse(&fresh.next(WAIT).await.unwrap()).id, 8);
    assert_eq!(parse(&sse.next(WAIT).await.unwrap()).id, 8);
}

#[tokio::test]
async fn many_concurrent_events_reach_a_resumed_stream_exactly_once() {
    let t = TestServer::start().await;
    t.user(false).await;
    let watcher = t.login().await; // 1
                                   // Events are written while the stream connects and replays: subscribe-then-replay must
                                   // neither lose nor duplicate any of them.
    let writer = async {
        for i in 0..40 {
            t.server
                .add_withdrawal(EMAIL, "BTC", &format!("0.{i}"), "bc1qburst", true, None)
                .await
                .unwrap();
        }
    };
    let reader = async {
        let mut sse = stream(&t, &watcher.access_token, Some(0)).await;
        let mut ids = Vec::new();
        while ids.len() < 41 {
            match sse.next(WAIT).await {
                Some(msg) => ids.push(parse(&msg).id),
                None => break,
            }
        }
        ids
    };
    let ((), ids) = tokio::join!(writer, reader);
    assert_eq!(ids, (1..=41).collect::<Vec<u64>>());
}

#[tokio::test]
async fn stream_ends_when_its_session_is_revoked_or_expires() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let watched = t.login().await;
    let mut sse = stream(&t, &watched.access_token, None).await;
    let path = paths::with_id(paths::SESSION, &watched.session_id);
    assert_eq!(
        t.delete(&path, &me.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let last = parse(&sse.next(WAIT).await.unwrap());
    assert_eq!(last.kind, EventKind::SessionRevoked);
    assert_eq!(last.session.unwrap().id, watched.session_id);
    assert!(
        sse.ends_within(WAIT).await,
        "the stream closes after its own revocation"
    );

    // Expiry by the sweep ends a stream too, and reaches other streams as an event.
    let short = t
        .login_raw(
            &serde_json::json!({"email": EMAIL, "password": PASSWORD, "client": "web"}),
            None,
            None,
        )
        .await
        .json::<keepwatch_api::TokenPair>()
        .await
        .unwrap();
    let mut doomed = stream(&t, &short.access_token, None).await;
    let mut observer = stream(&t, &me.access_token, None).await;
    t.advance(chrono::Duration::hours(12));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 1);
    let e = parse(&observer.next(WAIT).await.unwrap());
    assert_eq!(e.kind, EventKind::SessionExpired);
    assert_eq!(e.session.unwrap().id, short.session_id);
    assert_eq!(
        parse(&doomed.next(WAIT).await.unwrap()).kind,
        EventKind::SessionExpired
    );
    assert!(doomed.ends_within(WAIT).await);
}

#[tokio::test]
async fn stream_sends_keep_alives_and_rejects_bad_cursors() {
    let mut options = Options::default();
    options.limits.sse_keep_alive = Duration::from_millis(100);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let me = t.login().await;
    let mut sse = stream(&t, &me.access_token, None).await;
    let nothing = sse.next(Duration::from_millis(450)).await;
    assert!(nothing.is_none(), "{nothing:?}");
    assert!(sse.comments >= 2, "keep-alive comments: {}", sse.comments);

    for bad in ["abc", "-1", "1.5", "99999999999999999999999"] {
        let resp = t
            .get(paths::EVENTS_STREAM, &me.access_token)
            .header("last-event-id", bad)
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest).await;
    }
    let resp = t
        .client
        .get(t.url(paths::EVENTS_STREAM))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken).await;
}

#[tokio::test]
async fn graceful_shutdown_ends_open_streams() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let mut sse = stream(&t, &me.access_token, None).await;
    let TestServer { server, .. } = t;
    tokio::time::timeout(Duration::from_secs(3), server.shutdown())
        .await
        .expect("shutdown does not wait for streams");
    assert!(sse.ends_within(WAIT).await);
}

#[tokio::test]
async fn abort_drops_connections_at_once() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let mut sse = stream(&t, &me.access_token, None).await;
    let base = t.base.clone();
    let TestServer { server, client, .. } = t;
    server.abort();
    assert!(sse.ends_within(WAIT).await);
    let gone = eventually(WAIT, || {
        let client = client.clone();
        let url = format!("{base}{}", paths::OPENAPI);
        async move { client.get(url).send().await.is_err() }
    })
    .await;
    assert!(gone, "the port stops answering");
}

#[tokio::test]
async fn the_periodic_sweep_expires_idle_sessions_on_its_own() {
    let mut options = Options::default();
    options.limits.sweep_interval = Duration::from_millis(50);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let me = t.login().await;
    let short = t
        .login_raw(
            &serde_json::json!({"email": EMAIL, "password": PASSWORD, "client": "web"}),
            None,
            None,
        )
        .await
        .json::<keepwatch_api::TokenPair>()
        .await
        .unwrap();
    let mut sse = stream(&t, &me.access_token, None).await;
    t.advance(chrono::Duration::hours(12));
    let e = parse(&sse.next(WAIT).await.expect("the sweep ran by itself"));
    assert_eq!(e.kind, EventKind::SessionExpired);
    assert_eq!(e.session.unwrap().id, short.session_id);
}

#[tokio::test]
async fn events_written_by_another_connection_reach_live_streams() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let mut sse = stream(&t, &me.access_token, None).await;
    // As the add-withdrawal command does from another process: its own connection, no
    // broadcast; the stream's poll finds it.
    let db = t._dir.path().join("server.sqlite");
    let w = tokio::task::spawn_blocking(move || {
        keepwatch_server::admin::add_withdrawal(
            &db,
            EMAIL,
            "BTC",
            "0.7",
            "bc1qoutside",
            false,
            None,
        )
    })
    .await
    .unwrap()
    .unwrap();
    let e = parse(&sse.next(WAIT).await.expect("picked up by polling"));
    assert_eq!(e.kind, EventKind::WithdrawalCreated);
    assert_eq!(e.withdrawal.unwrap().id, w.id);
    // And the next in-process event follows without a gap or a repeat.
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.8", "bc1qinside", true, None)
        .await
        .unwrap();
    let next = parse(&sse.next(WAIT).await.unwrap());
    assert_eq!(next.id, e.id + 1);
}
