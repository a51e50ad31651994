//! Networks where a session is more likely a VPN or a rented server than someone's home.

/// One autonomous system known to host servers and VPN exits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostingNetwork {
    /// Autonomous system number.
    pub asn: u32,
    /// Who operates it, as people know them.
    pub operator: &'static str,
}

/// Well-known hosting, cloud and VPN-exit networks.
///
/// Kept short on purpose: each entry is an AS whose registered holder (as listed in public BGP
/// registries such as bgp.he.net or PeeringDB) is a hosting or cloud company, and whose address
/// space commercial VPN services and rented servers are commonly seen from. Residential ISPs and
/// mobile carriers are never listed. An ASN missing here proves nothing: the list only lets an
/// alert say "this looks like a VPN" when it clearly does. Consumer VPN brands mostly rent
/// servers from these operators rather than announcing their own AS, so the operators are listed,
/// not the brands.
pub const HOSTING_NETWORKS: &[HostingNetwork] = &[
    HostingNetwork {
        asn: 8075,
        operator: "Microsoft",
    },
    HostingNetwork {
        asn: 8100,
        operator: "QuadraNet",
    },
    HostingNetwork {
        asn: 9009,
        operator: "M247",
    },
    HostingNetwork {
        asn: 12876,
        operator: "Scaleway",
    },
    HostingNetwork {
        asn: 13335,
        operator: "Cloudflare",
    },
    HostingNetwork {
        asn: 14061,
        operator: "DigitalOcean",
    },
    HostingNetwork {
        asn: 14618,
        operator: "Amazon Web Services",
    },
    HostingNetwork {
        asn: 16265,
        operator: "Leaseweb",
    },
    HostingNetwork {
        asn: 16276,
        operator: "OVHcloud",
    },
    HostingNetwork {
        asn: 16509,
        operator: "Amazon Web Services",
    },
    HostingNetwork {
        asn: 20473,
        operator: "Vultr (Choopa)",
    },
    HostingNetwork {
        asn: 24940,
        operator: "Hetzner",
    },
    HostingNetwork {
        asn: 31898,
        operator: "Oracle Cloud",
    },
    HostingNetwork {
        asn: 36352,
        operator: "ColoCrossing",
    },
    HostingNetwork {
        asn: 45102,
        operator: "Alibaba Cloud",
    },
    HostingNetwork {
        asn: 51167,
        operator: "Contabo",
    },
    HostingNetwork {
        asn: 60068,
        operator: "Datacamp (CDN77)",
    },
    HostingNetwork {
        asn: 60781,
        operator: "Leaseweb",
    },
    HostingNetwork {
        asn: 62240,
        operator: "Clouvider",
    },
    HostingNetwork {
        asn: 63949,
        operator: "Akamai (Linode)",
    },
    HostingNetwork {
        asn: 396982,
        operator: "Google Cloud",
    },
];

/// The hosting network with this ASN, if it is a well-known one.
pub fn hosting_network(asn: u32) -> Option<&'static HostingNetwork> {
    HOSTING_NETWORKS
        .binary_search_by_key(&asn, |network| network.asn)
        .ok()
        .map(|index| &HOSTING_NETWORKS[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique_so_lookup_finds_every_entry() {
        assert!(HOSTING_NETWORKS.windows(2).all(|w| w[0].asn < w[1].asn));
        for network in HOSTING_NETWORKS {
            assert_eq!(hosting_network(network.asn), Some(network));
        }
    }

    #[test]
    fn residential_networks_are_not_hosting() {
        // Deutsche Telekom, Comcast, Vodafone UK.
        for asn in [3320, 7922, 5378] {
            assert_eq!(hosting_network(asn), None, "AS{asn}");
        }
        assert_eq!(hosting_network(9009).map(|n| n.operator), Some("M247"));
    }
}
