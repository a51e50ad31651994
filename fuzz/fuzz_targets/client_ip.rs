//! The client address from arbitrary `X-Forwarded-For` and `Forwarded` headers at once: the
//! header the operator did not name has no influence at all, and without the named one the
//! peer is the client.
#![no_main]

use std::net::IpAddr;

use http::{HeaderMap, HeaderValue};
use keepwatch_server::fuzzing::client_ip;
use keepwatch_server::ForwardedHeader;
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: keepwatch_fuzz::Measuring = keepwatch_fuzz::Measuring;

fn headers(xff: Option<&[u8]>, fwd: Option<&[u8]>) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(Ok(v)) = xff.map(HeaderValue::from_bytes) {
        h.insert("x-forwarded-for", v);
    }
    if let Some(Ok(v)) = fwd.map(HeaderValue::from_bytes) {
        h.insert("forwarded", v);
    }
    h
}

fuzz_target!(|data: &[u8]| {
    keepwatch_fuzz::measured(data, |data| {
        let Some((&flags, rest)) = data.split_first() else { return };
        let mut parts = rest.splitn(2, |b| *b == b'\n');
        let (xff, fwd) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        // Odd flags: a peer outside the trusted range, whose headers count for nothing.
        let peer = if flags & 2 == 0 {
            IpAddr::from([10, 0, 0, flags])
        } else {
            IpAddr::from([192, 0, 2, flags])
        };
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let both = headers(Some(xff), Some(fwd));
        let (header, alone, none) = if flags & 1 == 0 {
            (ForwardedHeader::XForwardedFor, headers(Some(xff), None), headers(None, Some(fwd)))
        } else {
            (ForwardedHeader::Forwarded, headers(None, Some(fwd)), headers(Some(xff), None))
        };
        let client = client_ip(peer, &both, &trusted, header);
        assert_eq!(client, client_ip(peer, &alone, &trusted, header));
        assert_eq!(client_ip(peer, &none, &trusted, header), peer);
        if flags & 2 != 0 {
            assert_eq!(client, peer);
        }
    });
});
