//! Client addresses behind proxies, TLS, and the plain-HTTP rule.

use std::sync::Arc;

use keepwatch_api::paths;
use keepwatch_geo::GeoDb;
use keepwatch_server::{
    start, ForwardedHeader, Limits, ServerConfig, ServerError, SystemClock, TlsFiles,
};
use reqwest::StatusCode;

use crate::support::*;

#[tokio::test]
async fn untrusted_peers_cannot_spoof_their_address() {
    let t = TestServer::start_with(Options {
        trust_loopback: false,
        ..Options::default()
    })
    .await;
    t.user(false).await;
    let pair = t.login_from(Some(ip("198.51.100.20")), CHROME_MAC).await;
    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .header("forwarded", "for=203.0.113.1")
        .send()
        .await
        .unwrap();
    let list: keepwatch_api::SessionList = resp.json().await.unwrap();
    assert_eq!(list.sessions[0].ip, "127.0.0.1");
    assert_eq!(
        list.sessions[0].location,
        keepwatch_api::Location::default()
    );
}

#[tokio::test]
async fn trusted_proxies_pass_the_right_most_untrusted_hop() {
    let t = TestServer::start().await;
    t.user(false).await;
    // The client claims to be 203.0.113.1; the proxy appended the address it really saw.
    let resp = t
        .client
        .post(t.url(paths::LOGIN))
        .header("x-forwarded-for", "203.0.113.1, 198.51.100.20")
        .json(&password_body())
        .send()
        .await
        .unwrap();
    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();
    let list = t.sessions(&pair.access_token).await;
    // The list request itself came without a header, from 127.0.0.1: the session's last
    // address moves there. Check the sign-in address in the history instead.
    assert_eq!(list.sessions[0].ip, "127.0.0.1");
    let history: Vec<keepwatch_api::LoginAttempt> = t
        .get(paths::LOGIN_HISTORY, &pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history[0].ip, "198.51.100.20");

    // `Forwarded` is not the configured header: ignored, even from a trusted proxy.
    let resp = t
        .get(paths::SESSIONS, &pair.access_token)
        .header("forwarded", r#"for="[2001:db8::7]:1234";proto=https"#)
        .send()
        .await
        .unwrap();
    let list: keepwatch_api::SessionList = resp.json().await.unwrap();
    assert_eq!(list.sessions[0].ip, "127.0.0.1");
}

/// The address a sign-in with `headers` from loopback is recorded under.
async fn sign_in_address(t: &TestServer, headers: &[(&str, &str)]) -> String {
    let mut req = t.client.post(t.url(paths::LOGIN)).json(&password_body());
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();
    let history: Vec<keepwatch_api::LoginAttempt> = t
        .get(paths::LOGIN_HISTORY, &pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    history[0].ip.clone()
}

const BOTH: [(&str, &str); 2] = [
    ("x-forwarded-for", "203.0.113.1, 198.51.100.20"),
    ("forwarded", r#"for=192.0.2.9, for="[2001:db8::7]:1234""#),
];

#[tokio::test]
async fn only_the_configured_forwarding_header_is_believed() {
    // A proxy that appends to X-Forwarded-For passes a client's own `Forwarded` through.
    let t = TestServer::start().await;
    t.user(false).await;
    assert_eq!(sign_in_address(&t, &BOTH).await, "198.51.100.20");
    assert_eq!(sign_in_address(&t, &BOTH[1..]).await, "127.0.0.1");

    // And the other way round.
    let t = TestServer::start_with(Options {
        forwarded_header: ForwardedHeader::Forwarded,
        ..Options::default()
    })
    .await;
    t.user(false).await;
    assert_eq!(sign_in_address(&t, &BOTH).await, "2001:db8::7");
    assert_eq!(sign_in_address(&t, &BOTH[..1]).await, "127.0.0.1");
}

#[tokio::test]
async fn untrusted_peers_are_not_believed_in_either_header() {
    for forwarded_header in [ForwardedHeader::XForwardedFor, ForwardedHeader::Forwarded] {
        let t = TestServer::start_with(Options {
            trust_loopback: false,
            forwarded_header,
            ..Options::default()
        })
        .await;
        t.user(false).await;
        assert_eq!(sign_in_address(&t, &BOTH).await, "127.0.0.1");
        assert_eq!(sign_in_address(&t, &BOTH[..1]).await, "127.0.0.1");
        assert_eq!(sign_in_address(&t, &BOTH[1..]).await, "127.0.0.1");
    }
}

fn self_signed(dir: &std::path::Path) -> (TlsFiles, String) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert_pem = cert.cert.pem();
    let files = TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&files.cert, &cert_pem).unwrap();
    std::fs::write(&files.key, cert.key_pair.serialize_pem()).unwrap();
    (files, cert_pem)
}

fn config(dir: &std::path::Path, listen: &str, tls: Option<TlsFiles>) -> ServerConfig {
    ServerConfig {
        db_path: dir.join("tls.sqlite"),
        listen: listen.parse().unwrap(),
        tls,
        trusted_proxies: vec![],
        forwarded_header: ForwardedHeader::XForwardedFor,
        geo: Arc::new(GeoDb::empty()),
        clock: Arc::new(SystemClock),
        limits: Limits::for_tests(),
    }
}

#[tokio::test]
async fn serves_https_with_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (files, pem) = self_signed(dir.path());
    let server = start(config(dir.path(), "127.0.0.1:0", Some(files)))
        .await
        .unwrap();
    let base = server.base_url();
    assert!(base.starts_with("https://localhost:"), "{base}");
    server.add_user(EMAIL, PASSWORD, false).await.unwrap();

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .https_only(true)
        .build()
        .unwrap();
    let resp = client
        .post(format!("{base}{}", paths::LOGIN))
        .json(&password_body())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();
    let resp = client
        .get(format!("{base}{}", paths::SESSIONS))
        .bearer_auth(&pair.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // A client that does not trust the certificate cannot connect, nor can plain HTTP talk.
    assert!(reqwest::Client::new()
        .get(format!("{base}{}", paths::OPENAPI))
        .send()
        .await
        .is_err());
    let plain = format!(
        "http://127.0.0.1:{}{}",
        server.local_addr().port(),
        paths::OPENAPI
    );
    let resp = reqwest::Client::new().get(plain).send().await;
    assert!(resp.map(|r| r.status() != StatusCode::OK).unwrap_or(true));
    server.shutdown().await;
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback_and_bad_tls_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    match start(config(dir.path(), "0.0.0.0:0", None)).await {
        Err(ServerError::PlainHttpNotLoopback(addr)) => assert_eq!(addr.port(), 0),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("plain HTTP on 0.0.0.0 must be refused"),
    }
    // With a certificate the same address is fine (port 0: nothing is exposed for long).
    let (files, _) = self_signed(dir.path());
    let server = start(config(dir.path(), "0.0.0.0:0", Some(files.clone())))
        .await
        .unwrap();
    server.shutdown().await;
    // Garbage certificate files are a clear error.
    std::fs::write(&files.cert, "not a pem").unwrap();
    assert!(matches!(
        start(config(dir.path(), "127.0.0.1:0", Some(files))).await,
        Err(ServerError::Tls(_))
    ));
}

#[tokio::test]
async fn data_and_event_ids_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), "127.0.0.1:0", None))
        .await
        .unwrap();
    server.add_user(EMAIL, PASSWORD, false).await.unwrap();
    let client = reqwest::Client::new();
    let login = |base: String| {
        let client = client.clone();
        async move {
            client
                .post(format!("{base}{}", paths::LOGIN))
                .json(&password_body())
                .send()
                .await
                .unwrap()
                .json::<keepwatch_api::TokenPair>()
                .await
                .unwrap()
        }
    };
    let first = login(server.base_url()).await;
    server.shutdown().await;

    let server = start(config(dir.path(), "127.0.0.1:0", None))
        .await
        .unwrap();
    let base = server.base_url();
    let resp = client
        .get(format!("{base}{}", paths::SESSIONS))
        .bearer_auth(&first.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "tokens outlive a restart");
    login(base.clone()).await;
    let events: keepwatch_api::EventList = client
        .get(format!("{base}{}", paths::EVENTS))
        .bearer_auth(&first.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        events.events.iter().map(|e| e.id).collect::<Vec<_>>(),
        [1, 2]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn connections_that_trickle_their_headers_are_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut options = Options::default();
    options.limits.header_read_timeout = std::time::Duration::from_millis(200);
    let t = TestServer::start_with(options).await;
    let mut conn = tokio::net::TcpStream::connect(t.server.local_addr())
        .await
        .unwrap();
    conn.write_all(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        conn.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the server closed the connection");
    // Complete requests are unaffected.
    let resp = t.client.get(t.url(paths::OPENAPI)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
