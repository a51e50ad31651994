//! Live changes: `/sync` long-polls, filtered down to device-list changes (and Element's
//! client information), so that a new sign-in is seen within seconds.

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;

use crate::client::MatrixClient;
use crate::devices::client_information_type;
use crate::error::Result;
use crate::secret::AccessToken;

/// The inline filter of every `/sync`: no rooms, no presence, and of account data only
/// Element's client information. Device-list changes are not filtered by any filter, so they
/// always arrive.
pub const SYNC_FILTER: &str = r#"{"room":{"rooms":[],"account_data":{"not_types":["*"]},"ephemeral":{"not_types":["*"]},"state":{"not_types":["*"]},"timeline":{"not_types":["*"],"limit":0}},"presence":{"not_types":["*"]},"account_data":{"types":["io.element.matrix_client_information.*"]}}"#;

/// What one `/sync` said that Keepwatch cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncUpdate {
    /// The token to pass as `since` next time.
    pub next_batch: String,
    /// Whether the own user ID is in `device_lists.changed`: a device was added, removed or
    /// renamed; list the devices again and compare.
    pub own_devices_changed: bool,
    /// Every user ID in `device_lists.changed` (raw).
    pub device_lists_changed: Vec<String>,
    /// Devices whose Element client information changed (from account data).
    pub client_information_changed: Vec<String>,
}

#[derive(Deserialize)]
struct SyncResponse {
    next_batch: String,
    #[serde(default)]
    device_lists: DeviceLists,
    #[serde(default)]
    account_data: AccountData,
}

#[derive(Default, Deserialize)]
struct DeviceLists {
    #[serde(default)]
    changed: Vec<String>,
}

#[derive(Default, Deserialize)]
struct AccountData {
    #[serde(default)]
    events: Vec<AccountDataEvent>,
}

#[derive(Deserialize)]
struct AccountDataEvent {
    #[serde(rename = "type")]
    kind: String,
}

impl MatrixClient {
    /// One `/sync` for `user_id`: returns at once without `since` (the first call, whose
    /// `next_batch` starts the loop), else as soon as something changed or after `timeout`.
    /// Hold the request open no longer than a minute or two; proxies cut long idle
    /// connections.
    pub async fn sync(
        &self,
        token: &AccessToken,
        user_id: &str,
        since: Option<&str>,
        timeout: Duration,
    ) -> Result<SyncUpdate> {
        let timeout_ms = timeout.as_millis().to_string();
        let mut query = vec![
            ("filter", SYNC_FILTER),
            ("timeout", timeout_ms.as_str()),
            ("set_presence", "offline"),
        ];
        if let Some(since) = since {
            query.push(("since", since));
        }
        let url = self.http.url(&["_matrix", "client", "v3", "sync"])?;
        // The long-poll's time on top of the usual request time.
        let request_timeout = timeout + Duration::from_secs(30);
        let answer = self
            .http
            .send(
                Method::GET,
                url,
                Some(token),
                &query,
                None,
                Some(request_timeout),
            )
            .await?
            .success()?;
        let response: SyncResponse = answer.json()?;
        let prefix = client_information_type("");
        Ok(SyncUpdate {
            next_batch: response.next_batch,
            own_devices_changed: response.device_lists.changed.iter().any(|u| u == user_id),
            device_lists_changed: response.device_lists.changed,
            client_information_changed: response
                .account_data
                .events
                .iter()
                .filter_map(|e| e.kind.strip_prefix(&prefix).map(str::to_owned))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_filter_is_json() {
        let filter: serde_json::Value = serde_json::from_str(super::SYNC_FILTER).unwrap();
        assert_eq!(filter["room"]["rooms"], serde_json::json!([]));
    }
}
