//! IP blocklist, session length, sign-in history.

use keepwatch_api::{
    paths, BlocklistAction, BlocklistEntry, ErrorCode, EventKind, LoginAttempt, LoginOutcome,
    SessionLength,
};
use keepwatch_geo::fixture::{BERLIN_V4, SAO_PAULO_V4};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

async fn block(t: &TestServer, token: &str, address: &str) -> reqwest::Response {
    t.post(paths::IP_BLOCKLIST, token)
        .json(&json!({"address": address, "note": "seen in an alert"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn blocklist_v4_range_blocks_sign_in_and_requests() {
    let t = TestServer::start().await;
    t.user(false).await;
    let sao_paulo = SAO_PAULO_V4.to_string().parse().unwrap();
    let me = t.login().await;
    let intruder = t.login_from(Some(sao_paulo), CHROME_MAC).await;

    let resp = block(&t, &me.access_token, "198.51.100.55/28").await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let entry: BlocklistEntry = resp.json().await.unwrap();
    assert_eq!(entry.cidr, "198.51.100.48/28");
    assert_eq!(entry.note.as_deref(), Some("seen in an alert"));
    assert_eq!(entry.created_at, t.now());

    expect_error(
        t.login_raw(&password_body(), Some(sao_paulo), None).await,
        StatusCode::FORBIDDEN,
        ErrorCode::IpBlocked,
    )
    .await;
    let from_blocked = t
        .get(paths::SESSIONS, &intruder.access_token)
        .header("x-forwarded-for", SAO_PAULO_V4.to_string());
    expect_error(
        from_blocked.send().await.unwrap(),
        StatusCode::FORBIDDEN,
        ErrorCode::IpBlocked,
    )
    .await;
    let resp = t
        .client
        .post(t.url(paths::REFRESH))
        .header("x-forwarded-for", SAO_PAULO_V4.to_string())
        .json(&json!({"refresh_token": intruder.refresh_token}))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::FORBIDDEN, ErrorCode::IpBlocked).await;
    // Other addresses are fine.
    t.login_from(Some(BERLIN_V4.to_string().parse().unwrap()), CHROME_MAC)
        .await;

    let list: Vec<BlocklistEntry> = t
        .get(paths::IP_BLOCKLIST, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list, vec![entry.clone()]);
    let history: Vec<LoginAttempt> = t
        .get(paths::LOGIN_HISTORY, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(history
        .iter()
        .any(|a| a.outcome == LoginOutcome::IpBlocked && a.ip == SAO_PAULO_V4));

    let path = paths::with_id(paths::IP_BLOCKLIST_ENTRY, &entry.id);
    assert_eq!(
        t.delete(&path, &me.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_error(
        t.delete(&path, &me.access_token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    t.login_from(Some(sao_paulo), CHROME_MAC).await;

    let events = t.events(&me.access_token, 0).await;
    let changes: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::BlocklistChanged)
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].blocklist_action, Some(BlocklistAction::Added));
    assert_eq!(changes[1].blocklist_action, Some(BlocklistAction::Removed));
    assert_eq!(changes[1].blocklist_entry.as_ref(), Some(&entry));
}

#[tokio::test]
async fn blocklist_v6_addresses_and_ranges() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let single: BlocklistEntry = block(&t, &me.access_token, "2001:db8::1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(single.cidr, "2001:db8::1/128");
    let range: BlocklistEntry = block(&t, &me.access_token, "2001:db8:1:2::5/48")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(range.cidr, "2001:db8:1::/48");
    let v4: BlocklistEntry = block(&t, &me.access_token, "203.0.113.9")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v4.cidr, "203.0.113.9/32");

    for blocked in ["2001:db8::1", "2001:db8:1:ffff::9", "203.0.113.9"] {
        expect_error(
            t.login_raw(&password_body(), Some(ip(blocked)), None).await,
            StatusCode::FORBIDDEN,
            ErrorCode::IpBlocked,
        )
        .await;
    }
    for allowed in ["2001:db8::2", "2001:db8:2::1", "203.0.113.10"] {
        assert_eq!(
            t.login_raw(&password_body(), Some(ip(allowed)), None)
                .await
                .status(),
            StatusCode::OK,
            "{allowed}"
        );
    }
}

#[tokio::test]
async fn blocklist_refuses_self_block_and_bad_input() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    for own in ["127.0.0.1", "127.0.0.0/8", "0.0.0.0/0", "::ffff:127.0.0.1"] {
        expect_error(
            block(&t, &me.access_token, own).await,
            StatusCode::CONFLICT,
            ErrorCode::CurrentSession,
        )
        .await;
    }
    // Behind a trusted proxy "own" means the forwarded client address.
    let resp = t
        .post(paths::IP_BLOCKLIST, &me.access_token)
        .header("x-forwarded-for", "203.0.113.50")
        .json(&json!({"address": "203.0.113.0/24"}))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::CONFLICT, ErrorCode::CurrentSession).await;
    for bad in [
        "",
        "not an ip",
        "300.1.2.3",
        "10.0.0.0/33",
        "2001:db8::/129",
        "1.2.3.4/x",
    ] {
        expect_error(
            block(&t, &me.access_token, bad).await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
        )
        .await;
    }
    let long = "x".repeat(201);
    let resp = t
        .post(paths::IP_BLOCKLIST, &me.access_token)
        .json(&json!({"address": "192.0.2.1", "note": long}))
        .send()
        .await
        .unwrap();
    expect_error(
        resp,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidValue,
    )
    .await;
    let list: Vec<BlocklistEntry> = t
        .get(paths::IP_BLOCKLIST, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.is_empty(), "nothing refused was stored");
}

#[tokio::test]
async fn session_length_defaults_and_ranges() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let got: SessionLength = t
        .get(paths::SESSION_LENGTH, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        got,
        SessionLength {
            web_idle_days: 30,
            mobile_idle_days: 90
        }
    );
    for (web, mobile) in [(0, 90), (31, 90), (30, 0), (30, 91)] {
        let resp = t
            .put(paths::SESSION_LENGTH, &me.access_token)
            .json(&json!({"web_idle_days": web, "mobile_idle_days": mobile}))
            .send()
            .await
            .unwrap();
        expect_error(
            resp,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidValue,
        )
        .await;
    }
    for bad in [
        json!({"web_idle_days": 5}),
        json!({"web_idle_days": -1, "mobile_idle_days": 5}),
        json!({"web_idle_days": 5, "mobile_idle_days": 5, "x": 1}),
    ] {
        let resp = t
            .put(paths::SESSION_LENGTH, &me.access_token)
            .json(&bad)
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest).await;
    }
    let resp = t
        .put(paths::SESSION_LENGTH, &me.access_token)
        .json(&json!({"web_idle_days": 7, "mobile_idle_days": 14}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let got: SessionLength = t
        .get(paths::SESSION_LENGTH, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        got,
        SessionLength {
            web_idle_days: 7,
            mobile_idle_days: 14
        }
    );
}

#[tokio::test]
async fn login_history_records_successes_and_failures_with_place_and_device() {
    let t = TestServer::start().await;
    t.user(false).await;
    let berlin = BERLIN_V4.to_string().parse().unwrap();
    let firefox =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";
    t.login_raw(
        &json!({"email": EMAIL, "password": "wrong password", "client": "web"}),
        Some(berlin),
        Some(firefox),
    )
    .await;
    let me = t.login_from(Some(berlin), CHROME_MAC).await;
    let history: Vec<LoginAttempt> = t
        .get(paths::LOGIN_HISTORY, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].outcome, LoginOutcome::Success);
    assert_eq!(
        history[0].session_id.as_deref(),
        Some(me.session_id.as_str())
    );
    assert_eq!(history[0].device.browser.as_deref(), Some("Chrome"));
    assert_eq!(history[1].outcome, LoginOutcome::InvalidCredentials);
    assert_eq!(history[1].session_id, None);
    assert_eq!(history[1].device.browser.as_deref(), Some("Firefox"));
    for a in &history {
        assert_eq!(a.ip, BERLIN_V4.to_string());
        assert_eq!(a.location.country_code.as_deref(), Some("DE"));
    }
    let one: Vec<LoginAttempt> = t
        .get(
            &format!("{}?limit=1", paths::LOGIN_HISTORY),
            &me.access_token,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    expect_error(
        t.get(
            &format!("{}?limit=999", paths::LOGIN_HISTORY),
            &me.access_token,
        )
        .send()
        .await
        .unwrap(),
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidRequest,
    )
    .await;

    // The failure was also an event, with the attempt.
    let events = t.events(&me.access_token, 0).await;
    let failed = events
        .iter()
        .find(|e| e.kind == EventKind::LoginFailed)
        .unwrap();
    assert_eq!(
        failed.attempt.as_ref().unwrap().outcome,
        LoginOutcome::InvalidCredentials
    );
}
