//! `keepwatch geo`: the location data that places Matrix sessions. Downloads come from a
//! loopback HTTP server laid out as DB-IP's (`KEEPWATCH_GEO_BASE_URL`), serving the project's
//! generated fixtures gzipped, as DB-IP publishes them.

use std::path::Path;
use std::process::Output;

use chrono::{Months, Utc};
use keepwatch_testkit::{dbip_path, fixture_databases, gzip, serve_files, Answer};

/// `keepwatch ARGS` with `data` as its data folder, downloads from `base`.
async fn keepwatch(data: &Path, base: &str, args: &[&str]) -> Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_keepwatch"));
    c.args(args)
        .env("KEEPWATCH_DATA_DIR", data)
        .env("KEEPWATCH_GEO_BASE_URL", base)
        .env_remove("KEEPWATCH_GEO_DIR")
        .env_remove("KEEPWATCH_LOG");
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

fn ok(o: &Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{}\n{out}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn fails(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        !o.status.success(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A loopback server answering `files` (path → body) with 200, and 404 for anything else.
async fn serve(files: Vec<(String, Vec<u8>)>) -> String {
    let answers = files
        .into_iter()
        .map(|(path, body)| Answer::new(path, 200, body))
        .collect();
    serve_files(answers, "application/octet-stream", b"").await
}

#[tokio::test(flavor = "multi_thread")]
async fn location_data_is_downloaded_imported_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let none = ok(&keepwatch(&data, "http://127.0.0.1:9", &["geo", "status"]).await);
    assert!(none.contains("No location data yet"), "{none}");

    // DB-IP's layout: this month's ISP file, and only last month's city file (this month's is
    // not out yet), gzipped.
    let (city, asn) = fixture_databases();
    let today = Utc::now().date_naive();
    let last = today.checked_sub_months(Months::new(1)).unwrap();
    let base = serve(vec![
        (dbip_path("dbip-city-lite", last), gzip(&city)),
        (dbip_path("dbip-asn-lite", today), gzip(&asn)),
    ])
    .await;
    ok(&keepwatch(&data, &base, &["geo", "update"]).await);
    let status: serde_json::Value =
        serde_json::from_str(&ok(
            &keepwatch(&data, &base, &["--json", "geo", "status"]).await
        ))
        .unwrap();
    let files: Vec<(&str, &str)> = status["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("dbip-asn-lite.mmdb", "isp"),
            ("dbip-city-lite.mmdb", "place")
        ]
    );
    assert!(status["attribution"].as_str().unwrap().contains("DB-IP"));
    let geo = data.join("geo");
    assert_eq!(
        std::fs::read(geo.join("dbip-city-lite.mmdb")).unwrap(),
        city
    );

    // A download that is not a database changes nothing.
    let broken = serve(vec![
        (
            dbip_path("dbip-city-lite", today),
            gzip(b"<html>maintenance</html>"),
        ),
        (dbip_path("dbip-asn-lite", today), gzip(&asn)),
    ])
    .await;
    let err = fails(&keepwatch(&data, &broken, &["geo", "update"]).await);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read(geo.join("dbip-city-lite.mmdb")).unwrap(),
        city
    );
    let left: Vec<_> = std::fs::read_dir(&geo)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 2, "no scraps left behind: {left:?}");

    // Nothing at all to download: one clear line.
    let empty = serve(Vec::new()).await;
    fails(&keepwatch(&data, &empty, &["geo", "update"]).await);

    // Import checks what it copies.
    let src = dir.path().join("src");
    let fixtures = keepwatch_geo::fixture::write_standard(&src.join("standard")).unwrap();
    let imported = ok(&keepwatch(
        &data,
        &base,
        &[
            "geo",
            "import",
            fixtures.asn[0].to_str().unwrap(),
            fixtures.city[0].to_str().unwrap(),
        ],
    )
    .await);
    assert!(imported.contains("test-asn-ipv4.csv"), "{imported}");
    let readme = src.join("notes.txt");
    std::fs::write(&readme, "hello").unwrap();
    fails(&keepwatch(&data, &base, &["geo", "import", readme.to_str().unwrap()]).await);

    // A folder another program keeps is read too, once checked; `none` stops.
    let kept = src.join("standard");
    let chosen = ok(&keepwatch(&data, &base, &["geo", "folder", kept.to_str().unwrap()]).await);
    assert!(
        chosen.contains(&format!("Also read first: {}", kept.display())),
        "{chosen}"
    );
    assert!(chosen.contains("test-dbip-city-ipv6.mmdb"), "{chosen}");
    let setting = ok(&keepwatch(&data, &base, &["config", "get", "location_data_folder"]).await);
    assert!(setting.contains(kept.to_str().unwrap()), "{setting}");
    let wrong = fails(&keepwatch(&data, &base, &["geo", "folder", readme.to_str().unwrap()]).await);
    assert!(wrong.contains("is not a folder"), "{wrong}");
    let empty_dir = dir.path().join("empty");
    std::fs::create_dir_all(&empty_dir).unwrap();
    let empty = fails(
        &keepwatch(
            &data,
            &base,
            &["geo", "folder", empty_dir.to_str().unwrap()],
        )
        .await,
    );
    assert!(empty.contains("holds no location data"), "{empty}");
    let stopped = ok(&keepwatch(&data, &base, &["geo", "folder", "none"]).await);
    assert!(!stopped.contains("Also read first"), "{stopped}");
}
