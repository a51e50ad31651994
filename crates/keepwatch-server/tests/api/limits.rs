//! Bounded work under abuse: password hashing, event streams, slow bodies, long replays.

use std::time::Duration;

use futures_util::future::join_all;
use keepwatch_api::{paths, ErrorCode, Event};
use keepwatch_server::PasswordCost;
use reqwest::StatusCode;

use crate::support::*;

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn sign_ins_beyond_the_hashing_capacity_get_503_with_retry_after() {
    let mut options = Options::default();
    // One hash at a time, nobody waits, and a cost that takes some milliseconds, so that
    // sign-ins sent together overlap.
    options.limits.password_workers = 1;
    options.limits.password_queue = 0;
    options.limits.password_cost = PasswordCost {
        memory_kib: 16 * 1024,
        iterations: 2,
        parallelism: 1,
    };
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let body = password_body();
    let answers = join_all((0..8).map(|_| t.login_raw(&body, None, Some(CHROME_MAC)))).await;
    let (mut ok, mut busy) = (0, 0);
    for resp in answers {
        match resp.status() {
            StatusCode::OK => ok += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                let headers = expect_error(
                    resp,
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::Unavailable,
                )
                .await;
                assert_eq!(headers["retry-after"], "1");
                busy += 1;
            }
            other => panic!("unexpected {other}: {:?}", resp.text().await),
        }
    }
    assert!(ok >= 1 && busy >= 1, "{ok} signed in, {busy} refused");
    // The refusals cost nothing lasting: the next sign-in works.
    t.login().await;
}

async fn open_stream(
    t: &TestServer,
    token: &str,
    from: &str,
    last_event_id: Option<u64>,
) -> reqwest::Response {
    let mut req = t
        .get(paths::EVENTS_STREAM, token)
        .header("x-forwarded-for", from);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    req.send().await.unwrap()
}

/// Asserts that a stream request was refused, before reading a body that would never end if
/// it was not.
async fn refused(resp: reqwest::Response, status: StatusCode, code: ErrorCode) {
    assert_eq!(resp.status(), status, "the stream was not refused");
    let headers = expect_error(resp, status, code).await;
    assert!(headers.contains_key("retry-after"));
}

#[tokio::test]
async fn event_streams_are_capped_per_session_per_address_and_in_total() {
    let mut options = Options::default();
    options.limits.event_streams_per_session = 2;
    options.limits.event_streams_per_address = 3;
    options.limits.event_streams_total = 4;
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let (a, b) = ("198.51.100.1", "198.51.100.2");
    let s1 = t.login_from(Some(ip(a)), CHROME_MAC).await;
    let s2 = t.login_from(Some(ip(a)), CHROME_MAC).await;
    let s3 = t.login_from(Some(ip(b)), CHROME_MAC).await;
    let s4 = t.login_from(Some(ip(b)), CHROME_MAC).await;

    let first = SseReader::new(open_stream(&t, &s1.access_token, a, None).await);
    let _second = SseReader::new(open_stream(&t, &s1.access_token, a, None).await);
    // Per session: a third stream of s1 is refused, from any address.
    refused(
        open_stream(&t, &s1.access_token, b, None).await,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    // Per address: a is at three with s2's stream; a fourth from a is refused.
    let _third = SseReader::new(open_stream(&t, &s2.access_token, a, None).await);
    refused(
        open_stream(&t, &s2.access_token, a, None).await,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    // In total: the fourth stream fills the server; the fifth, from elsewhere, gets 503.
    let _fourth = SseReader::new(open_stream(&t, &s3.access_token, b, None).await);
    refused(
        open_stream(&t, &s4.access_token, b, None).await,
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
    )
    .await;

    // A stream that goes away gives its place back.
    drop(first);
    assert!(
        eventually(WAIT, || async {
            open_stream(&t, &s4.access_token, b, None).await.status() == StatusCode::OK
        })
        .await,
        "a closed stream's place was never freed"
    );
}

#[tokio::test]
async fn a_slow_request_body_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut options = Options::default();
    options.limits.body_read_timeout = Duration::from_millis(300);
    let t = TestServer::start_with(options).await;
    let mut conn = tokio::net::TcpStream::connect(t.server.local_addr())
        .await
        .unwrap();
    // The headers are complete; the body never is.
    conn.write_all(
        b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"email\":",
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(WAIT, conn.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server kept waiting for the body");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("invalid_request"), "{text}");
}

#[tokio::test]
async fn replay_from_zero_comes_in_pages_in_order_without_loss_or_repeats() {
    let mut options = Options::default();
    options.limits.event_replay_page = 3;
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let me = t.login().await; // event 1
    for i in 0..10 {
        t.server
            .add_withdrawal(EMAIL, "BTC", "0.1", &format!("bc1qpage{i}"), false, None)
            .await
            .unwrap(); // 2..=11
    }
    let mut sse = SseReader::new(open_stream(&t, &me.access_token, "127.0.0.1", Some(0)).await);
    let mut ids = Vec::new();
    for _ in 0..11 {
        let msg = sse.next(WAIT).await.expect("a replayed event");
        ids.push(serde_json::from_str::<Event>(&msg.data).unwrap().id);
    }
    assert_eq!(ids, (1..=11).collect::<Vec<_>>());
    // Then live, once.
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.2", "bc1qlive", false, None)
        .await
        .unwrap(); // 12
    let msg = sse.next(WAIT).await.unwrap();
    assert_eq!(serde_json::from_str::<Event>(&msg.data).unwrap().id, 12);
    assert!(sse.next(Duration::from_millis(300)).await.is_none());
}

#[tokio::test]
async fn a_stream_ends_at_its_maximum_age_and_resumes_without_loss() {
    let mut options = Options::default();
    options.limits.event_stream_max_age = Duration::from_millis(400);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let me = t.login().await; // event 1
    let mut sse = SseReader::new(open_stream(&t, &me.access_token, "127.0.0.1", Some(0)).await);
    let first = sse.next(WAIT).await.unwrap();
    assert_eq!(first.id.as_deref(), Some("1"));
    assert!(
        sse.ends_within(WAIT).await,
        "the stream outlived its maximum age"
    );
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.1", "bc1qgap", false, None)
        .await
        .unwrap(); // 2, while no stream is open
    let mut again = SseReader::new(open_stream(&t, &me.access_token, "127.0.0.1", Some(1)).await);
    assert_eq!(again.next(WAIT).await.unwrap().id.as_deref(), Some("2"));
}
