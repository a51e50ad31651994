//! The raw `User-Agent` text: bounding its length and deciding whether it is worth parsing.

/// The longest User-Agent kept, in bytes. Real ones stay under 300; anything longer is cut here
/// (on a character boundary) before parsing and stored cut, so a hostile client cannot make the
/// server store or scan megabytes.
pub const MAX_USER_AGENT_BYTES: usize = 512;

/// The header text as it will be parsed and stored: trimmed, cut to [`MAX_USER_AGENT_BYTES`],
/// `None` when nothing is left.
pub(crate) fn bounded(user_agent: Option<&str>) -> Option<&str> {
    let text = user_agent?.trim();
    let text = truncate(text, MAX_USER_AGENT_BYTES).trim_end();
    (!text.is_empty()).then_some(text)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    // Index 0 is always a boundary, so this stops.
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether the text cannot be a User-Agent a client really sent: control characters are not
/// allowed in header values, and U+FFFD marks bytes a lossy decoder could not read as UTF-8.
pub(crate) fn is_garbled(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || c == char::REPLACEMENT_CHARACTER)
}

/// The text as it may be stored and shown: control characters replaced by U+FFFD so the stored
/// value cannot move a terminal's cursor or hide text.
pub(crate) fn displayable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_a_character_boundary() {
        // 'é' is two bytes; 511 ASCII bytes then 'é' would straddle the 512-byte limit.
        let text = format!("{}é", "a".repeat(511));
        let cut = bounded(Some(&text)).unwrap();
        assert_eq!(cut.len(), 511);
        assert!(cut.chars().all(|c| c == 'a'));
    }

    #[test]
    fn blank_is_none() {
        assert_eq!(bounded(None), None);
        assert_eq!(bounded(Some("")), None);
        assert_eq!(bounded(Some(" \t ")), None);
    }

    #[test]
    fn garbled_text_is_recognised_and_neutralised() {
        assert!(is_garbled("Mozilla/5.0\u{0}"));
        assert!(is_garbled("Mozilla/5.0 \u{FFFD}"));
        assert!(!is_garbled("Mozilla/5.0 (Macintosh) Safari/605.1.15"));
        assert_eq!(displayable("a\u{1b}[2Jb"), "a\u{FFFD}[2Jb");
    }
}
