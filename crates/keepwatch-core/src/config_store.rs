//! The one owner of the configuration in a process. The desktop app, `keepwatch watch` and
//! one-off CLI commands run side by side over one file: every read here notices a change made
//! by another process (by the file's identity, size and modification time) and reads it again,
//! and every change is made under the file's lock over what is on disk now, so nothing made
//! elsewhere is lost or missed.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use parking_lot::Mutex;

use crate::config::{Config, ConfigRecovery};
use crate::error::Result;

/// What tells one version of the file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    /// Every save renames a new file into place, so a new inode is a new version even within
    /// the file system's timestamp granularity.
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        })
    }
}

struct Cached {
    config: Config,
    stamp: Option<Stamp>,
    /// Bumped whenever another process's change is read; this process's own changes are
    /// told by whoever made them.
    version: u64,
}

/// The configuration file and what this process last read of it.
pub struct ConfigStore {
    path: PathBuf,
    cached: Mutex<Cached>,
}

impl std::fmt::Debug for ConfigStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ConfigStore {
    /// Opens `path` as [`Config::open`] does (a damaged file is repaired and reported).
    pub fn open(path: &Path) -> Result<(Self, Option<ConfigRecovery>)> {
        let (config, recovered) = Config::open(path)?;
        let store = Self {
            path: path.to_owned(),
            cached: Mutex::new(Cached {
                config,
                stamp: Stamp::of(path),
                version: 0,
            }),
        };
        Ok((store, recovered))
    }

    /// The file this store owns.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The configuration as saved now.
    pub fn get(&self) -> Config {
        self.refresh();
        self.cached.lock().config.clone()
    }

    /// Reads the file again if another process changed it since this one last looked; returns
    /// whether it had. A file that cannot be read now (being replaced, damaged) leaves the
    /// last good reading in place.
    pub fn refresh(&self) -> bool {
        let stamp = Stamp::of(&self.path);
        let mut cached = self.cached.lock();
        if stamp == cached.stamp {
            return false;
        }
        match Config::load(&self.path) {
            Ok(config) => {
                let changed = config != cached.config;
                cached.config = config;
                cached.stamp = stamp;
                cached.version += u64::from(changed);
                changed
            }
            Err(e) => {
                tracing::warn!(error = %e, "keeping the configuration read before");
                false
            }
        }
    }

    /// A number that grows whenever a change made by another process is noticed: a follower
    /// compares it with what it saw last. This process's own changes do not count.
    pub fn version(&self) -> u64 {
        self.refresh();
        self.cached.lock().version
    }

    /// Changes the configuration on disk (see [`Config::update`]) and keeps what was written.
    pub fn update<T>(&self, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
        let mut cached = self.cached.lock();
        let before = cached.config.clone();
        // What is on disk under the lock may hold another process's change not noticed yet:
        // that is news for the followers, this change is not.
        let mut theirs = false;
        let (fresh, value) = Config::update(&self.path, |disk| {
            theirs = *disk != before;
            change(disk)
        })?;
        cached.version += u64::from(theirs);
        cached.config = fresh;
        cached.stamp = Stamp::of(&self.path);
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_made_by_another_process_is_read_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        let (app, _) = ConfigStore::open(&path).unwrap();
        assert!(app.get().preferences.travel_mode_until.is_none());
        let seen = app.version();
        // "The CLI": another owner of the same file, as another process would have.
        let (cli, _) = ConfigStore::open(&path).unwrap();
        let until = chrono::Utc::now();
        cli.update(|c| {
            c.preferences.travel_mode_until = Some(until);
            Ok(())
        })
        .unwrap();
        let before = app.version();
        assert!(before > seen, "the app notices the CLI's change");
        assert!(
            !app.refresh(),
            "noticed by version() already, and only once"
        );
        assert_eq!(app.version(), before);
        assert_eq!(app.get().preferences.travel_mode_until, Some(until));
        // The app's change is made over the CLI's, not over its own old reading, and is not
        // news to the app's followers.
        let before = app.version();
        app.update(|c| {
            c.preferences.language = Some("ar".into());
            Ok(())
        })
        .unwrap();
        assert_eq!(app.version(), before);
        let seen = cli.get().preferences;
        assert_eq!(seen.language.as_deref(), Some("ar"));
        assert_eq!(seen.travel_mode_until, Some(until));
    }

    #[test]
    fn a_file_being_damaged_keeps_the_last_good_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        let (store, _) = ConfigStore::open(&path).unwrap();
        store
            .update(|c| {
                c.preferences.poll_interval_secs = 7;
                Ok(())
            })
            .unwrap();
        std::fs::write(&path, b"{ not json").unwrap();
        assert!(!store.refresh());
        assert_eq!(store.get().preferences.poll_interval_secs, 7);
    }
}
