//! A Matrix account watched like any other, against a real Synapse over real HTTP: signing in
//! with a password, sessions labelled from their User-Agents and placed from the location
//! data in Keepwatch's data folder, alerts that tell a takeover from a VPN detour, signing
//! devices out with the password, and the alarm when someone else signs Keepwatch's own
//! device out.
//!
//! Real parts: Synapse (installed by `./run test`, see `keepwatch-testkit`), gnome-keyring's
//! Secret Service for the tokens, SQLite history on disk, and the project's generated location
//! fixtures. Without Synapse the test skips loudly (`KEEPWATCH_REQUIRE_SYNAPSE=1` fails it).

mod support;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use keepwatch_core::api::FocusRequest;
use keepwatch_core::provider::ProviderKind;
use keepwatch_core::{
    AlertKind, Error, LoginParams, ResponseStep, Severity, SyncEngine, SyncMode, SyncOptions,
    SyncUpdate,
};
use keepwatch_matrix::{AccessToken, MatrixClient, Password};
use support::world::*;

fn lagos() -> IpAddr {
    keepwatch_geo::fixture::LAGOS_V4.parse().unwrap()
}

/// The alerts `report` raised about session `id`.
fn about<'a>(
    report: &'a keepwatch_core::SyncReport,
    id: &str,
) -> Vec<&'a keepwatch_core::AlertRecord> {
    report
        .new_alerts
        .iter()
        .filter(|a| a.alert.session_id.as_deref() == Some(id))
        .collect()
}

fn sign_in(server: &str, user: &SynapseUser) -> LoginParams {
    let mut params = login_params_for(server.into(), &user.localpart, &user.password, true);
    params.provider = Some(ProviderKind::Matrix);
    params
}

#[tokio::test]
async fn a_matrix_account_is_watched_like_any_other() {
    let synapse = require_synapse!();
    let user = synapse.new_user("ann").await;
    let dir = tempfile::tempdir().unwrap();
    keepwatch_geo::fixture::write_standard(&dir.path().join("geo")).unwrap();
    // The owner's own browser, at home in Berlin, before Keepwatch arrives.
    let home = synapse.browser_login(&user, berlin(), CHROME_MAC).await;

    let kw = keepwatch_at(dir.path().to_path_buf(), Default::default());
    let signed = kw.login(sign_in(synapse.base_url(), &user)).await.unwrap();
    assert_eq!(signed.sessions, 2, "the owner's browser and Keepwatch");
    assert_eq!(
        signed.alerts, 0,
        "what was signed in already is the owner's"
    );
    let account = kw.account(None).unwrap();
    assert_eq!(account.config().provider, ProviderKind::Matrix);
    assert_eq!(account.config().email, user.user_id);

    let sessions = account.active_sessions().await.unwrap();
    let chrome = sessions.iter().find(|s| s.id == home.device_id).unwrap();
    assert!(
        chrome.device_label.starts_with("Chrome 124 on macOS"),
        "{chrome:?}"
    );
    assert_eq!(chrome.city.as_deref(), Some("Berlin"), "{chrome:?}");
    assert_eq!(chrome.country_code.as_deref(), Some("DE"));
    assert!(chrome.isp.is_some(), "{chrome:?}");
    let own = sessions.iter().find(|s| s.own).unwrap();
    assert!(own.device_label.starts_with("Keepwatch"), "{own:?}");

    // An intruder: a browser the owner never used, from a country the owner never was in.
    let intruder = synapse.browser_login(&user, lagos(), FIREFOX_LINUX).await;
    let report = account.sync().await.unwrap();
    let takeover = about(&report, &intruder.device_id);
    assert_eq!(takeover.len(), 1, "{:?}", report.new_alerts);
    assert_eq!(takeover[0].alert.severity, Severity::Critical);
    // Its response is what Matrix can do: sign the device out, not review withdrawals.
    let steps = &takeover[0].alert.steps;
    assert!(
        steps
            .iter()
            .any(|s| matches!(s, ResponseStep::SignOutSession { .. })),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|s| matches!(
            s,
            ResponseStep::ReviewWithdrawals
                | ResponseStep::BlockIp { .. }
                | ResponseStep::ResetTwoFactor
        )),
        "{steps:?}"
    );

    // The owner's Chrome through a VPN in São Paulo: a known device in an odd place.
    let detour = synapse.browser_login(&user, sao_paulo(), CHROME_MAC).await;
    let report = account.sync().await.unwrap();
    let vpn = about(&report, &detour.device_id);
    assert_eq!(vpn.len(), 1, "{:?}", report.new_alerts);
    assert_eq!(vpn[0].alert.severity, Severity::Warning);

    // Signing a device out asks for the password, and refuses a wrong one.
    assert!(matches!(
        account.revoke(&intruder.device_id, None).await,
        Err(Error::PasswordRequired)
    ));
    assert!(matches!(
        account.revoke(&intruder.device_id, Some("not it")).await,
        Err(Error::InvalidCredentials)
    ));
    account
        .revoke(&intruder.device_id, Some(&user.password))
        .await
        .unwrap();
    let left: Vec<String> = account
        .active_sessions()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(!left.contains(&intruder.device_id), "{left:?}");
    assert_eq!(
        account.revoke_others(Some(&user.password)).await.unwrap(),
        2
    );
    account.sync().await.unwrap();
    let left = account.active_sessions().await.unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].own);

    // Someone else signs Keepwatch's own device out: that is an alarm, not a grey icon.
    let other = synapse.browser_login(&user, berlin(), CHROME_MAC).await;
    MatrixClient::new(synapse.base_url(), &Default::default())
        .unwrap()
        .delete_device(
            &AccessToken::new(other.access_token.clone()),
            &user.user_id,
            &Password::new(user.password.clone()),
            &own.id,
        )
        .await
        .unwrap();
    let err = account.sync().await.unwrap_err();
    assert!(matches!(err, Error::SessionEnded(_)), "{err:?}");
    let alarm: Vec<_> = account
        .cached_alerts()
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.alert.kind == AlertKind::KeepwatchSignedOut)
        .collect();
    assert_eq!(alarm.len(), 1, "{alarm:?}");
    assert_eq!(alarm[0].alert.severity, Severity::Critical);
}

#[tokio::test]
async fn a_new_device_is_reported_within_seconds_through_sync() {
    let synapse = require_synapse!();
    let user = synapse.new_user("bob").await;
    let dir = tempfile::tempdir().unwrap();
    keepwatch_geo::fixture::write_standard(&dir.path().join("geo")).unwrap();
    synapse.browser_login(&user, berlin(), CHROME_MAC).await;
    let kw = keepwatch_at(dir.path().to_path_buf(), Default::default());
    kw.login(sign_in(synapse.base_url(), &user)).await.unwrap();
    // Polls ten minutes apart: only /sync can bring the news in time.
    let engine = SyncEngine::new(
        kw.account(None).unwrap(),
        None,
        SyncOptions {
            poll_interval: Duration::from_secs(600),
            ..Default::default()
        },
    );
    let (tx, mut updates) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(engine.run(tx, async {
        let _ = stopped.await;
    }));
    while !matches!(
        next(&mut updates).await,
        SyncUpdate::Synced {
            mode: SyncMode::Stream,
            ..
        }
    ) {}

    let began = Instant::now();
    let intruder = synapse.browser_login(&user, lagos(), FIREFOX_LINUX).await;
    let alert = loop {
        if let SyncUpdate::Alert { alert, .. } = next(&mut updates).await {
            if alert.alert.session_id.as_deref() == Some(&intruder.device_id) {
                break alert;
            }
        }
    };
    assert_eq!(alert.alert.severity, Severity::Critical);
    assert!(
        began.elapsed() < Duration::from_secs(20),
        "{:?}",
        began.elapsed()
    );
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}

#[tokio::test]
async fn an_offline_start_shows_the_matrix_sessions_history_has() {
    let synapse = require_synapse!();
    let user = synapse.new_user("offline").await;
    let dir = tempfile::tempdir().unwrap();
    keepwatch_geo::fixture::write_standard(&dir.path().join("geo")).unwrap();
    let home = synapse.browser_login(&user, berlin(), CHROME_MAC).await;
    {
        let kw = keepwatch_at(dir.path().to_path_buf(), Default::default());
        kw.login(sign_in(synapse.base_url(), &user)).await.unwrap();
    }
    // The homeserver cannot be reached any more: the account now points where nothing listens.
    let config = dir.path().join("config.json");
    let text = std::fs::read_to_string(&config).unwrap();
    let base = synapse.base_url().trim_end_matches('/');
    assert!(text.contains(base), "{text}");
    std::fs::write(&config, text.replace(base, "http://127.0.0.1:9")).unwrap();

    let api = keepwatch_core::Api::new(
        keepwatch_at(dir.path().to_path_buf(), Default::default()),
        tokio::runtime::Handle::current(),
    );
    let status = api.sync_now(None).await.unwrap();
    assert_eq!(
        status.phase,
        keepwatch_core::api::SyncPhase::Offline,
        "{status:?}"
    );
    let page = api.sessions(None).await.unwrap();
    let chrome = page
        .sessions
        .iter()
        .find(|s| s.session.id == home.device_id)
        .expect("the owner's browser, from history");
    assert_eq!(chrome.session.location.city.as_deref(), Some("Berlin"));
    assert_eq!(page.sessions.len(), 2, "{:?}", page.sessions);
    assert_eq!(page.status.phase, keepwatch_core::api::SyncPhase::Offline);
}

#[tokio::test]
async fn the_trays_sign_out_of_the_others_is_handed_to_the_window_where_the_password_is_needed() {
    let synapse = require_synapse!();
    let world = World::start().await;
    let user = synapse.new_user("tray").await;
    let dir = tempfile::tempdir().unwrap();
    let api = keepwatch_core::Api::new(
        keepwatch_at(dir.path().to_path_buf(), Default::default()),
        tokio::runtime::Handle::current(),
    );
    // The Keepwatch API signs the others out by itself: the tray confirms and calls it.
    api.sign_in(login_params_for(world.base.clone(), EMAIL, PASSWORD, true))
        .await
        .unwrap();
    assert!(!api.sign_out_others_in_window().unwrap());
    assert_eq!(api.take_focus_request(), None);

    // A Matrix account wants the password: a window is asked to come up and ask for it.
    api.sign_in(sign_in(synapse.base_url(), &user))
        .await
        .unwrap();
    let mut changes = api.subscribe();
    assert!(api.sign_out_others_in_window().unwrap());
    let change = tokio::time::timeout(Duration::from_secs(5), changes.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        change,
        keepwatch_core::api::Change::Focus {
            account_id: api.active_account_id().unwrap(),
            request: FocusRequest::SignOutOthers,
        }
    );
    // Kept for a window built only now, once.
    assert_eq!(api.take_focus_request(), Some(FocusRequest::SignOutOthers));
    assert_eq!(api.take_focus_request(), None);
}

/// The engine's next update, within half a minute.
async fn next(updates: &mut tokio::sync::mpsc::UnboundedReceiver<SyncUpdate>) -> SyncUpdate {
    tokio::time::timeout(Duration::from_secs(30), updates.recv())
        .await
        .expect("an update in time")
        .expect("the engine runs")
}

#[tokio::test]
async fn the_sign_in_form_learns_what_answers_at_an_address() {
    let synapse = require_synapse!();
    let world = World::start().await;
    let dir = tempfile::tempdir().unwrap();
    let api = keepwatch_core::Api::new(
        keepwatch_at(dir.path().to_path_buf(), Default::default()),
        tokio::runtime::Handle::current(),
    );
    let matrix = api.detect_provider(synapse.base_url()).await.unwrap();
    assert_eq!(matrix.provider, ProviderKind::Matrix);
    assert!(matrix.sign_in_supported);
    assert_eq!(matrix.server_url, synapse.base_url().trim_end_matches('/'));
    let ours = api.detect_provider(&world.base).await.unwrap();
    assert_eq!(ours.provider, ProviderKind::KeepwatchApi);
    // Nothing listening: an error to show, not a guess.
    assert!(api.detect_provider("http://127.0.0.1:9").await.is_err());
}
