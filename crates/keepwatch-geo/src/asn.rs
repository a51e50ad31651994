//! ASN databases: whose network an address is in.
//!
//! Two formats are read: MaxMind GeoLite2-ASN style MaxMind DB files (`autonomous_system_number`,
//! `autonomous_system_organization`; ip-location-db's `asn-mmdb` package uses the same keys) and
//! ip-location-db's range CSV files (see [`crate::asn_csv`]). The format is chosen by content: a
//! file that ends in MaxMind DB metadata, or is named `*.mmdb`, is read as one; anything else as
//! CSV.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use keepwatch_api::Network;
use maxminddb::Reader;
use serde::Deserialize;

use crate::asn_csv::AsnCsv;
use crate::mmdb::{self, non_empty, AsNumber};
use crate::GeoError;

/// One opened ASN database.
pub(crate) enum AsnDb {
    /// A MaxMind DB file.
    Mmdb {
        /// Where it was read from, for logs.
        path: PathBuf,
        /// The file's content.
        reader: Reader<Vec<u8>>,
    },
    /// A range CSV file, parsed into memory.
    Csv(AsnCsv),
}

impl AsnDb {
    /// Opens `path` as whichever format its content (or `.mmdb` extension) says.
    pub(crate) fn open(path: &Path) -> Result<AsnDb, GeoError> {
        let bytes = mmdb::read_file(path)?;
        let named_mmdb = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("mmdb"));
        if named_mmdb || mmdb::looks_like_mmdb(&bytes) {
            let reader = mmdb::parse(path, bytes)?;
            mmdb::check_layout::<AsnRecord>(
                path,
                &reader,
                "ASN",
                "GeoLite2-ASN records (autonomous_system_number, autonomous_system_organization)",
                AsnRecord::has_known_field,
            )?;
            tracing::info!(
                path = %path.display(),
                database_type = %reader.metadata().database_type,
                "opened ASN database"
            );
            Ok(AsnDb::Mmdb {
                path: path.to_path_buf(),
                reader,
            })
        } else {
            let csv = AsnCsv::parse(path, &bytes)?;
            tracing::info!(path = %path.display(), ranges = csv.len(), "opened ASN CSV");
            Ok(AsnDb::Csv(csv))
        }
    }

    /// The network of `ip`, or `None` when this file does not know it.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Option<Network> {
        let network = match self {
            AsnDb::Csv(csv) => csv.lookup(ip),
            AsnDb::Mmdb { path, reader } => {
                if ip.is_ipv6() && reader.metadata().ip_version == 4 {
                    return None;
                }
                match reader
                    .lookup(ip)
                    .and_then(|found| found.decode::<AsnRecord>())
                {
                    Ok(record) => record.map(AsnRecord::into_network),
                    Err(error) => {
                        tracing::warn!(path = %path.display(), %ip, %error, "unreadable ASN record");
                        None
                    }
                }
            }
        };
        network.filter(|network| *network != Network::default())
    }
}

/// A GeoLite2-ASN record.
#[derive(Debug, Deserialize)]
struct AsnRecord {
    autonomous_system_number: Option<AsNumber>,
    autonomous_system_organization: Option<String>,
}

impl AsnRecord {
    fn has_known_field(&self) -> bool {
        self.autonomous_system_number.is_some() || self.autonomous_system_organization.is_some()
    }

    fn into_network(self) -> Network {
        Network {
            // AS 0 is reserved; databases use it for "not announced".
            asn: self
                .autonomous_system_number
                .map(|n| n.0)
                .filter(|&n| n != 0),
            isp: non_empty(self.autonomous_system_organization),
        }
    }
}
