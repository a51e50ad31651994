//! Password sign-in and token refresh.

use reqwest::Method;
use serde::Deserialize;

use crate::client::MatrixClient;
use crate::error::{Error, Result};
use crate::http::Body;
use crate::secret::{AccessToken, Password, RefreshToken};

/// What a sign-in gives: the device's identity and its tokens. Tokens are wiped on drop and
/// hidden from `Debug`.
#[derive(Debug, Clone, Deserialize)]
pub struct LoginSession {
    /// The signed-in user, `@ann:example.org`.
    pub user_id: String,
    /// The device the server made for this sign-in.
    pub device_id: String,
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, when the server issues them (Synapse does when asked); else the
    /// access token does not expire.
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
    /// How long the access token lives, in milliseconds, when it expires.
    #[serde(default)]
    pub expires_in_ms: Option<u64>,
}

/// What a refresh gives.
#[derive(Debug, Clone, Deserialize)]
pub struct Refreshed {
    /// The new access token.
    pub access_token: AccessToken,
    /// The new refresh token; `None` means keep using the old one.
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
    /// How long the new access token lives, in milliseconds.
    #[serde(default)]
    pub expires_in_ms: Option<u64>,
}

/// The display name Keepwatch gives its own device: `Keepwatch on <host>`.
pub fn device_display_name(host: &str) -> String {
    let host = host.trim();
    if host.is_empty() {
        "Keepwatch".to_owned()
    } else {
        format!("Keepwatch on {host}")
    }
}

/// This computer's host name, where the platform tells it without a system call (Linux's
/// `/proc`, `HOSTNAME`, Windows' `COMPUTERNAME`); empty when unknown.
pub fn local_host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

impl MatrixClient {
    /// Signs in with `m.login.password` as `user` (a localpart, `ann`, or a full user ID,
    /// `@ann:example.org`), naming the new device `device_name` (see [`device_display_name`])
    /// and asking for a refresh token.
    ///
    /// A wrong user name or password is [`Error::InvalidCredentials`].
    pub async fn login_password(
        &self,
        user: &str,
        password: &Password,
        device_name: &str,
    ) -> Result<LoginSession> {
        let body = Body(serde_json::json!({
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password.expose(),
            "initial_device_display_name": device_name,
            "refresh_token": true,
        }));
        let url = self.http.url(&["_matrix", "client", "v3", "login"])?;
        let answer = self
            .http
            .send(Method::POST, url, None, &[], Some(&body), None)
            .await?;
        match answer.success() {
            Ok(answer) => answer.json(),
            Err(Error::Matrix { errcode, .. }) if errcode == "M_FORBIDDEN" => {
                Err(Error::InvalidCredentials)
            }
            Err(other) => Err(other),
        }
    }

    /// Trades `refresh_token` for a new access token (`POST /_matrix/client/v3/refresh`).
    ///
    /// A refresh token that is no longer valid is [`Error::UnknownToken`] without
    /// `soft_logout`: one the server does not know (`M_UNKNOWN_TOKEN`: the device is gone), and
    /// one already spent (Synapse answers `M_FORBIDDEN` once the tokens it was traded for have
    /// been used). Either way the next step is to sign in again.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Refreshed> {
        let body = Body(serde_json::json!({"refresh_token": refresh_token.expose()}));
        let url = self.http.url(&["_matrix", "client", "v3", "refresh"])?;
        let answer = self
            .http
            .send(Method::POST, url, None, &[], Some(&body), None)
            .await?;
        match answer.success() {
            Ok(answer) => answer.json(),
            Err(Error::Matrix { errcode, .. }) if errcode == "M_FORBIDDEN" => {
                Err(Error::UnknownToken { soft_logout: false })
            }
            Err(other) => Err(other),
        }
    }

    /// Signs `token`'s device out (`POST /logout`): the device and its tokens end.
    pub async fn logout(&self, token: &AccessToken) -> Result<()> {
        let url = self.http.url(&["_matrix", "client", "v3", "logout"])?;
        let body = Body(serde_json::json!({}));
        self.http
            .send(Method::POST, url, Some(token), &[], Some(&body), None)
            .await?
            .success()
            .map(|_| ())
    }

    /// Who `token` belongs to (`GET /account/whoami`): the user ID and device ID.
    pub async fn whoami(&self, token: &AccessToken) -> Result<WhoAmI> {
        self.http
            .get_json(
                Some(token),
                &["_matrix", "client", "v3", "account", "whoami"],
            )
            .await
    }
}

/// The answer of [`MatrixClient::whoami`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WhoAmI {
    /// The user.
    pub user_id: String,
    /// The device, when the token belongs to one.
    #[serde(default)]
    pub device_id: Option<String>,
}
