//! Test support shared by Keepwatch's crates, so that every suite meets the same real parts the
//! same way: the reference server on loopback in a world of fixture addresses ([`World`]),
//! the real Secret Service ([`secret_service_available`], [`require_secret_service!`]), a
//! real D-Bus notification server ([`NotificationDaemon`]), a desktop panel's tray host
//! that tray icons register with and whose menus it can open and click ([`TrayHost`]), and a
//! real Matrix homeserver, Synapse, shared by a test binary ([`shared_synapse`],
//! [`require_synapse!`]), and a loopback server of fixed answers ([`serve_files`]).
//!
//! It depends on the server but never on `keepwatch-core`, so the core's own tests can use it
//! without a second copy of the core's types.

mod dbip_mirror;
mod files_server;
mod notifications;
mod python;
mod secret_service;
mod synapse;
pub mod tray_host;
mod world;

pub use dbip_mirror::{dbip_mirror, dbip_path, fixture_databases, gzip};
pub use files_server::{serve_files, Answer};
pub use notifications::NotificationDaemon;
pub use tray_host::{TrayHost, TrayItem};

pub use secret_service::secret_service_available;
pub use synapse::*;
pub use world::*;
