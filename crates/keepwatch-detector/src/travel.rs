//! Impossible travel: two sightings too far apart for the time between them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Utc};
use keepwatch_api::{Location, Session};
use serde::{Deserialize, Serialize};

use crate::baseline::{normalise_country, parse_ip};
use crate::place::place_name;
use crate::Baseline;

/// Two sightings closer than this (great-circle, before any error allowance) are never
/// impossible travel: at short range, geolocation noise and ISP routing dominate.
pub const MIN_TRAVEL_KM: f64 = 500.0;

/// The fastest plausible journey: a little under an airliner's cruising speed. A door-to-door
/// trip, with airports on both ends, is far slower, so anything above it did not travel.
pub const MAX_PLAUSIBLE_KMH: f64 = 900.0;

/// Geolocation error allowed at a point whose city is known.
///
/// IP geolocation places an address in the right city most of the time but can be off by tens of
/// kilometres (the ISP's nearest hub rather than the home); 100 km per point keeps neighbouring
/// cities from looking like a flight.
pub const CITY_ERROR_KM: u32 = 100;

/// Geolocation error allowed at a point with coordinates but no city.
///
/// Such coordinates usually mark only the country or a region (often near its middle), so they
/// can be off by the width of a country. Relays that hide the user's address on purpose, such as
/// iCloud Private Relay, report exactly this kind of location.
pub const COUNTRY_ERROR_KM: u32 = 1000;

/// Mean Earth radius (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Where and when a session was seen, kept by the core so that the next sign-in can be checked
/// against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Sighting {
    /// The session seen.
    pub session_id: String,
    /// When it was at this place: the session's last activity, which is when its address (and so
    /// its location) was last observed.
    pub at: DateTime<Utc>,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// For people: `"Berlin, Germany"`.
    pub place: String,
    /// How far off the coordinates may be, in kilometres ([`CITY_ERROR_KM`] or
    /// [`COUNTRY_ERROR_KM`]).
    pub error_km: u32,
    /// ISO 3166-1 alpha-2 code of the country, upper case; `None` when the geolocation gave none
    /// or the sighting was stored before this was recorded.
    #[serde(default)]
    pub country_code: Option<String>,
    /// Autonomous system number of the network; `None` when unknown or not recorded.
    #[serde(default)]
    pub asn: Option<u32>,
    /// The address, as the account service gave it; empty when not recorded.
    #[serde(default)]
    pub ip: String,
}

impl Sighting {
    /// The sighting of a session, or `None` when its location has no usable coordinates.
    pub fn of(session: &Session) -> Option<Self> {
        let (latitude, longitude) = coordinates(&session.location)?;
        Some(Self {
            session_id: session.id.clone(),
            at: session.last_active_at,
            latitude,
            longitude,
            place: place_name(&session.location),
            error_km: error_km(&session.location),
            country_code: session
                .location
                .country_code
                .as_deref()
                .and_then(normalise_country),
            asn: session.network.asn,
            ip: session.ip.clone(),
        })
    }
}

/// Valid coordinates of a location; out-of-range or non-finite values count as none.
fn coordinates(location: &Location) -> Option<(f64, f64)> {
    let latitude = location.latitude?;
    let longitude = location.longitude?;
    let valid = latitude.is_finite()
        && longitude.is_finite()
        && (-90.0..=90.0).contains(&latitude)
        && (-180.0..=180.0).contains(&longitude);
    valid.then_some((latitude, longitude))
}

fn error_km(location: &Location) -> u32 {
    match location.city.as_deref().map(str::trim) {
        Some(city) if !city.is_empty() => CITY_ERROR_KM,
        _ => COUNTRY_ERROR_KM,
    }
}

/// Whether two sightings came from one network: the same autonomous system and the same IPv4
/// /24 or IPv6 /48.
///
/// Geolocation databases place addresses block by block, a /24 being the smallest IPv4 block
/// routed on the Internet and a /48 the usual IPv6 site (a phone's or a home's rotating privacy
/// addresses stay inside it). Two addresses of one block on one AS are read from the same
/// database entry, so a change of place between them is the database being revised or a carrier
/// re-homing its pool, not the user travelling. The AS is part of the test because a block that
/// changed hands is someone else's network.
fn same_network(a: &Sighting, b: &Sighting) -> bool {
    let same_asn = a.asn.is_some() && a.asn == b.asn;
    same_asn
        && match (block_of(&a.ip), block_of(&b.ip)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
}

/// The /24 of an IPv4 address or the /48 of an IPv6 one, as its network address.
fn block_of(ip: &str) -> Option<IpAddr> {
    Some(match parse_ip(ip)? {
        IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) & 0xffff_ff00)),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 80) - 1))),
    })
}

/// Great-circle distance in kilometres (haversine formula).
pub fn haversine_km(from: (f64, f64), to: (f64, f64)) -> f64 {
    let (lat1, lon1) = (from.0.to_radians(), from.1.to_radians());
    let (lat2, lon2) = (to.0.to_radians(), to.1.to_radians());
    let a = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    // Rounding can push `a` a hair above 1 for antipodal points.
    2.0 * EARTH_RADIUS_KM * a.clamp(0.0, 1.0).sqrt().asin()
}

/// A journey no one could have made.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Trip {
    pub from: String,
    pub to: String,
    /// The countries at either end, when the geolocation (and, for an old sighting, the store)
    /// gave them.
    pub from_country: Option<String>,
    pub to_country: Option<String>,
    pub km: u32,
    pub minutes: u32,
    pub kmh: u32,
}

impl Trip {
    /// Whether the trip leaves a country. An end without a country is not known to stay inside
    /// one, so it counts as leaving: the benefit of the doubt needs evidence.
    pub fn crosses_border(&self) -> bool {
        !matches!((&self.from_country, &self.to_country), (Some(from), Some(to)) if from == to)
    }

    /// Whether both ends are in countries the account is used from.
    pub fn within_familiar_countries(&self, baseline: &Baseline) -> bool {
        [&self.from_country, &self.to_country]
            .into_iter()
            .all(|code| code.as_deref().is_some_and(|c| baseline.knows_country(c)))
    }
}

/// The trip from `previous` to `session`, if it is impossible.
///
/// Two sightings on one network ([`same_network`]) are no evidence of travel at all, however far
/// apart the geolocation puts them.
///
/// The speed is computed on the distance left after taking each point's error radius off, so a
/// trip is impossible only if even the most favourable reading of both locations is too fast.
/// The time gap is rounded up to whole minutes (in the trip's favour), and at least one minute so
/// that the speed stays finite.
pub(crate) fn impossible_trip(previous: &Sighting, session: &Session) -> Option<Trip> {
    if previous.session_id == session.id {
        return None;
    }
    let current = Sighting::of(session)?;
    if same_network(previous, &current) {
        return None;
    }
    let from = coordinates(&Location {
        latitude: Some(previous.latitude),
        longitude: Some(previous.longitude),
        ..Location::default()
    })?;
    let km = haversine_km(from, (current.latitude, current.longitude));
    if km <= MIN_TRAVEL_KM {
        return None;
    }
    let allowance = f64::from(previous.error_km) + f64::from(current.error_km);
    let effective_km = (km - allowance).max(0.0);
    // Sightings may arrive out of order; the speed is the same either way.
    let seconds = (current.at - previous.at).num_seconds().unsigned_abs();
    let minutes = seconds.div_ceil(60).max(1);
    let kmh = effective_km / (minutes as f64 / 60.0);
    (kmh > MAX_PLAUSIBLE_KMH).then(|| Trip {
        from: previous.place.clone(),
        to: current.place,
        from_country: previous.country_code.as_deref().and_then(normalise_country),
        to_country: current.country_code,
        km: km.round() as u32,
        minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
        kmh: kmh.round() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(asn: Option<u32>, ip: &str) -> Sighting {
        Sighting {
            session_id: "s".into(),
            at: DateTime::UNIX_EPOCH,
            latitude: 0.0,
            longitude: 0.0,
            place: "Somewhere".into(),
            error_km: CITY_ERROR_KM,
            country_code: None,
            asn,
            ip: ip.into(),
        }
    }

    #[test]
    fn one_network_is_one_as_and_one_ipv4_24_or_ipv6_48() {
        let telekom = Some(3320);
        let cases = [
            (telekom, "198.51.100.7", telekom, "198.51.100.250", true),
            (
                telekom,
                "198.51.100.7",
                telekom,
                "::ffff:198.51.100.8",
                true,
            ),
            (telekom, "198.51.100.7", telekom, "198.51.101.7", false),
            (telekom, "198.51.100.7", Some(7922), "198.51.100.8", false),
            (None, "198.51.100.7", None, "198.51.100.8", false),
            (
                telekom,
                "2001:db8:7:1::1",
                telekom,
                "[2001:db8:7:ff:a:b:c:d]",
                true,
            ),
            (
                telekom,
                "2001:db8:7:1::1",
                telekom,
                "2001:db8:8:1::1",
                false,
            ),
            (telekom, "2001:db8:7:1::1", telekom, "198.51.100.7", false),
            (telekom, "", telekom, "", false),
            (telekom, "not an address", telekom, "not an address", false),
        ];
        for (asn_a, ip_a, asn_b, ip_b, want) in cases {
            assert_eq!(
                same_network(&seen(asn_a, ip_a), &seen(asn_b, ip_b)),
                want,
                "{asn_a:?} {ip_a} / {asn_b:?} {ip_b}"
            );
        }
    }

    #[test]
    fn haversine_matches_known_distances() {
        // Exact on the sphere: a quarter meridian is πR/2, half the equator πR. Published
        // city-to-city figures: Berlin–Munich ≈ 504 km, Paris–London ≈ 344 km.
        let berlin = (52.52, 13.405);
        let cases = [
            ((0.0, 0.0), (90.0, 0.0), 10_007.5, 0.1),
            (berlin, (48.137, 11.575), 504.0, 5.0),
            ((48.8566, 2.3522), (51.5074, -0.1278), 344.0, 3.0),
            (berlin, berlin, 0.0, 0.001),
            ((0.0, 0.0), (0.0, 180.0), 20_015.1, 0.1),
        ];
        for (from, to, want, tolerance) in cases {
            let got = haversine_km(from, to);
            assert!(
                (got - want).abs() <= tolerance,
                "{from:?}→{to:?}: {got} km, want {want}±{tolerance}"
            );
        }
    }
}
