//! Test support: the Secret Service check, and small misbehaving HTTP servers on real loopback
//! sockets (for what the reference server never does: garbage, stalls, drops, 429 storms).
#![allow(dead_code)]

pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keepwatch_api::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the raw server read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When the request was read in full.
    pub at: std::time::Instant,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the raw server does with one request.
pub enum Reply {
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Write each chunk after its delay, then close.
    Chunks(Vec<(Duration, Vec<u8>)>),
    /// Say nothing for this long, then close.
    Stall(Duration),
}

pub type Handler = Arc<dyn Fn(&RawRequest, &[RawRequest]) -> Reply + Send + Sync>;

/// A one-request-per-connection HTTP/1.1 server that answers whatever its handler says.
pub struct RawServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub async fn start(handler: Handler) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = serve(socket, handler, log).await;
                });
            }
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests_to(&self, path: &str) -> Vec<RawRequest> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.split('?').next() == Some(path))
            .cloned()
            .collect()
    }
}

async fn serve(
    mut socket: TcpStream,
    handler: Handler,
    log: Arc<Mutex<Vec<RawRequest>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let request = RawRequest {
        method,
        path,
        headers,
        body,
        at: std::time::Instant::now(),
    };
    let reply = {
        let mut log = log.lock().unwrap();
        let reply = handler(&request, &log);
        log.push(request);
        reply
    };
    match reply {
        Reply::Raw(bytes) => socket.write_all(&bytes).await?,
        Reply::Chunks(chunks) => {
            for (delay, bytes) in chunks {
                tokio::time::sleep(delay).await;
                socket.write_all(&bytes).await?;
                socket.flush().await?;
            }
        }
        Reply::Stall(d) => tokio::time::sleep(d).await,
    }
    socket.shutdown().await
}

/// A complete response with a JSON body.
pub fn json_reply(status: u16, extra_headers: &[(&str, &str)], body: &serde_json::Value) -> Reply {
    let body = serde_json::to_vec(body).unwrap();
    Reply::Raw(response(status, "application/json", extra_headers, &body))
}

/// Raw response bytes.
pub fn response(
    status: u16,
    content_type: &str,
    extra_headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (n, v) in extra_headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// The head of an event stream; the body follows in chunks and ends when the socket closes.
pub fn stream_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n".to_vec()
}

/// One SSE message for `event`.
pub fn sse_event(event: &Event) -> Vec<u8> {
    format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        event.id,
        event.kind.as_str(),
        serde_json::to_string(event).unwrap()
    )
    .into_bytes()
}

pub fn token_pair(n: u32) -> serde_json::Value {
    serde_json::json!({
        "access_token": format!("access-{n}"),
        "refresh_token": format!("refresh-{n}"),
        "token_type": "Bearer",
        "expires_in": 900,
        "session_id": "own",
    })
}

pub fn api_error(status: u16, code: &str, message: &str) -> Reply {
    json_reply(
        status,
        &[],
        &serde_json::json!({"error": code, "message": message}),
    )
}

pub fn session(id: &str, city: &str, country: &str, code: &str, device: &str) -> Session {
    let now = chrono::Utc::now();
    Session {
        id: id.into(),
        current: id == "own",
        client: ClientKind::Web,
        remember_me: true,
        trusted_device: false,
        created_at: now,
        last_active_at: now,
        expires_at: now + chrono::TimeDelta::days(30),
        ip: "192.0.2.10".into(),
        device: Device {
            label: device.into(),
            browser: None,
            browser_version: None,
            os: None,
            os_version: None,
            device_type: DeviceType::Desktop,
            user_agent: None,
        },
        network: Network {
            asn: Some(64500),
            isp: Some("Example ISP".into()),
        },
        location: Location {
            city: Some(city.into()),
            country: Some(country.into()),
            country_code: Some(code.into()),
            ..Default::default()
        },
    }
}

pub fn session_list(sessions: Vec<Session>) -> serde_json::Value {
    serde_json::to_value(SessionList {
        current_session_id: "own".into(),
        sessions,
    })
    .unwrap()
}

pub fn empty_events(after: u64) -> serde_json::Value {
    serde_json::to_value(EventList {
        events: vec![],
        cursor: after,
        has_more: false,
    })
    .unwrap()
}

/// Polls `f` until it is true or `deadline` passes.
pub async fn eventually(deadline: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = tokio::time::Instant::now() + deadline;
    while tokio::time::Instant::now() < end {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    f()
}
