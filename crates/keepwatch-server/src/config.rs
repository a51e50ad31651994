//! How a server is set up: [`ServerConfig`] and its tunable [`Limits`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use keepwatch_geo::GeoDb;

use crate::clock::Clock;
use crate::secrets::PasswordCost;

/// A PEM certificate chain and its PEM private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert: PathBuf,
    /// Private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// Which forwarding header the trusted proxies maintain. Only that one is read: a proxy that
/// appends to one header passes the other through untouched, so whatever a client wrote into
/// the other would otherwise be believed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, …` (nginx, HAProxy, most load balancers).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl ForwardedHeader {
    /// The header's name, lower case.
    pub fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }
}

impl std::str::FromStr for ForwardedHeader {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            _ => Err(format!(
                "{text:?} is not a forwarding header: say x-forwarded-for or forwarded"
            )),
        }
    }
}

/// Everything [`crate::start`] needs.
pub struct ServerConfig {
    /// SQLite database file; created and migrated if needed.
    pub db_path: PathBuf,
    /// Address to listen on; port 0 picks a free port (see [`crate::RunningServer::local_addr`]).
    pub listen: SocketAddr,
    /// Serve HTTPS with these; without them only a loopback `listen` address is allowed.
    pub tls: Option<TlsFiles>,
    /// Peers whose forwarding header (the one `forwarded_header` names) is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The one forwarding header the trusted proxies write; the other is ignored.
    pub forwarded_header: ForwardedHeader,
    /// Geolocation and ISP data.
    pub geo: Arc<GeoDb>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Rate limits, lockout, token lifetimes, hashing cost.
    pub limits: Limits,
}

/// Tunable limits. [`Limits::default`] is for production; [`Limits::for_tests`] is fast.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Sign-in attempts one IP address may make per `login_rate_window`.
    pub login_rate_max: u32,
    /// The window of `login_rate_max`, measured on the injected clock.
    pub login_rate_window: Duration,
    /// Failed password checks (sign-ins and confirmations) of one email from one source (an
    /// address, IPv6 by /64; a trusted device; a session) that lock that source out.
    pub lockout_threshold: u32,
    /// How long the first lockout of a source lasts; each further one (without a success in
    /// between) lasts twice as long, up to 24 hours.
    pub lockout_duration: Duration,
    /// Lifetime of an access token.
    pub access_token_ttl: Duration,
    /// Absolute lifetime of every session ("remember me" included), however busy: past it the
    /// sweep (or the next request) ends it as `expired`, and signing in again is the only way
    /// on. Fixed for each session when it starts. The default, 90 days, is the longest idle
    /// lifetime an account may choose, so that no setting becomes meaningless.
    pub session_max_age: Duration,
    /// Argon2id cost for new password hashes.
    pub password_cost: PasswordCost,
    /// `last_active_at` moves only when at least this much time has passed since it last did,
    /// so that polling a list does not change it (and its ETag) every time.
    pub activity_granularity: Duration,
    /// How often (wall-clock) sessions past their lifetime are swept.
    pub sweep_interval: Duration,
    /// How often (wall-clock) an event stream sends a keep-alive comment.
    pub sse_keep_alive: Duration,
    /// How often (wall-clock) an event stream re-reads the database, to pick up events written
    /// by other processes (admin commands) and sessions ended elsewhere.
    pub event_poll_interval: Duration,
    /// How long a connection may take to send a request's headers; slower ones are dropped,
    /// so that idle or trickling clients cannot hold connections open.
    pub header_read_timeout: Duration,
    /// How long a graceful shutdown waits for open requests.
    pub shutdown_grace: Duration,
    /// Password hashes (Argon2) that may run at once; 0 means one per available core. Each
    /// takes a core and `password_cost.memory_kib` of memory while it runs.
    pub password_workers: usize,
    /// Requests that may wait for a hashing slot beyond those running; more get 503.
    pub password_queue: usize,
    /// How long a request waits for a hashing slot before it gets 503 with `Retry-After`.
    pub password_queue_wait: Duration,
    /// Addresses the sign-in rate limiter remembers at most. Beyond it the oldest are
    /// forgotten in bulk (see `rate_limit.rs`), so memory stays bounded under a flood of
    /// distinct addresses.
    pub login_rate_tracked_addresses: usize,
    /// Event streams open at once on the whole server; more get 503 with `Retry-After`.
    pub event_streams_total: usize,
    /// Event streams open at once from one client address (an IPv6 /64); more get 429.
    pub event_streams_per_address: usize,
    /// Event streams open at once for one session; more get 429.
    pub event_streams_per_session: usize,
    /// Stored events a stream reads per database query when it replays history after a
    /// `Last-Event-ID`; it sends one page before reading the next.
    pub event_replay_page: u32,
    /// How long one event stream lasts at most; then the server ends it and the client
    /// reconnects with `Last-Event-ID`, losing nothing. Bounds how long a slot is held by a
    /// connection that died without the server noticing, and spreads long-lived connections
    /// over restarts and proxies.
    pub event_stream_max_age: Duration,
    /// How long a client may take to send a request body once its headers are in.
    pub body_read_timeout: Duration,
    /// How often an idle HTTP/2 connection is pinged.
    pub http2_keep_alive_interval: Duration,
    /// How long an HTTP/2 ping may go unanswered before the connection is closed.
    pub http2_keep_alive_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_rate_max: 20,
            login_rate_window: Duration::from_secs(60),
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(30 * 60),
            access_token_ttl: Duration::from_secs(15 * 60),
            session_max_age: Duration::from_secs(90 * 24 * 60 * 60),
            password_cost: PasswordCost::RECOMMENDED,
            activity_granularity: Duration::from_secs(60),
            sweep_interval: Duration::from_secs(60),
            sse_keep_alive: Duration::from_secs(15),
            event_poll_interval: Duration::from_secs(5),
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(5),
            password_workers: 0,
            // With one worker per core and ~40 ms per hash, 64 waiting is about a second of
            // work on two cores: longer queues only make every caller wait for a 503 anyway.
            password_queue: 64,
            password_queue_wait: Duration::from_secs(2),
            // About 30 MiB at the default rate (20 timestamps per address) at worst.
            login_rate_tracked_addresses: 100_000,
            // Capacity, not a guess: 1,000 streams took about 30 KiB each in the load
            // benchmark (benches/load.rs), so 10,000 take about 300 MiB.
            event_streams_total: 10_000,
            // One address can be a NAT or a proxy in front of many people (each Keepwatch
            // holds one stream), yet no single address may take more than a tenth of the
            // server.
            event_streams_per_address: 1_000,
            // A client holds one stream; a few more cover reconnects whose old connection the
            // server has not yet noticed is dead, and a second window or device.
            event_streams_per_session: 8,
            event_replay_page: 200,
            event_stream_max_age: Duration::from_secs(60 * 60),
            body_read_timeout: Duration::from_secs(10),
            http2_keep_alive_interval: Duration::from_secs(30),
            http2_keep_alive_timeout: Duration::from_secs(20),
        }
    }
}

impl Limits {
    /// Production semantics (lockout, lifetimes) with the cheapest password hashing and a
    /// generous sign-in rate, so that test suites run fast.
    pub fn for_tests() -> Self {
        Self {
            login_rate_max: 10_000,
            password_cost: PasswordCost::INSECURE_FAST,
            sse_keep_alive: Duration::from_secs(1),
            event_poll_interval: Duration::from_millis(500),
            ..Self::default()
        }
    }
}

/// A chrono duration from a std one, saturating.
pub(crate) fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}
