//! The location data that places the addresses of providers which do not place them
//! (Matrix): what is there, importing files, downloading DB-IP Lite's monthly ones.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Api;
use crate::error::Result;
use crate::geo_data::{self, GeoFile, GeoProgress};

/// The location data on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GeoStatus {
    /// The folder Keepwatch keeps it in (downloads and imports go there).
    pub dir: String,
    /// Its files, by name.
    pub files: Vec<GeoFile>,
    /// The folder chosen in the settings, read first, if any.
    pub folder: Option<String>,
    /// The chosen folder's files, by name.
    pub folder_files: Vec<GeoFile>,
    /// The attribution the data's licence asks for.
    pub attribution: String,
}

impl Api {
    /// The location data on this machine.
    pub fn geo_status(&self) -> Result<GeoStatus> {
        let dir = self.kw.dirs().geo_dir();
        let folder = self.settings().location_data_folder;
        Ok(GeoStatus {
            files: geo_data::list(&dir)?,
            dir: dir.display().to_string(),
            folder_files: match &folder {
                // A chosen folder gone missing lists nothing rather than failing the status.
                Some(f) => geo_data::list(std::path::Path::new(f)).unwrap_or_default(),
                None => Vec::new(),
            },
            folder,
            attribution: geo_data::ATTRIBUTION.to_owned(),
        })
    }

    /// Copies `files` (checked first) into the location data folder, which every running
    /// process reads again at its next listing; the accounts placed by it are listed now.
    pub async fn import_geo(&self, files: &[PathBuf]) -> Result<GeoStatus> {
        geo_data::import(&self.kw.dirs().geo_dir(), files)?;
        self.place_again().await;
        self.geo_status()
    }

    /// Downloads DB-IP Lite's current city and ASN files (from
    /// [`geo_data::GEO_BASE_URL_ENV`] when set), telling `progress` as bytes arrive.
    pub async fn update_geo(
        &self,
        progress: &mut (dyn FnMut(GeoProgress) + Send),
    ) -> Result<GeoStatus> {
        let base = std::env::var(geo_data::GEO_BASE_URL_ENV)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| geo_data::DBIP_BASE_URL.to_owned());
        geo_data::update(&self.kw.dirs().geo_dir(), &base, progress).await?;
        self.place_again().await;
        self.geo_status()
    }

    /// Chooses the folder of location data read before Keepwatch's own (checked first:
    /// it must hold some), or none; the accounts placed by it are listed again.
    pub async fn set_location_data_folder(&self, folder: Option<String>) -> Result<GeoStatus> {
        let mut settings = self.settings();
        settings.location_data_folder = folder.filter(|f| !f.trim().is_empty());
        self.set_settings(&settings)?;
        self.place_again().await;
        self.geo_status()
    }

    /// Lists again the sessions of every account whose addresses Keepwatch places itself, so
    /// that new location data shows at once rather than at the next change. An account that
    /// cannot be reached now is placed at its next listing.
    pub(super) async fn place_again(&self) {
        for account in self.accounts() {
            if account.capabilities.places_from_local_data {
                if let Err(e) = self.sync_now(Some(&account.id)).await {
                    tracing::info!(error = %e, "not listed again now");
                }
            }
        }
    }
}
