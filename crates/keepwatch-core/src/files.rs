//! Files that hold what the user must not lose, nor anyone else read: private folders, writes
//! that land whole or not at all, exclusive locks across processes, and damaged files moved
//! aside rather than used or deleted.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::error::{Error, Result};

/// Creates `dir` (and its parents) readable by the user alone (0700 on Unix). An existing
/// folder is narrowed to 0700 too: history and configuration say where the user signs in from.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    restrict(dir, 0o700)
}

/// Creates `path` empty and readable by the user alone (0600 on Unix) when it does not exist;
/// narrows an existing one to 0600. SQLite gives its `-wal` and `-shm` files the mode of the
/// database file, so this covers them too.
pub fn create_private_file(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io(format!("restricting {}", path.display()), e))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> Result<()> {
    // Windows: files under the user's profile inherit its owner-only ACL.
    Ok(())
}

/// Replaces `path` with `bytes` so that a crash or power loss leaves either the old content
/// or the new, never a mix: a private temporary file beside it, flushed to disk, renamed over
/// `path`, and the folder flushed so that the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("writing {}", path.display()), e)
    })
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // NTFS journals renames; a folder cannot be opened for flushing there.
    Ok(())
}

/// Waits for the exclusive lock on `path` (created if missing), held until the file is
/// dropped: the desktop app, `keepwatch watch` and a CLI command take turns through it.
pub fn lock_exclusive(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    file.lock()
        .map_err(|e| Error::io(format!("locking {}", path.display()), e))?;
    Ok(file)
}

/// Renames a damaged `path` to `<name>.damaged-<UTC time>` beside it, with the companions
/// named by `suffixes` (SQLite's `-wal`, `-shm`), and returns the new name. Nothing is
/// deleted: the user, or support, may still want to look at it.
pub fn move_aside(path: &Path, suffixes: &[&str]) -> Result<PathBuf> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut aside = path.as_os_str().to_os_string();
    aside.push(format!(".damaged-{stamp}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside)
        .map_err(|e| Error::io(format!("moving {} aside", path.display()), e))?;
    rename_companions(path, &aside, suffixes)?;
    Ok(aside)
}

/// Renames `from` to `to` with whichever companions named by `suffixes` exist (a database
/// and its `-wal` and `-shm`); a missing `from` is not an error.
pub fn rename_with_companions(from: &Path, to: &Path, suffixes: &[&str]) -> Result<()> {
    match std::fs::rename(from, to) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("renaming {}", from.display()), e)),
    }
    rename_companions(from, to, suffixes)
}

fn rename_companions(from: &Path, to: &Path, suffixes: &[&str]) -> Result<()> {
    for suffix in suffixes {
        let mut old = from.as_os_str().to_os_string();
        old.push(suffix);
        let mut new = to.as_os_str().to_os_string();
        new.push(suffix);
        match std::fs::rename(&old, &new) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("renaming {}", from.display()), e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn folders_and_files_are_the_users_alone() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("f");
        write_atomic(&file, b"one").unwrap();
        assert_eq!(mode(&file), 0o600);
        std::fs::write(dir.join("g"), b"").unwrap();
        create_private_file(&dir.join("g")).unwrap();
        assert_eq!(mode(&dir.join("g")), 0o600);
    }

    #[test]
    fn an_atomic_write_replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.json");
        write_atomic(&file, b"first").unwrap();
        write_atomic(&file, b"second").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_damaged_file_is_moved_aside_with_its_companions() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.sqlite3");
        std::fs::write(&db, b"junk").unwrap();
        std::fs::write(dir.path().join("h.sqlite3-wal"), b"wal").unwrap();
        let aside = move_aside(&db, &["-wal", "-shm"]).unwrap();
        assert!(!db.exists());
        assert_eq!(std::fs::read(&aside).unwrap(), b"junk");
        let mut wal = aside.into_os_string();
        wal.push("-wal");
        assert_eq!(std::fs::read(wal).unwrap(), b"wal");
    }
}
