//! What can go wrong, typed, so that callers decide without reading messages.
//!
//! Texts in these errors that come from the server (`message`) are raw: clean them with the
//! core's inert-text rule (`keepwatch_core::inert`) before anyone reads them.

/// Why a server is not taken for a Matrix homeserver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotMatrixKind {
    /// It answers the Keepwatch account API (`/openapi.json` with `/v1/...` paths): sign in with
    /// Keepwatch's own provider instead.
    KeepwatchApi,
    /// Neither Matrix nor the Keepwatch API.
    Unknown,
}

/// Every error of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What the user typed is neither a server URL nor a Matrix user ID.
    #[error("not a server address or Matrix user ID ({input:?}): {reason}")]
    InvalidInput {
        /// The input, as typed.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A plain `http://` URL to a host that is not this computer.
    #[error("{host} must be reached over https:// (http:// is allowed only to this computer)")]
    InsecureUrl {
        /// The host.
        host: String,
    },
    /// The server could not be reached, or the connection broke or timed out.
    #[error("network error: {0}")]
    Network(String),
    /// The server is not a Matrix homeserver.
    #[error("{url} is not a Matrix homeserver")]
    NotMatrix {
        /// Where we looked.
        url: String,
        /// What it seems to be instead.
        kind: NotMatrixKind,
    },
    /// The homeserver does not take a password here: it delegates sign-in to OAuth 2.0
    /// (matrix-authentication-service, as matrix.org does), or offers only other flows (SSO).
    /// Keepwatch does not support such servers yet.
    #[error("this homeserver signs in without passwords (OAuth 2.0 or single sign-on), which Keepwatch does not support yet")]
    SignInNotSupported {
        /// The OAuth 2.0 issuer, when the server publishes authorization metadata.
        oauth_issuer: Option<String>,
        /// The sign-in flow types the server offers (`GET /login`), when known.
        flows: Vec<String>,
    },
    /// Wrong user name or password at sign-in (`M_FORBIDDEN`).
    #[error("wrong user name or password")]
    InvalidCredentials,
    /// The access token is no longer valid (`M_UNKNOWN_TOKEN`): with `soft_logout` the session
    /// can be resumed (refresh, or sign in again to the same device); without, the device is
    /// gone (deleted by another session, or the account signed out).
    #[error("signed out by the server{}", if *soft_logout { " (soft logout: the session can be resumed)" } else { "" })]
    UnknownToken {
        /// The server's `soft_logout` flag.
        soft_logout: bool,
    },
    /// Too many requests (`M_LIMIT_EXCEEDED` or HTTP 429).
    #[error("rate limited by the server{}", retry_after_ms.map(|ms| format!(" (retry in {ms} ms)")).unwrap_or_default())]
    RateLimited {
        /// How long to wait, from the body's `retry_after_ms` or the `Retry-After` header.
        retry_after_ms: Option<u64>,
    },
    /// User-interactive authentication did not pass: a wrong password, mostly.
    #[error("the server did not accept the password for this action")]
    UiaFailed {
        /// The server's error code (`M_FORBIDDEN` for a wrong password).
        errcode: Option<String>,
        /// The server's message (raw).
        message: Option<String>,
    },
    /// User-interactive authentication asks for stages other than a password (a second
    /// factor, SSO); Keepwatch cannot complete them yet.
    #[error("the server asks for more than a password for this action, which Keepwatch does not support yet")]
    UiaUnsupported {
        /// The stages of each flow the server offered.
        flows: Vec<Vec<String>>,
    },
    /// Any other Matrix error answer.
    #[error("the homeserver refused (HTTP {status}, {errcode})")]
    Matrix {
        /// The HTTP status.
        status: u16,
        /// The Matrix error code, e.g. `M_NOT_FOUND`.
        errcode: String,
        /// The server's message (raw).
        message: String,
    },
    /// An answer larger than the client's cap.
    #[error("the server's answer is larger than {limit} bytes")]
    BodyTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// An answer that is not what the API says it is.
    #[error("unexpected answer from the server: {0}")]
    BadResponse(String),
}

/// This crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
