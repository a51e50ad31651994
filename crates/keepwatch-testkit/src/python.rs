//! One-shot python3-dbus scripts: python3-dbus comes with python3-dbusmock, so talking D-Bus
//! as another program on the bus needs nothing else installed.

use std::process::{Command, Output};

/// The interpreter Debian's python3-dbus belongs to (not whichever python3 is first on PATH).
pub(crate) const PYTHON: &str = "/usr/bin/python3";

/// Runs `script` with `args` (as `sys.argv[1..]`) and returns what it printed.
pub(crate) fn run(script: &str, args: &[&str]) -> Output {
    Command::new(PYTHON)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("/usr/bin/python3 runs")
}

/// Whether `name` has an owner on the session bus.
pub(crate) fn name_has_owner(name: &str) -> bool {
    let out = run(
        "import dbus, sys; print(dbus.SessionBus().name_has_owner(sys.argv[1]))",
        &[name],
    );
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}
