//! User-Agent client hints: what the `Sec-CH-UA-Platform*` headers may add, once sanitised.

/// The client-hint headers a request carried, as raw header text (structured-header strings,
/// quotes included, e.g. `"macOS"` and `"14.4.1"`).
///
/// Only Chromium browsers send them; `Sec-CH-UA-Platform` comes with every request, while
/// `Sec-CH-UA-Platform-Version` comes only after the server has asked for it with
/// `Accept-CH: Sec-CH-UA-Platform-Version`. Pass `None` for a header that is missing or is not
/// valid text; malformed values are ignored by the parser, never trusted.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientHints<'a> {
    /// `Sec-CH-UA-Platform`, e.g. `"Windows"`.
    pub platform: Option<&'a str>,
    /// `Sec-CH-UA-Platform-Version`, e.g. `"15.0.0"`.
    pub platform_version: Option<&'a str>,
}

/// The longest hint value looked at; real ones are under 20 bytes.
const MAX_HINT_BYTES: usize = 64;

/// An OS family a platform hint can name and whose version hint this crate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HintPlatform {
    MacOs,
    Windows,
    Android,
}

impl HintPlatform {
    /// The OS name, as this crate spells it, that the hint stands for.
    pub(crate) fn os_name(self) -> &'static str {
        match self {
            HintPlatform::MacOs => "macOS",
            HintPlatform::Windows => "Windows",
            HintPlatform::Android => "Android",
        }
    }
}

/// A platform version from a hint: up to three dot-separated numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HintVersion {
    pub(crate) major: u32,
    pub(crate) minor: u32,
}

/// The hints that survived sanitising.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CleanHints {
    pub(crate) platform: HintPlatform,
    pub(crate) version: Option<HintVersion>,
}

impl ClientHints<'_> {
    /// The platform and version these hints name, or `None` when they name no platform whose
    /// version matters, or are malformed.
    pub(crate) fn clean(&self) -> Option<CleanHints> {
        let platform = match unquote(self.platform?)? {
            "macOS" => HintPlatform::MacOs,
            "Windows" => HintPlatform::Windows,
            "Android" => HintPlatform::Android,
            _ => return None,
        };
        let version = self
            .platform_version
            .and_then(unquote)
            .and_then(parse_version);
        Some(CleanHints { platform, version })
    }
}

/// The inner text of a structured-header string (`"macOS"` → `macOS`). A bare token is accepted
/// too, since some proxies drop the quotes. Anything with characters a platform name or version
/// never has (inner quotes, escapes, control characters, non-ASCII) is rejected.
fn unquote(raw: &str) -> Option<&str> {
    if raw.len() > MAX_HINT_BYTES {
        return None;
    }
    let raw = raw.trim_matches([' ', '\t']);
    let inner = match raw.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"')?,
        None => raw,
    };
    inner
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-' | b'_'))
        .then_some(inner)
}

/// `14.4.1` → major 14, minor 4. At most three parts of at most five digits each; an empty
/// string (what Linux sends) or anything else is `None`.
fn parse_version(text: &str) -> Option<HintVersion> {
    let mut parts = text.split('.');
    let mut numbers = [0u32; 3];
    for (i, slot) in numbers.iter_mut().enumerate() {
        match parts.next() {
            Some(part) => {
                if part.is_empty() || part.len() > 5 || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                *slot = part.parse().ok()?;
            }
            None if i > 0 => break,
            None => return None,
        }
    }
    if parts.next().is_some() {
        return None;
    }
    Some(HintVersion {
        major: numbers[0],
        minor: numbers[1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(platform: Option<&str>, version: Option<&str>) -> Option<CleanHints> {
        ClientHints {
            platform,
            platform_version: version,
        }
        .clean()
    }

    #[test]
    fn quoted_and_bare_values_are_read() {
        assert_eq!(
            clean(Some("\"macOS\""), Some("\"14.4.1\"")),
            Some(CleanHints {
                platform: HintPlatform::MacOs,
                version: Some(HintVersion {
                    major: 14,
                    minor: 4
                })
            })
        );
        assert_eq!(
            clean(Some(" Windows "), Some("15.0.0")),
            Some(CleanHints {
                platform: HintPlatform::Windows,
                version: Some(HintVersion {
                    major: 15,
                    minor: 0
                })
            })
        );
    }

    #[test]
    fn platforms_without_a_useful_version_are_ignored() {
        assert_eq!(clean(Some("\"Linux\""), Some("\"\"")), None);
        assert_eq!(clean(Some("\"Chrome OS\""), Some("\"15633.69.0\"")), None);
        assert_eq!(clean(Some("\"Unknown\""), None), None);
        assert_eq!(clean(None, Some("\"14.4.1\"")), None);
    }

    #[test]
    fn garbage_is_rejected() {
        for platform in [
            "\"macOS",
            "macOS\"",
            "\"mac\"OS\"",
            "\"macOS\\\"\"",
            "\"macOS\u{0}\"",
            "\"maсOS\"", // Cyrillic 'с'
            "",
            "\"\"",
        ] {
            assert_eq!(clean(Some(platform), None), None, "{platform:?}");
        }
        let long = format!("\"{}\"", "1.".repeat(40));
        for version in [
            "\"14.4.1.2\"",
            "\"14..1\"",
            "\"-14\"",
            "\"14.4.1\" ; x",
            "\"999999\"",
            "\"14.4.1",
            "\"\"",
            "\"Sonoma\"",
            long.as_str(),
        ] {
            assert_eq!(
                clean(Some("\"macOS\""), Some(version)),
                Some(CleanHints {
                    platform: HintPlatform::MacOs,
                    version: None
                }),
                "{version:?}"
            );
        }
    }

    #[test]
    fn an_overlong_platform_is_rejected_before_inspection() {
        let long = format!("\"{}\"", "m".repeat(100));
        assert_eq!(clean(Some(&long), None), None);
    }
}
