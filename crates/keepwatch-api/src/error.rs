//! The one error body every endpoint uses.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Machine-readable error code. Clients match on it; the `message` is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: malformed JSON, unknown fields, bad parameters, a bad IP address or CIDR range.
    InvalidRequest,
    /// 401: wrong email or password.
    InvalidCredentials,
    /// 401: the password was right; a TOTP code or backup code is needed too.
    TotpRequired,
    /// 401: the TOTP code or backup code was wrong.
    InvalidTotp,
    /// 401: the access or refresh token is missing, malformed, expired or revoked.
    InvalidToken,
    /// 403: the caller's IP address is on the account's blocklist.
    IpBlocked,
    /// 404: no such resource on this account.
    NotFound,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// 409: the calling session cannot be revoked this way; use logout.
    CurrentSession,
    /// 413: the request body is larger than [`crate::MAX_REQUEST_BODY_BYTES`].
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: the new password is too weak or equals the current one.
    WeakPassword,
    /// 422: a value is out of its allowed range.
    InvalidValue,
    /// 423: too many failed sign-ins; `Retry-After` says when to try again.
    AccountLocked,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 503: the server cannot answer now; `Retry-After` may say when to try again.
    Unavailable,
    /// 500: the server failed. Never sent for bad input.
    Internal,
    /// A code this version of the contract does not know (a newer server).
    #[serde(other)]
    Unknown,
}

/// The body of every error response: `{"error": "code", "message": "text"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct ApiError {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, for people. Never contains a secret.
    pub message: String,
}

impl ApiError {
    /// An error body with the given code and message.
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
