//! The app's processes as the kernel lists them in /proc: which ones run the app binary,
//! which processes descend from one (WebKit's web and network processes), and whether a
//! process still runs.

use std::collections::HashMap;
use std::path::Path;

/// A process: id and the kernel's (15-character) name for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub name: String,
}

/// `(name, state, parent)` from /proc/<pid>/stat; `None` once the process is gone.
fn stat(pid: u32) -> Option<(String, char, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name is in parentheses and may itself hold spaces and parentheses.
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let name = text.get(open + 1..close)?.to_owned();
    let mut rest = text.get(close + 1..)?.split_whitespace();
    let state = rest.next()?.chars().next()?;
    let parent = rest.next()?.parse().ok()?;
    Some((name, state, parent))
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `pid` runs (exists and is not a zombie waiting to be reaped).
pub fn running(pid: u32) -> bool {
    matches!(stat(pid), Some((_, state, _)) if state != 'Z' && state != 'X')
}

/// The running processes whose executable is `exe`.
pub fn running_binary(exe: &Path) -> Vec<u32> {
    let exe = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
    all_pids()
        .into_iter()
        .filter(|&pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|path| path == exe)
                && running(pid)
        })
        .collect()
}

/// Every running process whose chain of parents leads to `ancestor`.
pub fn descendants(ancestor: u32) -> Vec<Proc> {
    let table: HashMap<u32, (String, char, u32)> = all_pids()
        .into_iter()
        .filter_map(|pid| Some((pid, stat(pid)?)))
        .collect();
    table
        .iter()
        .filter(|(_, (_, state, _))| *state != 'Z' && *state != 'X')
        .filter(|(&pid, _)| {
            let mut at = pid;
            // Bounded, in case the table caught a parent link mid-change.
            for _ in 0..64 {
                match table.get(&at) {
                    Some((_, _, parent)) if *parent == ancestor => return true,
                    Some((_, _, parent)) if *parent > 1 => at = *parent,
                    _ => return false,
                }
            }
            false
        })
        .map(|(&pid, (name, _, _))| Proc {
            pid,
            name: name.clone(),
        })
        .collect()
}

/// WebKit's helper processes (web content, network, GPU) among `ancestor`'s descendants.
pub fn webkit_helpers(ancestor: u32) -> Vec<Proc> {
    descendants(ancestor)
        .into_iter()
        .filter(|p| p.name.starts_with("WebKit"))
        .collect()
}
