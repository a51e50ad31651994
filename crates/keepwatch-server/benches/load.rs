//! Load benchmark of the reference server: event-stream capacity and a sign-in storm.
//!
//! Run it with `cargo bench -p keepwatch-server --bench load` (release build), or quicker to
//! build with `cargo bench -p keepwatch-server --bench load --profile dev` (dependencies,
//! Argon2 among them, are optimised in the dev profile too). It is bounded in count and time
//! (every phase has a deadline; the whole run takes well under two minutes) and talks only
//! to loopback. It is not a test: it prints figures and asserts nothing about time.
//!
//! Method:
//! - The server is the built `keepwatch-server` binary, run as a child process with
//!   `serve --trust-proxy 127.0.0.1` and the production [`Limits::default`] (stream caps,
//!   sign-in rate limit, hashing pool) and the recommended Argon2id cost (19 MiB, 2 passes,
//!   1 lane). Its memory is read from `/proc/<child>/status` (`VmRSS`, `VmHWM`), so the
//!   figures are the server's alone, not this client's. Memory per stream is the growth of
//!   `VmRSS` from just before the streams open (after the sign-ins, whose freed Argon2 blocks
//!   the allocator keeps) to just after, divided by the streams.
//! - One account is created with `add-user --password-stdin`. 125 sessions sign in, each
//!   "from" its own address (`X-Forwarded-For`, believed from loopback), and each opens 8
//!   streams (the per-session cap): 1,000 streams, each its own HTTP/1.1 connection.
//! - Five sign-ins follow, one at a time; each `session_created` event must reach every
//!   stream. Latency is measured from the start of the sign-in request (so it includes one
//!   Argon2 verification) to the event's arrival on each stream.
//! - Then 500 sign-ins are sent at once, from 500 addresses, while the 1,000 streams stay
//!   open: latency of those that succeed (p50, p99), and how many got 503 `unavailable`
//!   from the bounded hashing pool. A health request (`GET /openapi.json`) must succeed after.
//! - Finally every stream must have received every event from the first after it opened to
//!   the last one stored, each exactly once and in order: delivered, lost and duplicates.
//!
//! [`Limits::default`]: keepwatch_server::Limits

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{stream, StreamExt};
use serde_json::{json, Value};

const EMAIL: &str = "load@example.com";
const PASSWORD: &str = "load-bench-password";
const SESSIONS: usize = 125;
const STREAMS_PER_SESSION: usize = 8;
const TRIGGERS: usize = 5;
const STORM: usize = 500;

/// What one stream received: event ids with their arrival time and the session they name.
type Received = Arc<Mutex<Vec<(u64, Instant, Option<String>)>>>;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Threads of the server process.
    fn threads(&self) -> u64 {
        self.memory_field("Threads:")
    }

    fn memory_field(&self, name: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// `(VmRSS, VmHWM)` of the server process, in KiB.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

fn start_server(dir: &std::path::Path) -> Server {
    let bin = env!("CARGO_BIN_EXE_keepwatch-server");
    let db = dir.join("load.sqlite");
    let mut add = Command::new(bin)
        .args(["add-user", "--db"])
        .arg(&db)
        .args(["--email", EMAIL, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("running keepwatch-server add-user");
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success(), "add-user failed");
    let mut child = Command::new(bin)
        .args(["serve", "--db"])
        .arg(&db)
        .args(["--listen", "127.0.0.1:0", "--trust-proxy", "127.0.0.1"])
        .env("RUST_LOG", "error")
        .stderr(Stdio::piped())
        .spawn()
        .expect("running keepwatch-server serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before listening")
            .unwrap();
        if let Some(url) = line.split("listening on ").nth(1) {
            break url.trim().to_owned();
        }
    };
    // Keep draining the server's log so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server { child, base }
}

fn address(group: u8, i: usize) -> String {
    format!("10.{group}.{}.{}", i / 250, i % 250 + 1)
}

/// Signs in from `ip`; `(status, elapsed, body)`.
async fn sign_in(client: &reqwest::Client, base: &str, ip: &str) -> (u16, Duration, Option<Value>) {
    let started = Instant::now();
    let resp = client
        .post(format!("{base}/v1/auth/login"))
        .header("x-forwarded-for", ip)
        .json(&json!({"email": EMAIL, "password": PASSWORD, "client": "desktop", "remember_me": true}))
        .send()
        .await;
    match resp {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let body = resp.json::<Value>().await.ok();
            (status, started.elapsed(), body)
        }
        Err(_) => (0, started.elapsed(), None),
    }
}

/// Signs in, waiting out 503s; the access token.
async fn session(client: &reqwest::Client, base: &str, ip: &str) -> String {
    for _ in 0..50 {
        let (status, _, body) = sign_in(client, base, ip).await;
        if status == 200 {
            return body.unwrap()["access_token"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not sign in from {ip}");
}

/// Opens one stream and records what it receives until `stop`.
async fn hold_stream(
    client: reqwest::Client,
    url: String,
    token: String,
    ip: String,
    received: Received,
    opened: tokio::sync::mpsc::Sender<bool>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let resp = client
        .get(url)
        .bearer_auth(token)
        .header("x-forwarded-for", ip)
        .send()
        .await;
    let resp = match resp {
        Ok(r) if r.status() == 200 => r,
        _ => {
            let _ = opened.send(false).await;
            return;
        }
    };
    let _ = opened.send(true).await;
    let mut body = resp.bytes_stream();
    let mut buf = String::new();
    loop {
        tokio::select! {
            chunk = body.next() => match chunk {
                Some(Ok(chunk)) => {
                    let now = Instant::now();
                    buf.push_str(&String::from_utf8_lossy(&chunk));
                    while let Some(end) = buf.find("\n\n") {
                        let block: String = buf.drain(..end + 2).collect();
                        let mut id = None;
                        let mut data = String::new();
                        for line in block.lines() {
                            if let Some(v) = line.strip_prefix("id:") {
                                id = v.trim().parse::<u64>().ok();
                            } else if let Some(v) = line.strip_prefix("data:") {
                                data.push_str(v.trim_start());
                            }
                        }
                        if let Some(id) = id {
                            let session = serde_json::from_str::<Value>(&data)
                                .ok()
                                .and_then(|v| v["session"]["id"].as_str().map(str::to_owned));
                            received.lock().unwrap().push((id, now, session));
                        }
                    }
                }
                _ => return,
            },
            _ = stop.changed() => return,
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

async fn last_event_id(client: &reqwest::Client, base: &str, token: &str) -> u64 {
    let mut after = 0;
    loop {
        let page: Value = client
            .get(format!("{base}/v1/events?after={after}&limit=500"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        after = page["cursor"].as_u64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            return after;
        }
    }
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(dir.path());
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let (rss_idle, _) = server.memory();
    println!(
        "server: {base} (child process {}), idle VmRSS {} KiB",
        server.child.id(),
        rss_idle
    );

    // 1. Sessions, then 1,000 streams.
    let started = Instant::now();
    let tokens: Vec<String> = stream::iter(0..SESSIONS)
        .map(|i| {
            let (client, base) = (client.clone(), base.clone());
            async move { session(&client, &base, &address(1, i)).await }
        })
        .buffered(4)
        .collect()
        .await;
    // The baseline for memory per stream is taken here, after the sign-ins: Argon2's 19 MiB
    // blocks stay in the allocator's arenas once freed, and are not the streams' doing.
    let (rss_before_streams, _) = server.memory();
    println!(
        "{SESSIONS} sessions signed in in {:.1} s; VmRSS {rss_before_streams} KiB",
        started.elapsed().as_secs_f64()
    );
    let base_id = last_event_id(&client, &base, &tokens[0]).await;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (opened_tx, mut opened_rx) = tokio::sync::mpsc::channel(STREAMS_PER_SESSION * SESSIONS);
    let mut all: Vec<Received> = Vec::new();
    let mut tasks = Vec::new();
    let started = Instant::now();
    for (i, token) in tokens.iter().enumerate() {
        for _ in 0..STREAMS_PER_SESSION {
            let received: Received = Arc::default();
            all.push(received.clone());
            tasks.push(tokio::spawn(hold_stream(
                client.clone(),
                format!("{base}/v1/events/stream"),
                token.clone(),
                address(1, i),
                received,
                opened_tx.clone(),
                stop_rx.clone(),
            )));
        }
    }
    let (mut open, mut refused) = (0, 0);
    while open + refused < all.len() {
        match tokio::time::timeout(Duration::from_secs(60), opened_rx.recv()).await {
            Ok(Some(true)) => open += 1,
            Ok(Some(false)) => refused += 1,
            _ => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss_streams, _) = server.memory();
    println!(
        "streams: {open} open, {refused} refused, in {:.1} s; VmRSS {} KiB, {:.1} KiB per stream, \
         {} server threads",
        started.elapsed().as_secs_f64(),
        rss_streams,
        (rss_streams.saturating_sub(rss_before_streams)) as f64 / open.max(1) as f64,
        server.threads()
    );

    // 2. Single sign-ins: each event must reach every stream.
    let mut fanout = Vec::new();
    for k in 0..TRIGGERS {
        let t0 = Instant::now();
        let (status, _, body) = sign_in(&client, &base, &address(3, k)).await;
        assert_eq!(status, 200, "trigger sign-in failed");
        let session_id = body.unwrap()["session_id"].as_str().unwrap().to_owned();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let arrived: Vec<Duration> = all
                .iter()
                .filter_map(|r| {
                    r.lock()
                        .unwrap()
                        .iter()
                        .find(|(_, _, s)| s.as_deref() == Some(session_id.as_str()))
                        .map(|(_, at, _)| at.duration_since(t0))
                })
                .collect();
            if arrived.len() == open || Instant::now() > deadline {
                fanout.push(arrived);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    for (k, arrived) in fanout.iter_mut().enumerate() {
        arrived.sort();
        println!(
            "sign-in event {}: reached {}/{open} streams, p50 {}, max {}",
            k + 1,
            arrived.len(),
            ms(percentile(arrived, 0.5)),
            ms(arrived.last().copied().unwrap_or_default())
        );
    }

    // 3. The storm, with the streams still open.
    let started = Instant::now();
    let results: Vec<(u16, Duration, Option<Value>)> =
        futures_util::future::join_all((0..STORM).map(|i| {
            let (client, base) = (client.clone(), base.clone());
            async move { sign_in(&client, &base, &address(2, i)).await }
        }))
        .await;
    let wall = started.elapsed();
    let mut by_status: HashMap<u16, usize> = HashMap::new();
    let mut ok: Vec<Duration> = Vec::new();
    let mut busy: Vec<Duration> = Vec::new();
    for (status, took, _) in &results {
        *by_status.entry(*status).or_default() += 1;
        match status {
            200 => ok.push(*took),
            503 => busy.push(*took),
            _ => {}
        }
    }
    ok.sort();
    busy.sort();
    let mut statuses: Vec<_> = by_status.into_iter().collect();
    statuses.sort();
    println!(
        "storm: {STORM} sign-ins at once, done in {:.1} s; statuses {statuses:?}",
        wall.as_secs_f64()
    );
    println!(
        "storm: signed in {}: p50 {}, p99 {}; refused with 503: {} (p50 {}, max {})",
        ok.len(),
        ms(percentile(&ok, 0.5)),
        ms(percentile(&ok, 0.99)),
        busy.len(),
        ms(percentile(&busy, 0.5)),
        ms(busy.last().copied().unwrap_or_default())
    );
    let t0 = Instant::now();
    let health = client
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    println!(
        "health after the storm: GET /openapi.json -> {health} in {}",
        ms(t0.elapsed())
    );

    // 4. Every stream got every event, once, in order.
    let last = last_event_id(&client, &base, &tokens[0]).await;
    let expected = (last - base_id) as usize;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline
        && all
            .iter()
            .any(|r| r.lock().unwrap().last().map_or(0, |e| e.0) < last)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, hwm) = server.memory();
    let (rss_end, _) = server.memory();
    let _ = stop_tx.send(true);
    let (mut delivered, mut duplicates, mut lost, mut out_of_order) =
        (0usize, 0usize, 0usize, 0usize);
    for r in &all {
        let got = r.lock().unwrap();
        delivered += got.len();
        let mut seen = std::collections::HashSet::new();
        let mut prev = 0;
        for (id, _, _) in got.iter() {
            if !seen.insert(*id) {
                duplicates += 1;
            }
            if *id <= prev {
                out_of_order += 1;
            }
            prev = *id;
        }
        lost += (base_id + 1..=last).filter(|id| !seen.contains(id)).count();
    }
    println!(
        "delivery: {} streams x {expected} events expected = {}; delivered {delivered}, lost {lost}, \
         duplicates {duplicates}, out of order {out_of_order}",
        open,
        open * expected
    );
    println!(
        "server memory: VmRSS now {rss_end} KiB, peak (VmHWM) {hwm} KiB, {} threads",
        server.threads()
    );
    for t in tasks {
        t.abort();
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo bench -- --list` and test discovery: nothing to list.
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(300), run())
                .await
                .expect("the load benchmark ran out of time");
        });
}
