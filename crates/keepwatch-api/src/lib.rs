//! The Keepwatch account API contract.
//!
//! Every type that crosses the wire between an account service and Keepwatch lives here, once:
//! the reference server (`keepwatch-server`) serialises them and the companion core
//! (`keepwatch-core`) deserialises them. The OpenAPI 3.1 document committed at `api/openapi.json`
//! is generated from these types by [`openapi::document`], and a test fails when the two disagree.
//!
//! Conventions, held by every type:
//! - JSON field names are `snake_case`;
//! - times are RFC 3339 in UTC ([`chrono::DateTime<Utc>`]);
//! - a value the server does not know is `null`, never a guess;
//! - every error body is an [`ApiError`]: `{"error": code, "message": text}`.

pub mod account;
pub mod auth;
pub mod error;
pub mod events;
pub mod openapi;
pub mod paths;
pub mod security;
pub mod server_url;
pub mod sessions;
mod wipe;

pub use account::*;
pub use auth::*;
pub use error::*;
pub use events::*;
pub use security::*;
pub use sessions::*;

/// A point in time as the API sends it: UTC, serialised as RFC 3339.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Query string of list endpoints that take only a `limit`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::IntoParams,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    /// How many items at most (1–500; the server's default is 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The largest `limit` any list endpoint accepts.
pub const MAX_LIST_LIMIT: u32 = 500;
/// The `limit` a list endpoint uses when none is given.
pub const DEFAULT_LIST_LIMIT: u32 = 50;
/// The largest request body the server reads; larger ones get 413 `payload_too_large`.
pub const MAX_REQUEST_BODY_BYTES: usize = 64 * 1024;

/// The longest name a person is shown, in characters: a device label, a browser or OS name, an
/// ISP, a place. Servers keep what they compose within it; clients cut anything longer, since a
/// name that fills a line is there to push the real facts out of sight.
pub const MAX_LABEL_CHARS: usize = 80;
