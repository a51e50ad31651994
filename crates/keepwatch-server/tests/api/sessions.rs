//! Session list, ETag, revocation, device labels, geolocation, expiry.

use keepwatch_api::{paths, ClientKind, DeviceType, ErrorCode, EventKind, TokenPair};
use keepwatch_geo::fixture::{BERLIN_V4, SAO_PAULO_V4};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn list_has_an_etag_and_answers_304_until_it_changes() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'));

    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(resp.headers()["etag"], etag.as_str());
    assert!(resp.bytes().await.unwrap().is_empty());

    // A stale tag gets the full list.
    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .header("if-none-match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // A new session changes it.
    t.login().await;
    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_ne!(resp.headers()["etag"], etag.as_str());
}

#[tokio::test]
async fn revoke_one_refuses_the_current_and_unknown_ones() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let other = t.login().await;

    let path = paths::with_id(paths::SESSION, &me.session_id);
    expect_error(
        t.delete(&path, &me.access_token).send().await.unwrap(),
        StatusCode::CONFLICT,
        ErrorCode::CurrentSession,
    )
    .await;
    let unknown = paths::with_id(paths::SESSION, "ses_nope");
    expect_error(
        t.delete(&unknown, &me.access_token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;

    // Another account's session is not found either.
    t.server
        .add_user("bob@example.com", "bobs password here", false)
        .await
        .unwrap();
    let bob: TokenPair = t
        .login_raw(
            &json!({"email": "bob@example.com", "password": "bobs password here", "client": "web"}),
            None,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let bobs = paths::with_id(paths::SESSION, &bob.session_id);
    expect_error(
        t.delete(&bobs, &me.access_token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert_eq!(
        t.get(paths::SESSIONS, &bob.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let path = paths::with_id(paths::SESSION, &other.session_id);
    assert_eq!(
        t.delete(&path, &me.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_error(
        t.get(paths::SESSIONS, &other.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    expect_error(
        t.delete(&path, &me.access_token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    let list = t.sessions(&me.access_token).await;
    assert_eq!(
        list.sessions
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        [me.session_id.as_str()]
    );

    let events = t.events(&me.access_token, 0).await;
    let last = events.last().unwrap();
    assert_eq!(last.kind, EventKind::SessionRevoked);
    assert_eq!(last.session.as_ref().unwrap().id, other.session_id);
    assert_eq!(
        last.actor_session_id.as_deref(),
        Some(me.session_id.as_str())
    );
}

#[tokio::test]
async fn revoke_others_keeps_only_the_caller() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let a = t.login().await;
    let b = t.login().await;
    let resp = t
        .post(paths::REVOKE_OTHERS, &me.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"revoked": 2})
    );
    for gone in [&a, &b] {
        expect_error(
            t.get(paths::SESSIONS, &gone.access_token)
                .send()
                .await
                .unwrap(),
            StatusCode::UNAUTHORIZED,
            ErrorCode::SessionRevoked,
        )
        .await;
    }
    assert_eq!(t.sessions(&me.access_token).await.sessions.len(), 1);
    let resp = t
        .post(paths::REVOKE_OTHERS, &me.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"revoked": 0})
    );
}

struct Browser {
    ua: &'static str,
    platform: Option<&'static str>,
    platform_version: Option<&'static str>,
    browser: &'static str,
    os: &'static str,
    device_type: DeviceType,
    label: &'static str,
}

const BROWSERS: &[Browser] = &[
    Browser {
        ua: CHROME_MAC,
        platform: Some("\"macOS\""),
        platform_version: Some("\"14.4.1\""),
        browser: "Chrome",
        os: "macOS",
        device_type: DeviceType::Desktop,
        label: "Chrome 124 on macOS Sonoma",
    },
    Browser {
        ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        platform: None,
        platform_version: None,
        browser: "Firefox",
        os: "Windows",
        device_type: DeviceType::Desktop,
        label: "Firefox 125 on Windows",
    },
    Browser {
        ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        platform: None,
        platform_version: None,
        browser: "Safari",
        os: "macOS",
        device_type: DeviceType::Desktop,
        label: "Safari 17 on macOS",
    },
    Browser {
        ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        platform: Some("\"Windows\""),
        platform_version: Some("\"15.0.0\""),
        browser: "Edge",
        os: "Windows",
        device_type: DeviceType::Desktop,
        label: "Edge 124 on Windows 11",
    },
    Browser {
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        platform: None,
        platform_version: None,
        browser: "Safari",
        os: "iOS",
        device_type: DeviceType::Mobile,
        label: "Safari 17 on iPhone (iOS 17.4)",
    },
    Browser {
        ua: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        platform: Some("\"Android\""),
        platform_version: Some("\"14.0.0\""),
        browser: "Chrome",
        os: "Android",
        device_type: DeviceType::Mobile,
        label: "Chrome 124 on Android 14",
    },
];

#[tokio::test]
async fn devices_are_labelled_from_user_agent_and_client_hints() {
    let t = TestServer::start().await;
    t.user(false).await;
    let mut ids = Vec::new();
    for b in BROWSERS {
        let mut req = t
            .client
            .post(t.url(paths::LOGIN))
            .json(&password_body())
            .header("user-agent", b.ua);
        if let Some(p) = b.platform {
            req = req.header(paths::HEADER_CH_PLATFORM, p);
        }
        if let Some(v) = b.platform_version {
            req = req.header(paths::HEADER_CH_PLATFORM_VERSION, v);
        }
        let pair: TokenPair = req.send().await.unwrap().json().await.unwrap();
        ids.push(pair);
    }
    let list = t.sessions(&ids[0].access_token).await;
    for (b, pair) in BROWSERS.iter().zip(&ids) {
        let s = list
            .sessions
            .iter()
            .find(|s| s.id == pair.session_id)
            .unwrap();
        let d = &s.device;
        assert!(
            d.browser.as_deref().unwrap_or("").contains(b.browser),
            "{:?} for {}",
            d,
            b.ua
        );
        assert_eq!(d.os.as_deref(), Some(b.os), "{d:?}");
        assert_eq!(d.device_type, b.device_type, "{d:?}");
        assert_eq!(d.label, b.label);
        assert_eq!(d.user_agent.as_deref(), Some(b.ua));
    }
    // No User-Agent at all still yields a label.
    let resp = t
        .client
        .post(t.url(paths::LOGIN))
        .json(&password_body())
        .send()
        .await
        .unwrap();
    let pair: TokenPair = resp.json().await.unwrap();
    let list = t.sessions(&ids[0].access_token).await;
    let bare = list
        .sessions
        .iter()
        .find(|s| s.id == pair.session_id)
        .unwrap();
    assert!(!bare.device.label.is_empty());
}

#[tokio::test]
async fn sessions_carry_location_and_network_and_follow_the_last_address() {
    let t = TestServer::start().await;
    t.user(false).await;
    let berlin = t
        .login_from(Some(BERLIN_V4.to_string().parse().unwrap()), CHROME_MAC)
        .await;
    let private = t.login_from(Some(ip("10.1.2.3")), CHROME_MAC).await;
    // Every request moves its own session's address, so look from a third session.
    let observer = t.login().await;
    let list = t.sessions(&observer.access_token).await;
    let s = list
        .sessions
        .iter()
        .find(|s| s.id == berlin.session_id)
        .unwrap();
    assert_eq!(s.ip, BERLIN_V4.to_string());
    assert_eq!(s.location.country_code.as_deref(), Some("DE"));
    assert_eq!(s.location.city.as_deref(), Some("Berlin"));
    assert!(
        s.network.asn.is_some() && s.network.isp.is_some(),
        "{:?}",
        s.network
    );
    let p = list
        .sessions
        .iter()
        .find(|s| s.id == private.session_id)
        .unwrap();
    assert_eq!(p.ip, "10.1.2.3");
    assert_eq!(p.location, keepwatch_api::Location::default());

    // The Berlin session is used from São Paulo a minute later: its address and activity move.
    t.advance(chrono::Duration::minutes(2));
    let resp = t
        .get(paths::SESSIONS, &berlin.access_token)
        .header("x-forwarded-for", SAO_PAULO_V4.to_string())
        .send()
        .await
        .unwrap();
    let list: keepwatch_api::SessionList = resp.json().await.unwrap();
    let s = list
        .sessions
        .iter()
        .find(|s| s.id == berlin.session_id)
        .unwrap();
    assert_eq!(s.ip, SAO_PAULO_V4.to_string());
    assert_eq!(s.location.country_code.as_deref(), Some("BR"));
    assert_eq!(s.last_active_at, t.now());
    assert_eq!(s.created_at, t.now() - chrono::Duration::minutes(2));
}

#[tokio::test]
async fn idle_sessions_expire_by_client_kind_and_session_length() {
    // The idle rules alone: the absolute lifetime, tested below, is moved out of the way.
    let mut options = Options::default();
    options.limits.session_max_age = std::time::Duration::from_secs(365 * 24 * 60 * 60);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let t = &t;
    let login = |client: &str, remember: bool| {
        let body = json!({"email": EMAIL, "password": PASSWORD, "client": client, "remember_me": remember});
        async move {
            let resp = t.login_raw(&body, None, None).await;
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<TokenPair>().await.unwrap()
        }
    };
    let web = login("web", true).await;
    let short = login("web", false).await;
    let desktop_short = login("desktop", false).await;
    let mobile = login("mobile_pwa", false).await;
    let list = t.sessions(&web.access_token).await;
    let expires = |id: &str| {
        list.sessions
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .expires_at
    };
    assert_eq!(
        expires(&web.session_id),
        t.now() + chrono::Duration::days(30)
    );
    assert_eq!(
        expires(&short.session_id),
        t.now() + chrono::Duration::hours(12)
    );
    assert_eq!(
        expires(&desktop_short.session_id),
        t.now() + chrono::Duration::days(30)
    );
    assert_eq!(
        expires(&mobile.session_id),
        t.now() + chrono::Duration::days(90)
    );
    assert_eq!(
        list.sessions
            .iter()
            .find(|s| s.id == mobile.session_id)
            .unwrap()
            .client,
        ClientKind::MobilePwa
    );

    // 12 hours later the un-remembered web session is gone even though it was busy.
    let refresh = |pair: &TokenPair| {
        t.client
            .post(t.url(paths::REFRESH))
            .json(&json!({"refresh_token": pair.refresh_token}))
            .send()
    };
    t.advance(chrono::Duration::hours(6));
    let short = refresh(&short)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    t.advance(chrono::Duration::hours(6));
    expect_error(
        refresh(&short).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;

    // Keep the remembered web session alive; let the desktop one idle out at 30 days.
    let mut web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    t.advance(chrono::Duration::days(29) - chrono::Duration::hours(12));
    web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    t.advance(chrono::Duration::days(1) + chrono::Duration::hours(1));
    expect_error(
        refresh(&desktop_short).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    t.advance(chrono::Duration::days(29) - chrono::Duration::hours(1));
    web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    t.advance(chrono::Duration::days(29));
    web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    // Mobile lives 90 days; the sweep finds it without any request.
    t.advance(chrono::Duration::days(2) - chrono::Duration::seconds(1));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 0);
    t.advance(chrono::Duration::seconds(1));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 1);
    web = refresh(&web)
        .await
        .unwrap()
        .json::<TokenPair>()
        .await
        .unwrap();
    let events = t.events(&web.access_token, 0).await;
    let expired: Vec<&str> = events
        .iter()
        .filter(|e| e.kind == EventKind::SessionExpired)
        .map(|e| e.session.as_ref().unwrap().id.as_str())
        .collect();
    assert_eq!(
        expired,
        [
            short.session_id.as_str(),
            desktop_short.session_id.as_str(),
            mobile.session_id.as_str()
        ]
    );

    // A shorter setting applies at once to existing sessions.
    let resp = t
        .put(paths::SESSION_LENGTH, &web.access_token)
        .json(&json!({"web_idle_days": 1, "mobile_idle_days": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let list = t.sessions(&web.access_token).await;
    assert_eq!(
        list.sessions[0].expires_at,
        t.now() + chrono::Duration::days(1)
    );
    t.advance(chrono::Duration::days(1));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 1);
    expect_error(
        t.get(paths::SESSIONS, &web.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
}

#[tokio::test]
async fn busy_sessions_still_end_at_their_absolute_lifetime() {
    let mut options = Options::default();
    options.limits.session_max_age = std::time::Duration::from_secs(30 * 24 * 60 * 60);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let remembered = t.login().await;
    let mobile = t
        .login_raw(
            &json!({"email": EMAIL, "password": PASSWORD, "client": "mobile_pwa", "remember_me": true}),
            None,
            None,
        )
        .await
        .json::<TokenPair>()
        .await
        .unwrap();
    let list = t.sessions(&mobile.access_token).await;
    // Mobile would idle for 90 days; the absolute end comes first and is what is shown.
    let start = t.now();
    assert!(list
        .sessions
        .iter()
        .all(|s| s.expires_at == start + chrono::Duration::days(30)));

    // Busy every day, still over at 30 days.
    let mut pairs = vec![remembered, mobile];
    for _ in 0..29 {
        t.advance(chrono::Duration::days(1));
        for pair in pairs.iter_mut() {
            let resp = t
                .client
                .post(t.url(paths::REFRESH))
                .json(&json!({"refresh_token": pair.refresh_token}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            *pair = resp.json().await.unwrap();
        }
    }
    t.advance(chrono::Duration::days(1) - chrono::Duration::seconds(1));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 0);
    t.advance(chrono::Duration::seconds(1));
    assert_eq!(t.server.sweep_expired().await.unwrap(), 2);
    for pair in &pairs {
        let resp = t
            .get(paths::SESSIONS, &pair.access_token)
            .send()
            .await
            .unwrap();
        let body: keepwatch_api::ApiError = resp.json().await.unwrap();
        assert_eq!(body.error, ErrorCode::SessionRevoked);
        assert_eq!(
            body.revocation.unwrap().reason,
            keepwatch_api::RevocationReason::Expired
        );
    }
}
