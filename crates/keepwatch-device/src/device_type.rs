//! Deciding desktop, phone, tablet or bot from what uap-core recognised.

use keepwatch_api::DeviceType;

use crate::families::{is_desktop_os, is_phone_os};

/// What the rules found in one User-Agent, as far as the device type depends on it.
pub(crate) struct Evidence<'a> {
    /// The User-Agent text that was parsed.
    pub(crate) user_agent: &'a str,
    /// uap-core's user-agent family, `None` when unrecognised.
    pub(crate) uap_browser: Option<&'a str>,
    /// The OS name as [`crate::families::os_name`] gives it.
    pub(crate) os: Option<&'a str>,
    /// uap-core's device family (`"iPhone"`, `"Spider"`, `"Pixel 8"`…), `None` when unrecognised.
    pub(crate) device: Option<&'a str>,
    /// uap-core's device brand (`"Apple"`, `"Generic_Android_Tablet"`…).
    pub(crate) brand: Option<&'a str>,
}

/// The kind of hardware, first rule that applies wins.
pub(crate) fn classify(e: &Evidence<'_>) -> DeviceType {
    if is_automated(e) {
        return DeviceType::Bot;
    }
    let device = e.device.unwrap_or("");
    if device.starts_with("iPad")
        || device == "Generic Tablet"
        || e.brand == Some("Generic_Android_Tablet")
        // Android browsers put "Mobile" in phone User-Agents and leave it out on tablets.
        || (e.os == Some("Android") && !e.user_agent.contains("Mobile"))
    {
        return DeviceType::Tablet;
    }
    if device.starts_with("iPhone")
        || device.starts_with("iPod")
        || device == "Generic Smartphone"
        || e.os.is_some_and(is_phone_os)
    {
        return DeviceType::Mobile;
    }
    if e.os.is_some_and(is_desktop_os) {
        return DeviceType::Desktop;
    }
    DeviceType::Unknown
}

/// Crawlers, headless browsers and HTTP libraries. The last are clients uap-core recognises that
/// name no OS or hardware and do not claim to be a browser (`Mozilla/` prefix): curl,
/// python-requests, Go-http-client…
fn is_automated(e: &Evidence<'_>) -> bool {
    e.device == Some("Spider")
        || e.uap_browser == Some("HeadlessChrome")
        || (e.uap_browser.is_some()
            && e.os.is_none()
            && e.device.is_none()
            && !e.user_agent.starts_with("Mozilla/"))
}
