//! Starting, running and stopping the server.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum_server::tls_rustls::RustlsConfig;
use axum_server::Handle;
use hyper_util::rt::TokioTimer;
use keepwatch_api::{LoginRequest, TokenPair, Withdrawal};
use keepwatch_device::ClientHints;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::account::TwoFactorSecrets;
use crate::admin::{self, NewUser};
use crate::config::{ServerConfig, TlsFiles};
use crate::error::{HttpError, ServerError};
use crate::login::LoginInput;
use crate::password_work::PasswordWork;
use crate::rate_limit::RateLimiter;
use crate::secrets::{hash_password, new_token};
use crate::state::{AppState, Inner};
use crate::store::{self, Db};
use crate::stream_limits::StreamLimits;
use crate::{http, sessions};

/// A server running in the background of the current tokio runtime.
pub struct RunningServer {
    addr: SocketAddr,
    https: bool,
    handle: Handle<SocketAddr>,
    serve: JoinHandle<std::io::Result<()>>,
    sweeper: JoinHandle<()>,
    shutdown: watch::Sender<bool>,
    state: AppState,
}

/// Binds, spawns the server and its expiry sweeper, and returns at once.
///
/// Plain HTTP is refused unless `config.listen` is a loopback address.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
    if config.tls.is_none() && !config.listen.ip().is_loopback() {
        return Err(ServerError::PlainHttpNotLoopback(config.listen));
    }
    let tls = match &config.tls {
        Some(files) => Some(RustlsConfig::from_config(Arc::new(tls_config(files)?))),
        None => None,
    };
    let db_path = config.db_path.clone();
    let (conn, vault) = tokio::task::spawn_blocking(move || store::open(&db_path))
        .await
        .map_err(|e| ServerError::Other(e.to_string()))??;
    let cost = config.limits.password_cost;
    let dummy_hash = tokio::task::spawn_blocking(move || hash_password(&new_token(), cost))
        .await
        .map_err(|e| ServerError::Other(e.to_string()))?
        .map_err(|e| ServerError::Other(e.to_string()))?;
    let db = Arc::new(Db::new(conn, vault, config.geo, config.clock));
    let (shutdown, shutdown_rx) = watch::channel(false);
    let state = AppState(Arc::new(Inner {
        db,
        parser: tokio::task::spawn_blocking(crate::state::shared_parser)
            .await
            .map_err(|e| ServerError::Other(e.to_string()))?,
        password_work: PasswordWork::new(&config.limits),
        streams: StreamLimits::new(&config.limits),
        login_rate: RateLimiter::new(config.limits.login_rate_tracked_addresses),
        limits: config.limits,
        trusted_proxies: config.trusted_proxies,
        forwarded_header: config.forwarded_header,
        dummy_hash,
        shutdown: shutdown_rx,
    }));

    let listener =
        std::net::TcpListener::bind(config.listen).map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let bind_err = |source| ServerError::Bind {
        addr: config.listen,
        source,
    };
    listener.set_nonblocking(true).map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;
    let handle = Handle::new();
    let app = http::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let https = tls.is_some();
    let serve = match tls {
        Some(tls) => {
            let mut server = axum_server::from_tcp_rustls(listener, tls)
                .map_err(bind_err)?
                .handle(handle.clone());
            configure_http(server.http_builder(), &state.limits);
            tokio::spawn(server.serve(app))
        }
        None => {
            let mut server = axum_server::from_tcp(listener)
                .map_err(bind_err)?
                .handle(handle.clone());
            configure_http(server.http_builder(), &state.limits);
            tokio::spawn(server.serve(app))
        }
    };
    let sweeper = tokio::spawn(sweep_periodically(state.clone()));
    tracing::info!(
        %addr,
        https,
        password_workers = state.password_work.workers(),
        "listening"
    );
    Ok(RunningServer {
        addr,
        https,
        handle,
        serve,
        sweeper,
        shutdown,
        state,
    })
}

/// Connection-level timeouts, so that idle or trickling clients cannot hold connections open:
/// HTTP/1 must send each request's headers within `header_read_timeout`; idle HTTP/2
/// connections are pinged and closed when a ping goes unanswered. Request bodies have their
/// own timeout (`body_read_timeout`, in the JSON extractor).
fn configure_http(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    limits: &crate::config::Limits,
) {
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.http2_keep_alive_interval)
        .keep_alive_timeout(limits.http2_keep_alive_timeout)
        // Each stream of a connection is a request task; a few hundred is plenty for one
        // client and stops one connection from multiplexing thousands of event streams.
        .max_concurrent_streams(Some(256));
}

async fn sweep_periodically(state: AppState) {
    let mut tick = tokio::time::interval(state.limits.sweep_interval);
    tick.tick().await;
    loop {
        tick.tick().await;
        match state.db.write(|w| sessions::sweep(w, None)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "expired idle sessions"),
            Err(e) => tracing::warn!(error = %e.body.message, "session sweep failed"),
        }
    }
}

/// Reads a PEM certificate chain and key into a rustls config with the `ring` provider.
fn tls_config(files: &TlsFiles) -> Result<rustls::ServerConfig, ServerError> {
    let read = |path: &std::path::Path| {
        std::fs::read(path)
            .map_err(|e| ServerError::Tls(format!("cannot read {}: {e}", path.display())))
    };
    let cert_pem = read(&files.cert)?;
    let key_pem = read(&files.key)?;
    let certs = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServerError::Tls(format!("bad certificate PEM: {e}")))?;
    if certs.is_empty() {
        return Err(ServerError::Tls(format!(
            "no certificate in {}",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| match e {
        pem::Error::NoItemsFound => {
            ServerError::Tls(format!("no private key in {}", files.key.display()))
        }
        e => ServerError::Tls(format!("bad key PEM: {e}")),
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ServerError::Tls(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| ServerError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

impl RunningServer {
    /// The address actually bound (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` or `https://…`; with TLS, `localhost` replaces a loopback IP
    /// so that a certificate for `localhost` matches.
    pub fn base_url(&self) -> String {
        if self.https {
            let host = match self.addr.ip() {
                ip if ip.is_loopback() => "localhost".to_owned(),
                IpAddr::V6(ip) => format!("[{ip}]"),
                IpAddr::V4(ip) => ip.to_string(),
            };
            format!("https://{host}:{}", self.addr.port())
        } else {
            match self.addr {
                SocketAddr::V4(a) => format!("http://{a}"),
                SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
            }
        }
    }

    /// Stops accepting, ends event streams, waits for open requests (up to the configured
    /// grace period), then returns.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        self.handle
            .graceful_shutdown(Some(self.state.limits.shutdown_grace));
        self.sweeper.abort();
        match self.serve.await {
            Ok(Ok(())) => tracing::info!("server stopped"),
            Ok(Err(e)) => tracing::warn!(error = %e, "server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "server task failed"),
        }
    }

    /// Drops every connection at once, as a crash would; for "server goes away" tests.
    pub fn abort(self) {
        self.handle.shutdown();
        let _ = self.shutdown.send(true);
        self.serve.abort();
        self.sweeper.abort();
    }

    /// The limits it runs with.
    pub(crate) fn limits(&self) -> &crate::config::Limits {
        &self.state.limits
    }

    /// The database, for crate-internal seeding.
    pub(crate) fn db(&self) -> &Arc<Db> {
        &self.state.db
    }

    /// Parses a device as the server does for requests.
    pub(crate) fn parse_device(
        &self,
        user_agent: Option<&str>,
        hints: ClientHints<'_>,
    ) -> keepwatch_api::Device {
        self.state.parser.parse(user_agent, hints)
    }

    /// The server clock's current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.db.clock.now()
    }

    /// Expires every session past its lifetime now, emitting `session_expired` to live
    /// subscribers. Returns how many ended.
    pub async fn sweep_expired(&self) -> Result<u32, ServerError> {
        Ok(self.state.db.write(|w| sessions::sweep(w, None)).await?)
    }

    /// Creates an account (see [`admin::add_user`]), hashing at the server's configured cost.
    pub async fn add_user(
        &self,
        email: &str,
        password: &str,
        with_totp: bool,
    ) -> Result<NewUser, ServerError> {
        let cost = self.state.limits.password_cost;
        let password = password.to_owned();
        let (hash, two_factor) = tokio::task::spawn_blocking(move || {
            let hash = hash_password(&password, cost)?;
            let two_factor = with_totp
                .then(|| TwoFactorSecrets::generate(cost))
                .transpose()?;
            Ok::<_, crate::secrets::HashError>((hash, two_factor))
        })
        .await
        .map_err(|e| ServerError::Other(e.to_string()))?
        .map_err(|e| ServerError::Other(e.to_string()))?;
        let email = email.to_owned();
        Ok(self
            .state
            .db
            .write(move |w| admin::create_user(w, &email, &hash, two_factor))
            .await?)
    }

    /// Adds an address to an account's address book (see [`admin::add_address`]).
    pub async fn add_address(
        &self,
        email: &str,
        address: &str,
        label: Option<&str>,
    ) -> Result<(), ServerError> {
        let (email, address) = (email.to_owned(), address.to_owned());
        let label = label.map(str::to_owned);
        Ok(self
            .state
            .db
            .write(move |w| admin::record_address(w, &email, &address, label.as_deref()))
            .await?)
    }

    /// Records a withdrawal (see [`admin::add_withdrawal`]) and broadcasts its event live.
    pub async fn add_withdrawal(
        &self,
        email: &str,
        asset: &str,
        amount: &str,
        address: &str,
        in_book: bool,
        from_ip: Option<IpAddr>,
    ) -> Result<Withdrawal, ServerError> {
        let new = admin::withdrawal_request(email, asset, amount, address, in_book, from_ip);
        Ok(self
            .state
            .db
            .write(move |w| admin::record_withdrawal(w, new))
            .await?)
    }

    /// Signs in exactly as `POST /v1/auth/login` would from `ip` with `user_agent` and
    /// `platform` hint, without a network round-trip; the demo's "intruder" uses it.
    pub async fn sign_in_from(
        &self,
        request: LoginRequest,
        ip: IpAddr,
        user_agent: Option<&str>,
        platform: Option<&str>,
    ) -> Result<TokenPair, HttpError> {
        let device = self.state.parser.parse(
            user_agent,
            ClientHints {
                platform,
                platform_version: None,
            },
        );
        http::auth::sign_in(
            &self.state,
            LoginInput {
                request,
                ip,
                device,
            },
        )
        .await
    }
}
