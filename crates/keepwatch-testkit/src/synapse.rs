//! A real Synapse homeserver on loopback, with SQLite in a scratch folder, for the Matrix
//! client's tests.
//!
//! `./run test` installs Synapse from PyPI into a cached virtual environment and names it in
//! `KEEPWATCH_SYNAPSE_VENV`. Without that variable the tests that need Synapse skip loudly, or
//! fail when `KEEPWATCH_REQUIRE_SYNAPSE=1` (as `./run test` and CI set it).
//!
//! Starting Synapse costs seconds (2 s on an idle machine, over 10 s on a busy one), so a test
//! binary shares one server ([`shared_synapse`], [`require_synapse!`]) and its tests keep apart
//! by signing up users of their own ([`Synapse::new_user`]).
//!
//! The server runs under a small Python keeper that holds a pipe from the test process: when
//! the test process ends, however it ends, the pipe closes and the keeper stops Synapse. (A
//! shared server lives in a `static`, and statics are never dropped.) A [`Synapse`] that is
//! dropped stops its server at once.

use std::fs::File;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;

/// The server name the test server runs as: user IDs are `@name:localhost`.
pub const SYNAPSE_SERVER_NAME: &str = "localhost";

/// Firefox 126 on Linux: a browser the account's owner does not use.
pub const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0";

/// A public address from abroad, as a foreign browser signs in "from" it (through
/// `X-Forwarded-For`, which the test server's listener trusts).
pub const FOREIGN_ADDRESS: &str = "5.255.255.70";

/// How long a start may take before the test fails: generous, as the machines that run the
/// tests are shared.
const START_DEADLINE: Duration = Duration::from_secs(90);

/// Runs Synapse (the arguments after the scratch folder) until its standard input closes,
/// then stops it and removes the scratch folder (a shared server's `TempDir` is never
/// dropped). Should Synapse end by itself, it writes `synapse.exited` and leaves the log there.
const KEEPER: &str = r#"
import os, shutil, subprocess, sys, threading
scratch = sys.argv[1]
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
def watch():
    status = child.wait()
    with open(os.path.join(scratch, "synapse.exited"), "w") as f:
        f.write(str(status))
threading.Thread(target=watch, daemon=True).start()
sys.stdin.buffer.read()
child.terminate()
try:
    child.wait(10)
except subprocess.TimeoutExpired:
    child.kill()
    child.wait()
shutil.rmtree(scratch, ignore_errors=True)
"#;

/// The Synapse virtual environment named by `KEEPWATCH_SYNAPSE_VENV`, when it has a Python.
/// Without one: a loud skip (`None`), or a panic when `KEEPWATCH_REQUIRE_SYNAPSE=1`.
pub fn synapse_venv() -> Option<PathBuf> {
    let why = match std::env::var_os("KEEPWATCH_SYNAPSE_VENV") {
        None => "KEEPWATCH_SYNAPSE_VENV is not set".to_owned(),
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.join("bin/python").is_file() {
                return Some(dir);
            }
            format!("{} has no bin/python", dir.display())
        }
    };
    if std::env::var("KEEPWATCH_REQUIRE_SYNAPSE").as_deref() == Ok("1") {
        panic!("Synapse is required (KEEPWATCH_REQUIRE_SYNAPSE=1) but unusable: {why}");
    }
    // Straight to the file descriptor: the test harness captures `eprintln!`, and a skip must
    // be seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!! SKIPPING a Matrix test: no Synapse ({why}).\n\
         !!!!! `./run test` installs it into .cache/synapse-venv and names it; by hand, set \
         KEEPWATCH_SYNAPSE_VENV=$PWD/.cache/synapse-venv (an absolute path).\n"
    );
    None
}

/// The test binary's one Synapse, started by the first test that asks. `None` (after a loud
/// skip) when Synapse is not installed; see [`synapse_venv`]. Panics, with the server's log,
/// when it is installed but does not start.
pub async fn shared_synapse() -> Option<&'static Synapse> {
    static SHARED: tokio::sync::OnceCell<Option<Result<Synapse, String>>> =
        tokio::sync::OnceCell::const_new();
    let shared = SHARED
        .get_or_init(|| async {
            let venv = synapse_venv()?;
            Some(Synapse::start(&venv).await)
        })
        .await;
    match shared {
        None => None,
        Some(Ok(synapse)) => Some(synapse),
        Some(Err(why)) => panic!("{why}"),
    }
}

/// The shared Synapse ([`shared_synapse`]), or an early return from the test when there is
/// none (or a failure; see [`synapse_venv`]).
#[macro_export]
macro_rules! require_synapse {
    () => {
        match $crate::shared_synapse().await {
            Some(synapse) => synapse,
            None => return,
        }
    };
}

/// A user signed up on the test server.
#[derive(Debug, Clone)]
pub struct SynapseUser {
    /// The localpart, e.g. `alice-1234-0`.
    pub localpart: String,
    /// The full user ID, e.g. `@alice-1234-0:localhost`.
    pub user_id: String,
    /// The password.
    pub password: String,
}

/// A session signed in "as a browser": what a foreign device's holder has.
#[derive(Debug, Clone)]
pub struct BrowserDevice {
    /// The device ID the server gave it.
    pub device_id: String,
    /// Its access token.
    pub access_token: String,
}

/// A running Synapse on a loopback port (see the module documentation).
pub struct Synapse {
    base: String,
    dir: tempfile::TempDir,
    keeper: Mutex<Option<Child>>,
    lifeline: Mutex<Option<ChildStdin>>,
}

impl std::fmt::Debug for Synapse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Synapse").field("base", &self.base).finish()
    }
}

impl Synapse {
    /// Writes a test configuration into a scratch folder and starts the Synapse of `venv` on a
    /// free loopback port; returns once `/_matrix/client/versions` answers. The error carries
    /// the server's log.
    pub async fn start(venv: &Path) -> Result<Self, String> {
        let began = Instant::now();
        let dir = tempfile::tempdir().map_err(|e| format!("no scratch folder for Synapse: {e}"))?;
        let port = free_port()?;
        let config = dir.path().join("homeserver.yaml");
        std::fs::write(&config, config_yaml(dir.path(), port)?)
            .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
        std::fs::write(dir.path().join("localhost.signing.key"), signing_key()?)
            .map_err(|e| format!("cannot write the signing key: {e}"))?;
        let log = dir.path().join("synapse.log");
        let out = File::create(&log).map_err(|e| format!("cannot create the log: {e}"))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot share the log: {e}"))?;
        let python = venv.join("bin/python");
        let mut command = Command::new(&python);
        command
            .arg("-c")
            .arg(KEEPER)
            .arg(dir.path())
            .arg(&python)
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(&config)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(out)
            .stderr(err);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut keeper = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
        let lifeline = keeper.stdin.take();
        let synapse = Self {
            base: format!("http://127.0.0.1:{port}"),
            dir,
            keeper: Mutex::new(Some(keeper)),
            lifeline: Mutex::new(lifeline),
        };
        synapse.wait_until_up(began).await?;
        Ok(synapse)
    }

    async fn wait_until_up(&self, began: Instant) -> Result<(), String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        let url = format!("{}/_matrix/client/versions", self.base);
        loop {
            if let Ok(response) = http.get(&url).send().await {
                if response.status().is_success() {
                    return Ok(());
                }
            }
            let exited = std::fs::read_to_string(self.dir.path().join("synapse.exited"))
                .ok()
                .or_else(|| {
                    lock(&self.keeper)
                        .as_mut()
                        .and_then(|keeper| keeper.try_wait().ok().flatten())
                        .map(|status| format!("its keeper {status}"))
                });
            if let Some(status) = exited {
                return Err(format!(
                    "Synapse exited ({status}) before it answered; its log:\n{}",
                    self.log()
                ));
            }
            if began.elapsed() > START_DEADLINE {
                return Err(format!(
                    "Synapse did not answer {url} within {START_DEADLINE:?}; its log:\n{}",
                    self.log()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The client-server API's base URL, e.g. `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The server name in its user IDs ([`SYNAPSE_SERVER_NAME`]).
    pub fn server_name(&self) -> &str {
        SYNAPSE_SERVER_NAME
    }

    /// Its configuration file (for `register_new_matrix_user -c`, say).
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("homeserver.yaml")
    }

    /// The last 200 lines of the server's log, for failure messages.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(self.dir.path().join("synapse.log")) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(200)..].join("\n")
    }

    /// Signs up a new user whose localpart starts with `prefix` and is unique in this test
    /// process, with a password of its own. No device is created.
    pub async fn new_user(&self, prefix: &str) -> SynapseUser {
        static USERS: AtomicU64 = AtomicU64::new(0);
        let n = USERS.fetch_add(1, Ordering::SeqCst);
        let localpart = format!("{prefix}-{}-{n}", std::process::id()).to_lowercase();
        let password = format!("pw {localpart} correct horse");
        let user_id = self.register_user(&localpart, &password).await;
        SynapseUser {
            localpart,
            user_id,
            password,
        }
    }

    /// Signs up `localpart` with `password` through the client-server API (open registration,
    /// which the test configuration allows, without a sign-in); returns the user ID. Panics with
    /// the server's answer when it refuses.
    pub async fn register_user(&self, localpart: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(format!("{}/_matrix/client/v3/register", self.base))
            .json(&serde_json::json!({
                "username": localpart,
                "password": password,
                "auth": {"type": "m.login.dummy"},
                "inhibit_login": true,
            }))
            .send()
            .await
            .expect("the registration request");
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("a JSON answer");
        assert!(status.is_success(), "registration refused: {status} {body}");
        body["user_id"]
            .as_str()
            .expect("the registration answer names the user")
            .to_owned()
    }

    /// Signs `user` in the way a browser would, from `from` with `user_agent`: the sign-in and
    /// then one authenticated request (Synapse records a device's address and User-Agent on
    /// its requests, not on the sign-in), both with `X-Forwarded-For: from`.
    pub async fn browser_login(
        &self,
        user: &SynapseUser,
        from: IpAddr,
        user_agent: &str,
    ) -> BrowserDevice {
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{}/_matrix/client/v3/login", self.base))
            .header("x-forwarded-for", from.to_string())
            .header("user-agent", user_agent)
            .json(&serde_json::json!({
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": user.localpart},
                "password": user.password,
            }))
            .send()
            .await
            .expect("the sign-in request");
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("a JSON answer");
        assert!(status.is_success(), "sign-in refused: {status} {body}");
        let device = BrowserDevice {
            device_id: body["device_id"].as_str().expect("a device ID").to_owned(),
            access_token: body["access_token"]
                .as_str()
                .expect("an access token")
                .to_owned(),
        };
        let whoami = http
            .get(format!("{}/_matrix/client/v3/account/whoami", self.base))
            .header("x-forwarded-for", from.to_string())
            .header("user-agent", user_agent)
            .bearer_auth(&device.access_token)
            .send()
            .await
            .expect("the whoami request");
        assert!(whoami.status().is_success(), "{:?}", whoami.text().await);
        device
    }

    /// Whether `device` is still signed in (its access token still works).
    pub async fn is_signed_in(&self, device: &BrowserDevice) -> bool {
        let status = reqwest::Client::new()
            .get(format!("{}/_matrix/client/v3/account/whoami", self.base))
            .bearer_auth(&device.access_token)
            .send()
            .await
            .expect("the whoami request")
            .status();
        assert!(
            status.is_success() || status == reqwest::StatusCode::UNAUTHORIZED,
            "whoami answered {status}"
        );
        status.is_success()
    }

    /// Stops the server now: closes the keeper's lifeline, waits a little, then kills the
    /// whole process group.
    fn stop(&self) {
        drop(lock(&self.lifeline).take());
        let Some(mut keeper) = lock(&self.keeper).take() else {
            return;
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = keeper.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        #[cfg(unix)]
        {
            // The keeper leads its own process group, Synapse included.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", keeper.id())])
                .status();
        }
        let _ = keeper.kill();
        let _ = keeper.wait();
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The address a [`FOREIGN_ADDRESS`] browser signs in from.
pub fn foreign_address() -> IpAddr {
    FOREIGN_ADDRESS.parse().expect("a valid address")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A port free now on 127.0.0.1 (released for Synapse to take; a race with other processes
/// is possible but rare, and fails the start with Synapse's log).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("no free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("no randomness for Synapse's secrets: {e}"))?;
    Ok(bytes)
}

fn random_secret() -> Result<String, String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<24>()?))
}

/// An ed25519 signing key in Synapse's file format, written here rather than by
/// `--generate-config` (which costs another Python start of seconds).
fn signing_key() -> Result<String, String> {
    let seed = base64::engine::general_purpose::STANDARD_NO_PAD.encode(random_bytes::<32>()?);
    Ok(format!("ed25519 a_test {seed}\n"))
}

/// The test configuration: what `--generate-config` writes, bound to 127.0.0.1 only (no `::1`,
/// which machines without IPv6 lack), the client API alone, no federation key servers, open
/// registration for [`Synapse::register_user`], and rate limits far above what tests reach.
fn config_yaml(dir: &Path, port: u16) -> Result<String, String> {
    let dir = dir.display();
    let limit = "{per_second: 1000, burst_count: 1000}";
    Ok(format!(
        r#"server_name: "{SYNAPSE_SERVER_NAME}"
pid_file: "{dir}/homeserver.pid"
listeners:
  - port: {port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: true
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "{dir}/homeserver.db"
media_store_path: "{dir}/media_store"
signing_key_path: "{dir}/localhost.signing.key"
registration_shared_secret: "{}"
macaroon_secret_key: "{}"
form_secret: "{}"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: true
enable_registration_without_verification: true
presence:
  enabled: false
rc_login:
  address: {limit}
  account: {limit}
  failed_attempts: {limit}
rc_registration: {limit}
rc_message: {limit}
rc_joins:
  local: {limit}
  remote: {limit}
"#,
        random_secret()?,
        random_secret()?,
        random_secret()?,
    ))
}
