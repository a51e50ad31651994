//! What the app talks to in these tests: the reference server in-process on loopback with
//! fixture geolocation (trusting 127.0.0.1 as a proxy, so that sign-ins can come "from" fixture
//! addresses), and python3-dbusmock's notification server on the private session bus.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use keepwatch_api::{paths, ClientKind, LoginRequest, TokenPair};
use keepwatch_geo::GeoDb;
use keepwatch_server::{start, Limits, ManualClock, RunningServer, ServerConfig};

pub const EMAIL: &str = "ann@example.com";
pub const PASSWORD: &str = "correct horse battery";
/// The owner's browser.
pub const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
/// The intruder's.
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
/// Markup where a device name or note goes: must show as text.
pub const MARKUP: &str = "<img src=x onerror=alert(1)>";

pub fn fixture_ip(address: &str) -> IpAddr {
    address.parse().expect("a fixture address")
}

/// The reference server with one account.
pub struct AccountService {
    pub server: Option<RunningServer>,
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
}

impl AccountService {
    pub async fn start(dir: &Path) -> Self {
        let files = keepwatch_geo::fixture::write_standard(&dir.join("geo")).expect("geo fixtures");
        let geo = GeoDb::open(&files.city, &files.asn).expect("fixture geo opens");
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let server = start(ServerConfig {
            db_path: dir.join("server.sqlite"),
            listen: "127.0.0.1:0".parse().expect("an address"),
            tls: None,
            trusted_proxies: vec!["127.0.0.1/32".parse().expect("a network")],
            geo: Arc::new(geo),
            clock: clock.clone(),
            limits: Limits::for_tests(),
        })
        .await
        .expect("the reference server starts");
        server
            .add_user(EMAIL, PASSWORD, false)
            .await
            .expect("the account is created");
        Self {
            base: server.base_url(),
            server: Some(server),
            clock,
            http: reqwest::Client::new(),
        }
    }

    fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server is running")
    }

    /// Signs in as a browser would, from `ip` with `user_agent`, a minute after the last.
    pub async fn sign_in_from(&self, ip: IpAddr, user_agent: &str) -> TokenPair {
        self.clock.advance(chrono::TimeDelta::minutes(1));
        self.server()
            .sign_in_from(
                LoginRequest {
                    email: EMAIL.into(),
                    password: PASSWORD.into(),
                    totp_code: None,
                    backup_code: None,
                    remember_me: true,
                    client: ClientKind::Web,
                    trust_device: false,
                    device_token: None,
                },
                ip,
                Some(user_agent),
                None,
            )
            .await
            .expect("the browser signs in")
    }

    /// The session ids the holder of `token` sees, or `None` once its own session ended.
    pub async fn session_ids(&self, token: &str) -> Option<Vec<String>> {
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

    /// Adds an IP blocklist entry with `note`, as the holder of `token`.
    pub async fn block(&self, token: &str, cidr: &str, note: &str) {
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

    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}

/// python3-dbusmock's notification_daemon on the session bus; stopped on drop.
pub struct NotificationDaemon {
    child: Child,
    log: PathBuf,
}

fn name_has_owner(name: &str) -> bool {
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg("import dbus, sys; print(dbus.SessionBus().name_has_owner(sys.argv[1]))")
        .arg(name)
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}

impl NotificationDaemon {
    pub fn start(dir: &Path) -> Self {
        let log = dir.join("notifications.log");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "dbusmock", "--template", "notification_daemon", "-p"])
            .arg(r#"{"capabilities": "body actions"}"#)
            .arg("--logfile")
            .arg(&log)
            .stdout(Stdio::null())
            .spawn()
            .expect("python3-dbusmock runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !name_has_owner("org.freedesktop.Notifications") {
            assert!(
                Instant::now() < deadline,
                "the notification daemon never appeared on the bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, log }
    }

    /// The Notify calls logged so far.
    pub fn notify_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" Notify "))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
