//! The response checklist, as steps the UI can drive.

use serde::{Deserialize, Serialize};

/// One thing the user can do about an alert. The UI turns each into a button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResponseStep {
    /// Sign in to Keepwatch again, so that it watches once more.
    SignInAgain,
    /// End the session.
    SignOutSession {
        /// The session to end.
        session_id: String,
    },
    /// Change the account password.
    ChangePassword,
    /// Replace the 2FA secret, which also replaces every backup code.
    ResetTwoFactor,
    /// Look through recent withdrawals for ones the user did not make.
    ReviewWithdrawals,
    /// Add the address to the account's IP blocklist.
    BlockIp {
        /// The address to block.
        ip: String,
    },
    /// Ask the account service's support to audit recent activity and reverse fraudulent moves.
    ContactSupport,
}

impl ResponseStep {
    /// The step in plain English, for a button or a checklist line.
    pub fn text(&self) -> String {
        match self {
            ResponseStep::SignInAgain => "Sign in to Keepwatch again".to_owned(),
            ResponseStep::SignOutSession { .. } => "Sign this session out".to_owned(),
            ResponseStep::ChangePassword => "Change your password".to_owned(),
            ResponseStep::ResetTwoFactor => {
                "Reset 2FA (this also replaces every backup code)".to_owned()
            }
            ResponseStep::ReviewWithdrawals => "Review recent withdrawals".to_owned(),
            ResponseStep::BlockIp { ip } => format!("Add {ip} to your IP blocklist"),
            ResponseStep::ContactSupport => {
                "Contact support: they can audit recent activity and reverse fraudulent moves"
                    .to_owned()
            }
        }
    }
}
