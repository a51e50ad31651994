//! Account actions: password, 2FA, withdrawals.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

/// `POST /v1/account/password` body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password now.
    pub current_password: String,
    /// The new password: at least [`MIN_PASSWORD_LENGTH`] characters, not the current one.
    #[schema(min_length = 10)]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest { .. }")
    }
}

/// The shortest password the server accepts.
pub const MIN_PASSWORD_LENGTH: usize = 10;

/// `POST /v1/account/password` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct ChangePasswordResponse {
    /// How many other sessions were ended by the change.
    pub revoked_sessions: u32,
}

/// `POST /v1/account/2fa/reset` body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
pub struct TwoFactorResetRequest {
    /// The account's password, to confirm.
    pub password: String,
}

impl std::fmt::Debug for TwoFactorResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoFactorResetRequest { .. }")
    }
}

/// `POST /v1/account/2fa/reset` answer, shown to the user once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct TwoFactorResetResponse {
    /// The new TOTP secret, base32.
    pub secret: String,
    /// `otpauth://totp/…` URI for authenticator apps (the QR code's content).
    pub otpauth_uri: String,
    /// Fresh one-time backup codes; every older one stops working.
    pub backup_codes: Vec<String>,
}

impl std::fmt::Debug for TwoFactorResetResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoFactorResetResponse { .. }")
    }
}

/// Where a withdrawal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalStatus {
    /// Requested, not yet sent.
    Pending,
    /// Sent.
    Completed,
    /// Stopped before it was sent.
    Cancelled,
    /// Sending failed.
    Failed,
    /// A status this version of the contract does not know.
    #[serde(other)]
    Unknown,
}

/// One withdrawal from the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Withdrawal {
    /// Stable id.
    pub id: String,
    /// Asset symbol, e.g. `"BTC"`.
    pub asset: String,
    /// Amount as a decimal string, e.g. `"0.0125"`, so that no precision is lost.
    pub amount: String,
    /// Destination address.
    pub address: String,
    /// Whether the destination is in the account's address book.
    pub address_in_book: bool,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub status: WithdrawalStatus,
    /// The session that requested it, when known.
    pub session_id: Option<String>,
    /// The address it was requested from, when known.
    pub ip: Option<String>,
}
