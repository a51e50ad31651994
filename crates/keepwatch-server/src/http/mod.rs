//! The HTTP API: routes, and the layers that turn every failure into an
//! [`ApiError`](keepwatch_api::ApiError) body.

mod account;
pub(crate) mod auth;
mod events;
pub(crate) mod extract;
mod security;
mod sessions;

use std::any::Any;

use axum::extract::DefaultBodyLimit;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use keepwatch_api::{paths, MAX_REQUEST_BODY_BYTES};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::HttpError;
use crate::state::AppState;

/// The whole API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(paths::LOGIN, post(auth::login))
        .route(paths::REFRESH, post(auth::refresh))
        .route(paths::LOGOUT, post(auth::logout))
        .route(paths::SESSIONS, get(sessions::list))
        .route(paths::SESSION, delete(sessions::revoke))
        .route(paths::REVOKE_OTHERS, post(sessions::revoke_others))
        .route(paths::PASSWORD, post(account::change_password))
        .route(paths::TWO_FACTOR_RESET, post(account::reset_two_factor))
        .route(paths::WITHDRAWALS, get(account::withdrawals))
        .route(
            paths::IP_BLOCKLIST,
            get(security::list_blocklist).post(security::add_blocklist_entry),
        )
        .route(
            paths::IP_BLOCKLIST_ENTRY,
            delete(security::remove_blocklist_entry),
        )
        .route(
            paths::SESSION_LENGTH,
            get(security::get_session_length).put(security::put_session_length),
        )
        .route(paths::TRUSTED_DEVICES, get(security::list_trusted_devices))
        .route(
            paths::TRUSTED_DEVICE,
            delete(security::forget_trusted_device),
        )
        .route(paths::LOGIN_HISTORY, get(security::login_history))
        .route(paths::EVENTS, get(events::list))
        .route(paths::EVENTS_STREAM, get(events::stream))
        .route(paths::OPENAPI, get(openapi))
        .fallback(|| async { HttpError::for_status(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async {
            HttpError::for_status(StatusCode::METHOD_NOT_ALLOWED)
        })
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY_BYTES))
        .layer(axum::middleware::map_response(errors_as_json))
        .layer(axum::middleware::map_response(ask_for_client_hints))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::map_response(no_store))
}

async fn openapi() -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        keepwatch_api::openapi::document_json(),
    )
        .into_response()
}

/// A safety net: an error answer that is not JSON (from a layer or the framework) gets the
/// `ApiError` body its status implies.
async fn errors_as_json(response: Response) -> Response {
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_error || is_json {
        return response;
    }
    let retry_after = response
        .headers()
        .get(axum::http::header::RETRY_AFTER)
        .cloned();
    let mut replaced = HttpError::for_status(status).into_response();
    if let Some(value) = retry_after {
        replaced
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
    replaced
}

/// Answers carry tokens, 2FA secrets and account data: no cache (browser, proxy) may keep
/// them. Conditional requests (`If-None-Match`) still work, since they need no stored copy.
async fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

/// Chromium sends the real OS version (which its User-Agent freezes) only when asked.
async fn ask_for_client_hints(mut response: Response) -> Response {
    response.headers_mut().insert(
        "accept-ch",
        HeaderValue::from_static("Sec-CH-UA-Platform, Sec-CH-UA-Platform-Version"),
    );
    response
}

fn panic_response(_payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let mut response = HttpError::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
