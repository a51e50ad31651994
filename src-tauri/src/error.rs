//! The one error shape every command rejects with: `{kind, message, retry_after_secs?}`
//! (ui/IPC.md, "Errors").

use keepwatch_core::Error;
use serde::Serialize;

/// A failed command, as the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// An account API `ErrorCode` (snake_case) or one of the core's kinds (`network`, `tls`,
    /// `keyring`, `storage`, `not_signed_in`, `no_account`).
    pub kind: String,
    /// One line for people and logs; the core's messages never hold a secret.
    pub message: String,
    /// Seconds until retrying may work, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl IpcError {
    /// An error of `kind` with `message`.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Self {
            kind: kind.to_owned(),
            message: message.into(),
            retry_after_secs: None,
        }
    }
}

/// The wire name of an API error code (its serde name), `unknown` if it has none.
fn code_name(code: &keepwatch_api::ErrorCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        let (kind, retry) = match &error {
            Error::InvalidUrl { .. } | Error::InsecureUrl { .. } | Error::Invalid(_) => {
                ("invalid_request".to_owned(), None)
            }
            Error::Network(m) if m.to_ascii_lowercase().contains("certificate") => {
                ("tls".to_owned(), None)
            }
            Error::Network(_) | Error::Timeout => ("network".to_owned(), None),
            Error::BodyTooLarge { .. } | Error::BadResponse(_) => ("unknown".to_owned(), None),
            Error::InvalidCredentials => ("invalid_credentials".to_owned(), None),
            Error::TotpRequired => ("totp_required".to_owned(), None),
            Error::InvalidTotp => ("invalid_totp".to_owned(), None),
            Error::AccountLocked { retry_after } => ("account_locked".to_owned(), *retry_after),
            Error::IpBlocked => ("ip_blocked".to_owned(), None),
            Error::RateLimited { retry_after } => ("rate_limited".to_owned(), *retry_after),
            Error::Unavailable { retry_after } => ("unavailable".to_owned(), *retry_after),
            Error::SignedOut | Error::NoCredentials(_) => ("not_signed_in".to_owned(), None),
            Error::NotFound(_) => ("not_found".to_owned(), None),
            Error::CurrentSession => ("current_session".to_owned(), None),
            Error::Api { code, .. } => (code_name(code), None),
            Error::Keyring(_) | Error::KeyringTimeout => ("keyring".to_owned(), None),
            Error::History(_) | Error::Io { .. } | Error::Config { .. } | Error::Export(_) => {
                ("storage".to_owned(), None)
            }
            Error::NoAccount | Error::UnknownAccount(_) | Error::AmbiguousAccount(_) => {
                ("no_account".to_owned(), None)
            }
        };
        Self {
            kind,
            message,
            retry_after_secs: retry.map(|d| d.as_secs().max(1)),
        }
    }
}

impl From<tauri::Error> for IpcError {
    fn from(error: tauri::Error) -> Self {
        IpcError::new("internal", error.to_string())
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
            code: keepwatch_api::ErrorCode::WeakPassword,
            message: "too short".into(),
        });
        assert_eq!(weak.kind, "weak_password");
        let offline = serde_json::to_value(IpcError::from(Error::Timeout)).unwrap();
        assert_eq!(offline["kind"], "network");
        assert!(
            offline.get("retry_after_secs").is_none(),
            "omitted, not null"
        );
        assert_eq!(IpcError::from(Error::NoAccount).kind, "no_account");
        assert_eq!(IpcError::from(Error::SignedOut).kind, "not_signed_in");
    }
}
