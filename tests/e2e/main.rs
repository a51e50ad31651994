//! End-to-end tests: the real `keepwatch-app` binary in WebKitGTK, driven through tauri-driver
//! and WebKitWebDriver on a private Xvfb display, on the private D-Bus session that
//! tests/support/with-session-bus.sh provides (unlocked gnome-keyring, and here a dbusmock
//! notification server), against the reference server in-process. Screenshots land in
//! `test-artifacts/e2e/`.
//!
//! One test drives every scenario in turn: the app is a single instance per D-Bus session, so
//! two launched at once would hand over to each other.

mod display;
mod driver;
mod webdriver;
mod world;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use display::Display;
use driver::{screenshot, TauriDriver};
use webdriver::Session;
use world::*;

const WAIT: Duration = Duration::from_secs(30);

/// Whether everything the suite needs is here. Missing parts fail the run when
/// KEEPWATCH_REQUIRE_E2E=1 (./run test sets it), and skip it loudly otherwise.
fn prerequisites_present() -> bool {
    let mut missing = Vec::new();
    let on_path = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    for tool in ["Xvfb", "WebKitWebDriver"] {
        if !on_path(tool) {
            missing.push(tool.to_owned());
        }
    }
    if !driver::tauri_driver_path().exists() && !on_path("tauri-driver") {
        missing.push("tauri-driver".to_owned());
    }
    if !Path::new("/usr/bin/python3").exists() {
        missing.push("python3-dbusmock".to_owned());
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        missing.push("a D-Bus session (run inside tests/support/with-session-bus.sh)".to_owned());
    }
    if missing.is_empty() {
        return true;
    }
    if std::env::var("KEEPWATCH_REQUIRE_E2E").as_deref() == Ok("1") {
        panic!("the e2e suite is required (KEEPWATCH_REQUIRE_E2E=1) but these are missing: {missing:?}");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!! SKIPPING the e2e suite: missing {missing:?}\n"
    );
    false
}

/// Replaces an input's value.
async fn fill(app: &Session, css: &str, text: &str) {
    let input = app.wait_for(css, WAIT).await;
    app.clear(&input).await;
    app.send_keys(&input, text).await;
}

async fn session_rows(app: &Session) -> usize {
    // Counted by the page: element handles can go stale while the list re-renders.
    usize::try_from(count(app, "[data-testid=session]").await).unwrap_or(usize::MAX)
}

async fn wait_rows(app: &Session, want: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let n = session_rows(app).await;
        if n == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the session list showed {n} sessions, never {want}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn wait_until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !check().await {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Elements matching `css` inside the page (counted by the page itself).
async fn count(app: &Session, css: &str) -> u64 {
    app.execute(
        "return document.querySelectorAll(arguments[0]).length;",
        vec![css.into()],
    )
    .await
    .as_u64()
    .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desktop_app_watches_an_account_end_to_end() {
    if !prerequisites_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a scratch folder");
    let notifications = NotificationDaemon::start(dir.path());
    let mut service = World::start().await;
    // The owner's browser, signed in before the app: trusted as existing at first sign-in.
    let owner = service
        .browser_login(ip(keepwatch_geo::fixture::BERLIN_V4), CHROME_MAC)
        .await;

    let display = Display::start();
    let config_home = dir.path().join("config");
    let envs = [
        (
            "KEEPWATCH_DATA_DIR",
            dir.path().join("keepwatch").display().to_string(),
        ),
        // Window state and autostart files stay in the scratch folder.
        ("XDG_CONFIG_HOME", config_home.display().to_string()),
        ("RUST_LOG", "info".to_owned()),
        // As `./run demo` does: the sign-in form comes filled in with server and account.
        ("KEEPWATCH_DEMO_SERVER", service.base.clone()),
        ("KEEPWATCH_DEMO_EMAIL", EMAIL.to_owned()),
    ];

    // --- First launch: sign in, watch, respond ------------------------------------------
    {
        let driver = TauriDriver::start(&display, &envs);
        let app = driver.launch_app().await;
        let heading = app.wait_for("h1", WAIT).await;
        assert_eq!(app.text(&heading).await, "Keepwatch");
        assert_eq!(app.title().await, "Keepwatch");

        app.wait_for("[data-testid=sign-in-form]", WAIT).await;
        let base = service.base.clone();
        wait_until("the demo defaults fill the form", async || {
            let values = app
                .execute(
                    "return [document.querySelector('[data-testid=server-url]').value, \
                     document.querySelector('[data-testid=email]').value];",
                    vec![],
                )
                .await;
            values == serde_json::json!([base, EMAIL])
        })
        .await;
        fill(&app, "[data-testid=password]", PASSWORD).await;
        screenshot(&app, "01-sign-in").await;
        app.click_on("[data-testid=sign-in]", WAIT).await;

        // Signed in: the app's own session and the owner's browser, the app's marked current.
        wait_until("the account appears as signed in", async || {
            count(&app, "[data-testid=sign-in-form]").await == 0
                || count(&app, "[data-testid=nav-sessions]").await > 0
                    && count(&app, ".error, [role=alert]").await == 0
        })
        .await;
        app.click_on("[data-testid=nav-sessions]", WAIT).await;
        wait_rows(&app, 2).await;
        assert_eq!(count(&app, "[data-testid=current-session]").await, 1);
        let devices = app
            .wait_for_texts("[data-testid=session-device]", WAIT, "devices", |t| {
                t.len() == 2
            })
            .await;
        assert!(
            devices.iter().any(|d| d == "Chrome 124 on macOS"),
            "the owner's browser is listed by device: {devices:?}"
        );
        screenshot(&app, "02-sessions").await;

        // A sign-in from São Paulo on an unknown device: listed, flagged and notified.
        let before = notifications.notify_calls().len();
        let intruder = service
            .browser_login(ip(keepwatch_geo::fixture::SAO_PAULO_V4), CHROME_WINDOWS)
            .await;
        wait_rows(&app, 3).await;
        let row = format!("[data-session-id=\"{}\"]", intruder.session_id);
        app.wait_for(&format!("{row} [data-testid=respond]"), WAIT)
            .await;
        wait_until("a Notify call for the foreign sign-in", async || {
            notifications.notify_calls().len() > before
        })
        .await;
        let notice = notifications.notify_calls()[before].clone();
        assert!(
            notice.contains("São Paulo")
                || notice.contains("S\\xe3o Paulo")
                || notice.contains("Brazil"),
            "the notification names the place: {notice}"
        );
        screenshot(&app, "03-alert").await;

        // The response flow for that alert.
        app.click_on(&format!("{row} [data-testid=respond]"), WAIT)
            .await;
        app.wait_for("[aria-current=page][data-testid=nav-alerts]", WAIT)
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        screenshot(&app, "04-response-flow").await;

        // Signing it out from the window ends it on the server.
        app.click_on("[data-testid=nav-sessions]", WAIT).await;
        app.click_on(&format!("{row} [data-testid=sign-out-session]"), WAIT)
            .await;
        wait_rows(&app, 2).await;
        let ids = service
            .session_ids(&owner.access_token)
            .await
            .expect("the owner is still signed in");
        assert!(
            !ids.contains(&intruder.session_id),
            "the server still has the signed-out session"
        );

        // A device name made of markup shows as text; so does a blocklist note.
        service
            .browser_login(ip(keepwatch_geo::fixture::BERLIN_V4), MARKUP)
            .await;
        service
            .block(&owner.access_token, "203.0.113.0/24", MARKUP)
            .await;
        app.execute(
            "window.__alerted = false; window.alert = () => { window.__alerted = true; };",
            vec![],
        )
        .await;
        wait_rows(&app, 3).await;
        assert_eq!(
            count(&app, "main img").await,
            0,
            "markup from the server became elements"
        );

        app.click_on("[data-testid=nav-history]", WAIT).await;
        app.wait_for("table, [data-testid=history]", WAIT).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        screenshot(&app, "05-history").await;

        app.click_on("[data-testid=nav-security]", WAIT).await;
        let notes = app
            .wait_for_texts("[data-testid=block-entry]", WAIT, "blocklist", |t| {
                t.iter().any(|n| n.contains(MARKUP))
            })
            .await;
        assert!(notes.iter().any(|n| n.contains(MARKUP)));
        assert_eq!(
            count(&app, "main img").await,
            0,
            "the note became an element"
        );
        assert_eq!(
            app.execute("return window.__alerted;", vec![]).await,
            serde_json::Value::Bool(false)
        );
        screenshot(&app, "06-security").await;

        // Sign out all others, after confirming: only the app's own session stays.
        app.click_on("[data-testid=nav-sessions]", WAIT).await;
        app.click_on("[data-testid=sign-out-others]", WAIT).await;
        app.click_on("[data-testid=confirm-action]", WAIT).await;
        wait_rows(&app, 1).await;
        assert_eq!(
            service.session_ids(&owner.access_token).await,
            None,
            "the owner's browser session was signed out on the server"
        );

        // Arabic: right to left.
        app.execute(
            "const s = document.querySelector('.language select'); s.value = 'ar'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await;
        wait_until("the page turns right-to-left", async || {
            app.execute("return document.documentElement.dir;", vec![])
                .await
                == "rtl"
        })
        .await;
        screenshot(&app, "07-sessions-arabic").await;
        app.close().await;
    }

    // --- Second launch, server gone: the cache, marked offline ---------------------------
    service.stop_server().await;
    {
        let driver = TauriDriver::start(&display, &envs);
        let app = driver.launch_app().await;
        app.wait_for("[data-testid=sync-status][data-phase=offline]", WAIT)
            .await;
        app.click_on("[data-testid=nav-sessions]", WAIT).await;
        wait_rows(&app, 1).await;
        assert_eq!(
            count(&app, "[data-testid=sync-status] time").await,
            1,
            "last synced is shown"
        );
        screenshot(&app, "08-offline").await;
        app.close().await;
    }
}
