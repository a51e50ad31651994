//! Turns a session's `User-Agent` header and client hints into a [`keepwatch_api::Device`]: the
//! readable label ("Chrome 124 on macOS Sonoma") and the browser, OS and kind of hardware behind
//! it.
//!
//! Browser, OS and hardware detection comes from the community-maintained
//! [uap-core](https://github.com/ua-parser/uap-core) rules (vendored under `uap-core/`, version in
//! its README) run by the [`ua_parser`] crate. This crate only adds what those rules cannot know:
//! which versions browsers freeze, what the `Sec-CH-UA-Platform*` client hints say instead, how
//! to say it all in one line, and Keepwatch's own User-Agent, which uap-core does not know.
//!
//! Build one [`DeviceParser`] at start-up and share it (it is `Send + Sync`): compiling the rules
//! takes a few hundred milliseconds, parsing then takes microseconds.
//!
//! ```
//! use keepwatch_api::DeviceType;
//! use keepwatch_device::{device_key, ClientHints, DeviceParser};
//!
//! let parser = DeviceParser::new();
//! let device = parser.parse(
//!     Some("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
//!     ClientHints { platform: Some("\"macOS\""), platform_version: Some("\"14.4.1\"") },
//! );
//! assert_eq!(device.label, "Chrome 124 on macOS Sonoma");
//! assert_eq!(device.os_version.as_deref(), Some("Sonoma"));
//! assert_eq!(device.device_type, DeviceType::Desktop);
//! assert_eq!(device_key(&device), "chrome|macos|desktop");
//! ```
//!
//! # The label
//!
//! ```text
//! label    = client [" on " platform]          "Chrome 124 on macOS Sonoma"
//!          | client " (automated)"             bots and scripts: "curl 8 (automated)"
//!          | "Unknown device"                  nothing recognised
//! client   = browser [" " major]               "Firefox 125"; "Unknown browser" if only the OS is known
//!          | "Keepwatch" [" " major.minor]     this app: "Keepwatch 0.1"
//! platform = os [" " os_version]               "Windows 11", "Android 14", "Linux", "macOS"
//!          | apple_hw [" (iOS" [" " version] ")"]   "iPhone (iOS 17.4)", "iPad (iOS 17.4)"
//! ```
//!
//! Examples: `Chrome 124 on macOS Sonoma`, `Firefox 125 on Windows` (version unknown),
//! `Edge 124 on Windows 11`, `Safari 17 on iPhone (iOS 17.4)`, `Chrome 124 on Android 14`,
//! `Samsung Internet 24 on Android 14`, `Googlebot 2 (automated)`, `Keepwatch 0.1 on Linux`.
//!
//! * **Browser names** are uap-core's, with the "mobile" variants folded into the browser people
//!   know, because [`keepwatch_api::Device::device_type`] already says "mobile": Chrome Mobile and
//!   Chrome Mobile iOS → `Chrome`, Mobile Safari → `Safari`, Firefox Mobile and Firefox iOS →
//!   `Firefox`, Edge Mobile → `Edge`, Opera Mobile → `Opera`. In-app browsers are
//!   `Android WebView` and `iOS WebView`. Edge, Opera and Samsung Internet keep their own names.
//!   `browser_version` is the major version only.
//! * **OS names**: `macOS`, `Windows`, `iOS`, `Android`, `ChromeOS`, `Linux` or the distribution
//!   uap-core names (`Ubuntu`, `Fedora`, …).
//! * **OS versions** are what people call them: macOS by name (`Sonoma`; a major version without
//!   a known name stays a number, e.g. `27`), Windows as `11`, `10`, `8.1`, `7`…, iOS and Android
//!   as `major[.minor]` (`17.4`, `14`). Browsers freeze some versions in the User-Agent, and a
//!   frozen value is reported as unknown (`null`), never as the version it spells:
//!   - macOS 10.15 (Chrome and Safari send `10_15_7`, Firefox `10.15`, on every macOS since Big
//!     Sur), so a macOS 10.15.x User-Agent alone gives no version, not "Catalina";
//!   - `Windows NT 10.0`, sent by Windows 10 and 11 alike;
//!   - Chrome's reduced Android User-Agent `Android 10; K`;
//!   - ChromeOS's platform build number.
//! * **Client hints** (`Sec-CH-UA-Platform`, `Sec-CH-UA-Platform-Version`, sent by Chromium
//!   browsers; the version only after the server asks for it with `Accept-CH`) supply the real
//!   version of macOS, Windows and Android. Windows: platform-version major ≥ 13 → `11`, 1–10 →
//!   `10`, 0 (Windows 7, 8 and 8.1 alike) or 11–12 (unassigned) → the hint says nothing and the
//!   User-Agent's own, unfrozen value (`Windows NT 6.3` → `8.1`) stands. Hints are sanitised:
//!   quotes stripped, anything that is not a short platform name or dotted number ignored.
//! * **Mismatched hints**: the User-Agent decides the OS family; hints only refine the version of
//!   the family the User-Agent already shows. Hints naming another OS (User-Agent macOS, hint
//!   Windows), or arriving with a User-Agent that names no OS, are ignored as a whole.
//!
//! # Keepwatch itself
//!
//! The desktop app and the `keepwatch` command line both send `keepwatch-core`'s User-Agent,
//! `Keepwatch/<version> (<platform>)`, e.g. `Keepwatch/0.1.0 (X11; Linux x86_64)`, with the
//! platform written as browsers write it (`Macintosh; Intel Mac OS X 10_15_7`,
//! `Windows NT 10.0; Win64; x64`, or `desktop` elsewhere). A User-Agent that starts with the
//! product token `Keepwatch/` and a numeric version is recognised before the uap-core rules:
//! browser `Keepwatch`, version `major.minor` (Keepwatch's versions start at 0.x, where the
//! major alone says nothing), the OS read from the platform by the uap-core rules as for a
//! browser (so frozen versions stay unknown: "Keepwatch 0.1 on macOS", "… on Windows"), and
//! device type `desktop`. The two front ends send the same string and cannot be told apart. The
//! rule is code, not a line added to the vendored `regexes.yaml`, which is kept unchanged so that
//! updating it stays a copy.
//!
//! # Device type
//!
//! `bot` when uap-core calls the device a spider (Googlebot, bingbot, Python-urllib…), for
//! headless Chrome, and for non-browser clients that uap-core recognises but that name no OS or
//! hardware (curl, python-requests, Wget, Go-http-client, okhttp…). `tablet` for iPads and
//! Android devices without the `Mobile` token (the convention Android browsers follow). `mobile`
//! for iPhones and other phones, `desktop` for macOS, Windows, ChromeOS, Linux and the BSDs,
//! and for Keepwatch itself on any platform.
//! Everything else (TVs, consoles, watches, unknown strings) is `unknown`. An iPad in Safari's
//! default "desktop website" mode sends a Mac User-Agent and is indistinguishable from a Mac.
//!
//! # Untrusted input
//!
//! A User-Agent longer than [`MAX_USER_AGENT_BYTES`] is cut there before parsing and stored cut.
//! An empty one gives "Unknown device" and `user_agent: null`. One with control characters or
//! U+FFFD (bytes that were not UTF-8) is not parsed: "Unknown device", with the text stored and
//! those characters replaced by U+FFFD. Parsing never panics.
//!
//! What the rules capture from a User-Agent is the client's own text, and an intruder chooses
//! it: uap-core's `CFNetwork` catch-all takes up to 200 characters before `/1 CFNetwork` as the
//! browser name. Every captured piece that reaches the [`keepwatch_api::Device`] is therefore
//! kept to name characters — letters of the Latin script, ASCII digits, the space and
//! `. _ - / ( ) +`, nothing else: no `·` or `,` to imitate Keepwatch's "Device · Place" layout, no
//! markup, no format characters, no letters of other scripts to dress up as another name — and to
//! 40 characters for a browser or OS name, 20 for a version. The whole label stays within
//! [`keepwatch_api::MAX_LABEL_CHARS`], the browser name shortened first. The raw `user_agent` is
//! stored as received (bounded, controls replaced): clients treat it as untrusted text.

#![warn(missing_docs)]

mod device_type;
mod families;
mod hints;
mod key;
mod label;
mod os_version;
mod own_app;
mod parser;
mod raw_text;

pub use hints::ClientHints;
pub use key::device_key;
pub use parser::{DeviceParser, RulesError};
pub use raw_text::MAX_USER_AGENT_BYTES;
