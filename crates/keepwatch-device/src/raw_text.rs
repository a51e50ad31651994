//! The raw `User-Agent` text: bounding its length, deciding whether it is worth parsing, and
//! keeping what the rules capture from it to text that can only read as a name.

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
/// value cannot move a terminal's cursor or hide text, and cut again to
/// [`MAX_USER_AGENT_BYTES`], since each replacement takes three bytes where the control took one.
pub(crate) fn displayable(text: &str) -> String {
    let shown: String = text
        .chars()
        .map(|c| {
            if c.is_control() {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect();
    truncate(&shown, MAX_USER_AGENT_BYTES).to_owned()
}

/// The longest browser or OS name taken from a User-Agent, in characters. Real ones are under 30
/// ("Mobile Safari UI/WKWebView" is 26); uap-core's catch-all rules capture up to 200.
pub(crate) const MAX_FAMILY_CHARS: usize = 40;

/// The longest version taken from a User-Agent, in characters.
pub(crate) const MAX_VERSION_CHARS: usize = 20;

/// Whether `c` may appear in a name taken from a User-Agent: letters of the Latin script (ASCII,
/// Latin-1 and Latin Extended-A/B, which cover uap-core's own names such as
/// "Seznam prohlížeč"), ASCII digits, the space and `. _ - / ( ) +`.
///
/// Everything else goes, because the label is read by people deciding whether a sign-in was
/// theirs: `·` and `,` would let a name imitate Keepwatch's "Device · Place" layout, `<`, `>`,
/// `&` and quotes are markup, format characters reorder or hide text, and right-to-left or
/// look-alike letters from other scripts would let a name dress up as another.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, ' ' | '.' | '_' | '-' | '/' | '(' | ')' | '+')
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
}

/// A piece the uap-core rules captured (a family or a version), as it may appear in a label:
/// only [`allowed`] characters, single spaces, at most `max_chars` characters; `None` when
/// nothing is left.
pub(crate) fn piece(text: &str, max_chars: usize) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.chars().filter(|c| allowed(*c) || c.is_whitespace()) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if count + usize::from(space) + 1 > max_chars {
            break;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    (!out.is_empty()).then_some(out)
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
        // Found by the property test: 512 NULs became 1,536 bytes of U+FFFD.
        let nuls = "\0".repeat(MAX_USER_AGENT_BYTES);
        assert!(displayable(bounded(Some(&nuls)).unwrap_or(&nuls)).len() <= MAX_USER_AGENT_BYTES);
    }

    #[test]
    fn pieces_keep_only_name_characters() {
        assert_eq!(
            piece("Safari 17 on macOS · Berlin, Germany", 80).as_deref(),
            Some("Safari 17 on macOS Berlin Germany")
        );
        assert_eq!(
            piece("<b>bold</b> &amp; \u{202E}x\u{2066}y\u{200B}z", 80).as_deref(),
            Some("bbold/b amp xyz")
        );
        assert_eq!(
            piece("=HYPERLINK(\"x\")", 80).as_deref(),
            Some("HYPERLINK(x)")
        );
        assert_eq!(
            piece("Seznam prohlížeč", 40).as_deref(),
            Some("Seznam prohlížeč")
        );
        assert_eq!(
            piece("Mobile Safari UI/WKWebView", 40).as_deref(),
            Some("Mobile Safari UI/WKWebView")
        );
        // Cyrillic and Arabic letters are not taken: a name cannot borrow look-alikes or turn
        // right to left.
        assert_eq!(piece("Сhrome", 40).as_deref(), Some("hrome"));
        assert_eq!(piece("كروم", 40), None);
        assert_eq!(piece("·\u{202E}<>", 40), None);
        assert_eq!(
            piece(&"x".repeat(200), 40).map(|p| p.chars().count()),
            Some(40)
        );
        // The cap never leaves a trailing space.
        assert_eq!(piece("abc def", 4).as_deref(), Some("abc"));
    }
}
