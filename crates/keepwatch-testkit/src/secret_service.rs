//! Whether the real Secret Service answers, and what a test does when it does not.

use std::sync::OnceLock;

/// Whether the real Secret Service stores and returns a secret. Without it: a loud skip, or a
/// panic when `KEEPWATCH_REQUIRE_SECRET_SERVICE=1` (as `./run test` and CI set it).
///
/// Probed once per test process, whatever the number of tests that ask: every keyring call is
/// a fresh D-Bus connection and Secret Service session, and a burst of them (each test of a
/// binary probing at once, each probe writing, reading and deleting) is what makes
/// gnome-keyring-daemon abort on a known race (issues 190, 196 and 199 of gnome-keyring on
/// GNOME's GitLab; seen here as a SIGTRAP in GLib, after which every later keyring test
/// failed).
pub fn secret_service_available() -> bool {
    static PROBED: OnceLock<Result<(), String>> = OnceLock::new();
    let probed = PROBED.get_or_init(|| {
        let user = format!("probe-{}", std::process::id());
        let probe = keyring::Entry::new("keepwatch-test-probe", &user).and_then(|entry| {
            entry.set_password("probe")?;
            let back = entry.get_password()?;
            entry.delete_credential()?;
            Ok(back)
        });
        match probe {
            Ok(value) if value == "probe" => Ok(()),
            Ok(_) => Err("read back a different secret".to_owned()),
            Err(error) => Err(error.to_string()),
        }
    });
    match probed {
        Ok(()) => true,
        Err(why) => {
            if std::env::var("KEEPWATCH_REQUIRE_SECRET_SERVICE").as_deref() == Ok("1") {
                panic!("the Secret Service is required (KEEPWATCH_REQUIRE_SECRET_SERVICE=1) but unusable: {why}");
            }
            // Straight to the file descriptor: the test harness captures `eprintln!`, and a
            // skip must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!! SKIPPING a keyring test: no usable Secret Service ({why}).\n\
                 !!!!! Run the tests inside tests/support/with-session-bus.sh.\n"
            );
            false
        }
    }
}

/// Returns early from a test when there is no Secret Service (or fails it; see
/// [`secret_service_available`]).
#[macro_export]
macro_rules! require_secret_service {
    () => {
        if !$crate::secret_service_available() {
            return;
        }
    };
}
