//! The OS version as people name it, from the User-Agent and, where they agree, client hints.

use crate::hints::{CleanHints, HintPlatform, HintVersion};

/// The version numbers uap-core extracted from the User-Agent's OS part.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UaVersion<'a> {
    pub(crate) major: Option<&'a str>,
    pub(crate) minor: Option<&'a str>,
}

/// The OS version to report for `os` (a name from [`crate::families::os_name`]), or `None` when
/// it is unknown or the User-Agent's value is one browsers freeze.
///
/// `reduced_android` says the User-Agent is Chrome's reduced Android one (`Android 10; K`), whose
/// version is frozen.
pub(crate) fn resolve(
    os: &str,
    ua: UaVersion<'_>,
    reduced_android: bool,
    hints: Option<CleanHints>,
) -> Option<String> {
    // Hints only refine the OS family the User-Agent shows; a hint for another family is a
    // spoof or a bug, and mixing the two would print things like "Safari on macOS 11".
    let hinted = hints
        .filter(|h| h.platform.os_name() == os)
        .and_then(|h| h.version.map(|v| (h.platform, v)))
        .and_then(|(platform, version)| from_hint(platform, version));
    if hinted.is_some() {
        return hinted;
    }
    match os {
        "macOS" => {
            let major = number(ua.major)?;
            let minor = number(ua.minor).unwrap_or(0);
            // Chrome and Safari send 10_15_7 (earlier 10_15_6) and Firefox 10.15 on every
            // macOS since Big Sur, so any 10.15 in a User-Agent says nothing.
            if major == 10 && minor >= 15 {
                return None;
            }
            Some(macos_name(major, minor))
        }
        // Windows 10 and 11 both send "Windows NT 10.0"; older versions send their own.
        "Windows" => match ua.major? {
            "10" => None,
            major => join(major, ua.minor),
        },
        "Android" if reduced_android => None,
        // The platform build number in a ChromeOS User-Agent is frozen and means nothing to
        // people anyway.
        "ChromeOS" => None,
        _ => join(ua.major?, ua.minor),
    }
}

/// The version a hint names for its platform, if it names one.
fn from_hint(platform: HintPlatform, v: HintVersion) -> Option<String> {
    match platform {
        HintPlatform::MacOs => Some(macos_name(v.major, v.minor)),
        // Microsoft's mapping: 1–10 are Windows 10 releases, 13 and up Windows 11; 0 is any of
        // Windows 7, 8 and 8.1, and 11–12 are unassigned.
        HintPlatform::Windows => match v.major {
            1..=10 => Some("10".to_owned()),
            13.. => Some("11".to_owned()),
            _ => None,
        },
        HintPlatform::Android => Some(numbered(v.major, v.minor)),
    }
}

/// macOS's marketing name for a version, or the number when it has no name this crate knows
/// (older than Mavericks, or newer than Tahoe).
fn macos_name(major: u32, minor: u32) -> String {
    let name = match (major, minor) {
        (10, 9) => "Mavericks",
        (10, 10) => "Yosemite",
        (10, 11) => "El Capitan",
        (10, 12) => "Sierra",
        (10, 13) => "High Sierra",
        (10, 14) => "Mojave",
        (10, 15) => "Catalina",
        (10, _) => return format!("10.{minor}"),
        (11, _) => "Big Sur",
        (12, _) => "Monterey",
        (13, _) => "Ventura",
        (14, _) => "Sonoma",
        (15, _) => "Sequoia",
        (26, _) => "Tahoe",
        _ => return major.to_string(),
    };
    name.to_owned()
}

/// `major[.minor]`, the minor left out when it is zero.
fn numbered(major: u32, minor: u32) -> String {
    if minor == 0 {
        major.to_string()
    } else {
        format!("{major}.{minor}")
    }
}

/// Like [`numbered`] for uap-core's text parts, which may be words ("XP", "RT 8"). Parts that do
/// not look like a version are dropped rather than shown.
fn join(major: &str, minor: Option<&str>) -> Option<String> {
    if !plausible(major) {
        return None;
    }
    match minor.filter(|m| plausible(m) && *m != "0") {
        Some(minor) => Some(format!("{major}.{minor}")),
        None => Some(major.to_owned()),
    }
}

/// A version part uap-core copied from the User-Agent: short, letters, digits and spaces only.
fn plausible(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 12
        && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
}

fn number(part: Option<&str>) -> Option<u32> {
    part.filter(|p| p.len() <= 5)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ua<'a>(major: &'a str, minor: Option<&'a str>) -> UaVersion<'a> {
        UaVersion {
            major: Some(major),
            minor,
        }
    }

    fn hint(platform: HintPlatform, major: u32, minor: u32) -> Option<CleanHints> {
        Some(CleanHints {
            platform,
            version: Some(HintVersion { major, minor }),
        })
    }

    #[test]
    fn macos_names_from_hints() {
        for (major, minor, name) in [
            (10, 15, "Catalina"),
            (11, 7, "Big Sur"),
            (12, 0, "Monterey"),
            (13, 6, "Ventura"),
            (14, 4, "Sonoma"),
            (15, 1, "Sequoia"),
            (26, 0, "Tahoe"),
            (27, 0, "27"),
        ] {
            let got = resolve(
                "macOS",
                ua("10", Some("15")),
                false,
                hint(HintPlatform::MacOs, major, minor),
            );
            assert_eq!(got.as_deref(), Some(name), "{major}.{minor}");
        }
    }

    #[test]
    fn frozen_macos_is_unknown_but_older_macos_is_named() {
        assert_eq!(resolve("macOS", ua("10", Some("15")), false, None), None);
        assert_eq!(
            resolve("macOS", ua("10", Some("14")), false, None).as_deref(),
            Some("Mojave")
        );
        assert_eq!(
            resolve("macOS", ua("11", Some("0")), false, None).as_deref(),
            Some("Big Sur")
        );
    }

    #[test]
    fn windows_platform_versions() {
        for (major, expected) in [
            (0, None),
            (1, Some("10")),
            (10, Some("10")),
            (11, None),
            (12, None),
            (13, Some("11")),
            (15, Some("11")),
            (19, Some("11")),
        ] {
            let got = resolve(
                "Windows",
                ua("10", None),
                false,
                hint(HintPlatform::Windows, major, 0),
            );
            assert_eq!(got.as_deref(), expected, "platform version {major}");
        }
    }

    #[test]
    fn windows_user_agent_versions() {
        assert_eq!(resolve("Windows", ua("10", None), false, None), None);
        assert_eq!(
            resolve("Windows", ua("8", Some("1")), false, None).as_deref(),
            Some("8.1")
        );
        // A 0.x hint (7/8/8.1) leaves the User-Agent's unfrozen value standing.
        assert_eq!(
            resolve(
                "Windows",
                ua("7", None),
                false,
                hint(HintPlatform::Windows, 0, 1)
            )
            .as_deref(),
            Some("7")
        );
    }

    #[test]
    fn hints_for_another_family_are_ignored() {
        assert_eq!(
            resolve(
                "macOS",
                ua("10", Some("15")),
                false,
                hint(HintPlatform::Windows, 15, 0)
            ),
            None
        );
        assert_eq!(
            resolve(
                "iOS",
                ua("17", Some("4")),
                false,
                hint(HintPlatform::MacOs, 14, 0)
            )
            .as_deref(),
            Some("17.4")
        );
    }

    #[test]
    fn android_versions() {
        assert_eq!(
            resolve("Android", ua("14", None), false, None).as_deref(),
            Some("14")
        );
        assert_eq!(resolve("Android", ua("10", None), true, None), None);
        assert_eq!(
            resolve(
                "Android",
                ua("10", None),
                true,
                hint(HintPlatform::Android, 14, 0)
            )
            .as_deref(),
            Some("14")
        );
    }

    #[test]
    fn implausible_parts_are_dropped() {
        assert_eq!(resolve("Linux", ua("a/b", None), false, None), None);
        assert_eq!(
            resolve("iOS", ua("17", Some("0")), false, None).as_deref(),
            Some("17")
        );
    }
}
