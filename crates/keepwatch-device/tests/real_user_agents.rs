//! Real User-Agent strings, as current browsers, bots and scripts send them, through the real
//! vendored uap-core rules.

use std::sync::OnceLock;

use keepwatch_api::{Device, DeviceType};
use keepwatch_device::{device_key, ClientHints, DeviceParser, MAX_USER_AGENT_BYTES};

fn parser() -> &'static DeviceParser {
    static PARSER: OnceLock<DeviceParser> = OnceLock::new();
    PARSER.get_or_init(DeviceParser::new)
}

const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const CHROME_MAC_123: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36";
const CHROME_MAC_131: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CHROME_MAC_140: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const CHROME_WIN7: &str = "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36";
const CHROME_WIN81: &str = "Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36";
const EDGE_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80";
const OPERA_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0";
const FIREFOX_WIN: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";
const FIREFOX_MAC: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0";
const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
const FIREFOX_UBUNTU: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15";
const SAFARI_MOJAVE: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.2 Safari/605.1.15";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1";
const SAFARI_IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const CHROME_IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1";
const FIREFOX_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15";
const CHROME_PIXEL: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36";
const CHROME_ANDROID_REDUCED: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const CHROME_GALAXY_TAB: &str = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Safari/537.36";
const SAMSUNG_INTERNET: &str = "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";
const EDGE_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64";
const FIREFOX_ANDROID: &str =
    "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0";
const ANDROID_WEBVIEW: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36";
const CHROMEOS: &str = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const HEADLESS_CHROME: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const GOOGLEBOT_SMARTPHONE: &str = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const BINGBOT: &str = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
// What keepwatch-core's account client (desktop app and CLI alike) sends, per target OS.
const KEEPWATCH_LINUX: &str = "Keepwatch/0.1.0 (X11; Linux x86_64)";
const KEEPWATCH_MAC: &str = "Keepwatch/0.1.0 (Macintosh; Intel Mac OS X 10_15_7)";
const KEEPWATCH_WINDOWS: &str = "Keepwatch/0.1.0 (Windows NT 10.0; Win64; x64)";
const KEEPWATCH_OTHER_OS: &str = "Keepwatch/0.1.0 (desktop)";

/// One row: what goes in, and every field that should come out.
struct Case {
    name: &'static str,
    user_agent: Option<&'static str>,
    platform: Option<&'static str>,
    platform_version: Option<&'static str>,
    label: &'static str,
    browser: Option<&'static str>,
    browser_version: Option<&'static str>,
    os: Option<&'static str>,
    os_version: Option<&'static str>,
    device_type: DeviceType,
}

const NO_DEVICE: Case = Case {
    name: "",
    user_agent: None,
    platform: None,
    platform_version: None,
    label: "Unknown device",
    browser: None,
    browser_version: None,
    os: None,
    os_version: None,
    device_type: DeviceType::Unknown,
};

// One row per line where it fits: the table is easier to scan than rustfmt's layout.
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use DeviceType::*;
    let desktop = |name, ua, label, browser, version, os, os_version| Case {
        name,
        user_agent: Some(ua),
        label,
        browser: Some(browser),
        browser_version: Some(version),
        os: Some(os),
        os_version,
        device_type: Desktop,
        ..NO_DEVICE
    };
    vec![
        // macOS: the UA's 10_15_7 is frozen; only hints name the version.
        desktop("chrome mac, no hints", CHROME_MAC, "Chrome 124 on macOS", "Chrome", "124", "macOS", None),
        Case {
            platform: Some("\"macOS\""),
            ..desktop("chrome mac, platform hint only", CHROME_MAC, "Chrome 124 on macOS", "Chrome", "124", "macOS", None)
        },
        Case {
            platform: Some("\"macOS\""),
            platform_version: Some("\"14.4.1\""),
            ..desktop("chrome mac, Sonoma hints", CHROME_MAC, "Chrome 124 on macOS Sonoma", "Chrome", "124", "macOS", Some("Sonoma"))
        },
        Case {
            platform: Some("\"macOS\""),
            platform_version: Some("\"15.1.0\""),
            ..desktop("chrome mac, Sequoia hints", CHROME_MAC_131, "Chrome 131 on macOS Sequoia", "Chrome", "131", "macOS", Some("Sequoia"))
        },
        Case {
            platform: Some("\"macOS\""),
            platform_version: Some("\"26.0.1\""),
            ..desktop("chrome mac, Tahoe hints", CHROME_MAC_140, "Chrome 140 on macOS Tahoe", "Chrome", "140", "macOS", Some("Tahoe"))
        },
        Case {
            platform: Some("\"macOS\""),
            platform_version: Some("\"14.4.1; v=1\""),
            ..desktop("chrome mac, garbage version hint", CHROME_MAC, "Chrome 124 on macOS", "Chrome", "124", "macOS", None)
        },
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"15.0.0\""),
            ..desktop("chrome mac, Windows hints ignored", CHROME_MAC, "Chrome 124 on macOS", "Chrome", "124", "macOS", None)
        },
        desktop("firefox mac sends 10.15, frozen too", FIREFOX_MAC, "Firefox 125 on macOS", "Firefox", "125", "macOS", None),
        desktop("safari mac", SAFARI_MAC, "Safari 17 on macOS", "Safari", "17", "macOS", None),
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"15.0.0\""),
            ..desktop("safari mac with foreign hints", SAFARI_MAC, "Safari 17 on macOS", "Safari", "17", "macOS", None)
        },
        desktop("safari on Mojave, unfrozen", SAFARI_MOJAVE, "Safari 14 on macOS Mojave", "Safari", "14", "macOS", Some("Mojave")),
        // Windows: "NT 10.0" is 10 or 11; hints tell.
        desktop("chrome windows, no hints", CHROME_WIN, "Chrome 124 on Windows", "Chrome", "124", "Windows", None),
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"10.0.0\""),
            ..desktop("chrome windows 10 hints", CHROME_WIN, "Chrome 124 on Windows 10", "Chrome", "124", "Windows", Some("10"))
        },
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"15.0.0\""),
            ..desktop("chrome windows 11 hints", CHROME_WIN, "Chrome 124 on Windows 11", "Chrome", "124", "Windows", Some("11"))
        },
        Case {
            platform: Some("\"macOS\""),
            platform_version: Some("\"14.4.1\""),
            ..desktop("chrome windows, macOS hints ignored", CHROME_WIN, "Chrome 124 on Windows", "Chrome", "124", "Windows", None)
        },
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"0.3.0\""),
            ..desktop("chrome windows 8.1, 0.x hint defers to UA", CHROME_WIN81, "Chrome 109 on Windows 8.1", "Chrome", "109", "Windows", Some("8.1"))
        },
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"0.1.0\""),
            ..desktop("chrome windows 7", CHROME_WIN7, "Chrome 109 on Windows 7", "Chrome", "109", "Windows", Some("7"))
        },
        Case {
            platform: Some("\"Windows\""),
            platform_version: Some("\"15.0.0\""),
            ..desktop("edge windows 11", EDGE_WIN, "Edge 124 on Windows 11", "Edge", "124", "Windows", Some("11"))
        },
        desktop("opera windows", OPERA_WIN, "Opera 110 on Windows", "Opera", "110", "Windows", None),
        desktop("firefox windows", FIREFOX_WIN, "Firefox 125 on Windows", "Firefox", "125", "Windows", None),
        desktop("firefox linux", FIREFOX_LINUX, "Firefox 125 on Linux", "Firefox", "125", "Linux", None),
        desktop("firefox ubuntu", FIREFOX_UBUNTU, "Firefox 125 on Ubuntu", "Firefox", "125", "Ubuntu", None),
        Case {
            platform: Some("\"Chrome OS\""),
            platform_version: Some("\"15633.69.0\""),
            ..desktop("chromeos", CHROMEOS, "Chrome 124 on ChromeOS", "Chrome", "124", "ChromeOS", None)
        },
        // Apple handhelds.
        Case {
            name: "safari iphone",
            user_agent: Some(SAFARI_IPHONE),
            label: "Safari 17 on iPhone (iOS 17.4)",
            browser: Some("Safari"),
            browser_version: Some("17"),
            os: Some("iOS"),
            os_version: Some("17.4"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "safari ipad",
            user_agent: Some(SAFARI_IPAD),
            label: "Safari 17 on iPad (iOS 17.4)",
            browser: Some("Safari"),
            browser_version: Some("17"),
            os: Some("iOS"),
            os_version: Some("17.4"),
            device_type: Tablet,
            ..NO_DEVICE
        },
        Case {
            name: "chrome ipad",
            user_agent: Some(CHROME_IPAD),
            label: "Chrome 124 on iPad (iOS 17.4)",
            browser: Some("Chrome"),
            browser_version: Some("124"),
            os: Some("iOS"),
            os_version: Some("17.4"),
            device_type: Tablet,
            ..NO_DEVICE
        },
        Case {
            name: "firefox iphone (FxiOS)",
            user_agent: Some(FIREFOX_IPHONE),
            label: "Firefox 125 on iPhone (iOS 17.4)",
            browser: Some("Firefox"),
            browser_version: Some("125"),
            os: Some("iOS"),
            os_version: Some("17.4"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        // Android.
        Case {
            name: "chrome pixel 8",
            user_agent: Some(CHROME_PIXEL),
            label: "Chrome 124 on Android 14",
            browser: Some("Chrome"),
            browser_version: Some("124"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "chrome android reduced UA, no hints",
            user_agent: Some(CHROME_ANDROID_REDUCED),
            platform: Some("\"Android\""),
            label: "Chrome 124 on Android",
            browser: Some("Chrome"),
            browser_version: Some("124"),
            os: Some("Android"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "chrome android reduced UA, hints",
            user_agent: Some(CHROME_ANDROID_REDUCED),
            platform: Some("\"Android\""),
            platform_version: Some("\"14.0.0\""),
            label: "Chrome 124 on Android 14",
            browser: Some("Chrome"),
            browser_version: Some("124"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
        },
        Case {
            name: "chrome galaxy tab",
            user_agent: Some(CHROME_GALAXY_TAB),
            label: "Chrome 124 on Android 14",
            browser: Some("Chrome"),
            browser_version: Some("124"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Tablet,
            ..NO_DEVICE
        },
        Case {
            name: "samsung internet",
            user_agent: Some(SAMSUNG_INTERNET),
            label: "Samsung Internet 24 on Android 14",
            browser: Some("Samsung Internet"),
            browser_version: Some("24"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "edge android",
            user_agent: Some(EDGE_ANDROID),
            label: "Edge 124 on Android 14",
            browser: Some("Edge"),
            browser_version: Some("124"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "firefox android",
            user_agent: Some(FIREFOX_ANDROID),
            label: "Firefox 125 on Android 14",
            browser: Some("Firefox"),
            browser_version: Some("125"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        Case {
            name: "android webview",
            user_agent: Some(ANDROID_WEBVIEW),
            label: "Android WebView 124 on Android 14",
            browser: Some("Android WebView"),
            browser_version: Some("124"),
            os: Some("Android"),
            os_version: Some("14"),
            device_type: Mobile,
            ..NO_DEVICE
        },
        // Bots and scripts.
        Case {
            name: "curl",
            user_agent: Some("curl/8.5.0"),
            label: "curl 8 (automated)",
            browser: Some("curl"),
            browser_version: Some("8"),
            device_type: Bot,
            ..NO_DEVICE
        },
        Case {
            name: "python-requests",
            user_agent: Some("python-requests/2.31.0"),
            label: "Python Requests 2 (automated)",
            browser: Some("Python Requests"),
            browser_version: Some("2"),
            device_type: Bot,
            ..NO_DEVICE
        },
        Case {
            name: "googlebot",
            user_agent: Some(GOOGLEBOT),
            label: "Googlebot 2 (automated)",
            browser: Some("Googlebot"),
            browser_version: Some("2"),
            device_type: Bot,
            ..NO_DEVICE
        },
        Case {
            name: "googlebot smartphone keeps the OS it claims",
            user_agent: Some(GOOGLEBOT_SMARTPHONE),
            label: "Googlebot 2 (automated)",
            browser: Some("Googlebot"),
            browser_version: Some("2"),
            os: Some("Android"),
            os_version: Some("6"),
            device_type: Bot,
            ..NO_DEVICE
        },
        Case {
            name: "bingbot",
            user_agent: Some(BINGBOT),
            label: "bingbot 2 (automated)",
            browser: Some("bingbot"),
            browser_version: Some("2"),
            device_type: Bot,
            ..NO_DEVICE
        },
        Case {
            name: "headless chrome",
            user_agent: Some(HEADLESS_CHROME),
            label: "Headless Chrome 124 (automated)",
            browser: Some("Headless Chrome"),
            browser_version: Some("124"),
            os: Some("macOS"),
            device_type: Bot,
            ..NO_DEVICE
        },
        // Keepwatch itself, recognised before uap-core, which has no rule for it.
        desktop("keepwatch on linux", KEEPWATCH_LINUX, "Keepwatch 0.1 on Linux", "Keepwatch", "0.1", "Linux", None),
        desktop("keepwatch on macos, 10_15_7 frozen", KEEPWATCH_MAC, "Keepwatch 0.1 on macOS", "Keepwatch", "0.1", "macOS", None),
        desktop("keepwatch on windows, NT 10.0 frozen", KEEPWATCH_WINDOWS, "Keepwatch 0.1 on Windows", "Keepwatch", "0.1", "Windows", None),
        Case {
            name: "keepwatch on another os",
            user_agent: Some(KEEPWATCH_OTHER_OS),
            label: "Keepwatch 0.1",
            browser: Some("Keepwatch"),
            browser_version: Some("0.1"),
            device_type: Desktop,
            ..NO_DEVICE
        },
        Case {
            name: "keepwatch without a platform",
            user_agent: Some("Keepwatch/0.1.0"),
            label: "Keepwatch 0.1",
            browser: Some("Keepwatch"),
            browser_version: Some("0.1"),
            device_type: Desktop,
            ..NO_DEVICE
        },
        // Only the product token at the start counts: "Keepwatch" elsewhere is not the app.
        desktop("firefox mentioning keepwatch", "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 Keepwatch/0.1.0", "Firefox 125 on Linux", "Firefox", "125", "Linux", None),
        Case {
            name: "keepwatch token without a version",
            user_agent: Some("Keepwatch/ (X11; Linux x86_64)"),
            label: "Unknown browser on Linux",
            os: Some("Linux"),
            device_type: Desktop,
            ..NO_DEVICE
        },
        // Nothing to go on.
        Case {
            name: "unknown app",
            user_agent: Some("Frobnicator"),
            ..NO_DEVICE
        },
        Case {
            name: "missing",
            ..NO_DEVICE
        },
        Case {
            name: "hints without a user agent",
            platform: Some("\"macOS\""),
            platform_version: Some("\"14.4.1\""),
            ..NO_DEVICE
        },
    ]
}

fn parse(user_agent: Option<&str>, platform: Option<&str>, version: Option<&str>) -> Device {
    parser().parse(
        user_agent,
        ClientHints {
            platform,
            platform_version: version,
        },
    )
}

#[test]
fn real_user_agents() {
    let mut failures = Vec::new();
    for case in cases() {
        let got = parse(case.user_agent, case.platform, case.platform_version);
        let want = Device {
            label: case.label.to_owned(),
            browser: case.browser.map(str::to_owned),
            browser_version: case.browser_version.map(str::to_owned),
            os: case.os.map(str::to_owned),
            os_version: case.os_version.map(str::to_owned),
            device_type: case.device_type,
            user_agent: case.user_agent.map(str::to_owned),
        };
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n   got {got:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn blank_user_agents_are_unknown_and_not_stored() {
    for blank in ["", "   ", "\t"] {
        let got = parse(Some(blank), Some("\"macOS\""), None);
        assert_eq!(got.label, "Unknown device");
        assert_eq!(got.user_agent, None, "{blank:?}");
        assert_eq!(got.device_type, DeviceType::Unknown);
    }
}

/// Ten kilobytes of symbols, digits and multi-byte characters, so the 512-byte cut has to land
/// on a character boundary; no letters, so no rule can recognise anything in it by chance.
fn garbage(len: usize) -> String {
    const ALPHABET: &[char] = &['0', '7', '#', '%', ';', '(', ')', '/', ' ', 'é', '漢', '🦀'];
    let mut state: u32 = 0x9E37_79B9;
    let mut out = String::new();
    while out.len() < len {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        out.push(ALPHABET[(state >> 16) as usize % ALPHABET.len()]);
    }
    out
}

#[test]
fn ten_kilobytes_of_garbage_is_an_unknown_device_stored_cut() {
    let text = garbage(10 * 1024);
    let got = parse(Some(&text), Some("\"Windows\""), Some("\"15.0.0\""));
    assert_eq!(got.label, "Unknown device");
    assert_eq!(got.browser, None);
    assert_eq!(got.os, None);
    assert_eq!(got.os_version, None);
    assert_eq!(got.device_type, DeviceType::Unknown);
    let stored = got.user_agent.expect("garbage is kept for the curious");
    assert!(stored.len() <= MAX_USER_AGENT_BYTES);
    assert!(
        stored.len() > MAX_USER_AGENT_BYTES - 4,
        "cut at most one character short"
    );
    assert!(text.starts_with(&stored));
}

#[test]
fn an_overlong_real_user_agent_is_parsed_from_its_kept_prefix() {
    let padded = format!("{CHROME_WIN} {}", "x".repeat(10 * 1024));
    let got = parse(Some(&padded), Some("\"Windows\""), Some("\"15.0.0\""));
    assert_eq!(got.label, "Chrome 124 on Windows 11");
    assert_eq!(
        got.user_agent.as_deref(),
        Some(&padded[..MAX_USER_AGENT_BYTES])
    );
}

#[test]
fn control_characters_and_lossy_decoding_are_not_parsed() {
    for text in [
        format!("{CHROME_MAC}\u{0}"),
        format!("{CHROME_MAC}\u{1b}[2J"),
        format!("{CHROME_MAC} \u{FFFD}\u{FFFD}"),
    ] {
        let got = parse(Some(&text), None, None);
        assert_eq!(got.label, "Unknown device", "{text:?}");
        assert_eq!(got.browser, None);
        let stored = got.user_agent.expect("kept for the curious");
        assert!(!stored.chars().any(char::is_control), "{stored:?}");
        assert!(stored.starts_with(CHROME_MAC));
    }
}

/// Two hundred characters of everything a label must not carry — bidi controls, zero-width
/// characters, markup, Keepwatch's separators, other scripts — with letters among them, the
/// most uap-core's `CFNetwork` catch-all takes as a browser name.
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

/// What an intruder writes where a browser name goes, each sent as `NAME/1 CFNetwork/… Darwin/…`
/// so that uap-core's `CFNetwork` rule captures all of it as the browser family.
fn hostile_families() -> Vec<String> {
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

/// The characters a label is made of: see the crate documentation.
fn name_character(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || " ._-/()+".contains(c)
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
}

#[test]
fn what_a_user_agent_captures_is_kept_to_a_short_name() {
    for family in hostile_families() {
        let ua = format!("{family}/1 CFNetwork/1494.0.7 Darwin/23.4.0");
        let got = parse(Some(&ua), None, None);
        let browser = got
            .browser
            .clone()
            .unwrap_or_else(|| panic!("the CFNetwork rule took {family:?}: {got:?}"));
        assert!(browser.chars().count() <= 40, "{browser:?}");
        assert!(
            got.label.chars().count() <= keepwatch_api::MAX_LABEL_CHARS,
            "{:?}",
            got.label
        );
        for text in [
            Some(&got.label),
            got.browser.as_ref(),
            got.os.as_ref(),
            got.os_version.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(text.chars().all(name_character), "{family:?} gave {text:?}");
            assert_eq!(text.trim(), text);
            assert!(!text.contains("  "), "{text:?}");
        }
        // The raw header is kept for the curious, as received.
        assert_eq!(got.user_agent.as_deref(), Some(ua.as_str()));
    }
}

#[test]
fn a_forged_label_cannot_imitate_device_and_place() {
    let ua = "Safari 17 on macOS · Berlin, Germany/1 CFNetwork/1494.0.7 Darwin/23.4.0";
    let got = parse(Some(ua), None, None);
    assert_eq!(
        got.browser.as_deref(),
        Some("Safari 17 on macOS Berlin Germany")
    );
    assert!(
        !got.label.contains('·') && !got.label.contains(','),
        "{}",
        got.label
    );
    let ua = "<b>bold</b> &amp;/1 CFNetwork/1494.0.7 Darwin/23.4.0";
    let got = parse(Some(ua), None, None);
    assert!(
        !got.label.contains(['<', '>', '&', '"', '\'']),
        "{}",
        got.label
    );
}

#[test]
fn device_key_ignores_versions_and_hints() {
    let chrome_123 = parse(Some(CHROME_MAC_123), None, None);
    let chrome_124 = parse(Some(CHROME_MAC), Some("\"macOS\""), Some("\"14.4.1\""));
    let chrome_131 = parse(Some(CHROME_MAC_131), Some("\"macOS\""), Some("\"15.1.0\""));
    assert_eq!(device_key(&chrome_123), "chrome|macos|desktop");
    assert_eq!(device_key(&chrome_124), "chrome|macos|desktop");
    assert_eq!(device_key(&chrome_131), "chrome|macos|desktop");
}

#[test]
fn device_key_tells_kinds_apart() {
    let keys = [
        CHROME_MAC,
        CHROME_WIN,
        EDGE_WIN,
        SAFARI_MAC,
        SAFARI_IPHONE,
        SAFARI_IPAD,
        CHROME_PIXEL,
        CHROME_GALAXY_TAB,
        SAMSUNG_INTERNET,
        "curl/8.5.0",
        "",
    ]
    .map(|ua| device_key(&parse(Some(ua), None, None)));
    assert_eq!(
        keys,
        [
            "chrome|macos|desktop",
            "chrome|windows|desktop",
            "edge|windows|desktop",
            "safari|macos|desktop",
            "safari|ios|mobile",
            "safari|ios|tablet",
            "chrome|android|mobile",
            "chrome|android|tablet",
            "samsung-internet|android|mobile",
            "curl|unknown|bot",
            "unknown|unknown|unknown",
        ]
    );
}

#[test]
fn one_parser_serves_many_threads() {
    let expected = parse(Some(EDGE_WIN), Some("\"Windows\""), Some("\"15.0.0\""));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..50)
                        .map(|_| parse(Some(EDGE_WIN), Some("\"Windows\""), Some("\"15.0.0\"")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for got in handle.join().expect("parsing thread panicked") {
                assert_eq!(got, expected);
            }
        }
    });
}

#[test]
fn vendored_rules_load() {
    // The only way `DeviceParser::new` can panic; `with_rules` reports it instead.
    let rules = include_str!("../uap-core/regexes.yaml");
    assert!(DeviceParser::with_rules(rules).is_ok());
}

#[test]
fn broken_rules_are_errors_not_panics() {
    use keepwatch_device::RulesError;
    assert!(matches!(
        DeviceParser::with_rules("user_agent_parsers: [ {regex: 'a'"),
        Err(RulesError::Format(_))
    ));
    assert!(matches!(
        DeviceParser::with_rules("user_agent_parsers: []\n"),
        Err(RulesError::Format(_))
    ));
    let bad_regex =
        "user_agent_parsers:\n  - regex: '(unclosed'\nos_parsers: []\ndevice_parsers: []\n";
    assert!(matches!(
        DeviceParser::with_rules(bad_regex),
        Err(RulesError::Compile(_))
    ));
    let tiny =
        "user_agent_parsers:\n  - regex: '(Frob)/(\\d+)'\nos_parsers: []\ndevice_parsers: []\n";
    let parser = DeviceParser::with_rules(tiny).expect("a minimal rule set loads");
    let label = |ua| parser.parse(Some(ua), ClientHints::default()).label;
    assert_eq!(label("Mozilla/5.0 Frob/3"), "Frob 3");
    // Not claiming to be a browser and naming no OS: a script, by this crate's rule.
    assert_eq!(label("Frob/3"), "Frob 3 (automated)");
}

/// The exact string keepwatch-core builds for a Linux build (`client::USER_AGENT`): same
/// workspace version, same platform comment. A version bump must not lose the app's name.
#[test]
fn keepwatch_core_user_agent_at_the_workspace_version() {
    let user_agent = concat!(
        "Keepwatch/",
        env!("CARGO_PKG_VERSION"),
        " (X11; Linux x86_64)"
    );
    let mut numbers = env!("CARGO_PKG_VERSION").split('.');
    let shown = format!(
        "{}.{}",
        numbers.next().unwrap_or_default(),
        numbers.next().unwrap_or_default()
    );
    let got = parse(Some(user_agent), None, None);
    assert_eq!(got.label, format!("Keepwatch {shown} on Linux"));
    assert_eq!(got.browser_version.as_deref(), Some(shown.as_str()));
    assert_eq!(got.device_type, DeviceType::Desktop);
    assert_eq!(device_key(&got), "keepwatch|linux|desktop");
}
