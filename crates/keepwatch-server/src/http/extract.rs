//! Request extractors whose every rejection is an [`ApiError`](keepwatch_api::ApiError) body.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use keepwatch_api::{paths, Device, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT};
use keepwatch_device::ClientHints;
use serde::de::DeserializeOwned;

use crate::client_ip;
use crate::config::chrono_duration;
use crate::error::HttpError;
use crate::secrets::looks_like_token;
use crate::state::AppState;
use crate::tokens::{self, Caller};

/// A JSON body: `application/json`, at most `MAX_REQUEST_BODY_BYTES`, no unknown fields,
/// received within `body_read_timeout` (else 408, so that a client trickling its body cannot
/// hold a connection and a task for ever).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, HttpError> {
        if !is_json(req.headers()) {
            return Err(HttpError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let read = Bytes::from_request(req, state);
        let bytes = tokio::time::timeout(state.limits.body_read_timeout, read)
            .await
            .map_err(|_| {
                HttpError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    keepwatch_api::ErrorCode::InvalidRequest,
                    "the request body did not arrive in time",
                )
            })?
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::for_status(StatusCode::PAYLOAD_TOO_LARGE)
                } else {
                    HttpError::invalid_request("the request body could not be read")
                }
            })?;
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|e| HttpError::invalid_request(describe_json_error(&e)))
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Says what is wrong with a body without echoing its values, which may be secrets.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => format!("malformed JSON at {at}"),
        Category::Data => {
            let text = e.to_string();
            // These name only fields and allowed variants, never the values sent.
            if text.starts_with("unknown field")
                || text.starts_with("missing field")
                || text.starts_with("unknown variant")
            {
                text
            } else {
                format!("a field has the wrong type or value at {at}")
            }
        }
    }
}

/// A query string, rejected with 400 when it has unknown or malformed parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| HttpError::invalid_request(format!("bad query string: {}", e.body_text())))
    }
}

/// Checks a list `limit`: 1–500, 50 when absent.
pub fn list_limit(limit: Option<u32>) -> Result<u32, HttpError> {
    match limit {
        None => Ok(DEFAULT_LIST_LIMIT),
        Some(n) if (1..=MAX_LIST_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(HttpError::invalid_request(format!(
            "`limit` must be 1–{MAX_LIST_LIMIT}"
        ))),
    }
}

/// The client's address, per the trusted-proxy rules.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| HttpError::internal("no peer address on the request"))?;
        Ok(ClientIp(client_ip::resolve(
            peer,
            &parts.headers,
            &state.trusted_proxies,
            state.forwarded_header,
        )))
    }
}

/// The device a request comes from, from its User-Agent and client hints.
pub struct RequestDevice(pub Device);

impl FromRequestParts<AppState> for RequestDevice {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let text = |name: &str| {
            parts
                .headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        // Structured-header strings arrive quoted: `"macOS"`.
        let hint = |name: &str| {
            text(name)
                .map(|v| v.trim_matches('"').to_owned())
                .filter(|v| !v.is_empty())
        };
        let user_agent = text(USER_AGENT.as_str());
        let platform = hint(paths::HEADER_CH_PLATFORM);
        let platform_version = hint(paths::HEADER_CH_PLATFORM_VERSION);
        Ok(RequestDevice(state.parser.parse(
            user_agent.as_deref(),
            ClientHints {
                platform: platform.as_deref(),
                platform_version: platform_version.as_deref(),
            },
        )))
    }
}

/// The bearer token of a request, checked for shape only.
pub fn bearer(headers: &HeaderMap) -> Result<String, HttpError> {
    let value = headers
        .get(AUTHORIZATION)
        .ok_or_else(|| HttpError::invalid_token("missing Authorization header"))?;
    let value = value
        .to_str()
        .map_err(|_| HttpError::invalid_token("malformed Authorization header"))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        HttpError::invalid_token("the Authorization header must be `Bearer <token>`")
    })?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || !looks_like_token(token) {
        return Err(HttpError::invalid_token(
            "the Authorization header must be `Bearer <token>`",
        ));
    }
    Ok(token.to_owned())
}

/// A signed-in caller: a valid access token of a running session, from an address not on the
/// account's blocklist. Records the session's activity.
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = bearer(&parts.headers)?;
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
        let granularity = chrono_duration(state.limits.activity_granularity);
        let caller = state
            .db
            .write(move |w| tokens::authenticate(w, &token, ip, granularity))
            .await??;
        Ok(Auth(caller))
    }
}
