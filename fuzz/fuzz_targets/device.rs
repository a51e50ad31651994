//! The device parser on arbitrary bytes as User-Agent and client hints: the label stays
//! within its length and made of name characters, whatever the input.
#![no_main]

use std::sync::OnceLock;

use keepwatch_api::MAX_LABEL_CHARS;
use keepwatch_device::{ClientHints, DeviceParser, MAX_USER_AGENT_BYTES};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: keepwatch_fuzz::Measuring = keepwatch_fuzz::Measuring;

fn parser() -> &'static DeviceParser {
    static PARSER: OnceLock<DeviceParser> = OnceLock::new();
    PARSER.get_or_init(DeviceParser::new)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, ' ' | '.' | '_' | '-' | '/' | '(' | ')' | '+')
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
}

fuzz_target!(|data: &[u8]| {
    let parser = parser();
    keepwatch_fuzz::measured(data, |data| {
        // Three header values, split at the first two 0xFF bytes (never valid UTF-8).
        let mut parts = data.splitn(3, |b| *b == 0xFF).map(String::from_utf8_lossy);
        let ua = parts.next().unwrap_or_default();
        let platform = parts.next();
        let version = parts.next();
        let device = parser.parse(
            Some(&ua),
            ClientHints {
                platform: platform.as_deref(),
                platform_version: version.as_deref(),
            },
        );
        assert!(!device.label.is_empty());
        assert!(device.label.chars().count() <= MAX_LABEL_CHARS);
        assert!(device.label.chars().all(name_char), "{:?}", device.label);
        if let Some(stored) = &device.user_agent {
            assert!(stored.len() <= MAX_USER_AGENT_BYTES);
            assert!(!stored.chars().any(char::is_control));
        }
    });
});
