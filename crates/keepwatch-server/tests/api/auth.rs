//! Sign-in, 2FA, lockout, rate limit, trusted devices, refresh rotation, logout.

use keepwatch_api::{paths, ErrorCode, EventKind, LoginOutcome, TokenPair};
use keepwatch_server::totp_now;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn password_sign_in_and_wrong_credentials() {
    let t = TestServer::start().await;
    t.user(false).await;

    let wrong = json!({"email": EMAIL, "password": "nope nope nope", "client": "web"});
    expect_error(
        t.login_raw(&wrong, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let unknown = json!({"email": "bob@example.com", "password": PASSWORD, "client": "web"});
    expect_error(
        t.login_raw(&unknown, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;

    let pair = t.login().await;
    assert_eq!(pair.token_type, "Bearer");
    assert_eq!(pair.expires_in, 15 * 60);
    assert_ne!(pair.access_token, pair.refresh_token);
    assert!(pair.device_token.is_none());
    let list = t.sessions(&pair.access_token).await;
    assert_eq!(list.current_session_id, pair.session_id);
    assert_eq!(list.sessions.len(), 1);
    assert!(list.sessions[0].current);

    // Email case does not matter.
    let upper = json!({"email": EMAIL.to_uppercase(), "password": PASSWORD, "client": "desktop"});
    assert_eq!(
        t.login_raw(&upper, None, None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn totp_and_backup_codes() {
    let t = TestServer::start().await;
    let user = t.user(true).await;
    let secret = user.totp_secret.clone().unwrap();
    assert_eq!(user.backup_codes.len(), 10);

    expect_error(
        t.login_raw(&password_body(), None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::TotpRequired,
    )
    .await;
    let mut body = password_body();
    body["totp_code"] = json!("000000");
    if totp_now(&secret, t.now()) == "000000" {
        body["totp_code"] = json!("111111");
    }
    expect_error(
        t.login_raw(&body, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;

    // One step of drift is accepted, two are not.
    body["totp_code"] = json!(totp_now(&secret, t.now() - chrono::Duration::seconds(90)));
    expect_error(
        t.login_raw(&body, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;
    body["totp_code"] = json!(totp_now(&secret, t.now() - chrono::Duration::seconds(30)));
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );
    body["totp_code"] = json!(totp_now(&secret, t.now()));
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );
    // A code is good once: replaying it (or an older one) while still fresh fails.
    expect_error(
        t.login_raw(&body, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;
    body["totp_code"] = json!(totp_now(&secret, t.now() - chrono::Duration::seconds(30)));
    expect_error(
        t.login_raw(&body, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;
    // The next step's code works again.
    t.advance(chrono::Duration::seconds(30));
    body["totp_code"] = json!(totp_now(&secret, t.now()));
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );

    // A backup code works once, typed in any case.
    let mut body = password_body();
    body["backup_code"] = json!(user.backup_codes[0].to_uppercase());
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );
    expect_error(
        t.login_raw(&body, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;
}

#[tokio::test]
async fn five_failures_lock_the_account_for_thirty_minutes() {
    let t = TestServer::start().await;
    t.user(false).await;
    t.login().await;
    let wrong = json!({"email": EMAIL, "password": "wrong password!", "client": "web"});
    for _ in 0..4 {
        expect_error(
            t.login_raw(&wrong, None, None).await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    let headers = expect_error(
        t.login_raw(&wrong, None, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    assert_eq!(headers["retry-after"], "1800");

    // Even the right password is refused while locked.
    t.advance(chrono::Duration::minutes(29));
    let headers = expect_error(
        t.login_raw(&password_body(), None, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    assert_eq!(headers["retry-after"], "60");

    t.advance(chrono::Duration::minutes(1));
    let pair = t.login().await;

    // Events: five login_failed, one account_locked, one login_failed while locked.
    let events = t.events(&pair.access_token, 0).await;
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EventKind::LoginFailed)
            .count(),
        6,
        "{kinds:?}"
    );
    let locked: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::AccountLocked)
        .collect();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].locked_until, Some(t.now()));
    assert!(locked[0].attempt.is_some());

    // And the history, newest first.
    let history: Vec<keepwatch_api::LoginAttempt> = t
        .get(paths::LOGIN_HISTORY, &pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let outcomes: Vec<LoginOutcome> = history.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes[0], LoginOutcome::Success);
    assert_eq!(outcomes[1], LoginOutcome::AccountLocked);
    assert_eq!(outcomes[2..7], [LoginOutcome::InvalidCredentials; 5]);

    // A success resets the count: four more failures do not lock.
    for _ in 0..4 {
        expect_error(
            t.login_raw(&wrong, None, None).await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    t.login().await;
}

#[tokio::test]
async fn sign_ins_are_rate_limited_per_address() {
    let mut options = Options::default();
    options.limits.login_rate_max = 3;
    options.limits.login_rate_window = std::time::Duration::from_secs(60);
    let t = TestServer::start_with(options).await;
    t.user(false).await;
    let a = Some(ip("192.0.2.50"));
    for _ in 0..3 {
        t.login_raw(&password_body(), a, None).await;
    }
    let headers = expect_error(
        t.login_raw(&password_body(), a, None).await,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    )
    .await;
    assert_eq!(headers["retry-after"], "60");
    // Another address is not affected; the window slides.
    assert_eq!(
        t.login_raw(&password_body(), Some(ip("192.0.2.51")), None)
            .await
            .status(),
        StatusCode::OK
    );
    t.advance(chrono::Duration::seconds(61));
    assert_eq!(
        t.login_raw(&password_body(), a, None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn trusted_device_skips_two_factor_for_thirty_days() {
    let t = TestServer::start().await;
    let user = t.user(true).await;
    let secret = user.totp_secret.unwrap();
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(&secret, t.now()));
    body["trust_device"] = json!(true);
    let resp = t.login_raw(&body, None, Some(CHROME_MAC)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let pair: TokenPair = resp.json().await.unwrap();
    let device_token = pair.device_token.clone().expect("a device token");
    assert!(t.sessions(&pair.access_token).await.sessions[0].trusted_device);

    let mut trusted = password_body();
    trusted["device_token"] = json!(device_token);
    let resp = t.login_raw(&trusted, None, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let second: TokenPair = resp.json().await.unwrap();
    assert!(
        second.device_token.is_none(),
        "no new device without a 2FA step"
    );

    let devices: Vec<keepwatch_api::TrustedDevice> = t
        .get(paths::TRUSTED_DEVICES, &pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].expires_at, t.now() + chrono::Duration::days(30));
    assert_eq!(devices[0].device.browser.as_deref(), Some("Chrome"));
    let events = t.events(&pair.access_token, 0).await;
    assert!(events
        .iter()
        .any(|e| e.kind == EventKind::TrustedDeviceAdded
            && e.trusted_device.as_ref().map(|d| &d.id) == Some(&devices[0].id)));

    // After 30 days it no longer counts.
    t.advance(chrono::Duration::days(30));
    expect_error(
        t.login_raw(&trusted, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::TotpRequired,
    )
    .await;

    // Forgetting: a fresh trusted device, then DELETE it.
    body["totp_code"] = json!(totp_now(&secret, t.now()));
    let pair: TokenPair = t.login_raw(&body, None, None).await.json().await.unwrap();
    let devices: Vec<keepwatch_api::TrustedDevice> = t
        .get(paths::TRUSTED_DEVICES, &pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(devices.len(), 1);
    let path = paths::with_id(paths::TRUSTED_DEVICE, &devices[0].id);
    assert_eq!(
        t.delete(&path, &pair.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_error(
        t.delete(&path, &pair.access_token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    let mut again = password_body();
    again["device_token"] = json!(pair.device_token.clone().unwrap());
    expect_error(
        t.login_raw(&again, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::TotpRequired,
    )
    .await;
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let t = TestServer::start().await;
    t.user(false).await;
    let first = t.login().await;
    let refresh = |token: &str| {
        t.client
            .post(t.url(paths::REFRESH))
            .json(&json!({"refresh_token": token}))
            .send()
    };
    let resp = refresh(&first.refresh_token).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let second: TokenPair = resp.json().await.unwrap();
    assert_eq!(second.session_id, first.session_id);
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        t.get(paths::SESSIONS, &second.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // The rotated token again, past the grace a crashed client gets: refused, and the whole
    // session ends.
    t.advance(keepwatch_server::REFRESH_REUSE_GRACE + chrono::Duration::seconds(1));
    expect_error(
        refresh(&first.refresh_token).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    expect_error(
        t.get(paths::SESSIONS, &second.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    expect_error(
        refresh(&second.refresh_token).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    expect_error(
        refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;

    let other = t.login().await;
    let events = t.events(&other.access_token, 0).await;
    let revoked: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::SessionRevoked)
        .collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].session.as_ref().unwrap().id, first.session_id);
}

#[tokio::test]
async fn access_tokens_expire_and_refresh_renews_them() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    t.advance(chrono::Duration::minutes(15));
    expect_error(
        t.get(paths::SESSIONS, &pair.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;
    let resp = t
        .client
        .post(t.url(paths::REFRESH))
        .json(&json!({"refresh_token": pair.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let renewed: TokenPair = resp.json().await.unwrap();
    assert_eq!(
        t.get(paths::SESSIONS, &renewed.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_ends_the_current_session() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    let other = t.login().await;
    assert_eq!(
        t.post(paths::LOGOUT, &pair.access_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_error(
        t.post(paths::LOGOUT, &pair.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::SessionRevoked,
    )
    .await;
    let resp = t
        .client
        .post(t.url(paths::REFRESH))
        .json(&json!({"refresh_token": pair.refresh_token}))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, ErrorCode::SessionRevoked).await;
    let list = t.sessions(&other.access_token).await;
    assert_eq!(list.sessions.len(), 1);
    let events = t.events(&other.access_token, 0).await;
    let last = events.last().unwrap();
    assert_eq!(last.kind, EventKind::SessionRevoked);
    assert_eq!(
        last.actor_session_id.as_deref(),
        Some(pair.session_id.as_str())
    );
}

fn wrong_from(email: &str) -> serde_json::Value {
    json!({"email": email, "password": "wrong password!", "client": "web"})
}

#[tokio::test]
async fn lockout_is_per_address_and_backs_off() {
    let t = TestServer::start().await;
    t.user(false).await;
    let stranger = Some(ip("203.0.113.66"));
    for _ in 0..4 {
        expect_error(
            t.login_raw(&wrong_from(EMAIL), stranger, None).await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    let headers = expect_error(
        t.login_raw(&wrong_from(EMAIL), stranger, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    assert_eq!(headers["retry-after"], "1800");
    expect_error(
        t.login_raw(&password_body(), stranger, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    // The owner, elsewhere, is not locked out by a stranger.
    t.login_from(Some(ip("198.51.100.20")), CHROME_MAC).await;

    // One IPv6 /64 is one source; the next /64 is another.
    for i in 0..5 {
        t.login_raw(
            &wrong_from(EMAIL),
            Some(ip(&format!("2001:db8:1:2::{i}"))),
            None,
        )
        .await;
    }
    expect_error(
        t.login_raw(&password_body(), Some(ip("2001:db8:1:2:ffff::9")), None)
            .await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    t.login_from(Some(ip("2001:db8:1:3::1")), CHROME_MAC).await;

    // The next lockout of the same source lasts twice as long.
    t.advance(chrono::Duration::minutes(30));
    for _ in 0..4 {
        t.login_raw(&wrong_from(EMAIL), stranger, None).await;
    }
    let headers = expect_error(
        t.login_raw(&wrong_from(EMAIL), stranger, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    assert_eq!(headers["retry-after"], "3600");
}

#[tokio::test]
async fn trusted_devices_sign_in_while_their_address_is_locked_out() {
    let t = TestServer::start().await;
    let user = t.user(true).await;
    let shared_network = Some(ip("203.0.113.66"));
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(user.totp_secret.as_deref().unwrap(), t.now()));
    body["trust_device"] = json!(true);
    let pair: TokenPair = t
        .login_raw(&body, shared_network, None)
        .await
        .json()
        .await
        .unwrap();
    let device_token = pair.device_token.clone().unwrap();

    for _ in 0..5 {
        t.login_raw(&wrong_from(EMAIL), shared_network, None).await;
    }
    expect_error(
        t.login_raw(&password_body(), shared_network, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    let mut trusted = password_body();
    trusted["device_token"] = json!(device_token);
    let resp = t.login_raw(&trusted, shared_network, None).await;
    assert_eq!(resp.status(), StatusCode::OK, "{:?}", resp.text().await);

    // A made-up device token is just the address again.
    let mut forged = password_body();
    forged["device_token"] = json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect_error(
        t.login_raw(&forged, shared_network, None).await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
}

#[tokio::test]
async fn unknown_emails_get_the_same_answers_including_lockout() {
    let t = TestServer::start().await;
    t.user(false).await;
    let answer = |resp: reqwest::Response| async move {
        let status = resp.status();
        let retry = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, retry, resp.text().await.unwrap())
    };
    for attempt in 0..7 {
        let known = answer(
            t.login_raw(&wrong_from(EMAIL), Some(ip("192.0.2.10")), None)
                .await,
        )
        .await;
        let unknown = answer(
            t.login_raw(
                &wrong_from("nobody@example.com"),
                Some(ip("192.0.2.11")),
                None,
            )
            .await,
        )
        .await;
        assert_eq!(known, unknown, "attempt {attempt}");
        let want = if attempt < 4 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::LOCKED
        };
        assert_eq!(known.0, want, "attempt {attempt}");
    }
    // Case and spaces in the email do not make a fresh count.
    let (status, _, _) = answer(
        t.login_raw(
            &wrong_from(" NOBODY@example.com"),
            Some(ip("192.0.2.11")),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::LOCKED);
}
