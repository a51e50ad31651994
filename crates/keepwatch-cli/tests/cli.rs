//! The `keepwatch` binary against the reference server: sign-in, sessions, revoking, trust,
//! offline review, export, logout, and the keyring.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn login_stores_the_token_in_the_secret_service_and_nowhere_on_disk() {
    require_secret_service!();
    let world = World::start().await;
    let out = ok(&world.login(&["--trust-existing"]).await);
    assert!(out.contains("Signed in as"), "{out}");

    // The default keyring store is the real one, not the crate's in-memory fallback.
    assert!(keepwatch_core::secrets::KeyringStore::is_persistent());
    let entry = keyring::Entry::new("keepwatch", &world.account_id()).unwrap();
    assert!(
        entry
            .get_credential()
            .downcast_ref::<keyring::secret_service::SsCredential>()
            .is_some(),
        "stored through the Secret Service"
    );
    let token = entry
        .get_password()
        .expect("the refresh token is in the Secret Service");
    assert!(token.len() >= 16);

    // Not in the config, not in the history database or its WAL, nowhere in the data folder.
    let files = files_under(&world.data_dir());
    assert!(files.iter().any(|f| f.ends_with("config.json")));
    assert!(files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "sqlite3")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the refresh token leaked into {}",
            file.display()
        );
    }

    // A second command refreshes the access token: the keyring then holds a new refresh token.
    ok(&world.run(&["sessions"], "").await);
    let rotated = entry.get_password().unwrap();
    assert_ne!(rotated, token, "rotation stored the new refresh token");

    // Logout forgets it.
    ok(&world.run(&["logout", "--forget-history"], "").await);
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
    assert!(!files_under(&world.data_dir())
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "sqlite3")));
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_revoke_trust_and_offline_history() {
    require_secret_service!();
    let mut world = World::start().await;
    let browser = world.browser_login(berlin(), CHROME_MAC).await;
    ok(&world.login(&["--trust-existing"]).await);

    // The table: device, IP + ISP, city + country, times, the current one marked.
    let table = ok(&world.run(&["sessions"], "").await);
    assert!(
        table.contains("DEVICE") && table.contains("LAST ACTIVITY"),
        "{table}"
    );
    assert!(table.contains("●"), "{table}");
    assert!(table.contains(&berlin().to_string()), "{table}");
    assert!(table.contains("Berlin, Germany"), "{table}");
    assert!(table.contains("Chrome"), "{table}");

    // JSON: the documented shape, the one the desktop window gets.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["sessions", "--json"], "").await)).unwrap();
    assert_eq!(json["status"]["account_id"], world.account_id());
    assert_eq!(json["status"]["phase"], "idle");
    let sessions = json["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let own = sessions.iter().find(|s| s["current"] == true).unwrap();
    let own_id = own["id"].as_str().unwrap().to_owned();
    assert_eq!(json["current_session_id"], own_id.as_str());
    let theirs = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(theirs["id"], browser.session_id.as_str());
    assert_eq!(theirs["location"]["country_code"], "DE");
    for key in [
        "/device/label",
        "/ip",
        "/network/isp",
        "/location/city",
        "/location/country",
        "/created_at",
        "/last_active_at",
        "/trust",
        "/open_alert",
    ] {
        assert!(theirs.pointer(key).is_some(), "missing {key}");
    }

    // Keepwatch's own session cannot be revoked this way.
    let err = fails_cleanly(&world.run(&["revoke", &own_id], "").await);
    assert!(err.contains("own session"), "{err}");
    // --all-others asks first; with no terminal and no --yes it refuses.
    fails_cleanly(&world.run(&["revoke", "--all-others"], "").await);
    assert_eq!(
        world.server_session_ids(&browser.access_token).await.len(),
        2
    );

    // A foreign sign-in, then "this was me".
    let intruder = world.browser_login(sao_paulo(), CHROME_WINDOWS).await;
    let alerts: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["alerts", "--json"], "").await)).unwrap();
    let list = alerts["alerts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{alerts}");
    assert_eq!(list[0]["alert"]["kind"], "possible_takeover");
    assert_eq!(list[0]["alert"]["severity"], "critical");
    assert_eq!(list[0]["state"], "open");
    assert_eq!(list[0]["alert"]["session_id"], intruder.session_id.as_str());
    ok(&world.run(&["trust", &intruder.session_id], "").await);
    let alerts: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["alerts", "--json"], "").await)).unwrap();
    assert_eq!(alerts["alerts"][0]["state"], "resolved");
    assert_eq!(alerts["alerts"][0]["resolution"], "confirmed");

    // Revoke one by id: it ends on the server.
    let out = ok(&world.run(&["revoke", &browser.session_id], "").await);
    assert!(out.contains(&browser.session_id));
    let resp = world
        .http
        .get(format!("{}/v1/sessions", world.base))
        .bearer_auth(&browser.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        401,
        "the revoked session's token no longer works"
    );
    ok(&world.run(&["revoke", "--all-others", "--yes"], "").await);

    // Offline: history is served and marked stale.
    world.stop_server().await;
    let out = world.run(&["sessions"], "").await;
    let table = ok(&out);
    assert!(
        stderr(&out).contains("offline — last synced"),
        "{}",
        stderr(&out)
    );
    assert!(table.contains("●"));
    let out = world.run(&["history", "--country", "BR"], "").await;
    let table = ok(&out);
    assert!(stderr(&out).contains("offline"));
    assert!(table.contains("São Paulo, Brazil"), "{table}");
    assert!(!table.contains("Berlin"), "{table}");
    let hist: serde_json::Value = serde_json::from_str(&ok(&world
        .run(
            &["history", "--json", "--text", "Windows", "--since", "1d"],
            "",
        )
        .await))
    .unwrap();
    assert_eq!(hist["status"]["phase"], "offline");
    assert_eq!(hist["rows"].as_array().unwrap().len(), 1);
    assert_eq!(hist["rows"][0]["end_reason"], "signed_out_here");

    // Export.
    let csv_path = world.dir.path().join("history.csv");
    ok(&world
        .run(
            &[
                "export",
                "--format",
                "csv",
                "--output",
                csv_path.to_str().unwrap(),
            ],
            "",
        )
        .await);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "session_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3, "the browser, Keepwatch and the intruder");
    assert!(rows
        .iter()
        .any(|r| &r[6] == "Brazil" && &r[5] == "São Paulo"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["export", "--format", "json"], "").await)).unwrap();
    assert_eq!(json["format"], "keepwatch-history-v1");
    assert_eq!(json["sessions"].as_array().unwrap().len(), 3);
    assert_eq!(json["alerts"].as_array().unwrap().len(), 1);
    assert!(!json["events"].as_array().unwrap().is_empty());
    world.forget_keyring();
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_one_clear_line_and_a_non_zero_exit() {
    let world = World::start().await;
    let err = fails_cleanly(&world.run(&["sessions"], "").await);
    assert!(err.contains("keepwatch login"), "{err}");
    let err = fails_cleanly(
        &world
            .run(
                &[
                    "login",
                    "--server",
                    "http://192.0.2.1",
                    "--email",
                    "a@b",
                    "--password-stdin",
                ],
                "pw\n",
            )
            .await,
    );
    assert!(err.contains("https://"), "{err}");
    let err = fails_cleanly(
        &world
            .run(&["history", "--since", "yesterday-ish"], "")
            .await,
    );
    assert!(
        err.contains("--since") || err.contains("cannot read"),
        "{err}"
    );
    let err = fails_cleanly(
        &world
            .run(
                &[
                    "login",
                    "--server",
                    &world.base,
                    "--email",
                    EMAIL,
                    "--password-stdin",
                ],
                "wrong password\n",
            )
            .await,
    );
    assert!(err.contains("wrong email or password"), "{err}");
    let err = fails_cleanly(
        &world
            .run(&["--account", "nobody@nowhere", "status"], "")
            .await,
    );
    assert!(
        err.contains("nobody@nowhere") || err.contains("login"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn account_actions_from_the_command_line() {
    require_secret_service!();
    let world = World::start().await;
    ok(&world.login(&[]).await);
    let out = ok(&world
        .run(
            &[
                "blocklist",
                "add",
                &sao_paulo().to_string(),
                "--note",
                "intruder",
            ],
            "",
        )
        .await);
    assert!(out.contains("Blocked"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["blocklist", "list", "--json"], "").await)).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();
    ok(&world.run(&["blocklist", "remove", &id], "").await);
    ok(&world
        .run(
            &[
                "session-length",
                "set",
                "--web-days",
                "7",
                "--mobile-days",
                "30",
            ],
            "",
        )
        .await);
    let l: serde_json::Value = serde_json::from_str(&ok(&world
        .run(&["session-length", "get", "--json"], "")
        .await))
    .unwrap();
    assert_eq!(l["web_idle_days"], 7);
    fails_cleanly(
        &world
            .run(
                &[
                    "session-length",
                    "set",
                    "--web-days",
                    "0",
                    "--mobile-days",
                    "30",
                ],
                "",
            )
            .await,
    );
    ok(&world.run(&["withdrawals"], "").await);
    let history = ok(&world.run(&["login-history"], "").await);
    assert!(history.contains("Success"), "{history}");
    let secret_file = world.dir.path().join("2fa.txt");
    let out = ok(&world
        .run(
            &[
                "2fa-reset",
                "--output",
                secret_file.to_str().unwrap(),
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        )
        .await);
    assert!(!out.contains("otpauth://"), "secrets are not printed");
    let written = std::fs::read_to_string(&secret_file).unwrap();
    assert!(written.contains("otpauth://"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    ok(&world
        .run(
            &["password", "--stdin"],
            &format!("{PASSWORD}\nan even longer password\n"),
        )
        .await);
    let accounts: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["accounts", "--json"], "").await)).unwrap();
    assert_eq!(accounts[0]["id"], world.account_id());
    let status: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["status", "--json"], "").await)).unwrap();
    assert_eq!(status["status"]["phase"], "idle");
    world.forget_keyring();
}

#[tokio::test(flavor = "multi_thread")]
async fn several_accounts_each_with_its_own_keyring_entry_and_history() {
    require_secret_service!();
    let first = World::start().await;
    let second = World::start().await;
    ok(&first.login(&[]).await);
    // The second account lives on another server, in the same data folder.
    let args = [
        "login",
        "--server",
        &second.base,
        "--email",
        EMAIL,
        "--password-stdin",
    ];
    let mut cmd = first.cmd(&args);
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    ok(&out);
    let accounts: serde_json::Value =
        serde_json::from_str(&ok(&first.run(&["accounts", "--json"], "").await)).unwrap();
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_ne!(accounts[0]["history_path"], accounts[1]["history_path"]);
    let err = fails_cleanly(&first.run(&["sessions"], "").await);
    assert!(err.contains("--account"), "{err}");
    let second_id = second.account_id();

    // `watch` watches both; a line names the account its alert is about (by its whole id:
    // both accounts have the same email).
    let mut watcher = first
        .cmd(&["watch", "--no-notify", "--poll-interval", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, errors) = (
        line_reader(watcher.stdout.take()),
        line_reader(watcher.stderr.take()),
    );
    for _ in 0..2 {
        let line = errors
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("watch says what it watches");
        assert!(line.starts_with("Watching "), "{line}");
    }
    let live = |errors: &std::sync::mpsc::Receiver<String>| loop {
        let line = errors
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("both streams go live");
        if line.contains("live:") {
            return line;
        }
    };
    let mut live_lines = [live(&errors), live(&errors)];
    live_lines.sort();
    assert!(
        live_lines
            .iter()
            .any(|l| l.starts_with(&format!("[{second_id}] "))),
        "{live_lines:?}"
    );
    let intruder = second.browser_login(sao_paulo(), CHROME_WINDOWS).await;
    let line = lines
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("an alert line for the second account");
    assert!(line.starts_with(&format!("[{second_id}] ")), "{line}");
    assert!(line.contains(&intruder.session_id), "{line}");
    let _ = watcher.kill();
    let _ = watcher.wait();

    let view: serde_json::Value = serde_json::from_str(&ok(&first
        .run(&["--account", &second_id, "sessions", "--json"], "")
        .await))
    .unwrap();
    assert_eq!(view["status"]["account_id"], second_id.as_str());
    for id in [first.account_id(), second_id.clone()] {
        assert!(keyring::Entry::new("keepwatch", &id)
            .unwrap()
            .get_password()
            .is_ok());
    }
    ok(&first
        .run(&["--account", &second_id, "logout", "--forget-history"], "")
        .await);
    assert!(keyring::Entry::new("keepwatch", &first.account_id())
        .unwrap()
        .get_password()
        .is_ok());
    ok(&first.run(&["sessions"], "").await);
    first.forget_keyring();
}

#[tokio::test(flavor = "multi_thread")]
async fn travel_mode_softens_a_vpn_detour_and_alerts_can_be_acknowledged() {
    require_secret_service!();
    let world = World::start().await;
    world.browser_login(berlin(), CHROME_MAC).await;
    ok(&world.login(&["--trust-existing"]).await);
    let out = ok(&world.run(&["travel", "--until", "3d"], "").await);
    assert!(out.contains("Travel mode on"), "{out}");
    fails_cleanly(&world.run(&["travel", "--until", "2001-01-01"], "").await);
    let detour = world.browser_login(sao_paulo(), CHROME_MAC).await;
    let alerts: serde_json::Value =
        serde_json::from_str(&ok(&world.run(&["alerts", "--json"], "").await)).unwrap();
    let alert = &alerts["alerts"][0];
    assert_eq!(alert["alert"]["session_id"], detour.session_id.as_str());
    assert_eq!(alert["alert"]["severity"], "info", "{alert}");
    let key = alert["alert"]["key"].as_str().unwrap().to_owned();
    ok(&world.run(&["ack", &key], "").await);
    let alerts: serde_json::Value = serde_json::from_str(&ok(&world
        .run(&["alerts", "--json", "--state", "acknowledged"], "")
        .await))
    .unwrap();
    assert_eq!(alerts["alerts"][0]["alert"]["key"], key.as_str());
    fails_cleanly(&world.run(&["ack", "session:nope"], "").await);
    let out = ok(&world.run(&["travel", "--off"], "").await);
    assert!(out.contains("off"));
    world.forget_keyring();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_factor_sign_in_and_lockout_are_clear() {
    require_secret_service!();
    let world = World::start().await;
    let server = world.server.as_ref().unwrap();
    let user = server
        .add_user("tom@example.com", PASSWORD, true)
        .await
        .unwrap();
    let login = |extra: Vec<String>| {
        let mut args: Vec<String> = [
            "login",
            "--server",
            &world.base,
            "--email",
            "tom@example.com",
            "--password-stdin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra);
        args
    };
    // Without a code and without a terminal to ask for one: a clear refusal.
    let args = login(vec![]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = fails_cleanly(&world.run(&args, &format!("{PASSWORD}\n")).await);
    assert!(
        err.contains("Two-factor code") && err.contains("flag"),
        "{err}"
    );
    let code = keepwatch_server::totp_now(user.totp_secret.as_deref().unwrap(), server.now());
    let args = login(vec!["--totp".into(), code]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&world.run(&args, &format!("{PASSWORD}\n")).await);
    let tom = format!(
        "tom@example.com@{}",
        world.base.trim_start_matches("http://")
    );
    let _ = keyring::Entry::new("keepwatch", &tom)
        .unwrap()
        .delete_credential();

    // Five wrong passwords lock the account; the sixth attempt says for how long.
    for _ in 0..5 {
        let out = world
            .run(
                &[
                    "login",
                    "--server",
                    &world.base,
                    "--email",
                    EMAIL,
                    "--password-stdin",
                ],
                "not the password\n",
            )
            .await;
        fails_cleanly(&out);
    }
    let err = fails_cleanly(
        &world
            .run(
                &[
                    "login",
                    "--server",
                    &world.base,
                    "--email",
                    EMAIL,
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            )
            .await,
    );
    assert!(err.contains("locked") && err.contains("30 min"), "{err}");
}

/// The lines of a child's pipe, on a channel.
fn line_reader(
    pipe: Option<impl std::io::Read + Send + 'static>,
) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    let pipe = pipe.expect("a piped stream");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// The exit status a script can act on, as docs/cli.md lists them.
fn code(o: &std::process::Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_statuses_say_what_went_wrong() {
    require_secret_service!();
    let mut world = World::start().await;
    // 4: nothing signed in yet.
    let out = world.run(&["sessions"], "").await;
    fails_cleanly(&out);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    // 2: a wrong flag (clap), and a question with no terminal to answer it.
    assert_eq!(code(&world.run(&["sessions", "--bogus"], "").await), 2);
    ok(&world.login(&["--trust-existing"]).await);
    let out = world.run(&["revoke", "--all-others"], "").await;
    fails_cleanly(&out);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        code(&world.run(&["--account", "nobody@x", "sessions"], "").await),
        2
    );
    // 0, then 3 once the server is gone (the history still answers offline reads).
    assert_eq!(
        code(&world.run(&["revoke", "--all-others", "--yes"], "").await),
        0
    );
    world.stop_server().await;
    let out = world.run(&["revoke", "--all-others", "--yes"], "").await;
    fails_cleanly(&out);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let _ = keyring::Entry::new("keepwatch", &world.account_id())
        .unwrap()
        .delete_credential();
}

#[test]
fn completions_and_the_manual_page_describe_every_command() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepwatch"))
            .args(args)
            .env("KEEPWATCH_DATA_DIR", "/nonexistent/never-read")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&["completions", shell]);
        for command in [
            "sessions",
            "revoke",
            "watch",
            "login-history",
            "completions",
        ] {
            assert!(
                script.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    let page = run(&["man"]);
    assert!(page.contains(".TH keepwatch 1"), "{page}");
    assert!(
        page.contains("sessions") && page.contains("\\-\\-data\\-dir"),
        "{page}"
    );
    assert!(!std::path::Path::new("/nonexistent/never-read").exists());
    assert_eq!(
        std::process::Command::new(env!("CARGO_BIN_EXE_keepwatch"))
            .args(["completions", "tcsh"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}
