//! Password change, 2FA reset, withdrawals.

use keepwatch_api::{
    paths, ErrorCode, EventKind, TwoFactorResetResponse, Withdrawal, WithdrawalStatus,
};
use keepwatch_server::totp_now;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn password_change_ends_every_other_session() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let a = t.login().await;
    let b = t.login().await;
    let change = |current: &str, new: &str| {
        t.post(paths::PASSWORD, &me.access_token)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    expect_error(
        change("wrong password", "a brand new password")
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    expect_error(
        change(PASSWORD, "short").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::WeakPassword,
    )
    .await;
    expect_error(
        change(PASSWORD, "123456789").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::WeakPassword,
    )
    .await;
    expect_error(
        change(PASSWORD, PASSWORD).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::WeakPassword,
    )
    .await;
    // Nothing changed so far.
    assert_eq!(t.sessions(&me.access_token).await.sessions.len(), 3);

    let resp = change(PASSWORD, "a brand new password").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap(),
        json!({"revoked_sessions": 2})
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
    expect_error(
        t.login_raw(&password_body(), None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let body = json!({"email": EMAIL, "password": "a brand new password", "client": "web"});
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );

    let events = t.events(&me.access_token, 0).await;
    let changed = events
        .iter()
        .find(|e| e.kind == EventKind::PasswordChanged)
        .unwrap();
    assert_eq!(changed.revoked_sessions, Some(2));
    assert_eq!(changed.session.as_ref().unwrap().id, me.session_id);
}

#[tokio::test]
async fn two_factor_reset_replaces_codes_and_forgets_trusted_devices() {
    let t = TestServer::start().await;
    let user = t.user(true).await;
    let old_secret = user.totp_secret.unwrap();
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(&old_secret, t.now()));
    body["trust_device"] = json!(true);
    let me: keepwatch_api::TokenPair = t.login_raw(&body, None, None).await.json().await.unwrap();
    let device_token = me.device_token.clone().unwrap();

    let reset = |password: &str| {
        t.post(paths::TWO_FACTOR_RESET, &me.access_token)
            .json(&json!({"password": password}))
            .send()
    };
    expect_error(
        reset("wrong password").await.unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
    )
    .await;
    let resp = reset(PASSWORD).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let fresh: TwoFactorResetResponse = resp.json().await.unwrap();
    assert_ne!(fresh.secret, old_secret);
    assert!(fresh
        .otpauth_uri
        .starts_with("otpauth://totp/Keepwatch:ann@example.com?secret="));
    assert!(fresh.otpauth_uri.contains(&fresh.secret));
    assert_eq!(fresh.backup_codes.len(), 10);

    // Old backup codes and the old secret no longer work; the trusted device must 2FA again.
    let mut old_code = password_body();
    old_code["backup_code"] = json!(user.backup_codes[1]);
    expect_error(
        t.login_raw(&old_code, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidTotp,
    )
    .await;
    let mut trusted = password_body();
    trusted["device_token"] = json!(device_token);
    expect_error(
        t.login_raw(&trusted, None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::TotpRequired,
    )
    .await;
    let devices: Vec<serde_json::Value> = t
        .get(paths::TRUSTED_DEVICES, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(devices.is_empty());
    let mut new_code = password_body();
    new_code["backup_code"] = json!(fresh.backup_codes[1]);
    assert_eq!(
        t.login_raw(&new_code, None, None).await.status(),
        StatusCode::OK
    );
    let mut totp = password_body();
    totp["totp_code"] = json!(totp_now(&fresh.secret, t.now()));
    assert_eq!(
        t.login_raw(&totp, None, None).await.status(),
        StatusCode::OK
    );

    let events = t.events(&me.access_token, 0).await;
    assert!(events
        .iter()
        .any(|e| e.kind == EventKind::TwoFactorReset
            && e.session.as_ref().unwrap().id == me.session_id));
}

#[tokio::test]
async fn two_factor_reset_turns_two_factor_on() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let resp = t
        .post(paths::TWO_FACTOR_RESET, &me.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let fresh: TwoFactorResetResponse = resp.json().await.unwrap();
    expect_error(
        t.login_raw(&password_body(), None, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::TotpRequired,
    )
    .await;
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(&fresh.secret, t.now()));
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn withdrawals_newest_first_with_limit() {
    let t = TestServer::start().await;
    t.user(false).await;
    let from = ip("198.51.100.20");
    let me = t.login_from(Some(from), CHROME_MAC).await;
    t.server
        .add_withdrawal(EMAIL, "BTC", "0.5", "bc1qfirst", true, None)
        .await
        .unwrap();
    t.advance(chrono::Duration::minutes(1));
    t.server
        .add_withdrawal(EMAIL, "eth", "1.25", "0xsecond", false, Some(from))
        .await
        .unwrap();
    assert!(t
        .server
        .add_withdrawal(EMAIL, "BTC", "lots", "bc1q", true, None)
        .await
        .is_err());
    assert!(t
        .server
        .add_withdrawal("nobody@example.com", "BTC", "1", "bc1q", true, None)
        .await
        .is_err());

    let list: Vec<Withdrawal> = t
        .get(paths::WITHDRAWALS, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].address, "0xsecond");
    assert_eq!(list[0].asset, "ETH");
    assert_eq!(list[0].amount, "1.25");
    assert!(!list[0].address_in_book);
    assert_eq!(list[0].status, WithdrawalStatus::Pending);
    assert_eq!(list[0].ip.as_deref(), Some("198.51.100.20"));
    assert_eq!(
        list[0].session_id.as_deref(),
        Some(me.session_id.as_str()),
        "attributed to the session at that address"
    );
    assert_eq!(list[1].address, "bc1qfirst");
    assert_eq!(list[1].session_id, None);

    let list: Vec<Withdrawal> = t
        .get(&format!("{}?limit=1", paths::WITHDRAWALS), &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    for bad in ["limit=0", "limit=501", "limit=abc", "limit=-1", "count=3"] {
        let resp = t
            .get(&format!("{}?{bad}", paths::WITHDRAWALS), &me.access_token)
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest).await;
    }

    let events = t.events(&me.access_token, 0).await;
    let w: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::WithdrawalCreated)
        .collect();
    assert_eq!(w.len(), 2);
    assert_eq!(w[1].session.as_ref().unwrap().id, me.session_id);
    assert_eq!(w[1].withdrawal.as_ref().unwrap().address, "0xsecond");
}

#[tokio::test]
async fn a_stolen_token_guessing_passwords_is_locked_out_and_seen() {
    let t = TestServer::start().await;
    t.user(false).await;
    let owner = t.login_from(Some(ip("198.51.100.20")), CHROME_MAC).await;
    let thief_ip = "203.0.113.66";
    let stolen = t.login_from(Some(ip(thief_ip)), CHROME_MAC).await;
    let guess = |n: usize, password: &str| {
        let req = if n.is_multiple_of(2) {
            t.post(paths::PASSWORD, &stolen.access_token)
                .json(&json!({"current_password": password, "new_password": "mine now, all mine"}))
        } else {
            t.post(paths::TWO_FACTOR_RESET, &stolen.access_token)
                .json(&json!({"password": password}))
        };
        req.header("x-forwarded-for", thief_ip).send()
    };
    // Password changes and 2FA resets count together.
    for n in 0..4 {
        expect_error(
            guess(n, &format!("guess number {n}")).await.unwrap(),
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        )
        .await;
    }
    let headers = expect_error(
        guess(4, "guess number 4").await.unwrap(),
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    assert_eq!(headers["retry-after"], "1800");
    // Now even the right password is refused, for the session and for sign-ins from there.
    expect_error(
        guess(5, PASSWORD).await.unwrap(),
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    expect_error(
        t.login_raw(&password_body(), Some(ip(thief_ip)), None)
            .await,
        StatusCode::LOCKED,
        ErrorCode::AccountLocked,
    )
    .await;
    // Moving to another address does not help the session.
    let resp = t
        .post(paths::TWO_FACTOR_RESET, &stolen.access_token)
        .header("x-forwarded-for", "192.0.2.99")
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::LOCKED, ErrorCode::AccountLocked).await;

    // The owner sees every guess, from the thief's session's device and address.
    let events = t.events(&owner.access_token, 0).await;
    let failed: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::LoginFailed)
        .map(|e| e.attempt.as_ref().unwrap())
        .collect();
    assert_eq!(failed.len(), 8, "5 wrong guesses, 3 refused while locked");
    assert!(failed[..7].iter().all(|a| a.ip == thief_ip), "{failed:?}");
    assert_eq!(failed[7].ip, "192.0.2.99");
    // All but the sign-in (which sent no User-Agent) carry the thief's session's device.
    assert!(failed
        .iter()
        .enumerate()
        .all(|(i, a)| i == 6 || a.device.browser.as_deref() == Some("Chrome")));
    let outcomes: Vec<_> = failed.iter().map(|a| a.outcome).collect();
    assert_eq!(
        outcomes[..5],
        [keepwatch_api::LoginOutcome::InvalidCredentials; 5]
    );
    assert_eq!(
        outcomes[5..],
        [keepwatch_api::LoginOutcome::AccountLocked; 3]
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind == EventKind::AccountLocked)
            .count(),
        1
    );
    // The owner, elsewhere, is unaffected.
    let resp = t
        .post(paths::TWO_FACTOR_RESET, &owner.access_token)
        .header("x-forwarded-for", "198.51.100.20")
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn two_factor_reset_ends_every_other_session() {
    let t = TestServer::start().await;
    t.user(false).await;
    let me = t.login().await;
    let a = t.login().await;
    let b = t.login().await;
    let resp = t
        .post(paths::TWO_FACTOR_RESET, &me.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    for gone in [&a, &b] {
        let resp = t
            .get(paths::SESSIONS, &gone.access_token)
            .send()
            .await
            .unwrap();
        let body: keepwatch_api::ApiError = resp.json().await.unwrap();
        assert_eq!(body.error, ErrorCode::SessionRevoked);
        assert_eq!(
            body.revocation.unwrap().reason,
            keepwatch_api::RevocationReason::TwoFactorReset
        );
    }
    assert_eq!(t.sessions(&me.access_token).await.sessions.len(), 1);

    let events = t.events(&me.access_token, 0).await;
    let reset = events
        .iter()
        .find(|e| e.kind == EventKind::TwoFactorReset)
        .unwrap();
    assert_eq!(reset.revoked_sessions, Some(2));
    let endings: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::SessionRevoked)
        .collect();
    assert_eq!(endings.len(), 2);
    for ending in endings {
        assert!(ending.id > reset.id, "the cause comes first");
        assert_eq!(ending.cause_event_id, Some(reset.id));
        assert_eq!(
            ending.revocation,
            Some(keepwatch_api::RevocationReason::TwoFactorReset)
        );
        assert_eq!(
            ending.actor_session_id.as_deref(),
            Some(me.session_id.as_str())
        );
    }
}
