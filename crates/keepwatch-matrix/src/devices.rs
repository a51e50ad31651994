//! Sessions ("devices"): listing them with everything the server tells about each, and
//! signing them out with the password.
//!
//! Every text here (display names, User-Agents, client names and URLs) is raw, as the server
//! (or whoever signed in) wrote it: the core makes it inert (`keepwatch_core::inert`) before
//! anyone sees it.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde::Deserialize;

use crate::client::MatrixClient;
use crate::error::{Error, Result};
use crate::http::Body;
use crate::secret::{AccessToken, Password};

/// One device, as `GET /_matrix/client/v3/devices` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Device {
    /// The device ID.
    pub device_id: String,
    /// The name its owner (or its client) gave it.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The address it was last seen from.
    #[serde(default)]
    pub last_seen_ip: Option<String>,
    /// When it was last seen, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub last_seen_ts: Option<u64>,
}

/// One connection of `GET /_matrix/client/v3/admin/whois/{userId}`: an address, a time and
/// the User-Agent seen there. Servers do not say which device it was.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Connection {
    /// The address.
    #[serde(default)]
    pub ip: Option<String>,
    /// When, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub last_seen: Option<u64>,
    /// The User-Agent sent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// The client information Element publishes for its devices in account data
/// (`io.element.matrix_client_information.<device_id>`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientInformation {
    /// The client's name, e.g. `Element Desktop`.
    #[serde(default)]
    pub name: Option<String>,
    /// Its version, e.g. `1.11.52`.
    #[serde(default)]
    pub version: Option<String>,
    /// Where it runs from, e.g. `https://app.element.io/`.
    #[serde(default)]
    pub url: Option<String>,
}

/// The whois connection taken for a device, and how sure the match is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionMatch {
    /// The connection.
    pub connection: Connection,
    /// How many whois connections share the device's address: with one, the match is certain
    /// as far as the server's records go; with more, it is the nearest in time.
    pub candidates: usize,
    /// Milliseconds between the device's `last_seen_ts` and the connection's `last_seen`
    /// (0 when the server recorded both together), when both are known.
    pub time_gap_ms: Option<u64>,
}

/// Everything known about one session, each part from where the server gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSession {
    /// From `GET /devices`: ID, display name, last address and time.
    pub device: Device,
    /// Whether this is the device of the access token used (Keepwatch's own).
    pub is_current: bool,
    /// From `GET /admin/whois/{userId}`: the User-Agent seen at the device's address nearest
    /// its last-seen time, when the server allows whois and knows one.
    pub connection: Option<ConnectionMatch>,
    /// From account data `io.element.matrix_client_information.<device_id>`, where the
    /// device's client publishes it.
    pub client_information: Option<ClientInformation>,
}

/// Whether a source of [`Sessions`] could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Read.
    Read,
    /// The server refused it (some servers keep whois to administrators), with its error
    /// code; the sessions are complete without it.
    Unavailable(String),
}

/// The sessions of an account, as [`MatrixClient::sessions`] puts them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sessions {
    /// One per device, in the order the server listed them.
    pub devices: Vec<DeviceSession>,
    /// Whether whois could be read (User-Agents come from it).
    pub whois: Source,
}

#[derive(Deserialize)]
struct DeviceList {
    devices: Vec<Device>,
}

#[derive(Deserialize)]
struct Whois {
    #[serde(default)]
    devices: BTreeMap<String, WhoisDevice>,
}

#[derive(Deserialize)]
struct WhoisDevice {
    #[serde(default)]
    sessions: Vec<WhoisSession>,
}

#[derive(Deserialize)]
struct WhoisSession {
    #[serde(default)]
    connections: Vec<Connection>,
}

/// A user-interactive authentication challenge (a 401 with `flows`).
#[derive(Deserialize)]
struct UiaChallenge {
    session: Option<String>,
    #[serde(default)]
    flows: Vec<UiaFlow>,
}

#[derive(Deserialize)]
struct UiaFlow {
    #[serde(default)]
    stages: Vec<String>,
}

/// The account data type of Element's client information for `device_id`.
pub fn client_information_type(device_id: &str) -> String {
    format!("io.element.matrix_client_information.{device_id}")
}

/// Joins whois connections to a device: same address, nearest in time.
pub fn match_connection(device: &Device, connections: &[Connection]) -> Option<ConnectionMatch> {
    let ip = device.last_seen_ip.as_deref()?;
    let at_ip: Vec<&Connection> = connections
        .iter()
        .filter(|c| c.ip.as_deref() == Some(ip))
        .collect();
    let gap = |c: &Connection| match (device.last_seen_ts, c.last_seen) {
        (Some(a), Some(b)) => Some(a.abs_diff(b)),
        _ => None,
    };
    let best = at_ip
        .iter()
        .min_by_key(|c| (gap(c).unwrap_or(u64::MAX), c.user_agent.is_none()))?;
    Some(ConnectionMatch {
        connection: (*best).clone(),
        candidates: at_ip.len(),
        time_gap_ms: gap(best),
    })
}

impl MatrixClient {
    /// The account's devices (`GET /_matrix/client/v3/devices`).
    pub async fn devices(&self, token: &AccessToken) -> Result<Vec<Device>> {
        let list: DeviceList = self
            .http
            .get_json(Some(token), &["_matrix", "client", "v3", "devices"])
            .await?;
        Ok(list.devices)
    }

    /// The connections the server records for `user_id` (`GET /admin/whois/{userId}`, which
    /// servers allow on oneself), from every session it reports.
    pub async fn whois(&self, token: &AccessToken, user_id: &str) -> Result<Vec<Connection>> {
        let whois: Whois = self
            .http
            .get_json(
                Some(token),
                &["_matrix", "client", "v3", "admin", "whois", user_id],
            )
            .await?;
        Ok(whois
            .devices
            .into_values()
            .flat_map(|d| d.sessions)
            .flat_map(|s| s.connections)
            .collect())
    }

    /// Element's client information for `device_id`, from `user_id`'s account data; `None`
    /// when the device's client publishes none.
    pub async fn client_information(
        &self,
        token: &AccessToken,
        user_id: &str,
        device_id: &str,
    ) -> Result<Option<ClientInformation>> {
        let kind = client_information_type(device_id);
        let segments = [
            "_matrix",
            "client",
            "v3",
            "user",
            user_id,
            "account_data",
            &kind,
        ];
        match self.http.get_json(Some(token), &segments).await {
            Ok(info) => Ok(Some(info)),
            Err(Error::Matrix { errcode, .. }) if errcode == "M_NOT_FOUND" => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Every device of `user_id` with what whois and account data add to it;
    /// `current_device_id` marks Keepwatch's own. Whois that the server refuses is left out
    /// (see [`Sessions::whois`]); any other failure fails the call.
    pub async fn sessions(
        &self,
        token: &AccessToken,
        user_id: &str,
        current_device_id: &str,
    ) -> Result<Sessions> {
        let devices = self.devices(token).await?;
        let (connections, whois) = match self.whois(token, user_id).await {
            Ok(c) => (c, Source::Read),
            Err(Error::Matrix { errcode, .. }) => (Vec::new(), Source::Unavailable(errcode)),
            Err(other) => return Err(other),
        };
        let mut sessions = Vec::with_capacity(devices.len());
        for device in devices {
            let client_information = self
                .client_information(token, user_id, &device.device_id)
                .await?;
            sessions.push(DeviceSession {
                is_current: device.device_id == current_device_id,
                connection: match_connection(&device, &connections),
                client_information,
                device,
            });
        }
        Ok(Sessions {
            devices: sessions,
            whois,
        })
    }

    /// Signs out one device (`DELETE /devices/{deviceId}`), confirming with `user_id`'s
    /// password through user-interactive authentication. A wrong password is
    /// [`Error::UiaFailed`].
    pub async fn delete_device(
        &self,
        token: &AccessToken,
        user_id: &str,
        password: &Password,
        device_id: &str,
    ) -> Result<()> {
        let segments = ["_matrix", "client", "v3", "devices", device_id];
        self.with_password(token, user_id, password, Method::DELETE, &segments, None)
            .await
    }

    /// Signs out the devices `device_ids` (`POST /delete_devices`), confirming with the
    /// password.
    pub async fn delete_devices(
        &self,
        token: &AccessToken,
        user_id: &str,
        password: &Password,
        device_ids: &[String],
    ) -> Result<()> {
        let segments = ["_matrix", "client", "v3", "delete_devices"];
        let body = serde_json::json!({"devices": device_ids});
        self.with_password(
            token,
            user_id,
            password,
            Method::POST,
            &segments,
            Some(body),
        )
        .await
    }

    /// Signs out every device but `keep_device_id` (Keepwatch's own), confirming with the
    /// password; returns the device IDs signed out (none: no request made).
    pub async fn delete_other_devices(
        &self,
        token: &AccessToken,
        user_id: &str,
        password: &Password,
        keep_device_id: &str,
    ) -> Result<Vec<String>> {
        let others: Vec<String> = self
            .devices(token)
            .await?
            .into_iter()
            .map(|d| d.device_id)
            .filter(|id| id != keep_device_id)
            .collect();
        if !others.is_empty() {
            self.delete_devices(token, user_id, password, &others)
                .await?;
        }
        Ok(others)
    }

    /// Sends a request that needs user-interactive authentication: first without `auth`, to
    /// get the server's session and flows, then with a password stage in that session.
    async fn with_password(
        &self,
        token: &AccessToken,
        user_id: &str,
        password: &Password,
        method: Method,
        segments: &[&str],
        body: Option<serde_json::Value>,
    ) -> Result<()> {
        let object = |auth: Option<serde_json::Value>| {
            let mut map = match &body {
                Some(serde_json::Value::Object(m)) => m.clone(),
                _ => serde_json::Map::new(),
            };
            if let Some(auth) = auth {
                map.insert("auth".into(), auth);
            }
            Body(serde_json::Value::Object(map))
        };
        let url = self.http.url(segments)?;
        let first = self
            .http
            .send(
                method.clone(),
                url.clone(),
                Some(token),
                &[],
                Some(&object(None)),
                None,
            )
            .await?;
        if first.status.is_success() {
            return Ok(());
        }
        let challenge = match first.status {
            StatusCode::UNAUTHORIZED => first.json::<UiaChallenge>().ok(),
            _ => None,
        };
        // A 401 without flows is a bad token, not a challenge.
        let Some(challenge) = challenge.filter(|c| !c.flows.is_empty()) else {
            return Err(first.error());
        };
        if !challenge
            .flows
            .iter()
            .any(|f| f.stages == ["m.login.password"])
        {
            return Err(Error::UiaUnsupported {
                flows: challenge.flows.into_iter().map(|f| f.stages).collect(),
            });
        }
        let mut auth = serde_json::json!({
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password.expose(),
        });
        if let Some(session) = challenge.session {
            auth["session"] = serde_json::Value::String(session);
        }
        let second = self
            .http
            .send(
                method,
                url,
                Some(token),
                &[],
                Some(&object(Some(auth))),
                None,
            )
            .await?;
        if second.status.is_success() {
            return Ok(());
        }
        match second.error() {
            e @ (Error::UnknownToken { .. } | Error::RateLimited { .. }) => Err(e),
            _ if matches!(
                second.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ) =>
            {
                let body = second.matrix_error();
                Err(Error::UiaFailed {
                    errcode: body.as_ref().and_then(|b| b.errcode.clone()),
                    message: body.and_then(|b| b.error),
                })
            }
            other => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(ip: &str, ts: u64) -> Device {
        Device {
            device_id: "D".into(),
            display_name: None,
            last_seen_ip: Some(ip.into()),
            last_seen_ts: Some(ts),
        }
    }

    fn conn(ip: &str, ts: u64, ua: &str) -> Connection {
        Connection {
            ip: Some(ip.into()),
            last_seen: Some(ts),
            user_agent: Some(ua.into()),
        }
    }

    #[test]
    fn connections_join_by_address_then_nearest_time() {
        let connections = [
            conn("10.0.0.1", 1_000, "old"),
            conn("10.0.0.1", 5_000, "near"),
            conn("10.0.0.2", 5_100, "other address"),
        ];
        let m = match_connection(&device("10.0.0.1", 5_050), &connections).unwrap();
        assert_eq!(m.connection.user_agent.as_deref(), Some("near"));
        assert_eq!((m.candidates, m.time_gap_ms), (2, Some(50)));
        assert!(match_connection(&device("10.9.9.9", 5_000), &connections).is_none());
        let unseen = Device {
            last_seen_ip: None,
            ..device("10.0.0.1", 0)
        };
        assert!(match_connection(&unseen, &connections).is_none());
    }
}
