//! A real D-Bus notification server for tests: python3-dbusmock's `notification_daemon`
//! template on the session bus (run the tests inside `tests/support/with-session-bus.sh`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::python::{self, name_has_owner};

/// The notification server, logging every call to a file; killed when dropped.
pub struct NotificationDaemon {
    child: Child,
    log: PathBuf,
}

impl NotificationDaemon {
    /// Starts the server (with body and action support), logging to `dir/notifications.log`,
    /// and waits until it owns its bus name.
    pub fn start(dir: &Path) -> Self {
        Self::start_with_capabilities(dir, &["body", "actions"])
    }

    /// Starts the server advertising exactly `capabilities` (the Desktop Notifications spec's
    /// names: `body`, `body-markup`, `actions`, …), as [`NotificationDaemon::start`] does.
    pub fn start_with_capabilities(dir: &Path, capabilities: &[&str]) -> Self {
        let log = dir.join("notifications.log");
        // Capability names are plain words: no JSON escaping needed.
        let parameters = format!(r#"{{"capabilities": "{}"}}"#, capabilities.join(" "));
        let child = Command::new(python::PYTHON)
            .args(["-m", "dbusmock", "--template", "notification_daemon", "-p"])
            .arg(parameters)
            .arg("--logfile")
            .arg(&log)
            .stdout(Stdio::null())
            .spawn()
            .expect("python3-dbusmock runs");
        let daemon = Self { child, log };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !name_has_owner("org.freedesktop.Notifications") {
            assert!(
                Instant::now() < deadline,
                "the notification daemon never appeared on the bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        daemon
    }

    /// The Notify calls logged so far, oldest first.
    pub fn notify_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains(" Notify "))
            .map(str::to_owned)
            .collect()
    }

    /// Presses a button of notification `id`, as a notification server does.
    pub fn invoke_action(&self, id: usize, action: &str) {
        let out = python::run(
            "import dbus, sys\n\
             bus = dbus.SessionBus()\n\
             mock = bus.get_object('org.freedesktop.Notifications', '/org/freedesktop/Notifications')\n\
             mock.EmitSignal('org.freedesktop.Notifications', 'ActionInvoked', 'us',\n\
                 [dbus.UInt32(int(sys.argv[1])), sys.argv[2]],\n\
                 dbus_interface='org.freedesktop.DBus.Mock')\n",
            &[&id.to_string(), action],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
