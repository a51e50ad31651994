//! What can go wrong when opening geo databases.

use std::path::PathBuf;

/// Why a geo database file could not be opened. Every variant names the file, so a server
/// started with several `--geoip-*` files says which one is at fault.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The file could not be read at all (missing, permissions, a directory…).
    #[error("cannot read geo database {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file was expected to be a MaxMind DB (`.mmdb`) file but is not a valid one.
    #[error("{} is not a valid MaxMind DB (.mmdb) file: {source}", path.display())]
    NotMmdb {
        /// The file.
        path: PathBuf,
        /// What the MaxMind DB reader said.
        #[source]
        source: maxminddb::MaxMindDbError,
    },
    /// The file is a MaxMind DB, but its records have none of the fields this crate knows
    /// for the kind of database it was given as (for example an ASN file passed as a city file).
    #[error(
        "{} has an unknown record layout for a {expected} database (database type {database_type:?}); \
         expected {hint}",
        path.display()
    )]
    UnknownLayout {
        /// The file.
        path: PathBuf,
        /// `"city"` or `"ASN"`.
        expected: &'static str,
        /// The `database_type` from the file's metadata.
        database_type: String,
        /// Which layouts would have been accepted.
        hint: &'static str,
    },
    /// A line of an ASN CSV file could not be understood.
    #[error("{}: line {line}: {message}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// The file was read but holds no networks at all, which is always a mistake (a truncated
    /// download, the wrong file).
    #[error("{} holds no networks", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
}
