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

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn addr() -> impl Strategy<Value = IpAddr> {
            prop_oneof![
                any::<[u8; 4]>().prop_map(IpAddr::from),
                any::<[u16; 8]>().prop_map(IpAddr::from),
                // The trusted proxy range, so that chains of proxies are walked.
                any::<u8>().prop_map(|b| IpAddr::from([10, 0, 0, b])),
            ]
        }

        /// One hop as a proxy, a client or an attacker writes it.
        fn hop() -> impl Strategy<Value = String> {
            prop_oneof![
                addr().prop_map(|a| a.to_string()),
                addr().prop_map(|a| match a {
                    IpAddr::V4(v4) => format!("{v4}:8080"),
                    IpAddr::V6(v6) => format!("\"[{v6}]:443\""),
                }),
                Just("unknown".to_owned()),
                "[ -~]{0,16}",
            ]
        }

        fn header_value() -> impl Strategy<Value = String> {
            proptest::collection::vec((hop(), any::<bool>()), 0..6).prop_map(|hops| {
                hops.into_iter()
                    .map(|(h, as_forwarded)| {
                        if as_forwarded {
                            format!("for={h};proto=https")
                        } else {
                            h
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }

        fn with(xff: &str, fwd: &str) -> HeaderMap {
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(xff) {
                h.insert("x-forwarded-for", v);
            }
            if let Ok(v) = HeaderValue::from_str(fwd) {
                h.insert("forwarded", v);
            }
            h
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// The answer is the peer, or an address written in the configured header: never
            /// one that only the other header (which no proxy of ours maintains) names.
            #[test]
            fn only_the_peer_or_the_configured_header_is_believed(
                peer in addr(),
                xff in header_value(),
                fwd in header_value(),
                use_forwarded in any::<bool>(),
            ) {
                let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
                let headers = with(&xff, &fwd);
                let (chosen, text) = if use_forwarded { (FWD, &fwd) } else { (XFF, &xff) };
                let client = resolve(peer, &headers, &trusted, chosen);
                let named = |ip: IpAddr| {
                    let hops = if use_forwarded { forwarded_hops(&headers) } else { x_forwarded_for_hops(&headers) };
                    hops.iter().flatten().any(|h| h.to_canonical() == ip)
                };
                prop_assert!(
                    client == peer.to_canonical() || named(client),
                    "{client} from peer {peer} with {text:?}"
                );
                if !trusted.iter().any(|n| n.contains(&peer.to_canonical())) {
                    prop_assert_eq!(client, peer.to_canonical());
                }
            }
        }
    }
}
