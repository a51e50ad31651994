//! The one error type of the core: every failure a caller can meet, typed.

use std::time::Duration;

use keepwatch_api::ErrorCode;

/// Anything that can go wrong in the core.
///
/// Messages are one line, meant to be shown to a person as they are, and never contain a
/// password, token or code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server URL could not be parsed.
    #[error("invalid server URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain HTTP to a host that is not this machine: tokens would travel in clear text.
    #[error("refusing http:// to {host}: use https:// (plain HTTP is allowed only to loopback addresses)")]
    InsecureUrl {
        /// The host that was refused.
        host: String,
    },
    /// The server could not be reached (DNS, refused connection, TLS failure…).
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server took too long to answer.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server's answer was larger than the core accepts.
    #[error("the server's answer is larger than {limit} bytes")]
    BodyTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// The server answered something that is not the API (bad JSON, wrong status…).
    #[error("the server sent an unexpected answer: {0}")]
    BadResponse(String),
    /// Wrong email or password.
    #[error("wrong email or password")]
    InvalidCredentials,
    /// The password was right; a TOTP or backup code is needed too.
    #[error("a two-factor code is required")]
    TotpRequired,
    /// The TOTP or backup code was wrong.
    #[error("the two-factor code is wrong")]
    InvalidTotp,
    /// Too many failed sign-ins locked the account.
    #[error("the account is locked{}", retry_hint(.retry_after))]
    AccountLocked {
        /// How long until sign-in is allowed again, when the server said.
        retry_after: Option<Duration>,
    },
    /// This machine's address is on the account's blocklist.
    #[error("this address is on the account's IP blocklist")]
    IpBlocked,
    /// The server kept answering 429 after the allowed retries.
    #[error("the server is rate limiting requests{}", retry_hint(.retry_after))]
    RateLimited {
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The server kept answering 503 after the allowed retries.
    #[error("the server is unavailable{}", retry_hint(.retry_after))]
    Unavailable {
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The session ended (token revoked, expired or reused): sign in again.
    #[error("signed out: the session has ended; run `keepwatch login` again")]
    SignedOut,
    /// The server ended the session and said how (another session signed it out, the
    /// password was changed elsewhere, it expired…): sign in again.
    #[error("signed out: {}; run `keepwatch login` again", ended_text(.0))]
    SessionEnded(keepwatch_api::Revocation),
    /// No such session, blocklist entry, … on the account.
    #[error("not found: {0}")]
    NotFound(String),
    /// The calling session cannot be signed out this way.
    #[error("that is this app's own session; use logout to end it")]
    CurrentSession,
    /// Any other error answer from the server.
    #[error("the server refused: {message} ({code:?}, HTTP {status})")]
    Api {
        /// HTTP status.
        status: u16,
        /// The API's error code.
        code: ErrorCode,
        /// The server's explanation.
        message: String,
    },
    /// The OS keyring failed.
    #[error("keyring: {0}")]
    Keyring(String),
    /// The OS keyring did not answer in time (it may be locked and waiting for a prompt).
    #[error("the keyring did not answer in time (is it locked?)")]
    KeyringTimeout,
    /// No refresh token is stored for this account.
    #[error("no stored sign-in for {0}; run `keepwatch login`")]
    NoCredentials(String),
    /// The local history database failed.
    #[error("history database: {0}")]
    History(#[from] rusqlite::Error),
    /// Reading or writing a local file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The configuration file is unreadable.
    #[error("configuration file {path}: {reason}")]
    Config {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// No account has been added yet.
    #[error("no account yet; run `keepwatch login` first")]
    NoAccount,
    /// The named account is not known.
    #[error("no account {0:?}; see `keepwatch accounts`")]
    UnknownAccount(String),
    /// Several accounts exist and none was chosen.
    #[error("several accounts exist; choose one with --account (one of: {0})")]
    AmbiguousAccount(String),
    /// A request the core refuses before sending it.
    #[error("{0}")]
    Invalid(String),
    /// Exporting history failed.
    #[error("export: {0}")]
    Export(String),
    /// The account's provider does not offer this (a Matrix account has no withdrawals).
    #[error("{what} is not available for {provider} accounts")]
    Unsupported {
        /// What was asked for.
        what: &'static str,
        /// The account's provider ([`crate::provider::ProviderKind::name`]).
        provider: &'static str,
    },
    /// The provider confirms this with the account's password, and none was given.
    #[error("this needs the account's password")]
    PasswordRequired,
    /// The provider refused in its own terms (a Matrix error code and message, made inert).
    #[error("the server refused: {0}")]
    Refused(String),
}

fn ended_text(r: &keepwatch_api::Revocation) -> &'static str {
    use keepwatch_api::RevocationReason as R;
    match r.reason {
        R::RevokedBySession => "another session signed this one out",
        R::PasswordChanged => "the password was changed from another session",
        R::TwoFactorReset => "two-factor authentication was reset from another session",
        R::Expired => "the session expired",
        R::SignedOut => "the session was signed out",
        R::TokenReused => "a copy of this app's sign-in was used elsewhere, so the server ended it",
        R::Unknown => "the session has ended",
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) if d.as_secs() >= 60 => format!("; try again in {} min", d.as_secs().div_ceil(60)),
        Some(d) => format!("; try again in {} s", d.as_secs().max(1)),
        None => String::new(),
    }
}

impl Error {
    /// Whether the error means the server cannot be reached now (so cached data should be
    /// shown as "offline").
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            Error::Network(_) | Error::Timeout | Error::Unavailable { .. }
        )
    }

    /// Whether the error means there is no usable sign-in any more: sign in again.
    pub fn is_signed_out(&self) -> bool {
        matches!(
            self,
            Error::SignedOut | Error::NoCredentials(_) | Error::SessionEnded(_)
        )
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
