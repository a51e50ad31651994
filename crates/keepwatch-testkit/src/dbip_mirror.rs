//! A loopback stand-in for DB-IP's download folder (`KEEPWATCH_GEO_BASE_URL`): the project's
//! generated fixture databases, gzipped and named by month as DB-IP publishes its Lite files.

use std::io::Write;

use chrono::{Datelike, NaiveDate, Utc};

use crate::{serve_files, Answer};

/// The fixture city and ASN databases, as they are before packing: `(city, asn)`.
pub fn fixture_databases() -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let records = keepwatch_geo::fixture::standard();
    let (city, asn) = (dir.path().join("city.mmdb"), dir.path().join("asn.mmdb"));
    keepwatch_geo::fixture::write_city_geoip2(&city, records).expect("the city fixture");
    keepwatch_geo::fixture::write_asn_mmdb(&asn, records).expect("the ASN fixture");
    (
        std::fs::read(city).expect("the city fixture reads"),
        std::fs::read(asn).expect("the ASN fixture reads"),
    )
}

/// `bytes` gzipped, as DB-IP serves its files.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip into memory");
    gz.finish().expect("gzip into memory")
}

/// The path DB-IP gives `stem`'s file of `month` (`/dbip-city-lite-2026-12.mmdb.gz`).
pub fn dbip_path(stem: &str, month: NaiveDate) -> String {
    format!("/{stem}-{:04}-{:02}.mmdb.gz", month.year(), month.month())
}

/// Serves this month's fixture city and ASN files on 127.0.0.1; returns the base URL.
pub async fn dbip_mirror() -> String {
    let (city, asn) = fixture_databases();
    let today = Utc::now().date_naive();
    let answers = vec![
        Answer::new(dbip_path("dbip-city-lite", today), 200, gzip(&city)),
        Answer::new(dbip_path("dbip-asn-lite", today), 200, gzip(&asn)),
    ];
    serve_files(answers, "application/octet-stream", b"").await
}
