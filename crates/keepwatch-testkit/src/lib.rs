//! Test support shared by Keepwatch's crates, so that every suite meets the same real parts the
//! same way: the reference server on loopback in a world of fixture addresses ([`World`]), and
//! the real Secret Service ([`secret_service_available`], [`require_secret_service!`]), and a
//! real D-Bus notification server ([`NotificationDaemon`]).
//!
//! It depends on the server but never on `keepwatch-core`, so the core's own tests can use it
//! without a second copy of the core's types.

mod notifications;
mod secret_service;
mod world;

pub use notifications::NotificationDaemon;

pub use secret_service::secret_service_available;
pub use world::*;
