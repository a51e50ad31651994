//! Test support for the `keepwatch` binary: the reference server in-process, the binary run as
//! a real child process, and the Secret Service check.
#![allow(dead_code)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use keepwatch_api::{paths, ClientKind, LoginRequest, TokenPair};
use keepwatch_geo::GeoDb;
use keepwatch_server::{start, Limits, ManualClock, RunningServer, ServerConfig};

pub const EMAIL: &str = "ann@example.com";
pub const PASSWORD: &str = "correct horse battery";
pub const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/// Whether the real Secret Service answers; fails instead when
/// `KEEPWATCH_REQUIRE_SECRET_SERVICE=1`.
pub fn secret_service_available() -> bool {
    // Tests run in parallel: each probe needs its own entry.
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let user = format!("cli-{}-{n}", std::process::id());
    let probe = keyring::Entry::new("keepwatch-test-probe", &user).and_then(|e| {
        e.set_password("probe")?;
        let back = e.get_password()?;
        e.delete_credential()?;
        Ok(back)
    });
    match probe {
        Ok(v) if v == "probe" => true,
        other => {
            let why = match other {
                Ok(_) => "read back a different secret".to_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var("KEEPWATCH_REQUIRE_SECRET_SERVICE").as_deref() == Ok("1") {
                panic!("the Secret Service is required (KEEPWATCH_REQUIRE_SECRET_SERVICE=1) but unusable: {why}");
            }
            // Straight to the file descriptor: the test harness captures `eprintln!`, and
            // a skip must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!! SKIPPING a keyring test: no usable Secret Service ({why}).\n\
                 !!!!! Run the tests inside tests/support/with-session-bus.sh.\n"
            );
            false
        }
    }
}

#[macro_export]
macro_rules! require_secret_service {
    () => {
        if !$crate::support::secret_service_available() {
            return;
        }
    };
}

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
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
}

impl World {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let files = keepwatch_geo::fixture::write_standard(dir.path()).unwrap();
        let geo = GeoDb::open(&files.city, &files.asn).unwrap();
        let server = start(ServerConfig {
            db_path: dir.path().join("server.sqlite"),
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            geo: Arc::new(geo),
            clock: Arc::new(ManualClock::new(chrono::Utc::now())),
            limits: Limits::for_tests(),
        })
        .await
        .unwrap();
        server.add_user(EMAIL, PASSWORD, false).await.unwrap();
        Self {
            base: server.base_url(),
            server: Some(server),
            dir,
            http: reqwest::Client::new(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("keepwatch")
    }

    /// The keyring user name of the test account.
    pub fn account_id(&self) -> String {
        let authority = self
            .base
            .trim_start_matches("http://")
            .trim_end_matches('/');
        format!("{EMAIL}@{authority}")
    }

    /// `keepwatch ARGS` with this world's data folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keepwatch"));
        c.args(args)
            .env("KEEPWATCH_DATA_DIR", self.data_dir())
            .env_remove("KEEPWATCH_LOG")
            .stdin(Stdio::null());
        c
    }

    /// Runs `keepwatch ARGS` off the async runtime, feeding `stdin`.
    pub async fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut c = self.cmd(args);
        let stdin = stdin.to_owned();
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            c.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            let _ = pipe.write_all(stdin.as_bytes());
            drop(pipe);
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap()
    }

    /// `keepwatch login` with the password on standard input.
    pub async fn login(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "login",
            "--server",
            &self.base,
            "--email",
            EMAIL,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        self.run(&args, &format!("{PASSWORD}\n")).await
    }

    pub async fn browser_login(&self, from: IpAddr, user_agent: &str) -> TokenPair {
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
        assert!(resp.status().is_success());
        resp.json().await.unwrap()
    }

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

    pub fn forget_keyring(&self) {
        if let Ok(e) = keyring::Entry::new("keepwatch", &self.account_id()) {
            let _ = e.delete_credential();
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success, showing stderr otherwise.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
    stdout(o)
}

/// Asserts a clean failure: non-zero, one line on stderr, no panic.
pub fn fails_cleanly(o: &Output) -> String {
    assert!(!o.status.success(), "unexpectedly succeeded: {}", stdout(o));
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
