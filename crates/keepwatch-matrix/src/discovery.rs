//! From what a user types, a server URL or a Matrix user ID, to a homeserver's base URL and
//! what it supports; or the reason it is not one Keepwatch can watch as Matrix.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, NotMatrixKind, Result};
use crate::http::{check_url, is_loopback, ClientOptions, Http};

/// A Matrix user ID, `@localpart:server.name[:port]`, as typed (checked for shape only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserId {
    full: String,
    colon: usize,
}

impl UserId {
    /// Parses `@localpart:server_name`. The server name may carry a port, and be an IPv6
    /// literal in brackets.
    pub fn parse(raw: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidInput {
            input: raw.to_owned(),
            reason: reason.to_owned(),
        };
        let full = raw.trim();
        let rest = full
            .strip_prefix('@')
            .ok_or_else(|| invalid("no leading @"))?;
        let colon = rest
            .find(':')
            .ok_or_else(|| invalid("no :server after the user name"))?;
        let (localpart, server) = (&rest[..colon], &rest[colon + 1..]);
        if localpart.is_empty() {
            return Err(invalid("empty user name"));
        }
        if full.len() > 255 {
            return Err(invalid("longer than 255 bytes"));
        }
        if localpart
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(invalid("the user name has spaces or control characters"));
        }
        // The server name must be a URL host (and port) by itself.
        let url = Url::parse(&format!("https://{server}/"))
            .map_err(|_| invalid("the server name is not a host name"))?;
        if url.host_str().is_none() || url.path() != "/" || !url.username().is_empty() {
            return Err(invalid("the server name is not a host name"));
        }
        Ok(Self {
            full: full.to_owned(),
            colon: colon + 1,
        })
    }

    /// The whole ID, `@ann:example.org`.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// The part before the server name, `ann`.
    pub fn localpart(&self) -> &str {
        &self.full[1..self.colon]
    }

    /// The server name, `example.org` (with its port, if any).
    pub fn server_name(&self) -> &str {
        &self.full[self.colon + 1..]
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full)
    }
}

/// How a homeserver lets people sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// `m.login.password`: what this crate does.
    Password,
    /// Sign-in is delegated to an OAuth 2.0 server (`GET /_matrix/client/v1/auth_metadata`
    /// answers): not supported yet.
    OAuth {
        /// The authorization server's issuer, when given.
        issuer: Option<String>,
    },
    /// Neither: only other flows, such as single sign-on (`m.login.sso`).
    Other {
        /// The flow types offered.
        flows: Vec<String>,
    },
}

/// How the base URL was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundVia {
    /// The URL given answered `/_matrix/client/versions` itself.
    Direct,
    /// `https://<server name>/.well-known/matrix/client` named it.
    WellKnown {
        /// The server name whose `.well-known` was read.
        server_name: String,
    },
}

/// A homeserver found by [`discover`].
#[derive(Debug, Clone)]
pub struct Homeserver {
    /// The client-server API's base URL (what goes before `/_matrix/client/...`).
    pub base_url: Url,
    /// How it was found.
    pub found_via: FoundVia,
    /// The spec versions it supports (`v1.11`, ...), from `/_matrix/client/versions`.
    pub versions: Vec<String>,
    /// Its unstable features, as it lists them.
    pub unstable_features: BTreeMap<String, bool>,
    /// How people sign in.
    pub sign_in: SignIn,
    /// The user ID typed, when discovery started from one.
    pub user_id: Option<UserId>,
}

impl Homeserver {
    /// `Ok` when this crate can sign in here (password sign-in), else
    /// [`Error::SignInNotSupported`].
    pub fn require_password_sign_in(&self) -> Result<()> {
        match &self.sign_in {
            SignIn::Password => Ok(()),
            SignIn::OAuth { issuer } => Err(Error::SignInNotSupported {
                oauth_issuer: issuer.clone(),
                flows: Vec::new(),
            }),
            SignIn::Other { flows } => Err(Error::SignInNotSupported {
                oauth_issuer: None,
                flows: flows.clone(),
            }),
        }
    }
}

#[derive(Deserialize)]
struct Versions {
    versions: Vec<String>,
    #[serde(default)]
    unstable_features: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct WellKnown {
    #[serde(rename = "m.homeserver")]
    homeserver: WellKnownHomeserver,
}

#[derive(Deserialize)]
struct WellKnownHomeserver {
    base_url: String,
}

#[derive(Deserialize)]
struct LoginFlows {
    #[serde(default)]
    flows: Vec<LoginFlow>,
}

#[derive(Deserialize)]
struct LoginFlow {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct AuthMetadata {
    issuer: Option<String>,
}

/// Finds the homeserver behind `input`: a server URL (`https://matrix.example.org`, or just
/// `example.org`) or a user ID (`@ann:example.org`).
///
/// A user ID's server name is looked up at `https://<server name>/.well-known/matrix/client`
/// (`http://` when the server name is this computer, for tests and local servers); a URL is
/// tried directly, then through its host's `.well-known`. The base URL found must answer
/// `/_matrix/client/versions`; otherwise [`Error::NotMatrix`], which also says whether the
/// server is a Keepwatch API server instead. A server that signs in through OAuth 2.0 is still
/// a [`Homeserver`], with [`SignIn::OAuth`]: see [`Homeserver::require_password_sign_in`].
pub async fn discover(input: &str, options: &ClientOptions) -> Result<Homeserver> {
    let trimmed = input.trim();
    if trimmed.starts_with('@') {
        let user_id = UserId::parse(trimmed)?;
        let origin = origin_of_server_name(user_id.server_name())?;
        let http = Http::new(origin.clone(), options)?;
        let base = match well_known(&http).await {
            Ok(Some(base)) => base,
            // No .well-known (or no web server to ask): the server name is the homeserver
            // (the spec's "IGNORE").
            Ok(None) | Err(Error::Network(_)) => origin,
            Err(other) => return Err(other),
        };
        let found_via = FoundVia::WellKnown {
            server_name: user_id.server_name().to_owned(),
        };
        let mut server = probe(&http.with_base(base), found_via).await?;
        server.user_id = Some(user_id);
        return Ok(server);
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = check_url(&with_scheme)?;
    let http = Http::new(url.clone(), options)?;
    match probe(&http, FoundVia::Direct).await {
        Err(Error::NotMatrix { .. }) => {}
        other => return other,
    }
    // Perhaps a server name whose homeserver lives elsewhere.
    let mut origin = url.clone();
    origin.set_path("/");
    let host_http = http.with_base(origin);
    if let Ok(Some(base)) = well_known(&host_http).await {
        if base != url {
            if let Ok(server) = probe(
                &http.with_base(base),
                FoundVia::WellKnown {
                    server_name: url.host_str().unwrap_or_default().to_owned(),
                },
            )
            .await
            {
                return Ok(server);
            }
        }
    }
    Err(Error::NotMatrix {
        url: url.to_string(),
        kind: not_matrix_kind(&http).await,
    })
}

/// `https://<server name>/`, or `http://` for this computer.
fn origin_of_server_name(server_name: &str) -> Result<Url> {
    let https =
        Url::parse(&format!("https://{server_name}/")).map_err(|e| Error::InvalidInput {
            input: server_name.to_owned(),
            reason: e.to_string(),
        })?;
    let local = https.host().is_some_and(|h| is_loopback(&h));
    if local {
        check_url(&format!("http://{server_name}/"))
    } else {
        Ok(https)
    }
}

/// The base URL `.well-known/matrix/client` names: `None` when there is none (404), an error
/// when it is there but broken (the spec's "FAIL_PROMPT").
async fn well_known(http: &Http) -> Result<Option<Url>> {
    let url = http.url(&[".well-known", "matrix", "client"])?;
    let answer = http.send(Method::GET, url, None, &[], None, None).await?;
    if answer.status == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !answer.status.is_success() {
        return Err(Error::BadResponse(format!(
            ".well-known/matrix/client answered HTTP {}",
            answer.status.as_u16()
        )));
    }
    let found: WellKnown = answer.json()?;
    check_url(&found.homeserver.base_url).map(Some)
}

/// Asks `http`'s base URL for its versions and sign-in methods.
async fn probe(http: &Http, found_via: FoundVia) -> Result<Homeserver> {
    let not_matrix = || Error::NotMatrix {
        url: http.base.to_string(),
        kind: NotMatrixKind::Unknown,
    };
    let url = http.url(&["_matrix", "client", "versions"])?;
    let answer = http.send(Method::GET, url, None, &[], None, None).await?;
    if !answer.status.is_success() {
        return Err(not_matrix());
    }
    let versions: Versions = answer.json().map_err(|_| not_matrix())?;
    if versions.versions.is_empty() {
        return Err(not_matrix());
    }
    let unstable_features = versions
        .unstable_features
        .into_iter()
        .map(|(k, v)| (k, v.as_bool().unwrap_or(false)))
        .collect();
    let sign_in = sign_in(http).await?;
    Ok(Homeserver {
        base_url: http.base.clone(),
        found_via,
        versions: versions.versions,
        unstable_features,
        sign_in,
        user_id: None,
    })
}

/// OAuth 2.0 when `auth_metadata` (stable, or MSC2965's unstable path) answers; else password
/// when `GET /login` offers it.
async fn sign_in(http: &Http) -> Result<SignIn> {
    for segments in [
        &["_matrix", "client", "v1", "auth_metadata"][..],
        &[
            "_matrix",
            "client",
            "unstable",
            "org.matrix.msc2965",
            "auth_metadata",
        ][..],
    ] {
        let url = http.url(segments)?;
        let answer = http.send(Method::GET, url, None, &[], None, None).await?;
        if answer.status.is_success() {
            let issuer = answer.json::<AuthMetadata>().ok().and_then(|m| m.issuer);
            return Ok(SignIn::OAuth { issuer });
        }
    }
    let flows: LoginFlows = http
        .get_json(None, &["_matrix", "client", "v3", "login"])
        .await?;
    let flows: Vec<String> = flows.flows.into_iter().map(|f| f.kind).collect();
    if flows.iter().any(|f| f == "m.login.password") {
        Ok(SignIn::Password)
    } else {
        Ok(SignIn::Other { flows })
    }
}

/// Whether a server that is not Matrix is a Keepwatch API server: its OpenAPI document lists
/// the contract's `/v1/...` paths.
async fn not_matrix_kind(http: &Http) -> NotMatrixKind {
    #[derive(Deserialize)]
    struct OpenApi {
        openapi: String,
        paths: BTreeMap<String, serde::de::IgnoredAny>,
    }
    let Ok(url) = http.url(&[keepwatch_api::paths::OPENAPI.trim_start_matches('/')]) else {
        return NotMatrixKind::Unknown;
    };
    let Ok(answer) = http.send(Method::GET, url, None, &[], None, None).await else {
        return NotMatrixKind::Unknown;
    };
    match answer.json::<OpenApi>() {
        Ok(doc)
            if answer.status.is_success()
                && !doc.openapi.is_empty()
                && doc.paths.contains_key(keepwatch_api::paths::SESSIONS) =>
        {
            NotMatrixKind::KeepwatchApi
        }
        _ => NotMatrixKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_parse() {
        let id = UserId::parse(" @ann:example.org ").unwrap();
        assert_eq!(
            (id.as_str(), id.localpart(), id.server_name()),
            ("@ann:example.org", "ann", "example.org")
        );
        let id = UserId::parse("@bob:127.0.0.1:8448").unwrap();
        assert_eq!(id.server_name(), "127.0.0.1:8448");
        let id = UserId::parse("@c:[::1]:8448").unwrap();
        assert_eq!(id.server_name(), "[::1]:8448");
        for bad in [
            "ann:example.org",
            "@ann",
            "@:example.org",
            "@ann:",
            "@ann:exa mple.org",
            "@ann:example.org/path",
            "@a b:example.org",
            "@ann:x@evil.org",
        ] {
            assert!(UserId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn server_names_are_reached_over_https_unless_local() {
        assert_eq!(
            origin_of_server_name("example.org").unwrap().as_str(),
            "https://example.org/"
        );
        assert_eq!(
            origin_of_server_name("127.0.0.1:8448").unwrap().as_str(),
            "http://127.0.0.1:8448/"
        );
    }
}
