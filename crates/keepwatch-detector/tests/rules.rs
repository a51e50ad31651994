//! The detector's rules, one table row each: what happens, and what the user is told.

mod fixtures;

use chrono::{DateTime, Utc};
use keepwatch_api::{EventKind, LoginOutcome, Revocation, RevocationReason, Session};
use keepwatch_detector::{
    assess_event, assess_lost_session, assess_session, AlertKind, AlertKind::*, Context,
    LostSession, Severity, Severity::*, Sighting,
};

use fixtures::*;

/// When every assessment happens.
fn now() -> DateTime<Utc> {
    t(120)
}

enum Input {
    Session(Box<Session>),
    Event(Box<keepwatch_api::Event>),
    /// Keepwatch's own session ("keepwatch-now") ended as the server told it, with the session
    /// that ended it as Keepwatch last saw it.
    Lost(Box<Revocation>, Option<Box<Session>>),
}

struct Row {
    rule: &'static str,
    input: Input,
    previous: Option<Sighting>,
    travel_mode_until: Option<DateTime<Utc>>,
    /// `None`: no alert. Otherwise kind, severity and the reason codes, in order.
    expect: Option<(AlertKind, Severity, &'static [&'static str])>,
}

fn sign_in(rule: &'static str, session: Session) -> Row {
    Row {
        rule,
        input: Input::Session(Box::new(session)),
        previous: None,
        travel_mode_until: None,
        expect: None,
    }
}

/// Keepwatch's own session ends for `reason`, by `by_session` (as Keepwatch saw it: `by`),
/// recorded by event 40.
fn lost(
    rule: &'static str,
    reason: RevocationReason,
    by_session: Option<&str>,
    by: Option<Session>,
) -> Row {
    let revocation = Revocation {
        reason,
        by_session: by_session.map(str::to_owned),
        event_id: Some(40),
        ended_at: t(5),
    };
    Row {
        input: Input::Lost(Box::new(revocation), by.map(Box::new)),
        ..sign_in(rule, session("unused", NOWHERE, unknown_device()))
    }
}

/// "Sign out all other sessions" from `by`, which ended three.
fn sessions_revoked(id: u64, by: Option<Session>) -> keepwatch_api::Event {
    let mut event = event(id, EventKind::SessionsRevoked, by);
    event.revoked_sessions = Some(3);
    event
}

fn on_event(rule: &'static str, event: keepwatch_api::Event) -> Row {
    Row {
        input: Input::Event(Box::new(event)),
        ..sign_in(rule, session("unused", NOWHERE, unknown_device()))
    }
}

impl Row {
    /// The previous sighting was this session.
    fn after(mut self, previous: Session) -> Self {
        let sighting = Sighting::of(&previous)
            .unwrap_or_else(|| panic!("{}: previous has no coordinates", self.rule));
        self.previous = Some(sighting);
        self
    }
    /// The previous sighting, as the core stored it.
    fn after_sighting(mut self, previous: Sighting) -> Self {
        self.previous = Some(previous);
        self
    }
    fn travel_mode_until(mut self, until: DateTime<Utc>) -> Self {
        self.travel_mode_until = Some(until);
        self
    }
    fn alert(
        mut self,
        kind: AlertKind,
        severity: Severity,
        reasons: &'static [&'static str],
    ) -> Self {
        self.expect = Some((kind, severity, reasons));
        self
    }
    fn no_alert(self) -> Self {
        self
    }
}

fn laptop() -> keepwatch_api::Device {
    chrome_windows("124")
}

/// An address in another /24 than the fixtures' default: a different network, so a distance to
/// a sighting on the default address counts as travel.
const AWAY: &str = "203.0.113.9";

/// The user's laptop, last seen in Berlin at t(0).
fn laptop_in_berlin() -> Session {
    session("laptop-earlier", BERLIN, chrome_windows("123"))
}

/// The user's laptop, last seen at t(0) in São Paulo, a country the baseline does not know.
fn laptop_in_sao_paulo() -> Session {
    session("laptop-abroad", SAO_PAULO, chrome_windows("123"))
}

/// The user's iPhone, last seen in Berlin at t(0) on a Telekom IPv6 address.
fn phone_in_berlin() -> Session {
    session("phone-earlier", BERLIN, safari_ios()).ip(PHONE_V6)
}

/// The user's laptop, last seen at t(0) on its VPN's Frankfurt exit.
fn laptop_on_vpn_in_frankfurt() -> Session {
    session("laptop-vpn", FRANKFURT, chrome_windows("123"))
        .ip(VPN_POOL_A)
        .via(M247)
}

fn rows() -> Vec<Row> {
    vec![
        // --- familiar places and devices: silence -------------------------------------------
        sign_in(
            "familiar device in a familiar country is not an alert",
            session("s", BERLIN, laptop()),
        )
        .no_alert(),
        sign_in(
            "a city change inside a familiar country is not an alert",
            session("s", MUNICH, laptop()).ip(AWAY).at(180),
        )
        .after(laptop_in_berlin())
        .no_alert(),
        sign_in(
            "a new IPv4 address on a familiar network in a familiar country is not an alert",
            session("s", HAMBURG, laptop()).ip("198.51.100.200"),
        )
        .no_alert(),
        sign_in(
            "a new IPv6 suffix inside a familiar /64 is not an alert",
            session("s", BERLIN, laptop()).ip("2003:e5:1234:5600::beef"),
        )
        .no_alert(),
        sign_in(
            "a familiar /64 stays familiar when the geolocation moves it abroad",
            session("s", AMSTERDAM, laptop())
                .ip("2003:e5:1234:5600::beef")
                .at(1),
        )
        .after(laptop_in_berlin())
        .no_alert(),
        sign_in(
            "a browser update is the same device",
            session("s", BERLIN, chrome_windows("131")),
        )
        .no_alert(),
        sign_in(
            "Keepwatch's own session is never alerted on",
            session("keepwatch", SAO_PAULO, firefox_linux()),
        )
        .no_alert(),
        sign_in(
            "the current session is never alerted on",
            session("s", SAO_PAULO, firefox_linux()).current(),
        )
        .no_alert(),
        // --- the two "country I've never visited" scenarios ----------------------------------
        sign_in(
            "unfamiliar device AND unfamiliar country is a possible takeover",
            session("s", SAO_PAULO, firefox_linux()).network(Some(28573), Some("Claro NXT")),
        )
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "unfamiliar_country", "network"],
        ),
        sign_in(
            "familiar device in an unfamiliar country asks: VPN or unusual route? naming the ISP",
            session("s", AMSTERDAM, laptop()).network(Some(1136), Some("KPN B.V.")),
        )
        .alert(NewCountry, Warning, &["unfamiliar_country", "network"]),
        sign_in(
            "an unfamiliar country through a well-known hosting network says it may be a VPN",
            session("s", AMSTERDAM, laptop()).network(Some(9009), Some("M247 Europe SRL")),
        )
        .alert(
            NewCountry,
            Warning,
            &["unfamiliar_country", "vpn_or_hosting_network"],
        ),
        sign_in(
            "a familiar ISP in an unfamiliar country is still a new country",
            session("s", AMSTERDAM, laptop()),
        )
        .alert(NewCountry, Warning, &["unfamiliar_country", "network"]),
        sign_in(
            "an unfamiliar device in a familiar country is a new device",
            session("s", BERLIN, firefox_linux()),
        )
        .alert(NewDevice, Warning, &["unfamiliar_device", "network"]),
        sign_in(
            "a familiar browser on an unfamiliar OS is a new device",
            session(
                "s",
                BERLIN,
                device(
                    Some("Chrome"),
                    "124",
                    Some("macOS"),
                    "Sonoma",
                    keepwatch_api::DeviceType::Desktop,
                ),
            ),
        )
        .alert(NewDevice, Warning, &["unfamiliar_device", "network"]),
        // --- no location: device only, never an invented country -----------------------------
        sign_in(
            "no location and a familiar device is not an alert",
            session("s", NOWHERE, laptop()).network(None, None),
        )
        .no_alert(),
        sign_in(
            "no location and an unfamiliar device is a new device, saying the place is unknown",
            session("s", NOWHERE, firefox_linux()).network(None, None),
        )
        .alert(
            NewDevice,
            Warning,
            &["unfamiliar_device", "unknown_location"],
        ),
        sign_in(
            "an unidentifiable device in a familiar country is a new device",
            session("s", BERLIN, unknown_device()),
        )
        .alert(NewDevice, Warning, &["unidentified_device", "network"]),
        sign_in(
            "an unidentifiable device in an unfamiliar country is a possible takeover",
            session("s", SAO_PAULO, unknown_device()),
        )
        .alert(
            PossibleTakeover,
            Critical,
            &["unidentified_device", "unfamiliar_country", "network"],
        ),
        // --- travel mode ---------------------------------------------------------------------
        sign_in(
            "travel mode turns a new country on a familiar device into information",
            session("s", AMSTERDAM, laptop()),
        )
        .travel_mode_until(t(7 * 24 * 60))
        .alert(
            NewCountry,
            Info,
            &["unfamiliar_country", "network", "travel_mode"],
        ),
        sign_in(
            "travel mode that has ended no longer softens a new country",
            session("s", AMSTERDAM, laptop()),
        )
        .travel_mode_until(t(60))
        .alert(NewCountry, Warning, &["unfamiliar_country", "network"]),
        sign_in(
            "travel mode ending exactly now has ended",
            session("s", AMSTERDAM, laptop()),
        )
        .travel_mode_until(now())
        .alert(NewCountry, Warning, &["unfamiliar_country", "network"]),
        sign_in(
            "travel mode never softens a possible takeover",
            session("s", SAO_PAULO, firefox_linux()),
        )
        .travel_mode_until(t(7 * 24 * 60))
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "unfamiliar_country", "network"],
        ),
        sign_in(
            "travel mode never softens a new device",
            session("s", BERLIN, firefox_linux()),
        )
        .travel_mode_until(t(7 * 24 * 60))
        .alert(NewDevice, Warning, &["unfamiliar_device", "network"]),
        sign_in(
            "travel mode softens impossible travel on a familiar device from a country the \
                 account does not know",
            session("s", BERLIN, laptop()).ip(AWAY).at(60),
        )
        .after(laptop_in_sao_paulo())
        .travel_mode_until(t(7 * 24 * 60))
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "network", "travel_mode"],
        ),
        sign_in(
            "travel mode adds nothing to impossible travel that is information already",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(60),
        )
        .after(laptop_in_berlin())
        .travel_mode_until(t(7 * 24 * 60))
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        // --- impossible travel: the device decides between familiar places ------------------
        sign_in(
            "Berlin to New York (6,385 km) in an hour on a familiar device, both countries \
                 familiar, is information: probably the ISP, the carrier or a VPN",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(60),
        )
        .after(laptop_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "issue #8: a new browser in another city of a familiar country, minutes after the \
                 last sighting, is a new-device warning, never a takeover",
            session("s", MUNICH, firefox_linux()).ip(AWAY).at(5),
        )
        .after(laptop_in_berlin())
        .alert(
            NewDevice,
            Warning,
            &[
                "unfamiliar_device",
                "impossible_travel",
                "unusual_route",
                "network",
            ],
        ),
        sign_in(
            "an unidentifiable device across a familiar country is a new device too",
            session("s", MUNICH, unknown_device()).ip(AWAY).at(5),
        )
        .after(laptop_in_berlin())
        .alert(
            NewDevice,
            Warning,
            &[
                "unidentified_device",
                "impossible_travel",
                "unusual_route",
                "network",
            ],
        ),
        sign_in(
            "impossible travel on a familiar device from a country the account does not know \
                 stays a warning",
            session("s", BERLIN, laptop()).ip(AWAY).at(60),
        )
        .after(laptop_in_sao_paulo())
        .alert(ImpossibleTravel, Warning, &["impossible_travel", "network"]),
        sign_in(
            "a sighting stored without its country is no evidence of a familiar route: a \
                 familiar device's impossible trip from it stays a warning",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(60),
        )
        .after_sighting(legacy_sighting("laptop-earlier", BERLIN, 0))
        .alert(ImpossibleTravel, Warning, &["impossible_travel", "network"]),
        sign_in(
            "a one-minute hop Berlin to Amsterdam (576 km) on a familiar device is named too",
            session("s", AMSTERDAM, laptop()).ip(AWAY).at(1),
        )
        .after(laptop_in_berlin())
        .alert(
            NewCountry,
            Warning,
            &["unfamiliar_country", "impossible_travel", "network"],
        ),
        sign_in(
            "under 500 km is never impossible travel, even within a minute",
            session("s", HAMBURG, laptop()).ip(AWAY).at(1),
        )
        .after(laptop_in_berlin())
        .no_alert(),
        sign_in(
            "under 900 km/h is plausible: Berlin to New York in 8 hours",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(8 * 60),
        )
        .after(laptop_in_berlin())
        .no_alert(),
        sign_in(
            "geolocation error is allowed for: New York to Chicago (1,144 km) in 70 min is \
                 981 km/h raw but 810 km/h after 100 km off each end",
            session("s", CHICAGO, laptop()).ip(AWAY).at(70),
        )
        .after(session("ny", NEW_YORK, laptop()))
        .no_alert(),
        sign_in(
            "the same trip in 50 min is still too fast after the allowance, and information \
                 inside a familiar country",
            session("s", CHICAGO, laptop()).ip(AWAY).at(50),
        )
        .after(session("ny", NEW_YORK, laptop()))
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "coordinates without a city are country-level: New York to the middle of the US \
                 (2,071 km) in 90 min is not travel once 1,000 km is allowed there",
            session("s", UNITED_STATES, laptop()).ip(AWAY).at(90),
        )
        .after(session("ny", NEW_YORK, laptop()))
        .no_alert(),
        sign_in(
            "the previous sighting of the same session is not travel",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(1),
        )
        .after(session("s", BERLIN, laptop()))
        .no_alert(),
        sign_in(
            "sightings out of order are judged on the time between them",
            session("s", NEW_YORK, laptop()).ip(AWAY).at(0),
        )
        .after(laptop_in_berlin().at(30))
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        // --- impossible travel: what stays a takeover ---------------------------------------
        sign_in(
            "takeover: an unfamiliar device from Berlin to New York within an hour crosses a \
                 border no flight allows, though both countries are familiar",
            session("s", NEW_YORK, firefox_linux()).ip(AWAY).at(60),
        )
        .after(laptop_in_berlin())
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "impossible_travel", "network"],
        ),
        sign_in(
            "takeover: an unidentifiable device from Berlin to New York within an hour",
            session("s", NEW_YORK, unknown_device()).ip(AWAY).at(60),
        )
        .after(laptop_in_berlin())
        .alert(
            PossibleTakeover,
            Critical,
            &["unidentified_device", "impossible_travel", "network"],
        ),
        sign_in(
            "takeover: an unfamiliar device in an unfamiliar country after impossible travel \
                 names both, and no reassurance",
            session("s", SAO_PAULO, firefox_linux()).ip(AWAY).at(45),
        )
        .after(laptop_in_berlin())
        .alert(
            PossibleTakeover,
            Critical,
            &[
                "unfamiliar_device",
                "unfamiliar_country",
                "impossible_travel",
                "network",
            ],
        ),
        sign_in(
            "takeover: a VPN does not launder a stranger: an unfamiliar device jumping from \
                 the user's VPN exit in Frankfurt to New York",
            session("s", NEW_YORK, firefox_linux())
                .ip(VPN_POOL_B)
                .via(M247)
                .at(2),
        )
        .after(laptop_on_vpn_in_frankfurt())
        .alert(
            PossibleTakeover,
            Critical,
            &[
                "unfamiliar_device",
                "impossible_travel",
                "vpn_or_hosting_network",
            ],
        ),
        sign_in(
            "takeover: one network clears travel, never a country: an unfamiliar device on the \
                 last sighting's /24, placed in Amsterdam",
            session("s", AMSTERDAM, firefox_linux())
                .ip("198.51.100.42")
                .at(1),
        )
        .after(laptop_in_berlin())
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "unfamiliar_country", "network"],
        ),
        sign_in(
            "takeover: a country-level location is weaker for distance, not for the country: \
                 an unfamiliar device placed only in Brazil",
            session("s", BRAZIL, firefox_linux()),
        )
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "unfamiliar_country", "network"],
        ),
        sign_in(
            "takeover: from a sighting stored without its country, an unfamiliar device's \
                 impossible trip is not known to stay in one country",
            session("s", NEW_YORK, firefox_linux()).ip(AWAY).at(60),
        )
        .after_sighting(legacy_sighting("laptop-earlier", BERLIN, 0))
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "impossible_travel", "network"],
        ),
        // --- known false positives: one network is not travel -------------------------------
        sign_in(
            "stale GeoIP: an address in the /24 and AS of the last sighting, placed in Munich a \
                 minute after Berlin, is one network whose database entry moved, not travel",
            session("s", MUNICH, laptop()).ip("198.51.100.42").at(1),
        )
        .after(laptop_in_berlin())
        .no_alert(),
        sign_in(
            "stale GeoIP: the same AS in another /24, placed in Munich a minute after Berlin, \
                 is at most information on a familiar device",
            session("s", MUNICH, laptop()).ip(AWAY).at(1),
        )
        .after(laptop_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "stale GeoIP that moves the block abroad clears the travel but not the new country: \
                 a familiar device stays a new-country warning",
            session("s", AMSTERDAM, laptop()).ip("198.51.100.42").at(1),
        )
        .after(laptop_in_berlin())
        .alert(NewCountry, Warning, &["unfamiliar_country", "network"]),
        sign_in(
            "the same /24 under another AS is another network: the distance counts (as \
                 information, between familiar places)",
            session("s", MUNICH, laptop())
                .ip("198.51.100.42")
                .via(O2)
                .at(1),
        )
        .after(laptop_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "IPv6 privacy address: a new random suffix in the last sighting's /64, placed in \
                 Munich, is not travel",
            session("s", MUNICH, safari_ios())
                .ip("2001:db8:7:1:1234:5678:9abc:def0")
                .at(1),
        )
        .after(phone_in_berlin())
        .no_alert(),
        sign_in(
            "IPv6 privacy address: another /64 of the last sighting's /48 is the same site, not \
                 travel",
            session("s", MUNICH, safari_ios())
                .ip("2001:db8:7:2f:1234:5678:9abc:def0")
                .at(1),
        )
        .after(phone_in_berlin())
        .no_alert(),
        sign_in(
            "another IPv6 /48 is another network: the distance counts (as information, between \
                 familiar places)",
            session("s", MUNICH, safari_ios())
                .ip("2001:db8:8:1::5")
                .at(1),
        )
        .after(phone_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "VPN reconnect inside one exit pool: two addresses of one /24 on the familiar VPN's \
                 AS are one network, whatever cities the provider gives them",
            session("s", NEW_YORK, laptop())
                .ip("192.0.2.77")
                .via(M247)
                .at(2),
        )
        .after(laptop_on_vpn_in_frankfurt())
        .no_alert(),
        // --- known false positives: the user's own route between familiar places ------------
        sign_in(
            "VPN reconnect: the familiar laptop on its familiar VPN (M247) jumping from the \
                 Frankfurt exit to New York two minutes later is information",
            session("s", NEW_YORK, laptop())
                .ip(VPN_POOL_B)
                .via(M247)
                .at(2),
        )
        .after(laptop_on_vpn_in_frankfurt())
        .alert(
            ImpossibleTravel,
            Info,
            &[
                "impossible_travel",
                "unusual_route",
                "vpn_or_hosting_network",
            ],
        ),
        sign_in(
            "VPN reconnect to an exit in a country the account does not know is still a \
                 new-country warning, saying it may be a VPN",
            session("s", AMSTERDAM, laptop())
                .ip(VPN_POOL_B)
                .via(M247)
                .at(2),
        )
        .after(laptop_on_vpn_in_frankfurt())
        .alert(
            NewCountry,
            Warning,
            &["unfamiliar_country", "vpn_or_hosting_network"],
        ),
        sign_in(
            "carrier NAT: the familiar iPhone behind o2's shared address, placed at the \
                 carrier's Munich hub five minutes after Berlin, is information",
            session("s", MUNICH, safari_ios())
                .ip(CARRIER_NAT)
                .via(O2)
                .at(5),
        )
        .after(laptop_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &["impossible_travel", "unusual_route", "network"],
        ),
        sign_in(
            "carrier NAT with a new phone: a new-device warning, never a takeover",
            session("s", MUNICH, android_phone())
                .ip(CARRIER_NAT)
                .via(O2)
                .at(5),
        )
        .after(laptop_in_berlin())
        .alert(
            NewDevice,
            Warning,
            &[
                "unfamiliar_device",
                "impossible_travel",
                "unusual_route",
                "network",
            ],
        ),
        sign_in(
            "iCloud Private Relay: Safari on the familiar iPhone via Akamai-PR (AS36183), placed \
                 only at region level 515 km from Berlin a minute later, is not an alert: a \
                 region's error radius covers it",
            session("s", BADEN_WUERTTEMBERG, safari_ios())
                .ip(RELAY_AKAMAI)
                .via(AKAMAI_PR)
                .at(1),
        )
        .after(phone_in_berlin())
        .no_alert(),
        sign_in(
            "iCloud Private Relay through Cloudflare (AS13335) placed in Munich a minute after \
                 Berlin is information: the familiar iPhone in its own country",
            session("s", MUNICH, safari_ios())
                .ip(RELAY_CLOUDFLARE)
                .via(CLOUDFLARE)
                .at(1),
        )
        .after(phone_in_berlin())
        .alert(
            ImpossibleTravel,
            Info,
            &[
                "impossible_travel",
                "unusual_route",
                "vpn_or_hosting_network",
            ],
        ),
        // --- account events ------------------------------------------------------------------
        on_event(
            "session_created is judged like a session",
            event(
                1,
                EventKind::SessionCreated,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .alert(
            PossibleTakeover,
            Critical,
            &["unfamiliar_device", "unfamiliar_country", "network"],
        ),
        on_event(
            "session_created for Keepwatch's own session is not an alert",
            event(
                2,
                EventKind::SessionCreated,
                Some(session("keepwatch", SAO_PAULO, firefox_linux())),
            ),
        )
        .no_alert(),
        on_event(
            "session_created without a session says nothing",
            event(3, EventKind::SessionCreated, None),
        )
        .no_alert(),
        on_event(
            "a withdrawal to an address in the address book is not an alert",
            withdrawal_event(4, true, Some(session("s", SAO_PAULO, firefox_linux()))),
        )
        .no_alert(),
        on_event(
            "a withdrawal to an address not in the address book is critical",
            withdrawal_event(5, false, Some(session("s", BERLIN, laptop()))),
        )
        .alert(
            UnknownWithdrawalAddress,
            Critical,
            &["withdrawal_to_unknown_address", "network"],
        ),
        on_event(
            "a withdrawal to an unknown address from an unknown session is critical",
            withdrawal_event(6, false, None),
        )
        .alert(
            UnknownWithdrawalAddress,
            Critical,
            &["withdrawal_to_unknown_address"],
        ),
        on_event(
            "a password change from Keepwatch's own session is not an alert",
            event(
                7,
                EventKind::PasswordChanged,
                Some(session("keepwatch", BERLIN, laptop())),
            ),
        )
        .no_alert(),
        on_event(
            "a password change from another session is critical, even a familiar one",
            event(
                8,
                EventKind::PasswordChanged,
                Some(session("s", BERLIN, laptop())),
            ),
        )
        .alert(
            PasswordChanged,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "network"],
        ),
        on_event(
            "a password change from a stranger says so",
            event(
                9,
                EventKind::PasswordChanged,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .alert(
            PasswordChanged,
            Critical,
            &[
                "not_from_this_app",
                "keepwatch_signed_out",
                "unfamiliar_device",
                "unfamiliar_country",
                "network",
            ],
        ),
        on_event(
            "a password change from an unnamed session is critical",
            event(10, EventKind::PasswordChanged, None),
        )
        .alert(
            PasswordChanged,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "unknown_session"],
        ),
        // Issue #8: an intruder who signed in unremarkably switches Keepwatch off.
        on_event(
            "signing every other session out from another session is critical: Keepwatch was one",
            sessions_revoked(41, Some(session("s", BERLIN, laptop()))),
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &[
                "not_from_this_app",
                "keepwatch_signed_out",
                "other_sessions_signed_out",
                "network",
            ],
        ),
        on_event(
            "a stranger signing every other session out says who",
            sessions_revoked(42, Some(session("s", SAO_PAULO, firefox_linux()))),
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &[
                "not_from_this_app",
                "keepwatch_signed_out",
                "other_sessions_signed_out",
                "unfamiliar_device",
                "unfamiliar_country",
                "network",
            ],
        ),
        on_event(
            "signing every other session out from Keepwatch is the user's own doing",
            sessions_revoked(43, Some(session("keepwatch", BERLIN, laptop()))),
        )
        .no_alert(),
        on_event(
            "another session's end is news, not an alarm",
            event(
                44,
                EventKind::SessionRevoked,
                Some(session("s", BERLIN, laptop())),
            ),
        )
        .no_alert(),
        lost(
            "another session signing Keepwatch out is critical, naming it",
            RevocationReason::RevokedBySession,
            Some("s"),
            Some(session("s", BERLIN, laptop())),
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "network"],
        ),
        lost(
            "a password change heard of only in the server's answer is the password-change alarm",
            RevocationReason::PasswordChanged,
            Some("s"),
            Some(session("s", SAO_PAULO, firefox_linux())),
        )
        .alert(
            PasswordChanged,
            Critical,
            &[
                "not_from_this_app",
                "keepwatch_signed_out",
                "unfamiliar_device",
                "unfamiliar_country",
                "network",
            ],
        ),
        lost(
            "signed out by a session Keepwatch never saw (it signed in and acted between two looks)",
            RevocationReason::RevokedBySession,
            Some("ghost"),
            None,
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "unseen_session"],
        ),
        lost(
            "Keepwatch's refresh token used a second time: a copy of its sign-in exists",
            RevocationReason::TokenReused,
            None,
            None,
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "unknown_session"],
        ),
        lost(
            "a reason this version does not know is still an alarm",
            RevocationReason::Unknown,
            Some("s"),
            Some(session("s", BERLIN, laptop())),
        )
        .alert(
            KeepwatchSignedOut,
            Critical,
            &["not_from_this_app", "keepwatch_signed_out", "network"],
        ),
        lost(
            "Keepwatch's session reaching its lifetime is not an alarm",
            RevocationReason::Expired,
            None,
            None,
        )
        .no_alert(),
        lost(
            "Keepwatch signing itself out is not an alarm",
            RevocationReason::SignedOut,
            Some("keepwatch-now"),
            None,
        )
        .no_alert(),
        lost(
            "another of Keepwatch's own sessions ending this one (signing in again) is not an alarm",
            RevocationReason::RevokedBySession,
            Some("keepwatch"),
            Some(session("keepwatch", BERLIN, laptop())),
        )
        .no_alert(),
        on_event(
            "a 2FA reset from Keepwatch's own session is not an alert",
            event(
                11,
                EventKind::TwoFactorReset,
                Some(session("keepwatch", BERLIN, laptop())),
            ),
        )
        .no_alert(),
        on_event(
            "a 2FA reset from another session is critical",
            event(
                12,
                EventKind::TwoFactorReset,
                Some(session("s", BERLIN, laptop())),
            ),
        )
        .alert(TwoFactorReset, Critical, &["not_from_this_app", "network"]),
        on_event(
            "a failed sign-in with a wrong password is information",
            attempt_event(
                13,
                EventKind::LoginFailed,
                LoginOutcome::InvalidCredentials,
                SAO_PAULO,
            ),
        )
        .alert(
            FailedSignIn,
            Info,
            &[
                "failed_sign_in",
                "unfamiliar_device",
                "unfamiliar_country",
                "vpn_or_hosting_network",
            ],
        ),
        on_event(
            "a failed sign-in stopped only by 2FA is a warning: someone knows the password",
            attempt_event(
                14,
                EventKind::LoginFailed,
                LoginOutcome::InvalidTotp,
                SAO_PAULO,
            ),
        )
        .alert(
            FailedSignIn,
            Warning,
            &[
                "failed_sign_in",
                "unfamiliar_device",
                "unfamiliar_country",
                "vpn_or_hosting_network",
            ],
        ),
        on_event(
            "the 2FA prompt of an ordinary sign-in is information",
            attempt_event(
                15,
                EventKind::LoginFailed,
                LoginOutcome::TotpRequired,
                BERLIN,
            ),
        )
        .alert(
            FailedSignIn,
            Info,
            &[
                "failed_sign_in",
                "unfamiliar_device",
                "vpn_or_hosting_network",
            ],
        ),
        on_event(
            "an account lock is a warning",
            attempt_event(
                16,
                EventKind::AccountLocked,
                LoginOutcome::InvalidCredentials,
                NOWHERE,
            ),
        )
        .alert(
            AccountLocked,
            Warning,
            &[
                "account_locked",
                "failed_sign_in",
                "unfamiliar_device",
                "unknown_location",
                "vpn_or_hosting_network",
            ],
        ),
        on_event(
            "an account lock after the right password is critical",
            attempt_event(
                17,
                EventKind::AccountLocked,
                LoginOutcome::InvalidTotp,
                BERLIN,
            ),
        )
        .alert(
            AccountLocked,
            Critical,
            &[
                "account_locked",
                "failed_sign_in",
                "unfamiliar_device",
                "vpn_or_hosting_network",
            ],
        ),
        on_event(
            "an account lock without the attempt is still a warning",
            event(18, EventKind::AccountLocked, None),
        )
        .alert(AccountLocked, Warning, &["account_locked"]),
        on_event(
            "a revoked session is not an alert",
            event(
                19,
                EventKind::SessionRevoked,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .no_alert(),
        on_event(
            "an expired session is not an alert",
            event(
                20,
                EventKind::SessionExpired,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .no_alert(),
        on_event(
            "a blocklist change is not an alert",
            event(21, EventKind::BlocklistChanged, None),
        )
        .no_alert(),
        on_event(
            "a new trusted device is not an alert",
            event(
                22,
                EventKind::TrustedDeviceAdded,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .no_alert(),
        on_event(
            "an event kind this version does not know is not an alert",
            event(
                23,
                EventKind::Unknown,
                Some(session("s", SAO_PAULO, firefox_linux())),
            ),
        )
        .no_alert(),
    ]
}

#[test]
fn every_rule_holds() {
    let baseline = baseline();
    let own = own_ids();
    let mut failures = Vec::new();
    for row in rows() {
        let ctx = Context {
            baseline: &baseline,
            previous: row.previous.as_ref(),
            own_session_ids: &own,
            travel_mode_until: row.travel_mode_until,
            now: now(),
        };
        let alert = match &row.input {
            Input::Session(session) => assess_session(&ctx, session),
            Input::Event(event) => assess_event(&ctx, event),
            Input::Lost(revocation, by) => assess_lost_session(
                &ctx,
                &LostSession {
                    session_id: "keepwatch-now",
                    revocation,
                    by: by.as_deref(),
                },
            ),
        };
        if let Some(alert) = &alert {
            check_invariants(row.rule, &row.input, alert, &mut failures);
        }
        let got = alert.as_ref().map(|a| {
            let codes: Vec<&str> = a.reasons.iter().map(|r| r.code()).collect();
            (a.kind, a.severity, codes)
        });
        let want = row.expect.map(|(k, s, r)| (k, s, r.to_vec()));
        if got != want {
            failures.push(format!(
                "{}\n    want {want:?}\n    got  {got:?}\n    texts {:?}",
                row.rule,
                alert.map(|a| a.reasons.iter().map(|r| r.text()).collect::<Vec<_>>())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rule(s) broken:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What holds for every alert, whatever the rule.
fn check_invariants(
    rule: &str,
    input: &Input,
    alert: &keepwatch_detector::Alert,
    failures: &mut Vec<String>,
) {
    let (key, ip) = match input {
        Input::Session(s) => (format!("session:{}", s.id), Some(s.ip.clone())),
        Input::Lost(r, by) => (
            format!("event:{}", r.event_id.unwrap_or_default()),
            by.as_ref().map(|s| s.ip.clone()),
        ),
        Input::Event(e) => match (e.kind, &e.session) {
            (EventKind::SessionCreated, Some(s)) => {
                (format!("session:{}", s.id), Some(s.ip.clone()))
            }
            _ => (
                format!("event:{}", e.id),
                e.session
                    .as_ref()
                    .map(|s| s.ip.clone())
                    .or(e.attempt.as_ref().map(|a| a.ip.clone())),
            ),
        },
    };
    if alert.key != key {
        failures.push(format!("{rule}: key {:?}, want {key:?}", alert.key));
    }
    if alert.title != alert.kind.title() {
        failures.push(format!("{rule}: title {:?} is not the kind's", alert.title));
    }
    if let Some(ip) = ip {
        if alert.summary.contains(&ip) {
            failures.push(format!("{rule}: summary {:?} shows the IP", alert.summary));
        }
    }
    if alert.summary.trim().is_empty() || alert.reasons.iter().any(|r| r.text().trim().is_empty()) {
        failures.push(format!("{rule}: empty summary or reason text"));
    }
}
