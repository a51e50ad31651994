//! Malformed input of every kind gets the right 4xx with an ApiError body, never a 500.

use keepwatch_api::{paths, ErrorCode, MAX_REQUEST_BODY_BYTES};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn malformed_bodies() {
    let t = TestServer::start().await;
    t.user(false).await;
    let post = |body: &'static str, content_type: Option<&'static str>| {
        let mut req = t.client.post(t.url(paths::LOGIN)).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        req.send()
    };
    let json_ct = Some("application/json");
    for (body, why) in [
        ("{", "truncated"),
        ("not json", "not JSON"),
        ("", "empty"),
        ("[]", "an array"),
        (
            r#"{"email":"ann@example.com","password":"x","client":"web","admin":true}"#,
            "unknown field",
        ),
        (
            r#"{"email":"ann@example.com","password":123456,"client":"web"}"#,
            "wrong type",
        ),
        (
            r#"{"email":"ann@example.com","password":"x"}"#,
            "missing client",
        ),
        (
            r#"{"email":"ann@example.com","password":"x","client":"laptop"}"#,
            "unknown client",
        ),
        (
            r#"{"email":"ann@example.com","password":"x","client":"web","remember_me":"yes"}"#,
            "wrong type",
        ),
    ] {
        let resp = post(body, json_ct).await.unwrap();
        let text = format!("{why}: {body}");
        let status = resp.status();
        let error: keepwatch_api::ApiError = resp.json().await.unwrap();
        assert_eq!(
            (status, error.error),
            (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest),
            "{text}"
        );
        assert!(
            !error.message.contains("123456"),
            "values are not echoed: {}",
            error.message
        );
    }
    expect_error(
        post("{}", None).await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    expect_error(
        post("{}", Some("text/plain")).await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    // JSON with a charset parameter is still JSON.
    let resp = t
        .client
        .post(t.url(paths::LOGIN))
        .header("content-type", "application/json; charset=utf-8")
        .body(password_body().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let big = format!(
        r#"{{"email":"{}","password":"x","client":"web"}}"#,
        "a".repeat(100 * 1024)
    );
    assert!(big.len() > MAX_REQUEST_BODY_BYTES);
    let resp = t
        .client
        .post(t.url(paths::LOGIN))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(
        resp,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;
}

#[tokio::test]
async fn bad_authorization_headers() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    let bad_values: Vec<reqwest::header::HeaderValue> = vec![
        "garbage".parse().unwrap(),
        "Bearer".parse().unwrap(),
        "Bearer ".parse().unwrap(),
        "Basic YW5uOnB3".parse().unwrap(),
        format!("Bearer {}x", pair.access_token).parse().unwrap(),
        "Bearer a.b.c".parse().unwrap(),
        format!("Bearer {}", "A".repeat(4000)).parse().unwrap(),
        reqwest::header::HeaderValue::from_bytes(
            b"Bearer \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0",
        )
        .unwrap(),
    ];
    for value in bad_values {
        let resp = t
            .client
            .get(t.url(paths::SESSIONS))
            .header("authorization", value.clone())
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken).await;
    }
    let resp = t.client.get(t.url(paths::SESSIONS)).send().await.unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken).await;
    // The refresh token is not an access token.
    expect_error(
        t.get(paths::SESSIONS, &pair.refresh_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;
    // An expired access token.
    t.advance(chrono::Duration::minutes(16));
    expect_error(
        t.get(paths::SESSIONS, &pair.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
    )
    .await;
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    expect_error(
        t.client.get(t.url("/v1/nope")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    expect_error(
        t.client.get(t.url("/")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    expect_error(
        t.client.get(t.url(paths::LOGIN)).send().await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    expect_error(
        t.client.put(t.url(paths::SESSIONS)).send().await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    expect_error(
        t.delete(paths::SESSIONS, &pair.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    // Odd ids are just unknown.
    for id in ["%00", "..", "a%2Fb", "%F0%9F%92%A5", "%FF%FE"] {
        let resp = t
            .delete(&format!("/v1/sessions/{id}"), &pair.access_token)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_client_error(), "{id}: {}", resp.status());
        let _: keepwatch_api::ApiError = resp.json().await.unwrap();
    }
}

#[tokio::test]
async fn wrong_bodies_on_authenticated_endpoints() {
    let t = TestServer::start().await;
    t.user(false).await;
    let pair = t.login().await;
    let cases = [
        (paths::PASSWORD, json!({"current_password": PASSWORD})),
        (
            paths::PASSWORD,
            json!({"current_password": PASSWORD, "new_password": 5}),
        ),
        (
            paths::TWO_FACTOR_RESET,
            json!({"password": PASSWORD, "extra": 1}),
        ),
        (paths::IP_BLOCKLIST, json!({"address": ["1.2.3.4"]})),
        (paths::IP_BLOCKLIST, json!({"note": "no address"})),
        (paths::REFRESH, json!({"token": "x"})),
    ];
    for (path, body) in cases {
        let resp = t
            .post(path, &pair.access_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_error(resp, StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest).await;
    }
    // The password is still the old one: nothing was half-applied.
    assert_eq!(
        t.login_raw(&password_body(), None, None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn openapi_document_is_served() {
    let t = TestServer::start().await;
    let resp = t.client.get(t.url(paths::OPENAPI)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let served: serde_json::Value = resp.json().await.unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&keepwatch_api::openapi::document_json()).unwrap();
    assert_eq!(served, expected);
}
