//! [`DeviceParser`]: the compiled uap-core rules and the steps from header text to a
//! [`Device`].

use keepwatch_api::{Device, DeviceType};

use crate::device_type::{classify, Evidence};
use crate::families::{browser_name, os_name};
use crate::hints::ClientHints;
use crate::label::{compose, Parts, UNKNOWN_DEVICE};
use crate::os_version::{resolve, UaVersion};
use crate::own_app;
use crate::raw_text::{self, piece, MAX_FAMILY_CHARS, MAX_VERSION_CHARS};

/// The uap-core rules this crate ships (see `uap-core/README.md` for the version).
const VENDORED_RULES: &str = include_str!("../uap-core/regexes.yaml");

/// uap-core's name for a device it did not recognise.
const UAP_OTHER: &str = "Other";

/// Why a set of uap-core rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The text is not a `regexes.yaml` document.
    #[error("the rules are not a uap-core regexes.yaml document: {0}")]
    Format(String),
    /// A rule's regex or replacement does not compile.
    #[error("a uap-core rule does not compile: {0}")]
    Compile(String),
}

/// Turns User-Agent headers and client hints into [`Device`]s.
///
/// Building one compiles a few thousand regexes (hundreds of milliseconds, tens of MB; see the
/// crate's bench), so build it once at start-up and share it: it is `Send + Sync` and
/// [`DeviceParser::parse`] takes `&self`.
pub struct DeviceParser {
    rules: ua_parser::Extractor<'static>,
}

// The server shares one parser between request handlers; fail the build, not the server, if a
// dependency update takes that away.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<DeviceParser>();
};

impl DeviceParser {
    /// Compiles the vendored uap-core rules.
    ///
    /// # Panics
    ///
    /// Only if the vendored `uap-core/regexes.yaml` is broken, which the crate's tests rule out
    /// (`vendored_rules_load`); user input never makes it panic. Use
    /// [`DeviceParser::with_rules`] to load other rules without panicking.
    pub fn new() -> DeviceParser {
        match DeviceParser::with_rules(VENDORED_RULES) {
            Ok(parser) => parser,
            Err(e) => panic!("the vendored uap-core/regexes.yaml does not load: {e}"),
        }
    }

    /// Compiles the given uap-core `regexes.yaml` text instead of the vendored one, e.g. a newer
    /// release.
    pub fn with_rules(regexes_yaml: &str) -> Result<DeviceParser, RulesError> {
        let rules: ua_parser::Regexes<'static> =
            serde_saphyr::from_str(regexes_yaml).map_err(|e| RulesError::Format(e.to_string()))?;
        let rules = ua_parser::Extractor::try_from(rules)
            .map_err(|e| RulesError::Compile(e.to_string()))?;
        Ok(DeviceParser { rules })
    }

    /// The device a request came from.
    ///
    /// `user_agent` is the `User-Agent` header (`None` when missing or not text); `hints` are the
    /// client-hint headers. Never panics; what cannot be recognised is `None`, and a User-Agent
    /// that yields nothing is labelled `"Unknown device"`. See the crate documentation for the
    /// label scheme and the rules for frozen versions and hints.
    pub fn parse(&self, user_agent: Option<&str>, hints: ClientHints<'_>) -> Device {
        let Some(text) = raw_text::bounded(user_agent) else {
            return unknown_device(None);
        };
        if raw_text::is_garbled(text) {
            return unknown_device(Some(raw_text::displayable(text)));
        }

        // Keepwatch's own client first: uap-core has no rule for it (see `own_app`). Its OS part
        // is written like a browser's, so the OS rules below still read it.
        let own_version = own_app::version(text);
        let ua = match own_version {
            Some(_) => None,
            None => self.rules.ua.extract(text),
        };
        let os = self.rules.os.extract(text);
        let dev = self.rules.dev.extract(text);

        let uap_browser = ua.as_ref().map(|u| &*u.family).filter(|f| *f != UAP_OTHER);
        // What the rules capture is the client's own text (uap-core's catch-alls take up to 200
        // characters of it as the family): only a short name's worth of name characters is kept.
        let browser = match own_version {
            Some(_) => Some(own_app::NAME.to_owned()),
            None => uap_browser
                .and_then(browser_name)
                .and_then(|name| piece(name, MAX_FAMILY_CHARS)),
        };
        let browser_version = own_version.or_else(|| {
            browser
                .as_ref()
                .and(ua.as_ref())
                .and_then(|u| u.major)
                .filter(|m| !m.is_empty() && m.len() <= 6 && m.bytes().all(|b| b.is_ascii_digit()))
        });

        let os_family = os
            .as_ref()
            .and_then(|o| os_name(&o.os))
            .and_then(|name| piece(name, MAX_FAMILY_CHARS));
        let os_family = os_family.as_deref();
        let device = dev.as_ref().map(|d| &*d.device).filter(|d| *d != UAP_OTHER);
        let brand = dev.as_ref().and_then(|d| d.brand.as_deref());
        let model = dev.as_ref().and_then(|d| d.model.as_deref());

        let device_type = match own_version {
            // Keepwatch is built only for desktop systems (the command line too: a computer,
            // if perhaps a server), and is no bot even where its User-Agent names no OS.
            Some(_) => DeviceType::Desktop,
            None => classify(&Evidence {
                user_agent: text,
                uap_browser,
                os: os_family,
                device,
                brand,
            }),
        };

        let os_version = os_family.and_then(|family| {
            let version = os.as_ref().map_or_else(UaVersion::default, |o| UaVersion {
                major: o.major.as_deref(),
                minor: o.minor.as_deref(),
            });
            // Chrome's reduced Android User-Agent is always "Android 10; K", whatever the phone.
            let reduced_android = family == "Android" && model == Some("K");
            resolve(family, version, reduced_android, hints.clean())
                .and_then(|v| piece(&v, MAX_VERSION_CHARS))
        });

        let apple_hardware = match (os_family, device) {
            (Some("iOS"), Some(d)) if d.starts_with("iPhone") => Some("iPhone"),
            (Some("iOS"), Some(d)) if d.starts_with("iPad") => Some("iPad"),
            (Some("iOS"), Some(d)) if d.starts_with("iPod") => Some("iPod"),
            _ => None,
        };

        let label = compose(&Parts {
            browser: browser.as_deref(),
            browser_version,
            os: os_family,
            os_version: os_version.as_deref(),
            apple_hardware,
            device_type,
        });

        Device {
            label,
            browser,
            browser_version: browser_version.map(str::to_owned),
            os: os_family.map(str::to_owned),
            os_version,
            device_type,
            user_agent: Some(text.to_owned()),
        }
    }
}

impl Default for DeviceParser {
    /// Same as [`DeviceParser::new`], including its panic on broken vendored rules.
    fn default() -> Self {
        DeviceParser::new()
    }
}

impl std::fmt::Debug for DeviceParser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceParser").finish_non_exhaustive()
    }
}

/// A device nothing is known about, keeping the (displayable) User-Agent text if there was one.
fn unknown_device(user_agent: Option<String>) -> Device {
    Device {
        label: UNKNOWN_DEVICE.to_owned(),
        browser: None,
        browser_version: None,
        os: None,
        os_version: None,
        device_type: DeviceType::Unknown,
        user_agent,
    }
}
