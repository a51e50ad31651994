//! The reference server in-process on loopback, with fixture geolocation, and a browser that
//! signs in "from" other places through `X-Forwarded-For` (the server trusts 127.0.0.1).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use keepwatch_api::{paths, ClientKind, LoginRequest, TokenPair};
use keepwatch_core::client::ClientOptions;
use keepwatch_core::config::DataDirs;
use keepwatch_core::secrets::Secrets;
use keepwatch_core::{Keepwatch, LoginParams};
use keepwatch_geo::GeoDb;
use keepwatch_server::{start, Limits, ManualClock, RunningServer, ServerConfig};

pub const EMAIL: &str = "ann@example.com";
pub const PASSWORD: &str = "correct horse battery";

/// Chrome 124 on macOS: the owner's browser.
pub const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
/// Chrome 124 on Windows: the intruder's.
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

pub fn ip(fixture: impl ToString) -> IpAddr {
    fixture.to_string().parse().unwrap()
}

pub fn berlin() -> IpAddr {
    ip(keepwatch_geo::fixture::BERLIN_V4)
}

pub fn sao_paulo() -> IpAddr {
    ip(keepwatch_geo::fixture::SAO_PAULO_V4)
}

pub struct World {
    pub server: Option<RunningServer>,
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
}

impl World {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let files = keepwatch_geo::fixture::write_standard(dir.path()).unwrap();
        let geo = GeoDb::open(&files.city, &files.asn).unwrap();
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let server = start(ServerConfig {
            db_path: dir.path().join("server.sqlite"),
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            geo: Arc::new(geo),
            clock: clock.clone(),
            limits: Limits::for_tests(),
        })
        .await
        .unwrap();
        server.add_user(EMAIL, PASSWORD, false).await.unwrap();
        Self {
            base: server.base_url(),
            server: Some(server),
            clock,
            dir,
            http: reqwest::Client::new(),
        }
    }

    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().unwrap()
    }

    /// Where Keepwatch keeps its data in this test.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("keepwatch")
    }

    /// A Keepwatch instance on this test's data folder, as if the app had been restarted.
    pub fn keepwatch(&self) -> Keepwatch {
        Keepwatch::with_parts(
            DataDirs::single(self.data_dir()),
            Secrets::keyring(),
            ClientOptions {
                request_timeout: Duration::from_secs(5),
                ..Default::default()
            },
        )
        .unwrap()
    }

    pub fn login_params(&self, trust_existing: bool) -> LoginParams {
        LoginParams {
            server: self.base.clone(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
            totp_code: None,
            backup_code: None,
            trust_existing,
            ca_cert: None,
        }
    }

    /// A browser sign-in over HTTP from `from` with `user_agent`, a minute after whatever
    /// happened before (people do not sign in twice in the same microsecond).
    pub async fn browser_login(&self, from: IpAddr, user_agent: &str) -> TokenPair {
        self.clock.advance(chrono::TimeDelta::minutes(1));
        let resp = self
            .http
            .post(format!("{}{}", self.base, paths::LOGIN))
            .header("x-forwarded-for", from.to_string())
            .header("user-agent", user_agent)
            .json(&LoginRequest {
                email: EMAIL.into(),
                password: PASSWORD.into(),
                totp_code: None,
                backup_code: None,
                remember_me: true,
                client: ClientKind::Web,
                trust_device: false,
                device_token: None,
            })
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{:?}", resp.text().await);
        resp.json().await.unwrap()
    }

    /// The server's session ids, as seen by the holder of `token`.
    pub async fn server_session_ids(&self, token: &str) -> Vec<String> {
        let list: keepwatch_api::SessionList = self
            .http
            .get(format!("{}{}", self.base, paths::SESSIONS))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list.sessions.into_iter().map(|s| s.id).collect()
    }

    pub async fn stop_server(&mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }
}

/// Forgets the keyring entry of `account_id` (tests clean up after themselves).
pub fn forget_keyring(account_id: &str) {
    if let Ok(e) = keyring::Entry::new("keepwatch", account_id) {
        let _ = e.delete_credential();
    }
}
