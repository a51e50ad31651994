//! The client for one homeserver.

use url::Url;

use crate::discovery::Homeserver;
use crate::error::Result;
use crate::http::{check_url, ClientOptions, Http};

/// A client for one homeserver's client-server API. It holds no tokens: each call takes the
/// access token it needs, and a password only for the call that needs it, so the caller
/// decides where secrets live (the keyring) and when to refresh.
#[derive(Clone)]
pub struct MatrixClient {
    pub(crate) http: Http,
}

impl std::fmt::Debug for MatrixClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixClient")
            .field("base_url", &self.http.base.as_str())
            .finish()
    }
}

impl MatrixClient {
    /// A client for the homeserver at `base_url` (checked: `https://`, or `http://` to this
    /// computer). Use [`MatrixClient::for_homeserver`] after [`crate::discover`] instead when
    /// starting from what a user typed.
    pub fn new(base_url: &str, options: &ClientOptions) -> Result<Self> {
        let base = check_url(base_url)?;
        Ok(Self {
            http: Http::new(base, options)?,
        })
    }

    /// A client for a discovered homeserver, when this crate can sign in there; else
    /// [`crate::Error::SignInNotSupported`].
    pub fn for_homeserver(server: &Homeserver, options: &ClientOptions) -> Result<Self> {
        server.require_password_sign_in()?;
        Ok(Self {
            http: Http::new(server.base_url.clone(), options)?,
        })
    }

    /// The homeserver's base URL.
    pub fn base_url(&self) -> &Url {
        &self.http.base
    }
}
