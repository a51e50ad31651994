//! The real app under WebDriver: `tauri-driver` in front of WebKitGTK's `WebKitWebDriver`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

use crate::display::Display;

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

fn tauri_driver_path() -> PathBuf {
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
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", display.name())
            // WebKitGTK's compositing needs a GPU that Xvfb does not have.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in envs {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .expect("tauri-driver could not be started: `cargo install tauri-driver --locked`");
        let driver = TauriDriver { port, child };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// Launches the app binary and returns a WebDriver client for its main window.
    pub async fn launch_app(&self) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_keepwatch-app") }),
        );
        capabilities.insert("browserName".into(), "wry".into());
        ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("tauri-driver refused the session")
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves a screenshot of the current window as `test-artifacts/e2e/<name>.png`.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("the window could not be captured");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("test-artifacts/e2e could not be created");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("the screenshot could not be written");
    path
}
