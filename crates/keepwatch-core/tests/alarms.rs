//! Losing Keepwatch's own session is an alarm: an intruder who signed in unremarkably (the
//! owner's browser, the owner's city) and then changes the password, signs every other session
//! out, or signs Keepwatch's session out, is reported once, critically, naming the session
//! that did it — whether the engine follows the event stream or polls. A sign-out done from
//! Keepwatch itself is no alarm.
//!
//! Real parts throughout: the reference server on loopback, gnome-keyring's Secret Service,
//! and python3-dbusmock's notification server on the session bus. One test, since only one
//! notification server can own its name on the bus.

mod support;

use std::time::{Duration, Instant};

use keepwatch_api::TokenPair;
use keepwatch_core::{
    AlertKind, DesktopNotifier, Error, NoticeOutcome, Severity, SyncEngine, SyncMode, SyncOptions,
    SyncUpdate,
};
use support::world::*;

#[derive(Clone, Copy, Debug)]
enum Takeover {
    /// The intruder changes the password.
    ChangesPassword,
    /// The intruder presses "sign out all other sessions".
    SignsOutEveryoneElse,
    /// The intruder signs Keepwatch's own session out.
    SignsOutKeepwatch,
}

impl Takeover {
    fn kind(self) -> AlertKind {
        match self {
            Takeover::ChangesPassword => AlertKind::PasswordChanged,
            Takeover::SignsOutEveryoneElse | Takeover::SignsOutKeepwatch => {
                AlertKind::KeepwatchSignedOut
            }
        }
    }

    async fn act(self, world: &World, intruder: &TokenPair, own: &str) {
        let request = match self {
            Takeover::ChangesPassword => world
                .http
                .post(format!("{}/v1/account/password", world.base))
                .json(&serde_json::json!({
                    "current_password": PASSWORD,
                    "new_password": "the intruder's own passphrase",
                })),
            Takeover::SignsOutEveryoneElse => world
                .http
                .post(format!("{}/v1/sessions/revoke-others", world.base)),
            Takeover::SignsOutKeepwatch => world
                .http
                .delete(format!("{}/v1/sessions/{own}", world.base)),
        };
        // From where the intruder signed in, as a browser would.
        let resp = request
            .header("x-forwarded-for", berlin().to_string())
            .bearer_auth(&intruder.access_token)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{self:?}: {}", resp.status());
    }
}

fn options(stream: bool) -> SyncOptions {
    SyncOptions {
        poll_interval: Duration::from_millis(300),
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        notify_retry: Duration::from_millis(300),
        stream,
        ..Default::default()
    }
}

/// Waits for the engine to be watching: following the stream, or having polled once.
async fn wait_until_watching(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<SyncUpdate>,
    stream: bool,
) {
    let want = if stream {
        SyncMode::Stream
    } else {
        SyncMode::Polling
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(SyncUpdate::Synced { mode, .. })) if mode == want => return,
            Ok(Some(_)) => continue,
            other => panic!("never watching ({want:?}): {other:?}"),
        }
    }
}

/// One scenario on a fresh server and data folder.
async fn takeover(daemon: &NotificationDaemon, how: Takeover, stream: bool) {
    let label = format!("{how:?}, {}", if stream { "stream" } else { "polling" });
    let world = World::start().await;
    // The owner's browser, trusted at sign-in; the intruder then signs in looking just like
    // it, which alone is (rightly) no alert.
    world.browser_login(berlin(), CHROME_MAC).await;
    let kw = world.keepwatch();
    kw.login(world.login_params(true)).await.unwrap();
    let account = kw.account(None).unwrap();
    let own = account.config().session_id.clone().unwrap();

    let engine = SyncEngine::new(
        account.clone(),
        Some(std::sync::Arc::new(DesktopNotifier::new())),
        options(stream),
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(engine.run(tx, std::future::pending()));
    wait_until_watching(&mut rx, stream).await;
    let intruder = world.browser_login(berlin(), CHROME_MAC).await;
    // Let the engine see the intruder's sign-in first, as it would in life.
    let intruder_id = intruder.session_id.clone();
    let seen = account.clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let sessions = seen.active_sessions().await.unwrap();
        if sessions.iter().any(|s| s.id == intruder_id) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{label}: the intruder was never seen"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let before = daemon.notify_calls().len();
    how.act(&world, &intruder, &own).await;

    let result = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap_or_else(|_| panic!("{label}: the engine kept running after losing its session"))
        .unwrap();
    assert!(
        matches!(result, Err(Error::SessionEnded(_))),
        "{label}: {result:?}"
    );
    let mut alarms = Vec::new();
    let mut signed_out = false;
    while let Ok(update) = rx.try_recv() {
        match update {
            SyncUpdate::Alert { alert, notice } => alarms.push((alert, notice)),
            SyncUpdate::SignedOut => signed_out = true,
            _ => {}
        }
    }
    assert!(signed_out, "{label}: the listener heard it was signed out");
    assert_eq!(alarms.len(), 1, "{label}: {alarms:#?}");
    let (alert, notice) = &alarms[0];
    assert_eq!(alert.alert.kind, how.kind(), "{label}");
    assert_eq!(alert.alert.severity, Severity::Critical, "{label}");
    assert_eq!(
        alert.alert.session_id.as_deref(),
        Some(intruder.session_id.as_str()),
        "{label}: the alert names the session that did it"
    );
    assert!(
        alert
            .alert
            .reasons
            .iter()
            .any(|r| r.code() == "keepwatch_signed_out"),
        "{label}: {:?}",
        alert.alert.reasons
    );
    assert_eq!(
        alert.alert.steps.first(),
        Some(&keepwatch_core::ResponseStep::SignInAgain),
        "{label}"
    );
    assert!(
        notice.critical && !notice.offer_actions,
        "{label}: {notice:?}"
    );
    assert!(
        notice.body.contains("Chrome") && notice.body.contains("Berlin"),
        "{label}: {}",
        notice.body
    );

    // History holds exactly that one critical alert, and it was shown once.
    let stored = account.cached_alerts().await.unwrap();
    let critical: Vec<_> = stored
        .iter()
        .filter(|a| a.alert.severity == Severity::Critical)
        .collect();
    assert_eq!(critical.len(), 1, "{label}: {stored:#?}");
    let key = critical[0].alert.key.clone();
    let shown = account.clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let alert = shown.cached_alerts().await.unwrap();
        if alert
            .iter()
            .any(|a| a.alert.key == key && a.notice == Some(NoticeOutcome::Shown))
        {
            break;
        }
        assert!(Instant::now() < deadline, "{label}: never marked shown");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let calls = daemon.notify_calls()[before..].to_vec();
    assert_eq!(calls.len(), 1, "{label}: {calls:#?}");
    assert!(
        calls[0].contains(r#""urgency": 2"#),
        "{label}: {}",
        calls[0]
    );
    assert!(
        calls[0].contains("Keepwatch was signed out")
            || calls[0].contains("Password changed outside Keepwatch"),
        "{label}: {}",
        calls[0]
    );
    assert!(calls[0].contains("Berlin"), "{label}: {}", calls[0]);

    // Started again (as after a restart), it is still signed out and says nothing new.
    let kw = world.keepwatch();
    let again = kw.account(None).unwrap();
    let engine = SyncEngine::new(
        again.clone(),
        Some(std::sync::Arc::new(DesktopNotifier::new())),
        options(stream),
    );
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        engine.run(tx, std::future::pending()),
    )
    .await
    .unwrap();
    assert!(matches!(result, Err(ref e) if e.is_signed_out()), "{label}");
    let alerts = again.cached_alerts().await.unwrap();
    assert_eq!(
        alerts
            .iter()
            .filter(|a| a.alert.severity == Severity::Critical)
            .count(),
        1,
        "{label}: raised again after a restart"
    );
    assert_eq!(
        daemon.notify_calls().len(),
        before + 1,
        "{label}: notified again after a restart"
    );
    world.forget_keyring();
}

/// Keepwatch signing others out, or itself, is the user's own doing.
async fn keepwatch_itself(daemon: &NotificationDaemon) {
    let world = World::start().await;
    world.browser_login(berlin(), CHROME_MAC).await;
    let kw = world.keepwatch();
    kw.login(world.login_params(true)).await.unwrap();
    let account = kw.account(None).unwrap();
    let engine = SyncEngine::new(
        account.clone(),
        Some(std::sync::Arc::new(DesktopNotifier::new())),
        options(true),
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(engine.run(tx, std::future::pending()));
    wait_until_watching(&mut rx, true).await;
    let before = daemon.notify_calls().len();

    assert_eq!(account.revoke_others(None).await.unwrap(), 1);
    kw.logout(account.clone(), true).await.unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the engine stops once its session is gone")
        .unwrap();
    assert!(
        matches!(result, Err(ref e) if e.is_signed_out()),
        "{result:?}"
    );
    let alerts = account.cached_alerts().await.unwrap();
    assert!(alerts.is_empty(), "{alerts:#?}");
    assert_eq!(daemon.notify_calls().len(), before);
    world.forget_keyring();
}

#[tokio::test(flavor = "multi_thread")]
async fn losing_keepwatchs_session_to_someone_else_is_one_critical_alarm() {
    require_secret_service!();
    let dir = tempfile::tempdir().unwrap();
    let daemon = NotificationDaemon::start(dir.path());
    for stream in [true, false] {
        for how in [
            Takeover::ChangesPassword,
            Takeover::SignsOutEveryoneElse,
            Takeover::SignsOutKeepwatch,
        ] {
            takeover(&daemon, how, stream).await;
        }
    }
    keepwatch_itself(&daemon).await;
}
