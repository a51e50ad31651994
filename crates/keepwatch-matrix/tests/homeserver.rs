//! The client against a real Synapse over real HTTP (one server for this whole binary; each
//! test signs up users of its own), and against small loopback servers for what Synapse
//! cannot show: `.well-known` delegation, OAuth-only servers, and servers that are not Matrix.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use keepwatch_matrix::{
    device_display_name, discover, AccessToken, ClientOptions, Error, FoundVia, MatrixClient,
    NotMatrixKind, Password, SignIn,
};
use keepwatch_testkit::{
    foreign_address, require_synapse, serve_files, Answer, Synapse, SynapseUser, World,
    FIREFOX_LINUX,
};

/// Chrome on macOS: the owner's own browser.
const CHROME_MAC: &str = keepwatch_testkit::CHROME_MAC;

fn options() -> ClientOptions {
    ClientOptions::default()
}

/// A loopback HTTP server answering `routes` (path → status, JSON body) and 404 elsewhere.
async fn serve(routes: Vec<(&'static str, u16, String)>) -> String {
    let answers = routes
        .into_iter()
        .map(|(path, status, body)| Answer::new(path, status, body))
        .collect();
    serve_files(
        answers,
        "application/json",
        br#"{"errcode":"M_UNRECOGNIZED"}"#,
    )
    .await
}

/// Keepwatch's client for `synapse`, signed in as `user`.
async fn keepwatch_login(
    synapse: &Synapse,
    user: &SynapseUser,
) -> (MatrixClient, keepwatch_matrix::LoginSession) {
    let client = MatrixClient::new(synapse.base_url(), &options()).unwrap();
    let session = client
        .login_password(
            &user.localpart,
            &Password::new(user.password.clone()),
            &device_display_name("test-host"),
        )
        .await
        .expect("Keepwatch signs in");
    (client, session)
}

fn password(user: &SynapseUser) -> Password {
    Password::new(user.password.clone())
}

fn loopback() -> IpAddr {
    "127.0.0.1".parse().unwrap()
}

#[tokio::test]
async fn discovers_synapse_from_its_url() {
    let synapse = require_synapse!();
    let server = discover(synapse.base_url(), &options()).await.unwrap();
    assert_eq!(
        server.base_url.as_str().trim_end_matches('/'),
        synapse.base_url()
    );
    assert_eq!(server.found_via, FoundVia::Direct);
    assert!(
        server.versions.iter().any(|v| v == "v1.1"),
        "{:?}",
        server.versions
    );
    assert_eq!(server.sign_in, SignIn::Password);
    assert!(MatrixClient::for_homeserver(&server, &options()).is_ok());
}

#[tokio::test]
async fn discovers_synapse_from_a_user_id_through_well_known() {
    let synapse = require_synapse!();
    let well_known = serde_json::json!({"m.homeserver": {"base_url": synapse.base_url()}});
    let delegating = serve(vec![(
        "/.well-known/matrix/client",
        200,
        well_known.to_string(),
    )])
    .await;
    let server_name = delegating.trim_start_matches("http://");
    let user_id = format!("@ann:{server_name}");
    let server = discover(&user_id, &options()).await.unwrap();
    assert_eq!(
        server.base_url.as_str().trim_end_matches('/'),
        synapse.base_url()
    );
    assert_eq!(
        server.found_via,
        FoundVia::WellKnown {
            server_name: server_name.to_owned()
        }
    );
    assert_eq!(server.user_id.unwrap().localpart(), "ann");

    // A server name typed as a URL is followed the same way.
    let server = discover(&delegating, &options()).await.unwrap();
    assert_eq!(
        server.base_url.as_str().trim_end_matches('/'),
        synapse.base_url()
    );

    // A .well-known that names no valid base URL fails, rather than guessing.
    let broken = serve(vec![(
        "/.well-known/matrix/client",
        200,
        r#"{"m.homeserver": {"base_url": "http://matrix.example.org"}}"#.to_owned(),
    )])
    .await;
    let id = format!("@ann:{}", broken.trim_start_matches("http://"));
    assert!(
        matches!(
            discover(&id, &options()).await,
            Err(Error::InsecureUrl { .. })
        ),
        "a plain-http homeserver elsewhere is refused"
    );
}

#[tokio::test]
async fn tells_the_keepwatch_api_and_other_servers_apart_from_matrix() {
    let world = World::start().await;
    match discover(&world.base, &options()).await {
        Err(Error::NotMatrix { kind, .. }) => assert_eq!(kind, NotMatrixKind::KeepwatchApi),
        other => panic!("{other:?}"),
    }
    let nothing = serve(vec![("/", 200, "{}".to_owned())]).await;
    match discover(&nothing, &options()).await {
        Err(Error::NotMatrix { kind, .. }) => assert_eq!(kind, NotMatrixKind::Unknown),
        other => panic!("{other:?}"),
    }
    // Garbage where versions should be is "not Matrix", not a panic or a bad response.
    let garbage = serve(vec![(
        "/_matrix/client/versions",
        200,
        r#"{"versions": "yes"}"#.to_owned(),
    )])
    .await;
    assert!(matches!(
        discover(&garbage, &options()).await,
        Err(Error::NotMatrix { .. })
    ));
}

#[tokio::test]
async fn oauth_only_and_sso_only_servers_are_not_supported_yet() {
    let versions = r#"{"versions": ["v1.15"]}"#.to_owned();
    let oauth = serve(vec![
        ("/_matrix/client/versions", 200, versions.clone()),
        (
            "/_matrix/client/v1/auth_metadata",
            200,
            r#"{"issuer": "https://auth.example.org/"}"#.to_owned(),
        ),
        (
            "/_matrix/client/v3/login",
            200,
            r#"{"flows": [{"type": "m.login.sso"}]}"#.to_owned(),
        ),
    ])
    .await;
    let server = discover(&oauth, &options()).await.unwrap();
    assert_eq!(
        server.sign_in,
        SignIn::OAuth {
            issuer: Some("https://auth.example.org/".into())
        }
    );
    match MatrixClient::for_homeserver(&server, &options()) {
        Err(Error::SignInNotSupported { oauth_issuer, .. }) => {
            assert_eq!(oauth_issuer.as_deref(), Some("https://auth.example.org/"))
        }
        other => panic!("{other:?}"),
    }

    let sso = serve(vec![
        ("/_matrix/client/versions", 200, versions),
        (
            "/_matrix/client/v3/login",
            200,
            r#"{"flows": [{"type": "m.login.sso"}, {"type": "m.login.token"}]}"#.to_owned(),
        ),
    ])
    .await;
    let server = discover(&sso, &options()).await.unwrap();
    match MatrixClient::for_homeserver(&server, &options()) {
        Err(Error::SignInNotSupported {
            oauth_issuer: None,
            flows,
        }) => assert_eq!(flows, ["m.login.sso", "m.login.token"]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn signs_in_with_a_password_and_refreshes() {
    let synapse = require_synapse!();
    let user = synapse.new_user("signin").await;
    let client = MatrixClient::new(synapse.base_url(), &options()).unwrap();

    let wrong = client
        .login_password(&user.localpart, &Password::new("wrong"), "x")
        .await;
    assert!(matches!(wrong, Err(Error::InvalidCredentials)), "{wrong:?}");

    // By full user ID, as people type it.
    let session = client
        .login_password(&user.user_id, &password(&user), "Keepwatch on test-host")
        .await
        .unwrap();
    assert_eq!(session.user_id, user.user_id);
    let refresh = session
        .refresh_token
        .clone()
        .expect("Synapse issues a refresh token when asked");
    assert!(session.expires_in_ms.is_some_and(|ms| ms > 0));
    let shown = format!("{session:?}");
    assert!(
        !shown.contains(session.access_token.expose()) && !shown.contains(refresh.expose()),
        "Debug shows a token: {shown}"
    );

    let me = client.whoami(&session.access_token).await.unwrap();
    assert_eq!(me.device_id.as_deref(), Some(session.device_id.as_str()));
    let devices = client.devices(&session.access_token).await.unwrap();
    let ours = devices
        .iter()
        .find(|d| d.device_id == session.device_id)
        .unwrap();
    assert_eq!(ours.display_name.as_deref(), Some("Keepwatch on test-host"));

    let refreshed = client.refresh(&refresh).await.unwrap();
    assert_ne!(refreshed.access_token, session.access_token);
    let me = client.whoami(&refreshed.access_token).await.unwrap();
    assert_eq!(me.device_id.as_deref(), Some(session.device_id.as_str()));
    // Once the new access token was used, the old refresh token is spent.
    let spent = client.refresh(&refresh).await;
    assert!(
        matches!(spent, Err(Error::UnknownToken { .. })),
        "{spent:?}"
    );
    // The new refresh token still works.
    let again = client
        .refresh(refreshed.refresh_token.as_ref().unwrap_or(&refresh))
        .await;
    assert!(again.is_ok(), "{again:?}");
    // A refresh token that is not one is a typed error.
    let bogus = client
        .refresh(&keepwatch_matrix::RefreshToken::new("syr_not_a_token"))
        .await;
    assert!(
        matches!(bogus, Err(Error::UnknownToken { .. })),
        "{bogus:?}"
    );
}

#[tokio::test]
async fn a_foreign_browser_shows_with_its_address_user_agent_and_client() {
    let synapse = require_synapse!();
    let user = synapse.new_user("browser").await;
    let (client, session) = keepwatch_login(synapse, &user).await;
    let own = synapse.browser_login(&user, loopback(), CHROME_MAC).await;
    let foreign = synapse
        .browser_login(&user, foreign_address(), FIREFOX_LINUX)
        .await;
    // The owner's Element publishes its client information, as Element does.
    let put = reqwest::Client::new()
        .put(format!(
            "{}/_matrix/client/v3/user/{}/account_data/io.element.matrix_client_information.{}",
            synapse.base_url(),
            user.user_id,
            own.device_id
        ))
        .bearer_auth(&own.access_token)
        .json(&serde_json::json!({"name": "Element", "version": "1.11.70", "url": "https://app.element.io/"}))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());

    let sessions = client
        .sessions(&session.access_token, &user.user_id, &session.device_id)
        .await
        .unwrap();
    assert_eq!(sessions.whois, keepwatch_matrix::Source::Read);
    assert_eq!(sessions.devices.len(), 3, "{sessions:#?}");
    let find = |id: &str| {
        sessions
            .devices
            .iter()
            .find(|d| d.device.device_id == id)
            .unwrap_or_else(|| panic!("{id} listed: {sessions:#?}"))
    };

    let intruder = find(&foreign.device_id);
    assert_eq!(
        intruder.device.last_seen_ip.as_deref(),
        Some("5.255.255.70")
    );
    assert!(intruder.device.last_seen_ts.is_some());
    let connection = intruder.connection.as_ref().expect("whois knows its agent");
    assert_eq!(
        connection.connection.user_agent.as_deref(),
        Some(FIREFOX_LINUX)
    );
    assert_eq!(connection.candidates, 1);
    assert!(!intruder.is_current);
    assert_eq!(intruder.client_information, None);

    let element = find(&own.device_id);
    let info = element.client_information.as_ref().expect("Element's info");
    assert_eq!(
        (info.name.as_deref(), info.version.as_deref()),
        (Some("Element"), Some("1.11.70"))
    );
    // Two devices on 127.0.0.1: each joined to its own agent, by time.
    assert_eq!(element.device.last_seen_ip.as_deref(), Some("127.0.0.1"));

    let keepwatch = find(&session.device_id);
    assert!(keepwatch.is_current);
    assert!(keepwatch.connection.is_some(), "{keepwatch:#?}");
}

#[tokio::test]
async fn sync_reports_a_new_device_within_seconds() {
    let synapse = require_synapse!();
    let user = synapse.new_user("sync").await;
    let (client, session) = keepwatch_login(synapse, &user).await;
    let token = session.access_token.clone();
    let first = client
        .sync(&token, &user.user_id, None, Duration::ZERO)
        .await
        .unwrap();

    // Nothing happens: the long-poll waits its time and reports no change.
    let began = Instant::now();
    let quiet = client
        .sync(
            &token,
            &user.user_id,
            Some(&first.next_batch),
            Duration::from_millis(1500),
        )
        .await
        .unwrap();
    assert!(!quiet.own_devices_changed, "{quiet:?}");
    assert!(began.elapsed() >= Duration::from_millis(1000));

    let poll = {
        let (client, token, user_id, since) = (
            client.clone(),
            token.clone(),
            user.user_id.clone(),
            quiet.next_batch.clone(),
        );
        tokio::spawn(async move {
            let began = Instant::now();
            let update = client
                .sync(&token, &user_id, Some(&since), Duration::from_secs(30))
                .await;
            (update, began.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    synapse
        .browser_login(&user, foreign_address(), FIREFOX_LINUX)
        .await;
    let (update, waited) = tokio::time::timeout(Duration::from_secs(20), poll)
        .await
        .expect("the long-poll returns")
        .unwrap();
    let update = update.unwrap();
    assert!(update.own_devices_changed, "{update:?}");
    assert!(waited < Duration::from_secs(10), "took {waited:?}");
}

#[tokio::test]
async fn signs_out_one_device_and_all_others_with_the_password() {
    let synapse = require_synapse!();
    let user = synapse.new_user("signout").await;
    let (client, session) = keepwatch_login(synapse, &user).await;
    let token = &session.access_token;
    let mut browsers = Vec::new();
    for _ in 0..3 {
        browsers.push(
            synapse
                .browser_login(&user, foreign_address(), FIREFOX_LINUX)
                .await,
        );
    }
    let ids = |devices: Vec<keepwatch_matrix::Device>| {
        let mut ids: Vec<String> = devices.into_iter().map(|d| d.device_id).collect();
        ids.sort();
        ids
    };

    let wrong = client
        .delete_device(
            token,
            &user.user_id,
            &Password::new("not it"),
            &browsers[0].device_id,
        )
        .await;
    assert!(matches!(wrong, Err(Error::UiaFailed { .. })), "{wrong:?}");
    assert_eq!(ids(client.devices(token).await.unwrap()).len(), 4);

    client
        .delete_device(
            token,
            &user.user_id,
            &password(&user),
            &browsers[0].device_id,
        )
        .await
        .unwrap();
    let left = ids(client.devices(token).await.unwrap());
    assert_eq!(left.len(), 3);
    assert!(!left.contains(&browsers[0].device_id));

    let wrong = client
        .delete_other_devices(
            token,
            &user.user_id,
            &Password::new("not it"),
            &session.device_id,
        )
        .await;
    assert!(matches!(wrong, Err(Error::UiaFailed { .. })), "{wrong:?}");
    assert_eq!(ids(client.devices(token).await.unwrap()).len(), 3);

    let mut gone = client
        .delete_other_devices(token, &user.user_id, &password(&user), &session.device_id)
        .await
        .unwrap();
    gone.sort();
    let mut expected = vec![browsers[1].device_id.clone(), browsers[2].device_id.clone()];
    expected.sort();
    assert_eq!(gone, expected);
    assert_eq!(
        ids(client.devices(token).await.unwrap()),
        std::slice::from_ref(&session.device_id)
    );
    // The signed-out browsers' tokens are dead.
    let dead = client
        .whoami(&AccessToken::new(browsers[1].access_token.clone()))
        .await;
    assert!(matches!(dead, Err(Error::UnknownToken { .. })), "{dead:?}");
    // Nothing left to sign out: no request, no error.
    assert!(client
        .delete_other_devices(token, &user.user_id, &password(&user), &session.device_id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn being_signed_out_by_another_session_is_an_unknown_token() {
    let synapse = require_synapse!();
    let user = synapse.new_user("evicted").await;
    let (client, session) = keepwatch_login(synapse, &user).await;
    assert!(client.devices(&session.access_token).await.is_ok());
    // Someone (the owner, or an intruder with the password) signs Keepwatch out from a browser.
    let browser = synapse
        .browser_login(&user, foreign_address(), FIREFOX_LINUX)
        .await;
    client
        .delete_device(
            &AccessToken::new(browser.access_token),
            &user.user_id,
            &password(&user),
            &session.device_id,
        )
        .await
        .unwrap();
    for result in [
        client.devices(&session.access_token).await.map(|_| ()),
        client
            .sync(&session.access_token, &user.user_id, None, Duration::ZERO)
            .await
            .map(|_| ()),
    ] {
        assert!(
            matches!(result, Err(Error::UnknownToken { soft_logout: false })),
            "{result:?}"
        );
    }
    let refresh = session.refresh_token.expect("a refresh token");
    let refreshed = client.refresh(&refresh).await;
    assert!(
        matches!(refreshed, Err(Error::UnknownToken { .. })),
        "{refreshed:?}"
    );
}
