//! The desktop notifier's buttons, checked against a real D-Bus notification server
//! (python3-dbusmock): notifications waiting for a button hold a thread each, and their
//! number is bounded; a sign-out that needs the password is done in the window.

use std::time::{Duration, Instant};

use keepwatch_core::notifier::AlertNotice;
use keepwatch_core::notifier::NoticeAction;
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
        sign_out_in_window: false,
        language: Language::En,
    }
}

/// One notification server owns the bus name at a time, and the thread count is the
/// process's: the tests take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn take_turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    let _turn = take_turn();
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

#[test]
fn a_sign_out_that_needs_the_password_opens_the_window_and_is_not_offered_without_one() {
    require_secret_service!();
    let _turn = take_turn();
    let dir = tempfile::tempdir().unwrap();
    let daemon = NotificationDaemon::start(dir.path());
    let (actions, mut requests) = tokio::sync::mpsc::unbounded_channel();
    let matrix = AlertNotice {
        sign_out_in_window: true,
        ..notice(1)
    };

    // The app: the button is there, and pressing it asks the window to show the alert, whose
    // sign-out step asks for the password.
    DesktopNotifier::with_open_action()
        .notify(matrix.clone(), actions.clone())
        .unwrap();
    wait_for("the app's Notify call", || daemon.notify_calls().len() == 1);
    assert!(daemon.notify_calls()[0].contains("sign_out"));
    daemon.invoke_action(1, "sign_out");
    let request = requests.blocking_recv().unwrap();
    assert_eq!(request.action, NoticeAction::Open);
    assert_eq!(request.alert_key, "session:s1");

    // A terminal's `watch`: no window to ask in, so no sign-out button; "This was me" stays.
    DesktopNotifier::new().notify(matrix, actions).unwrap();
    wait_for("the terminal's Notify call", || {
        daemon.notify_calls().len() == 2
    });
    let call = &daemon.notify_calls()[1];
    assert!(!call.contains("sign_out"), "{call}");
    assert!(call.contains("this_was_me"), "{call}");
    daemon.invoke_action(2, "this_was_me");
    let request = requests.blocking_recv().unwrap();
    assert_eq!(request.action, NoticeAction::ThisWasMe);
}
