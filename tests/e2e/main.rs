//! End-to-end tests: the real `keepwatch-app` binary in WebKitGTK, driven through tauri-driver
//! and WebKitWebDriver on a private Xvfb display. Screenshots land in `test-artifacts/e2e/`.

mod display;
mod driver;

use fantoccini::Locator;

use display::Display;
use driver::{screenshot, TauriDriver};

#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_and_shows_the_app() {
    let display = Display::start();
    let driver = TauriDriver::start(&display, &[]);
    let client = driver.launch_app().await;

    let heading = client.wait().for_element(Locator::Css("h1")).await.expect("no heading");
    assert_eq!(heading.text().await.unwrap(), "Keepwatch");
    assert_eq!(client.title().await.unwrap(), "Keepwatch");
    screenshot(&client, "00-window").await;

    client.close().await.expect("the app did not close");
}
