//! The real app under WebDriver: `tauri-driver` in front of WebKitGTK's `WebKitWebDriver`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::display::Display;
use crate::webdriver::Session;

/// The app binary under test.
pub const APP: &str = env!("CARGO_BIN_EXE_keepwatch-app");

/// tauri-driver, bound to a free loopback port; stopped on drop.
pub struct TauriDriver {
    port: u16,
    child: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("no free loopback port")
}

pub fn tauri_driver_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    match cargo_bin {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

impl TauriDriver {
    /// Starts tauri-driver showing windows on `display`, with `envs` passed on to the app.
    pub fn start(display: &Display, envs: &[(&str, String)]) -> TauriDriver {
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver_path());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", display.name())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in envs {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .expect("tauri-driver could not be started: `cargo install tauri-driver --locked`");
        let driver = TauriDriver { port, child };
        // tauri-driver listens before WebKitWebDriver behind it does; a session requested in
        // between is dropped without an answer.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !driver.ready() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not become ready on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// Whether `GET /status` answers `"ready": true`.
    fn ready(&self) -> bool {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let Ok(mut stream) = TcpStream::connect(addr) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        // The driver may keep the connection open despite `Connection: close`, so read only
        // until the answer is in.
        let mut response = Vec::new();
        let mut chunk = [0u8; 1024];
        while let Ok(read @ 1..) = stream.read(&mut chunk) {
            response.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&response).replace(' ', "");
            if text.contains("\"ready\":") {
                return text.contains("\"ready\":true");
            }
        }
        false
    }

    /// Launches the app binary and returns a WebDriver session for its main window.
    pub async fn launch_app(&self) -> Session {
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": APP },
        });
        Session::create(&format!("http://127.0.0.1:{}", self.port), capabilities).await
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // SIGTERM first: tauri-driver then stops the WebKitWebDriver it started, which a
        // SIGKILL would leave running.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves a screenshot of the current window as `test-artifacts/e2e/<name>.png`.
pub async fn screenshot(session: &Session, name: &str) -> PathBuf {
    save_png(name, &session.screenshot().await)
}

/// Saves `png` as `test-artifacts/e2e/<name>.png`.
pub fn save_png(name: &str, png: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("test-artifacts/e2e could not be created");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("the screenshot could not be written");
    path
}
