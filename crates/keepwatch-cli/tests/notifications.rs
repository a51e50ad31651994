//! `keepwatch watch` against a real D-Bus notification server (python3-dbusmock's
//! notification_daemon template on the session bus): the Notify call it makes for a foreign
//! sign-in, the "Sign this session out" button ending that session on the server, no alert
//! raised twice across a restart of the watcher, and notifications in the system's language.
//! One test, since only one notification server can own its name on the bus.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::*;

/// A running `keepwatch watch`, its stdout lines and stderr lines on channels.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
    errors: mpsc::Receiver<String>,
}

impl Watcher {
    /// `watch` on a system whose language is English.
    fn start(world: &World) -> Self {
        Self::start_in(world, "en_GB.UTF-8")
    }

    /// `watch` on a system whose locale is `locale` (LC_ALL wins over everything else).
    fn start_in(world: &World, locale: &str) -> Self {
        let mut child = world
            .cmd(&["watch", "--poll-interval", "1"])
            .env("LC_ALL", locale)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (tx, errors) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Self {
            child,
            lines,
            errors,
        }
    }

    /// Waits for a stderr line containing `what`.
    fn wait_stderr(&self, what: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.errors.recv_timeout(left) {
                Ok(line) if line.contains(what) => return,
                Ok(_) => continue,
                Err(_) => panic!("watch never said {what:?}"),
            }
        }
    }

    fn next_line(&self, within: Duration) -> String {
        self.lines
            .recv_timeout(within)
            .expect("watch printed an alert line")
    }

    /// Ctrl-C, and the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "watch did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_until_gone(world: &World, token: &str, id: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if !world
            .server_session_ids(token)
            .await
            .iter()
            .any(|s| s == id)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn a_foreign_sign_in_notifies_and_the_sign_out_button_ends_that_session() {
    require_secret_service!();
    let world = World::start().await;
    let daemon = NotificationDaemon::start(world.dir.path());
    let owner = world.browser_login(berlin(), CHROME_MAC).await;
    ok(&world.login(&["--trust-existing"]).await);

    let watcher = Watcher::start(&world);
    watcher.wait_stderr("live", Duration::from_secs(10));
    let started = Instant::now();
    let intruder = world.browser_login(sao_paulo(), CHROME_WINDOWS).await;
    let line = watcher.next_line(Duration::from_secs(5));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "alert after {took:?}");
    assert!(line.contains("CRITICAL"), "{line}");
    assert!(line.contains(&intruder.session_id), "{line}");

    let deadline = Instant::now() + Duration::from_secs(5);
    while daemon.notify_calls().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no Notify call reached the notification server"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    let calls = daemon.notify_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert!(call.contains(r#""Keepwatch""#), "{call}");
    assert!(
        call.contains(r#""Critical: Possible account takeover""#),
        "{call}"
    );
    assert!(
        call.contains("Windows") && call.contains("São Paulo, Brazil"),
        "{call}"
    );
    assert!(
        call.contains(r#"["sign_out", "Sign this session out", "this_was_me", "This was me"]"#),
        "{call}"
    );
    assert!(call.contains(r#""urgency": 2"#), "critical urgency: {call}");
    assert!(
        !call.contains(&sao_paulo().to_string()),
        "no IP address: {call}"
    );
    let token = keyring::Entry::new("keepwatch", &world.account_id())
        .unwrap()
        .get_password()
        .unwrap();
    assert!(!call.contains(&token), "no token");

    // Restart the watcher: the takeover alert is not raised again.
    assert!(watcher.interrupt().success(), "Ctrl-C is a clean exit");
    let watcher = Watcher::start(&world);
    watcher.wait_stderr("live", Duration::from_secs(10));
    // Something new does alert, and only that: a VPN detour of the owner's browser.
    let detour = world.browser_login(sao_paulo(), CHROME_MAC).await;
    let line = watcher.next_line(Duration::from_secs(5));
    assert!(line.contains(&detour.session_id), "{line}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while daemon.notify_calls().len() < 2 {
        assert!(Instant::now() < deadline, "no Notify for the detour");
        std::thread::sleep(Duration::from_millis(25));
    }
    let calls = daemon.notify_calls();
    assert_eq!(
        calls.len(),
        2,
        "the first alert was not repeated: {calls:?}"
    );
    assert!(calls[1].contains("Warning: "), "{}", calls[1]);

    // "Sign this session out" on the second notification (id 2) ends that session on the server.
    // notify-rust subscribes to ActionInvoked just after Notify returns, so press until it
    // takes effect.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut gone = false;
    while !gone && Instant::now() < deadline {
        daemon.invoke_action(2, "sign_out");
        gone = wait_until_gone(
            &world,
            &owner.access_token,
            &detour.session_id,
            Duration::from_millis(500),
        )
        .await;
    }
    assert!(gone, "the button signed the session out");
    watcher.wait_stderr("done: SignOut", Duration::from_secs(5));
    let alerts: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["alerts", "--json"], "").await)).unwrap();
    let acted = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alert"]["session_id"] == detour.session_id.as_str())
        .unwrap();
    assert_eq!(acted["state"], "resolved");
    assert_eq!(acted["resolution"], "acted");
    assert_eq!(acted["action"], "signed_out_session");

    // "This was me" on a third one confirms it into the baseline. This watcher runs on an
    // Arabic system, so it speaks Arabic.
    assert!(watcher.interrupt().success());
    let watcher = Watcher::start_in(&world, "ar_EG.UTF-8");
    watcher.wait_stderr("live", Duration::from_secs(10));
    let lagos = world
        .browser_login(ip(keepwatch_geo::fixture::LAGOS_V4), CHROME_WINDOWS)
        .await;
    let line = watcher.next_line(Duration::from_secs(5));
    assert!(line.contains(&lagos.session_id), "{line}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while daemon.notify_calls().len() < 3 {
        assert!(Instant::now() < deadline, "no Notify for Lagos");
        std::thread::sleep(Duration::from_millis(25));
    }
    let arabic = &daemon.notify_calls()[2];
    assert!(
        arabic.contains(r#""تحذير: بلد جديد — شبكة VPN أم مسار غير معتاد؟""#)
            || arabic.contains(r#""حرج: احتمال استيلاء على الحساب""#),
        "{arabic}"
    );
    assert!(
        arabic.contains(r#"["sign_out", "تسجيل خروج هذه الجلسة", "this_was_me", "كنت أنا"]"#),
        "{arabic}"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let confirmed = loop {
        daemon.invoke_action(3, "this_was_me");
        let alerts: serde_json::Value =
            serde_json::from_str(&ok(&world.run(&["alerts", "--json"], "").await)).unwrap();
        let state = alerts["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["alert"]["session_id"] == lagos.session_id.as_str())
            .map(|a| a["resolution"].clone());
        if state == Some(serde_json::json!("confirmed")) || Instant::now() > deadline {
            break state;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(confirmed, Some(serde_json::json!("confirmed")));

    // Preferences changed by another process reach the running watcher: in travel mode the
    // owner's browser abroad is only worth an info, below the threshold for notifying.
    ok(&world.run(&["travel", "--until", "3d"], "").await);
    let shown = daemon.notify_calls().len();
    let tokyo = world
        .browser_login(ip(keepwatch_geo::fixture::TOKYO_V4), CHROME_MAC)
        .await;
    let line = watcher.next_line(Duration::from_secs(5));
    assert!(
        line.contains(&tokyo.session_id) && line.contains("INFO"),
        "travel mode reached the watcher: {line}"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(daemon.notify_calls().len(), shown, "an info was notified");
    assert!(
        world
            .server_session_ids(&owner.access_token)
            .await
            .contains(&lagos.session_id),
        "\"this was me\" leaves the session signed in"
    );
    assert!(watcher.interrupt().success());
    world.forget_keyring();
}
