//! Which addresses are worth looking up at all.
//!
//! Geo databases sometimes carry records for ranges that are not routed on the Internet, and a
//! private address says nothing about where a person is. Such addresses get all-`null` answers
//! without touching any database, so a session from `10.0.0.5` never shows a made-up city.
//! The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are
//! deliberately *not* excluded: the project's generated test databases live there.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address as it should be looked up: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a
/// dual-stack socket reports for an IPv4 peer) becomes the IPv4 address it carries.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// True when `ip` (already [`canonical`]) may belong to someone on the public Internet.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let this_network = a == 0; // 0.0.0.0/8, the unspecified address included
    let cgnat = a == 100 && (b & 0b1100_0000) == 64; // 100.64.0.0/10, RFC 6598
    let reserved = a >= 240; // 240.0.0.0/4 and the limited broadcast address
    !(this_network
        || ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || cgnat
        || ip.is_multicast()
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00; // fc00::/7
    let link_local = (first & 0xffc0) == 0xfe80; // fe80::/10
    let site_local = (first & 0xffc0) == 0xfec0; // fec0::/10, deprecated but still private
                                                 // ::/96 holds the unspecified and loopback addresses and the deprecated "IPv4-compatible"
                                                 // form; in an IPv6 MaxMind DB it is also where the IPv4 subtree lives, so a lookup there
                                                 // would silently answer for an unrelated IPv4 address.
    let v4_compatible = ip.segments()[..6].iter().all(|&s| s == 0);
    !(v4_compatible || unique_local || link_local || site_local || ip.is_multicast())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(canonical(s.parse().expect("test address")))
    }

    #[test]
    fn private_and_special_ranges_are_not_public() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "169.254.10.10",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::10.1.2.3",
            "::ffff:10.1.2.3",
            "::ffff:127.0.0.1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!public(ip), "{ip} must not be looked up");
        }
    }

    #[test]
    fn public_and_documentation_ranges_are_public() {
        for ip in [
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.0",
            "172.32.0.1",
            "192.0.2.1",
            "198.51.100.10",
            "203.0.113.200",
            "2001:db8::1",
            "2a00:1450::1",
            "::ffff:198.51.100.10",
        ] {
            assert!(public(ip), "{ip} should be looked up");
        }
    }

    #[test]
    fn mapped_addresses_become_ipv4() {
        let ip: IpAddr = "::ffff:198.51.100.10".parse().expect("test address");
        assert_eq!(
            canonical(ip),
            "198.51.100.10".parse::<IpAddr>().expect("test address")
        );
    }
}
