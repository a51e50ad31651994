//! What the detector hands the core: an alert, how bad it is, and what to do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use keepwatch_l10n::{msg, Catalogue, Language, Message};

use crate::{Reason, ResponseStep};

/// How urgently the user should look. Ordered: `Info < Warning < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; no action expected.
    Info,
    /// Probably the user, but only they can tell.
    Warning,
    /// Act now: the account may be in someone else's hands.
    Critical,
}

/// What an alert is about. The stable identifier the UI keys translations and icons on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Unfamiliar or unidentified device in an unfamiliar country, or after impossible travel
    /// across a border.
    PossibleTakeover,
    /// Familiar device, unfamiliar country: most likely a VPN or an unusual route.
    NewCountry,
    /// Familiar device in a familiar country, but too far from the last sighting to have
    /// travelled there: most likely a VPN or the ISP's route (Info when both places are in
    /// familiar countries).
    ImpossibleTravel,
    /// Unfamiliar device in a familiar country (even after impossible travel inside it), or where
    /// the country is unknown.
    NewDevice,
    /// A withdrawal to an address outside the address book.
    UnknownWithdrawalAddress,
    /// 2FA was reset from a session that is not Keepwatch's.
    TwoFactorReset,
    /// The password was changed from a session that is not Keepwatch's.
    PasswordChanged,
    /// Another session signed Keepwatch's own session out, alone or with "sign out all other
    /// sessions", or the server ended it because a copy of its sign-in was used: Keepwatch
    /// stopped watching, which is what an intruder wants.
    KeepwatchSignedOut,
    /// Failed sign-ins locked the account.
    AccountLocked,
    /// A sign-in failed.
    FailedSignIn,
}

impl Severity {
    /// The catalogue's name for this severity: the same word in notifications, the tray and
    /// the window.
    pub fn message(self) -> Message {
        match self {
            Severity::Info => msg::SEVERITY_INFO,
            Severity::Warning => msg::SEVERITY_WARNING,
            Severity::Critical => msg::SEVERITY_CRITICAL,
        }
    }

    /// The severity's name in `language`: `"Critical"`.
    pub fn name(self, language: Language) -> String {
        Catalogue::get(language).text(self.message())
    }
}

impl AlertKind {
    /// The catalogue's title for this kind.
    pub fn message(self) -> Message {
        match self {
            AlertKind::PossibleTakeover => msg::KIND_POSSIBLE_TAKEOVER,
            AlertKind::NewCountry => msg::KIND_NEW_COUNTRY,
            AlertKind::ImpossibleTravel => msg::KIND_IMPOSSIBLE_TRAVEL,
            AlertKind::NewDevice => msg::KIND_NEW_DEVICE,
            AlertKind::UnknownWithdrawalAddress => msg::KIND_UNKNOWN_WITHDRAWAL_ADDRESS,
            AlertKind::TwoFactorReset => msg::KIND_TWO_FACTOR_RESET,
            AlertKind::PasswordChanged => msg::KIND_PASSWORD_CHANGED,
            AlertKind::KeepwatchSignedOut => msg::KIND_KEEPWATCH_SIGNED_OUT,
            AlertKind::AccountLocked => msg::KIND_ACCOUNT_LOCKED,
            AlertKind::FailedSignIn => msg::KIND_FAILED_SIGN_IN,
        }
    }

    /// The English title shown for this kind, as the history stores it.
    pub fn title(self) -> String {
        self.title_in(Language::En)
    }

    /// The title of this kind in `language`.
    pub fn title_in(self, language: Language) -> String {
        Catalogue::get(language).text(self.message())
    }
}

/// One alert: the detector's whole answer about one session or event.
///
/// # The `key` contract
///
/// `key` names what the alert is about, and is the same every time the same thing is assessed,
/// in this run or after a restart: `"session:<session id>"` for a sign-in (whether it was seen in
/// the session list or in a `session_created` event, so the two paths cannot alert twice), and
/// `"event:<event id>"` for every other event. The core stores the keys it has raised and drops
/// any alert whose key it has already raised; the detector itself keeps no memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Alert {
    /// De-duplication key; see the type's documentation. Built by [`session_key`] or
    /// [`event_key`].
    pub key: String,
    /// What it is about.
    pub kind: AlertKind,
    /// How urgent it is.
    pub severity: Severity,
    /// English title, from [`AlertKind::title`].
    pub title: String,
    /// One line for a notification: device and place, e.g.
    /// `"Chrome 124 on Windows 11 · São Paulo, Brazil"`. Never a token or a full IP address.
    pub summary: String,
    /// The session concerned, when known.
    pub session_id: Option<String>,
    /// The account event it came from, if any.
    pub event_id: Option<u64>,
    /// Why, most important first.
    pub reasons: Vec<Reason>,
    /// What to do about it, in order.
    pub steps: Vec<ResponseStep>,
    /// When the sign-in or event happened.
    pub occurred_at: DateTime<Utc>,
}

/// The de-duplication key of an alert about a session: `"session:<id>"`.
pub fn session_key(session_id: &str) -> String {
    format!("session:{session_id}")
}

/// The de-duplication key of an alert about an event: `"event:<id>"`.
pub fn event_key(event_id: u64) -> String {
    format!("event:{event_id}")
}
