//! Looks addresses up in geo database files and prints the API's view of them as JSON.
//!
//! `cargo run -p keepwatch-geo --example lookup -- --city FILE --asn FILE IP...`
//! (`--city` and `--asn` repeat, as the server's `--geoip-city` and `--geoip-asn` do).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use keepwatch_geo::GeoDb;

fn main() -> ExitCode {
    let mut city = Vec::new();
    let mut asn = Vec::new();
    let mut ips = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--city" | "--asn" => {
                let Some(file) = args.next() else {
                    eprintln!("{arg} needs a file");
                    return ExitCode::FAILURE;
                };
                let list = if arg == "--city" { &mut city } else { &mut asn };
                list.push(PathBuf::from(file));
            }
            _ => match arg.parse::<IpAddr>() {
                Ok(ip) => ips.push(ip),
                Err(_) => {
                    eprintln!("not an IP address: {arg}");
                    return ExitCode::FAILURE;
                }
            },
        }
    }
    let started = Instant::now();
    let db = match GeoDb::open(&city, &asn) {
        Ok(db) => db,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("opened in {:.2?}", started.elapsed());
    for ip in ips {
        let (location, network) = db.lookup(ip);
        let line = serde_json::json!({ "ip": ip, "location": location, "network": network });
        println!("{line}");
    }
    ExitCode::SUCCESS
}
