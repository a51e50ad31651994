//! The account API client: every endpoint of the contract, with the manners a client owes a
//! server (timeouts, `Retry-After`, one refresh on 401, ETags) and the suspicion it owes a
//! hostile one (HTTPS, body caps, typed errors for anything unexpected).

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use keepwatch_api::{
    paths, ApiError, BlocklistEntry, ChangePasswordRequest, ChangePasswordResponse, ErrorCode,
    Event, EventList, LoginAttempt, LoginRequest, NewBlocklistEntry, RefreshRequest,
    RevokeOthersResponse, SessionLength, SessionList, TokenPair, TrustedDevice,
    TwoFactorResetRequest, TwoFactorResetResponse, Withdrawal,
};
use reqwest::{header, Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::inert::Inert;
use crate::retry::{parse_retry_after, retry_after_delay, Backoff};
use crate::secrets::Secrets;
use crate::sse::{SseItem, SseParser};

/// Knobs of the client. The defaults suit a desktop app.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Time to open a connection.
    pub connect_timeout: Duration,
    /// Time for a whole request, answer included (not used for the event stream).
    pub request_timeout: Duration,
    /// Longest silence tolerated on the event stream (the server sends keep-alives).
    pub stream_idle_timeout: Duration,
    /// Largest answer body read, in bytes; one event of the stream is held to the same cap.
    pub max_body_bytes: usize,
    /// How many times a 429 or 503 is retried before giving up.
    pub max_retries: u32,
    /// Wait before retrying a 429/503 that came without `Retry-After`.
    pub default_retry_wait: Duration,
    /// A file locked around every token refresh, so that two Keepwatch processes (the
    /// watcher and a CLI command) never present the same refresh token: the server would take
    /// that for token theft and end the session.
    pub refresh_lock_file: Option<std::path::PathBuf>,
    /// PEM certificates trusted as roots besides the platform's web roots (a self-hosted
    /// server with its own CA).
    pub extra_root_certificates: Vec<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            stream_idle_timeout: Duration::from_secs(90),
            max_body_bytes: 4 * 1024 * 1024,
            max_retries: 3,
            default_retry_wait: Duration::from_secs(1),
            refresh_lock_file: None,
            extra_root_certificates: Vec::new(),
        }
    }
}

/// Our User-Agent: the product, and the platform in the form browsers use, so that the session
/// list names this device ("… on Linux") rather than "Unknown device".
pub const USER_AGENT: &str = concat!(
    "Keepwatch/",
    env!("CARGO_PKG_VERSION"),
    " ",
    platform_comment!()
);

#[cfg(target_os = "linux")]
macro_rules! platform_comment {
    () => {
        "(X11; Linux x86_64)"
    };
}
#[cfg(target_os = "macos")]
macro_rules! platform_comment {
    () => {
        "(Macintosh; Intel Mac OS X 10_15_7)"
    };
}
#[cfg(target_os = "windows")]
macro_rules! platform_comment {
    () => {
        "(Windows NT 10.0; Win64; x64)"
    };
}
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
macro_rules! platform_comment {
    () => {
        "(desktop)"
    };
}
use platform_comment;

/// Checks a server URL: it must be `https://`, or `http://` to a loopback address.
pub fn validate_server_url(raw: &str) -> Result<Url> {
    use keepwatch_api::server_url::{check_server_url, ServerUrlError};
    check_server_url(raw).map_err(|e| match e {
        ServerUrlError::Invalid(reason) => Error::InvalidUrl {
            url: raw.to_owned(),
            reason,
        },
        ServerUrlError::Insecure { host } => Error::InsecureUrl { host },
    })
}

/// The `host[:port]` of a server URL, as used in account ids (`<email>@<server>`).
pub fn server_authority(url: &Url) -> String {
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

#[derive(Default)]
struct AccessToken {
    /// Wiped from memory when replaced or dropped.
    token: Option<Zeroizing<String>>,
    /// Bumped at every refresh, so that a request that failed with an old token does not
    /// trigger a second refresh when another task already did one.
    generation: u64,
}

struct CachedSessions {
    etag: String,
    list: SessionList,
}

/// What to send.
struct Call<'a> {
    method: Method,
    path: &'a str,
    query: Vec<(&'static str, String)>,
    body: Option<serde_json::Value>,
    auth: bool,
    headers: Vec<(header::HeaderName, String)>,
    streaming: bool,
}

// A body can carry a password or a refresh token: wipe its strings once the call is done.
// (The bytes reqwest serialised from it are its own, and freed without wiping.)
impl Drop for Call<'_> {
    fn drop(&mut self) {
        fn wipe(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s) => s.zeroize(),
                serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
                serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        if let Some(body) = &mut self.body {
            wipe(body);
        }
    }
}

impl<'a> Call<'a> {
    fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body: None,
            auth: true,
            headers: Vec::new(),
            streaming: false,
        }
    }
    fn json(mut self, body: &impl serde::Serialize) -> Result<Self> {
        self.body = Some(
            serde_json::to_value(body).map_err(|e| Error::Invalid(format!("request body: {e}")))?,
        );
        Ok(self)
    }
}

/// A client of one account on one server.
///
/// The refresh token is read from and written to [`Secrets`] under `account_key`; the access
/// token lives only in this value's memory.
pub struct AccountClient {
    base: Url,
    account_key: String,
    secrets: Secrets,
    options: ClientOptions,
    http: reqwest::Client,
    stream_http: reqwest::Client,
    access: Mutex<AccessToken>,
    refresh_lock: tokio::sync::Mutex<()>,
    sessions_cache: Mutex<Option<CachedSessions>>,
}

impl std::fmt::Debug for AccountClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountClient")
            .field("base", &self.base.as_str())
            .field("account_key", &self.account_key)
            .finish_non_exhaustive()
    }
}

impl AccountClient {
    /// A client for `server` (checked by [`validate_server_url`]).
    pub fn new(
        server: &str,
        account_key: impl Into<String>,
        secrets: Secrets,
        options: ClientOptions,
    ) -> Result<Self> {
        let base = validate_server_url(server)?;
        let user_agent = USER_AGENT;
        let roots = options
            .extra_root_certificates
            .iter()
            .map(|pem| {
                reqwest::Certificate::from_pem(pem)
                    .map_err(|e| Error::Invalid(format!("not a PEM certificate: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let build = |overall: Option<Duration>| {
            let mut b = reqwest::Client::builder()
                .user_agent(user_agent)
                .connect_timeout(options.connect_timeout)
                .redirect(reqwest::redirect::Policy::none());
            for root in &roots {
                b = b.add_root_certificate(root.clone());
            }
            if let Some(t) = overall {
                b = b.timeout(t);
            }
            b.build()
                .map_err(|e| Error::Network(format!("cannot set up HTTP client: {e}")))
        };
        Ok(Self {
            http: build(Some(options.request_timeout))?,
            stream_http: build(None)?,
            base,
            account_key: account_key.into(),
            secrets,
            options,
            access: Mutex::new(AccessToken::default()),
            refresh_lock: tokio::sync::Mutex::new(()),
            sessions_cache: Mutex::new(None),
        })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Seeds the sessions ETag cache (from history, after a restart).
    pub fn seed_sessions_cache(&self, etag: String, list: SessionList) {
        // Stored by an older Keepwatch, perhaps before text was made inert.
        let list = list.inert();
        *lock(&self.sessions_cache) = Some(CachedSessions { etag, list });
    }

    /// The ETag of the last sessions list, if any.
    pub fn sessions_etag(&self) -> Option<String> {
        lock(&self.sessions_cache).as_ref().map(|c| c.etag.clone())
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base.join(path).map_err(|e| Error::InvalidUrl {
            url: path.to_owned(),
            reason: e.to_string(),
        })
    }

    fn current_access(&self) -> (Option<Zeroizing<String>>, u64) {
        let a = lock(&self.access);
        (a.token.clone(), a.generation)
    }

    fn set_access(&self, token: String) {
        let mut a = lock(&self.access);
        a.token = Some(Zeroizing::new(token));
        a.generation += 1;
    }

    /// Signs in. On success the refresh token is in the keyring and the access token in memory.
    pub async fn login(&self, request: &LoginRequest) -> Result<TokenPair> {
        let mut call = Call::new(Method::POST, paths::LOGIN).json(request)?;
        call.auth = false;
        let pair: TokenPair = self.json(self.execute(call).await?).await?;
        self.secrets
            .set(&self.account_key, &pair.refresh_token)
            .await?;
        self.set_access(pair.access_token.clone());
        Ok(pair)
    }

    /// Trades the stored refresh token for a new pair, unless another task already did since
    /// `seen_generation`. A refused refresh token means [`Error::SignedOut`], or
    /// [`Error::SessionEnded`] when the server says how the session ended.
    async fn refresh(&self, seen_generation: u64) -> Result<()> {
        let _guard = self.refresh_lock.lock().await;
        if self.current_access().1 != seen_generation {
            return Ok(());
        }
        let _file_lock = match &self.options.refresh_lock_file {
            Some(path) => Some(lock_file(path.clone()).await?),
            None => None,
        };
        let refresh_token = self
            .secrets
            .get(&self.account_key)
            .await?
            .ok_or_else(|| Error::NoCredentials(self.account_key.clone()))?;
        // The request wipes its copy when dropped, and `Call` its JSON body.
        let call =
            Call::new(Method::POST, paths::REFRESH).json(&RefreshRequest { refresh_token })?;
        let url = self.url(paths::REFRESH)?;
        let resp = match self.send(&call, &url, None).await {
            Ok(r) => r,
            Err(Error::InvalidCredentials) | Err(Error::SignedOut) => return Err(Error::SignedOut),
            // The server told how the session ended: pass that on, it may be an alarm.
            Err(e @ Error::SessionEnded(_)) => return Err(e),
            Err(e) => return Err(e),
        };
        let pair: TokenPair = self.json(resp).await?;
        // The new refresh token is stored before anything else: the old one is already dead
        // on the server, so losing the new one would sign the user out.
        self.secrets
            .set(&self.account_key, &pair.refresh_token)
            .await?;
        self.set_access(pair.access_token.clone());
        tracing::debug!(session = %pair.session_id, "access token refreshed");
        Ok(())
    }

    /// Makes sure an access token is in memory, refreshing when there is none.
    pub async fn ensure_signed_in(&self) -> Result<()> {
        let (token, generation) = self.current_access();
        if token.is_none() {
            self.refresh(generation).await?;
        }
        Ok(())
    }

    /// Sends `call` with the access token, refreshing it once on 401. Returns a response with
    /// a 2xx or 304 status.
    async fn execute(&self, call: Call<'_>) -> Result<reqwest::Response> {
        let url = self.url(call.path)?;
        if !call.auth {
            return self.send(&call, &url, None).await;
        }
        let mut refreshed = false;
        loop {
            let (token, generation) = self.current_access();
            let Some(token) = token else {
                if refreshed {
                    return Err(Error::SignedOut);
                }
                refreshed = true;
                self.refresh(generation).await?;
                continue;
            };
            match self.send(&call, &url, Some(token.as_str())).await {
                Err(Error::SignedOut) if !refreshed => {
                    refreshed = true;
                    self.refresh(generation).await?;
                }
                other => return other,
            }
        }
    }

    /// One request, retried on 429/503 as the server asks. Error statuses become typed errors.
    async fn send(
        &self,
        call: &Call<'_>,
        url: &Url,
        token: Option<&str>,
    ) -> Result<reqwest::Response> {
        let mut retries = 0u32;
        let mut backoff = Backoff::new(self.options.default_retry_wait, Duration::from_secs(60));
        loop {
            let client = if call.streaming {
                &self.stream_http
            } else {
                &self.http
            };
            let mut req = client.request(call.method.clone(), url.clone());
            if !call.query.is_empty() {
                req = req.query(&call.query);
            }
            if let Some(body) = &call.body {
                req = req.json(body);
            }
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            for (name, value) in &call.headers {
                req = req.header(name.clone(), value.as_str());
            }
            let resp = req.send().await.map_err(transport_error)?;
            let status = resp.status();
            if status.is_success() || status == StatusCode::NOT_MODIFIED {
                return Ok(resp);
            }
            let retry_after = resp
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            if (status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE)
                && retries < self.options.max_retries
            {
                retries += 1;
                let wait = match retry_after {
                    Some(_) => retry_after_delay(retry_after, Duration::ZERO),
                    None => backoff.next_delay(),
                };
                tracing::info!(%status, ?wait, retries, "server asked to slow down");
                tokio::time::sleep(wait).await;
                continue;
            }
            let api_error = self.read_error(resp).await;
            return Err(map_api_error(status, api_error, retry_after));
        }
    }

    async fn read_error(&self, resp: reqwest::Response) -> Option<ApiError> {
        let body = read_capped(resp, self.options.max_body_bytes).await.ok()?;
        serde_json::from_slice(&body).ok().map(ApiError::inert)
    }

    /// Decodes an answer and makes its text inert: the `Inert` bound is what keeps a new
    /// endpoint from showing raw server text.
    async fn json<T: DeserializeOwned + Inert>(&self, resp: reqwest::Response) -> Result<T> {
        let body = read_capped(resp, self.options.max_body_bytes).await?;
        serde_json::from_slice(&body)
            .map(T::inert)
            .map_err(|e| Error::BadResponse(format!("invalid JSON from the server: {e}")))
    }

    async fn empty(&self, resp: reqwest::Response) -> Result<()> {
        read_capped(resp, self.options.max_body_bytes).await?;
        Ok(())
    }

    /// Ends this app's own session on the server and forgets the access token. The keyring is
    /// left alone (the caller decides).
    pub async fn logout(&self) -> Result<()> {
        let resp = self.execute(Call::new(Method::POST, paths::LOGOUT)).await?;
        self.empty(resp).await?;
        *lock(&self.access) = AccessToken::default();
        Ok(())
    }

    /// Every active session, from the server or, on 304, from the last answer.
    pub async fn sessions(&self) -> Result<SessionList> {
        let mut call = Call::new(Method::GET, paths::SESSIONS);
        if let Some(etag) = self.sessions_etag() {
            call.headers.push((header::IF_NONE_MATCH, etag));
        }
        let resp = self.execute(call).await?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            if let Some(cached) = lock(&self.sessions_cache).as_ref() {
                return Ok(cached.list.clone());
            }
            return Err(Error::BadResponse(
                "304 Not Modified for a list never received".into(),
            ));
        }
        let etag = resp
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let list: SessionList = self.json(resp).await?;
        let mut cache = lock(&self.sessions_cache);
        *cache = etag.map(|etag| CachedSessions {
            etag,
            list: list.clone(),
        });
        Ok(list)
    }

    /// Signs one session out.
    pub async fn revoke_session(&self, id: &str) -> Result<()> {
        let path = paths::with_id(paths::SESSION, id);
        let resp = self.execute(Call::new(Method::DELETE, &path)).await?;
        self.empty(resp).await
    }

    /// Signs every other session out.
    pub async fn revoke_others(&self) -> Result<RevokeOthersResponse> {
        let resp = self
            .execute(Call::new(Method::POST, paths::REVOKE_OTHERS))
            .await?;
        self.json(resp).await
    }

    /// Changes the password.
    pub async fn change_password(
        &self,
        request: &ChangePasswordRequest,
    ) -> Result<ChangePasswordResponse> {
        let call = Call::new(Method::POST, paths::PASSWORD).json(request)?;
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Replaces the TOTP secret and backup codes.
    pub async fn reset_two_factor(
        &self,
        request: &TwoFactorResetRequest,
    ) -> Result<TwoFactorResetResponse> {
        let call = Call::new(Method::POST, paths::TWO_FACTOR_RESET).json(request)?;
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Recent withdrawals, newest first.
    pub async fn withdrawals(&self, limit: Option<u32>) -> Result<Vec<Withdrawal>> {
        let mut call = Call::new(Method::GET, paths::WITHDRAWALS);
        if let Some(l) = limit {
            call.query.push(("limit", l.to_string()));
        }
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// The IP blocklist.
    pub async fn blocklist(&self) -> Result<Vec<BlocklistEntry>> {
        let resp = self
            .execute(Call::new(Method::GET, paths::IP_BLOCKLIST))
            .await?;
        self.json(resp).await
    }

    /// Blocks an address or range.
    pub async fn add_blocklist_entry(&self, entry: &NewBlocklistEntry) -> Result<BlocklistEntry> {
        let call = Call::new(Method::POST, paths::IP_BLOCKLIST).json(entry)?;
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Unblocks.
    pub async fn remove_blocklist_entry(&self, id: &str) -> Result<()> {
        let path = paths::with_id(paths::IP_BLOCKLIST_ENTRY, id);
        let resp = self.execute(Call::new(Method::DELETE, &path)).await?;
        self.empty(resp).await
    }

    /// How long idle sessions live.
    pub async fn session_length(&self) -> Result<SessionLength> {
        let resp = self
            .execute(Call::new(Method::GET, paths::SESSION_LENGTH))
            .await?;
        self.json(resp).await
    }

    /// Changes how long idle sessions live.
    pub async fn set_session_length(&self, length: &SessionLength) -> Result<SessionLength> {
        let call = Call::new(Method::PUT, paths::SESSION_LENGTH).json(length)?;
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Devices that skip the 2FA prompt.
    pub async fn trusted_devices(&self) -> Result<Vec<TrustedDevice>> {
        let resp = self
            .execute(Call::new(Method::GET, paths::TRUSTED_DEVICES))
            .await?;
        self.json(resp).await
    }

    /// Forgets a trusted device.
    pub async fn forget_trusted_device(&self, id: &str) -> Result<()> {
        let path = paths::with_id(paths::TRUSTED_DEVICE, id);
        let resp = self.execute(Call::new(Method::DELETE, &path)).await?;
        self.empty(resp).await
    }

    /// Sign-in attempts, newest first.
    pub async fn login_history(&self, limit: Option<u32>) -> Result<Vec<LoginAttempt>> {
        let mut call = Call::new(Method::GET, paths::LOGIN_HISTORY);
        if let Some(l) = limit {
            call.query.push(("limit", l.to_string()));
        }
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Events after `after`, oldest first.
    pub async fn events(&self, after: u64, limit: Option<u32>) -> Result<EventList> {
        let mut call = Call::new(Method::GET, paths::EVENTS);
        call.query.push(("after", after.to_string()));
        if let Some(l) = limit {
            call.query.push(("limit", l.to_string()));
        }
        let resp = self.execute(call).await?;
        self.json(resp).await
    }

    /// Opens the event stream, resuming after `last_event_id`.
    pub async fn event_stream(&self, last_event_id: Option<u64>) -> Result<EventStream> {
        let mut call = Call::new(Method::GET, paths::EVENTS_STREAM);
        call.streaming = true;
        call.headers
            .push((header::ACCEPT, "text/event-stream".to_owned()));
        if let Some(id) = last_event_id {
            call.headers.push((
                header::HeaderName::from_static("last-event-id"),
                id.to_string(),
            ));
        }
        let resp = self.execute(call).await?;
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !content_type.starts_with("text/event-stream") {
            return Err(Error::BadResponse(format!(
                "event stream has content type {content_type:?}"
            )));
        }
        Ok(EventStream {
            body: Box::pin(resp.bytes_stream()),
            parser: SseParser::new(),
            pending: std::collections::VecDeque::new(),
            idle_timeout: self.options.stream_idle_timeout,
            max_event_bytes: self.options.max_body_bytes,
        })
    }
}

/// What the event stream yields.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    /// An account event.
    Event(Box<Event>),
    /// The server's preferred reconnection delay.
    Retry(Duration),
}

type ByteStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// An open `/v1/events/stream`.
pub struct EventStream {
    body: ByteStream,
    parser: SseParser,
    pending: std::collections::VecDeque<StreamItem>,
    idle_timeout: Duration,
    max_event_bytes: usize,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl EventStream {
    /// The next item; `Ok(None)` when the server closed the stream cleanly. Silence longer
    /// than the idle timeout is [`Error::Timeout`]. An event whose data is not an [`Event`] is
    /// skipped with a warning, so one bad event cannot wedge the stream.
    pub async fn next(&mut self) -> Result<Option<StreamItem>> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Ok(Some(item));
            }
            let chunk = match tokio::time::timeout(self.idle_timeout, self.body.next()).await {
                Err(_) => return Err(Error::Timeout),
                Ok(None) => return Ok(None),
                Ok(Some(Err(e))) => return Err(transport_error(e)),
                Ok(Some(Ok(chunk))) => chunk,
            };
            let items = self
                .parser
                .feed(&chunk)
                .map_err(|e| Error::BadResponse(e.to_string()))?;
            if self.parser.pending_bytes() > self.max_event_bytes {
                return Err(Error::BodyTooLarge {
                    limit: self.max_event_bytes,
                });
            }
            for item in items {
                match item {
                    SseItem::Retry(ms) => self
                        .pending
                        .push_back(StreamItem::Retry(Duration::from_millis(ms))),
                    SseItem::Message(m) => match serde_json::from_str::<Event>(&m.data) {
                        Ok(event) => self
                            .pending
                            .push_back(StreamItem::Event(Box::new(event.inert()))),
                        Err(e) => {
                            tracing::warn!(event = %m.event, error = %e, "skipping malformed event")
                        }
                    },
                }
            }
        }
    }
}

/// Takes an exclusive lock on `path` (created if missing) off the async runtime. The lock is
/// released when the returned file is dropped.
async fn lock_file(path: std::path::PathBuf) -> Result<std::fs::File> {
    let task = tokio::task::spawn_blocking(move || crate::files::lock_exclusive(&path));
    match tokio::time::timeout(Duration::from_secs(60), task).await {
        Err(_) => Err(Error::Timeout),
        Ok(Err(e)) => Err(Error::Invalid(format!("lock task failed: {e}"))),
        Ok(Ok(r)) => r,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave the plain data inside inconsistent.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn transport_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout;
    }
    if e.is_decode() || e.is_body() {
        return Error::BadResponse(without_url(&e));
    }
    Error::Network(without_url(&e))
}

/// reqwest's messages include the URL; ours must not (it may carry ids), and the source chain
/// says what actually failed.
fn without_url(e: &reqwest::Error) -> String {
    let mut msg = e.without_url_ref().to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    fn without_url_ref(&self) -> String {
        if self.is_connect() {
            "connection failed".into()
        } else if self.is_request() {
            "request failed".into()
        } else if self.is_body() {
            "reading the answer failed".into()
        } else if self.is_decode() {
            "decoding the answer failed".into()
        } else if self.is_redirect() {
            "redirect refused".into()
        } else {
            "HTTP error".into()
        }
    }
}

/// Reads a body, refusing to hold more than `cap` bytes.
async fn read_capped(resp: reqwest::Response, cap: usize) -> Result<Vec<u8>> {
    if resp.content_length().is_some_and(|len| len > cap as u64) {
        return Err(Error::BodyTooLarge { limit: cap });
    }
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(transport_error)?;
        if body.len() + chunk.len() > cap {
            return Err(Error::BodyTooLarge { limit: cap });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn map_api_error(
    status: StatusCode,
    body: Option<ApiError>,
    retry_after: Option<Duration>,
) -> Error {
    let Some(body) = body else {
        return match status {
            StatusCode::UNAUTHORIZED => Error::SignedOut,
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited { retry_after },
            StatusCode::SERVICE_UNAVAILABLE => Error::Unavailable { retry_after },
            s => Error::BadResponse(format!("HTTP {} without an API error body", s.as_u16())),
        };
    };
    match body.error {
        ErrorCode::InvalidCredentials => Error::InvalidCredentials,
        ErrorCode::TotpRequired => Error::TotpRequired,
        ErrorCode::InvalidTotp => Error::InvalidTotp,
        ErrorCode::InvalidToken => Error::SignedOut,
        ErrorCode::SessionRevoked => match body.revocation {
            Some(revocation) => Error::SessionEnded(revocation),
            None => Error::SignedOut,
        },
        ErrorCode::IpBlocked => Error::IpBlocked,
        ErrorCode::NotFound => Error::NotFound(body.message),
        ErrorCode::CurrentSession => Error::CurrentSession,
        ErrorCode::AccountLocked => Error::AccountLocked { retry_after },
        ErrorCode::RateLimited => Error::RateLimited { retry_after },
        ErrorCode::Unavailable => Error::Unavailable { retry_after },
        code => Error::Api {
            status: status.as_u16(),
            code,
            message: body.message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        for ok in [
            "https://example.com",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost:3000/",
        ] {
            assert!(validate_server_url(ok).is_ok(), "{ok}");
        }
        assert!(matches!(
            validate_server_url("http://example.com"),
            Err(Error::InsecureUrl { .. })
        ));
        assert!(matches!(
            validate_server_url("http://10.0.0.1"),
            Err(Error::InsecureUrl { .. })
        ));
        assert!(matches!(
            validate_server_url("ftp://example.com"),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(matches!(
            validate_server_url("https://u:p@example.com"),
            Err(Error::InvalidUrl { .. })
        ));
    }

    #[test]
    fn authority_keeps_ports_and_brackets() {
        let u = validate_server_url("http://[::1]:8443/x").unwrap();
        assert_eq!(server_authority(&u), "[::1]:8443");
        let u = validate_server_url("https://Example.COM").unwrap();
        assert_eq!(server_authority(&u), "example.com");
    }

    #[test]
    fn error_bodies_become_typed_errors() {
        let e = map_api_error(
            StatusCode::LOCKED,
            Some(ApiError::new(ErrorCode::AccountLocked, "locked")),
            Some(Duration::from_secs(1800)),
        );
        assert!(matches!(e, Error::AccountLocked { retry_after: Some(d) } if d.as_secs() == 1800));
        assert!(e.to_string().contains("30 min"));
        let e = map_api_error(
            StatusCode::FORBIDDEN,
            Some(ApiError::new(ErrorCode::IpBlocked, "x")),
            None,
        );
        assert!(matches!(e, Error::IpBlocked));
        let e = map_api_error(StatusCode::IM_A_TEAPOT, None, None);
        assert!(matches!(e, Error::BadResponse(_)));
    }
}
