//! The names this crate gives browser and OS families, from uap-core's.

/// uap-core's name for "not recognised".
const UAP_OTHER: &str = "Other";

/// The browser name shown for a uap-core user-agent family, or `None` for an unrecognised one.
///
/// "Mobile" variants are folded into the browser people know (the device type already says
/// "mobile"), so that Chrome on a phone and Chrome on a laptop read, and key, as the same browser.
pub(crate) fn browser_name(uap_family: &str) -> Option<&str> {
    let name = match uap_family {
        "" | UAP_OTHER => return None,
        "Chrome Mobile" | "Chrome Mobile iOS" => "Chrome",
        "Mobile Safari" => "Safari",
        "Firefox Mobile" | "Firefox iOS" => "Firefox",
        "Edge Mobile" => "Edge",
        "Opera Mobile" => "Opera",
        "Chrome Mobile WebView" => "Android WebView",
        "Mobile Safari UI/WKWebView" => "iOS WebView",
        "HeadlessChrome" => "Headless Chrome",
        other => other,
    };
    Some(name)
}

/// The OS name shown for a uap-core OS family, or `None` for an unrecognised one.
pub(crate) fn os_name(uap_os: &str) -> Option<&str> {
    let name = match uap_os {
        "" | UAP_OTHER => return None,
        "Mac OS X" | "Mac OS" => "macOS",
        "Chrome OS" => "ChromeOS",
        other => other,
    };
    Some(name)
}

/// OS names (as [`os_name`] returns them) that run on desktop and laptop computers.
pub(crate) fn is_desktop_os(os: &str) -> bool {
    matches!(
        os,
        "macOS"
            | "Windows"
            | "ChromeOS"
            | "Linux"
            | "Ubuntu"
            | "Kubuntu"
            | "Lubuntu"
            | "Linux Mint"
            | "Debian"
            | "Fedora"
            | "Red Hat"
            | "CentOS"
            | "openSUSE"
            | "SUSE"
            | "Arch Linux"
            | "Gentoo"
            | "Slackware"
            | "Mageia"
            | "Mandriva"
            | "PCLinuxOS"
            | "FreeBSD"
            | "OpenBSD"
            | "NetBSD"
            | "Solaris"
    )
}

/// OS names (as [`os_name`] returns them) that run on phones; Android and iOS phones are told
/// from tablets by the device, not the OS.
pub(crate) fn is_phone_os(os: &str) -> bool {
    matches!(
        os,
        "iOS"
            | "Android"
            | "Windows Phone"
            | "Windows Mobile"
            | "KaiOS"
            | "BlackBerry OS"
            | "Firefox OS"
            | "Sailfish"
    ) || os.starts_with("Symbian")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_variants_fold_into_the_browser() {
        assert_eq!(browser_name("Chrome Mobile"), Some("Chrome"));
        assert_eq!(browser_name("Mobile Safari"), Some("Safari"));
        assert_eq!(browser_name("Firefox iOS"), Some("Firefox"));
        assert_eq!(browser_name("Samsung Internet"), Some("Samsung Internet"));
        assert_eq!(browser_name("Other"), None);
        assert_eq!(os_name("Mac OS X"), Some("macOS"));
        assert_eq!(os_name("Other"), None);
    }
}
