//! Properties over arbitrary input, for the parts that read what a server sends: the event
//! stream parser must give the same events however the bytes are cut into chunks, never
//! panic, and hold no more than it promises.

use keepwatch_core::sse::{SseItem, SseParser, MAX_LINE_BYTES};
use proptest::prelude::*;

/// Bytes that look like an event stream often enough to reach every rule: fields, comments,
/// every line ending, BOMs, NULs and garbage between them.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"data: ".to_vec()),
        Just(b"data".to_vec()),
        Just(b"event: session_created".to_vec()),
        Just(b"id: 7".to_vec()),
        Just(b"id: a\0b".to_vec()),
        Just(b"retry: 0".to_vec()),
        Just(b"retry: 3000".to_vec()),
        Just(b"retry: 99999999999999999999999".to_vec()),
        Just(b": keep-alive".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..24),
        "[ -~]{0,30}".prop_map(String::into_bytes),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn parse_in_chunks(bytes: &[u8], cuts: &[usize]) -> (Vec<SseItem>, Option<String>) {
    let mut parser = SseParser::new();
    let mut items = Vec::new();
    let mut start = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    points.push(bytes.len());
    for end in points {
        items.extend(
            parser
                .feed(&bytes[start..end])
                .expect("lines are short here"),
        );
        // Invalid UTF-8 is read as U+FFFD: three bytes held for one received.
        assert!(parser.pending_bytes() <= 3 * bytes.len());
        start = end;
    }
    (items, parser.last_event_id().map(str::to_owned))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn chunking_never_changes_what_is_parsed(
        bytes in stream(),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let whole = parse_in_chunks(&bytes, &[]);
        let chunked = parse_in_chunks(&bytes, &cuts);
        prop_assert_eq!(&whole, &chunked);
        let byte_by_byte: Vec<usize> = (0..bytes.len()).collect();
        prop_assert_eq!(&whole, &parse_in_chunks(&bytes, &byte_by_byte));
        for item in &whole.0 {
            if let SseItem::Message(m) = item {
                prop_assert!(!m.event.is_empty());
                prop_assert!(m.id.as_deref().is_none_or(|id| !id.contains('\0')));
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn a_line_past_the_cap_is_refused_not_held(extra in 1usize..64, chunk in 1usize..70_000) {
        let mut parser = SseParser::new();
        let line = vec![b'x'; MAX_LINE_BYTES + extra];
        let mut refused = false;
        for part in line.chunks(chunk) {
            if parser.feed(part).is_err() {
                refused = true;
                break;
            }
            prop_assert!(parser.pending_bytes() <= MAX_LINE_BYTES);
        }
        prop_assert!(refused);
    }
}
