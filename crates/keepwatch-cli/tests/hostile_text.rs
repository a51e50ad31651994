//! What an intruder or a hostile server writes, through every surface of the `keepwatch` binary:
//! the intruder signs in with User-Agents of its choosing from addresses whose city and ISP
//! names a hostile geolocation database chose, against the real reference server; Keepwatch
//! follows with `watch` and tells a real D-Bus notification server that renders body markup.
//! The notifications, the tables, `--json` and both exports must carry no format character, no
//! live markup, no formula and no name over the cap. A hostile server's error message reaches
//! the terminal inert too.
//!
//! One test owns the notification server's bus name; the error-message test needs no bus.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use keepwatch_geo::fixture::FixtureRecord;
use support::*;

/// Two hundred characters of everything a name must not carry, with letters among them.
fn two_hundred_arbitrary_characters() -> String {
    const ALPHABET: &[char] = &[
        'S', 'a', 'f', 'r', 'i', '1', '7', ' ', '·', ',', '<', '>', '&', '"', '=', '+', '-', '@',
        '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{AD}', 'Д', 'ب',
        '漢', '🦀', 'é',
    ];
    let mut state: u32 = 0x2545_F491;
    (0..200)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ALPHABET[(state >> 16) as usize % ALPHABET.len()]
        })
        .collect()
}

/// The hostile strings of issue #8, each used as a browser name (through uap-core's `CFNetwork`
/// rule), a city and an ISP.
fn hostile_strings() -> Vec<String> {
    vec![
        "\u{202E}Safari\u{2066}17\u{2069} on\u{200B} macOS\u{200D}\u{FEFF}\u{2067}".into(),
        "<b>bold</b> <a href=\"x\">link</a> &amp;".into(),
        two_hundred_arbitrary_characters(),
        "=HYPERLINK(\"http://evil.example\",\"Safari\")".into(),
        "+1".into(),
        "-2".into(),
        "@SUM(1)".into(),
        "Safari 17 on macOS · Berlin, Germany".into(),
    ]
}

/// The characters that reorder or hide text which the hostile strings use, and their ranges.
fn hidden(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{61C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}')
        || (c.is_control() && c != '\n')
}

fn assert_no_hidden(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| hidden(*c)) {
        panic!("{what} carries U+{:04X}: {text:?}", c as u32);
    }
}

/// The characters the server's device labels are made of.
fn name_character(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || " ._-/()+".contains(c)
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
}

/// The address of hostile place `i`: blocks of 203.0.113.0/24 the standard world leaves
/// unknown (203.0.113.48/28 holds its `UNKNOWN_V4`, so it is skipped).
fn place_block(i: usize) -> u8 {
    [0u8, 16, 32, 64, 80, 96, 112, 128][i]
}

fn place_ip(i: usize) -> std::net::IpAddr {
    ip(format!("203.0.113.{}", place_block(i) + 5))
}

/// A place in Brazil whose city is hostile string `i` and whose ISP is another one, so that
/// each string is a city once and an ISP once.
fn hostile_places(strings: &[String]) -> Vec<FixtureRecord> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    (0..strings.len())
        .map(|i| FixtureRecord {
            network: leak(format!("203.0.113.{}/28", place_block(i))),
            city: Some(leak(strings[i].clone())),
            region: None,
            country_code: Some("BR"),
            latitude: Some(-23.55),
            longitude: Some(-46.63),
            asn: Some(64_500 + i as u32),
            isp: Some(leak(strings[(i + 3) % strings.len()].clone())),
        })
        .collect()
}

/// A User-Agent whose browser name, by uap-core's `CFNetwork` rule, is `name`.
fn user_agent(name: &str) -> String {
    format!("{name}/1 CFNetwork/1494.0.7 Darwin/23.4.0")
}

/// The body of a logged Notify call: `Notify "app" id "icon" "summary" "body" [actions] {hints} -1`.
fn body_of(call: &str) -> &str {
    let after_app = &call[call.find("\"Keepwatch\"").expect("the app name") + 11..];
    let after_icon = &after_app[after_app.find("\"\" \"").expect("no icon") + 4..];
    let body_start = after_icon.find("\" \"").expect("summary, then body") + 3;
    let body_end = after_icon.rfind("\" [").expect("then the actions");
    &after_icon[body_start..body_end]
}

struct Watcher {
    child: Child,
    errors: mpsc::Receiver<String>,
}

impl Watcher {
    fn start(world: &World) -> Self {
        let mut child = world
            .cmd(&["watch", "--poll-interval", "1"])
            .env("LC_ALL", "en_GB.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, errors) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Self { child, errors }
    }

    fn wait_stderr(&self, what: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.errors.recv_timeout(left) {
                Ok(line) if line.contains(what) => return,
                Ok(_) => continue,
                Err(_) => panic!("watch never said {what:?}"),
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every string in a JSON document, with the key it sits under.
fn strings<'a>(value: &'a serde_json::Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
    match value {
        serde_json::Value::String(s) => out.push((key, s)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
        _ => {}
    }
}

fn assert_json_inert(what: &str, json: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut found = Vec::new();
    strings(&value, "", &mut found);
    assert!(!found.is_empty());
    for (key, s) in found {
        assert_no_hidden(&format!("{what}: {key}"), s);
        let cap = match key {
            "device" | "device_label" | "label" | "city" | "isp" | "country" | "browser" | "os" => {
                80
            }
            _ => 512,
        };
        assert!(s.chars().count() <= cap, "{what}: {key} over {cap}: {s:?}");
    }
    value
}

#[tokio::test(flavor = "multi_thread")]
async fn what_an_intruder_writes_reaches_every_surface_inert() {
    require_secret_service!();
    let hostile = hostile_strings();
    let world = World::start_with_places(&hostile_places(&hostile)).await;
    let daemon = NotificationDaemon::start_with_capabilities(
        world.dir.path(),
        &["body", "body-markup", "actions"],
    );
    world.browser_login(berlin(), CHROME_MAC).await;
    ok(&world.login(&["--trust-existing"]).await);

    let mut watcher = Watcher::start(&world);
    watcher.wait_stderr("live", Duration::from_secs(10));
    let mut intruders = Vec::new();
    for (i, name) in hostile.iter().enumerate() {
        intruders.push(world.browser_login(place_ip(i), &user_agent(name)).await);
    }
    world
        .server()
        .add_withdrawal(
            EMAIL,
            "BTC",
            "0.5",
            "=HYPERLINK(\"http://evil.example\")\u{202E}<b>bc1q</b>\u{200B}",
            false,
            Some(place_ip(0)),
        )
        .await
        .unwrap();

    // (a) Notifications, on a server that renders body markup: escaped, and nothing hidden.
    let expected = hostile.len() + 1;
    let deadline = Instant::now() + Duration::from_secs(20);
    while daemon.notify_calls().len() < expected {
        assert!(
            Instant::now() < deadline,
            "{} of {expected} notifications: {:?}",
            daemon.notify_calls().len(),
            daemon.notify_calls()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let calls = daemon.notify_calls();
    for call in &calls {
        assert_no_hidden("a Notify call", call);
        let body = body_of(call);
        assert!(!body.contains(['<', '>', '"', '\'']), "live markup: {body}");
        for (at, _) in body.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|entity| body[at..].starts_with(entity)),
                "an ampersand that is not an entity: {body}"
            );
        }
        let shown = body
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        // Device (at most 80) · city (at most 80), country; or a summary.
        assert!(shown.chars().count() <= 512, "{shown}");
    }
    assert!(
        calls.iter().any(|c| body_of(c).contains(
            "&lt;b&gt;bold&lt;/b&gt; &lt;a href=&quot;x&quot;&gt;link&lt;/a&gt; &amp;amp;"
        )),
        "the markup city shows escaped: {calls:#?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| body_of(c).contains("Safari 17 on macOS Berlin Germany")),
        "the forged label arrives without its separators: {calls:#?}"
    );
    assert!(
        calls
            .iter()
            .all(|c| !body_of(c).contains("Safari 17 on macOS · Berlin, Germany ·")),
        "a forged device label imitates device and place: {calls:#?}"
    );
    assert!(
        watcher.child.try_wait().ok().flatten().is_none(),
        "watch kept running"
    );
    drop(watcher);

    // (b) The CLI's table and JSON.
    let table = ok(&world.run(&["sessions"], "").await);
    assert_no_hidden("the sessions table", &table);
    assert!(
        table.contains("<b>bold</b>"),
        "markup is shown as text: {table}"
    );
    let json = ok(&world.run(&["sessions", "--json"], "").await);
    let view = assert_json_inert("sessions --json", &json);
    let sessions = view["sessions"].as_array().unwrap();
    for intruder in &intruders {
        let s = sessions
            .iter()
            .find(|s| s["id"] == intruder.session_id.as_str())
            .expect("every intruder is listed");
        let device = s["device"]["label"].as_str().unwrap();
        assert!(device.chars().all(name_character), "{device:?}");
        assert!(
            s["location"]["city"].is_string() && s["network"]["isp"].is_string(),
            "{s}"
        );
    }
    let cities: Vec<&str> = sessions
        .iter()
        .filter_map(|s| s["location"]["city"].as_str())
        .collect();
    assert!(
        cities
            .iter()
            .any(|c| c.chars().count() == 80 && c.ends_with('…')),
        "the 200 characters were cut at 80: {cities:?}"
    );
    for args in [
        &["history"][..],
        &["history", "--json"],
        &["alerts"],
        &["alerts", "--json"],
        &["withdrawals"],
        &["withdrawals", "--json"],
        &["login-history"],
        &["login-history", "--json"],
    ] {
        let out = ok(&world.run(args, "").await);
        assert_no_hidden(&args.join(" "), &out);
        if args.contains(&"--json") {
            assert_json_inert(&args.join(" "), &out);
        }
    }
    let note = "\u{202E}<b>not me</b>\u{2066}=SUM(1)\u{200B}";
    ok(&world
        .run(&["blocklist", "add", "203.0.113.200", "--note", note], "")
        .await);
    for args in [&["blocklist", "list"][..], &["blocklist", "list", "--json"]] {
        let out = ok(&world.run(args, "").await);
        assert_no_hidden(&args.join(" "), &out);
        assert!(out.contains("<b>not me</b>=SUM(1)"), "{out}");
    }

    // (c) The CSV export: no cell a spreadsheet would run, nothing hidden, names capped.
    let csv_path = world.dir.path().join("export.csv");
    ok(&world
        .run(
            &[
                "export",
                "--format",
                "csv",
                "-o",
                csv_path.to_str().unwrap(),
            ],
            "",
        )
        .await);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (device, city, isp) = (column("device"), column("city"), column("isp"));
    let mut cells = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        for (i, cell) in row.iter().enumerate() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula in {}: {cell:?}",
                &header[i]
            );
            assert_no_hidden("a CSV cell", cell);
            if [device, city, isp].contains(&i) {
                assert!(
                    cell.trim_start_matches('\'').chars().count() <= 80,
                    "{cell:?}"
                );
            }
            cells.push(cell.to_owned());
        }
    }
    for neutralised in [
        "'+1",
        "'-2",
        "'@SUM(1)",
        "'=HYPERLINK(\"http://evil.example\",\"Safari\")",
    ] {
        assert!(
            cells.iter().any(|c| c == neutralised),
            "{neutralised} in the export: {cells:?}"
        );
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'+1 ")),
        "the +1 device: {cells:?}"
    );

    // The JSON export.
    let json = ok(&world.run(&["export", "--format", "json"], "").await);
    assert_json_inert("export --format json", &json);

    world.forget_keyring();
}

/// A server that answers every request with one error body, on a real loopback socket.
fn hostile_error_server(message: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let body = serde_json::json!({ "error": "invalid_value", "message": message }).to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 8192];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_servers_error_message_reaches_the_terminal_inert() {
    require_secret_service!();
    let message = format!(
        "\u{1b}[2J\u{202E}<b>Sign in again</b> at http://evil.example\u{2066}\u{200B}\n{}",
        "A".repeat(2000)
    );
    let server = hostile_error_server(&message);
    let world = World::start().await;
    let out = world
        .run(
            &[
                "login",
                "--server",
                &server,
                "--email",
                EMAIL,
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        )
        .await;
    let err = fails_cleanly(&out);
    assert_no_hidden("the error line", err.trim_end());
    assert!(err.contains("<b>Sign in again</b>"), "{err}");
    // "keepwatch: " and at most the core's cap for free text.
    let line = err.trim_end();
    assert!(
        line.chars().count() <= 11 + 512,
        "{} characters",
        line.chars().count()
    );
    assert!(line.ends_with('…'), "{line}");
}
