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
    /// The folder it is kept in.
    pub dir: String,
    /// Its files, by name.
    pub files: Vec<GeoFile>,
    /// The attribution the data's licence asks for.
    pub attribution: String,
}

impl Api {
    /// The location data on this machine.
    pub fn geo_status(&self) -> Result<GeoStatus> {
        let dir = self.kw.dirs().geo_dir();
        Ok(GeoStatus {
            files: geo_data::list(&dir)?,
            dir: dir.display().to_string(),
            attribution: geo_data::ATTRIBUTION.to_owned(),
        })
    }

    /// Copies `files` (checked first) into the location data folder. Running processes read
    /// the folder when they start.
    pub fn import_geo(&self, files: &[PathBuf]) -> Result<GeoStatus> {
        geo_data::import(&self.kw.dirs().geo_dir(), files)?;
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
        self.geo_status()
    }
}
