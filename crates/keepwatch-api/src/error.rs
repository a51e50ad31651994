//! The one error body every endpoint uses.

use chrono::{DateTime, Utc};
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
    /// 401: the access or refresh token is missing, malformed or was never valid, or the
    /// access token expired (refresh it).
    InvalidToken,
    /// 401: the token belonged to a session that has ended; `revocation` says why and, when
    /// another session ended it, which. Answered for the session's tokens for as long as the
    /// session could have lived, so that a client that was polling or offline learns who
    /// signed it out on its next call.
    SessionRevoked,
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

/// The body of every error response: `{"error": "code", "message": "text"}`, and for
/// `session_revoked` also `revocation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct ApiError {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, for people. Never contains a secret.
    pub message: String,
    /// For `session_revoked`: how the calling session ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub revocation: Option<Revocation>,
}

impl ApiError {
    /// An error body with the given code and message.
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error,
            message: message.into(),
            revocation: None,
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// Another session signed it out, alone or with "sign out all other sessions"
    /// (`by_session`).
    RevokedBySession,
    /// A password change from another session (`by_session`) ended it.
    PasswordChanged,
    /// A 2FA reset from another session (`by_session`) ended it.
    TwoFactorReset,
    /// It reached its idle or absolute lifetime.
    Expired,
    /// It signed itself out.
    SignedOut,
    /// Its refresh token was presented a second time, so a copy of it exists somewhere: the
    /// session was ended to shut that copy out.
    TokenReused,
    /// A reason this version of the contract does not know.
    #[serde(other)]
    Unknown,
}

impl RevocationReason {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::RevokedBySession => "revoked_by_session",
            RevocationReason::PasswordChanged => "password_changed",
            RevocationReason::TwoFactorReset => "two_factor_reset",
            RevocationReason::Expired => "expired",
            RevocationReason::SignedOut => "signed_out",
            RevocationReason::TokenReused => "token_reused",
            RevocationReason::Unknown => "unknown",
        }
    }
}

/// How a session ended, as told to a client that still holds one of its tokens. It names only
/// sessions of the same account, and never their addresses or places: a stolen token that was
/// shut out learns nothing about the owner's other sessions beyond an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Revocation {
    /// Why.
    pub reason: RevocationReason,
    /// The session that ended it, for `revoked_by_session`, `password_changed` and
    /// `two_factor_reset`.
    pub by_session: Option<String>,
    /// The event that records it: the `password_changed` or `sessions_revoked` it was part of,
    /// else the session's own `session_revoked` or `session_expired`.
    pub event_id: Option<u64>,
    /// When it ended.
    pub ended_at: DateTime<Utc>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
