//! Properties of the parser over arbitrary input: whatever bytes a client sends as its
//! User-Agent and client hints, the device it yields is bounded and reads only as a name.

use keepwatch_api::MAX_LABEL_CHARS;
use keepwatch_device::{ClientHints, DeviceParser, MAX_USER_AGENT_BYTES};
use proptest::prelude::*;
use std::sync::OnceLock;

fn parser() -> &'static DeviceParser {
    static PARSER: OnceLock<DeviceParser> = OnceLock::new();
    PARSER.get_or_init(DeviceParser::new)
}

/// Header text as a server reads it: arbitrary bytes, decoded lossily.
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..700)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        // Near-real User-Agents with hostile insertions, which reach deeper rules.
        (
            "(Mozilla/5.0 \\((Windows NT 10.0; Win64; x64|Macintosh; Intel Mac OS X 10_15_7|Linux; Android 14; K)\\) )?",
            ".{0,80}",
            "(Chrome|Firefox|Safari|Edg|Keepwatch|OPR)/[0-9]{1,4}(\\.[0-9]{1,3}){0,3}",
            ".{0,40}",
        )
            .prop_map(|(a, b, c, d)| format!("{a}{b}{c} {d}")),
    ]
}

/// Characters a label may hold: what the parser's own names use, plus Keepwatch's " on ".
fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, ' ' | '.' | '_' | '-' | '/' | '(' | ')' | '+')
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn any_user_agent_gives_a_bounded_plain_label(
        ua in header(),
        platform in proptest::option::of(header()),
        version in proptest::option::of(header()),
    ) {
        let hints = ClientHints {
            platform: platform.as_deref(),
            platform_version: version.as_deref(),
        };
        let device = parser().parse(Some(&ua), hints);
        let label = &device.label;
        prop_assert!(!label.is_empty());
        prop_assert!(label.chars().count() <= MAX_LABEL_CHARS, "{label:?}");
        prop_assert!(label.chars().all(label_char), "{label:?}");
        prop_assert!(!label.contains("  ") && label.trim() == label, "{label:?}");
        for part in [&device.browser, &device.browser_version, &device.os, &device.os_version]
            .into_iter()
            .flatten()
        {
            prop_assert!(part.chars().all(label_char), "{part:?}");
        }
        if let Some(stored) = &device.user_agent {
            prop_assert!(stored.len() <= MAX_USER_AGENT_BYTES);
            prop_assert!(!stored.chars().any(char::is_control), "{stored:?}");
        }
    }
}
