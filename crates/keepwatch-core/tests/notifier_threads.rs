//! Notifications waiting for a button hold a thread each: their number is bounded, checked
//! against a real D-Bus notification server (python3-dbusmock).

use std::time::{Duration, Instant};

use keepwatch_core::notifier::AlertNotice;
use keepwatch_core::wording::Language;
use keepwatch_core::{DesktopNotifier, Notifier};
use keepwatch_testkit::require_secret_service;
use keepwatch_testkit::NotificationDaemon;

fn notice(n: usize) -> AlertNotice {
    AlertNotice {
        alert_key: format!("session:s{n}"),
        session_id: Some(format!("s{n}")),
        title: "Possible account takeover".into(),
        body: format!("Chrome 124 on Windows 11 · São Paulo, Brazil ({n})"),
        critical: true,
        offer_actions: true,
        language: Language::En,
    }
}

/// Threads of this process named like the notifier's (Linux truncates names to 15 bytes).
fn notice_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "keepwatch-notic")
        .count()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn no_more_than_the_cap_wait_for_a_button_and_a_closed_one_frees_its_place() {
    require_secret_service!();
    let dir = tempfile::tempdir().unwrap();
    let daemon = NotificationDaemon::start(dir.path());
    let notifier = DesktopNotifier::with_open_action().with_max_waiting(2);
    let (actions, mut requests) = tokio::sync::mpsc::unbounded_channel();

    for n in 1..=6 {
        notifier.notify(notice(n), actions.clone()).unwrap();
    }
    wait_for("six Notify calls", || daemon.notify_calls().len() == 6);
    let calls = daemon.notify_calls();
    let with_buttons = calls.iter().filter(|c| c.contains("sign_out")).count();
    assert_eq!(with_buttons, 2, "only two carry buttons: {calls:#?}");
    assert!(calls[0].contains("sign_out") && calls[1].contains("sign_out"));
    // The four without buttons were shown and their threads are gone.
    wait_for("the button-less threads to end", || notice_threads() == 2);
    assert_eq!(notifier.waiting(), 2);

    // The user presses "Sign this session out" on the first: its thread ends, its place is free.
    daemon.invoke_action(1, "sign_out");
    let request = requests.blocking_recv().unwrap();
    assert_eq!(request.session_id, "s1");
    wait_for("a place to free", || notifier.waiting() == 1);
    notifier.notify(notice(7), actions.clone()).unwrap();
    wait_for("the seventh Notify call", || {
        daemon.notify_calls().len() == 7
    });
    assert!(
        daemon.notify_calls()[6].contains("sign_out"),
        "buttons again"
    );
    assert!(notice_threads() <= 2);
}
