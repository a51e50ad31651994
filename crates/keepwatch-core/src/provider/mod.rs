//! The account systems Keepwatch watches, behind one interface: sign-in state, the list of
//! sessions, signing them out, and what else each system offers ([`Capabilities`]).
//!
//! The Keepwatch API (the project's own contract, [`AccountClient`]) is the first provider;
//! Matrix, on any homeserver ([`matrix::MatrixAccount`]), the second. History, the detector,
//! the notifier and the sync engine see only [`keepwatch_api::Session`]s and never which
//! provider gave them; the window, tray and CLI ask [`Provider::capabilities`] before they
//! offer anything beyond sessions.
//!
//! Two providers, known at build time, are an enum rather than a trait object: every call is
//! a plain `async fn`, and a match shows in one place what each provider does for it.

pub mod matrix;

use keepwatch_api::SessionList;
use serde::{Deserialize, Serialize};

use crate::client::AccountClient;
use crate::error::{Error, Result};

/// Which kind of account system an account is on; saved with the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// A server of the Keepwatch API contract (`api/openapi.json`).
    #[default]
    KeepwatchApi,
    /// A Matrix homeserver (Synapse, Conduit and its forks, Dendrite), through the
    /// client-server API.
    Matrix,
}

/// What an account's provider offers besides listing sessions and signing them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Capabilities {
    /// Changing the password from Keepwatch.
    pub change_password: bool,
    /// Resetting two-factor authentication from Keepwatch.
    pub reset_two_factor: bool,
    /// A list of withdrawals to check.
    pub withdrawals: bool,
    /// An address blocklist.
    pub blocklist: bool,
    /// A session length setting.
    pub session_length: bool,
    /// Devices trusted to skip the second factor.
    pub trusted_devices: bool,
    /// A log of sign-in attempts.
    pub login_history: bool,
    /// Whether the server says when a session first signed in; without, history's first
    /// sighting stands in ("first seen by Keepwatch").
    pub first_login: bool,
    /// Whether signing a session out asks for the account's password there and then
    /// (Matrix's user-interactive authentication); the password is never kept.
    pub sign_out_needs_password: bool,
    /// Whether addresses are placed by Keepwatch's own location data ([`crate::geo_data`])
    /// rather than by the server, so that the window offers to get that data.
    pub places_from_local_data: bool,
}

impl Capabilities {
    /// Whether the provider can carry out `step` of an alert's response.
    pub fn offers(&self, step: &keepwatch_detector::ResponseStep) -> bool {
        use keepwatch_detector::ResponseStep as S;
        match step {
            S::SignInAgain | S::SignOutSession { .. } | S::ContactSupport => true,
            S::ChangePassword => self.change_password,
            S::ResetTwoFactor => self.reset_two_factor,
            S::ReviewWithdrawals => self.withdrawals,
            S::BlockIp { .. } => self.blocklist,
        }
    }
}

impl ProviderKind {
    /// What accounts of this kind offer.
    pub fn capabilities(self) -> Capabilities {
        match self {
            ProviderKind::KeepwatchApi => Capabilities {
                change_password: true,
                reset_two_factor: true,
                withdrawals: true,
                blocklist: true,
                session_length: true,
                trusted_devices: true,
                login_history: true,
                first_login: true,
                sign_out_needs_password: false,
                places_from_local_data: false,
            },
            ProviderKind::Matrix => Capabilities {
                change_password: false,
                reset_two_factor: false,
                withdrawals: false,
                blocklist: false,
                session_length: false,
                trusted_devices: false,
                login_history: false,
                first_login: false,
                sign_out_needs_password: true,
                places_from_local_data: true,
            },
        }
    }

    /// The provider's name as the CLI and logs give it.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::KeepwatchApi => "Keepwatch API",
            ProviderKind::Matrix => "Matrix",
        }
    }
}

/// An account's connection to its account system.
#[derive(Debug)]
pub enum Provider {
    /// A Keepwatch API server.
    KeepwatchApi(AccountClient),
    /// A Matrix homeserver.
    Matrix(matrix::MatrixAccount),
}

impl Provider {
    /// Which kind it is.
    pub fn kind(&self) -> ProviderKind {
        match self {
            Provider::KeepwatchApi(_) => ProviderKind::KeepwatchApi,
            Provider::Matrix(_) => ProviderKind::Matrix,
        }
    }

    /// What it offers.
    pub fn capabilities(&self) -> Capabilities {
        self.kind().capabilities()
    }

    /// The Keepwatch API client, for what only that provider offers (withdrawals, the
    /// blocklist, …); [`Error::Unsupported`] for any other.
    pub fn keepwatch_api(&self, what: &'static str) -> Result<&AccountClient> {
        match self {
            Provider::KeepwatchApi(client) => Ok(client),
            other => Err(Error::Unsupported {
                what,
                provider: other.kind().name(),
            }),
        }
    }

    /// Every session of the account, Keepwatch's own marked `current`.
    pub async fn sessions(&self) -> Result<SessionList> {
        match self {
            Provider::KeepwatchApi(client) => client.sessions().await,
            Provider::Matrix(m) => m.sessions().await,
        }
    }

    /// The validator of the last sessions list, for a conditional request next time.
    pub fn sessions_etag(&self) -> Option<String> {
        match self {
            Provider::KeepwatchApi(client) => client.sessions_etag(),
            Provider::Matrix(_) => None,
        }
    }

    /// Signs out session `id`; `password` confirms it where the provider asks
    /// ([`Capabilities::sign_out_needs_password`]; [`Error::PasswordRequired`] without one).
    pub async fn revoke(&self, id: &str, password: Option<&str>) -> Result<()> {
        match self {
            Provider::KeepwatchApi(client) => client.revoke_session(id).await,
            Provider::Matrix(m) => m.revoke(id, password).await,
        }
    }

    /// Signs out every session but Keepwatch's own; returns how many ended.
    pub async fn revoke_others(&self, password: Option<&str>) -> Result<u32> {
        match self {
            Provider::KeepwatchApi(client) => Ok(client.revoke_others().await?.revoked),
            Provider::Matrix(m) => m.revoke_others(password).await,
        }
    }

    /// Ends Keepwatch's own session on the server.
    pub async fn logout(&self) -> Result<()> {
        match self {
            Provider::KeepwatchApi(client) => client.logout().await,
            Provider::Matrix(m) => m.logout().await,
        }
    }
}
