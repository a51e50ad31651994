//! Test support: a real server on loopback with a manual clock and fixture geolocation, an
//! HTTP client, and a small Server-Sent Events reader.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures_util::StreamExt;
use keepwatch_api::{paths, ApiError, ErrorCode, TokenPair};
use keepwatch_geo::GeoDb;
use keepwatch_server::{start, ForwardedHeader, Limits, ManualClock, RunningServer, ServerConfig};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

pub const EMAIL: &str = "ann@example.com";
pub const PASSWORD: &str = "correct horse battery";

/// A Chrome-on-macOS User-Agent, the default for test requests.
pub const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

pub struct TestServer {
    pub server: RunningServer,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    pub base: String,
    /// Keeps the database and fixture files alive as long as the server.
    pub _dir: tempfile::TempDir,
}

pub struct Options {
    pub limits: Limits,
    pub trust_loopback: bool,
    pub forwarded_header: ForwardedHeader,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            limits: Limits::for_tests(),
            trust_loopback: true,
            forwarded_header: ForwardedHeader::XForwardedFor,
        }
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let files = keepwatch_geo::fixture::write_standard(dir.path()).unwrap();
        let geo = GeoDb::open(&files.city, &files.asn).unwrap();
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let server = start(ServerConfig {
            db_path: dir.path().join("server.sqlite"),
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            trusted_proxies: if options.trust_loopback {
                vec!["127.0.0.1/32".parse().unwrap()]
            } else {
                vec![]
            },
            forwarded_header: options.forwarded_header,
            geo: Arc::new(geo),
            clock: clock.clone(),
            limits: options.limits,
        })
        .await
        .unwrap();
        let base = server.base_url();
        Self {
            server,
            clock,
            client: reqwest::Client::new(),
            base,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    pub fn now(&self) -> chrono::DateTime<Utc> {
        keepwatch_server::Clock::now(&*self.clock)
    }

    /// Creates the standard test user; returns its TOTP secret and backup codes when asked.
    pub async fn user(&self, with_totp: bool) -> keepwatch_server::NewUser {
        self.server
            .add_user(EMAIL, PASSWORD, with_totp)
            .await
            .unwrap()
    }

    /// POST /v1/auth/login from `ip` (via X-Forwarded-For) with `ua`.
    pub async fn login_raw(&self, body: &Value, ip: Option<IpAddr>, ua: Option<&str>) -> Response {
        let mut req = self.client.post(self.url(paths::LOGIN)).json(body);
        if let Some(ip) = ip {
            req = req.header("x-forwarded-for", ip.to_string());
        }
        if let Some(ua) = ua {
            req = req.header("user-agent", ua);
        }
        req.send().await.unwrap()
    }

    /// Signs the test user in with a password only; panics unless it works.
    pub async fn login(&self) -> TokenPair {
        self.login_from(None, CHROME_MAC).await
    }

    pub async fn login_from(&self, ip: Option<IpAddr>, ua: &str) -> TokenPair {
        let resp = self.login_raw(&password_body(), ip, Some(ua)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{:?}", resp.text().await);
        resp.json().await.unwrap()
    }

    pub fn get(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(token)
    }

    pub fn post(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(token)
    }

    pub fn delete(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path)).bearer_auth(token)
    }

    pub fn put(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.put(self.url(path)).bearer_auth(token)
    }

    pub async fn sessions(&self, token: &str) -> keepwatch_api::SessionList {
        let resp = self.get(paths::SESSIONS, token).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    pub async fn events(&self, token: &str, after: u64) -> Vec<keepwatch_api::Event> {
        let resp = self
            .get(&format!("{}?after={after}&limit=500", paths::EVENTS), token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json::<keepwatch_api::EventList>()
            .await
            .unwrap()
            .events
    }
}

pub fn password_body() -> Value {
    json!({"email": EMAIL, "password": PASSWORD, "client": "web", "remember_me": true})
}

/// Asserts the status and an ApiError body with `code`; returns the response headers.
pub async fn expect_error(
    resp: Response,
    status: StatusCode,
    code: ErrorCode,
) -> reqwest::header::HeaderMap {
    let headers = resp.headers().clone();
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    let body: ApiError =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an ApiError ({e}): {text}"));
    assert_eq!(body.error, code, "body: {text}");
    assert!(!body.message.is_empty());
    headers
}

pub fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// One Server-Sent Events message.
#[derive(Debug, Clone, Default)]
pub struct SseMessage {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

/// Reads SSE messages from a response, skipping comments.
pub struct SseReader {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buf: String,
    pub comments: usize,
}

impl SseReader {
    pub fn new(resp: Response) -> Self {
        assert_eq!(resp.status(), StatusCode::OK);
        let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("text/event-stream"), "{ct}");
        Self {
            stream: resp.bytes_stream().boxed(),
            buf: String::new(),
            comments: 0,
        }
    }

    /// The next message, or None when the stream ends or `wait` passes.
    pub async fn next(&mut self, wait: Duration) -> Option<SseMessage> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(pos) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..pos + 2).collect();
                let mut msg = SseMessage::default();
                let mut has_field = false;
                for line in block.lines().filter(|l| !l.is_empty()) {
                    if line.starts_with(':') {
                        self.comments += 1;
                        continue;
                    }
                    let (field, value) = line
                        .split_once(':')
                        .map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
                    has_field = true;
                    match field {
                        "id" => msg.id = Some(value.to_owned()),
                        "event" => msg.event = Some(value.to_owned()),
                        "data" => {
                            if !msg.data.is_empty() {
                                msg.data.push('\n');
                            }
                            msg.data.push_str(value);
                        }
                        _ => {}
                    }
                }
                if has_field {
                    return Some(msg);
                }
            }
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(Some(Err(_))) | Ok(None) | Err(_) => return None,
            }
        }
    }

    /// Whether the stream ends (rather than idling) within `wait`.
    pub async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(Some(Err(_))) | Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }
}

/// Polls `check` until it is true or `wait` passes.
pub async fn eventually<F, Fut>(wait: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
