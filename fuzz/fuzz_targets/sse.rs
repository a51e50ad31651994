//! The event stream parser on arbitrary bytes, cut into arbitrary chunks: never a panic, and
//! the same events as when fed whole.
#![no_main]

use keepwatch_core::sse::SseParser;
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: keepwatch_fuzz::Measuring = keepwatch_fuzz::Measuring;

fuzz_target!(|data: &[u8]| {
    keepwatch_fuzz::measured(data, |data| {
        // The first byte says where to cut: every (cut+1)th byte starts a new chunk.
        let Some((&cut, bytes)) = data.split_first() else { return };
        let mut whole = SseParser::new();
        let expected = whole.feed(bytes);
        let mut chunked = SseParser::new();
        let mut got = Vec::new();
        let mut refused = false;
        for chunk in bytes.chunks(usize::from(cut) + 1) {
            match chunked.feed(chunk) {
                Ok(items) => got.extend(items),
                Err(_) => {
                    refused = true;
                    break;
                }
            }
        }
        match expected {
            Ok(items) => {
                assert!(!refused);
                assert_eq!(items, got);
                assert_eq!(whole.last_event_id(), chunked.last_event_id());
            }
            Err(_) => assert!(refused),
        }
    });
});
