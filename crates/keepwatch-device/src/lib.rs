//! PLACEHOLDER of `keepwatch-device` for the server branch: the real crate replaces it on merge.

use keepwatch_api::{Device, DeviceType};

/// Client hints sent beside the User-Agent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientHints<'a> {
    /// `Sec-CH-UA-Platform`.
    pub platform: Option<&'a str>,
    /// `Sec-CH-UA-Platform-Version`.
    pub platform_version: Option<&'a str>,
}

/// Parses User-Agents.
#[derive(Debug, Default)]
pub struct DeviceParser;

impl DeviceParser {
    /// A parser.
    pub fn new() -> Self {
        DeviceParser
    }

    /// Crude parse, good enough for the placeholder.
    pub fn parse(&self, user_agent: Option<&str>, hints: ClientHints<'_>) -> Device {
        let ua = user_agent.unwrap_or("");
        let ver = |key: &str| {
            ua.split(key).nth(1).map(|r| r.split(['.', ' ']).next().unwrap_or("").to_owned())
        };
        let (browser, version) = if ua.contains("Edg/") {
            (Some("Edge"), ver("Edg/"))
        } else if ua.contains("Firefox/") {
            (Some("Firefox"), ver("Firefox/"))
        } else if ua.contains("Chrome/") {
            (Some("Chrome"), ver("Chrome/"))
        } else if ua.contains("Safari/") {
            (Some(if ua.contains("Mobile") { "Mobile Safari" } else { "Safari" }), ver("Version/"))
        } else {
            (None, None)
        };
        let os = if let Some(p) = hints.platform {
            Some(p)
        } else if ua.contains("iPhone") {
            Some("iOS")
        } else if ua.contains("Android") {
            Some("Android")
        } else if ua.contains("Mac OS X") {
            Some("macOS")
        } else if ua.contains("Windows") {
            Some("Windows")
        } else if ua.contains("Linux") {
            Some("Linux")
        } else {
            None
        };
        let mobile = ua.contains("Mobile");
        let label = match (browser, os) {
            (Some(b), Some(o)) => format!("{b} {} on {o}", version.clone().unwrap_or_default()),
            (Some(b), None) => b.to_owned(),
            (None, Some(o)) => o.to_owned(),
            _ => "Unknown device".to_owned(),
        };
        Device {
            label,
            browser: browser.map(str::to_owned),
            browser_version: version,
            os: os.map(str::to_owned),
            os_version: hints.platform_version.map(str::to_owned),
            device_type: if browser.is_none() {
                DeviceType::Unknown
            } else if mobile {
                DeviceType::Mobile
            } else {
                DeviceType::Desktop
            },
            user_agent: user_agent.map(str::to_owned),
        }
    }
}
