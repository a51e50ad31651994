//! PLACEHOLDER of `keepwatch-geo` for the server branch: the real crate replaces it on merge.
//! It knows only exact addresses listed in its own JSON fixture files.

use std::net::IpAddr;
use std::path::PathBuf;

use keepwatch_api::{Location, Network};

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// Reading a file failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file was not understood.
    #[error("cannot parse {0}")]
    Format(PathBuf),
}

/// Addresses with their place and network.
#[derive(Debug, Default)]
pub struct GeoDb {
    cities: Vec<(IpAddr, Location)>,
    asns: Vec<(IpAddr, Network)>,
}

impl GeoDb {
    /// Opens the given files.
    pub fn open(city_files: &[PathBuf], asn_files: &[PathBuf]) -> Result<GeoDb, GeoError> {
        let mut db = GeoDb::default();
        for path in city_files {
            for (ip, v) in read(path)? {
                let s = |i: usize| v.get(i).and_then(|x| x.as_str()).map(str::to_owned);
                db.cities.push((
                    ip,
                    Location {
                        city: s(0),
                        region: s(1),
                        country_code: s(2),
                        country: s(3),
                        latitude: v.get(4).and_then(|x| x.as_f64()),
                        longitude: v.get(5).and_then(|x| x.as_f64()),
                    },
                ));
            }
        }
        for path in asn_files {
            for (ip, v) in read(path)? {
                db.asns.push((
                    ip,
                    Network {
                        asn: v.first().and_then(|x| x.as_u64()).map(|x| x as u32),
                        isp: v.get(1).and_then(|x| x.as_str()).map(str::to_owned),
                    },
                ));
            }
        }
        Ok(db)
    }

    /// A database that knows nothing.
    pub fn empty() -> GeoDb {
        GeoDb::default()
    }

    /// Place and network of `ip`; empty when unknown.
    pub fn lookup(&self, ip: IpAddr) -> (Location, Network) {
        let loc = self.cities.iter().find(|(a, _)| *a == ip).map(|(_, l)| l.clone());
        let net = self.asns.iter().find(|(a, _)| *a == ip).map(|(_, n)| n.clone());
        (loc.unwrap_or_default(), net.unwrap_or_default())
    }
}

fn read(path: &PathBuf) -> Result<Vec<(IpAddr, Vec<serde_json::Value>)>, GeoError> {
    let text = std::fs::read_to_string(path).map_err(|source| GeoError::Io {
        path: path.clone(),
        source,
    })?;
    let rows: Vec<(String, Vec<serde_json::Value>)> =
        serde_json::from_str(&text).map_err(|_| GeoError::Format(path.clone()))?;
    rows.into_iter()
        .map(|(ip, v)| Ok((ip.parse().map_err(|_| GeoError::Format(path.clone()))?, v)))
        .collect()
}

/// Fixture writers.
#[cfg(feature = "fixtures")]
pub mod fixture {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::path::{Path, PathBuf};

    /// Berlin, Germany.
    pub const BERLIN_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
    /// São Paulo, Brazil.
    pub const SAO_PAULO_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 20));
    /// Berlin, IPv6.
    pub const BERLIN_V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0x10, 0, 0, 0, 0, 1));

    /// The files written.
    pub struct FixtureFiles {
        /// City files.
        pub city: Vec<PathBuf>,
        /// ASN files.
        pub asn: Vec<PathBuf>,
    }

    /// Writes the standard fixtures into `dir`.
    pub fn write_standard(dir: &Path) -> std::io::Result<FixtureFiles> {
        let city = dir.join("city.json");
        let asn = dir.join("asn.json");
        std::fs::write(&city, format!(r#"[["{BERLIN_V4}",["Berlin","Land Berlin","DE","Germany",52.52,13.40]],["{BERLIN_V6}",["Berlin","Land Berlin","DE","Germany",52.52,13.40]],["{SAO_PAULO_V4}",["São Paulo","São Paulo","BR","Brazil",-23.55,-46.63]]]"#))?;
        std::fs::write(&asn, format!(r#"[["{BERLIN_V4}",[3320,"Deutsche Telekom AG"]],["{SAO_PAULO_V4}",[28573,"Claro NXT"]]]"#))?;
        Ok(FixtureFiles { city: vec![city], asn: vec![asn] })
    }
}
