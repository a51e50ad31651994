//! Which server addresses a client may talk to, for every account system Keepwatch speaks to
//! (the Keepwatch API, Matrix homeservers): HTTPS anywhere, plain HTTP only to this machine,
//! and never credentials in the URL, which would end up in logs and history.

use std::net::IpAddr;

use url::{Host, Url};

/// Why a server address was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerUrlError {
    /// Not a usable URL: unparsable, no host, credentials in it, or another scheme.
    Invalid(String),
    /// Plain HTTP to a host other than this machine.
    Insecure {
        /// The host it named.
        host: String,
    },
}

/// Whether `host` is this machine (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

/// `raw` as a server URL a client may use, or why not.
pub fn check_server_url(raw: &str) -> Result<Url, ServerUrlError> {
    let url = Url::parse(raw.trim()).map_err(|e| ServerUrlError::Invalid(e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ServerUrlError::Invalid(
            "credentials in the URL are not allowed".into(),
        ));
    }
    let host = url
        .host()
        .ok_or_else(|| ServerUrlError::Invalid("no host".into()))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&host) => Ok(url),
        "http" => Err(ServerUrlError::Insecure {
            host: host.to_string(),
        }),
        other => Err(ServerUrlError::Invalid(format!(
            "unsupported scheme {other}"
        ))),
    }
}
