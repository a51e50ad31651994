//! The location data Keepwatch keeps for providers that do not place addresses themselves
//! (Matrix): DB-IP Lite files (CC BY 4.0, <https://db-ip.com>) in [`DataDirs::geo_dir`].
//!
//! Files are told apart by name, as the loader reads them: a name holding `asn` (or a CSV
//! file) gives ISPs, any other `.mmdb` places. Every file is opened as what it claims to be
//! before it takes the place of another, and written atomically, so a failed download or a
//! wrong file never leaves the folder without working data.
//!
//! [`DataDirs::geo_dir`]: crate::config::DataDirs::geo_dir

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use keepwatch_geo::GeoDb;

use chrono::{Datelike, Months, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where DB-IP publishes its monthly Lite files.
pub const DBIP_BASE_URL: &str = "https://download.db-ip.com/free";

/// The environment variable that points downloads elsewhere (a mirror, or a test's server).
pub const GEO_BASE_URL_ENV: &str = "KEEPWATCH_GEO_BASE_URL";

/// The attribution DB-IP Lite's licence asks for, shown wherever its data is.
pub const ATTRIBUTION: &str = "IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0";

/// What a location file gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum GeoKind {
    /// City, region, country and coordinates.
    Place,
    /// The network's ISP and AS number.
    Isp,
}

/// One file of location data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GeoFile {
    /// Its name in the folder.
    pub name: String,
    /// What it gives.
    pub kind: GeoKind,
    /// Its size.
    pub bytes: u64,
    /// When it was written there.
    pub modified: Option<keepwatch_api::Timestamp>,
}

/// How far a download has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GeoProgress {
    /// The file being fetched.
    pub file: String,
    /// Bytes received so far.
    pub bytes_done: u64,
    /// Bytes in all, when the server said.
    pub bytes_total: Option<u64>,
}

/// What a file of this name gives, or `None` for a file that is not location data.
pub fn kind_of(name: &str) -> Option<GeoKind> {
    let name = name.to_ascii_lowercase();
    if name.ends_with(".csv") || name.ends_with(".mmdb") && name.contains("asn") {
        Some(GeoKind::Isp)
    } else if name.ends_with(".mmdb") {
        Some(GeoKind::Place)
    } else {
        None
    }
}

/// The location files in `dir`, by name (none when it does not exist).
pub fn list(dir: &Path) -> Result<Vec<GeoFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    let mut files: Vec<GeoFile> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = kind_of(&name)?;
            let meta = entry.metadata().ok()?;
            Some(GeoFile {
                name,
                kind,
                bytes: meta.len(),
                modified: meta.modified().ok().map(chrono::DateTime::<Utc>::from),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Checks that `dir` is a folder holding location data, before it is chosen as one.
pub fn check_folder(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::Invalid(format!("{} is not a folder", dir.display())));
    }
    if list(dir)?.is_empty() {
        return Err(Error::Invalid(format!(
            "{} holds no location data (.mmdb files, or .csv for ISPs)",
            dir.display()
        )));
    }
    Ok(())
}

/// Where location data is read from, as a running process sees it now.
pub type Folders = Box<dyn Fn() -> Vec<PathBuf> + Send + Sync>;

/// Each folder with its location files, as [`list`] gives them.
type Listing = Vec<(PathBuf, Vec<GeoFile>)>;

/// The location data of some folders, opened on first use and opened again whenever their
/// files change: a download from the window, a `keepwatch geo update` from a terminal or a
/// folder chosen in the settings reaches a running process without a restart.
pub struct GeoShelf {
    folders: Folders,
    /// The folders and their files as last opened, and what they opened to.
    loaded: Mutex<Option<(Listing, Arc<GeoDb>)>>,
}

impl std::fmt::Debug for GeoShelf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoShelf").finish_non_exhaustive()
    }
}

impl GeoShelf {
    /// A shelf of the files in `folders()`, earlier folders looked up first.
    pub fn new(folders: Folders) -> Self {
        Self {
            folders,
            loaded: Mutex::new(None),
        }
    }

    /// The data as the folders hold it now. Costs a listing of the folders when nothing
    /// changed; a file that cannot be read is left out (and logged), so that one bad file
    /// does not stop the others from placing addresses.
    pub fn current(&self) -> Arc<GeoDb> {
        let seen: Listing = (self.folders)()
            .into_iter()
            .map(|dir| {
                let files = list(&dir).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "location data folder could not be read");
                    Vec::new()
                });
                (dir, files)
            })
            .collect();
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((files, db)) = loaded.as_ref() {
            if *files == seen {
                return Arc::clone(db);
            }
        }
        let db = Arc::new(open_all(&seen));
        *loaded = Some((seen, Arc::clone(&db)));
        db
    }
}

/// Opens every file of `folders`, leaving out the ones that do not open.
fn open_all(folders: &Listing) -> GeoDb {
    let (mut places, mut isps) = (Vec::new(), Vec::new());
    for (dir, files) in folders {
        for file in files {
            let path = dir.join(&file.name);
            match file.kind {
                GeoKind::Place => places.push(path),
                GeoKind::Isp => isps.push(path),
            }
        }
    }
    if places.is_empty() && isps.is_empty() {
        tracing::info!("no location data; addresses are not placed");
        return GeoDb::empty();
    }
    if let Ok(db) = GeoDb::open(&places, &isps) {
        return db;
    }
    // Only on failure: which file is it?
    let readable = |paths: Vec<PathBuf>, kind: GeoKind| -> Vec<PathBuf> {
        paths
            .into_iter()
            .filter(|path| match check(path, kind) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(file = %path.display(), error = %e, "location file left out");
                    false
                }
            })
            .collect()
    };
    let (places, isps) = (
        readable(places, GeoKind::Place),
        readable(isps, GeoKind::Isp),
    );
    GeoDb::open(&places, &isps).unwrap_or_else(|_| GeoDb::empty())
}

/// Checks that `path` opens as the kind of data `kind` says.
fn check(path: &Path, kind: GeoKind) -> Result<()> {
    let files = [path.to_path_buf()];
    let opened = match kind {
        GeoKind::Place => keepwatch_geo::GeoDb::open(&files, &[]),
        GeoKind::Isp => keepwatch_geo::GeoDb::open(&[], &files),
    };
    opened
        .map(|_| ())
        .map_err(|e| Error::Invalid(crate::inert::text(&e.to_string())))
}

/// Copies `files` (`.mmdb`, or CSV for ISPs, e.g. DB-IP Lite or MaxMind GeoLite2) into `dir`,
/// each checked first; a file of the same name is replaced.
pub fn import(dir: &Path, files: &[PathBuf]) -> Result<()> {
    crate::files::create_private_dir(dir)?;
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind = kind_of(&name).ok_or_else(|| {
            Error::Invalid(format!(
                "{} is not location data (.mmdb, or .csv for ISPs)",
                file.display()
            ))
        })?;
        check(file, kind)?;
        let bytes =
            std::fs::read(file).map_err(|e| Error::io(format!("reading {}", file.display()), e))?;
        crate::files::write_atomic(&dir.join(&name), &bytes)?;
    }
    Ok(())
}

/// Downloads this month's DB-IP Lite city and ASN files from `base_url` (last month's when
/// this month's are not out yet) into `dir`, as `dbip-city-lite.mmdb` and
/// `dbip-asn-lite.mmdb`, telling `progress` as bytes arrive. Each replaces the file before it
/// only once it has arrived whole and opens.
pub async fn update(
    dir: &Path,
    base_url: &str,
    progress: &mut (dyn FnMut(GeoProgress) + Send),
) -> Result<()> {
    crate::files::create_private_dir(dir)?;
    let http = reqwest::Client::builder()
        .user_agent(crate::client::USER_AGENT)
        .connect_timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| Error::Network(format!("cannot set up HTTP client: {e}")))?;
    let this_month = Utc::now().date_naive();
    let months = [
        this_month,
        this_month
            .checked_sub_months(Months::new(1))
            .unwrap_or(this_month),
    ];
    for (stem, kind) in [
        ("dbip-city-lite", GeoKind::Place),
        ("dbip-asn-lite", GeoKind::Isp),
    ] {
        let mut fetched = None;
        for month in months {
            let name = format!("{stem}-{:04}-{:02}.mmdb.gz", month.year(), month.month());
            let url = format!("{}/{name}", base_url.trim_end_matches('/'));
            let response = http
                .get(&url)
                .send()
                .await
                .map_err(|e| Error::Network(e.to_string()))?;
            if response.status() == reqwest::StatusCode::NOT_FOUND {
                continue;
            }
            if !response.status().is_success() {
                return Err(Error::BadResponse(format!(
                    "{url}: HTTP {}",
                    response.status()
                )));
            }
            fetched = Some(download(response, &name, dir, progress).await?);
            break;
        }
        let Some(gz) = fetched else {
            return Err(Error::NotFound(format!(
                "{stem} for this month or the last at {base_url}"
            )));
        };
        let target = dir.join(format!("{stem}.mmdb"));
        let unpacked = dir.join(format!(".{stem}.mmdb.part"));
        let result = gunzip(&gz, &unpacked).and_then(|()| check(&unpacked, kind));
        let _ = std::fs::remove_file(&gz);
        if let Err(e) = result {
            let _ = std::fs::remove_file(&unpacked);
            return Err(e);
        }
        std::fs::rename(&unpacked, &target)
            .map_err(|e| Error::io(format!("writing {}", target.display()), e))?;
    }
    Ok(())
}

/// Streams `response` into a scratch file in `dir`, reporting progress; returns its path.
async fn download(
    mut response: reqwest::Response,
    name: &str,
    dir: &Path,
    progress: &mut (dyn FnMut(GeoProgress) + Send),
) -> Result<PathBuf> {
    let path = dir.join(format!(".{name}.part"));
    let mut file = std::fs::File::create(&path)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    let mut now = GeoProgress {
        file: name.to_owned(),
        bytes_done: 0,
        bytes_total: response.content_length(),
    };
    progress(now.clone());
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::Network(e.to_string()))?
    {
        file.write_all(&chunk)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        now.bytes_done += chunk.len() as u64;
        progress(now.clone());
    }
    file.sync_all()
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
}

fn gunzip(from: &Path, to: &Path) -> Result<()> {
    let input = std::fs::File::open(from)
        .map_err(|e| Error::io(format!("reading {}", from.display()), e))?;
    let mut output =
        std::fs::File::create(to).map_err(|e| Error::io(format!("writing {}", to.display()), e))?;
    std::io::copy(&mut flate2::read::GzDecoder::new(input), &mut output)
        .map_err(|e| Error::Invalid(format!("the download is not a gzip file: {e}")))?;
    output
        .sync_all()
        .map_err(|e| Error::io(format!("writing {}", to.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_name() {
        assert_eq!(kind_of("dbip-city-lite.mmdb"), Some(GeoKind::Place));
        assert_eq!(kind_of("GeoLite2-ASN.mmdb"), Some(GeoKind::Isp));
        assert_eq!(kind_of("asn-ipv4.csv"), Some(GeoKind::Isp));
        assert_eq!(kind_of("DBIP-LICENSE"), None);
    }

    #[test]
    fn the_shelf_follows_its_folders_and_leaves_a_bad_file_out() {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = keepwatch_geo::fixture::write_standard(&dir.path().join("src")).unwrap();
        let geo = dir.path().join("geo");
        let folder = geo.clone();
        let shelf = GeoShelf::new(Box::new(move || vec![folder.clone()]));
        let berlin: std::net::IpAddr = keepwatch_geo::fixture::BERLIN_V4.parse().unwrap();
        assert_eq!(shelf.current().lookup(berlin).0.city, None, "no data yet");
        let unchanged = shelf.current();
        assert!(
            Arc::ptr_eq(&unchanged, &shelf.current()),
            "not opened again"
        );

        import(&geo, &fixtures.city).unwrap();
        assert_eq!(
            shelf.current().lookup(berlin).0.city.as_deref(),
            Some("Berlin"),
            "a file imported meanwhile is read"
        );
        // A broken file beside them (copied in by hand) costs only itself.
        std::fs::write(geo.join("broken-city.mmdb"), "not a database").unwrap();
        assert_eq!(
            shelf.current().lookup(berlin).0.city.as_deref(),
            Some("Berlin")
        );
    }

    #[test]
    fn a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = keepwatch_geo::fixture::write_standard(&dir.path().join("src")).unwrap();
        let geo = dir.path().join("geo");
        import(&geo, &fixtures.city).unwrap();
        let files = list(&geo).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| f.kind == GeoKind::Place));
        // A text file named like a city database.
        let fake = dir.path().join("test-dbip-city-ipv4.mmdb");
        std::fs::write(&fake, "not a database").unwrap();
        assert!(matches!(import(&geo, &[fake]), Err(Error::Invalid(_))));
        let kept = std::fs::read(geo.join("test-dbip-city-ipv4.mmdb")).unwrap();
        assert_eq!(kept, std::fs::read(&fixtures.city[0]).unwrap());
    }
}
