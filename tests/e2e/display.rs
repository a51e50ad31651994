//! A private X display (Xvfb) for the app's window, so that tests never touch the desktop of
//! whoever runs them.

use std::path::Path;
use std::process::{Child, Command, Stdio};
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
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
