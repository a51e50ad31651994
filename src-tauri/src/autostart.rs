//! "Start at login".
//!
//! On Linux Keepwatch writes the freedesktop autostart entry itself, in
//! `$XDG_CONFIG_HOME/autostart` as the Desktop Application Autostart spec says: the autostart
//! plugin always writes to `~/.config/autostart`, which desktops do not read when the user has
//! moved their configuration. Elsewhere the plugin registers the app with the platform.

use tauri::AppHandle;

/// Makes Keepwatch start, or stop starting, when the user logs in.
pub fn set(app: &AppHandle, enabled: bool) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let _ = app;
        linux::set(enabled)
    }
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_autostart::ManagerExt as _;
        let autostart = app.autolaunch();
        let done = if enabled {
            autostart.enable()
        } else {
            autostart.disable()
        };
        done.map_err(|e| e.to_string())
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};

    /// The entry's file name.
    const FILE: &str = "keepwatch.desktop";

    fn entry_path() -> Result<PathBuf, String> {
        let config = directories::BaseDirs::new()
            .ok_or("no home folder to keep the autostart entry in")?
            .config_dir()
            .to_path_buf();
        Ok(config.join("autostart").join(FILE))
    }

    pub fn set(enabled: bool) -> Result<(), String> {
        let path = entry_path()?;
        if !enabled {
            return match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
            };
        }
        let exe = std::env::current_exe().map_err(|e| format!("cannot find Keepwatch: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, desktop_entry(&exe))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// The autostart entry that runs `exe`.
    pub fn desktop_entry(exe: &Path) -> String {
        format!(
            "[Desktop Entry]\n\
             Type=Application\n\
             Name=Keepwatch\n\
             Comment=Watch your account's sessions from the tray\n\
             Exec={}\n\
             Icon=keepwatch\n\
             Terminal=false\n\
             X-GNOME-Autostart-enabled=true\n",
            exec_argument(&exe.to_string_lossy())
        )
    }

    /// `arg` as one argument of an `Exec` key: always quoted, with the characters the spec
    /// reserves inside quotes escaped, then the string-value escape of backslashes applied,
    /// and `%` doubled so that it is not a field code.
    fn exec_argument(arg: &str) -> String {
        let mut quoted = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        quoted.replace('\\', "\\\\").replace('%', "%%")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_entry_runs_the_binary_whatever_its_path_holds() {
            let entry = desktop_entry(Path::new("/opt/Keepwatch App/keepwatch-app"));
            assert!(entry.starts_with("[Desktop Entry]\n"), "{entry}");
            assert!(
                entry.contains("\nExec=\"/opt/Keepwatch App/keepwatch-app\"\n"),
                "{entry}"
            );
            assert_eq!(
                exec_argument(r#"/a "b" $HOME `x` \ 100%"#),
                r#""/a \\"b\\" \\$HOME \\`x\\` \\\\ 100%%""#
            );
        }
    }
}
