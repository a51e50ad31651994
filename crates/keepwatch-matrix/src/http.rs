//! The one way this crate talks HTTP: bounded answers, typed Matrix errors, and request bodies
//! whose secrets are wiped once sent.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::secret::AccessToken;

/// Knobs of the client. The defaults suit a desktop app.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Time to open a connection.
    pub connect_timeout: Duration,
    /// Time for a whole request, answer included. A `/sync` long-poll gets its own timeout
    /// on top of this.
    pub request_timeout: Duration,
    /// Largest answer body read, in bytes; a larger one is [`Error::BodyTooLarge`].
    pub max_body_bytes: usize,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            user_agent: format!("Keepwatch/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Checks a base URL: `https://`, or `http://` to this computer (loopback); no credentials.
pub fn check_url(raw: &str) -> Result<Url> {
    use keepwatch_api::server_url::{check_server_url, ServerUrlError};
    check_server_url(raw).map_err(|e| match e {
        ServerUrlError::Invalid(reason) => Error::InvalidInput {
            input: raw.to_owned(),
            reason,
        },
        ServerUrlError::Insecure { host } => Error::InsecureUrl { host },
    })
}

pub(crate) use keepwatch_api::server_url::is_loopback;

/// A JSON request body. Its strings (a password, a refresh token) are wiped when it is
/// dropped; the bytes reqwest sends are its own copy, freed without wiping.
pub(crate) struct Body(pub(crate) serde_json::Value);

impl Drop for Body {
    fn drop(&mut self) {
        fn wipe(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s) => s.zeroize(),
                serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
                serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0);
    }
}

/// An answer read whole (within the cap). The bytes are wiped when dropped: sign-in and
/// refresh answers carry tokens.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) retry_after: Option<u64>,
    pub(crate) body: Zeroizing<Vec<u8>>,
}

impl Answer {
    /// The body as `T`.
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T> {
        // Not the parser's message: it can quote the value it choked on, and that can be a
        // token.
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::BadResponse(format!(
                "HTTP {}: not the expected JSON ({:?} error at line {} column {})",
                self.status.as_u16(),
                e.classify(),
                e.line(),
                e.column()
            ))
        })
    }

    /// The body as a Matrix error, if it is one.
    pub(crate) fn matrix_error(&self) -> Option<MatrixErrorBody> {
        serde_json::from_slice::<MatrixErrorBody>(&self.body)
            .ok()
            .filter(|e| e.errcode.is_some())
    }

    /// `Ok(self)` for a 2xx answer, else the typed error it means.
    pub(crate) fn success(self) -> Result<Self> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(self.error())
        }
    }

    /// The typed error an unsuccessful answer means.
    pub(crate) fn error(&self) -> Error {
        let Some(body) = self.matrix_error() else {
            return match self.status {
                StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                    retry_after_ms: self.retry_after,
                },
                status => Error::BadResponse(format!(
                    "HTTP {} without a Matrix error body",
                    status.as_u16()
                )),
            };
        };
        let errcode = body.errcode.unwrap_or_default();
        match errcode.as_str() {
            "M_UNKNOWN_TOKEN" | "M_MISSING_TOKEN" => Error::UnknownToken {
                soft_logout: body.soft_logout.unwrap_or(false),
            },
            "M_LIMIT_EXCEEDED" => Error::RateLimited {
                retry_after_ms: body.retry_after_ms.or(self.retry_after),
            },
            _ if self.status == StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                retry_after_ms: body.retry_after_ms.or(self.retry_after),
            },
            _ => Error::Matrix {
                status: self.status.as_u16(),
                errcode,
                message: body.error.unwrap_or_default(),
            },
        }
    }
}

/// The standard Matrix error body.
#[derive(Debug, Deserialize)]
pub(crate) struct MatrixErrorBody {
    pub(crate) errcode: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) soft_logout: Option<bool>,
    pub(crate) retry_after_ms: Option<u64>,
}

/// One homeserver's HTTP side.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    pub(crate) base: Url,
    max_body_bytes: usize,
}

impl Http {
    pub(crate) fn new(base: Url, options: &ClientOptions) -> Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // A redirect could take a token or a password elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Network(format!("cannot set up HTTP client: {e}")))?;
        Ok(Self {
            client,
            base,
            max_body_bytes: options.max_body_bytes,
        })
    }

    /// The same client for another base URL.
    pub(crate) fn with_base(&self, base: Url) -> Self {
        Self {
            base,
            ..self.clone()
        }
    }

    /// The base URL with `segments` appended, each percent-encoded (a hostile user or device
    /// ID cannot change the path).
    pub(crate) fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.base.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .map_err(|()| Error::InvalidInput {
                input: self.base.to_string(),
                reason: "not a base URL".into(),
            })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends a request and reads its answer, whatever its status.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        token: Option<&AccessToken>,
        query: &[(&str, &str)],
        body: Option<&Body>,
        timeout: Option<Duration>,
    ) -> Result<Answer> {
        let mut request = self.client.request(method, url).query(query);
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            request = request.json(&body.0);
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let mut response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|seconds| seconds.saturating_mul(1000));
        let cap = self.max_body_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > cap as u64)
        {
            return Err(Error::BodyTooLarge { limit: cap });
        }
        let mut body = Zeroizing::new(Vec::new());
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > cap {
                return Err(Error::BodyTooLarge { limit: cap });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// An authenticated `GET` of `segments`, as `T`.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        token: Option<&AccessToken>,
        segments: &[&str],
    ) -> Result<T> {
        let url = self.url(segments)?;
        self.send(Method::GET, url, token, &[], None, None)
            .await?
            .success()?
            .json()
    }
}

/// A transport error without its URL (which may hold a user ID, and is known to the caller).
fn transport_error(e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        Error::Network(kind.to_owned())
    } else {
        Error::Network(format!("{kind}: {detail}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: Some(7000),
            body: Zeroizing::new(body.as_bytes().to_vec()),
        }
    }

    #[test]
    fn matrix_errors_are_typed() {
        assert!(matches!(
            answer(
                401,
                r#"{"errcode":"M_UNKNOWN_TOKEN","error":"x","soft_logout":true}"#
            )
            .error(),
            Error::UnknownToken { soft_logout: true }
        ));
        assert!(matches!(
            answer(401, r#"{"errcode":"M_UNKNOWN_TOKEN","error":"x"}"#).error(),
            Error::UnknownToken { soft_logout: false }
        ));
        assert!(matches!(
            answer(
                429,
                r#"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1234}"#
            )
            .error(),
            Error::RateLimited {
                retry_after_ms: Some(1234)
            }
        ));
        // Without the body's figure, the Retry-After header's.
        assert!(matches!(
            answer(429, r#"{"errcode":"M_LIMIT_EXCEEDED"}"#).error(),
            Error::RateLimited {
                retry_after_ms: Some(7000)
            }
        ));
        assert!(matches!(
            answer(429, "<html>slow down</html>").error(),
            Error::RateLimited { .. }
        ));
        match answer(404, r#"{"errcode":"M_NOT_FOUND","error":"nope"}"#).error() {
            Error::Matrix {
                status,
                errcode,
                message,
            } => assert_eq!((status, &*errcode, &*message), (404, "M_NOT_FOUND", "nope")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_is_a_bad_response_not_a_panic() {
        for body in ["", "null", "[]", "{\"errcode\":5}", "\u{0}\u{1}", "{{{{"] {
            let a = answer(500, body);
            assert!(matches!(a.error(), Error::BadResponse(_)), "{body:?}");
        }
    }

    #[test]
    fn urls_must_be_https_or_loopback() {
        assert!(check_url("https://matrix.example.org").is_ok());
        assert!(check_url("http://127.0.0.1:8008").is_ok());
        assert!(check_url("http://[::1]:8008").is_ok());
        assert!(check_url("http://localhost:8008").is_ok());
        assert!(matches!(
            check_url("http://matrix.example.org"),
            Err(Error::InsecureUrl { .. })
        ));
        assert!(matches!(
            check_url("https://ann:pw@example.org"),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            check_url("ftp://example.org"),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn path_segments_are_encoded() {
        let http = Http::new(
            Url::parse("https://example.org/base/").unwrap(),
            &ClientOptions::default(),
        )
        .unwrap();
        let url = http
            .url(&["_matrix", "client", "v3", "devices", "../x?y#z"])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://example.org/base/_matrix/client/v3/devices/..%2Fx%3Fy%23z"
        );
    }
}
