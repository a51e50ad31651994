//! Ending WebKitGTK's network process once no window is open.
//!
//! Keepwatch may watch from the tray for days with its window closed, and closing the window
//! should give back everything the webview held. Destroying the webview ends its web process,
//! but the network process belongs to the web context, which Tauri keeps for the app's
//! lifetime on Linux (WebKit would otherwise leak one network process per context; see
//! tauri-apps/tauri#14626), and WebKit never ends it while the context lives. So once the
//! last window is gone, the network process is asked to exit; WebKit starts a new one for the
//! next window, as it does after the process crashes.

/// Asks this process's WebKit network processes to exit. Call only when no webview exists:
/// a page that is loading would see its network process crash.
#[cfg(target_os = "linux")]
pub fn end_network_process() {
    let me = std::process::id();
    for pid in linux::children_named(me, linux::NETWORK_PROCESS) {
        let Ok(raw) = libc::pid_t::try_from(pid) else {
            continue;
        };
        // SAFETY: kill(2) with a pid we just read as our own child and a valid signal has no
        // memory effects; at worst the pid is gone (ESRCH).
        if unsafe { libc::kill(raw, libc::SIGTERM) } == 0 {
            tracing::info!(pid, "ended WebKit's network process; no window is open");
        }
    }
}

/// WebKit ends its processes with the app on other platforms.
#[cfg(not(target_os = "linux"))]
pub fn end_network_process() {}

#[cfg(target_os = "linux")]
mod linux {
    /// The kernel's (15-byte) name for `WebKitNetworkProcess`.
    pub const NETWORK_PROCESS: &str = "WebKitNetworkPr";

    /// The name and parent pid in a `/proc/<pid>/stat` line.
    pub fn name_and_parent(stat: &str) -> Option<(&str, u32)> {
        // The name is in parentheses and may itself hold spaces and parentheses.
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let name = stat.get(open + 1..close)?;
        let mut rest = stat.get(close + 1..)?.split_whitespace();
        let _state = rest.next()?;
        let parent = rest.next()?.parse().ok()?;
        Some((name, parent))
    }

    /// The children of `parent` that the kernel names `name`.
    pub fn children_named(parent: u32, name: &str) -> Vec<u32> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        dir.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .ok()
                    .is_some_and(|stat| name_and_parent(&stat) == Some((name, parent)))
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn stat_lines_give_name_and_parent() {
            assert_eq!(
                name_and_parent("4331 (WebKitNetworkPr) S 4239 4239 4185 0 -1 4194560"),
                Some(("WebKitNetworkPr", 4239))
            );
            assert_eq!(
                name_and_parent("7 (a (b) c) R 1 7 7 0"),
                Some(("a (b) c", 1))
            );
            assert_eq!(name_and_parent("7 (unterminated S 1"), None);
            assert_eq!(name_and_parent("7 (x) S notapid"), None);
        }

        #[test]
        fn this_process_has_no_network_process_children() {
            // A test binary starts no WebKit; the scan itself must work on a real /proc.
            assert!(children_named(std::process::id(), NETWORK_PROCESS).is_empty());
            let parent = std::os::unix::process::parent_id();
            let own_name = std::fs::read_to_string("/proc/self/comm").unwrap_or_default();
            assert!(children_named(parent, own_name.trim()).contains(&std::process::id()));
        }
    }
}
