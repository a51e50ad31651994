//! End-to-end tests: the real `keepwatch-app` binary in WebKitGTK, driven through tauri-driver
//! and WebKitWebDriver on a private Xvfb display. Screenshots land in `test-artifacts/e2e/`.

mod display;
mod driver;
mod webdriver;

use std::time::Duration;

use display::Display;
use driver::{screenshot, TauriDriver};

#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_and_shows_the_app() {
    let display = Display::start();
    let driver = TauriDriver::start(&display, &[]);
    let app = driver.launch_app().await;

    let heading = app.wait_for("h1", Duration::from_secs(30)).await;
    assert_eq!(app.text(&heading).await, "Keepwatch");
    assert_eq!(app.title().await, "Keepwatch");
    screenshot(&app, "00-window").await;

    app.close().await;
}
