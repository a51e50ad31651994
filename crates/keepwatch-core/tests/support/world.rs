//! The project's shared fixture world (`keepwatch-testkit`), plus what only the core's tests
//! need: a `Keepwatch` on the world's data folder.

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

impl CoreWorld for World {
    fn keepwatch(&self) -> Keepwatch {
        Keepwatch::with_parts(
            DataDirs::single(self.data_dir()),
            Secrets::keyring(),
            ClientOptions {
                request_timeout: Duration::from_secs(5),
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn login_params(&self, trust_existing: bool) -> LoginParams {
        LoginParams {
            server: self.base.clone(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
            totp_code: None,
            backup_code: None,
            trust_existing,
            remember: true,
            trust_device: false,
            ca_cert: None,
        }
    }
}
