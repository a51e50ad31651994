//! The one error shape every command rejects with: `{kind, message, retry_after_secs?}`.

use crate::Error;
use keepwatch_api::ErrorCode;
use serde::{Deserialize, Serialize};

/// Kinds of failure the core adds to the account API's [`ErrorCode`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum CoreErrorKind {
    /// The account service could not be reached.
    Network,
    /// Its TLS certificate was refused.
    Tls,
    /// The OS keyring refused or did not answer.
    Keyring,
    /// The local database or a file failed.
    Storage,
    /// The command needs a signed-in account.
    NotSignedIn,
    /// No such account.
    NoAccount,
    /// The account's provider does not offer this.
    Unsupported,
    /// The provider confirms this with the account's password: ask for it and call again.
    PasswordRequired,
}

/// What went wrong, for the window to word: an account API code, or one of the core's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(untagged)]
pub enum ErrorKind {
    /// The account service's own code, passed through.
    Api(ErrorCode),
    /// A failure on this side of the wire.
    Core(CoreErrorKind),
}

impl From<ErrorCode> for ErrorKind {
    fn from(code: ErrorCode) -> Self {
        ErrorKind::Api(code)
    }
}

impl From<CoreErrorKind> for ErrorKind {
    fn from(kind: CoreErrorKind) -> Self {
        ErrorKind::Core(kind)
    }
}

/// A failed command, as the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IpcError {
    /// What went wrong; the window words it by kind.
    pub kind: ErrorKind,
    /// One line for people and logs, in English; the core's messages never hold a secret.
    pub message: String,
    /// For `account_locked`, `rate_limited` and `unavailable`: seconds until a retry may work,
    /// when the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
}

impl IpcError {
    /// An error of `kind` with `message`.
    pub fn new(kind: impl Into<ErrorKind>, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: message.into(),
            retry_after_secs: None,
        }
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        Self::from_ref(&error)
    }
}

impl IpcError {
    /// The shape of `error`, which stays with the caller.
    pub fn from_ref(error: &Error) -> Self {
        use CoreErrorKind as Core;
        // Core errors quote the server (an error body's message): inert, like its other text.
        let message = crate::inert::text(&error.to_string());
        let (kind, retry): (ErrorKind, _) = match error {
            Error::InvalidUrl { .. } | Error::InsecureUrl { .. } | Error::Invalid(_) => {
                (ErrorCode::InvalidRequest.into(), None)
            }
            Error::Network(m) if m.to_ascii_lowercase().contains("certificate") => {
                (Core::Tls.into(), None)
            }
            Error::Network(_) | Error::Timeout => (Core::Network.into(), None),
            Error::BodyTooLarge { .. } | Error::BadResponse(_) => (ErrorCode::Unknown.into(), None),
            Error::InvalidCredentials => (ErrorCode::InvalidCredentials.into(), None),
            Error::TotpRequired => (ErrorCode::TotpRequired.into(), None),
            Error::InvalidTotp => (ErrorCode::InvalidTotp.into(), None),
            Error::AccountLocked { retry_after } => (ErrorCode::AccountLocked.into(), *retry_after),
            Error::IpBlocked => (ErrorCode::IpBlocked.into(), None),
            Error::RateLimited { retry_after } => (ErrorCode::RateLimited.into(), *retry_after),
            Error::Unavailable { retry_after } => (ErrorCode::Unavailable.into(), *retry_after),
            Error::SignedOut | Error::NoCredentials(_) | Error::SessionEnded(_) => {
                (Core::NotSignedIn.into(), None)
            }
            Error::NotFound(_) => (ErrorCode::NotFound.into(), None),
            Error::CurrentSession => (ErrorCode::CurrentSession.into(), None),
            Error::Api { code, .. } => ((*code).into(), None),
            Error::Keyring(_) | Error::KeyringTimeout => (Core::Keyring.into(), None),
            Error::History(_) | Error::Io { .. } | Error::Config { .. } | Error::Export(_) => {
                (Core::Storage.into(), None)
            }
            Error::NoAccount | Error::UnknownAccount(_) | Error::AmbiguousAccount(_) => {
                (Core::NoAccount.into(), None)
            }
            Error::Unsupported { .. } => (Core::Unsupported.into(), None),
            Error::PasswordRequired => (Core::PasswordRequired.into(), None),
            Error::Refused(_) => (ErrorCode::Unknown.into(), None),
        };
        Self {
            kind,
            message,
            retry_after_secs: retry.map(|d| d.as_secs().max(1)),
        }
    }
}

/// What commands return.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn lockouts_carry_their_retry_time_and_api_codes_pass_through() {
        let locked = IpcError::from(Error::AccountLocked {
            retry_after: Some(Duration::from_secs(90)),
        });
        assert_eq!(
            serde_json::to_value(&locked).unwrap(),
            serde_json::json!({
                "kind": "account_locked",
                "message": "the account is locked; try again in 2 min",
                "retry_after_secs": 90
            })
        );
        let weak = IpcError::from(Error::Api {
            status: 422,
            code: ErrorCode::WeakPassword,
            message: "too short".into(),
        });
        assert_eq!(
            serde_json::to_value(weak.kind).unwrap(),
            serde_json::json!("weak_password")
        );
        let offline = serde_json::to_value(IpcError::from(Error::Timeout)).unwrap();
        assert_eq!(offline["kind"], "network");
        assert!(
            offline.get("retry_after_secs").is_none(),
            "omitted, not null"
        );
        assert_eq!(
            IpcError::from(Error::NoAccount).kind,
            ErrorKind::Core(CoreErrorKind::NoAccount)
        );
        assert_eq!(
            IpcError::from(Error::SignedOut).kind,
            ErrorKind::Core(CoreErrorKind::NotSignedIn)
        );
    }

    #[test]
    fn a_refused_certificate_is_told_apart_from_an_unreachable_server() {
        let tls = IpcError::from(Error::Network(
            "invalid peer certificate: UnknownIssuer".into(),
        ));
        assert_eq!(tls.kind, ErrorKind::Core(CoreErrorKind::Tls));
        let down = IpcError::from(Error::Network("connection refused".into()));
        assert_eq!(down.kind, ErrorKind::Core(CoreErrorKind::Network));
    }
}
