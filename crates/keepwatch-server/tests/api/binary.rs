//! The real `keepwatch-server` binary: add-user, then serve, then sign in over HTTP.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use keepwatch_api::paths;
use reqwest::StatusCode;

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_keepwatch-server");

/// Every line `output` prints, on a channel fed by a thread of its own.
fn lines(output: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// The first line within `within` that `pick` takes something from; the lines passed over
/// are kept in `seen`, for the failure message and later checks.
fn wait_for_line<T>(
    rx: &mpsc::Receiver<String>,
    within: Duration,
    seen: &mut Vec<String>,
    pick: impl Fn(&str) -> Option<T>,
) -> T {
    let deadline = Instant::now() + within;
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no such line within {within:?}: {seen:?}"));
        if let Some(found) = pick(&line) {
            return found;
        }
        seen.push(line);
    }
}

#[tokio::test]
async fn add_user_then_serve_then_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bin.sqlite");

    let mut add = Command::new(BIN)
        .args(["add-user", "--db"])
        .arg(&db)
        .args(["--email", EMAIL, "--password-stdin", "--totp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let secret = stdout
        .lines()
        .find_map(|l| l.strip_prefix("TOTP secret: "))
        .expect("the TOTP secret is printed")
        .to_owned();
    assert!(stdout.contains("otpauth://totp/"));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(PASSWORD),
        "the password is never logged"
    );

    // Without --password-stdin it refuses rather than prompting or reading argv.
    let refused = Command::new(BIN)
        .args(["add-user", "--db"])
        .arg(&db)
        .args(["--email", "x@example.com"])
        .output()
        .unwrap();
    assert!(!refused.status.success());

    let mut serve = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(&db)
        .args(["--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines(serve.stderr.take().unwrap());
    let mut seen = Vec::new();
    let base = wait_for_line(&rx, Duration::from_secs(20), &mut seen, |line| {
        line.split("listening on ")
            .nth(1)
            .filter(|_| line.starts_with("keepwatch-server"))
            .map(|url| url.trim().to_owned())
    });

    let mut body = password_body();
    body["totp_code"] = serde_json::json!(keepwatch_server::totp_now(&secret, chrono::Utc::now()));
    let resp = reqwest::Client::new()
        .post(format!("{base}{}", paths::LOGIN))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let pair: keepwatch_api::TokenPair = resp.json().await.unwrap();

    // add-address and add-withdrawal work beside the running server; a withdrawal to an
    // address in the book is marked so without being told.
    let add_address = |address: &str| {
        Command::new(BIN)
            .args(["add-address", "--db"])
            .arg(&db)
            .args([
                "--email",
                EMAIL,
                "--address",
                address,
                "--label",
                "cold wallet",
            ])
            .output()
            .unwrap()
    };
    let out = add_address("bc1qbook");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let refused = add_address("not an address");
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("without spaces") && !why.contains("panicked"),
        "{why}"
    );
    let out = Command::new(BIN)
        .args(["add-withdrawal", "--db"])
        .arg(&db)
        .args([
            "--email",
            EMAIL,
            "--asset",
            "BTC",
            "--amount",
            "1",
            "--address",
            "bc1qbook",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(BIN)
        .args(["add-withdrawal", "--db"])
        .arg(&db)
        .args([
            "--email",
            EMAIL,
            "--asset",
            "BTC",
            "--amount",
            "0.5",
            "--address",
            "bc1qcli",
        ])
        .args(["--from-ip", "203.0.113.9"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<keepwatch_api::Withdrawal> = reqwest::Client::new()
        .get(format!("{base}{}", paths::WITHDRAWALS))
        .bearer_auth(&pair.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut seen_list: Vec<_> = list
        .iter()
        .map(|w| (w.address.as_str(), w.ip.as_deref(), w.address_in_book))
        .collect();
    seen_list.sort();
    assert_eq!(
        seen_list,
        [
            ("bc1qbook", None, true),
            ("bc1qcli", Some("203.0.113.9"), false)
        ]
    );

    // SIGTERM shuts it down cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(s) = serve.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    let logs: Vec<String> = rx.try_iter().collect();
    assert!(
        !logs
            .iter()
            .chain(&seen)
            .any(|l| l.contains(PASSWORD) || l.contains(&secret)),
        "no secrets in logs"
    );
}

#[test]
fn serve_refuses_plain_http_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(dir.path().join("x.sqlite"))
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
}

/// `demo --intruder-after-sign-in` holds the intruder back until Keepwatch (a desktop client)
/// has signed in, so that the intruder is never among the sessions Keepwatch starts out trusting.
#[tokio::test]
async fn demo_intruder_waits_for_the_desktop_sign_in() {
    let mut demo = Command::new(BIN)
        .args(["demo", "--listen", "127.0.0.1:0", "--intruder-after", "0"])
        .arg("--intruder-after-sign-in")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines(demo.stdout.take().unwrap());
    let base = wait_for_line(&rx, Duration::from_secs(20), &mut Vec::new(), |line| {
        line.strip_prefix("Keepwatch demo server: ")
            .map(|url| url.trim().to_owned())
    });
    let http = reqwest::Client::new();
    let sign_in = |client: &'static str| {
        let http = http.clone();
        let url = format!("{base}{}", paths::LOGIN);
        async move {
            let body = serde_json::json!({
                "email": keepwatch_server::demo::DEMO_EMAIL,
                "password": keepwatch_server::demo::DEMO_PASSWORD,
                "client": client,
                "remember_me": true,
            });
            let resp = http.post(url).json(&body).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<keepwatch_api::TokenPair>().await.unwrap()
        }
    };
    let count_sessions = |token: String| {
        let http = http.clone();
        let url = format!("{base}{}", paths::SESSIONS);
        async move {
            let list: keepwatch_api::SessionList = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            list.sessions.len()
        }
    };

    // A browser sign-in does not release the intruder: three seeded sessions and this one.
    let web = sign_in("web").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(count_sessions(web.access_token.clone()).await, 4);

    // Keepwatch's does, and the intruder follows.
    sign_in("desktop").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while count_sessions(web.access_token.clone()).await < 6 {
        assert!(Instant::now() < deadline, "the intruder never came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = demo.kill();
    let _ = demo.wait();
}
