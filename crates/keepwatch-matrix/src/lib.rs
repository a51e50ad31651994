//! A Matrix client-server API (v1.x) client for what Keepwatch needs to watch a Matrix
//! account on any homeserver:
//!
//! - **discovery** ([`discover`]): from a server URL or a user ID (`@ann:example.org`, through
//!   `.well-known/matrix/client`) to a [`Homeserver`], telling Matrix apart from the Keepwatch
//!   API ([`NotMatrixKind`]) and spotting servers that sign in through OAuth 2.0 only
//!   ([`SignIn::OAuth`], [`Error::SignInNotSupported`]);
//! - **sign-in** with a password, asking for a refresh token, and **refresh**
//!   ([`MatrixClient::login_password`], [`MatrixClient::refresh`]);
//! - **sessions** ([`MatrixClient::sessions`]): the devices, joined to the User-Agents of
//!   whois by address and time, and to Element's client information in account data;
//! - **sign-out** of one device or all others, confirmed with the password through
//!   user-interactive authentication ([`MatrixClient::delete_device`],
//!   [`MatrixClient::delete_other_devices`]);
//! - **live changes** through filtered `/sync` long-polls ([`MatrixClient::sync`]).
//!
//! The client holds no state but the server's address: tokens and passwords are passed to each
//! call, as [`AccessToken`], [`RefreshToken`] and [`Password`], which never show in `Debug` and
//! are wiped when dropped.
//!
//! # Server-written text
//!
//! Display names, User-Agents, client names and error messages are returned **raw**, as the
//! server (or whoever signed in) wrote them. They must pass through the workspace's inert-text
//! rule (`keepwatch_core::inert`) before anything shows them; this crate does not depend on the
//! core and does not clean them itself.
//!
//! # Limits
//!
//! Every answer is read to at most [`ClientOptions::max_body_bytes`]; redirects are not
//! followed; a plain `http://` URL is accepted only to this computer.

#![deny(missing_docs)]

mod auth;
mod client;
mod devices;
mod discovery;
mod error;
mod http;
mod secret;
mod sync;

pub use auth::{device_display_name, local_host_name, LoginSession, Refreshed, WhoAmI};
pub use client::MatrixClient;
pub use devices::{
    client_information_type, match_connection, ClientInformation, Connection, ConnectionMatch,
    Device, DeviceSession, Sessions, Source,
};
pub use discovery::{discover, FoundVia, Homeserver, SignIn, UserId};
pub use error::{Error, NotMatrixKind, Result};
pub use http::{check_url, ClientOptions};
pub use secret::{AccessToken, Password, RefreshToken};
pub use sync::{SyncUpdate, SYNC_FILTER};
