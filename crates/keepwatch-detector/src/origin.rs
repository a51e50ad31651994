//! What the baseline says about where a sign-in came from and what it ran on.

use keepwatch_api::{Device, Location, LoginAttempt, Network, Session};

use crate::baseline::normalise_country;
use crate::networks::hosting_network;
use crate::place::place_name;
use crate::{Baseline, DeviceKey, Reason};

/// The parts of a session or sign-in attempt that say who and where.
pub(crate) struct Origin<'a> {
    pub device: &'a Device,
    pub network: &'a Network,
    pub location: &'a Location,
    pub ip: &'a str,
}

impl<'a> From<&'a Session> for Origin<'a> {
    fn from(session: &'a Session) -> Self {
        Self {
            device: &session.device,
            network: &session.network,
            location: &session.location,
            ip: &session.ip,
        }
    }
}

impl<'a> From<&'a LoginAttempt> for Origin<'a> {
    fn from(attempt: &'a LoginAttempt) -> Self {
        Self {
            device: &attempt.device,
            network: &attempt.network,
            location: &attempt.location,
            ip: &attempt.ip,
        }
    }
}

/// How the device compares with the baseline.
#[derive(Debug, PartialEq)]
pub(crate) enum DeviceFinding {
    Familiar,
    Unfamiliar,
    Unidentified,
}

/// How the country compares with the baseline.
#[derive(Debug, PartialEq)]
pub(crate) enum CountryFinding {
    Familiar,
    Unfamiliar {
        country_code: String,
        country: Option<String>,
    },
    /// No country: the address could not be located.
    Unknown,
}

/// The baseline's verdict on one origin.
pub(crate) struct Findings {
    pub device: DeviceFinding,
    pub country: CountryFinding,
    /// The address is inside a familiar IPv6 /64: the same connection, whatever the geolocation
    /// says about it now.
    pub familiar_ipv6_network: bool,
    pub network: Option<Reason>,
    pub device_label: String,
    pub place: String,
}

impl Findings {
    pub fn examine(baseline: &Baseline, origin: &Origin<'_>) -> Self {
        let key = DeviceKey::from_device(origin.device);
        let device = if !key.is_identified() {
            DeviceFinding::Unidentified
        } else if baseline.knows_device(&key) {
            DeviceFinding::Familiar
        } else {
            DeviceFinding::Unfamiliar
        };
        let familiar_ipv6_network = baseline.knows_ipv6_network_of(origin.ip);
        let country = match origin
            .location
            .country_code
            .as_deref()
            .and_then(normalise_country)
        {
            None => CountryFinding::Unknown,
            // A geolocation database update can move a whole /64 to another country; the
            // household behind it has not moved.
            Some(code) if baseline.knows_country(&code) || familiar_ipv6_network => {
                CountryFinding::Familiar
            }
            Some(country_code) => CountryFinding::Unfamiliar {
                country_code,
                country: origin
                    .location
                    .country
                    .as_deref()
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned),
            },
        };
        Self {
            device,
            country,
            familiar_ipv6_network,
            network: network_reason(baseline, origin.network),
            device_label: origin.device.label.clone(),
            place: place_name(origin.location),
        }
    }

    /// The device and country reasons, most telling first, then the network.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons = Vec::new();
        match self.device {
            DeviceFinding::Familiar => {}
            DeviceFinding::Unfamiliar => reasons.push(Reason::UnfamiliarDevice {
                label: self.device_label.clone(),
            }),
            DeviceFinding::Unidentified => reasons.push(Reason::UnidentifiedDevice {
                label: self.device_label.clone(),
            }),
        }
        match &self.country {
            CountryFinding::Familiar => {}
            CountryFinding::Unfamiliar {
                country_code,
                country,
            } => reasons.push(Reason::UnfamiliarCountry {
                country_code: country_code.clone(),
                country: country.clone(),
            }),
            CountryFinding::Unknown => reasons.push(Reason::UnknownLocation),
        }
        reasons.extend(self.network.clone());
        reasons
    }

    /// `"Chrome 124 on Windows 11 · São Paulo, Brazil"`.
    pub fn summary(&self) -> String {
        format!("{} · {}", self.device_label, self.place)
    }
}

fn network_reason(baseline: &Baseline, network: &Network) -> Option<Reason> {
    let isp = network
        .isp
        .as_deref()
        .map(str::trim)
        .filter(|isp| !isp.is_empty())
        .map(str::to_owned);
    if let Some(hosting) = network.asn.and_then(hosting_network) {
        return Some(Reason::VpnOrHostingNetwork {
            asn: hosting.asn,
            operator: hosting.operator.to_owned(),
            isp,
        });
    }
    if network.asn.is_none() && isp.is_none() {
        return None;
    }
    Some(Reason::Network {
        asn: network.asn,
        isp,
        seen_before: network.asn.is_some_and(|asn| baseline.knows_asn(asn)),
    })
}
