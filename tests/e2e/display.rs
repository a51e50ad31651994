//! A private X display (Xvfb) for the app's window, so that tests never touch the desktop of
//! whoever runs them; and what a person (or their window manager) does with windows there:
//! find them, ask them to close, click in them, look at them.
//!
//! There is no window manager on this display, so windows sit at their own positions and
//! nothing decorates them; requests a window manager would send are sent directly.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A running Xvfb server; stopped on drop.
pub struct Display {
    number: u32,
    child: Child,
}

impl Display {
    /// Starts Xvfb on the first free display number from :90.
    pub fn start() -> Display {
        for number in 90..200 {
            if Path::new(&format!("/tmp/.X{number}-lock")).exists() {
                continue;
            }
            let child = Command::new("Xvfb")
                .arg(format!(":{number}"))
                .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb could not be started (Debian package: xvfb)");
            let mut display = Display { number, child };
            let socket = format!("/tmp/.X11-unix/X{number}");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&socket).exists() {
                    return display;
                }
                if let Ok(Some(_)) = display.child.try_wait() {
                    break; // lost a race for this number; try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = display.child.kill();
        }
        panic!("no free X display between :90 and :199");
    }

    /// The value for `DISPLAY`.
    pub fn name(&self) -> String {
        format!(":{}", self.number)
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .env("DISPLAY", self.name())
            .output()
            .unwrap_or_else(|e| panic!("{program} could not be run: {e}"))
    }

    /// The mapped top-level windows of process `pid` whose title is exactly `title`.
    pub fn windows(&self, pid: u32, title: &str) -> Vec<u64> {
        let pid = pid.to_string();
        let name = format!("^{}$", regex_escape(title));
        // xdotool exits 1 when nothing matches; that is an empty answer, not a failure.
        let out = self.run(
            "xdotool",
            &[
                "search",
                "--all",
                "--onlyvisible",
                "--pid",
                &pid,
                "--name",
                &name,
            ],
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| line.trim().parse().ok())
            .collect()
    }

    /// Asks `window` to close, as a window manager does when its close button is pressed
    /// (a `WM_DELETE_WINDOW` client message; the app decides what closing means).
    pub fn request_close(&self, window: u64) {
        let out = self.run(
            "/usr/bin/python3",
            &["-c", WM_DELETE_WINDOW, &window.to_string()],
        );
        assert!(
            out.status.success(),
            "the close request was not sent: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Where `window` is and how big: x, y, width, height.
    pub fn geometry(&self, window: u64) -> (i32, i32, i32, i32) {
        let out = self.run(
            "xdotool",
            &["getwindowgeometry", "--shell", &window.to_string()],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |key: &str| -> i32 {
            text.lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no {key} in the geometry of {window}: {text}"))
        };
        (field("X"), field("Y"), field("WIDTH"), field("HEIGHT"))
    }

    /// Resizes `window`, as a person dragging its corner does.
    pub fn resize(&self, window: u64, width: i32, height: i32) {
        let out = self.run(
            "xdotool",
            &[
                "windowsize",
                &window.to_string(),
                &width.to_string(),
                &height.to_string(),
            ],
        );
        assert!(
            out.status.success(),
            "xdotool could not resize: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Clicks the left button at `x`, `y` inside `window`, as a person with a mouse does.
    pub fn click(&self, window: u64, x: i32, y: i32) {
        let out = self.run(
            "xdotool",
            &[
                "mousemove",
                "--sync",
                "--window",
                &window.to_string(),
                &x.to_string(),
                &y.to_string(),
                "click",
                "1",
            ],
        );
        assert!(
            out.status.success(),
            "xdotool could not click: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A PNG of what the screen shows in the rectangle at `x`, `y`, `width` by `height`.
    pub fn capture(&self, (x, y, width, height): (i32, i32, i32, i32)) -> Vec<u8> {
        let args = [x, y, width, height].map(|v| v.to_string());
        let mut argv = vec!["-c", CAPTURE];
        argv.extend(args.iter().map(String::as_str));
        let out = self.run("/usr/bin/python3", &argv);
        assert!(
            out.status.success() && !out.stdout.is_empty(),
            "the screen could not be captured: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// Escapes `text` for xdotool's (POSIX extended) regular expressions.
fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Sends `WM_PROTOCOLS`/`WM_DELETE_WINDOW` to window `sys.argv[1]` through libX11 (what
/// xdotool 3.2016 lacks): python3's ctypes needs nothing installed.
const WM_DELETE_WINDOW: &str = r#"
import ctypes, sys
x = ctypes.cdll.LoadLibrary('libX11.so.6')
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
class ClientMessage(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('serial', ctypes.c_ulong), ('send_event', ctypes.c_int),
                ('display', ctypes.c_void_p), ('window', ctypes.c_ulong),
                ('message_type', ctypes.c_ulong), ('format', ctypes.c_int),
                ('data', ctypes.c_long * 5)]
class Event(ctypes.Union):
    _fields_ = [('xclient', ClientMessage), ('pad', ctypes.c_long * 24)]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                         ctypes.POINTER(Event)]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]
dpy = x.XOpenDisplay(None)
if not dpy:
    sys.exit('no X display')
window = int(sys.argv[1])
event = Event()
event.xclient.type = 33  # ClientMessage
event.xclient.window = window
event.xclient.message_type = x.XInternAtom(dpy, b'WM_PROTOCOLS', 0)
event.xclient.format = 32
event.xclient.data[0] = x.XInternAtom(dpy, b'WM_DELETE_WINDOW', 0)
event.xclient.data[1] = 0  # CurrentTime
if not x.XSendEvent(dpy, window, 0, 0, ctypes.byref(event)):
    sys.exit('XSendEvent failed')
x.XFlush(dpy)
x.XCloseDisplay(dpy)
"#;

/// Writes a PNG of the screen rectangle `sys.argv[1:5]` to stdout, through GDK.
const CAPTURE: &str = r#"
import sys, gi
gi.require_version('Gdk', '3.0')
from gi.repository import Gdk
x, y, w, h = (int(v) for v in sys.argv[1:5])
pixbuf = Gdk.pixbuf_get_from_window(Gdk.get_default_root_window(), x, y, w, h)
if pixbuf is None:
    sys.exit('nothing to capture')
ok, data = pixbuf.save_to_bufferv('png', [], [])
sys.stdout.buffer.write(data)
"#;

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
