//! The reference Keepwatch account server: the account API of `keepwatch-api`, served over
//! HTTPS (plain HTTP on loopback only) from a SQLite file.
//!
//! It signs people in (password, TOTP or backup code, trusted devices, lockout after five
//! failures, a per-address rate limit), keeps their sessions (device from User-Agent and client
//! hints, network and place from the geolocation files, idle expiry and an absolute lifetime),
//! guards the account (IP blocklist, password change, 2FA reset) and publishes every change as
//! an event, listable and streamed live over Server-Sent Events.
//!
//! # Hardening
//!
//! - Lockout counts wrong passwords per (email as typed, source), the source being the
//!   address (an IPv6 /64 as one), or a valid trusted-device token, which counts on its own so
//!   that the owner's devices still get in while a stranger on the same network is locked out.
//!   Each further lockout of a source lasts twice as long (30 min, 1 h, … up to 24 h). Emails
//!   without an account are verified against a dummy Argon2 hash and counted and locked the
//!   same way, so status, body, `Retry-After` and timing do not tell whether an account exists.
//! - Password confirmations (password change, 2FA reset) are failed sign-ins in all but name:
//!   each wrong one is a `login_failed` event (the calling session's device and address as its
//!   context), counted with the sign-ins from that address and also per session, and locked
//!   out alike.
//! - Every session ends at `Limits::session_max_age` after sign-in (90 days by default) however
//!   busy it is; a password change and a 2FA reset end every other session.
//! - TOTP secrets are sealed with ChaCha20-Poly1305 under a key in `<db>.key` (created 0600
//!   next to the database; keep it out of database backups); plaintext ones from older
//!   versions are sealed when the database is opened. Backup codes (50 bits each) are stored as
//!   salted Argon2id at the configured cost. The database, its WAL and SHM files are 0600.
//! - The database runs with `synchronous=FULL`: an answered commit survives power loss, so an
//!   event id, once streamed, is never handed to a different event.
//! - Every answer carries `Cache-Control: no-store`.
//!
//! # Running it in-process (tests elsewhere rely on this API)
//!
//! ```no_run
//! use std::sync::Arc;
//! use keepwatch_server::{start, ForwardedHeader, ServerConfig, Limits, ManualClock, totp_now};
//!
//! # async fn demo() -> Result<(), keepwatch_server::ServerError> {
//! let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
//! let server = start(ServerConfig {
//!     db_path: "/tmp/kw.sqlite".into(),
//!     listen: "127.0.0.1:0".parse().unwrap(),
//!     tls: None,
//!     trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
//!     forwarded_header: ForwardedHeader::XForwardedFor,
//!     geo: Arc::new(keepwatch_geo::GeoDb::empty()),
//!     clock: clock.clone(),
//!     limits: Limits::for_tests(),
//! })
//! .await?;
//! let user = server.add_user("ann@example.com", "correct horse battery", true).await?;
//! let code = totp_now(user.totp_secret.as_deref().unwrap(), keepwatch_server::Clock::now(&*clock));
//! println!("{} {code}", server.base_url());
//! server.sweep_expired().await?;      // expiry, as the periodic sweep would
//! server.shutdown().await;            // or server.abort() to vanish abruptly
//! # Ok(()) }
//! ```
//!
//! - [`start`] binds (port 0 picks one), spawns and returns a [`RunningServer`] at once;
//!   [`RunningServer::local_addr`], [`RunningServer::base_url`], [`RunningServer::shutdown`]
//!   (graceful; ends event streams), [`RunningServer::abort`] (drops every connection).
//! - [`RunningServer::add_user`], [`RunningServer::add_withdrawal`],
//!   [`RunningServer::sweep_expired`] change data and broadcast the events to live streams at
//!   once; the [`admin`] functions do the same from outside a running server (another process).
//! - [`Clock`] is injected: [`SystemClock`] in production, [`ManualClock`] in tests, so that
//!   lockout cool-offs and idle expiry are tested by moving time, not by sleeping.
//! - [`Limits::for_tests`] keeps production semantics but hashes passwords at the cheapest
//!   Argon2 cost and lifts the sign-in rate limit (set `login_rate_max` to test it).
//! - [`totp_now`] computes a valid TOTP code for a secret, so tests can sign in with 2FA.
//! - The client address is the socket peer; the one forwarding header named by
//!   `forwarded_header` (`X-Forwarded-For` by default, or `Forwarded`) is believed only from
//!   peers in `trusted_proxies`, read right to left through trusted hops (right-most untrusted
//!   hop wins); the other header is ignored entirely. That is how tests sign in "from" other
//!   countries.
//!
//! # Bounded work
//!
//! Every expensive or endless thing a client can start is capped by a [`Limits`] field, and
//! beyond the cap the answer is immediate (429 or 503 with `Retry-After`), never a queue that
//! grows without bound:
//! - Argon2 hashing and verification run on `password_workers` threads of their own (one per
//!   core by default, so that freed 19 MiB blocks are reused rather than left in many
//!   allocator arenas) with `password_queue` waiting at most `password_queue_wait`; the rest
//!   get 503 `unavailable` (`password_work.rs`).
//! - Database work occupies at most two blocking threads; the single connection is a mutex,
//!   so a thousand polling streams wait asynchronously instead of growing the blocking pool.
//! - The sign-in rate limiter remembers at most `login_rate_tracked_addresses` addresses, in
//!   two generations swapped per window, so that a flood of distinct addresses costs O(1)
//!   per check and bounded memory (`rate_limit.rs`).
//! - Event streams are capped per session (`event_streams_per_session`, 8), per client
//!   address (`event_streams_per_address`, 1,000; a proxy or NAT shares one address between
//!   many people) and in total (`event_streams_total`, 10,000; about 30 KiB each in the load
//!   benchmark): 429 for the first two, 503 for the last (`stream_limits.rs`). A resume from
//!   an old `Last-Event-ID` replays `event_replay_page` events per query, one page at a time.
//! - Request headers must arrive within `header_read_timeout` (HTTP/1), bodies within
//!   `body_read_timeout` (else 408); idle HTTP/2 connections are pinged
//!   (`http2_keep_alive_interval`) and closed when pings go unanswered.
//!
//! `benches/load.rs` measures what these defaults hold (`cargo bench -p keepwatch-server
//! --bench load`); its doc comment describes the method.

#![warn(missing_docs)]

mod account;
pub mod admin;
mod blocklist;
mod client_ip;
mod clock;
mod config;
pub mod demo;
mod error;
mod feed;
mod http;
mod lockout;
mod login;
mod password_work;
mod rate_limit;
mod schema;
mod secrets;
mod server;
mod sessions;
mod state;
mod store;
mod stream_limits;
mod tokens;
mod totp;
mod vault;

pub use admin::NewUser;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ForwardedHeader, Limits, ServerConfig, TlsFiles};
pub use error::{HttpError, ServerError};
pub use secrets::PasswordCost;
pub use server::{start, RunningServer};
pub use tokens::REFRESH_REUSE_GRACE;
pub use totp::totp_now;

/// The parsers and checks that take input straight from a client, exposed for the fuzz
/// targets in `fuzz/`. Not part of the server's API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::client_ip::resolve as client_ip;
    pub use crate::secrets::{backup_code_matches, hash_backup_code};
    pub use crate::totp::{code_at as totp_code_at, verify as totp_verify};
}
