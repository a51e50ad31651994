//! What an answer, the database file and its neighbours give away: caching, TOTP secrets and
//! backup codes at rest, file permissions.

use keepwatch_api::{paths, TwoFactorResetResponse};
use keepwatch_server::totp_now;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn answers_are_never_stored_by_caches() {
    let t = TestServer::start().await;
    t.user(false).await;
    let no_store = |resp: &reqwest::Response| {
        assert_eq!(
            resp.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{}",
            resp.url()
        );
    };
    let resp = t.login_raw(&password_body(), None, None).await;
    no_store(&resp);
    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();
    let resp = t
        .client
        .post(t.url(paths::REFRESH))
        .json(&json!({"refresh_token": pair.refresh_token}))
        .send()
        .await
        .unwrap();
    no_store(&resp);
    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();
    let resp = t
        .post(paths::TWO_FACTOR_RESET, &pair.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    no_store(&resp);
    for path in [paths::SESSIONS, paths::EVENTS, paths::TRUSTED_DEVICES] {
        no_store(&t.get(path, &pair.access_token).send().await.unwrap());
    }
    // Refusals too.
    no_store(&t.login_raw(&password_body(), None, None).await);
    no_store(&t.get(paths::SESSIONS, "nonsense").send().await.unwrap());
}

fn db_files(t: &TestServer) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["server.sqlite", "server.sqlite-wal"] {
        if let Ok(bytes) = std::fs::read(t._dir.path().join(name)) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[tokio::test]
async fn totp_secrets_and_backup_codes_are_not_in_the_database_files() {
    let t = TestServer::start().await;
    let user = t.user(true).await;
    let secret = user.totp_secret.clone().unwrap();
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(&secret, t.now()));
    let pair: keepwatch_api::TokenPair = t.login_raw(&body, None, None).await.json().await.unwrap();
    let fresh: TwoFactorResetResponse = t
        .post(paths::TWO_FACTOR_RESET, &pair.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let files = db_files(&t);
    assert!(!files.is_empty());
    for secret in [&secret, &fresh.secret] {
        assert!(
            !contains(&files, secret),
            "a TOTP secret is stored in the clear"
        );
    }

    // Backup codes are salted Argon2id, never a bare fast hash.
    let conn = rusqlite::Connection::open(t._dir.path().join("server.sqlite")).unwrap();
    let hashes: Vec<String> = conn
        .prepare("SELECT code_hash FROM backup_codes")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hashes.len(), 10);
    assert!(
        hashes.iter().all(|h| h.starts_with("$argon2id$")),
        "{hashes:?}"
    );
    // Each code has at least 50 bits: 10 base32 characters.
    for code in &fresh.backup_codes {
        assert!(code.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 10);
    }
    let mut body = password_body();
    body["backup_code"] = json!(fresh.backup_codes[3]);
    assert_eq!(
        t.login_raw(&body, None, None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn plaintext_totp_secrets_from_before_are_sealed_on_start() {
    let t = TestServer::start().await;
    t.user(true).await;
    let db = t._dir.path().join("server.sqlite");
    let plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    {
        // As an older server stored it.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE accounts SET totp_secret = ?1", [plain])
            .unwrap();
    }
    let config = keepwatch_server::ServerConfig {
        db_path: db.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        tls: None,
        trusted_proxies: vec![],
        forwarded_header: keepwatch_server::ForwardedHeader::XForwardedFor,
        geo: std::sync::Arc::new(keepwatch_geo::GeoDb::empty()),
        clock: t.clock.clone(),
        limits: keepwatch_server::Limits::for_tests(),
    };
    let restarted = keepwatch_server::start(config).await.unwrap();
    let stored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT totp_secret FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert!(stored.starts_with("enc1:"), "{stored}");
    assert!(!contains(&db_files(&t), plain));
    // And the migrated secret still signs in.
    let mut body = password_body();
    body["totp_code"] = json!(totp_now(plain, t.now()));
    let resp = reqwest::Client::new()
        .post(format!("{}{}", restarted.base_url(), paths::LOGIN))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    restarted.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn database_and_key_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestServer::start().await;
    t.user(true).await;
    t.login_raw(&password_body(), None, None).await;
    let mut seen = 0;
    for name in [
        "server.sqlite",
        "server.sqlite-wal",
        "server.sqlite-shm",
        "server.sqlite.key",
    ] {
        let path = t._dir.path().join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        seen += 1;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
    }
    assert_eq!(seen, 4, "the database, its WAL and SHM, and the key file");
}
