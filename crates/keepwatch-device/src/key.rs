//! A stable identity for "the same kind of device", for telling familiar sessions from new ones.

use keepwatch_api::{Device, DeviceType};

/// The longest any one part of a key may be, so a hostile User-Agent cannot bloat stored keys.
const MAX_PART: usize = 40;

/// Stable identity of a device kind for "have I seen this device before": browser family + OS
/// family + device type, never the full UA or versions.
///
/// Format: `browser|os|type`, each part lower-case ASCII letters, digits and `-`, `unknown` when
/// absent, e.g. `"chrome|macos|desktop"`, `"safari|ios|mobile"`, `"samsung-internet|android|mobile"`.
/// Versions are left out so that a browser or OS update does not make a device look new.
pub fn device_key(device: &Device) -> String {
    let kind = match device.device_type {
        DeviceType::Desktop => "desktop",
        DeviceType::Mobile => "mobile",
        DeviceType::Tablet => "tablet",
        DeviceType::Bot => "bot",
        DeviceType::Unknown => "unknown",
    };
    format!(
        "{}|{}|{}",
        slug(device.browser.as_deref()),
        slug(device.os.as_deref()),
        kind
    )
}

/// `"Samsung Internet"` → `"samsung-internet"`; runs of anything but ASCII letters and digits
/// become one `-`.
fn slug(part: Option<&str>) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in part.unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
        if out.len() >= MAX_PART {
            break;
        }
    }
    if out.is_empty() {
        "unknown".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_tame() {
        assert_eq!(slug(Some("Samsung Internet")), "samsung-internet");
        assert_eq!(
            slug(Some("Mobile Safari UI/WKWebView")),
            "mobile-safari-ui-wkwebview"
        );
        assert_eq!(slug(Some("|x|")), "x");
        assert_eq!(slug(Some("¿?")), "unknown");
        assert_eq!(slug(None), "unknown");
        assert_eq!(slug(Some(&"a".repeat(500))).len(), MAX_PART);
    }
}
