//! What the app talks to in these tests: the project's shared fixture world (`keepwatch-testkit`:
//! the reference server on loopback, trusting 127.0.0.1 as a proxy so that sign-ins can come
//! "from" fixture addresses, and python3-dbusmock's notification server on the private bus).

use keepwatch_api::paths;
pub use keepwatch_testkit::*;

/// Markup where a device name or note goes: must show as text.
pub const MARKUP: &str = "<img src=x onerror=alert(1)>";

/// What the e2e tests ask of the account service beyond the shared [`World`].
pub trait E2eWorld {
    /// The session ids the holder of `token` sees, or `None` once its own session ended.
    async fn session_ids(&self, token: &str) -> Option<Vec<String>>;
    /// Adds an IP blocklist entry with `note`, as the holder of `token`.
    async fn block(&self, token: &str, cidr: &str, note: &str);
}

impl E2eWorld for World {
    async fn session_ids(&self, token: &str) -> Option<Vec<String>> {
        let resp = self
            .http
            .get(format!("{}{}", self.base, paths::SESSIONS))
            .bearer_auth(token)
            .send()
            .await
            .expect("the server answers");
        if resp.status() == reqwest::StatusCode::UNAUTHORIZED {
            return None;
        }
        let list: keepwatch_api::SessionList = resp.json().await.expect("a session list");
        Some(list.sessions.into_iter().map(|s| s.id).collect())
    }

    async fn block(&self, token: &str, cidr: &str, note: &str) {
        let resp = self
            .http
            .post(format!("{}{}", self.base, paths::IP_BLOCKLIST))
            .bearer_auth(token)
            .json(&serde_json::json!({ "address": cidr, "note": note }))
            .send()
            .await
            .expect("the server answers");
        assert!(resp.status().is_success(), "{:?}", resp.text().await);
    }
}
