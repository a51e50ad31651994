//! The desktop panel's side of the tray, for tests: a real `org.kde.StatusNotifierWatcher` on
//! the session bus that tray icons register with ([`TrayHost`]), and what a panel does with a
//! registered icon ([`TrayItem`]): read its `com.canonical.dbusmenu` menu, click an entry, and
//! read the icon it shows.
//!
//! libayatana-appindicator (Tauri's tray on Linux) exports a StatusNotifierItem and registers it
//! with the watcher if one is on the bus, so the [`TrayHost`] must be started before the app.
//! Everything here talks D-Bus from python3-dbus (`/usr/bin/python3`), as
//! [`NotificationDaemon`](crate::NotificationDaemon) does; run inside
//! `tests/support/with-session-bus.sh`.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::python::{self, name_has_owner};

const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// What went wrong talking to a tray item.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    /// A D-Bus call failed (the item left the bus, or does not implement what was asked).
    #[error("D-Bus call failed: {0}")]
    Bus(String),
    /// The item answered something this host cannot read.
    #[error("unreadable answer from the tray item: {0}")]
    Malformed(String),
    /// No menu entry has that label.
    #[error("no menu entry labelled {label:?} among {labels:?}")]
    NoSuchEntry {
        /// The label asked for.
        label: String,
        /// The labels the menu has.
        labels: Vec<String>,
    },
    /// The entry is greyed out; a panel would not let it be clicked.
    #[error("menu entry {0:?} is disabled")]
    Disabled(String),
    /// The icon is named in a theme this host does not resolve, or its image does not decode.
    #[error("icon image unavailable: {0}")]
    Icon(String),
}

/// A StatusNotifierWatcher with a host registered, as a desktop panel runs one; stopped on
/// drop. Items that register are listed until their owner leaves the bus.
pub struct TrayHost {
    child: Child,
}

impl TrayHost {
    /// Starts the watcher on the session bus and waits until it owns its name.
    ///
    /// Panics if another watcher already runs on this bus: two panels would each see half.
    pub fn start() -> Self {
        assert!(
            !name_has_owner(WATCHER),
            "another StatusNotifierWatcher already runs on this session bus"
        );
        let mut child = Command::new(python::PYTHON)
            .arg("-c")
            .arg(include_str!("tray_host.py"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("/usr/bin/python3 runs the tray host");
        // It prints "watching" once it owns the watcher name, then one line per
        // (un)registration; the lines are relayed to stderr for the test's log.
        let stdout = child.stdout.take().expect("a piped stdout");
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == "watching" {
                    let _ = ready_tx.send(());
                }
                eprintln!("tray host: {line}");
            }
        });
        let mut host = Self { child };
        if ready_rx.recv_timeout(Duration::from_secs(10)).is_err() {
            let status = host.child.try_wait();
            panic!("the tray host never took {WATCHER} (python3 exit: {status:?})");
        }
        host
    }

    /// The items registered now, as the watcher's `RegisteredStatusNotifierItems` lists them.
    pub fn items(&self) -> Vec<TrayItem> {
        let out = python::run(ITEMS_SCRIPT, &[]);
        assert!(
            out.status.success(),
            "the tray host did not answer: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(TrayItem::parse)
            .collect()
    }

    /// Waits up to `timeout` for exactly one registered item and returns it.
    pub fn wait_for_item(&self, timeout: Duration) -> TrayItem {
        let deadline = Instant::now() + timeout;
        loop {
            let mut items = self.items();
            if items.len() == 1 {
                return items.remove(0);
            }
            assert!(
                Instant::now() < deadline,
                "no single tray item registered within {timeout:?}: {items:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to `timeout` until no item is registered (its owner left the bus).
    pub fn wait_for_no_items(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let items = self.items();
            if items.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "tray items still registered after {timeout:?}: {items:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A registered tray icon: the bus name that owns it and its object path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayItem {
    /// The owner's unique bus name, e.g. `:1.42`.
    pub bus_name: String,
    /// The StatusNotifierItem's object path.
    pub path: String,
}

/// One entry of a tray menu, as `com.canonical.dbusmenu` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    /// The id `Event` takes.
    pub id: i32,
    /// The label, mnemonic underscores included ("" for separators).
    pub label: String,
    /// Whether it can be clicked.
    pub enabled: bool,
    /// Whether it is shown.
    pub visible: bool,
    /// Whether it is a separator line.
    pub separator: bool,
}

/// The image of an icon, as 8-bit RGBA rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub struct Pixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` pixels of red, green, blue, alpha.
    pub rgba: Vec<u8>,
}

impl fmt::Debug for Pixels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pixels({}x{})", self.width, self.height)
    }
}

impl Pixels {
    /// Decodes a PNG file's bytes (any color type and depth) into RGBA.
    pub fn from_png(bytes: &[u8]) -> Result<Self, TrayError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder
            .read_info()
            .map_err(|e| TrayError::Icon(e.to_string()))?;
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| TrayError::Icon("image too large".into()))?;
        let mut buf = vec![0; size];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| TrayError::Icon(e.to_string()))?;
        let data = &buf[..info.buffer_size()];
        let rgba = match info.color_type {
            png::ColorType::Rgba => data.to_vec(),
            png::ColorType::Rgb => data
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            png::ColorType::GrayscaleAlpha => data
                .chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect(),
            png::ColorType::Grayscale => data.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => {
                return Err(TrayError::Icon("palette left unexpanded".into()))
            }
        };
        Ok(Self {
            width: info.width,
            height: info.height,
            rgba,
        })
    }

    /// Converts an SNI `IconPixmap` image (ARGB32 in network byte order) into RGBA.
    fn from_argb32(width: u32, height: u32, argb: &[u8]) -> Result<Self, TrayError> {
        if argb.len() != width as usize * height as usize * 4 {
            return Err(TrayError::Malformed(format!(
                "a {width}x{height} pixmap of {} bytes",
                argb.len()
            )));
        }
        Ok(Self {
            width,
            height,
            rgba: argb
                .chunks_exact(4)
                .flat_map(|p| [p[1], p[2], p[3], p[0]])
                .collect(),
        })
    }
}

/// What a StatusNotifierItem says about its icon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemIcon {
    /// `IconName`: a theme icon name, or (libayatana-appindicator with an image file) a path.
    pub name: String,
    /// `IconThemePath`: an extra folder to look the name up in.
    pub theme_path: String,
    /// `IconPixmap`: images given inline, if any.
    pub pixmaps: Vec<Pixels>,
    /// `Status`: `Active`, `Passive` or `NeedsAttention`.
    pub status: String,
}

impl ItemIcon {
    /// The image a panel would draw: the largest inline pixmap, else the file `IconName`
    /// names (as a path, or as `<IconThemePath>/<IconName>.png`).
    pub fn pixels(&self) -> Result<Pixels, TrayError> {
        if let Some(largest) = self.pixmaps.iter().max_by_key(|p| p.width * p.height) {
            return Ok(largest.clone());
        }
        let file = if self.name.starts_with('/') {
            std::path::PathBuf::from(&self.name)
        } else if !self.theme_path.is_empty() && !self.name.is_empty() {
            std::path::Path::new(&self.theme_path).join(format!("{}.png", self.name))
        } else {
            return Err(TrayError::Icon(format!(
                "{:?} is a theme icon this host does not resolve",
                self.name
            )));
        };
        let bytes = std::fs::read(&file)
            .map_err(|e| TrayError::Icon(format!("{}: {e}", file.display())))?;
        Pixels::from_png(&bytes)
    }
}

/// The watcher's `RegisteredStatusNotifierItems`, one a line.
const ITEMS_SCRIPT: &str = r#"
import dbus
bus = dbus.SessionBus()
watcher = bus.get_object('org.kde.StatusNotifierWatcher', '/StatusNotifierWatcher')
for item in watcher.Get('org.kde.StatusNotifierWatcher', 'RegisteredStatusNotifierItems',
                        dbus_interface='org.freedesktop.DBus.Properties'):
    print(item)
"#;

/// The item's menu, opened as a panel opens it (`AboutToShow`, then `GetLayout`), printed
/// as one tab-separated line per entry: id, type, enabled, visible, label (hex UTF-8).
const MENU_SCRIPT: &str = r#"
import dbus, sys
bus = dbus.SessionBus()
item = bus.get_object(sys.argv[1], sys.argv[2], introspect=False)
path = item.Get('org.kde.StatusNotifierItem', 'Menu',
                dbus_interface='org.freedesktop.DBus.Properties')
menu = bus.get_object(sys.argv[1], path, introspect=False)
menu.AboutToShow(dbus.Int32(0), dbus_interface='com.canonical.dbusmenu')
revision, layout = menu.GetLayout(dbus.Int32(0), dbus.Int32(-1), dbus.Array([], signature='s'),
                                  dbus_interface='com.canonical.dbusmenu')
def walk(node, top):
    id, props, children = node
    if not top:
        print('%d\t%s\t%d\t%d\t%s' % (id, props.get('type', 'standard'),
              bool(props.get('enabled', True)), bool(props.get('visible', True)),
              str(props.get('label', '')).encode('utf-8').hex()))
    for child in children:
        walk(child, False)
walk(layout, True)
"#;

/// Clicks entry `sys.argv[3]` as a panel does when the pointer releases on it.
const CLICK_SCRIPT: &str = r#"
import dbus, sys, time
bus = dbus.SessionBus()
item = bus.get_object(sys.argv[1], sys.argv[2], introspect=False)
path = item.Get('org.kde.StatusNotifierItem', 'Menu',
                dbus_interface='org.freedesktop.DBus.Properties')
menu = bus.get_object(sys.argv[1], path, introspect=False)
menu.Event(dbus.Int32(int(sys.argv[3])), 'clicked', dbus.Int32(0, variant_level=1),
           dbus.UInt32(int(time.time())), dbus_interface='com.canonical.dbusmenu',
           signature='isvu')
"#;

/// The icon properties, one per line: name, theme path, status (hex UTF-8), then one line
/// per pixmap: width, height, ARGB32 bytes in hex.
const ICON_SCRIPT: &str = r#"
import dbus, sys
bus = dbus.SessionBus()
item = bus.get_object(sys.argv[1], sys.argv[2], introspect=False)
props = item.GetAll('org.kde.StatusNotifierItem', dbus_interface='org.freedesktop.DBus.Properties')
for key in ('IconName', 'IconThemePath', 'Status'):
    print(str(props.get(key, '')).encode('utf-8').hex())
for w, h, data in props.get('IconPixmap', []):
    print('%d %d %s' % (w, h, bytes(data).hex()))
"#;

/// The item's `Title` (what panels name it by), in hex UTF-8.
const TITLE_SCRIPT: &str = r#"
import dbus, sys
bus = dbus.SessionBus()
item = bus.get_object(sys.argv[1], sys.argv[2], introspect=False)
title = item.Get('org.kde.StatusNotifierItem', 'Title',
                 dbus_interface='org.freedesktop.DBus.Properties')
print(str(title).encode('utf-8').hex())
"#;

fn unhex(text: &str) -> Result<Vec<u8>, TrayError> {
    if !text.len().is_multiple_of(2) {
        return Err(TrayError::Malformed(format!(
            "odd hex length {}",
            text.len()
        )));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| TrayError::Malformed(format!("bad hex at {i}")))
        })
        .collect()
}

fn unhex_text(text: &str) -> Result<String, TrayError> {
    String::from_utf8(unhex(text)?).map_err(|e| TrayError::Malformed(e.to_string()))
}

impl TrayItem {
    /// Parses the watcher's `<bus name><object path>` form.
    fn parse(registered: &str) -> Option<TrayItem> {
        let slash = registered.find('/')?;
        Some(TrayItem {
            bus_name: registered[..slash].to_owned(),
            path: registered[slash..].to_owned(),
        })
    }

    fn call(&self, script: &str, extra: &[&str]) -> Result<String, TrayError> {
        let mut args = vec![self.bus_name.as_str(), self.path.as_str()];
        args.extend_from_slice(extra);
        let out = python::run(script, &args);
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr.lines().last().unwrap_or_default().to_owned();
            return Err(TrayError::Bus(last));
        }
        String::from_utf8(out.stdout).map_err(|e| TrayError::Malformed(e.to_string()))
    }

    /// The name panels show for the item.
    pub fn title(&self) -> Result<String, TrayError> {
        unhex_text(self.call(TITLE_SCRIPT, &[])?.trim())
    }

    /// The menu's entries, top level first to last, separators included.
    pub fn menu(&self) -> Result<Vec<MenuEntry>, TrayError> {
        self.call(MENU_SCRIPT, &[])?
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [id, kind, enabled, visible, label] = fields[..] else {
                    return Err(TrayError::Malformed(line.to_owned()));
                };
                Ok(MenuEntry {
                    id: id
                        .parse()
                        .map_err(|_| TrayError::Malformed(line.to_owned()))?,
                    label: unhex_text(label)?,
                    enabled: enabled == "1",
                    visible: visible == "1",
                    separator: kind == "separator",
                })
            })
            .collect()
    }

    /// The labels of the visible entries that are not separators, in order.
    pub fn labels(&self) -> Result<Vec<String>, TrayError> {
        Ok(self
            .menu()?
            .into_iter()
            .filter(|e| e.visible && !e.separator)
            .map(|e| e.label)
            .collect())
    }

    /// Clicks the visible, enabled entry labelled `label`.
    pub fn click(&self, label: &str) -> Result<(), TrayError> {
        let menu = self.menu()?;
        let Some(entry) = menu
            .iter()
            .find(|e| e.visible && !e.separator && e.label == label)
        else {
            return Err(TrayError::NoSuchEntry {
                label: label.to_owned(),
                labels: menu.into_iter().map(|e| e.label).collect(),
            });
        };
        if !entry.enabled {
            return Err(TrayError::Disabled(label.to_owned()));
        }
        self.call(CLICK_SCRIPT, &[&entry.id.to_string()])
            .map(|_| ())
    }

    /// What the item shows as its icon now.
    pub fn icon(&self) -> Result<ItemIcon, TrayError> {
        let out = self.call(ICON_SCRIPT, &[])?;
        let mut lines = out.lines();
        let mut next_text = || -> Result<String, TrayError> {
            unhex_text(
                lines
                    .next()
                    .ok_or_else(|| TrayError::Malformed("a missing property".into()))?,
            )
        };
        let name = next_text()?;
        let theme_path = next_text()?;
        let status = next_text()?;
        let pixmaps = out
            .lines()
            .skip(3)
            .map(|line| {
                let mut parts = line.split(' ');
                let (Some(w), Some(h), Some(data), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(TrayError::Malformed(line.to_owned()));
                };
                let size = |s: &str| {
                    s.parse::<u32>()
                        .map_err(|_| TrayError::Malformed(line.to_owned()))
                };
                Pixels::from_argb32(size(w)?, size(h)?, &unhex(data)?)
            })
            .collect::<Result<_, _>>()?;
        Ok(ItemIcon {
            name,
            theme_path,
            pixmaps,
            status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_splits_into_bus_name_and_path() {
        assert_eq!(
            TrayItem::parse(":1.42/org/ayatana/NotificationItem/app"),
            Some(TrayItem {
                bus_name: ":1.42".into(),
                path: "/org/ayatana/NotificationItem/app".into()
            })
        );
        assert_eq!(TrayItem::parse("no-path"), None);
    }

    #[test]
    fn argb32_pixmaps_become_rgba() {
        let pixels = Pixels::from_argb32(1, 1, &[0x80, 0x10, 0x20, 0x30]).unwrap();
        assert_eq!(pixels.rgba, [0x10, 0x20, 0x30, 0x80]);
        assert!(Pixels::from_argb32(2, 1, &[0; 4]).is_err());
    }

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        assert_eq!(unhex_text("53c3a36f").unwrap(), "São");
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
    }

    #[test]
    fn png_files_decode_to_rgba() {
        // A 1x1 opaque red PNG made with png's own encoder.
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 1, 1);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[255, 0, 0]).unwrap();
        }
        let pixels = Pixels::from_png(&bytes).unwrap();
        assert_eq!((pixels.width, pixels.height), (1, 1));
        assert_eq!(pixels.rgba, [255, 0, 0, 255]);
        assert!(Pixels::from_png(b"not a png").is_err());
    }
}
