//! Why an alert was raised, as structured facts with English text.

use chrono::{DateTime, Utc};
use keepwatch_api::{LoginOutcome, RevocationReason};
use serde::{Deserialize, Serialize};

/// One reason behind an alert.
///
/// Structured so that the UI can word it in any language; [`Reason::text`] gives English.
/// Serialised with a `"type"` tag equal to [`Reason::code`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reason {
    /// The session's country is not among the familiar ones.
    UnfamiliarCountry {
        /// ISO 3166-1 alpha-2 code, upper case.
        country_code: String,
        /// English name, when the geolocation gave one.
        country: Option<String>,
    },
    /// The device (browser, OS and type) is not among the familiar ones.
    UnfamiliarDevice {
        /// The device as people read it, e.g. `"Firefox 125 on Linux"`.
        label: String,
    },
    /// Neither browser nor OS could be told, so the device cannot count as familiar.
    UnidentifiedDevice {
        /// The device as the server labelled it.
        label: String,
    },
    /// The address has no known country: only the device was judged. No country is guessed.
    UnknownLocation,
    /// Whose network the address belongs to.
    Network {
        /// Autonomous system number.
        asn: Option<u32>,
        /// The network's holder, e.g. `"Deutsche Telekom AG"`.
        isp: Option<String>,
        /// Whether a familiar session came from this autonomous system.
        seen_before: bool,
    },
    /// The address belongs to a well-known hosting network: likely a VPN or a rented server.
    VpnOrHostingNetwork {
        /// Autonomous system number.
        asn: u32,
        /// Who operates it, from [`crate::HOSTING_NETWORKS`].
        operator: String,
        /// The network's holder as the geolocation named it.
        isp: Option<String>,
    },
    /// Too far from the previous sighting for the time between them.
    ImpossibleTravel {
        /// Where the previous sighting was.
        from: String,
        /// Where this one is.
        to: String,
        /// Great-circle distance, kilometres.
        km: u32,
        /// Time between the two, minutes (at least 1).
        minutes: u32,
        /// Speed needed even after allowing for geolocation error, km/h.
        kmh: u32,
    },
    /// An impossible trip whose both ends are in countries the account is used from: ISPs and
    /// mobile carriers route traffic through distant points, and city-level geolocation is often
    /// hundreds of kilometres off, so this is far likelier the user's own connection than a
    /// journey or a stranger.
    UnusualRoute,
    /// Travel mode lowered a location-only alert to information.
    TravelMode {
        /// When travel mode ends.
        until: DateTime<Utc>,
    },
    /// The action was not taken from one of Keepwatch's own sessions.
    NotFromThisApp,
    /// The account service did not say which session acted.
    UnknownSession,
    /// The session that acted was never seen by Keepwatch: it signed in and acted between
    /// two looks.
    UnseenSession {
        /// Its id, as the server named it.
        session_id: String,
    },
    /// Keepwatch's own session was ended by it, so Keepwatch stopped watching.
    KeepwatchSignedOut {
        /// How the server said the session ended.
        cause: RevocationReason,
    },
    /// Every other session of the account was signed out.
    OtherSessionsSignedOut {
        /// How many, when the server said.
        count: Option<u32>,
    },
    /// A withdrawal goes to an address outside the address book.
    WithdrawalToUnknownAddress {
        /// Asset symbol, e.g. `"BTC"`.
        asset: String,
        /// Amount as the server sent it, e.g. `"0.5"`.
        amount: String,
        /// The destination address.
        address: String,
    },
    /// A sign-in attempt failed.
    FailedSignIn {
        /// How it ended.
        outcome: LoginOutcome,
    },
    /// Failed sign-ins locked the account.
    AccountLocked {
        /// When sign-ins are allowed again, if the server said.
        until: Option<DateTime<Utc>>,
    },
}

impl Reason {
    /// The stable identifier of this kind of reason (the serialised `"type"`).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::UnfamiliarCountry { .. } => "unfamiliar_country",
            Reason::UnfamiliarDevice { .. } => "unfamiliar_device",
            Reason::UnidentifiedDevice { .. } => "unidentified_device",
            Reason::UnknownLocation => "unknown_location",
            Reason::Network { .. } => "network",
            Reason::VpnOrHostingNetwork { .. } => "vpn_or_hosting_network",
            Reason::ImpossibleTravel { .. } => "impossible_travel",
            Reason::UnusualRoute => "unusual_route",
            Reason::TravelMode { .. } => "travel_mode",
            Reason::NotFromThisApp => "not_from_this_app",
            Reason::UnknownSession => "unknown_session",
            Reason::UnseenSession { .. } => "unseen_session",
            Reason::KeepwatchSignedOut { .. } => "keepwatch_signed_out",
            Reason::OtherSessionsSignedOut { .. } => "other_sessions_signed_out",
            Reason::WithdrawalToUnknownAddress { .. } => "withdrawal_to_unknown_address",
            Reason::FailedSignIn { .. } => "failed_sign_in",
            Reason::AccountLocked { .. } => "account_locked",
        }
    }

    /// The reason in plain English, one sentence.
    pub fn text(&self) -> String {
        match self {
            Reason::UnfamiliarCountry {
                country_code,
                country,
            } => {
                let name = match country {
                    Some(name) => format!("{name} ({country_code})"),
                    None => country_code.clone(),
                };
                format!("{name} is not a country this account has been used from.")
            }
            Reason::UnfamiliarDevice { label } => {
                format!("{label} is not a device this account has been used from.")
            }
            Reason::UnidentifiedDevice { label } => format!(
                "The device (\"{label}\") could not be identified, so it cannot be matched to \
                 one of yours."
            ),
            Reason::UnknownLocation => "The address could not be located, so no country was \
                                        judged: only the device was."
                .to_owned(),
            Reason::Network {
                asn,
                isp,
                seen_before,
            } => {
                let network = network_name(*asn, isp.as_deref());
                if *seen_before {
                    format!("The address belongs to {network}, a network you have used before.")
                } else {
                    format!("The address belongs to {network}.")
                }
            }
            Reason::VpnOrHostingNetwork { asn, operator, isp } => {
                let network = network_name(Some(*asn), Some(isp.as_deref().unwrap_or(operator)));
                format!(
                    "The address belongs to {network}, a hosting network ({operator}) where VPN \
                     services and rented servers live: this may well be a VPN."
                )
            }
            Reason::ImpossibleTravel {
                from,
                to,
                km,
                minutes,
                kmh,
            } => format!(
                "{from} to {to} is {} km in {}: even allowing for geolocation error that is \
                 {} km/h, faster than any flight.",
                thousands(*km),
                duration(*minutes),
                thousands(*kmh)
            ),
            Reason::UnusualRoute => "Both places are in countries this account is used from, \
                                     so this is probably your ISP or carrier (or a VPN) routing \
                                     the connection through a distant point, not a journey."
                .to_owned(),
            Reason::TravelMode { until } => format!(
                "Travel mode is on until {}, so a new place alone is shown as information.",
                until.format("%Y-%m-%d %H:%M UTC")
            ),
            Reason::NotFromThisApp => "It was not done from Keepwatch.".to_owned(),
            Reason::UnknownSession => {
                "The account service did not say which session did it.".to_owned()
            }
            Reason::UnseenSession { session_id } => format!(
                "It was done from a session Keepwatch never saw ({session_id}): it signed in and \
                 acted between two looks."
            ),
            Reason::KeepwatchSignedOut { cause } => match cause {
                RevocationReason::PasswordChanged => "The password change signed Keepwatch out \
                                                      too: it is not watching until you sign in \
                                                      again."
                    .to_owned(),
                RevocationReason::TwoFactorReset => "The 2FA reset signed Keepwatch out too: it \
                                                     is not watching until you sign in again."
                    .to_owned(),
                RevocationReason::TokenReused => "Keepwatch's sign-in was used a second time \
                                                  from somewhere else, so the account service \
                                                  ended it: someone may have a copy of it. \
                                                  Keepwatch is not watching until you sign in \
                                                  again."
                    .to_owned(),
                _ => "Keepwatch's own session was signed out: it is not watching until you sign \
                      in again."
                    .to_owned(),
            },
            Reason::OtherSessionsSignedOut { count } => match count {
                Some(1) => "The one other session was signed out.".to_owned(),
                Some(n) => format!("Every other session ({n}) was signed out."),
                None => "Every other session was signed out.".to_owned(),
            },
            Reason::WithdrawalToUnknownAddress {
                asset,
                amount,
                address,
            } => format!(
                "{amount} {asset} is being sent to {address}, which is not in your address book."
            ),
            Reason::FailedSignIn { outcome } => match outcome {
                LoginOutcome::InvalidCredentials => {
                    "Someone tried to sign in with a wrong password.".to_owned()
                }
                LoginOutcome::TotpRequired => "Someone entered the right password and was asked \
                                               for a 2FA code."
                    .to_owned(),
                LoginOutcome::InvalidTotp => "Someone entered the right password but a wrong 2FA \
                                              code: if it was not you, someone knows your \
                                              password."
                    .to_owned(),
                LoginOutcome::AccountLocked => {
                    "A sign-in was refused because the account was locked.".to_owned()
                }
                LoginOutcome::IpBlocked => {
                    "A sign-in was refused because its address is on your blocklist.".to_owned()
                }
                LoginOutcome::Success | LoginOutcome::Unknown => "A sign-in failed.".to_owned(),
            },
            Reason::AccountLocked { until } => match until {
                Some(until) => format!(
                    "Too many failed sign-ins locked the account until {}.",
                    until.format("%Y-%m-%d %H:%M UTC")
                ),
                None => "Too many failed sign-ins locked the account.".to_owned(),
            },
        }
    }
}

fn network_name(asn: Option<u32>, isp: Option<&str>) -> String {
    match (isp, asn) {
        (Some(isp), Some(asn)) => format!("{isp} (AS{asn})"),
        (Some(isp), None) => isp.to_owned(),
        (None, Some(asn)) => format!("AS{asn}"),
        (None, None) => "an unknown network".to_owned(),
    }
}

/// `10000` → `"10,000"`.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `45` → `"45 minutes"`, `200` → `"3 h 20 min"`.
fn duration(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".to_owned(),
        0..60 => format!("{minutes} minutes"),
        _ if minutes.is_multiple_of(60) => format!("{} h", minutes / 60),
        _ => format!("{} h {} min", minutes / 60, minutes % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration(1), "1 minute");
        assert_eq!(duration(45), "45 minutes");
        assert_eq!(duration(120), "2 h");
        assert_eq!(duration(200), "3 h 20 min");
    }

    #[test]
    fn impossible_travel_text_names_distance_time_and_speed() {
        let reason = Reason::ImpossibleTravel {
            from: "Berlin, Germany".into(),
            to: "São Paulo, Brazil".into(),
            km: 10_009,
            minutes: 45,
            kmh: 13_079,
        };
        assert_eq!(
            reason.text(),
            "Berlin, Germany to São Paulo, Brazil is 10,009 km in 45 minutes: even allowing for \
             geolocation error that is 13,079 km/h, faster than any flight."
        );
    }
}
