//! The project's shared fixture world (`keepwatch-testkit`), plus what only the core's tests
//! need: a `Keepwatch` on the world's data folder.

use std::path::PathBuf;
use std::time::Duration;

use keepwatch_core::client::ClientOptions;
use keepwatch_core::config::DataDirs;
use keepwatch_core::secrets::Secrets;
use keepwatch_core::{Keepwatch, LoginParams};
pub use keepwatch_testkit::*;

/// The core's view of a [`World`].
pub trait CoreWorld {
    /// A Keepwatch instance on this test's data folder, as if the app had been restarted.
    fn keepwatch(&self) -> Keepwatch;
    /// Sign-in parameters for the test account.
    fn login_params(&self, trust_existing: bool) -> LoginParams;
}

/// A Keepwatch keeping its data in `dir`, with the platform keyring and `options`.
pub fn keepwatch_at(dir: PathBuf, options: ClientOptions) -> Keepwatch {
    Keepwatch::with_parts(DataDirs::single(dir), Secrets::keyring(), options).unwrap()
}

/// Sign-in parameters for `email` with `password` at `server`: remembered, no 2FA code, no
/// trusted device, no extra CA.
pub fn login_params_for(
    server: String,
    email: &str,
    password: &str,
    trust_existing: bool,
) -> LoginParams {
    LoginParams {
        server_url: server,
        email: email.into(),
        password: password.into(),
        totp_code: None,
        backup_code: None,
        trust_existing,
        remember: true,
        trust_device: false,
        ca_cert: None,
        provider: None,
    }
}

impl CoreWorld for World {
    fn keepwatch(&self) -> Keepwatch {
        keepwatch_at(
            self.data_dir(),
            ClientOptions {
                request_timeout: Duration::from_secs(5),
                ..Default::default()
            },
        )
    }

    fn login_params(&self, trust_existing: bool) -> LoginParams {
        login_params_for(self.base.clone(), EMAIL, PASSWORD, trust_existing)
    }
}
