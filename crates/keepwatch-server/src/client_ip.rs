//! Who the client is: the socket peer, or — only when that peer is a trusted proxy — the
//! right-most address in the configured forwarding header that is not itself a trusted proxy.
//! The other forwarding header is never read: the operator's proxy does not maintain it, so
//! its contents are whatever the client wrote.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::config::ForwardedHeader;

/// The client address of a request from `peer` with `headers`.
pub fn resolve(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = match header {
        ForwardedHeader::Forwarded => forwarded_hops(headers),
        ForwardedHeader::XForwardedFor => x_forwarded_for_hops(headers),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) => {
                client = ip.to_canonical();
                if !is_trusted(&client) {
                    break;
                }
            }
            // An unreadable hop ("unknown", an obfuscated name, garbage): what lies beyond it
            // cannot be believed, so the last believable address stands.
            None => break,
        }
    }
    client
}

/// Hops from `Forwarded`, left (client) to right.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| parse_node(v.trim().trim_matches('"')))
        })
        .collect()
}

/// Hops from `X-Forwarded-For`, left (client) to right.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]`,
/// `[2001:db8::1]:443` or a bare `2001:db8::1`.
fn parse_node(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = text.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    text.strip_prefix('[')
        .and_then(|t| t.split(']').next())
        .and_then(|t| t.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;
    const FWD: ForwardedHeader = ForwardedHeader::Forwarded;

    #[test]
    fn untrusted_peer_is_the_client() {
        let peer: IpAddr = "192.0.2.1".parse().unwrap();
        let h = headers("x-forwarded-for", "198.51.100.7");
        assert_eq!(resolve(peer, &h, &[], XFF), peer);
    }

    #[test]
    fn right_most_untrusted_hop_wins() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let h = headers("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.9");
        assert_eq!(
            resolve(peer, &h, &trusted, XFF),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let h = headers(
            "forwarded",
            r#"for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711""#,
        );
        assert_eq!(
            resolve(peer, &h, &trusted, FWD),
            "2001:db8:cafe::17".parse::<IpAddr>().unwrap()
        );
        let h = headers("x-forwarded-for", "198.51.100.7, garbage");
        assert_eq!(resolve(peer, &h, &trusted, XFF), peer);
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted, XFF), peer);
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = headers("x-forwarded-for", "198.51.100.7");
        h.insert("forwarded", HeaderValue::from_static("for=6.6.6.6"));
        assert_eq!(
            resolve(peer, &h, &trusted, XFF),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            resolve(peer, &h, &trusted, FWD),
            "6.6.6.6".parse::<IpAddr>().unwrap()
        );
        // The configured header absent: the proxy itself, never the other header.
        let only_fwd = headers("forwarded", "for=6.6.6.6");
        assert_eq!(resolve(peer, &only_fwd, &trusted, XFF), peer);
        let only_xff = headers("x-forwarded-for", "6.6.6.6");
        assert_eq!(resolve(peer, &only_xff, &trusted, FWD), peer);
    }
}
