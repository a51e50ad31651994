//! End-to-end tests: the real `keepwatch-app` binary in WebKitGTK, driven through tauri-driver
//! and WebKitWebDriver on a private Xvfb display, on the private D-Bus session that
//! tests/support/with-session-bus.sh provides (unlocked gnome-keyring, and here a dbusmock
//! notification server and a StatusNotifierWatcher standing in for the desktop panel),
//! against the reference server in-process. The tray menu is read and clicked over D-Bus as
//! a panel does; windows are closed and dialogs pressed through X11 as a person would.
//! Screenshots land in `test-artifacts/e2e/`.
//!
//! One test drives every scenario in turn: the app is a single instance per D-Bus session, so
//! two launched at once would hand over to each other.

mod desktop;
mod display;
mod driver;
mod procs;
mod tray;
mod webdriver;
mod world;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use desktop::*;
use display::Display;
use driver::{save_png, screenshot, TauriDriver, APP};
use tray::Look;
use webdriver::Session;
use world::*;

const WAIT: Duration = Duration::from_secs(30);

/// The title of the tray's native confirmation for signing all other sessions out.
const CONFIRM: &str = "Sign out every other session?";

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
    for tool in ["Xvfb", "WebKitWebDriver", "xdotool"] {
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

/// Signs in to a Matrix account on `synapse` from Accounts; downloads the location data its
/// sessions need from the window; signs an intruder out from the notification, which opens the
/// window at the password prompt, and every other device from the tray, which asks for the
/// password in the window too; forgets the account.
async fn matrix_account(
    app: &Session,
    synapse: &Synapse,
    notifications: &NotificationDaemon,
    item: &TrayItem,
) {
    let user = synapse.new_user("e2e").await;
    let home = synapse
        .browser_login(&user, ip(keepwatch_geo::fixture::BERLIN_V4), CHROME_MAC)
        .await;
    app.click_on("[data-testid=nav-accounts]", WAIT).await;
    fill(app, "[data-testid=server-url]", synapse.base_url()).await;
    // Leaving the address asks what answers there.
    app.click_on("[data-testid=password]", WAIT).await;
    let found = app.wait_for("[data-testid=provider-found]", WAIT).await;
    let said = app.text(&found).await;
    assert!(said.contains("Matrix homeserver"), "{said}");
    fill(app, "[data-testid=email]", &user.localpart).await;
    fill(app, "[data-testid=password]", &user.password).await;
    screenshot(app, "12-matrix-sign-in").await;
    app.click_on("[data-testid=sign-in]", WAIT).await;
    app.wait_for("[aria-current=page][data-testid=nav-sessions]", WAIT)
        .await;
    wait_rows(app, 2).await;

    // No location data yet: the sessions view says what that costs and offers the download
    // (from the loopback mirror KEEPWATCH_GEO_BASE_URL names); once it is in, the sessions
    // are placed without a restart.
    let prompt = app.wait_for("[data-testid=location-data]", WAIT).await;
    let said = app.text(&prompt).await;
    assert!(said.contains("No location data yet"), "{said}");
    app.click_on("[data-testid=geo-download]", WAIT).await;
    wait_until("the Matrix browser, labelled and placed", async || {
        let main = app.wait_for("main", WAIT).await;
        let text = app.text(&main).await;
        text.contains("Chrome 124")
            && text.contains("Berlin")
            && text.contains("First seen by Keepwatch")
            && text.contains("Location data downloaded")
    })
    .await;
    screenshot(app, "13-matrix-sessions").await;

    // An intruder's browser from Lagos: a critical notification whose "Sign out session"
    // opens the alert at its sign-out step, asking for the password there.
    let before = notifications.notify_calls().len();
    let intruder = synapse
        .browser_login(&user, ip(keepwatch_geo::fixture::LAGOS_V4), FIREFOX_LINUX)
        .await;
    wait_until("a Notify call for the intruder", async || {
        notifications.notify_calls().len() > before
    })
    .await;
    let notice = notifications.notify_calls()[before].clone();
    assert!(notice.contains("sign_out"), "{notice}");
    let notice_id = before + 1;
    wait_until(
        "its Sign out button opens the password prompt",
        async || {
            tokio::task::block_in_place(|| notifications.invoke_action(notice_id, "sign_out"));
            count(app, "[data-testid=step-password]").await == 1
        },
    )
    .await;
    fill(app, "[data-testid=step-password]", &user.password).await;
    screenshot(app, "14-matrix-sign-out-prompt").await;
    app.click_on(".step.active button.primary", WAIT).await;
    wait_signed_out(synapse, &intruder, "the intruder's device").await;

    // The tray's "Sign out every other session…" cannot ask for the password itself: the
    // window comes up at the sessions, asking for it.
    let phone = synapse
        .browser_login(&user, ip(keepwatch_geo::fixture::BERLIN_V4), CHROME_MAC)
        .await;
    tokio::task::block_in_place(|| tray::click(item, tray::SIGN_OUT_OTHERS));
    fill(app, "[data-testid=confirm-password]", &user.password).await;
    app.wait_for("[aria-current=page][data-testid=nav-sessions]", WAIT)
        .await;
    app.click_on("[data-testid=confirm-action]", WAIT).await;
    wait_signed_out(synapse, &home, "the owner's browser").await;
    wait_signed_out(synapse, &phone, "the second browser").await;
    wait_rows(app, 1).await;

    app.click_on("[data-testid=nav-accounts]", WAIT).await;
    app.click_on(
        &format!(
            "[data-account-email=\"{}\"] [data-testid=forget-account]",
            user.user_id
        ),
        WAIT,
    )
    .await;
    wait_until("the Matrix account is gone", async || {
        count(app, "[data-testid=account]").await == 1
    })
    .await;
    app.click_on("[data-testid=nav-sessions]", WAIT).await;
}

/// Waits until `device` is signed out of `synapse`.
async fn wait_signed_out(synapse: &Synapse, device: &BrowserDevice, what: &str) {
    wait_until(&format!("{what} is signed out"), async || {
        !synapse.is_signed_in(device).await
    })
    .await;
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

/// Switches the window's language through its language menu and waits for the direction.
async fn set_language(app: &Session, language: &str, dir: &str) {
    app.execute(
        "const s = document.querySelector('.language select'); s.value = arguments[0]; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![language.into()],
    )
    .await;
    wait_until(&format!("the page turns {dir}"), async || {
        app.execute("return document.documentElement.dir;", vec![])
            .await
            == dir
    })
    .await;
}

/// How many sessions the server lists to the holder of `tokens`; `None` once they are
/// signed out.
async fn sessions_seen_by(service: &World, tokens: &keepwatch_api::TokenPair) -> Option<usize> {
    service
        .session_ids(&tokens.access_token)
        .await
        .map(|ids| ids.len())
}

/// When notifications are paused until, per the app's configuration file.
fn paused_until(data_dir: &Path) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = std::fs::read_to_string(data_dir.join("config.json")).ok()?;
    let config: serde_json::Value = serde_json::from_str(&text).ok()?;
    config["preferences"]["notifications_paused_until"]
        .as_str()?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desktop_app_watches_an_account_end_to_end() {
    if !prerequisites_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a scratch folder");
    let notifications = NotificationDaemon::start(dir.path());
    // The panel is there before the app, as on a desktop: the tray icon registers with it.
    let panel = TrayHost::start();
    let mut service = World::start().await;
    // The owner's browser, signed in before the app: trusted as existing at first sign-in.
    let owner = service
        .browser_login(ip(keepwatch_geo::fixture::BERLIN_V4), CHROME_MAC)
        .await;

    let display = Display::start();
    let config_home = dir.path().join("config");
    let data_dir = dir.path().join("keepwatch");
    // Where the window downloads location data from, for accounts whose servers do not
    // place addresses: DB-IP's layout, with the project's fixtures.
    let geo_mirror = dbip_mirror().await;
    let envs = [
        ("KEEPWATCH_GEO_BASE_URL", geo_mirror),
        ("KEEPWATCH_DATA_DIR", data_dir.display().to_string()),
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
        let pid = the_app_process();
        let heading = app.wait_for("h1", WAIT).await;
        assert_eq!(app.text(&heading).await, "Keepwatch");
        assert_eq!(app.title().await, "Keepwatch");

        // The tray, as the panel lists it: the count line (information, greyed), then the
        // commands; grey (offline) while no account is signed in.
        let item = tokio::task::block_in_place(|| panel.wait_for_item(WAIT));
        assert_eq!(
            tokio::task::block_in_place(|| item.title()).expect("the tray item's title reads"),
            "Keepwatch",
            "panels name the tray item"
        );
        let labels = tokio::task::block_in_place(|| item.labels()).expect("the tray menu reads");
        assert_eq!(
            labels,
            [
                "No unreviewed alerts",
                tray::OPEN,
                tray::SIGN_OUT_OTHERS,
                tray::PAUSE,
                tray::QUIT
            ]
        );
        wait_unreviewed(&item, 0).await;
        wait_look(&item, Look::Offline).await;
        wait_enabled(&item, tray::SIGN_OUT_OTHERS, false).await;

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
        wait_look(&item, Look::Normal).await;
        wait_enabled(&item, tray::SIGN_OUT_OTHERS, true).await;
        screenshot(&app, "02-sessions").await;

        // A sign-in from São Paulo on an unknown device: listed, flagged, notified, and
        // counted in the tray, whose icon turns red.
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
        wait_unreviewed(&item, 1).await;
        assert_eq!(
            tokio::task::block_in_place(|| tray::count_line(&item))
                .expect("the count line")
                .label,
            "1 unreviewed alert"
        );
        wait_look(&item, Look::Alert).await;
        screenshot(&app, "03-alert").await;

        // The same list right to left, in Arabic; then back to English.
        set_language(&app, "ar", "rtl").await;
        wait_rows(&app, 3).await;
        app.wait_for(&format!("{row} [data-testid=respond]"), WAIT)
            .await;
        screenshot(&app, "07-sessions-arabic").await;
        // The tray follows the chosen language, with Arabic's own count forms.
        poll("the tray menu speaks Arabic", WAIT, || {
            tray::labels_are(
                &item,
                &[
                    "تنبيه واحد بانتظار المراجعة",
                    "فتح Keepwatch",
                    "تسجيل الخروج من كل الجلسات الأخرى…",
                    "إيقاف التنبيهات مؤقتًا لمدة ساعة",
                    "إنهاء",
                ],
            )
        })
        .await;
        set_language(&app, "en", "ltr").await;
        poll("the tray menu speaks English again", WAIT, || {
            tray::labels_are(
                &item,
                &[
                    "1 unreviewed alert",
                    tray::OPEN,
                    tray::SIGN_OUT_OTHERS,
                    tray::PAUSE,
                    tray::QUIT,
                ],
            )
        })
        .await;

        // Clicking the notification itself (its "default" action) shows that alert with its
        // response open. notify-rust listens for the click only once Notify has returned, so
        // click until it lands.
        let focused = format!(
            "[data-alert-key=\"session:{}\"] .respond",
            intruder.session_id
        );
        let notice_id = before + 1;
        wait_until("clicking the notification shows its alert", async || {
            tokio::task::block_in_place(|| notifications.invoke_action(notice_id, "default"));
            count(&app, &focused).await == 1
        })
        .await;
        assert_eq!(
            count(&app, "[aria-current=page][data-testid=nav-alerts]").await,
            1
        );
        app.click_on("[data-testid=nav-sessions]", WAIT).await;

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

        // The window never leaves the app's pages, whatever a link or a script asks, and
        // may listen to the shell's events but not emit its own.
        // The reference server answers there, so without the guard the page would load.
        let home = app.execute("return location.href;", vec![]).await;
        app.execute(
            "location.href = arguments[0];",
            vec![serde_json::json!(format!("{}/openapi.json", service.base))],
        )
        .await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(
            app.execute("return location.href;", vec![]).await,
            home,
            "the window navigated away from the app"
        );
        app.wait_for("[data-testid=nav-security]", WAIT).await;
        let emitted = app
            .execute(
                "return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', \
                 {event: 'sessions-changed', payload: null}) \
                 .then(() => 'allowed', (e) => 'refused: ' + e);",
                vec![],
            )
            .await;
        assert!(
            emitted.as_str().is_some_and(|s| s.starts_with("refused")),
            "the window could emit an event: {emitted}"
        );

        // "Start at login" writes the desktop's autostart entry for this binary, and
        // unticking it removes the entry.
        let autostart = config_home.join("autostart");
        let entries = || -> Vec<String> {
            std::fs::read_dir(&autostart)
                .map(|dir| {
                    dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert!(entries().is_empty(), "an autostart entry before asking");
        app.click_on("[data-testid=start-at-login]", WAIT).await;
        let entry = poll("an autostart entry appears", WAIT, || {
            match entries().as_slice() {
                [entry] => Ok(entry.clone()),
                other => Err(format!("{} entries", other.len())),
            }
        })
        .await;
        assert!(
            entry.contains("[Desktop Entry]") && entry.contains(APP),
            "the entry starts this app: {entry}"
        );
        app.click_on("[data-testid=start-at-login]", WAIT).await;
        poll("the autostart entry goes", WAIT, || match entries().len() {
            0 => Ok(()),
            n => Err(format!("{n} entries")),
        })
        .await;

        // "Pause alerts for an hour" from the tray: a new foreign sign-in is still flagged
        // and counted, but raises no notification.
        app.click_on("[data-testid=nav-sessions]", WAIT).await;
        wait_rows(&app, 3).await;
        let unreviewed = poll("the tray's count reads", WAIT, || tray::unreviewed(&item)).await;
        let clicked_at = chrono::Utc::now();
        tokio::task::block_in_place(|| tray::click(&item, tray::PAUSE));
        let until = poll("the pause is saved", WAIT, || {
            paused_until(&data_dir).ok_or_else(|| "no pause in config.json".to_owned())
        })
        .await;
        assert!(
            until > clicked_at + chrono::TimeDelta::minutes(59)
                && until < chrono::Utc::now() + chrono::TimeDelta::minutes(61),
            "paused until {until}, not an hour from {clicked_at}"
        );
        // The running engine reads the saved pause when it decides whether to notify.
        let before = notifications.notify_calls().len();
        let paused_intruder = service
            .browser_login(ip(keepwatch_geo::fixture::SAO_PAULO_V4), CHROME_WINDOWS)
            .await;
        wait_rows(&app, 4).await;
        app.wait_for(
            &format!(
                "[data-session-id=\"{}\"] [data-testid=respond]",
                paused_intruder.session_id
            ),
            WAIT,
        )
        .await;
        wait_unreviewed(&item, unreviewed + 1).await;
        wait_look(&item, Look::Alert).await;
        // A notification would have gone out with the alert; give the D-Bus call time to
        // land before saying none did.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            notifications.notify_calls()[before..],
            [] as [String; 0],
            "a notification was raised while alerts were paused"
        );
        // While paused the menu offers to resume, naming the end of the pause; resuming
        // clears it.
        let resume = format!(
            "Resume alerts (paused until {})",
            until.with_timezone(&chrono::Local).format("%H:%M")
        );
        poll("the tray offers to resume", WAIT, || {
            tray::enabled(&item, &resume).map(|_| ())
        })
        .await;
        tokio::task::block_in_place(|| tray::click(&item, &resume));
        poll("the pause is cleared", WAIT, || {
            match paused_until(&data_dir) {
                None => Ok(()),
                Some(t) => Err(format!("still paused until {t}")),
            }
        })
        .await;
        poll("the tray offers to pause again", WAIT, || {
            tray::enabled(&item, tray::PAUSE).map(|_| ())
        })
        .await;

        // Sign out all others from the window, after confirming: only the app's own session
        // stays.
        app.click_on("[data-testid=sign-out-others]", WAIT).await;
        app.click_on("[data-testid=confirm-action]", WAIT).await;
        wait_rows(&app, 1).await;
        assert_eq!(
            service.session_ids(&owner.access_token).await,
            None,
            "the owner's browser session was signed out on the server"
        );

        // And from the tray: the menu entry only asks (a native dialog); "Cancel" leaves
        // every session; "Sign out others" signs them out.
        let owner = service
            .browser_login(ip(keepwatch_geo::fixture::BERLIN_V4), CHROME_MAC)
            .await;
        wait_rows(&app, 2).await;
        tokio::task::block_in_place(|| tray::click(&item, tray::SIGN_OUT_OTHERS));
        let dialog = wait_window(&display, pid, CONFIRM).await;
        let (x, y, w, h) = display.geometry(dialog);
        save_png("09-tray-sign-out-others", &display.capture((x, y, w, h)));
        assert_eq!(
            sessions_seen_by(&service, &owner).await,
            Some(2),
            "the tray signed sessions out before the dialog was answered"
        );
        press_dialog_button(&display, dialog, 0.75); // Cancel
        wait_no_window(&display, pid, CONFIRM).await;
        // Revoking would take one HTTP call; give a wrong answer time to show.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(
            sessions_seen_by(&service, &owner).await,
            Some(2),
            "Cancel signed sessions out"
        );
        assert_eq!(session_rows(&app).await, 2);
        tokio::task::block_in_place(|| tray::click(&item, tray::SIGN_OUT_OTHERS));
        let dialog = wait_window(&display, pid, CONFIRM).await;
        press_dialog_button(&display, dialog, 0.25); // Sign out others
        wait_no_window(&display, pid, CONFIRM).await;
        wait_rows(&app, 1).await;
        assert_eq!(
            service.session_ids(&owner.access_token).await,
            None,
            "the tray's confirmed sign-out left the owner's browser signed in"
        );

        // A second account, added from Accounts: both are watched, whichever the window
        // shows. An intruder on the one not shown is notified, naming its account, and
        // counted in the tray.
        const BOB: &str = "bob@example.com";
        const BOB_PASSWORD: &str = "bob's own long passphrase";
        service
            .server()
            .add_user(BOB, BOB_PASSWORD, false)
            .await
            .expect("a second account");
        app.click_on("[data-testid=nav-accounts]", WAIT).await;
        fill(&app, "[data-testid=email]", BOB).await;
        fill(&app, "[data-testid=password]", BOB_PASSWORD).await;
        app.click_on("[data-testid=sign-in]", WAIT).await;
        // Signed in, the window turns to the new account's sessions.
        app.wait_for("[aria-current=page][data-testid=nav-sessions]", WAIT)
            .await;
        app.click_on("[data-testid=nav-accounts]", WAIT).await;
        let ann = format!("[data-account-email=\"{EMAIL}\"] [data-testid=switch-account]");
        app.click_on(&ann, WAIT).await;
        wait_until("the window shows the first account again", async || {
            count(
                &app,
                &format!("[data-account-email=\"{BOB}\"] [data-testid=switch-account]"),
            )
            .await
                == 1
        })
        .await;
        let before = notifications.notify_calls().len();
        service
            .browser_login_as(
                BOB,
                BOB_PASSWORD,
                ip(keepwatch_geo::fixture::SAO_PAULO_V4),
                CHROME_WINDOWS,
            )
            .await;
        wait_until("a Notify call for the account not shown", async || {
            notifications.notify_calls()[before..]
                .iter()
                .any(|call| call.contains(BOB))
        })
        .await;
        poll("the tray counts the account not shown", WAIT, || {
            let line = tray::count_line(&item)?.label;
            if line.contains(&format!("{BOB}: 1")) {
                Ok(())
            } else {
                Err(line)
            }
        })
        .await;
        wait_look(&item, Look::Alert).await;
        // Forgotten again, so that what follows has one account as before.
        app.click_on("[data-testid=nav-accounts]", WAIT).await;
        app.click_on(
            &format!("[data-account-email=\"{BOB}\"] [data-testid=forget-account]"),
            WAIT,
        )
        .await;
        wait_until("the second account is gone", async || {
            count(&app, "[data-testid=account]").await == 1
        })
        .await;
        poll("the tray counts one account again", WAIT, || {
            let line = tray::count_line(&item)?.label;
            if line.contains(BOB) {
                Err(line)
            } else {
                Ok(())
            }
        })
        .await;
        app.click_on("[data-testid=nav-sessions]", WAIT).await;

        // A Matrix account, from the same form: it finds the homeserver, asks for a user
        // name instead of an email, and lists the account's devices, placed once the window
        // has downloaded location data. Then it is forgotten, so what follows has one account.
        match shared_synapse().await {
            Some(synapse) => matrix_account(&app, synapse, &notifications, &item).await,
            None => {
                eprintln!("\n!!!!! SKIPPING the Matrix step: no Synapse (KEEPWATCH_SYNAPSE_VENV)\n")
            }
        }

        // Closing the window keeps Keepwatch in the tray but ends the webview: WebKit's
        // processes exit.
        let window = wait_window(&display, pid, "Keepwatch").await;
        assert!(
            !procs::webkit_helpers(pid).is_empty(),
            "no WebKit processes under the app while its window is open"
        );
        // A size of the user's own, which the reopened window must keep.
        const SIZE: (i32, i32) = (960, 680);
        display.resize(window, SIZE.0, SIZE.1);
        poll("the window takes the new size", WAIT, || {
            match display.geometry(window) {
                (_, _, w, h) if (w, h) == SIZE => Ok(()),
                (_, _, w, h) => Err(format!("{w}×{h}")),
            }
        })
        .await;
        display.request_close(window);
        wait_no_window(&display, pid, "Keepwatch").await;
        poll(
            "WebKit's processes end with the window",
            WAIT,
            || match procs::webkit_helpers(pid) {
                helpers if helpers.is_empty() => Ok(()),
                helpers => Err(format!("{helpers:?}")),
            },
        )
        .await;
        assert!(procs::running(pid), "closing the window ended the app");
        tokio::task::block_in_place(|| panel.wait_for_item(WAIT));

        // "Open" in the tray builds the window again, and it draws the app.
        let clicked = Instant::now();
        tokio::task::block_in_place(|| tray::click(&item, tray::OPEN));
        let window = wait_window(&display, pid, "Keepwatch").await;
        let reopened = poll("the reopened window draws the app", WAIT, || {
            let png = display.capture(display.geometry(window));
            match colours(&png) {
                n if n > 64 => Ok(png),
                n => Err(format!("{n} colours")),
            }
        })
        .await;
        let (_, _, width, height) = display.geometry(window);
        assert_eq!((width, height), SIZE, "the reopened window forgot its size");
        // Reported, not asserted: a shared CI machine's timing is no pass/fail criterion.
        eprintln!(
            "e2e: the window was back and drawn {} ms after \"Open\"",
            clicked.elapsed().as_millis()
        );
        save_png("10-reopened-from-tray", &reopened);
        display.request_close(window);
        wait_no_window(&display, pid, "Keepwatch").await;

        // A second launch hands over to the running app, which shows its window, and ends.
        let mut second = Command::new(APP)
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .env("DISPLAY", display.name())
            .stdout(Stdio::null())
            .spawn()
            .expect("a second launch starts");
        let status = poll("the second launch ends", WAIT, || {
            second
                .try_wait()
                .map_err(|e| e.to_string())?
                .ok_or_else(|| "still running".to_owned())
        })
        .await;
        assert!(status.success(), "the second launch ended with {status}");
        wait_window(&display, pid, "Keepwatch").await;
        assert_eq!(procs::running_binary(Path::new(APP)), [pid]);

        // "Quit" in the tray ends it, tray icon and all.
        tokio::task::block_in_place(|| tray::click(&item, tray::QUIT));
        poll("the app ends on Quit", WAIT, || {
            (!procs::running(pid))
                .then_some(())
                .ok_or_else(|| "running".to_owned())
        })
        .await;
        tokio::task::block_in_place(|| panel.wait_for_no_items(WAIT));
        // The WebDriver session ended with the app; the driver goes with this scope.
        drop(app);
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
        let item = tokio::task::block_in_place(|| panel.wait_for_item(WAIT));
        wait_look(&item, Look::Offline).await;
        screenshot(&app, "08-offline").await;

        // Signing the others out from the tray cannot work offline, and says so.
        let pid = the_app_process();
        tokio::task::block_in_place(|| tray::click(&item, tray::SIGN_OUT_OTHERS));
        let dialog = wait_window(&display, pid, CONFIRM).await;
        press_dialog_button(&display, dialog, 0.25); // Sign out others
        const FAILED: &str = "Could not sign out other sessions";
        let dialog = wait_window(&display, pid, FAILED).await;
        save_png(
            "11-tray-sign-out-offline",
            &display.capture(display.geometry(dialog)),
        );
        press_dialog_button(&display, dialog, 0.5); // OK
        wait_no_window(&display, pid, FAILED).await;
        app.close().await;
    }

    // --- Last launch, by hand: "Quit" ends the app with success --------------------------
    poll(
        "the WebDriver-launched app is gone",
        WAIT,
        || match procs::running_binary(Path::new(APP))[..] {
            [] => Ok(()),
            ref pids => Err(format!("{pids:?}")),
        },
    )
    .await;
    // Its tray item leaves the panel a moment after the process: the new one must not be
    // mistaken for it.
    tokio::task::block_in_place(|| panel.wait_for_no_items(WAIT));
    let mut last = Command::new(APP)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .env("DISPLAY", display.name())
        .stdout(Stdio::null())
        .spawn()
        .expect("the app starts");
    let item = tokio::task::block_in_place(|| panel.wait_for_item(WAIT));
    wait_look(&item, Look::Offline).await;
    wait_window(&display, last.id(), "Keepwatch").await;
    tokio::task::block_in_place(|| tray::click(&item, tray::QUIT));
    let status = poll("the app ends on Quit", WAIT, || {
        last.try_wait()
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "still running".to_owned())
    })
    .await;
    assert_eq!(status.code(), Some(0), "Quit ended the app with {status}");

    // --- The log a user can send: in the log folder About names, and no secret in it -------
    let logs: Vec<_> = std::fs::read_dir(data_dir.join("logs"))
        .expect("the app keeps a log folder")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("keepwatch"))
        })
        .collect();
    assert!(!logs.is_empty(), "no log file");
    let text: String = logs
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(text.contains("signed out all other sessions"), "{text}");
    for secret in [PASSWORD, "bob's own long passphrase"] {
        assert!(!text.contains(secret), "a password in the log");
    }
    assert!(!text.contains("Bearer"), "a token in the log");
}
