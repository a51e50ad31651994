//! The desktop app's core and the CLI side by side over one data folder, as a user runs them:
//! what either changes reaches the other while both run, and neither loses the other's change.

mod support;

use std::time::Duration;

use keepwatch_core::api::{Change, Language, WatchOptions};
use keepwatch_core::{Api, Keepwatch, Severity};
use support::*;

/// Waits for a settings change that `wanted` accepts.
async fn settings_change(
    changes: &mut tokio::sync::broadcast::Receiver<Change>,
    wanted: impl Fn(&keepwatch_core::api::Settings) -> bool,
) -> keepwatch_core::api::Settings {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, changes.recv()).await {
            Ok(Ok(Change::Settings { settings })) if wanted(&settings) => return settings,
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => continue,
            other => panic!("the app never heard of the CLI's change: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_apps_core_and_the_cli_lose_nothing_of_each_other() {
    require_secret_service!();
    let world = World::start().await;
    ok(&world.login(&["--trust-existing"]).await);

    // The app: the core's API over the same folder, watching, as the desktop shell runs it.
    let app = Api::new(
        Keepwatch::open(Some(world.data_dir())).unwrap(),
        tokio::runtime::Handle::current(),
    );
    let mut changes = app.subscribe();
    app.watch_all(WatchOptions::default());

    // The CLI changes a setting while the app runs: the app hears it, without a restart.
    let set = world
        .run(
            &["config", "set", "notifications.min_severity", "critical"],
            "",
        )
        .await;
    assert!(ok(&set).contains("notifications.min_severity = critical"));
    settings_change(&mut changes, |s| {
        s.notifications.min_severity == Severity::Critical
    })
    .await;

    // The app changes another one: the CLI sees both, nothing overwritten.
    app.set_setting("language", "ar").unwrap();
    let seen: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["config", "get", "--json"], "").await)).unwrap();
    assert_eq!(seen["language"], "ar", "{seen}");
    assert_eq!(seen["notifications"]["min_severity"], "critical", "{seen}");

    // Travel mode from the CLI, printed as the settings it made; the app keeps its language.
    let travel: serde_json::Value = serde_json::from_str(&ok(&world
        .run(&["travel", "--until", "3d", "--json"], "")
        .await))
    .unwrap();
    assert!(travel["travel_mode_until"].is_string(), "{travel}");
    let heard = settings_change(&mut changes, |s| s.travel_mode_until.is_some()).await;
    assert_eq!(heard.language, Some(Language::Ar));
    assert_eq!(app.settings(), heard);

    // A wrong value is a usage error that names the setting, and changes nothing.
    let wrong = world
        .run(&["config", "set", "notifications.sound", "loud"], "")
        .await;
    assert!(fails_cleanly(&wrong).contains("notifications.sound"));
    assert_eq!(wrong.status.code(), Some(2));
    let one = ok(&world
        .run(&["config", "get", "notifications.sound"], "")
        .await);
    assert_eq!(one.trim(), app.settings().notifications.sound.to_string());

    // The window's trusted-devices view, from the terminal.
    let devices: serde_json::Value = serde_json::from_str(&ok(&world
        .run(&["trusted-devices", "list", "--json"], "")
        .await))
    .unwrap();
    assert!(
        devices.as_array().is_some_and(|d| d.is_empty()),
        "{devices}"
    );
    world.forget_keyring();
}
