//! Waiting on what the desktop shows: the tray icon and menu as the panel reads them, the
//! app's windows on the X display, its processes. Each look is a blocking call, polled
//! without holding up the runtime that also serves the reference server.

use std::path::Path;
use std::time::{Duration, Instant};

use keepwatch_testkit::tray_host::Pixels;
use keepwatch_testkit::TrayItem;

use crate::display::Display;
use crate::driver::APP;
use crate::tray::{self, Look};
use crate::{procs, WAIT};

/// Polls `check`, a blocking look at the desktop, until it answers `Ok` or `timeout` passes.
pub async fn poll<T>(
    what: &str,
    timeout: Duration,
    mut check: impl FnMut() -> Result<T, String>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::task::block_in_place(&mut check) {
            Ok(value) => return value,
            Err(last) => assert!(
                Instant::now() < deadline,
                "never happened within {timeout:?}: {what} (last seen: {last})"
            ),
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Waits for the tray icon to show `want`.
pub async fn wait_look(item: &TrayItem, want: Look) {
    poll(
        &format!("the tray icon shows {want:?}"),
        WAIT,
        || match tray::look(item)? {
            seen if seen == want => Ok(()),
            seen => Err(format!("{seen:?}")),
        },
    )
    .await
}

/// Waits for the tray's count line to report `want` unreviewed alerts.
pub async fn wait_unreviewed(item: &TrayItem, want: usize) {
    poll(
        &format!("the tray counts {want} unreviewed alerts"),
        WAIT,
        || match tray::unreviewed(item)? {
            n if n == want => Ok(()),
            n => Err(format!("{n}")),
        },
    )
    .await
}

/// Waits until the tray's entry `label` is enabled, or disabled.
pub async fn wait_enabled(item: &TrayItem, label: &str, want: bool) {
    let what = format!("{label:?} is {}", if want { "enabled" } else { "disabled" });
    poll(&what, WAIT, || match tray::enabled(item, label)? {
        seen if seen == want => Ok(()),
        seen => Err(format!("enabled: {seen}")),
    })
    .await
}

/// Waits until process `pid` shows exactly one window titled `title`, and returns it.
pub async fn wait_window(display: &Display, pid: u32, title: &str) -> u64 {
    poll(
        &format!("one window {title:?} on screen"),
        WAIT,
        || match display.windows(pid, title)[..] {
            [window] => Ok(window),
            ref other => Err(format!("{} windows", other.len())),
        },
    )
    .await
}

/// Waits until process `pid` shows no window titled `title`.
pub async fn wait_no_window(display: &Display, pid: u32, title: &str) {
    poll(
        &format!("no window {title:?} on screen"),
        WAIT,
        || match display.windows(pid, title).len() {
            0 => Ok(()),
            n => Err(format!("{n} windows")),
        },
    )
    .await
}

/// How many different colours `png` holds: a blank window has one or two, a page of text
/// in anti-aliased type has hundreds.
pub fn colours(png: &[u8]) -> usize {
    let pixels = Pixels::from_png(png).expect("the capture is a PNG");
    let distinct: std::collections::HashSet<&[u8]> = pixels.rgba.chunks_exact(4).collect();
    distinct.len()
}

/// The one running process of the app binary.
pub fn the_app_process() -> u32 {
    match procs::running_binary(Path::new(APP))[..] {
        [pid] => pid,
        ref pids => panic!("expected one running {APP}, found {pids:?}"),
    }
}

/// Clicks the button at `fraction` of the width along the bottom row of a GTK message
/// dialog, where its buttons share the width equally (no window manager moves it).
pub fn press_dialog_button(display: &Display, dialog: u64, fraction: f64) {
    let (_, _, width, height) = display.geometry(dialog);
    display.click(dialog, (f64::from(width) * fraction) as i32, height - 16);
}
