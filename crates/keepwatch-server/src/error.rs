//! Errors: [`ServerError`] for starting the server, [`HttpError`] for answering a request.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use keepwatch_api::{ApiError, ErrorCode, Revocation, RevocationReason};

/// Why the server could not start, or an admin action failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Plain HTTP was asked for on an address other people can reach.
    #[error(
        "refusing plain HTTP on {0}: it is not a loopback address; give --tls-cert and --tls-key"
    )]
    PlainHttpNotLoopback(std::net::SocketAddr),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The certificate or key could not be used.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The database could not be opened or used.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The request made no sense, e.g. an unknown account email.
    #[error("{0}")]
    Invalid(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl From<HttpError> for ServerError {
    fn from(e: HttpError) -> Self {
        match e.body.error {
            ErrorCode::Internal => ServerError::Other(e.body.message),
            _ => ServerError::Invalid(e.body.message),
        }
    }
}

/// An error answer: status, [`ApiError`] body and, for 423 and 429, `Retry-After`.
#[derive(Debug, Clone)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body.
    pub body: ApiError,
    /// Seconds for `Retry-After`.
    pub retry_after: Option<u64>,
}

impl HttpError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError::new(code, message),
            retry_after: None,
        }
    }

    /// 400 `invalid_request`.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message)
    }
    /// 401 `invalid_credentials`.
    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "wrong email or password",
        )
    }
    /// 401 `invalid_token`.
    pub fn invalid_token(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken, message)
    }
    /// 401 `session_revoked`, telling the holder of a token how its session ended.
    pub fn session_revoked(revocation: Revocation) -> Self {
        let message = match revocation.reason {
            RevocationReason::RevokedBySession => "another session signed this session out",
            RevocationReason::PasswordChanged => {
                "the password was changed from another session, which ended this one"
            }
            RevocationReason::TwoFactorReset => {
                "two-factor authentication was reset from another session, which ended this one"
            }
            RevocationReason::Expired => "the session has expired; sign in again",
            RevocationReason::SignedOut => "the session was signed out",
            RevocationReason::TokenReused => {
                "this refresh token was already used; the session has been ended"
            }
            RevocationReason::Unknown => "the session has ended",
        };
        let mut e = Self::new(StatusCode::UNAUTHORIZED, ErrorCode::SessionRevoked, message);
        e.body.revocation = Some(revocation);
        e
    }
    /// 403 `ip_blocked`.
    pub fn ip_blocked() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::IpBlocked,
            "this address is on the account's blocklist",
        )
    }
    /// 404 `not_found`.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("no such {what}"),
        )
    }
    /// 422 `invalid_value`.
    pub fn invalid_value(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidValue,
            message,
        )
    }
    /// 500 `internal`; the cause goes to the log, not to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "the server failed; this is a bug",
        )
    }
    /// Adds `Retry-After`, rounded up to whole seconds (at least 1).
    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds.max(1) as u64);
        self
    }

    /// The error that matches an HTTP status, for answers that did not come from a handler
    /// (the router's 404/405, body limits, panics).
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such endpoint"),
            StatusCode::METHOD_NOT_ALLOWED => (
                ErrorCode::MethodNotAllowed,
                "this endpoint does not take that method",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                (ErrorCode::PayloadTooLarge, "the request body is too large")
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                ErrorCode::UnsupportedMediaType,
                "the body must be application/json",
            ),
            StatusCode::UNAUTHORIZED => (ErrorCode::InvalidToken, "not signed in"),
            StatusCode::TOO_MANY_REQUESTS => (ErrorCode::RateLimited, "too many requests"),
            StatusCode::SERVICE_UNAVAILABLE => (ErrorCode::Unavailable, "try again later"),
            s if s.is_server_error() => (ErrorCode::Internal, "the server failed; this is a bug"),
            _ => (ErrorCode::InvalidRequest, "the request was not understood"),
        };
        Self::new(status, code, message)
    }
}

impl From<rusqlite::Error> for HttpError {
    fn from(e: rusqlite::Error) -> Self {
        HttpError::internal(e)
    }
}

impl From<serde_json::Error> for HttpError {
    fn from(e: serde_json::Error) -> Self {
        HttpError::internal(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Result of request handling.
pub type HttpResult<T> = Result<T, HttpError>;
