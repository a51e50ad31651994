//! What an alert says and offers, beyond its kind and severity: checklists, keys, texts, JSON.

mod fixtures;

use std::collections::BTreeSet;

use keepwatch_api::{EventKind, LoginOutcome};
use keepwatch_detector::{
    assess_event, assess_session, Alert, AlertKind, Baseline, Context, DeviceKey, Reason,
    ResponseStep, Severity, Sighting,
};

use fixtures::*;

fn ctx<'a>(
    baseline: &'a Baseline,
    own: &'a BTreeSet<String>,
    previous: Option<&'a Sighting>,
) -> Context<'a> {
    Context {
        baseline,
        previous,
        own_session_ids: own,
        travel_mode_until: None,
        now: t(120),
    }
}

#[test]
fn takeover_carries_the_full_response_checklist() {
    let (baseline, own) = (baseline(), own_ids());
    let stranger = session("s9", SAO_PAULO, firefox_linux())
        .ip("177.10.20.30")
        .network(Some(28573), Some("Claro NXT"))
        .at(3);
    let alert = assess_session(&ctx(&baseline, &own, None), &stranger).expect("an alert");

    assert_eq!(alert.key, "session:s9");
    assert_eq!(alert.kind, AlertKind::PossibleTakeover);
    assert_eq!(alert.severity, Severity::Critical);
    assert_eq!(alert.title, "Possible account takeover");
    assert_eq!(alert.summary, "Firefox 125 on Linux · São Paulo, Brazil");
    assert_eq!(alert.session_id.as_deref(), Some("s9"));
    assert_eq!(alert.event_id, None);
    assert_eq!(alert.occurred_at, t(3));
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::SignOutSession {
                session_id: "s9".into()
            },
            ResponseStep::ChangePassword,
            ResponseStep::ResetTwoFactor,
            ResponseStep::ReviewWithdrawals,
            ResponseStep::BlockIp {
                ip: "177.10.20.30".into()
            },
            ResponseStep::ContactSupport,
        ]
    );
    let texts: Vec<String> = alert.reasons.iter().map(Reason::text).collect();
    assert_eq!(
        texts,
        [
            "Firefox 125 on Linux is not a device this account has been used from.",
            "Brazil (BR) is not a country this account has been used from.",
            "The address belongs to Claro NXT (AS28573).",
        ]
    );
}

#[test]
fn new_country_names_the_isp_and_a_vpn_network_says_so() {
    let (baseline, own) = (baseline(), own_ids());
    let ctx = ctx(&baseline, &own, None);

    let residential =
        session("a", AMSTERDAM, chrome_windows("124")).network(Some(1136), Some("KPN B.V."));
    let alert = assess_session(&ctx, &residential).expect("an alert");
    assert_eq!(alert.title, "New country — VPN or unusual route?");
    assert_eq!(
        alert.reasons.last().map(Reason::text).as_deref(),
        Some("The address belongs to KPN B.V. (AS1136).")
    );
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::SignOutSession {
                session_id: "a".into()
            },
            ResponseStep::BlockIp {
                ip: "198.51.100.7".into()
            },
        ]
    );

    let familiar_isp = session("b", AMSTERDAM, chrome_windows("124"));
    let alert = assess_session(&ctx, &familiar_isp).expect("an alert");
    assert_eq!(
        alert.reasons.last(),
        Some(&Reason::Network {
            asn: Some(3320),
            isp: Some("Deutsche Telekom AG".into()),
            seen_before: true,
        })
    );
    assert!(alert
        .reasons
        .last()
        .unwrap()
        .text()
        .ends_with("a network you have used before."));

    let vpn = session("c", AMSTERDAM, chrome_windows("124")).network(Some(9009), None);
    let alert = assess_session(&ctx, &vpn).expect("an alert");
    let last = alert.reasons.last().expect("a network reason");
    assert_eq!(
        last,
        &Reason::VpnOrHostingNetwork {
            asn: 9009,
            operator: "M247".into(),
            isp: None
        }
    );
    assert!(
        last.text().contains("M247 (AS9009)") && last.text().contains("VPN"),
        "{}",
        last.text()
    );
}

#[test]
fn impossible_travel_reason_gives_distance_time_and_speed() {
    let (baseline, own) = (baseline(), own_ids());
    let previous = Sighting::of(&session("before", BERLIN, chrome_windows("123"))).unwrap();
    let alert = assess_session(
        &ctx(&baseline, &own, Some(&previous)),
        &session("s", NEW_YORK, chrome_windows("124"))
            .ip("203.0.113.9")
            .at(60),
    )
    .expect("an alert");
    assert_eq!(alert.kind, AlertKind::ImpossibleTravel);
    // Both are countries the account is used from, and the laptop is the user's.
    assert_eq!(alert.severity, Severity::Info);
    assert_eq!(
        alert.reasons[0],
        Reason::ImpossibleTravel {
            from: "Berlin, Germany".into(),
            to: "New York, United States".into(),
            km: 6385,
            minutes: 60,
            // 6,385 km less 100 km of error at each end, in one hour.
            kmh: 6185,
        }
    );
    assert_eq!(
        alert.reasons[0].text(),
        "Berlin, Germany to New York, United States is 6,385 km in 1 h: even allowing for \
         geolocation error that is 6,185 km/h, faster than any flight."
    );
    assert_eq!(alert.reasons[1], Reason::UnusualRoute);
    assert_eq!(
        alert.reasons[1].text(),
        "Both places are in countries this account is used from, so this is probably your ISP \
         or carrier (or a VPN) routing the connection through a distant point, not a journey."
    );
    // Blocking the address could lock the user out of their own carrier's shared address.
    assert_eq!(
        alert.steps,
        vec![ResponseStep::SignOutSession {
            session_id: "s".into()
        }]
    );
}

#[test]
fn a_new_device_across_a_familiar_country_keeps_its_checklist_and_says_why_travel_is_no_alarm() {
    let (baseline, own) = (baseline(), own_ids());
    let previous = Sighting::of(&session("before", BERLIN, chrome_windows("123"))).unwrap();
    let alert = assess_session(
        &ctx(&baseline, &own, Some(&previous)),
        &session("s", MUNICH, firefox_linux())
            .ip("203.0.113.9")
            .at(5),
    )
    .expect("an alert");
    assert_eq!(alert.kind, AlertKind::NewDevice);
    assert_eq!(alert.severity, Severity::Warning);
    assert_eq!(alert.title, "New device");
    assert!(alert.reasons.contains(&Reason::UnusualRoute));
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::SignOutSession {
                session_id: "s".into()
            },
            ResponseStep::ChangePassword,
        ]
    );
}

#[test]
fn a_session_seen_in_the_list_and_in_the_event_stream_shares_one_key() {
    let (baseline, own) = (baseline(), own_ids());
    let ctx = ctx(&baseline, &own, None);
    let stranger = session("s7", SAO_PAULO, firefox_linux());
    let from_list = assess_session(&ctx, &stranger).expect("an alert");
    let from_event = assess_event(
        &ctx,
        &event(41, EventKind::SessionCreated, Some(stranger.clone())),
    )
    .expect("an alert");
    assert_eq!(from_list.key, from_event.key);
    assert_eq!(from_event.event_id, Some(41));
    assert_eq!(from_event.occurred_at, t(5));
    // Re-assessing after a restart gives the same key: the core's de-duplication relies on it.
    assert_eq!(assess_session(&ctx, &stranger), Some(from_list));
}

#[test]
fn unknown_location_is_said_and_no_country_is_invented() {
    let (baseline, own) = (baseline(), own_ids());
    let alert = assess_session(
        &ctx(&baseline, &own, None),
        &session("s", NOWHERE, firefox_linux()).network(None, None),
    )
    .expect("an alert");
    assert_eq!(alert.summary, "Firefox 125 on Linux · Unknown location");
    assert_eq!(
        alert.reasons[1].text(),
        "The address could not be located, so no country was judged: only the device was."
    );
    assert!(!alert
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::UnfamiliarCountry { .. })));
}

#[test]
fn unknown_withdrawal_address_puts_support_first() {
    let (baseline, own) = (baseline(), own_ids());
    let ctx = ctx(&baseline, &own, None);
    let from = session("s3", BERLIN, chrome_windows("124")).ip("198.51.100.9");
    let alert = assess_event(&ctx, &withdrawal_event(5, false, Some(from))).expect("an alert");
    assert_eq!(alert.key, "event:5");
    assert_eq!(
        alert.summary,
        "0.5 BTC to bc1qxy2k…hx0wlh · Chrome 124 on Windows 11 · Berlin, Germany"
    );
    assert_eq!(
        alert.reasons[0].text(),
        "0.5 BTC is being sent to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh, which is not in \
         your address book."
    );
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::ContactSupport,
            ResponseStep::SignOutSession {
                session_id: "s3".into()
            },
            ResponseStep::ChangePassword,
            ResponseStep::ResetTwoFactor,
            ResponseStep::ReviewWithdrawals,
            ResponseStep::BlockIp {
                ip: "198.51.100.9".into()
            },
        ]
    );

    // From Keepwatch's own session: still critical, but it offers no way to lock itself out.
    let own_session = session("keepwatch", BERLIN, chrome_windows("124"));
    let alert =
        assess_event(&ctx, &withdrawal_event(6, false, Some(own_session))).expect("an alert");
    assert_eq!(alert.severity, Severity::Critical);
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::ContactSupport,
            ResponseStep::ChangePassword,
            ResponseStep::ResetTwoFactor,
            ResponseStep::ReviewWithdrawals,
        ]
    );
}

#[test]
fn password_change_elsewhere_offers_taking_the_account_back() {
    let (baseline, own) = (baseline(), own_ids());
    let alert = assess_event(
        &ctx(&baseline, &own, None),
        &event(
            8,
            EventKind::PasswordChanged,
            Some(session("s4", BERLIN, chrome_windows("124"))),
        ),
    )
    .expect("an alert");
    assert_eq!(alert.title, "Password changed outside Keepwatch");
    assert_eq!(alert.reasons[0].text(), "It was not done from Keepwatch.");
    // A password change ends every other session, Keepwatch's too: it says so, and getting
    // back in comes first.
    assert!(
        alert.reasons[1].text().contains("signed Keepwatch out"),
        "{:?}",
        alert.reasons
    );
    assert_eq!(alert.session_id.as_deref(), Some("s4"));
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::SignInAgain,
            ResponseStep::SignOutSession {
                session_id: "s4".into()
            },
            ResponseStep::ChangePassword,
            ResponseStep::ResetTwoFactor,
            ResponseStep::ReviewWithdrawals,
            ResponseStep::BlockIp {
                ip: "198.51.100.7".into()
            },
            ResponseStep::ContactSupport,
        ]
    );
}

#[test]
fn failed_sign_in_with_the_right_password_asks_for_a_new_one() {
    let (baseline, own) = (baseline(), own_ids());
    let ctx = ctx(&baseline, &own, None);
    let alert = assess_event(
        &ctx,
        &attempt_event(
            14,
            EventKind::LoginFailed,
            LoginOutcome::InvalidTotp,
            SAO_PAULO,
        ),
    )
    .expect("an alert");
    assert!(alert.reasons[0]
        .text()
        .contains("someone knows your password"));
    assert_eq!(
        alert.steps,
        vec![
            ResponseStep::ChangePassword,
            ResponseStep::BlockIp {
                ip: "192.0.2.99".into()
            }
        ]
    );
    let wrong_password = assess_event(
        &ctx,
        &attempt_event(
            13,
            EventKind::LoginFailed,
            LoginOutcome::InvalidCredentials,
            BERLIN,
        ),
    )
    .expect("an alert");
    assert!(wrong_password.steps.is_empty());

    let locked = assess_event(
        &ctx,
        &attempt_event(
            16,
            EventKind::AccountLocked,
            LoginOutcome::InvalidCredentials,
            BERLIN,
        ),
    )
    .expect("an alert");
    assert_eq!(
        locked.reasons[0].text(),
        "Too many failed sign-ins locked the account until 2026-11-27 10:35 UTC."
    );
}

#[test]
fn baseline_learns_country_device_network_and_ipv6_prefix_only() {
    let mut baseline = Baseline::default();
    baseline.learn(&session("a", BERLIN, chrome_windows("124")).ip(HOME_V6));
    baseline.learn(&session("b", NOWHERE, unknown_device()).network(None, None));
    assert_eq!(baseline.countries, BTreeSet::from(["DE".to_owned()]));
    assert_eq!(
        baseline
            .devices
            .iter()
            .map(DeviceKey::to_string)
            .collect::<Vec<_>>(),
        ["chrome/windows/desktop"]
    );
    assert_eq!(baseline.asns, BTreeSet::from([3320]));
    assert_eq!(
        baseline.ipv6_prefixes,
        BTreeSet::from(["2003:e5:1234:5600::/64".to_owned()])
    );
    assert!(baseline.knows_device(&DeviceKey::from_device(&chrome_windows("999"))));
    assert!(baseline.knows_ipv6_network_of("2003:e5:1234:5600::1"));
    assert!(!baseline.knows_ipv6_network_of("2003:e5:1234:5601::1"));

    let json = serde_json::to_string(&baseline).unwrap();
    assert_eq!(serde_json::from_str::<Baseline>(&json).unwrap(), baseline);
}

#[test]
fn bad_coordinates_give_no_sighting_and_no_panic() {
    for (lat, lon) in [
        (f64::NAN, 0.0),
        (95.0, 0.0),
        (0.0, -181.0),
        (f64::INFINITY, 1.0),
    ] {
        let mut s = session("s", BERLIN, chrome_windows("124"));
        s.location.latitude = Some(lat);
        s.location.longitude = Some(lon);
        assert_eq!(Sighting::of(&s), None, "{lat},{lon}");
        // Judged without coordinates: familiar device, familiar country.
        let (baseline, own) = (baseline(), own_ids());
        let previous = Sighting::of(&session("p", NEW_YORK, chrome_windows("1"))).unwrap();
        assert_eq!(
            assess_session(&ctx(&baseline, &own, Some(&previous)), &s),
            None
        );
    }
}

#[test]
fn a_sighting_records_country_network_and_address() {
    let seen = Sighting::of(&session("s", BERLIN, chrome_windows("124")).ip(HOME_V6)).unwrap();
    assert_eq!(seen.country_code.as_deref(), Some("DE"));
    assert_eq!(seen.asn, Some(TELEKOM.0));
    assert_eq!(seen.ip, HOME_V6);
    let json = serde_json::to_string(&seen).unwrap();
    assert_eq!(serde_json::from_str::<Sighting>(&json).unwrap(), seen);
}

#[test]
fn a_sighting_stored_before_country_network_and_address_were_recorded_still_loads() {
    let old = r#"{"session_id":"s","at":"2026-11-27T10:00:00Z","latitude":52.52,
        "longitude":13.405,"place":"Berlin, Germany","error_km":100}"#;
    let sighting: Sighting = serde_json::from_str(old).unwrap();
    assert_eq!(sighting, legacy_sighting("s", BERLIN, 0));
}

/// One alert holding every reason and step, so that the round trip covers every variant.
fn everything() -> Alert {
    Alert {
        key: "session:s1".into(),
        kind: AlertKind::PossibleTakeover,
        severity: Severity::Critical,
        title: AlertKind::PossibleTakeover.title(),
        summary: "Firefox 125 on Linux · São Paulo, Brazil".into(),
        session_id: Some("s1".into()),
        event_id: Some(7),
        reasons: vec![
            Reason::UnfamiliarCountry {
                country_code: "BR".into(),
                country: Some("Brazil".into()),
            },
            Reason::UnfamiliarDevice {
                label: "Firefox 125 on Linux".into(),
            },
            Reason::UnidentifiedDevice {
                label: "Unknown device".into(),
            },
            Reason::UnknownLocation,
            Reason::Network {
                asn: Some(3320),
                isp: None,
                seen_before: true,
            },
            Reason::VpnOrHostingNetwork {
                asn: 9009,
                operator: "M247".into(),
                isp: Some("M247 Europe SRL".into()),
            },
            Reason::ImpossibleTravel {
                from: "Berlin, Germany".into(),
                to: "São Paulo, Brazil".into(),
                km: 10253,
                minutes: 45,
                kmh: 13404,
            },
            Reason::TravelMode { until: t(600) },
            Reason::NotFromThisApp,
            Reason::UnknownSession,
            Reason::WithdrawalToUnknownAddress {
                asset: "BTC".into(),
                amount: "0.5".into(),
                address: "bc1q".into(),
            },
            Reason::FailedSignIn {
                outcome: LoginOutcome::InvalidTotp,
            },
            Reason::AccountLocked { until: None },
            Reason::UnusualRoute,
        ],
        steps: vec![
            ResponseStep::SignOutSession {
                session_id: "s1".into(),
            },
            ResponseStep::ChangePassword,
            ResponseStep::ResetTwoFactor,
            ResponseStep::ReviewWithdrawals,
            ResponseStep::BlockIp {
                ip: "177.10.20.30".into(),
            },
            ResponseStep::ContactSupport,
        ],
        occurred_at: t(3),
    }
}

#[test]
fn alert_round_trips_through_json() {
    let alert = everything();
    let json = serde_json::to_string(&alert).unwrap();
    assert_eq!(serde_json::from_str::<Alert>(&json).unwrap(), alert);
}

#[test]
fn alert_json_is_snake_case_and_tagged() {
    let value = serde_json::to_value(everything()).unwrap();
    assert_eq!(value["kind"], "possible_takeover");
    assert_eq!(value["severity"], "critical");
    assert_eq!(value["occurred_at"], "2026-11-27T10:03:00Z");
    assert_eq!(
        value["steps"][0],
        serde_json::json!({"type": "sign_out_session", "session_id": "s1"})
    );
    assert_eq!(
        value["steps"][1],
        serde_json::json!({"type": "change_password"})
    );
    assert_eq!(
        value["reasons"][6],
        serde_json::json!({"type": "impossible_travel", "from": "Berlin, Germany",
            "to": "São Paulo, Brazil", "km": 10253, "minutes": 45, "kmh": 13404})
    );
    assert_eq!(
        value["reasons"][11],
        serde_json::json!({"type": "failed_sign_in", "outcome": "invalid_totp"})
    );
    assert_eq!(
        value["reasons"][13],
        serde_json::json!({"type": "unusual_route"})
    );
    // The UI keys translations on the tag: it must be what `code()` says.
    for (reason, json) in everything()
        .reasons
        .iter()
        .zip(value["reasons"].as_array().unwrap())
    {
        assert_eq!(json["type"], reason.code());
    }
}

#[test]
fn severities_are_ordered() {
    assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Critical);
}
