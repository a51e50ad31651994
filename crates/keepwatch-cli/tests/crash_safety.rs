//! `keepwatch watch` killed with SIGKILL at random moments while intruders keep signing in:
//! after a last restart every intruder has its alert and its notification, nothing is lost,
//! and the history file is sound. The kill moments come from a seed printed with the counts,
//! so that a failing run can be replayed (`KEEPWATCH_CRASH_SEED`).
//!
//! Real parts: the `keepwatch` binary, the reference server on loopback, gnome-keyring's
//! Secret Service and python3-dbusmock's notification server on the session bus.

mod support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use keepwatch_core::history::History;
use support::*;

/// How many intruders sign in while the watcher is being killed.
const INTRUDERS: usize = 24;

fn start_watcher(world: &World) -> Child {
    world
        .cmd(&["watch", "--poll-interval", "1"])
        .env("LC_ALL", "en_GB.UTF-8")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn kill_hard(mut child: Child) {
    // `Child::kill` is SIGKILL on Unix: no handler runs, nothing is flushed.
    child.kill().unwrap();
    child.wait().unwrap();
}

/// How many alerts one logged Notify call stands for: one, or the count in a "N new alerts"
/// title.
fn alerts_covered(call: &str) -> usize {
    call.split('"')
        .find_map(|part| part.strip_suffix(" new alerts")?.parse().ok())
        .unwrap_or(1)
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_watcher_loses_no_alert_and_no_notification() {
    require_secret_service!();
    let world = World::start().await;
    let daemon = NotificationDaemon::start(world.dir.path());
    world.browser_login(berlin(), CHROME_MAC).await;
    ok(&world.login(&["--trust-existing"]).await);

    let seed = std::env::var("KEEPWATCH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);

    let mut intruders = Vec::new();
    let mut kills = 0;
    let mut watcher = start_watcher(&world);
    while intruders.len() < INTRUDERS {
        // Sign-ins arrive in bursts; the watcher dies somewhere in between or during them.
        for _ in 0..rng.usize(1..=3) {
            if intruders.len() < INTRUDERS {
                // Seconds apart on the server's clock, as a burst is in life.
                intruders.push(world.browser_login_soon(sao_paulo(), CHROME_WINDOWS).await);
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.u64(0..700))).await;
        kill_hard(watcher);
        kills += 1;
        watcher = start_watcher(&world);
        tokio::time::sleep(Duration::from_millis(rng.u64(0..400))).await;
    }

    // The last watcher lives: everything committed must now be shown.
    let deadline = Instant::now() + Duration::from_secs(60);
    let alerts = loop {
        let listed = world.run(&["alerts", "--json"], "").await;
        let view: serde_json::Value = serde_json::from_str(&ok(&listed)).unwrap();
        let alerts = view["alerts"].as_array().cloned().unwrap_or_default();
        let all_shown = intruders.iter().all(|i| {
            alerts.iter().any(|a| {
                a["alert"]["session_id"] == i.session_id.as_str() && a["notice"] == "shown"
            })
        });
        if all_shown {
            break alerts;
        }
        assert!(
            Instant::now() < deadline,
            "seed {seed}: not every intruder was notified: {alerts:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    kill_hard(watcher);

    let calls = daemon.notify_calls();
    let covered: usize = calls.iter().map(|c| alerts_covered(c)).sum();
    let history = files_under(&world.data_dir())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "sqlite3"))
        .expect("a history file");
    let integrity = History::open(&history).unwrap().integrity_check().unwrap();
    println!(
        "crash safety (seed {seed}): {INTRUDERS} intruders, {kills} kills, {} alerts in history, \
         {} Notify calls covering {covered} alerts, integrity_check {integrity:?}",
        alerts.len(),
        calls.len()
    );
    assert_eq!(integrity, ["ok"], "seed {seed}");
    // A watcher killed between the server's rotation of its refresh token and storing the new
    // one comes back with the old one: that is a crash, not a stolen token.
    assert!(
        !alerts
            .iter()
            .any(|a| a["alert"]["kind"] == "keepwatch_signed_out"),
        "seed {seed}: a crash read as a copied sign-in: {alerts:#?}"
    );
    for intruder in &intruders {
        let theirs = alerts
            .iter()
            .filter(|a| a["alert"]["session_id"] == intruder.session_id.as_str())
            .count();
        assert_eq!(theirs, 1, "seed {seed}: one alert per intruder");
    }
    assert!(
        covered >= INTRUDERS,
        "seed {seed}: {covered} alerts notified for {INTRUDERS} intruders: {calls:#?}"
    );
    world.forget_keyring();
}
