//! How a session ends, told to its own tokens (401 `session_revoked`) and to its stream before
//! it closes: who ended it, why, and which event records it.

use std::time::Duration;

use keepwatch_api::{
    paths, ApiError, ErrorCode, Event, EventKind, RefreshRequest, Revocation, RevocationReason,
    TokenPair,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

/// The `revocation` a request with `token` is answered with, asserting a 401 `session_revoked`.
async fn revocation_of(t: &TestServer, token: &str) -> Revocation {
    let resp = t.get(paths::SESSIONS, token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: ApiError = resp.json().await.unwrap();
    assert_eq!(body.error, ErrorCode::SessionRevoked, "{body:?}");
    body.revocation.expect("a session_revoked answer says how")
}

/// What refreshing with `pair`'s refresh token is answered with.
async fn refresh_answer(t: &TestServer, pair: &TokenPair) -> (StatusCode, Value) {
    let resp = t
        .client
        .post(t.url(paths::REFRESH))
        .json(&RefreshRequest {
            refresh_token: pair.refresh_token.clone(),
        })
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

fn by(r: &Revocation) -> Option<&str> {
    r.by_session.as_deref()
}

#[tokio::test]
async fn a_revoked_sessions_tokens_say_who_ended_it() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let other = t.login().await;
    let path = paths::with_id(paths::SESSION, &other.session_id);
    let resp = t.delete(&path, &me.access_token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    let revoked = t.events(&me.access_token, 0).await.pop().unwrap();
    assert_eq!(revoked.kind, EventKind::SessionRevoked);
    assert_eq!(revoked.revocation, Some(RevocationReason::RevokedBySession));
    assert_eq!(revoked.cause_event_id, None);

    let r = revocation_of(&t, &other.access_token).await;
    assert_eq!(r.reason, RevocationReason::RevokedBySession);
    assert_eq!(by(&r), Some(me.session_id.as_str()));
    assert_eq!(r.event_id, Some(revoked.id));
    assert_eq!(r.ended_at, t.now());

    // The refresh token tells the same, for a client whose access token had expired.
    let (status, body) = refresh_answer(&t, &other).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "session_revoked");
    assert_eq!(body["revocation"]["reason"], "revoked_by_session");
    assert_eq!(body["revocation"]["by_session"], me.session_id.as_str());

    // Nothing but the reason, a session id of the same account, an event id and a time:
    // no address, place or device of the session that did it, no email.
    let text = body.to_string();
    let keys: Vec<&String> = body["revocation"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["by_session", "ended_at", "event_id", "reason"]);
    assert!(
        !text.contains(EMAIL) && !text.contains("127.0.0.1"),
        "{text}"
    );
}

#[tokio::test]
async fn sign_out_all_others_is_one_event_that_each_ending_points_to() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let a = t.login().await;
    let b = t.login().await;
    let before = t.events(&me.access_token, 0).await.len();
    let resp = t
        .post(paths::REVOKE_OTHERS, &me.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let events: Vec<Event> = t.events(&me.access_token, 0).await.split_off(before);
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::SessionsRevoked,
            EventKind::SessionRevoked,
            EventKind::SessionRevoked
        ],
        "the cause comes first"
    );
    let cause = &events[0];
    assert_eq!(cause.session.as_ref().unwrap().id, me.session_id);
    assert_eq!(cause.revoked_sessions, Some(2));
    for ending in &events[1..] {
        assert_eq!(ending.cause_event_id, Some(cause.id));
        assert_eq!(
            ending.actor_session_id.as_deref(),
            Some(me.session_id.as_str())
        );
    }
    for gone in [&a, &b] {
        let r = revocation_of(&t, &gone.access_token).await;
        assert_eq!(r.reason, RevocationReason::RevokedBySession);
        assert_eq!(by(&r), Some(me.session_id.as_str()));
        assert_eq!(r.event_id, Some(cause.id));
    }

    // With nobody else signed in, nothing happened and no event says it did.
    let count = t.events(&me.access_token, 0).await.len();
    t.post(paths::REVOKE_OTHERS, &me.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(t.events(&me.access_token, 0).await.len(), count);
}

#[tokio::test]
async fn a_password_change_is_told_before_the_sessions_it_ends_and_reaches_their_streams() {
    let t = TestServer::start().await;
    t.user(false).await;
    let intruder = t.login().await;
    let watcher = t.login().await;
    let mut sse = SseReader::new(
        t.get(paths::EVENTS_STREAM, &watcher.access_token)
            .send()
            .await
            .unwrap(),
    );
    let resp = t
        .post(paths::PASSWORD, &intruder.access_token)
        .json(&json!({"current_password": PASSWORD, "new_password": "an entirely new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // The watcher's stream hears of the change, then of its own end, then closes.
    let first = sse.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(first.event.as_deref(), Some("password_changed"));
    let changed: Event = serde_json::from_str(&first.data).unwrap();
    assert_eq!(changed.session.as_ref().unwrap().id, intruder.session_id);
    assert_eq!(changed.revoked_sessions, Some(1));
    let second = sse.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(second.event.as_deref(), Some("session_revoked"));
    let ended: Event = serde_json::from_str(&second.data).unwrap();
    assert_eq!(ended.session.as_ref().unwrap().id, watcher.session_id);
    assert_eq!(ended.revocation, Some(RevocationReason::PasswordChanged));
    assert_eq!(ended.cause_event_id, Some(changed.id));
    assert!(sse.ends_within(Duration::from_secs(5)).await);

    // A client that was polling learns the same on its next call.
    let r = revocation_of(&t, &watcher.access_token).await;
    assert_eq!(r.reason, RevocationReason::PasswordChanged);
    assert_eq!(by(&r), Some(intruder.session_id.as_str()));
    assert_eq!(r.event_id, Some(changed.id));
}

#[tokio::test]
async fn signing_out_expiry_and_token_reuse_each_say_so() {
    let t = TestServer::start().await;
    t.user(false).await;

    let leaving = t.login().await;
    let resp = t
        .post(paths::LOGOUT, &leaving.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let r = revocation_of(&t, &leaving.access_token).await;
    assert_eq!(r.reason, RevocationReason::SignedOut);
    assert_eq!(by(&r), Some(leaving.session_id.as_str()));

    let copied = t.login().await;
    let (status, _) = refresh_answer(&t, &copied).await;
    assert_eq!(status, StatusCode::OK);
    t.advance(keepwatch_server::REFRESH_REUSE_GRACE + chrono::Duration::seconds(1));
    let (status, body) = refresh_answer(&t, &copied).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "session_revoked");
    assert_eq!(body["revocation"]["reason"], "token_reused");
    assert_eq!(body["revocation"]["by_session"], Value::Null);

    let idle = t.login().await;
    let keeper = t.login().await;
    t.advance(chrono::Duration::days(31));
    let r = revocation_of(&t, &idle.access_token).await;
    assert_eq!(r.reason, RevocationReason::Expired);
    assert_eq!(by(&r), None);
    drop(keeper);
}

#[tokio::test]
async fn tokens_never_issued_stay_invalid_and_ended_ones_are_forgotten_after_their_lifetime() {
    let t = TestServer::start().await;
    t.user(false).await;
    expect_error(
        t.get(paths::SESSIONS, "kw_not_a_token")
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;

    let me = t.login().await;
    let other = t.login().await;
    let path = paths::with_id(paths::SESSION, &other.session_id);
    t.delete(&path, &me.access_token).send().await.unwrap();
    t.advance(chrono::Duration::days(29));
    revocation_of(&t, &other.access_token).await;

    // Past the longest the session could have lived (30 idle days for the web), the sweep
    // forgets its tokens: they are unknown from then on.
    t.advance(chrono::Duration::days(2));
    t.server.sweep_expired().await.unwrap();
    expect_error(
        t.get(paths::SESSIONS, &other.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;
}

#[tokio::test]
async fn a_client_that_crashed_before_storing_its_new_token_may_present_the_old_one_once() {
    let t = TestServer::start().await;
    t.user(false).await;
    let first = t.login().await;
    // The server rotates; the client dies before it stores the answer.
    let (status, lost) = refresh_answer(&t, &first).await;
    assert_eq!(status, StatusCode::OK);
    // Back a minute later with the old token: a new pair, the session intact.
    t.advance(chrono::Duration::minutes(1));
    let (status, body) = refresh_answer(&t, &first).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let again: TokenPair = serde_json::from_value(body).unwrap();
    assert_eq!(again.session_id, first.session_id);
    assert_eq!(t.sessions(&again.access_token).await.sessions.len(), 1);
    // The replacement it never stored is dead, and presenting it is reuse.
    let lost: TokenPair = serde_json::from_value(lost).unwrap();
    let (status, body) = refresh_answer(&t, &lost).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["revocation"]["reason"], "token_reused");
}

#[tokio::test]
async fn the_grace_is_once_and_only_while_the_replacement_is_unused() {
    let t = TestServer::start().await;
    t.user(false).await;
    let first = t.login().await;
    let (_, second) = refresh_answer(&t, &first).await;
    let second: TokenPair = serde_json::from_value(second).unwrap();
    // The real client used its replacement: the old token is now a copy.
    let (status, _) = refresh_answer(&t, &second).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = refresh_answer(&t, &first).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["revocation"]["reason"], "token_reused");
}
