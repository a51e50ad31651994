//! Whether the real Secret Service answers, and what a test does when it does not.

use std::sync::atomic::{AtomicU64, Ordering};

/// Whether the real Secret Service stores and returns a secret. Without it: a loud skip, or a
/// panic when `KEEPWATCH_REQUIRE_SECRET_SERVICE=1` (as `./run test` and CI set it).
pub fn secret_service_available() -> bool {
    // Tests run in parallel, in several processes: each probe needs its own entry.
    static PROBES: AtomicU64 = AtomicU64::new(0);
    let n = PROBES.fetch_add(1, Ordering::SeqCst);
    let user = format!("probe-{}-{n}", std::process::id());
    let probe = keyring::Entry::new("keepwatch-test-probe", &user).and_then(|entry| {
        entry.set_password("probe")?;
        let back = entry.get_password()?;
        entry.delete_credential()?;
        Ok(back)
    });
    match probe {
        Ok(value) if value == "probe" => true,
        other => {
            let why = match other {
                Ok(_) => "read back a different secret".to_owned(),
                Err(error) => error.to_string(),
            };
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
