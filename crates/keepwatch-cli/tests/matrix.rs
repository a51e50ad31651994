//! `keepwatch` with a Matrix account, against a real Synapse: signing in with `--user`,
//! the sessions table with labels and places, signing a device out with the password, and
//! a clear refusal for what Matrix does not offer.

mod support;

use std::process::Output;

use support::*;

/// `keepwatch ARGS` with `data` as its data folder, `stdin` fed in.
async fn keepwatch(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_keepwatch"));
    c.args(args)
        .env("KEEPWATCH_DATA_DIR", data)
        .env_remove("KEEPWATCH_LOG")
        .env_remove("KEEPWATCH_GEO_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = c.spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_matrix_account_from_the_command_line() {
    require_secret_service!();
    let synapse = require_synapse!();
    let user = synapse.new_user("cli").await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    keepwatch_geo::fixture::write_standard(&data.join("geo")).unwrap();
    let browser = synapse.browser_login(&user, berlin(), CHROME_MAC).await;
    let password = format!("{}\n", user.password);

    let out = ok(&keepwatch(
        data,
        &[
            "login",
            "--server",
            synapse.base_url(),
            "--user",
            &user.localpart,
            "--password-stdin",
            "--trust-existing",
        ],
        &password,
    )
    .await);
    assert!(out.contains(&user.user_id), "{out}");

    let table = ok(&keepwatch(data, &["sessions"], "").await);
    assert!(table.contains("Chrome 124"), "{table}");
    assert!(table.contains("Berlin, Germany"), "{table}");
    assert!(table.contains(&browser.device_id), "{table}");
    assert!(table.contains("FIRST SEEN BY KEEPWATCH"), "{table}");
    assert!(!table.contains("FIRST LOGIN"), "{table}");

    // Matrix has no withdrawals: one clear line, not an empty list.
    let err = fails_cleanly(&keepwatch(data, &["withdrawals"], "").await);
    assert!(err.contains("not available for Matrix accounts"), "{err}");

    // A sign-out needs the password; a wrong one is refused, the right one works.
    let revoke = ["revoke", browser.device_id.as_str(), "--password-stdin"];
    fails_cleanly(&keepwatch(data, &revoke, "not the password\n").await);
    ok(&keepwatch(data, &revoke, &password).await);
    let table = ok(&keepwatch(data, &["sessions"], "").await);
    assert!(!table.contains(&browser.device_id), "{table}");
}
