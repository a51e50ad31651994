//! What every request handler shares.

use std::sync::Arc;

use ipnet::IpNet;
use keepwatch_device::DeviceParser;
use tokio::sync::watch;

use crate::config::{ForwardedHeader, Limits};
use crate::password_work::PasswordWork;
use crate::rate_limit::RateLimiter;
use crate::store::Db;
use crate::stream_limits::StreamLimits;

/// Shared server state; cheap to clone.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    /// The database.
    pub db: Arc<Db>,
    /// User-Agent parser.
    pub parser: &'static DeviceParser,
    /// Limits.
    pub limits: Limits,
    /// Proxies whose forwarding header is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The forwarding header they write.
    pub forwarded_header: ForwardedHeader,
    /// Sign-in attempts per address.
    pub login_rate: RateLimiter,
    /// The bounded pool every password hash and verification of a request runs in.
    pub password_work: PasswordWork,
    /// Open event streams, counted against the caps.
    pub streams: StreamLimits,
    /// A password hash of the configured cost, for unknown emails.
    pub dummy_hash: String,
    /// Turns `true` when the server shuts down, so that endless event streams end.
    pub shutdown: watch::Receiver<bool>,
}

/// The User-Agent parser, built once per process: compiling its rules takes a good part of a
/// second, and it never changes.
pub fn shared_parser() -> &'static DeviceParser {
    static PARSER: std::sync::OnceLock<DeviceParser> = std::sync::OnceLock::new();
    PARSER.get_or_init(DeviceParser::new)
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
