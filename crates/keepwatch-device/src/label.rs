//! The one-line label people read; the grammar is in the crate documentation.

use keepwatch_api::{DeviceType, MAX_LABEL_CHARS};

/// The label for a device with nothing recognised.
pub(crate) const UNKNOWN_DEVICE: &str = "Unknown device";

/// The parts a label is made of, as the [`keepwatch_api::Device`] fields hold them.
#[derive(Clone, Copy)]
pub(crate) struct Parts<'a> {
    pub(crate) browser: Option<&'a str>,
    pub(crate) browser_version: Option<&'a str>,
    pub(crate) os: Option<&'a str>,
    pub(crate) os_version: Option<&'a str>,
    /// `"iPhone"`, `"iPad"` or `"iPod"`: Apple hardware whose OS name alone would hide which
    /// of someone's devices it is.
    pub(crate) apple_hardware: Option<&'a str>,
    pub(crate) device_type: DeviceType,
}

/// The label, within [`MAX_LABEL_CHARS`]: when the parts are too long together, the browser name
/// is shortened first, since it is the part a client makes up most freely, and the platform
/// stays readable.
pub(crate) fn compose(p: &Parts<'_>) -> String {
    let label = unbounded(p);
    let len = label.chars().count();
    if len <= MAX_LABEL_CHARS {
        return label;
    }
    let browser = p.browser.map(|b| {
        let keep = b
            .chars()
            .count()
            .saturating_sub(len - MAX_LABEL_CHARS)
            .max(1);
        cut(b, keep)
    });
    let label = unbounded(&Parts {
        browser: browser.as_deref(),
        ..*p
    });
    cut(&label, MAX_LABEL_CHARS)
}

/// The first `max` characters of `text`, without a trailing space.
fn cut(text: &str, max: usize) -> String {
    let kept: String = text.chars().take(max).collect();
    kept.trim_end().to_owned()
}

fn unbounded(p: &Parts<'_>) -> String {
    let client = p.browser.map(|browser| match p.browser_version {
        Some(version) => format!("{browser} {version}"),
        None => browser.to_owned(),
    });
    if p.device_type == DeviceType::Bot {
        // A bot's OS is decoration it chose; what matters is that it is automated.
        return match client {
            Some(client) => format!("{client} (automated)"),
            None => "Automated client".to_owned(),
        };
    }
    let platform = p.os.map(|os| match (p.apple_hardware, p.os_version) {
        (Some(hardware), Some(version)) => format!("{hardware} ({os} {version})"),
        (Some(hardware), None) => format!("{hardware} ({os})"),
        (None, Some(version)) => format!("{os} {version}"),
        (None, None) => os.to_owned(),
    });
    match (client, platform) {
        (Some(client), Some(platform)) => format!("{client} on {platform}"),
        (Some(client), None) => client,
        (None, Some(platform)) => format!("Unknown browser on {platform}"),
        (None, None) => UNKNOWN_DEVICE.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>() -> Parts<'a> {
        Parts {
            browser: None,
            browser_version: None,
            os: None,
            os_version: None,
            apple_hardware: None,
            device_type: DeviceType::Unknown,
        }
    }

    #[test]
    fn every_shape_reads() {
        let cases = [
            (
                Parts {
                    browser: Some("Chrome"),
                    browser_version: Some("124"),
                    os: Some("macOS"),
                    os_version: Some("Sonoma"),
                    ..parts()
                },
                "Chrome 124 on macOS Sonoma",
            ),
            (
                Parts {
                    browser: Some("Firefox"),
                    browser_version: Some("125"),
                    os: Some("Windows"),
                    ..parts()
                },
                "Firefox 125 on Windows",
            ),
            (
                Parts {
                    browser: Some("Safari"),
                    browser_version: Some("17"),
                    os: Some("iOS"),
                    os_version: Some("17.4"),
                    apple_hardware: Some("iPhone"),
                    ..parts()
                },
                "Safari 17 on iPhone (iOS 17.4)",
            ),
            (
                Parts {
                    browser: Some("iOS WebView"),
                    os: Some("iOS"),
                    apple_hardware: Some("iPad"),
                    ..parts()
                },
                "iOS WebView on iPad (iOS)",
            ),
            (
                Parts {
                    os: Some("Linux"),
                    ..parts()
                },
                "Unknown browser on Linux",
            ),
            (
                Parts {
                    browser: Some("Opera"),
                    browser_version: Some("110"),
                    ..parts()
                },
                "Opera 110",
            ),
            (
                Parts {
                    browser: Some("curl"),
                    browser_version: Some("8"),
                    os: Some("Linux"),
                    device_type: DeviceType::Bot,
                    ..parts()
                },
                "curl 8 (automated)",
            ),
            (
                Parts {
                    device_type: DeviceType::Bot,
                    ..parts()
                },
                "Automated client",
            ),
            (parts(), "Unknown device"),
        ];
        for (p, expected) in cases {
            assert_eq!(compose(&p), expected);
        }
    }

    #[test]
    fn a_long_browser_name_is_shortened_and_the_platform_kept() {
        let long = "B".repeat(40);
        let label = compose(&Parts {
            browser: Some(&long),
            browser_version: Some("123456"),
            os: Some("Windows Phone Windows Phone Windows Ph"),
            os_version: Some("12345678901234567890"),
            ..parts()
        });
        assert!(label.chars().count() <= MAX_LABEL_CHARS, "{label}");
        assert!(
            label.ends_with(
                " 123456 on Windows Phone Windows Phone Windows Ph 12345678901234567890"
            ),
            "{label}"
        );
        let label = compose(&Parts {
            browser: Some(&long),
            os: Some(&long),
            os_version: Some("12345678901234567890"),
            apple_hardware: Some("iPhone"),
            ..parts()
        });
        assert!(label.chars().count() <= MAX_LABEL_CHARS, "{label}");
    }
}
