//! Why an alert was raised, as structured facts, worded by the catalogue (`keepwatch-l10n`).

use chrono::{DateTime, Utc};
use keepwatch_api::{LoginOutcome, RevocationReason};
use keepwatch_l10n::{msg, Catalogue, Language};
use serde::{Deserialize, Serialize};

/// One reason behind an alert.
///
/// Structured so that the UI can word it in any language; [`Reason::text`] gives English and
/// [`Reason::text_in`] any language the catalogue speaks.
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

    /// The reason in plain English, one sentence, as the history and the CLI show it.
    pub fn text(&self) -> String {
        self.text_in(Language::En)
    }

    /// The reason in `language`, one sentence. Numbers and times are formatted here, the same
    /// for every language (Western digits, UTC), since the window words reasons itself with
    /// the user's locale and this serves plain-text surfaces.
    pub fn text_in(&self, language: Language) -> String {
        let c = Catalogue::get(language);
        match self {
            Reason::UnfamiliarCountry {
                country_code,
                country,
            } => {
                let name = match country {
                    Some(name) => format!("{name} ({country_code})"),
                    None => country_code.clone(),
                };
                c.format(msg::REASON_UNFAMILIAR_COUNTRY, &[("country", name.into())])
            }
            Reason::UnfamiliarDevice { label } => {
                c.format(msg::REASON_UNFAMILIAR_DEVICE, &[("label", label.into())])
            }
            Reason::UnidentifiedDevice { label } => {
                c.format(msg::REASON_UNIDENTIFIED_DEVICE, &[("label", label.into())])
            }
            Reason::UnknownLocation => c.text(msg::REASON_UNKNOWN_LOCATION),
            Reason::Network {
                asn,
                isp,
                seen_before,
            } => {
                let network = network_name(c, *asn, isp.as_deref());
                let message = if *seen_before {
                    msg::REASON_NETWORK_SEEN
                } else {
                    msg::REASON_NETWORK
                };
                c.format(message, &[("network", network.into())])
            }
            Reason::VpnOrHostingNetwork { asn, operator, isp } => {
                let network = network_name(c, Some(*asn), Some(isp.as_deref().unwrap_or(operator)));
                c.format(
                    msg::REASON_VPN,
                    &[("network", network.into()), ("operator", operator.into())],
                )
            }
            Reason::ImpossibleTravel {
                from,
                to,
                km,
                minutes,
                kmh,
            } => c.format(
                msg::REASON_IMPOSSIBLE_TRAVEL,
                &[
                    ("from", from.into()),
                    ("to", to.into()),
                    (
                        "km",
                        c.format(msg::DISTANCE_KM, &[("km", thousands(*km).into())])
                            .into(),
                    ),
                    ("time", duration(c, *minutes).into()),
                    (
                        "kmh",
                        c.format(msg::SPEED_KMH, &[("kmh", thousands(*kmh).into())])
                            .into(),
                    ),
                ],
            ),
            Reason::UnusualRoute => c.text(msg::REASON_UNUSUAL_ROUTE),
            Reason::TravelMode { until } => c.format(
                msg::REASON_TRAVEL_MODE,
                &[("until", utc_minute(until).into())],
            ),
            Reason::NotFromThisApp => c.text(msg::REASON_NOT_FROM_THIS_APP),
            Reason::UnknownSession => c.text(msg::REASON_UNKNOWN_SESSION),
            Reason::UnseenSession { session_id } => {
                c.format(msg::REASON_UNSEEN_SESSION, &[("id", session_id.into())])
            }
            Reason::KeepwatchSignedOut { cause } => c.text(match cause {
                RevocationReason::PasswordChanged => msg::REASON_SIGNED_OUT_BY_PASSWORD,
                RevocationReason::TwoFactorReset => msg::REASON_SIGNED_OUT_BY_TWO_FACTOR,
                RevocationReason::TokenReused => msg::REASON_SIGNED_OUT_TOKEN_REUSED,
                _ => msg::REASON_SIGNED_OUT,
            }),
            Reason::OtherSessionsSignedOut { count } => match count {
                Some(n) => c.format(
                    msg::REASON_OTHER_SESSIONS_SIGNED_OUT,
                    &[("count", n.into())],
                ),
                None => c.text(msg::REASON_OTHER_SESSIONS_SIGNED_OUT_ALL),
            },
            Reason::WithdrawalToUnknownAddress {
                asset,
                amount,
                address,
            } => c.format(
                msg::REASON_WITHDRAWAL,
                &[
                    ("amount", amount.into()),
                    ("asset", asset.into()),
                    ("address", address.into()),
                ],
            ),
            Reason::FailedSignIn { outcome } => c.text(match outcome {
                LoginOutcome::InvalidCredentials => msg::REASON_FAILED_INVALID_CREDENTIALS,
                LoginOutcome::TotpRequired => msg::REASON_FAILED_TOTP_REQUIRED,
                LoginOutcome::InvalidTotp => msg::REASON_FAILED_INVALID_TOTP,
                LoginOutcome::AccountLocked => msg::REASON_FAILED_ACCOUNT_LOCKED,
                LoginOutcome::IpBlocked => msg::REASON_FAILED_IP_BLOCKED,
                LoginOutcome::Success | LoginOutcome::Unknown => msg::REASON_FAILED_OTHER,
            }),
            Reason::AccountLocked { until } => match until {
                Some(until) => c.format(
                    msg::REASON_ACCOUNT_LOCKED_UNTIL,
                    &[("until", utc_minute(until).into())],
                ),
                None => c.text(msg::REASON_ACCOUNT_LOCKED),
            },
        }
    }
}

/// `2026-11-27 09:14 UTC`: plain-text surfaces have no time zone of the reader's to go by.
fn utc_minute(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn network_name(c: &Catalogue, asn: Option<u32>, isp: Option<&str>) -> String {
    match (isp, asn) {
        (Some(isp), Some(asn)) => format!("{isp} (AS{asn})"),
        (Some(isp), None) => isp.to_owned(),
        (None, Some(asn)) => format!("AS{asn}"),
        (None, None) => c.text(msg::REASON_UNKNOWN_NETWORK),
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
fn duration(c: &Catalogue, minutes: u32) -> String {
    match minutes {
        0..60 => c.format(msg::DURATION_MINUTES, &[("minutes", minutes.into())]),
        _ if minutes.is_multiple_of(60) => {
            c.format(msg::DURATION_HOURS, &[("hours", (minutes / 60).into())])
        }
        _ => c.format(
            msg::DURATION_HOURS_MINUTES,
            &[
                ("hours", (minutes / 60).into()),
                ("minutes", (minutes % 60).into()),
            ],
        ),
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
        let en = Catalogue::get(Language::En);
        assert_eq!(duration(en, 1), "1 minute");
        assert_eq!(duration(en, 45), "45 minutes");
        assert_eq!(duration(en, 120), "2 h");
        assert_eq!(duration(en, 200), "3 h 20 min");
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
