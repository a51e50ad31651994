//! The reference server in-process on loopback, with fixture geolocation, and a browser that
//! signs in "from" other places through `X-Forwarded-For` (the server trusts 127.0.0.1).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use keepwatch_api::{paths, ClientKind, LoginRequest, SessionList, TokenPair};
use keepwatch_geo::fixture::FixtureRecord;
use keepwatch_geo::GeoDb;
use keepwatch_server::{start, Limits, ManualClock, RunningServer, ServerConfig};

/// The test account's email.
pub const EMAIL: &str = "ann@example.com";
/// The test account's password.
pub const PASSWORD: &str = "correct horse battery";

/// Chrome 124 on macOS: the owner's browser.
pub const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
/// Chrome 124 on Windows: the intruder's.
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/// A fixture address constant as an [`IpAddr`].
pub fn ip(fixture: impl ToString) -> IpAddr {
    fixture
        .to_string()
        .parse()
        .expect("fixture addresses parse")
}

/// An address the fixtures place in Berlin, Germany (Deutsche Telekom).
pub fn berlin() -> IpAddr {
    ip(keepwatch_geo::fixture::BERLIN_V4)
}

/// An address the fixtures place in São Paulo, Brazil (Claro).
pub fn sao_paulo() -> IpAddr {
    ip(keepwatch_geo::fixture::SAO_PAULO_V4)
}

/// A reference server with one account ([`EMAIL`], [`PASSWORD`], no 2FA), fixture geolocation,
/// a manual clock, and a scratch folder for the client under test.
pub struct World {
    /// The server, until [`World::stop_server`].
    pub server: Option<RunningServer>,
    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub base: String,
    /// The server's clock.
    pub clock: Arc<ManualClock>,
    /// Scratch folder: the server's database, the geo fixtures, the client's data.
    pub dir: tempfile::TempDir,
    /// A plain HTTP client, for acting as other browsers.
    pub http: reqwest::Client,
}

impl World {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Self {
        Self::start_with_places(&[]).await
    }

    /// Starts the server on a free loopback port, its geolocation knowing `places` besides the
    /// standard world: networks outside the standard blocks, with whatever city and ISP names a
    /// test needs (a hostile geolocation database, say).
    pub async fn start_with_places(places: &[FixtureRecord]) -> Self {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let mut files = keepwatch_geo::fixture::write_standard(dir.path()).expect("geo fixtures");
        if !places.is_empty() {
            let city = dir.path().join("test-extra-city.mmdb");
            let asn = dir.path().join("test-extra-asn.csv");
            keepwatch_geo::fixture::write_city_dbip(&city, places).expect("extra city fixture");
            keepwatch_geo::fixture::write_asn_csv(&asn, places).expect("extra ASN fixture");
            files.city.push(city);
            files.asn.push(asn);
        }
        let geo = GeoDb::open(&files.city, &files.asn).expect("the geo fixtures open");
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let server = start(ServerConfig {
            db_path: dir.path().join("server.sqlite"),
            listen: "127.0.0.1:0".parse().expect("a loopback address"),
            tls: None,
            trusted_proxies: vec!["127.0.0.1/32".parse().expect("a range")],
            forwarded_header: keepwatch_server::ForwardedHeader::XForwardedFor,
            geo: Arc::new(geo),
            clock: clock.clone(),
            limits: Limits::for_tests(),
        })
        .await
        .expect("the reference server starts");
        server
            .add_user(EMAIL, PASSWORD, false)
            .await
            .expect("the test account");
        Self {
            base: server.base_url(),
            server: Some(server),
            clock,
            dir,
            http: reqwest::Client::new(),
        }
    }

    /// The running server; panics after [`World::stop_server`].
    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server was stopped")
    }

    /// Where the client under test keeps its data.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("keepwatch")
    }

    /// The account id Keepwatch gives the test account (also its keyring user name).
    pub fn account_id(&self) -> String {
        let authority = self
            .base
            .trim_start_matches("http://")
            .trim_end_matches('/');
        format!("{EMAIL}@{authority}")
    }

    /// A browser sign-in over HTTP from `from` with `user_agent`, a minute after whatever
    /// happened before (people do not sign in twice in the same microsecond). The User-Agent
    /// goes out as its UTF-8 bytes, as a hostile client may send it.
    pub async fn browser_login(&self, from: IpAddr, user_agent: &str) -> TokenPair {
        self.browser_login_as(EMAIL, PASSWORD, from, user_agent)
            .await
    }

    /// [`World::browser_login`] only seconds after whatever happened before, for tests that
    /// sign many in while a client's own short deadlines must not pass.
    pub async fn browser_login_soon(&self, from: IpAddr, user_agent: &str) -> TokenPair {
        self.login_after(
            chrono::TimeDelta::seconds(5),
            EMAIL,
            PASSWORD,
            from,
            user_agent,
        )
        .await
    }

    /// [`World::browser_login`] to another account of the server.
    pub async fn browser_login_as(
        &self,
        email: &str,
        password: &str,
        from: IpAddr,
        user_agent: &str,
    ) -> TokenPair {
        self.login_after(
            chrono::TimeDelta::minutes(1),
            email,
            password,
            from,
            user_agent,
        )
        .await
    }

    async fn login_after(
        &self,
        step: chrono::TimeDelta,
        email: &str,
        password: &str,
        from: IpAddr,
        user_agent: &str,
    ) -> TokenPair {
        let user_agent = reqwest::header::HeaderValue::from_bytes(user_agent.as_bytes())
            .expect("a User-Agent without control characters");
        self.clock.advance(step);
        let response = self
            .http
            .post(format!("{}{}", self.base, paths::LOGIN))
            .header("x-forwarded-for", from.to_string())
            .header("user-agent", user_agent)
            .json(&LoginRequest {
                email: email.into(),
                password: password.into(),
                totp_code: None,
                backup_code: None,
                remember_me: true,
                client: ClientKind::Web,
                trust_device: false,
                device_token: None,
            })
            .send()
            .await
            .expect("the sign-in request");
        assert!(
            response.status().is_success(),
            "{:?}",
            response.text().await
        );
        response.json().await.expect("a token pair")
    }

    /// The server's session ids, as seen by the holder of `token`.
    pub async fn server_session_ids(&self, token: &str) -> Vec<String> {
        let list: SessionList = self
            .http
            .get(format!("{}{}", self.base, paths::SESSIONS))
            .bearer_auth(token)
            .send()
            .await
            .expect("the sessions request")
            .json()
            .await
            .expect("a session list");
        list.sessions
            .into_iter()
            .map(|session| session.id)
            .collect()
    }

    /// Shuts the server down gracefully, as if the provider went offline.
    pub async fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Forgets the test account's keyring entry (tests clean up after themselves).
    pub fn forget_keyring(&self) {
        forget_keyring(&self.account_id());
    }
}

/// Forgets the keyring entry of `account_id`.
pub fn forget_keyring(account_id: &str) {
    if let Ok(entry) = keyring::Entry::new("keepwatch", account_id) {
        let _ = entry.delete_credential();
    }
}
