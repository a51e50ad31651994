//! The decision itself: from what is familiar and what just happened, an alert or nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use keepwatch_api::{Event, EventKind, LoginAttempt, LoginOutcome, Session, Withdrawal};

use crate::lost::{account_change, others_revoked};
use crate::origin::{CountryFinding, DeviceFinding, Findings, Origin};
use crate::travel::{impossible_trip, Trip};
use crate::{
    event_key, session_key, Alert, AlertKind, Baseline, Reason, ResponseStep, Severity, Sighting,
};

/// Everything besides the new session or event that the decision depends on. The core fills it
/// from its store; nothing here is read from the clock or the disk.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// What is familiar.
    pub baseline: &'a Baseline,
    /// The latest sighting with coordinates before this one, for the impossible-travel check.
    /// A sighting of the same session, or of one on the same network, is no evidence of travel.
    pub previous: Option<&'a Sighting>,
    /// Ids of the sessions Keepwatch itself opened. They are never alerted on, and actions taken
    /// from them (a password change, a 2FA reset) are the user's own.
    pub own_session_ids: &'a BTreeSet<String>,
    /// Travel mode's end, if the user turned it on.
    pub travel_mode_until: Option<DateTime<Utc>>,
    /// The time of the assessment. Travel mode applies while `now` is before its end.
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    fn travel_mode(&self) -> Option<DateTime<Utc>> {
        self.travel_mode_until.filter(|until| self.now < *until)
    }

    pub(crate) fn is_own(&self, session: &Session) -> bool {
        session.current || self.own_session_ids.contains(&session.id)
    }
}

/// Judges a session seen in the session list.
///
/// | place \ device | familiar | unfamiliar or unidentified |
/// |---|---|---|
/// | familiar country, or no country, no impossible travel | — | Warning `new_device` |
/// | impossible travel inside one familiar country | Info `impossible_travel` + `unusual_route` | Warning `new_device` + `unusual_route` |
/// | impossible travel between two familiar countries | Info `impossible_travel` + `unusual_route` | Critical `possible_takeover` |
/// | impossible travel with an end in an unfamiliar or unknown country | Warning `impossible_travel` (Info in travel mode) | Critical `possible_takeover` |
/// | unfamiliar country | Warning `new_country` (Info in travel mode) | Critical `possible_takeover` |
///
/// A session that fits two rows (an unfamiliar country reached by impossible travel) is judged
/// by the lower one, and names the trip among its reasons.
///
/// Impossible travel is a trip from [`Context::previous`] over [`MIN_TRAVEL_KM`] that is faster
/// than [`MAX_PLAUSIBLE_KMH`] after each end's error radius ([`CITY_ERROR_KM`] with a city,
/// [`COUNTRY_ERROR_KM`] without) is taken off. Two sightings on one network — the same AS and the
/// same IPv4 /24 or IPv6 /48 — are never impossible travel, whatever their geolocation says; nor
/// is an address inside a familiar IPv6 /64, which also counts as the familiar country. A city
/// change, a new address on a familiar network and a new IPv6 suffix are not alerts. Keepwatch's
/// own sessions (and the `current` one) are never alerted on. The alert's key is
/// [`session_key`].
///
/// [`MIN_TRAVEL_KM`]: crate::travel::MIN_TRAVEL_KM
/// [`MAX_PLAUSIBLE_KMH`]: crate::travel::MAX_PLAUSIBLE_KMH
/// [`CITY_ERROR_KM`]: crate::travel::CITY_ERROR_KM
/// [`COUNTRY_ERROR_KM`]: crate::travel::COUNTRY_ERROR_KM
pub fn assess_session(ctx: &Context<'_>, session: &Session) -> Option<Alert> {
    if ctx.is_own(session) {
        return None;
    }
    assess_sign_in(ctx, session, session.created_at, None)
}

/// Judges an account event.
///
/// - `session_created`: like [`assess_session`] on the event's session, keyed by the session so
///   that the list and the event stream cannot both alert;
/// - `password_changed`, `two_factor_reset` and `sessions_revoked` ("sign out all other
///   sessions") not made from one of Keepwatch's sessions (or made from an unnamed session):
///   Critical, saying that Keepwatch was signed out too when it was;
/// - `withdrawal_created` to an address outside the address book: Critical, whoever made it;
/// - `login_failed`: Info, or Warning when the password was right and the 2FA code wrong;
/// - `account_locked`: Warning, or Critical when the last attempt had the right password;
/// - anything else: no alert.
pub fn assess_event(ctx: &Context<'_>, event: &Event) -> Option<Alert> {
    match event.kind {
        EventKind::SessionCreated => {
            let session = event.session.as_ref()?;
            if ctx.is_own(session) {
                return None;
            }
            assess_sign_in(ctx, session, event.occurred_at, Some(event.id))
        }
        EventKind::PasswordChanged => account_change(ctx, event, AlertKind::PasswordChanged),
        EventKind::TwoFactorReset => account_change(ctx, event, AlertKind::TwoFactorReset),
        EventKind::SessionsRevoked => others_revoked(ctx, event),
        EventKind::WithdrawalCreated => withdrawal(ctx, event, event.withdrawal.as_ref()?),
        EventKind::LoginFailed => failed_sign_in(ctx, event, event.attempt.as_ref()?),
        EventKind::AccountLocked => Some(account_locked(ctx, event)),
        // The end of Keepwatch's own session is judged by [`crate::assess_lost_session`],
        // with the session that ended it as Keepwatch last saw it; others' endings are news,
        // not alarms.
        EventKind::SessionRevoked
        | EventKind::SessionExpired
        | EventKind::BlocklistChanged
        | EventKind::TrustedDeviceAdded
        | EventKind::Unknown => None,
    }
}

fn assess_sign_in(
    ctx: &Context<'_>,
    session: &Session,
    occurred_at: DateTime<Utc>,
    event_id: Option<u64>,
) -> Option<Alert> {
    let findings = Findings::examine(ctx.baseline, &Origin::from(session));
    let trip = if findings.familiar_ipv6_network {
        None
    } else {
        ctx.previous
            .and_then(|previous| impossible_trip(previous, session))
    };
    let new_country = matches!(findings.country, CountryFinding::Unfamiliar { .. });
    let familiar_device = findings.device == DeviceFinding::Familiar;
    // ISPs and carriers route through distant points and city geolocation is often hundreds of
    // km off: between places the account knows, the device is what tells the user from a
    // stranger, as the account service's own help says.
    let familiar_route = trip
        .as_ref()
        .is_some_and(|trip| trip.within_familiar_countries(ctx.baseline));

    let kind = if familiar_device {
        if new_country {
            AlertKind::NewCountry
        } else if trip.is_some() {
            AlertKind::ImpossibleTravel
        } else {
            return None;
        }
    } else if new_country || trip.as_ref().is_some_and(Trip::crosses_border) {
        // Carriers and city geolocation move a user around inside a country, rarely across a
        // border: a familiar country that no flight reaches from where the user just was is
        // not where the user is, so for a device that is not theirs it is a new country.
        AlertKind::PossibleTakeover
    } else {
        AlertKind::NewDevice
    };

    let mut reasons = findings.reasons();
    if let Some(trip) = trip {
        // After the device and country, before the network: it is part of the "where".
        let at = reasons
            .iter()
            .position(|r| {
                matches!(
                    r,
                    Reason::Network { .. } | Reason::VpnOrHostingNetwork { .. }
                )
            })
            .unwrap_or(reasons.len());
        let mut travel = vec![Reason::ImpossibleTravel {
            from: trip.from,
            to: trip.to,
            km: trip.km,
            minutes: trip.minutes,
            kmh: trip.kmh,
        }];
        // Reassurance has no place next to a takeover's checklist.
        if familiar_route && kind != AlertKind::PossibleTakeover {
            travel.push(Reason::UnusualRoute);
        }
        reasons.splice(at..at, travel);
    }

    let sign_out = ResponseStep::SignOutSession {
        session_id: session.id.clone(),
    };
    let block = block_ip(&session.ip);
    let (severity, steps) = match kind {
        AlertKind::PossibleTakeover => (
            Severity::Critical,
            [
                Some(sign_out),
                Some(ResponseStep::ChangePassword),
                Some(ResponseStep::ResetTwoFactor),
                Some(ResponseStep::ReviewWithdrawals),
                block,
                Some(ResponseStep::ContactSupport),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        // Blocking an address in a familiar country risks blocking the user's own ISP (shared
        // CGNAT addresses), so it is not offered here.
        AlertKind::NewDevice => (
            Severity::Warning,
            vec![sign_out, ResponseStep::ChangePassword],
        ),
        AlertKind::ImpossibleTravel if familiar_route => (Severity::Info, vec![sign_out]),
        // The familiar device's new country, or its trip from a place the account does not know.
        _ => {
            // A familiar device somewhere new is what travel looks like; the user said so.
            let severity = match ctx.travel_mode() {
                Some(until) => {
                    reasons.push(Reason::TravelMode { until });
                    Severity::Info
                }
                None => Severity::Warning,
            };
            let steps = [Some(sign_out), block].into_iter().flatten().collect();
            (severity, steps)
        }
    };

    Some(Alert {
        key: session_key(&session.id),
        kind,
        severity,
        title: kind.title(),
        summary: findings.summary(),
        session_id: Some(session.id.clone()),
        event_id,
        reasons,
        steps,
        occurred_at,
    })
}

/// A withdrawal to an address outside the address book is Critical whoever made it: Keepwatch
/// never withdraws, and an attacker's first move is to empty the account.
fn withdrawal(ctx: &Context<'_>, event: &Event, withdrawal: &Withdrawal) -> Option<Alert> {
    if withdrawal.address_in_book {
        return None;
    }
    let session = event.session.as_ref();
    let own = session.is_some_and(|s| ctx.is_own(s))
        || withdrawal
            .session_id
            .as_ref()
            .is_some_and(|id| ctx.own_session_ids.contains(id));
    let session_id = withdrawal
        .session_id
        .clone()
        .or_else(|| session.map(|s| s.id.clone()));
    let ip = withdrawal
        .ip
        .clone()
        .or_else(|| session.map(|s| s.ip.clone()));

    let mut reasons = vec![Reason::WithdrawalToUnknownAddress {
        asset: withdrawal.asset.clone(),
        amount: withdrawal.amount.clone(),
        address: withdrawal.address.clone(),
    }];
    let mut summary = format!(
        "{} {} to {}",
        withdrawal.amount,
        withdrawal.asset,
        shorten(&withdrawal.address)
    );
    if let Some(session) = session {
        let findings = Findings::examine(ctx.baseline, &Origin::from(session));
        reasons.extend(findings.reasons());
        summary = format!("{summary} · {}", findings.summary());
    }
    // Support can stop a pending withdrawal; everything else can wait a minute.
    let steps = [
        Some(ResponseStep::ContactSupport),
        session_id
            .clone()
            .filter(|_| !own)
            .map(|session_id| ResponseStep::SignOutSession { session_id }),
        Some(ResponseStep::ChangePassword),
        Some(ResponseStep::ResetTwoFactor),
        Some(ResponseStep::ReviewWithdrawals),
        ip.as_deref().filter(|_| !own).and_then(block_ip),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(event_alert(
        event,
        AlertKind::UnknownWithdrawalAddress,
        Severity::Critical,
        summary,
        session_id,
        reasons,
        steps,
    ))
}

/// Whether the attempt got past the password: then someone who is not the user may know it.
fn password_was_right(outcome: LoginOutcome) -> bool {
    outcome == LoginOutcome::InvalidTotp
}

/// A failed sign-in is Info: typos happen and the attempt was stopped. It becomes a Warning only
/// when the password was right and the 2FA code wrong. `totp_required` stays Info although the
/// password was right, because it is the normal first step of every 2FA sign-in, the user's own
/// included.
fn failed_sign_in(ctx: &Context<'_>, event: &Event, attempt: &LoginAttempt) -> Option<Alert> {
    let findings = Findings::examine(ctx.baseline, &Origin::from(attempt));
    let mut reasons = vec![Reason::FailedSignIn {
        outcome: attempt.outcome,
    }];
    reasons.extend(findings.reasons());
    let (severity, steps) = if password_was_right(attempt.outcome) {
        (
            Severity::Warning,
            [Some(ResponseStep::ChangePassword), block_ip(&attempt.ip)]
                .into_iter()
                .flatten()
                .collect(),
        )
    } else {
        (Severity::Info, Vec::new())
    };
    Some(event_alert(
        event,
        AlertKind::FailedSignIn,
        severity,
        findings.summary(),
        None,
        reasons,
        steps,
    ))
}

/// A lock means repeated failures: someone is guessing, or the user forgot. At least a Warning;
/// Critical when the last attempt had the right password, because then only 2FA is holding.
fn account_locked(ctx: &Context<'_>, event: &Event) -> Alert {
    let mut reasons = vec![Reason::AccountLocked {
        until: event.locked_until,
    }];
    let mut severity = Severity::Warning;
    let mut summary = "Too many failed sign-ins".to_owned();
    let mut steps = vec![ResponseStep::ChangePassword];
    if let Some(attempt) = &event.attempt {
        let findings = Findings::examine(ctx.baseline, &Origin::from(attempt));
        reasons.push(Reason::FailedSignIn {
            outcome: attempt.outcome,
        });
        reasons.extend(findings.reasons());
        summary = findings.summary();
        steps.extend(block_ip(&attempt.ip));
        if password_was_right(attempt.outcome) {
            severity = Severity::Critical;
        }
    }
    event_alert(
        event,
        AlertKind::AccountLocked,
        severity,
        summary,
        None,
        reasons,
        steps,
    )
}

fn event_alert(
    event: &Event,
    kind: AlertKind,
    severity: Severity,
    summary: String,
    session_id: Option<String>,
    reasons: Vec<Reason>,
    steps: Vec<ResponseStep>,
) -> Alert {
    Alert {
        key: event_key(event.id),
        kind,
        severity,
        title: kind.title(),
        summary,
        session_id,
        event_id: Some(event.id),
        reasons,
        steps,
        occurred_at: event.occurred_at,
    }
}

fn block_ip(ip: &str) -> Option<ResponseStep> {
    let ip = ip.trim();
    (!ip.is_empty()).then(|| ResponseStep::BlockIp { ip: ip.to_owned() })
}

/// `"bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"` → `"bc1qxy2k…hx0wlh"`: enough to recognise in
/// a notification; the full address is in the reasons.
fn shorten(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    if chars.len() <= 16 {
        return address.to_owned();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}
