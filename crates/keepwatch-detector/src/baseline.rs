//! What "familiar" means for one account: the countries, devices and networks its owner uses.

use std::collections::BTreeSet;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use keepwatch_api::{Device, DeviceType, Session};
use serde::{Deserialize, Serialize};

/// The countries, devices and networks an account's owner is known to use.
///
/// The core builds it from the app's current session, from sessions the user confirmed ("this
/// was me") and, if the user chose so at first sign-in, from the sessions that existed then; it
/// stores it and hands it to [`crate::Context`]. Values may be inserted directly (e.g. when loaded
/// from storage); lookups normalise case, so `"de"` and `"DE"` are one country.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Baseline {
    /// ISO 3166-1 alpha-2 country codes, upper case (`"DE"`).
    pub countries: BTreeSet<String>,
    /// Device keys: browser family, OS family and device type.
    pub devices: BTreeSet<DeviceKey>,
    /// Autonomous system numbers of networks sessions came from.
    pub asns: BTreeSet<u32>,
    /// IPv6 /64 networks sessions came from, as `"2001:db8:1:2::/64"`.
    pub ipv6_prefixes: BTreeSet<String>,
}

impl Baseline {
    /// A baseline learned from every given session.
    pub fn from_sessions<'a>(sessions: impl IntoIterator<Item = &'a Session>) -> Self {
        let mut baseline = Self::default();
        for session in sessions {
            baseline.learn(session);
        }
        baseline
    }

    /// Adds the session's country, device, network and IPv6 /64 to what is familiar.
    ///
    /// Unknown parts are skipped: a session without a country teaches no country, and a device
    /// that could not be identified at all is not learned, because it would make every other
    /// unidentifiable device look familiar.
    pub fn learn(&mut self, session: &Session) {
        if let Some(code) = session
            .location
            .country_code
            .as_deref()
            .and_then(normalise_country)
        {
            self.countries.insert(code);
        }
        let key = DeviceKey::from_device(&session.device);
        if key.is_identified() {
            self.devices.insert(key);
        }
        if let Some(asn) = session.network.asn {
            self.asns.insert(asn);
        }
        if let Some(prefix) = ipv6_prefix_64(&session.ip) {
            self.ipv6_prefixes.insert(prefix);
        }
    }

    /// Whether the country (ISO code, any case) is familiar.
    pub fn knows_country(&self, country_code: &str) -> bool {
        normalise_country(country_code).is_some_and(|code| {
            self.countries
                .iter()
                .any(|known| known.trim().eq_ignore_ascii_case(&code))
        })
    }

    /// Whether the device is familiar. An unidentified device never is.
    pub fn knows_device(&self, key: &DeviceKey) -> bool {
        key.is_identified() && self.devices.contains(key)
    }

    /// Whether the autonomous system is one a familiar session came from.
    pub fn knows_asn(&self, asn: u32) -> bool {
        self.asns.contains(&asn)
    }

    /// Whether `ip` is an IPv6 address inside a familiar /64. Always false for IPv4.
    pub fn knows_ipv6_network_of(&self, ip: &str) -> bool {
        ipv6_prefix_64(ip).is_some_and(|prefix| self.ipv6_prefixes.contains(&prefix))
    }
}

/// Upper-cased ISO code, or `None` for an empty or malformed one.
pub(crate) fn normalise_country(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

/// The /64 network of an IPv6 address, as `"2001:db8:1:2::/64"`; `None` for IPv4 (including
/// IPv4-mapped IPv6) and for text that is not an address.
///
/// A /64 is the smallest network an ISP hands a household or a phone, so a new address inside a
/// familiar /64 is the same connection with a rotated privacy suffix.
pub fn ipv6_prefix_64(ip: &str) -> Option<String> {
    let IpAddr::V6(addr) = parse_ip(ip)? else {
        return None;
    };
    let s = addr.segments();
    let network = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
    Some(format!("{network}/64"))
}

/// The address in `text`, with an IPv4-mapped IPv6 address read as the IPv4 address it is;
/// `None` for text that is not an address.
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    // Zone ids ("fe80::1%eth0") and brackets are not part of the address.
    let bare = text.trim().trim_start_matches('[').trim_end_matches(']');
    let bare = bare.split('%').next().unwrap_or(bare);
    match IpAddr::from_str(bare).ok()? {
        IpAddr::V6(addr) => Some(addr.to_ipv4_mapped().map_or(IpAddr::V6(addr), IpAddr::V4)),
        v4 => Some(v4),
    }
}

/// A device as the baseline remembers it: browser family, OS family and device type, lower case,
/// never versions or the User-Agent.
///
/// Versions are left out on purpose: browsers update every few weeks, and "Chrome 124" becoming
/// "Chrome 125" is the same device. Serialised as `"browser/os/type"`, e.g.
/// `"chrome/windows/desktop"`; a missing family is `"unknown"`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export, type = "string"))]
#[serde(try_from = "String", into = "String")]
pub struct DeviceKey {
    browser: String,
    os: String,
    device_type: String,
}

const UNKNOWN: &str = "unknown";

impl DeviceKey {
    /// The key of a parsed device.
    pub fn from_device(device: &Device) -> Self {
        Self {
            browser: normalise_family(device.browser.as_deref()),
            os: normalise_family(device.os.as_deref()),
            device_type: device_type_name(device.device_type).to_owned(),
        }
    }

    /// Browser family, e.g. `"chrome"`, or `"unknown"`.
    pub fn browser(&self) -> &str {
        &self.browser
    }

    /// OS family, e.g. `"windows"`, or `"unknown"`.
    pub fn os(&self) -> &str {
        &self.os
    }

    /// Device type, e.g. `"desktop"`.
    pub fn device_type(&self) -> &str {
        &self.device_type
    }

    /// Whether the browser or the OS is known. A device with neither says nothing about who
    /// uses it, so it is never treated as familiar.
    pub fn is_identified(&self) -> bool {
        self.browser != UNKNOWN || self.os != UNKNOWN
    }
}

/// Lower case, single spaces, and no `/` (the key's separator).
fn normalise_family(family: Option<&str>) -> String {
    let words: Vec<String> = family
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        UNKNOWN.to_owned()
    } else {
        words.join(" ")
    }
}

fn device_type_name(device_type: DeviceType) -> &'static str {
    match device_type {
        DeviceType::Desktop => "desktop",
        DeviceType::Mobile => "mobile",
        DeviceType::Tablet => "tablet",
        DeviceType::Bot => "bot",
        DeviceType::Unknown => UNKNOWN,
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.browser, self.os, self.device_type)
    }
}

impl From<DeviceKey> for String {
    fn from(key: DeviceKey) -> Self {
        key.to_string()
    }
}

/// Why a stored device key could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a device key (expected \"browser/os/type\"): {0:?}")]
pub struct InvalidDeviceKey(String);

impl FromStr for DeviceKey {
    type Err = InvalidDeviceKey;

    /// Reads a key written by [`DeviceKey`]'s `Display`, normalising it again so that a
    /// hand-edited store cannot smuggle in a key no device would produce.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('/').collect();
        let [browser, os, device_type] = parts.as_slice() else {
            return Err(InvalidDeviceKey(text.to_owned()));
        };
        let device_type = device_type.trim().to_lowercase();
        if !matches!(
            device_type.as_str(),
            "desktop" | "mobile" | "tablet" | "bot" | UNKNOWN
        ) {
            return Err(InvalidDeviceKey(text.to_owned()));
        }
        Ok(Self {
            browser: normalise_family(Some(browser)),
            os: normalise_family(Some(os)),
            device_type,
        })
    }
}

impl TryFrom<String> for DeviceKey {
    type Error = InvalidDeviceKey;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(browser: Option<&str>, version: &str, os: Option<&str>) -> Device {
        Device {
            label: "x".into(),
            browser: browser.map(Into::into),
            browser_version: Some(version.into()),
            os: os.map(Into::into),
            os_version: Some("11".into()),
            device_type: DeviceType::Desktop,
            user_agent: Some(format!("Mozilla/5.0 {version}")),
        }
    }

    #[test]
    fn device_key_ignores_versions_case_and_user_agent() {
        let a = DeviceKey::from_device(&device(Some("Chrome"), "124", Some("Windows")));
        let b = DeviceKey::from_device(&device(Some("chrome "), "125", Some("WINDOWS")));
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "chrome/windows/desktop");
    }

    #[test]
    fn device_key_round_trips_through_its_text() {
        let key = DeviceKey::from_device(&device(Some("Chrome Mobile/iOS"), "1", Some("iOS")));
        assert_eq!(key.to_string(), "chrome mobile ios/ios/desktop");
        assert_eq!(key.to_string().parse::<DeviceKey>(), Ok(key.clone()));
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, "\"chrome mobile ios/ios/desktop\"");
        assert_eq!(serde_json::from_str::<DeviceKey>(&json).unwrap(), key);
    }

    #[test]
    fn malformed_device_key_text_is_an_error_not_a_panic() {
        for bad in [
            "",
            "chrome",
            "chrome/windows",
            "a/b/c/d",
            "chrome/windows/toaster",
        ] {
            assert!(bad.parse::<DeviceKey>().is_err(), "{bad:?} parsed");
        }
        assert!(serde_json::from_str::<DeviceKey>("\"chrome\"").is_err());
    }

    #[test]
    fn unidentified_device_is_never_familiar_nor_learned() {
        let unknown = DeviceKey::from_device(&device(None, "1", None));
        assert!(!unknown.is_identified());
        let mut baseline = Baseline::default();
        baseline.devices.insert(unknown.clone());
        assert!(!baseline.knows_device(&unknown));
        assert!(DeviceKey::from_device(&device(None, "1", Some("Linux"))).is_identified());
    }

    #[test]
    fn ipv6_prefix_is_the_slash_64() {
        let cases = [
            (
                "2003:e5:1234:5600:a1b2:c3d4:e5f6:1",
                Some("2003:e5:1234:5600::/64"),
            ),
            ("2003:E5:1234:5600::99", Some("2003:e5:1234:5600::/64")),
            ("[2001:db8::1]", Some("2001:db8::/64")),
            ("fe80::1%eth0", Some("fe80::/64")),
            ("203.0.113.7", None),
            ("::ffff:203.0.113.7", None),
            ("not an address", None),
            ("", None),
        ];
        for (ip, want) in cases {
            assert_eq!(ipv6_prefix_64(ip).as_deref(), want, "{ip}");
        }
    }

    #[test]
    fn country_lookup_ignores_case_and_rejects_junk() {
        let mut baseline = Baseline::default();
        baseline.countries.insert("DE".into());
        baseline.countries.insert("fr".into());
        assert!(baseline.knows_country("de"));
        assert!(baseline.knows_country("FR"));
        assert!(!baseline.knows_country("D"));
        assert!(!baseline.knows_country(""));
        assert!(!baseline.knows_country("BR"));
    }
}
