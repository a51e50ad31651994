//! Writes the standard fixture set (see `keepwatch_geo::fixture::world`) into a directory and
//! prints the server flags that use it.
//!
//! `cargo run -p keepwatch-geo --features fixtures --example write-fixtures -- DIR`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: write-fixtures DIR");
        return ExitCode::FAILURE;
    };
    let dir = PathBuf::from(dir);
    match keepwatch_geo::fixture::write_standard(&dir) {
        Ok(files) => {
            let flags = files
                .city
                .iter()
                .map(|path| format!("--geoip-city {}", path.display()))
                .chain(
                    files
                        .asn
                        .iter()
                        .map(|path| format!("--geoip-asn {}", path.display())),
                );
            println!("{}", flags.collect::<Vec<_>>().join(" "));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write fixtures to {}: {error}", dir.display());
            ExitCode::FAILURE
        }
    }
}
