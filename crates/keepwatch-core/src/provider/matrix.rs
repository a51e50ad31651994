//! The Matrix provider: an account on any homeserver, through `keepwatch-matrix`.
//!
//! Matrix calls sessions "devices". A device gives its ID, the name its client chose, and
//! the address and time it was last seen; the User-Agent comes from the server's whois
//! connections and Element's client information, place and ISP from Keepwatch's own lookup
//! of the address (DB-IP Lite data, [`keepwatch_geo::GeoDb`]). What the server writes is made
//! inert here, at ingress, as for the Keepwatch API.
//!
//! Tokens live in the keyring only, as one entry per account (the access token, and the
//! refresh token where the server gives one). A password is asked for when signing in and
//! when signing devices out (user-interactive authentication), and never kept.

use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, TimeZone, Utc};
use keepwatch_api::{ClientKind, Device, Revocation, RevocationReason, Session, SessionList};
use keepwatch_device::{ClientHints, DeviceParser};
use keepwatch_geo::GeoDb;
use keepwatch_matrix::{
    AccessToken, DeviceSession, LoginSession, MatrixClient, Password, RefreshToken,
};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::geo_data::GeoShelf;
use crate::inert::Inert;
use crate::secrets::Secrets;

/// Matrix devices do not expire; their sessions carry this as "never".
pub fn never() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The User-Agent parser, built once per process (its rules take a moment to compile).
fn parser() -> &'static DeviceParser {
    static PARSER: OnceLock<DeviceParser> = OnceLock::new();
    PARSER.get_or_init(DeviceParser::new)
}

/// The tokens of one sign-in, as the keyring holds them.
#[derive(Serialize, Deserialize)]
struct StoredTokens {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
}

impl StoredTokens {
    fn of(access: &AccessToken, refresh: Option<&RefreshToken>) -> Self {
        Self {
            access_token: access.expose().to_owned(),
            refresh_token: refresh.map(|r| r.expose().to_owned()),
        }
    }
}

impl Drop for StoredTokens {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.access_token.zeroize();
        if let Some(r) = &mut self.refresh_token {
            r.zeroize();
        }
    }
}

/// A Matrix account Keepwatch is signed in to.
pub struct MatrixAccount {
    client: MatrixClient,
    user_id: String,
    device_id: String,
    account_key: String,
    secrets: Secrets,
    geo: Arc<GeoShelf>,
    /// The access token, once read from the keyring or refreshed.
    access: Mutex<Option<AccessToken>>,
    /// One refresh at a time: a refresh token is spent by its first use.
    refresh_lock: tokio::sync::Mutex<()>,
    /// Devices listed without an address yet, and when Keepwatch first saw them so.
    settling: Mutex<std::collections::HashMap<String, DateTime<Utc>>>,
}

/// How long a new device may stay without an address before it is judged without one.
/// Servers list a device as soon as it signs in, but record its address and User-Agent only
/// with its first request (Synapse writes them out every few seconds): judged at once, an
/// intruder's device would look like an unknown device from nowhere, and a known browser
/// like an unknown one.
pub const SETTLING: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

impl std::fmt::Debug for MatrixAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixAccount")
            .field("base", &self.client.base_url().as_str())
            .field("user_id", &self.user_id)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

impl MatrixAccount {
    /// The account `user_id` on `client`'s homeserver, signed in as `device_id`, its tokens
    /// under `account_key` in `secrets`, addresses placed with what `geo` holds when they are listed.
    pub fn new(
        client: MatrixClient,
        user_id: impl Into<String>,
        device_id: impl Into<String>,
        account_key: impl Into<String>,
        secrets: Secrets,
        geo: Arc<GeoShelf>,
    ) -> Self {
        Self {
            client,
            user_id: user_id.into(),
            device_id: device_id.into(),
            account_key: account_key.into(),
            secrets,
            geo,
            access: Mutex::new(None),
            refresh_lock: tokio::sync::Mutex::new(()),
            settling: Mutex::new(Default::default()),
        }
    }

    /// Signs in to `client`'s homeserver as `user` with `password`, naming the device
    /// "Keepwatch on <host>", and stores the tokens under `account_key`. Returns the session
    /// the server made (its user and device IDs).
    pub async fn login(
        client: &MatrixClient,
        user: &str,
        password: &str,
        account_key: &str,
        secrets: &Secrets,
    ) -> Result<LoginSession> {
        let name = keepwatch_matrix::device_display_name(&keepwatch_matrix::local_host_name());
        let session = client
            .login_password(user, &Password::new(password.to_owned()), &name)
            .await
            .map_err(from_matrix)?;
        let tokens = StoredTokens::of(&session.access_token, session.refresh_token.as_ref());
        store(secrets, account_key, &tokens).await?;
        Ok(session)
    }

    /// The signed-in user, `@ann:example.org`.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Keepwatch's own device ID.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Every device of the account as a session, Keepwatch's own marked current.
    pub async fn sessions(&self) -> Result<SessionList> {
        let now = Utc::now();
        let found = self
            .authed(|token| async move {
                self.client
                    .sessions(&token, &self.user_id, &self.device_id)
                    .await
            })
            .await?;
        let geo = self.geo.current();
        let sessions = {
            let mut settling = lock(&self.settling);
            settling.retain(|id, _| found.devices.iter().any(|d| d.device.device_id == *id));
            found
                .devices
                .iter()
                .filter(|d| {
                    if d.is_current || d.device.last_seen_ip.is_some() {
                        settling.remove(&d.device.device_id);
                        return true;
                    }
                    let since = *settling.entry(d.device.device_id.clone()).or_insert(now);
                    now - since >= SETTLING
                })
                .map(|d| session_of(d, &geo, now))
                .collect()
        };
        Ok(SessionList {
            current_session_id: self.device_id.clone(),
            sessions,
        }
        .inert())
    }

    /// Signs out device `id`, confirmed with the account's `password`.
    pub async fn revoke(&self, id: &str, password: Option<&str>) -> Result<()> {
        if id == self.device_id {
            return Err(Error::CurrentSession);
        }
        let password = Password::new(password.ok_or(Error::PasswordRequired)?.to_owned());
        let found = self
            .authed(|token| async move { self.client.devices(&token).await })
            .await?;
        if !found.iter().any(|d| d.device_id == id) {
            return Err(Error::NotFound(format!("session {id}")));
        }
        self.authed(|token| {
            let password = &password;
            async move {
                self.client
                    .delete_device(&token, &self.user_id, password, id)
                    .await
            }
        })
        .await
    }

    /// Signs out every device but Keepwatch's own, confirmed with the account's `password`;
    /// returns how many.
    pub async fn revoke_others(&self, password: Option<&str>) -> Result<u32> {
        let password = Password::new(password.ok_or(Error::PasswordRequired)?.to_owned());
        let ended = self
            .authed(|token| {
                let password = &password;
                async move {
                    self.client
                        .delete_other_devices(&token, &self.user_id, password, &self.device_id)
                        .await
                }
            })
            .await?;
        Ok(u32::try_from(ended.len()).unwrap_or(u32::MAX))
    }

    /// Whether the last list left out a device still waiting for its address ([`SETTLING`]):
    /// list again in a few seconds.
    pub fn has_settling(&self) -> bool {
        !lock(&self.settling).is_empty()
    }

    /// One `/sync` long-poll after `since` (none: the first, which answers at once), held
    /// open up to `timeout`. Returns the token for the next one, and whether the account's
    /// devices changed meanwhile (one added, removed or renamed, or Element's client
    /// information for one), which calls for listing them again.
    pub async fn wait_for_changes(
        &self,
        since: Option<String>,
        timeout: std::time::Duration,
    ) -> Result<(String, bool)> {
        let update = self
            .authed(|token| {
                let since = since.clone();
                async move {
                    self.client
                        .sync(&token, &self.user_id, since.as_deref(), timeout)
                        .await
                }
            })
            .await?;
        let changed = update.own_devices_changed || !update.client_information_changed.is_empty();
        Ok((update.next_batch, changed))
    }

    /// Signs Keepwatch's device out (`POST /logout`).
    pub async fn logout(&self) -> Result<()> {
        self.authed(|token| async move { self.client.logout(&token).await })
            .await
    }

    /// The access token: in memory, else from the keyring.
    async fn token(&self) -> Result<AccessToken> {
        if let Some(token) = lock(&self.access).clone() {
            return Ok(token);
        }
        let tokens = self.stored().await?;
        let token = AccessToken::new(tokens.access_token.clone());
        *lock(&self.access) = Some(token.clone());
        Ok(token)
    }

    async fn stored(&self) -> Result<StoredTokens> {
        let raw = Zeroizing::new(
            self.secrets
                .get(&self.account_key)
                .await?
                .ok_or_else(|| Error::NoCredentials(self.account_key.clone()))?,
        );
        serde_json::from_str(&raw)
            .map_err(|_| Error::Keyring("the stored Matrix sign-in is not readable".into()))
    }

    /// Runs `call` with the access token; when the server no longer knows it, refreshes once
    /// (where a refresh token is kept) and runs it again. A device the server has ended is
    /// [`Error::SessionEnded`], so that history records it and the detector judges it.
    async fn authed<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: std::future::Future<Output = keepwatch_matrix::Result<T>>,
    {
        let token = self.token().await?;
        match call(token.clone()).await {
            Err(keepwatch_matrix::Error::UnknownToken { .. }) => {}
            other => return other.map_err(from_matrix),
        }
        let fresh = self.refresh(&token).await?;
        match call(fresh).await {
            Err(keepwatch_matrix::Error::UnknownToken { .. }) => Err(self.ended()),
            other => other.map_err(from_matrix),
        }
    }

    /// A new access token for one the server refused (`stale`), unless another call already
    /// got one.
    async fn refresh(&self, stale: &AccessToken) -> Result<AccessToken> {
        let _guard = self.refresh_lock.lock().await;
        if let Some(current) = lock(&self.access).clone() {
            if current.expose() != stale.expose() {
                return Ok(current);
            }
        }
        let stored = self.stored().await?;
        let Some(refresh) = stored.refresh_token.clone().map(RefreshToken::new) else {
            return Err(self.ended());
        };
        let refreshed = match self.client.refresh(&refresh).await {
            Ok(r) => r,
            Err(keepwatch_matrix::Error::UnknownToken { .. }) => return Err(self.ended()),
            Err(other) => return Err(from_matrix(other)),
        };
        // Stored before use: the old refresh token may already be spent on the server.
        let next_refresh = refreshed.refresh_token.as_ref().unwrap_or(&refresh);
        store(
            &self.secrets,
            &self.account_key,
            &StoredTokens::of(&refreshed.access_token, Some(next_refresh)),
        )
        .await?;
        *lock(&self.access) = Some(refreshed.access_token.clone());
        Ok(refreshed.access_token)
    }

    /// The server no longer knows Keepwatch's device: another session deleted it (Matrix
    /// does not say which), or the account's password was changed with "sign out others".
    fn ended(&self) -> Error {
        *lock(&self.access) = None;
        Error::SessionEnded(Revocation {
            reason: RevocationReason::RevokedBySession,
            by_session: None,
            event_id: None,
            ended_at: Utc::now(),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn store(secrets: &Secrets, key: &str, tokens: &StoredTokens) -> Result<()> {
    let json = Zeroizing::new(
        serde_json::to_string(tokens).map_err(|e| Error::Invalid(format!("tokens: {e}")))?,
    );
    secrets.set(key, &json).await
}

/// The core's error for a Matrix client error. Server-written messages are made inert.
pub(crate) fn from_matrix(e: keepwatch_matrix::Error) -> Error {
    use keepwatch_matrix::Error as M;
    match e {
        M::Network(m) => Error::Network(crate::inert::text(&m)),
        M::InvalidCredentials | M::UiaFailed { .. } => Error::InvalidCredentials,
        M::UnknownToken { .. } => Error::SignedOut,
        M::RateLimited { retry_after_ms } => Error::RateLimited {
            retry_after: retry_after_ms.map(std::time::Duration::from_millis),
        },
        M::InsecureUrl { host } => Error::InsecureUrl { host },
        other => Error::Refused(crate::inert::text(&other.to_string())),
    }
}

/// One Matrix device as a Keepwatch session. `now` stands in for what Matrix does not say:
/// when the device first signed in (history keeps its own first sighting) and a last-seen
/// time the server has not recorded yet.
pub fn session_of(d: &DeviceSession, geo: &GeoDb, now: DateTime<Utc>) -> Session {
    let last_seen = d
        .device
        .last_seen_ts
        .and_then(|ms| i64::try_from(ms).ok())
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .unwrap_or(now);
    let ip = d.device.last_seen_ip.clone().unwrap_or_default();
    let (location, network) = match ip.parse() {
        Ok(addr) => geo.lookup(addr),
        Err(_) => Default::default(),
    };
    Session {
        id: d.device.device_id.clone(),
        current: d.is_current,
        client: ClientKind::Web,
        remember_me: true,
        trusted_device: false,
        created_at: last_seen.min(now),
        last_active_at: last_seen,
        expires_at: never(),
        ip,
        device: device_of(d),
        network,
        location,
    }
}

/// What the device is: parsed from the User-Agent whois saw at its address, named by
/// Element's client information where the client publishes it, and by its display name
/// when nothing else is known.
fn device_of(d: &DeviceSession) -> Device {
    let user_agent = d
        .connection
        .as_ref()
        .and_then(|c| c.connection.user_agent.as_deref());
    let mut device = parser().parse(user_agent, ClientHints::default());
    if let Some(name) = d
        .client_information
        .as_ref()
        .and_then(|c| c.name.as_deref())
        .filter(|n| !n.trim().is_empty())
    {
        let version = d
            .client_information
            .as_ref()
            .and_then(|c| c.version.as_deref())
            .map(short_version);
        let app = match &version {
            Some(v) => format!("{name} {v}"),
            None => name.to_owned(),
        };
        device.label = match &device.os {
            Some(os) => format!("{app} on {os}"),
            None => app,
        };
        device.browser = Some(name.to_owned());
        device.browser_version = version;
    }
    // Nothing recognisable (no User-Agent, or one of a client the parser does not know, as
    // Keepwatch's own): the name the device's client gave it says more.
    if device.browser.is_none() && device.os.is_none() || device.label.trim().is_empty() {
        device.label = d
            .device
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("Matrix device {}", d.device.device_id));
    }
    device
}

/// "1.11.52" as "1.11": labels name a release line, as the User-Agent parser's do.
fn short_version(v: &str) -> String {
    v.split('.').take(2).collect::<Vec<_>>().join(".")
}
