//! The core against the reference server over loopback HTTP: every client call, detection,
//! de-duplication across restarts, history offline, and being signed out.

mod support;

use std::time::{Duration, Instant};

use keepwatch_api::{ChangePasswordRequest, NewBlocklistEntry, SessionLength};
use keepwatch_core::api::{AlertFilter, AlertState, HistoryFilter, Resolution, SyncPhase};
use keepwatch_core::history::EndReason;
use keepwatch_core::{
    AlertKind, Api, Error, Keepwatch, Severity, SyncEngine, SyncOptions, SyncUpdate, Trust,
};
use support::world::*;
use tokio::sync::mpsc::UnboundedReceiver;

fn api_over(kw: Keepwatch) -> std::sync::Arc<Api> {
    Api::new(kw, tokio::runtime::Handle::current())
}

async fn next_alert(
    rx: &mut UnboundedReceiver<SyncUpdate>,
    within: Duration,
) -> Option<SyncUpdate> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(u @ SyncUpdate::Alert { .. })) => return Some(u),
            Ok(Some(_)) => continue,
            _ => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_account_call_works_against_the_reference_server() {
    require_secret_service!();
    let world = World::start().await;
    let browser = world.browser_login(berlin(), CHROME_MAC).await;
    let api = api_over(world.keepwatch());
    let login = api.sign_in(world.login_params(true)).await.unwrap();
    assert_eq!(login.sessions, 2);
    assert_eq!(login.alerts, 0, "trusted existing sessions raise nothing");
    let account = api.account(None).unwrap();
    let own = account.config().session_id.clone().unwrap();

    let status = api.sync_now(None).await.unwrap();
    assert!(status.is_online());
    let view = api.sessions(None).await.unwrap();
    assert!(view.status.is_online());
    assert_eq!(view.current_session_id, own);
    assert_eq!(view.sessions.len(), 2);
    let mine = view.sessions.iter().find(|s| s.session.current).unwrap();
    assert_eq!(mine.session.id, own);
    let theirs = view.sessions.iter().find(|s| !s.session.current).unwrap();
    assert_eq!(theirs.session.id, browser.session_id);
    assert_eq!(theirs.session.ip, berlin().to_string());
    assert_eq!(theirs.session.location.city.as_deref(), Some("Berlin"));
    assert_eq!(theirs.session.location.country_code.as_deref(), Some("DE"));
    assert!(theirs.session.network.isp.is_some());
    let label = &theirs.session.device.label;
    assert!(label.contains("Chrome"), "{label}");
    assert_eq!(theirs.trust, Some(Trust::Existing));

    // Security settings.
    let length = api.session_length(None).await.unwrap();
    let shorter = SessionLength {
        web_idle_days: 7,
        mobile_idle_days: length.mobile_idle_days,
    };
    assert_eq!(
        api.set_session_length(None, &shorter).await.unwrap(),
        shorter
    );
    assert!(matches!(
        api.set_session_length(
            None,
            &SessionLength {
                web_idle_days: 0,
                mobile_idle_days: 1
            }
        )
        .await,
        Err(Error::Api { status: 422, .. })
    ));
    let entry = api
        .add_block(
            None,
            &NewBlocklistEntry {
                address: sao_paulo().to_string(),
                note: Some("not me".into()),
            },
        )
        .await
        .unwrap();
    let listed = api.blocklist(None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (&listed[0].id, &listed[0].cidr, &listed[0].note),
        (&entry.id, &entry.cidr, &entry.note)
    );
    api.remove_block(None, &entry.id).await.unwrap();
    assert!(api.blocklist(None).await.unwrap().is_empty());
    assert!(matches!(
        api.remove_block(None, &entry.id).await,
        Err(Error::NotFound(_))
    ));
    world
        .server()
        .add_withdrawal(EMAIL, "BTC", "0.5", "bc1qexample", false, Some(sao_paulo()))
        .await
        .unwrap();
    let withdrawals = api.withdrawals(None, Some(10)).await.unwrap();
    assert_eq!(withdrawals.len(), 1);
    assert_eq!(withdrawals[0].amount, "0.5");
    assert!(api.login_history(None, Some(10)).await.unwrap().len() >= 2);
    assert!(api.trusted_devices(None).await.unwrap().is_empty());
    assert!(matches!(
        api.forget_trusted_device(None, "no-such-device").await,
        Err(Error::NotFound(_))
    ));
    let events = account
        .client_for("tests")
        .unwrap()
        .events(0, Some(100))
        .await
        .unwrap();
    assert!(events.events.len() >= 2);

    // Signing sessions out.
    assert!(matches!(
        account.revoke(&own, None).await,
        Err(Error::CurrentSession)
    ));
    account.revoke(&browser.session_id, None).await.unwrap();
    let ids: Vec<String> = account
        .client_for("tests")
        .unwrap()
        .sessions()
        .await
        .unwrap()
        .sessions
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec![own.clone()]);
    let history = api.history(None, HistoryFilter::default()).await.unwrap();
    let ended = history
        .rows
        .iter()
        .find(|s| s.id == browser.session_id)
        .unwrap();
    assert_eq!(ended.end_reason, Some(EndReason::SignedOutHere));
    assert!(matches!(
        account.revoke("no-such-session", None).await,
        Err(Error::NotFound(_))
    ));

    let second = world.browser_login(berlin(), CHROME_MAC).await;
    let third = world.browser_login(berlin(), CHROME_MAC).await;
    assert_eq!(account.revoke_others(None).await.unwrap(), 2);
    let left = account
        .client_for("tests")
        .unwrap()
        .sessions()
        .await
        .unwrap()
        .sessions;
    assert_eq!(left.len(), 1);
    assert!(left
        .iter()
        .all(|s| s.id != second.session_id && s.id != third.session_id));

    // Account actions.
    assert!(matches!(
        api.change_password(
            None,
            &ChangePasswordRequest {
                current_password: "wrong password!".into(),
                new_password: "another long password".into(),
            }
        )
        .await,
        Err(Error::InvalidCredentials)
    ));
    let changed = api
        .change_password(
            None,
            &ChangePasswordRequest {
                current_password: PASSWORD.into(),
                new_password: "another long password".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.revoked_sessions, 0);
    let reset = api
        .reset_two_factor(None, "another long password".into())
        .await
        .unwrap();
    assert!(!reset.reset.backup_codes.is_empty());
    assert!(reset.qr.is_some(), "the window's QR code comes with it");

    // Logout ends the session on the server and forgets the keyring entry.
    let id = account.id().to_owned();
    drop(account);
    api.sign_out(None, false).await.unwrap();
    assert!(matches!(
        keyring::Entry::new("keepwatch", &id)
            .unwrap()
            .get_password(),
        Err(keyring::Error::NoEntry)
    ));
    assert!(api.accounts().is_empty());
    let kw = api.keepwatch();
    assert!(
        kw.dirs().history_file(&id).exists(),
        "history kept on request"
    );
    // Where the user signs in from is nobody else's business on this machine.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let history = kw.dirs().history_file(&id);
        assert_eq!(mode(history.parent().unwrap()), 0o700);
        assert_eq!(mode(&history), 0o600);
        let mut wal = history.clone().into_os_string();
        wal.push("-wal");
        if std::path::Path::new(&wal).exists() {
            assert_eq!(mode(std::path::Path::new(&wal)), 0o600);
        }
        assert_eq!(mode(&kw.dirs().config_file()), 0o600);
        assert_eq!(mode(kw.dirs().config_file().parent().unwrap()), 0o700);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_foreign_sign_in_raises_one_takeover_alert_even_across_restarts() {
    require_secret_service!();
    let world = World::start().await;
    world.browser_login(berlin(), CHROME_MAC).await;
    let kw = world.keepwatch();
    kw.login(world.login_params(true)).await.unwrap();
    let account = kw.account(None).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let engine = SyncEngine::new(account.clone(), None, SyncOptions::default());
    let task = tokio::spawn(engine.run(tx, async move {
        let _ = stopped.await;
    }));
    // Wait for the stream to be open, so that the sign-in arrives live.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some(SyncUpdate::Synced {
                mode: keepwatch_core::SyncMode::Stream,
                ..
            })) => break,
            Ok(Some(_)) if Instant::now() < deadline => continue,
            other => panic!("stream never opened: {other:?}"),
        }
    }

    let started = Instant::now();
    let intruder = world.browser_login(sao_paulo(), CHROME_WINDOWS).await;
    let Some(SyncUpdate::Alert { alert, notice }) =
        next_alert(&mut rx, Duration::from_secs(5)).await
    else {
        panic!("no alert for the foreign sign-in");
    };
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(alert.alert.kind, AlertKind::PossibleTakeover);
    assert_eq!(alert.alert.severity, Severity::Critical);
    assert_eq!(
        alert.alert.session_id.as_deref(),
        Some(intruder.session_id.as_str())
    );
    assert!(notice.critical);
    assert!(notice.body.contains("São Paulo"), "{}", notice.body);
    assert!(notice.body.contains("Windows"), "{}", notice.body);
    assert!(
        !notice.body.contains(&sao_paulo().to_string()),
        "no IP in the notice"
    );

    // A VPN detour: the owner's own browser from Brazil is a warning, not a takeover.
    let detour = world.browser_login(sao_paulo(), CHROME_MAC).await;
    let Some(SyncUpdate::Alert { alert, .. }) = next_alert(&mut rx, Duration::from_secs(5)).await
    else {
        panic!("no alert for the VPN detour");
    };
    assert_eq!(
        alert.alert.session_id.as_deref(),
        Some(detour.session_id.as_str())
    );
    assert_eq!(alert.alert.severity, Severity::Warning);

    // A withdrawal to an address outside the book: critical, told by amount and destination.
    world
        .server()
        .add_withdrawal(
            EMAIL,
            "BTC",
            "0.42",
            "bc1q9h7garjyf0qk2k8ylqjc7n4hvdm5rr3vx0nsn5",
            false,
            Some(sao_paulo()),
        )
        .await
        .unwrap();
    let Some(SyncUpdate::Alert { alert, notice }) =
        next_alert(&mut rx, Duration::from_secs(5)).await
    else {
        panic!("no alert for the withdrawal");
    };
    assert_eq!(alert.alert.kind, AlertKind::UnknownWithdrawalAddress);
    assert_eq!(alert.alert.severity, Severity::Critical);
    assert!(notice.body.contains("0.42 BTC"), "{}", notice.body);

    let _ = stop.send(());
    task.await.unwrap().unwrap();
    drop(account);
    drop(kw);

    // Restart: a new instance on the same data raises nothing again.
    let api = api_over(world.keepwatch());
    let account = api.account(None).unwrap();
    let report = account.sync().await.unwrap();
    assert!(report.new_alerts.is_empty(), "{:?}", report.new_alerts);
    let alerts = api
        .alerts(None, AlertFilter::default())
        .await
        .unwrap()
        .alerts;
    assert_eq!(alerts.len(), 3);
    assert!(alerts.iter().all(|a| a.state == AlertState::Open));

    // "This was me" closes the alert and makes Brazil + Chrome-on-Windows familiar.
    api.confirm_session(None, &intruder.session_id)
        .await
        .unwrap();
    let alert = api
        .alerts(None, AlertFilter::default())
        .await
        .unwrap()
        .alerts
        .into_iter()
        .find(|a| a.alert.session_id.as_deref() == Some(intruder.session_id.as_str()))
        .unwrap();
    assert_eq!(alert.state, AlertState::Resolved);
    assert_eq!(alert.resolution, Some(Resolution::Confirmed));
    world.browser_login(sao_paulo(), CHROME_WINDOWS).await;
    let report = account.sync().await.unwrap();
    assert!(report.new_alerts.is_empty(), "{:?}", report.new_alerts);
    forget_keyring(account.id());
}

#[tokio::test(flavor = "multi_thread")]
async fn history_survives_a_restart_and_is_served_offline() {
    require_secret_service!();
    let mut world = World::start().await;
    world.browser_login(berlin(), CHROME_MAC).await;
    let kw = world.keepwatch();
    kw.login(world.login_params(false)).await.unwrap();
    let id = kw.account(None).unwrap().id().to_owned();
    drop(kw);
    world.stop_server().await;

    let api = api_over(world.keepwatch());
    let started = Instant::now();
    let synced = api.sync_now(None).await.unwrap();
    let view = api.sessions(None).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(view.status, synced);
    assert_eq!(view.status.phase, SyncPhase::Offline);
    assert!(view.status.last_synced_at.is_some());
    assert!(view.status.last_error.is_some(), "says why");
    assert_eq!(view.sessions.len(), 2);
    let history = api
        .history(
            None,
            HistoryFilter {
                country_code: Some("de".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(history.rows.len(), 1);
    // Not trusted at login, so the Berlin browser was judged: an alert, kept offline too.
    let alerts = api.alerts(None, AlertFilter::default()).await.unwrap();
    assert!(!alerts.status.is_online());
    assert_eq!(alerts.alerts.len(), 1);
    let status = api.account_status(None).await.unwrap();
    assert!(!status.status.is_online());
    assert_eq!(status.active_sessions, 2);
    forget_keyring(&id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_session_reports_signed_out_and_keeps_history() {
    require_secret_service!();
    let world = World::start().await;
    let browser = world.browser_login(berlin(), CHROME_MAC).await;
    let kw = world.keepwatch();
    kw.login(world.login_params(true)).await.unwrap();
    let account = kw.account(None).unwrap();
    let own = account.config().session_id.clone().unwrap();
    // The browser signs Keepwatch's session out.
    let resp = world
        .http
        .delete(format!("{}/v1/sessions/{own}", world.base))
        .bearer_auth(&browser.access_token)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    // A fresh instance has no access token, so it must refresh, which the server refuses.
    let api = api_over(world.keepwatch());
    let account = api.account(None).unwrap();
    assert_eq!(
        api.sync_now(None).await.unwrap().phase,
        SyncPhase::SignedOut
    );
    let view = api.sessions(None).await.unwrap();
    assert_eq!(view.status.phase, SyncPhase::SignedOut);
    // History is still shown: the browser as active, Keepwatch's own session as ended by
    // someone else, which the refusal said.
    assert_eq!(view.sessions.len(), 1, "history is still shown");
    assert_eq!(view.sessions[0].session.id, browser.session_id);
    let ended = api
        .history(None, HistoryFilter::default())
        .await
        .unwrap()
        .rows
        .into_iter()
        .find(|s| s.id == own)
        .expect("Keepwatch's own session stays in history");
    assert_eq!(ended.end_reason, Some(EndReason::SignedOutElsewhere));
    let engine = SyncEngine::new(account.clone(), None, SyncOptions::default());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let result = tokio::time::timeout(
        Duration::from_secs(5),
        engine.run(tx, std::future::pending()),
    )
    .await
    .expect("the engine stops by itself when signed out");
    // Someone else ended Keepwatch's session: the server says who, and that is an alarm.
    let Err(Error::SessionEnded(revocation)) = result else {
        panic!("{result:?}");
    };
    assert_eq!(
        revocation.by_session.as_deref(),
        Some(browser.session_id.as_str())
    );
    let mut saw_signed_out = false;
    while let Ok(u) = rx.try_recv() {
        saw_signed_out |= u == SyncUpdate::SignedOut;
    }
    assert!(saw_signed_out);
    let alerts = account.cached_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    assert_eq!(alerts[0].alert.kind, AlertKind::KeepwatchSignedOut);
    assert_eq!(
        alerts[0].alert.session_id.as_deref(),
        Some(browser.session_id.as_str())
    );
    forget_keyring(account.id());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offline_start_with_no_server_at_all_serves_history() {
    require_secret_service!();
    let mut world = World::start().await;
    let kw = world.keepwatch();
    kw.login(world.login_params(true)).await.unwrap();
    let id = kw.account(None).unwrap().id().to_owned();
    drop(kw);
    world.stop_server().await;
    let kw = world.keepwatch();
    let account = kw.account(None).unwrap();
    let engine = SyncEngine::new(
        account.clone(),
        None,
        SyncOptions {
            poll_interval: Duration::from_millis(200),
            backoff_base: Duration::from_millis(50),
            backoff_cap: Duration::from_millis(200),
            ..Default::default()
        },
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(engine.run(tx, async move {
        let _ = stopped.await;
    }));
    let update = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(
            update,
            SyncUpdate::Offline {
                last_synced_at: Some(_),
                ..
            }
        ),
        "{update:?}"
    );
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    forget_keyring(&id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_refreshing_at_once_never_present_the_same_refresh_token() {
    require_secret_service!();
    let world = World::start().await;
    world
        .keepwatch()
        .login(world.login_params(true))
        .await
        .unwrap();
    // Like `keepwatch watch` and a few CLI commands started together: separate instances with
    // no access token yet, all refreshing from the one keyring entry. A refresh token presented
    // twice makes the server end the session.
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let kw = world.keepwatch();
        tasks.push(tokio::spawn(async move {
            kw.account(None)
                .unwrap()
                .client_for("tests")
                .unwrap()
                .sessions()
                .await
                .map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every instance stays signed in");
    }
    let account = world.keepwatch().account(None).unwrap();
    account
        .client_for("tests")
        .unwrap()
        .sessions()
        .await
        .unwrap();
    forget_keyring(account.id());
}

#[tokio::test(flavor = "multi_thread")]
async fn https_to_a_self_hosted_server_needs_its_ca_and_then_works() {
    require_secret_service!();
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let tls = keepwatch_server::TlsFiles {
        cert: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&tls.cert, cert.cert.pem()).unwrap();
    std::fs::write(&tls.key, cert.key_pair.serialize_pem()).unwrap();
    let server = keepwatch_server::start(keepwatch_server::ServerConfig {
        db_path: dir.path().join("server.sqlite"),
        listen: "127.0.0.1:0".parse().unwrap(),
        tls: Some(tls.clone()),
        trusted_proxies: vec![],
        forwarded_header: keepwatch_server::ForwardedHeader::XForwardedFor,
        geo: std::sync::Arc::new(keepwatch_geo::GeoDb::empty()),
        clock: std::sync::Arc::new(keepwatch_server::SystemClock),
        limits: keepwatch_server::Limits::for_tests(),
    })
    .await
    .unwrap();
    server.add_user(EMAIL, PASSWORD, false).await.unwrap();
    let url = format!("https://localhost:{}", server.local_addr().port());
    let kw = keepwatch_at(dir.path().join("kw"), Default::default());
    let mut params = login_params_for(url, EMAIL, PASSWORD, true);
    // An unknown CA is a clear network error, not a panic and not a silent downgrade.
    let err = kw.login(params.clone()).await.unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
    params.ca_cert = Some(tls.cert.clone());
    kw.login(params).await.unwrap();
    let account = kw.account(None).unwrap();
    assert_eq!(
        account
            .client_for("tests")
            .unwrap()
            .sessions()
            .await
            .unwrap()
            .sessions
            .len(),
        1
    );
    // A restart reads the CA from the configuration.
    let kw = keepwatch_core::Keepwatch::with_parts(
        keepwatch_core::DataDirs::single(dir.path().join("kw")),
        keepwatch_core::secrets::Secrets::keyring(),
        Default::default(),
    )
    .unwrap();
    let api = api_over(kw);
    assert!(api.sync_now(None).await.unwrap().is_online());
    let account = api.account(None).unwrap();
    forget_keyring(account.id());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reference_servers_sign_in_rate_limit_is_waited_out() {
    require_secret_service!();
    let dir = tempfile::tempdir().unwrap();
    let server = keepwatch_server::start(keepwatch_server::ServerConfig {
        db_path: dir.path().join("server.sqlite"),
        listen: "127.0.0.1:0".parse().unwrap(),
        tls: None,
        trusted_proxies: vec![],
        forwarded_header: keepwatch_server::ForwardedHeader::XForwardedFor,
        geo: std::sync::Arc::new(keepwatch_geo::GeoDb::empty()),
        clock: std::sync::Arc::new(keepwatch_server::SystemClock),
        limits: keepwatch_server::Limits {
            login_rate_max: 2,
            login_rate_window: Duration::from_secs(1),
            ..keepwatch_server::Limits::for_tests()
        },
    })
    .await
    .unwrap();
    server.add_user(EMAIL, PASSWORD, false).await.unwrap();
    let kw = keepwatch_at(dir.path().join("kw"), Default::default());
    let mut params = login_params_for(server.base_url(), EMAIL, "wrong password", true);
    // Two attempts use up the window...
    for _ in 0..2 {
        assert!(matches!(
            kw.login(params.clone()).await,
            Err(Error::InvalidCredentials)
        ));
    }
    // ...so the third is answered 429 with Retry-After, waited out, and goes through.
    params.password = PASSWORD.into();
    let started = Instant::now();
    kw.login(params).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500),
        "retried after {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "retried after {waited:?}");
    forget_keyring(kw.account(None).unwrap().id());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_not_remembered_stays_out_of_the_keyring_and_ends_with_keepwatch() {
    require_secret_service!();
    let world = World::start().await;
    let kw = world.keepwatch();
    // A remembered sign-in first, whose keyring entry the unremembered one must remove.
    kw.login(world.login_params(true)).await.unwrap();
    let entry = keyring::Entry::new("keepwatch", &world.account_id()).unwrap();
    assert!(entry.get_password().is_ok(), "remembered: in the keyring");

    let first = kw.accounts(None)[0].session_id.clone().unwrap();
    let mut params = world.login_params(true);
    params.remember = false;
    let view = kw.login(params).await.unwrap();
    let owner = world.browser_login(berlin(), CHROME_MAC).await;
    assert!(
        !world
            .server_session_ids(&owner.access_token)
            .await
            .contains(&first),
        "signing in again ends the session it replaces"
    );
    assert!(!view.account.remembered);
    assert!(
        matches!(entry.get_password(), Err(keyring::Error::NoEntry)),
        "not remembered: nothing in the keyring"
    );
    // It works while Keepwatch runs, refreshing from memory.
    let account = kw.account(None).unwrap();
    let sessions = account
        .client_for("tests")
        .unwrap()
        .sessions()
        .await
        .unwrap();
    let own = sessions.current_session_id.clone();
    assert_eq!(account.config().session_id.as_deref(), Some(own.as_str()));

    // Quitting ends the session on the server, since nothing could resume it.
    let browser = owner;
    assert!(world
        .server_session_ids(&browser.access_token)
        .await
        .contains(&own));
    assert_eq!(kw.end_unremembered_sessions().await, 1);
    assert!(!world
        .server_session_ids(&browser.access_token)
        .await
        .contains(&own));

    // After a restart the account and its history are there, signed out.
    drop((account, kw));
    let kw = world.keepwatch();
    assert!(!kw.accounts(None)[0].remembered);
    let api = api_over(kw);
    assert_eq!(
        api.sync_now(None).await.unwrap().phase,
        SyncPhase::SignedOut
    );
    let sessions = api.sessions(None).await.unwrap();
    assert_eq!(sessions.status.phase, SyncPhase::SignedOut);
    assert!(!sessions.sessions.is_empty(), "history is still shown");
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
}

#[tokio::test(flavor = "multi_thread")]
async fn trusting_this_computer_skips_the_2fa_prompt_next_time() {
    use keepwatch_server::Clock as _;
    require_secret_service!();
    let world = World::start().await;
    let email = "tfa@example.com";
    let user = world
        .server()
        .add_user(email, PASSWORD, true)
        .await
        .unwrap();
    let secret = user.totp_secret.clone().expect("a 2FA account");
    let id = keepwatch_core::account_id(&world.base, email).unwrap();
    let mut params = world.login_params(true);
    params.email = email.into();

    let kw = world.keepwatch();
    assert!(matches!(
        kw.login(params.clone()).await,
        Err(Error::TotpRequired)
    ));
    let mut first = params.clone();
    first.totp_code = Some(keepwatch_server::totp_now(&secret, world.clock.now()));
    first.trust_device = true;
    kw.login(first).await.unwrap();

    // Another start, no code: the trusted-device token from the keyring stands in for it.
    drop(kw);
    let kw = world.keepwatch();
    kw.login(params).await.expect("no 2FA prompt");

    // Signing out forgets the trust too.
    let account = kw.account(Some(&id)).unwrap();
    kw.logout(account, false).await.unwrap();
    let device = keyring::Entry::new("keepwatch", &format!("{id}#device-token")).unwrap();
    assert!(matches!(
        device.get_password(),
        Err(keyring::Error::NoEntry)
    ));
    forget_keyring(&id);
}
