//! The client and the sync engine against servers that misbehave, on real loopback sockets.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use keepwatch_api::{ClientKind, Event, EventKind, LoginRequest};
use keepwatch_core::client::{AccountClient, ClientOptions};
use keepwatch_core::secrets::Secrets;
use keepwatch_core::{Error, SyncEngine, SyncOptions};
use keepwatch_testkit::require_secret_service;
use support::world::{keepwatch_at, login_params_for};
use support::*;

fn fast_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(800),
        stream_idle_timeout: Duration::from_millis(800),
        max_body_bytes: 64 * 1024,
        max_retries: 2,
        default_retry_wait: Duration::from_millis(50),
        ..Default::default()
    }
}

fn login_request() -> LoginRequest {
    LoginRequest {
        email: "alice@example.com".into(),
        password: "correct horse battery".into(),
        totp_code: None,
        backup_code: None,
        remember_me: true,
        client: ClientKind::Desktop,
        trust_device: false,
        device_token: None,
    }
}

/// A client signed in to `server` (its /v1/auth/login must answer a token pair).
async fn signed_in(server: &RawServer) -> (AccountClient, String) {
    let key = format!("alice@example.com@{}", server.addr);
    let client = AccountClient::new(
        &server.url(),
        key.clone(),
        Secrets::keyring(),
        fast_options(),
    )
    .unwrap();
    client.login(&login_request()).await.unwrap();
    (client, key)
}

fn with_login(
    rest: impl Fn(&RawRequest, &[RawRequest]) -> Reply + Send + Sync + 'static,
) -> Handler {
    Arc::new(move |req, log| {
        if req.path == keepwatch_api::paths::LOGIN {
            return json_reply(200, &[], &token_pair(1));
        }
        rest(req, log)
    })
}

/// Like [`with_login`], and refresh works too (for engines opened after the login).
fn with_login_and_refresh(
    rest: impl Fn(&RawRequest, &[RawRequest]) -> Reply + Send + Sync + 'static,
) -> Handler {
    Arc::new(move |req, log| {
        if req.path == keepwatch_api::paths::LOGIN || req.path == keepwatch_api::paths::REFRESH {
            let n = log
                .iter()
                .filter(|r| r.path == keepwatch_api::paths::REFRESH)
                .count();
            return json_reply(200, &[], &token_pair(n as u32 + 2));
        }
        rest(req, log)
    })
}

#[tokio::test]
async fn rate_limits_are_waited_out_in_both_retry_after_forms() {
    require_secret_service!();
    let hits = Arc::new(AtomicU32::new(0));
    let h = Arc::clone(&hits);
    let server = RawServer::start(with_login(move |_, _| {
        match h.fetch_add(1, Ordering::SeqCst) {
            0 => api_error_with(429, "rate_limited", &[("retry-after", "1")]),
            1 => {
                let date =
                    httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(1));
                api_error_with(503, "unavailable", &[("retry-after", &date)])
            }
            _ => json_reply(
                200,
                &[],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            ),
        }
    }))
    .await;
    let (client, _) = signed_in(&server).await;
    let started = Instant::now();
    let list = client.sessions().await.unwrap();
    assert_eq!(list.sessions.len(), 1);
    let waited = started.elapsed();
    // One second from the seconds form; the HTTP date has one-second resolution, so 0–1 s more.
    assert!(
        waited >= Duration::from_millis(1000),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

fn api_error_with(status: u16, code: &str, headers: &[(&str, &str)]) -> Reply {
    json_reply(
        status,
        headers,
        &serde_json::json!({"error": code, "message": "slow down"}),
    )
}

#[tokio::test]
async fn endless_rate_limiting_gives_up_with_a_typed_error() {
    require_secret_service!();
    let server = RawServer::start(with_login(|_, _| {
        api_error_with(429, "rate_limited", &[("retry-after", "0")])
    }))
    .await;
    let (client, _) = signed_in(&server).await;
    let err = client.sessions().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    // First try plus max_retries (2).
    assert_eq!(server.requests_to(keepwatch_api::paths::SESSIONS).len(), 3);
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_and_the_new_refresh_token_stored() {
    require_secret_service!();
    let server = RawServer::start(Arc::new(|req, _| match req.path.as_str() {
        keepwatch_api::paths::LOGIN => json_reply(200, &[], &token_pair(1)),
        keepwatch_api::paths::REFRESH => {
            assert!(
                req.body.contains("refresh-1"),
                "refresh sent the stored token"
            );
            json_reply(200, &[], &token_pair(2))
        }
        _ if req.header("authorization") == Some("Bearer access-2") => {
            json_reply(200, &[], &session_list(vec![]))
        }
        _ => api_error(401, "invalid_token", "expired"),
    }))
    .await;
    let (client, key) = signed_in(&server).await;
    client.sessions().await.unwrap();
    assert_eq!(server.requests_to(keepwatch_api::paths::REFRESH).len(), 1);
    let stored = keyring::Entry::new("keepwatch", &key)
        .unwrap()
        .get_password()
        .unwrap();
    assert_eq!(stored, "refresh-2");
    keyring::Entry::new("keepwatch", &key)
        .unwrap()
        .delete_credential()
        .unwrap();
}

#[tokio::test]
async fn a_refused_refresh_token_means_signed_out_without_looping() {
    require_secret_service!();
    let server = RawServer::start(with_login(|_, _| {
        api_error(401, "invalid_token", "revoked")
    }))
    .await;
    let (client, key) = signed_in(&server).await;
    let err = client.sessions().await.unwrap_err();
    assert!(matches!(err, Error::SignedOut), "{err:?}");
    assert_eq!(server.requests_to(keepwatch_api::paths::REFRESH).len(), 1);
    assert_eq!(server.requests_to(keepwatch_api::paths::SESSIONS).len(), 1);
    let _ = keyring::Entry::new("keepwatch", &key)
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn garbage_huge_and_slow_answers_are_typed_errors() {
    require_secret_service!();
    let server = RawServer::start(with_login(|req, _| match req.path.as_str() {
        "/v1/sessions" => Reply::Raw(response(
            200,
            "application/json",
            &[],
            b"{\"sessions\": [1, 2,",
        )),
        "/v1/security/ip-blocklist" => {
            Reply::Raw(b"HTTP/1.1 200 OK\r\n\x00\xff garbage\r\n\r\n".to_vec())
        }
        "/v1/account/withdrawals" => {
            // Lies about nothing: no content-length, just more than the cap.
            let mut head =
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n["
                    .to_vec();
            head.extend(std::iter::repeat_n(b' ', 200 * 1024));
            Reply::Raw(head)
        }
        "/v1/security/session-length" => Reply::Stall(Duration::from_secs(5)),
        "/v1/security/trusted-devices" => api_error(418, "teapot_mode", "a code from the future"),
        _ => Reply::Raw(response(500, "text/html", &[], b"<h1>oops</h1>")),
    }))
    .await;
    let (client, key) = signed_in(&server).await;
    assert!(matches!(
        client.sessions().await,
        Err(Error::BadResponse(_))
    ));
    assert!(matches!(
        client.blocklist().await,
        Err(Error::Network(_) | Error::BadResponse(_))
    ));
    assert!(matches!(
        client.withdrawals(None).await,
        Err(Error::BodyTooLarge { .. })
    ));
    let started = Instant::now();
    assert!(matches!(client.session_length().await, Err(Error::Timeout)));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(
        client.trusted_devices().await,
        Err(Error::Api { status: 418, .. })
    ));
    assert!(matches!(
        client.login_history(None).await,
        Err(Error::BadResponse(_))
    ));
    let _ = keyring::Entry::new("keepwatch", &key)
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn the_sessions_list_is_reused_on_304() {
    require_secret_service!();
    let server = RawServer::start(with_login(|req, _| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::Raw(response(
                304,
                "application/json",
                &[("etag", "\"v1\"")],
                b"",
            ))
        } else {
            json_reply(
                200,
                &[("etag", "\"v1\"")],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            )
        }
    }))
    .await;
    let (client, key) = signed_in(&server).await;
    let first = client.sessions().await.unwrap();
    let second = client.sessions().await.unwrap();
    assert_eq!(first, second);
    let sent = server.requests_to("/v1/sessions");
    assert_eq!(sent[0].header("if-none-match"), None);
    assert_eq!(sent[1].header("if-none-match"), Some("\"v1\""));
    let _ = keyring::Entry::new("keepwatch", &key)
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn a_stream_dropped_mid_event_resumes_from_the_last_event_id() {
    require_secret_service!();
    let now = chrono::Utc::now();
    let mut first = Event::new(1, EventKind::WithdrawalCreated, now);
    first.revoked_sessions = None;
    let mut second = Event::new(2, EventKind::SessionCreated, now);
    second.session = Some(session(
        "s2",
        "São Paulo",
        "Brazil",
        "BR",
        "Chrome 124 on Windows 11",
    ));
    let (e1, e2) = (sse_event(&first), sse_event(&second));
    let server = RawServer::start(with_login_and_refresh(move |req, log| {
        match req.path.as_str() {
            "/v1/sessions" => json_reply(
                200,
                &[],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            ),
            p if p.starts_with("/v1/events?") => json_reply(200, &[], &empty_events(0)),
            "/v1/events/stream" => {
                let earlier = log.iter().filter(|r| r.path == "/v1/events/stream").count();
                if earlier == 0 {
                    // Event 1 whole, then half of event 2, then the connection drops.
                    let half = e2[..e2.len() / 2].to_vec();
                    Reply::Chunks(vec![
                        (Duration::ZERO, stream_head()),
                        (Duration::ZERO, b": keep-alive\n\n".to_vec()),
                        (Duration::from_millis(20), e1.clone()),
                        (Duration::from_millis(20), half),
                    ])
                } else {
                    Reply::Chunks(vec![
                        (Duration::ZERO, stream_head()),
                        (Duration::ZERO, b"retry: 100\n\n".to_vec()),
                        (Duration::from_millis(20), e2.clone()),
                        (Duration::from_secs(30), Vec::new()),
                    ])
                }
            }
            _ => api_error(404, "not_found", "no"),
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let kw = keepwatch_at(dir.path().to_path_buf(), fast_options());
    kw.login(login_params_for(
        server.url(),
        "alice@example.com",
        "pw",
        false,
    ))
    .await
    .unwrap();
    let account = kw.account(None).unwrap();
    let engine = SyncEngine::new(
        account.clone(),
        None,
        SyncOptions {
            poll_interval: Duration::from_secs(10),
            backoff_base: Duration::from_millis(50),
            backoff_cap: Duration::from_millis(200),
            ..Default::default()
        },
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(engine.run(tx, async move {
        let _ = stop_rx.await;
    }));
    let resumed = eventually(Duration::from_secs(5), || {
        server.requests_to("/v1/events/stream").len() >= 2
    })
    .await;
    if !resumed {
        while let Ok(u) = rx.try_recv() {
            eprintln!("update: {u:?}");
        }
        for r in server.requests.lock().unwrap().iter() {
            eprintln!("request: {} {}", r.method, r.path);
        }
    }
    assert!(resumed, "the engine reconnected");
    let second_stream = &server.requests_to("/v1/events/stream")[1];
    assert_eq!(second_stream.header("last-event-id"), Some("1"));
    let deadline = Instant::now() + Duration::from_secs(5);
    let events = loop {
        let events = account.events(Default::default()).await.unwrap();
        if events.len() >= 2 || Instant::now() > deadline {
            break events;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(
        events.len(),
        2,
        "both events stored, the half one only once whole"
    );
    assert_eq!(events[0], second);
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    let _ = keyring::Entry::new("keepwatch", account.id())
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn plain_http_to_another_machine_is_refused_before_any_request() {
    let err = AccountClient::new(
        "http://192.0.2.1:8080",
        "a@b@192.0.2.1:8080",
        Secrets::keyring(),
        ClientOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::InsecureUrl { .. }));
    assert!(err.to_string().contains("https://"));
}

async fn signed_in_keepwatch(server: &RawServer, dir: &std::path::Path) -> keepwatch_core::Account {
    let kw = keepwatch_at(dir.to_path_buf(), fast_options());
    kw.login(login_params_for(
        server.url(),
        "alice@example.com",
        "pw",
        true,
    ))
    .await
    .unwrap();
    kw.account(None).unwrap()
}

fn run_engine(
    account: &keepwatch_core::Account,
    poll_interval: Duration,
) -> (
    tokio::sync::mpsc::UnboundedReceiver<keepwatch_core::SyncUpdate>,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<keepwatch_core::Result<()>>,
) {
    let engine = SyncEngine::new(
        account.clone(),
        None,
        SyncOptions {
            poll_interval,
            backoff_base: Duration::from_millis(50),
            backoff_cap: Duration::from_millis(200),
            ..Default::default()
        },
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(engine.run(tx, async move {
        let _ = stop_rx.await;
    }));
    (rx, stop_tx, task)
}

#[tokio::test]
async fn without_an_event_stream_the_engine_polls_with_the_etag_at_its_interval() {
    require_secret_service!();
    let server = RawServer::start(with_login_and_refresh(|req, log| {
        match req.path.split('?').next().unwrap_or_default() {
            "/v1/sessions" => {
                if req.header("if-none-match") == Some("\"v1\"") {
                    Reply::Raw(response(
                        304,
                        "application/json",
                        &[("etag", "\"v1\"")],
                        b"",
                    ))
                } else {
                    json_reply(
                        200,
                        &[("etag", "\"v1\"")],
                        &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
                    )
                }
            }
            "/v1/events" => {
                // A sign-in shows up on the third poll.
                let polls = log
                    .iter()
                    .filter(|r| r.path.starts_with("/v1/events?"))
                    .count();
                if polls >= 3 {
                    let mut e = Event::new(1, EventKind::SessionCreated, chrono::Utc::now());
                    e.session = Some(session(
                        "s9",
                        "São Paulo",
                        "Brazil",
                        "BR",
                        "Chrome 124 on Windows 11",
                    ));
                    json_reply(
                        200,
                        &[],
                        &serde_json::to_value(keepwatch_api::EventList {
                            events: vec![e],
                            cursor: 1,
                            has_more: false,
                        })
                        .unwrap(),
                    )
                } else {
                    json_reply(200, &[], &empty_events(0))
                }
            }
            // An older server without the stream.
            "/v1/events/stream" => api_error(404, "not_found", "no such endpoint"),
            _ => api_error(404, "not_found", "no"),
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let account = signed_in_keepwatch(&server, dir.path()).await;
    let started = Instant::now();
    let (mut rx, stop, task) = run_engine(&account, Duration::from_millis(200));
    let alert = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(keepwatch_core::SyncUpdate::Alert { alert, .. }) = rx.recv().await {
                return alert;
            }
        }
    })
    .await
    .expect("the polled sign-in raised an alert");
    assert_eq!(alert.alert.session_id.as_deref(), Some("s9"));
    // Polls are spaced by the interval, not hammered.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let lists = server.requests_to("/v1/sessions");
    assert!(lists.len() >= 3);
    assert!(lists[1..]
        .iter()
        .all(|r| r.header("if-none-match") == Some("\"v1\"")));
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    let _ = keyring::Entry::new("keepwatch", account.id())
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn a_silent_stream_is_given_up_after_the_idle_timeout_and_reopened() {
    require_secret_service!();
    let server = RawServer::start(with_login_and_refresh(|req, _| {
        match req.path.split('?').next().unwrap_or_default() {
            "/v1/sessions" => json_reply(
                200,
                &[],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            ),
            "/v1/events" => json_reply(200, &[], &empty_events(0)),
            // Headers, then nothing at all: no events, no keep-alives.
            "/v1/events/stream" => Reply::Chunks(vec![
                (Duration::ZERO, stream_head()),
                (Duration::from_secs(30), Vec::new()),
            ]),
            _ => api_error(404, "not_found", "no"),
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let account = signed_in_keepwatch(&server, dir.path()).await;
    let (_rx, stop, task) = run_engine(&account, Duration::from_secs(30));
    // The idle timeout is 800 ms in these tests.
    let reopened = eventually(Duration::from_secs(5), || {
        server.requests_to("/v1/events/stream").len() >= 2
    })
    .await;
    assert!(reopened, "the silent stream was reopened");
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    let _ = keyring::Entry::new("keepwatch", account.id())
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn an_events_list_that_always_has_more_does_not_trap_the_sync() {
    require_secret_service!();
    let server = RawServer::start(with_login_and_refresh(|req, _| {
        match req.path.split('?').next().unwrap_or_default() {
            "/v1/sessions" => json_reply(
                200,
                &[],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            ),
            // The same event, "more to come", cursor never moving.
            "/v1/events" => {
                let e = Event::new(1, EventKind::BlocklistChanged, chrono::Utc::now());
                json_reply(
                    200,
                    &[],
                    &serde_json::to_value(keepwatch_api::EventList {
                        events: vec![e],
                        cursor: 1,
                        has_more: true,
                    })
                    .unwrap(),
                )
            }
            _ => api_error(404, "not_found", "no"),
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let account = tokio::time::timeout(
        Duration::from_secs(10),
        signed_in_keepwatch(&server, dir.path()),
    )
    .await
    .expect("login's first sync finished");
    assert!(server.requests_to("/v1/events").len() <= 3);
    let _ = keyring::Entry::new("keepwatch", account.id())
        .unwrap()
        .delete_credential();
}

#[tokio::test]
async fn a_stream_that_says_retry_0_and_closes_after_every_event_is_reopened_at_most_once_a_second()
{
    require_secret_service!();
    let server = RawServer::start(with_login_and_refresh(|req, _| {
        match req.path.split('?').next().unwrap_or_default() {
            "/v1/sessions" => json_reply(
                200,
                &[],
                &session_list(vec![session("own", "Berlin", "Germany", "DE", "Keepwatch")]),
            ),
            "/v1/events" => json_reply(200, &[], &empty_events(0)),
            "/v1/events/stream" => {
                let after: u64 = req
                    .header("last-event-id")
                    .and_then(|id| id.parse().ok())
                    .unwrap_or(0);
                let mut event =
                    Event::new(after + 1, EventKind::WithdrawalCreated, chrono::Utc::now());
                event.revoked_sessions = None;
                Reply::Chunks(vec![
                    (Duration::ZERO, stream_head()),
                    (Duration::ZERO, b"retry: 0\n\n".to_vec()),
                    (Duration::ZERO, sse_event(&event)),
                ])
            }
            _ => api_error(404, "not_found", "no"),
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let account = signed_in_keepwatch(&server, dir.path()).await;
    // The production knobs: only the server's `retry: 0` is hostile here.
    let engine = SyncEngine::new(account.clone(), None, SyncOptions::default());
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(engine.run(tx, async move {
        let _ = stop_rx.await;
    }));
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();

    let opened = server.requests_to("/v1/events/stream");
    assert!(opened.len() >= 2, "the engine reconnected at all");
    assert!(
        opened.len() <= 5,
        "{} stream connections in 4.5 s: a reconnect storm",
        opened.len()
    );
    for pair in opened.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(
            gap >= Duration::from_millis(950),
            "reconnected after {gap:?}"
        );
    }
    let events = account.events(Default::default()).await.unwrap();
    assert_eq!(events.len(), opened.len(), "every event kept, once");
    let _ = keyring::Entry::new("keepwatch", account.id())
        .unwrap()
        .delete_credential();
}
