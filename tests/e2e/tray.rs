//! The app's tray icon as a desktop panel sees it, through the test kit's [`TrayHost`]: which
//! of the three icons it shows, what its menu says, and clicks on the menu.

use keepwatch_testkit::tray_host::{MenuEntry, Pixels};
use keepwatch_testkit::TrayItem;

/// The menu entries after the count line, in order.
pub const OPEN: &str = "Open Keepwatch";
pub const SIGN_OUT_OTHERS: &str = "Sign out all other sessions…";
pub const PAUSE: &str = "Pause alerts for an hour";
pub const QUIT: &str = "Quit";

/// Which of the app's tray icons shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Normal,
    Alert,
    Offline,
}

impl Look {
    fn png(self) -> &'static [u8] {
        match self {
            Look::Normal => include_bytes!("../../icons/tray/normal.png"),
            Look::Alert => include_bytes!("../../icons/tray/alert.png"),
            Look::Offline => include_bytes!("../../icons/tray/offline.png"),
        }
    }

    fn pixels(self) -> Pixels {
        Pixels::from_png(self.png()).expect("the app's tray icons decode")
    }
}

/// Which icon `item` shows now, if it is one of the three (an unreadable or foreign image
/// is `Err` with what was seen).
pub fn look(item: &TrayItem) -> Result<Look, String> {
    let icon = item.icon().map_err(|e| e.to_string())?;
    let shown = icon.pixels().map_err(|e| e.to_string())?;
    [Look::Normal, Look::Alert, Look::Offline]
        .into_iter()
        .find(|look| look.pixels() == shown)
        .ok_or_else(|| format!("an image that is none of the three: {icon:?}"))
}

/// The menu's first entry: the alert count line.
pub fn count_line(item: &TrayItem) -> Result<MenuEntry, String> {
    let menu = item.menu().map_err(|e| e.to_string())?;
    menu.into_iter()
        .next()
        .ok_or_else(|| "an empty tray menu".to_owned())
}

/// How many unreviewed alerts the count line reports.
pub fn unreviewed(item: &TrayItem) -> Result<usize, String> {
    let line = count_line(item)?;
    if line.enabled {
        return Err(format!("the count line {:?} is clickable", line.label));
    }
    match line.label.as_str() {
        "No unreviewed alerts" => Ok(0),
        "1 unreviewed alert" => Ok(1),
        label => label
            .strip_suffix(" unreviewed alerts")
            .and_then(|n| n.parse().ok())
            .filter(|&n: &usize| n > 1)
            .ok_or_else(|| format!("a count line that says {label:?}")),
    }
}

/// The menu's labels, separators left out, when they are exactly `want`.
pub fn labels_are(item: &TrayItem, want: &[&str]) -> Result<(), String> {
    let labels = item.labels().map_err(|e| e.to_string())?;
    if labels == want {
        Ok(())
    } else {
        Err(format!("{labels:?}"))
    }
}

/// Clicks the menu entry labelled `label`.
pub fn click(item: &TrayItem, label: &str) {
    item.click(label)
        .unwrap_or_else(|e| panic!("clicking {label:?} in the tray menu: {e}"));
}

/// Whether the entry labelled `label` can be clicked.
pub fn enabled(item: &TrayItem, label: &str) -> Result<bool, String> {
    item.menu()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|e| e.visible && e.label == label)
        .map(|e| e.enabled)
        .ok_or_else(|| format!("no entry {label:?}"))
}
