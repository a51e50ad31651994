//! Opening MaxMind DB files and reading their loosely typed values.
//!
//! The MaxMind DB decoder is strict about types (a `float` field does not decode as `f64`), and
//! publishers differ: MaxMind stores coordinates as doubles, DB-IP Lite as packaged by
//! ip-location-db as floats. The wrappers here accept any numeric encoding so one record type
//! reads every publisher's files.

use std::fmt;
use std::path::Path;

use maxminddb::{Reader, WithinOptions};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::GeoError;

/// The bytes that open the metadata section of every MaxMind DB file.
pub(crate) const METADATA_MARKER: &[u8] = b"\xab\xcd\xefMaxMind.com";
/// The spec caps the metadata section, marker included, at 128 KiB from the end of the file.
const METADATA_MAX_SIZE: usize = 128 * 1024;

/// True when `bytes` ends like a MaxMind DB file does.
pub(crate) fn looks_like_mmdb(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(METADATA_MAX_SIZE)..];
    tail.windows(METADATA_MARKER.len())
        .any(|w| w == METADATA_MARKER)
}

/// Reads the whole file into memory.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, GeoError> {
    std::fs::read(path).map_err(|source| GeoError::Unreadable {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses `bytes` (the content of `path`) as a MaxMind DB.
pub(crate) fn parse(path: &Path, bytes: Vec<u8>) -> Result<Reader<Vec<u8>>, GeoError> {
    Reader::from_source(bytes).map_err(|source| GeoError::NotMmdb {
        path: path.to_path_buf(),
        source,
    })
}

/// How many records [`check_layout`] samples before it gives up on a file.
const LAYOUT_SAMPLE: usize = 64;

/// Checks at open time that `reader` holds records `R` understands, so a file given as the
/// wrong kind fails loudly at start-up instead of answering `null` for every address.
///
/// `R` decodes every record of the kind; `known` says whether a decoded record had any field
/// of a known layout. Records are sampled from the start of the tree.
pub(crate) fn check_layout<'de, R: Deserialize<'de>>(
    path: &Path,
    reader: &'de Reader<Vec<u8>>,
    expected: &'static str,
    hint: &'static str,
    known: impl Fn(&R) -> bool,
) -> Result<(), GeoError> {
    let not_mmdb = |source| GeoError::NotMmdb {
        path: path.to_path_buf(),
        source,
    };
    let mut seen = 0;
    for item in reader
        .networks(WithinOptions::default())
        .map_err(not_mmdb)?
    {
        let item = item.map_err(not_mmdb)?;
        seen += 1;
        // A record of an unrelated layout may fail to decode (a field of the same name with
        // another type); that is no proof of corruption, just of a layout we do not read.
        if let Ok(Some(record)) = item.decode::<R>() {
            if known(&record) {
                return Ok(());
            }
        }
        if seen >= LAYOUT_SAMPLE {
            break;
        }
    }
    if seen == 0 {
        return Err(GeoError::Empty {
            path: path.to_path_buf(),
        });
    }
    Err(GeoError::UnknownLayout {
        path: path.to_path_buf(),
        expected,
        database_type: reader.metadata().database_type.clone(),
        hint,
    })
}

/// A coordinate in degrees, whichever numeric type the file stores it as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Degrees(pub(crate) f64);

impl<'de> Deserialize<'de> for Degrees {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DegreesVisitor;
        impl Visitor<'_> for DegreesVisitor {
            type Value = Degrees;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of degrees")
            }
            fn visit_f32<E: de::Error>(self, v: f32) -> Result<Degrees, E> {
                // A float widened bit for bit shows noise (52.52 → 52.52000045776367);
                // going through its shortest decimal form keeps the value the publisher meant.
                let shortest = v.to_string().parse::<f64>().unwrap_or(f64::from(v));
                Ok(Degrees(shortest))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Degrees, E> {
                Ok(Degrees(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Degrees, E> {
                Ok(Degrees(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Degrees, E> {
                Ok(Degrees(v as f64))
            }
        }
        deserializer.deserialize_any(DegreesVisitor)
    }
}

/// An autonomous system number, whichever unsigned or signed integer type the file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AsNumber(pub(crate) u32);

impl<'de> Deserialize<'de> for AsNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AsNumberVisitor;
        impl Visitor<'_> for AsNumberVisitor {
            type Value = AsNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an autonomous system number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom(format!("AS number {v} is out of range")))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom(format!("AS number {v} is out of range")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom(format!("AS number {v} is out of range")))
            }
        }
        deserializer.deserialize_any(AsNumberVisitor)
    }
}

/// Trims `text` and turns the empty string, which flat databases use for "unknown", into `None`.
pub(crate) fn non_empty(text: Option<String>) -> Option<String> {
    let text = text?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_owned())
    }
}
