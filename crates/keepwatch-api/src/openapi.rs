//! The OpenAPI 3.1 document, generated from the contract's types.
//!
//! The functions in [`endpoints`] are never called: they exist to carry each endpoint's
//! description for `utoipa`, so that the document lives beside the types it describes rather
//! than inside one implementation of them.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document as a structure. Serve [`document_json`], not this serialised: utoipa writes
/// the links' `operationId` in snake case, which [`document_json`] corrects.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as served at `/openapi.json` and committed at `api/openapi.json`:
/// pretty-printed JSON with a trailing newline, byte for byte as committed.
pub fn document_json() -> String {
    let json = document()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    // utoipa 5 serialises `Link::operation_id` as `operation_id`; OpenAPI says `operationId`.
    // Operations themselves are written correctly, and no schema has a field of that name (a
    // test checks), so the key can only be a link's.
    let mut json = json.replace("\"operation_id\": ", "\"operationId\": ");
    json.push('\n');
    json
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Keepwatch account API",
        version = "1.0.0",
        description = "The account-service API Keepwatch watches: sessions, account actions, \
                       security settings and a live event feed. Every error body is \
                       `{\"error\": code, \"message\": text}`; times are RFC 3339 UTC; unknown \
                       values are null.",
        license(name = "Apache-2.0")
    ),
    paths(
        endpoints::login, endpoints::refresh, endpoints::logout,
        endpoints::list_sessions, endpoints::revoke_session, endpoints::revoke_others,
        endpoints::change_password, endpoints::reset_two_factor, endpoints::list_withdrawals,
        endpoints::list_blocklist, endpoints::add_blocklist_entry, endpoints::remove_blocklist_entry,
        endpoints::get_session_length, endpoints::put_session_length,
        endpoints::list_trusted_devices, endpoints::forget_trusted_device,
        endpoints::login_history, endpoints::list_events, endpoints::event_stream,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "sessions", description = "Active sessions"),
        (name = "account", description = "Password, 2FA, withdrawals"),
        (name = "security", description = "Blocklist, session length, trusted devices, sign-in history"),
        (name = "events", description = "Account events"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Descriptions of each endpoint, for the document only.
#[allow(dead_code, clippy::unused_unit)]
pub mod endpoints {
    use crate::*;

    /// Sign in.
    ///
    /// Five failures in a row for one email from one address (an IPv6 /64), or from one
    /// trusted device, lock sign-in from there for 30 minutes, each further lockout twice as
    /// long (423 with `Retry-After`); emails without an account answer exactly alike. A
    /// trusted device skips the 2FA prompt for 30 days. Each address may try a limited number
    /// of times per minute (429), and when every password-hashing slot is busy the server
    /// answers 503 at once rather than queueing without bound.
    #[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
        responses(
            (status = 200, description = "Signed in", body = TokenPair),
            (status = 400, description = "`invalid_request`: malformed JSON, unknown or missing fields, wrong types", body = ApiError),
            (status = 401, description = "`invalid_credentials`, `totp_required` or `invalid_totp`", body = ApiError),
            (status = 403, description = "`ip_blocked`", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
            (status = 423, description = "`account_locked`; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds until sign-in is allowed again"))),
            (status = 429, description = "`rate_limited`: too many attempts from this address; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
            (status = 503, description = "`unavailable`: every password-hashing slot is taken; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
        ))]
    pub fn login() {}

    /// Trade a refresh token for a new pair.
    ///
    /// The old refresh token stops working. Presenting an already-rotated token again revokes
    /// the whole session (reuse detection), except once within two minutes of its rotation
    /// while its replacement was never used: a client that crashed before storing the answer.
    #[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
        responses(
            (status = 200, description = "New token pair", body = TokenPair),
            (status = 400, description = "`invalid_request`: malformed JSON, unknown or missing fields, wrong types", body = ApiError),
            (status = 401, description = "`invalid_token`: unknown or never valid; `session_revoked` with `revocation`: the session ended (revoked, expired, or this token was reused)", body = ApiError),
            (status = 403, description = "`ip_blocked`", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
        ))]
    pub fn refresh() {}

    /// End the calling session.
    #[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", security(("bearer" = [])),
        responses(
            (status = 204, description = "Signed out"),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn logout() {}

    /// Every active session of the account.
    ///
    /// Answers 304 when `If-None-Match` carries the current `ETag`.
    #[utoipa::path(get, path = "/v1/sessions", tag = "sessions", security(("bearer" = [])),
        params(("If-None-Match" = Option<String>, Header, description = "An earlier ETag")),
        responses(
            (status = 200, description = "The sessions", body = SessionList,
                headers(("ETag" = String, description = "Version of this list")),
                links(("RevokeSession" = (operation_id = "revoke_session",
                    parameters(("id" = "$response.body#/sessions/0/id")),
                    description = "Sign a listed session out")))),
            (status = 304, description = "Unchanged since the given ETag",
                headers(("ETag" = String, description = "Version of this list"))),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn list_sessions() {}

    /// Sign one session out.
    #[utoipa::path(delete, path = "/v1/sessions/{id}", tag = "sessions", security(("bearer" = [])),
        params(("id" = String, Path, description = "Session id")),
        responses(
            (status = 204, description = "Signed out"),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 404, description = "`not_found`: no running session with this id on the account", body = ApiError),
            (status = 409, description = "`current_session`: use logout for the calling session", body = ApiError),
        ))]
    pub fn revoke_session() {}

    /// Sign every other session out.
    #[utoipa::path(post, path = "/v1/sessions/revoke-others", tag = "sessions", security(("bearer" = [])),
        responses(
            (status = 200, description = "How many were signed out", body = RevokeOthersResponse),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn revoke_others() {}

    /// Change the password; every other session ends.
    #[utoipa::path(post, path = "/v1/account/password", tag = "account", security(("bearer" = [])),
        request_body = ChangePasswordRequest,
        responses(
            (status = 200, description = "Changed", body = ChangePasswordResponse),
            (status = 400, description = "`invalid_request`: malformed JSON, unknown or missing fields, wrong types", body = ApiError),
            (status = 401, description = "`invalid_credentials`, `invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
            (status = 422, description = "`weak_password`: too short or unchanged", body = ApiError),
            (status = 423, description = "`account_locked`: too many wrong passwords from this session or its address, counted with sign-in failures; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds until the lockout ends"))),
            (status = 503, description = "`unavailable`: every password-hashing slot is taken; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
        ))]
    pub fn change_password() {}

    /// Replace the TOTP secret and backup codes; trusted devices are forgotten and every other
    /// session ends.
    #[utoipa::path(post, path = "/v1/account/2fa/reset", tag = "account", security(("bearer" = [])),
        request_body = TwoFactorResetRequest,
        responses(
            (status = 200, description = "The new secret and backup codes, shown once", body = TwoFactorResetResponse),
            (status = 400, description = "`invalid_request`: malformed JSON, unknown or missing fields, wrong types", body = ApiError),
            (status = 401, description = "`invalid_credentials`, `invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
            (status = 423, description = "`account_locked`: too many wrong passwords from this session or its address, counted with sign-in failures; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds until the lockout ends"))),
            (status = 503, description = "`unavailable`: every password-hashing slot is taken; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
        ))]
    pub fn reset_two_factor() {}

    /// Recent withdrawals, newest first.
    #[utoipa::path(get, path = "/v1/account/withdrawals", tag = "account", security(("bearer" = [])),
        params(LimitQuery),
        responses(
            (status = 200, description = "Withdrawals", body = Vec<Withdrawal>),
            (status = 400, description = "`invalid_request`: `limit` outside 1–500, or an unknown or malformed parameter", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn list_withdrawals() {}

    /// The IP blocklist.
    #[utoipa::path(get, path = "/v1/security/ip-blocklist", tag = "security", security(("bearer" = [])),
        responses(
            (status = 200, description = "Entries", body = Vec<BlocklistEntry>,
                links(("RemoveBlocklistEntry" = (operation_id = "remove_blocklist_entry",
                    parameters(("id" = "$response.body#/0/id")),
                    description = "Remove a listed entry")))),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn list_blocklist() {}

    /// Block an address or range, at sign-in and on every authenticated request.
    #[utoipa::path(post, path = "/v1/security/ip-blocklist", tag = "security", security(("bearer" = [])),
        request_body = NewBlocklistEntry,
        responses(
            (status = 201, description = "Added", body = BlocklistEntry,
                links(("RemoveBlocklistEntry" = (operation_id = "remove_blocklist_entry",
                    parameters(("id" = "$response.body#/id")),
                    description = "Remove the entry just added")))),
            (status = 400, description = "`invalid_request`: not an IP address or CIDR range, malformed JSON, unknown or missing fields", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 409, description = "`current_session`: the range covers the caller's own address", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
            (status = 422, description = "`invalid_value`: `note` is longer than 200 characters", body = ApiError),
        ))]
    pub fn add_blocklist_entry() {}

    /// Unblock.
    #[utoipa::path(delete, path = "/v1/security/ip-blocklist/{id}", tag = "security", security(("bearer" = [])),
        params(("id" = String, Path, description = "Entry id")),
        responses(
            (status = 204, description = "Removed"),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 404, description = "`not_found`", body = ApiError),
        ))]
    pub fn remove_blocklist_entry() {}

    /// How long idle sessions live.
    #[utoipa::path(get, path = "/v1/security/session-length", tag = "security", security(("bearer" = [])),
        responses(
            (status = 200, description = "Current setting", body = SessionLength),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn get_session_length() {}

    /// Change how long idle sessions live; applies to existing sessions at once.
    #[utoipa::path(put, path = "/v1/security/session-length", tag = "security", security(("bearer" = [])),
        request_body = SessionLength,
        responses(
            (status = 200, description = "New setting", body = SessionLength),
            (status = 400, description = "`invalid_request`: malformed JSON, unknown or missing fields, wrong types", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 408, description = "`invalid_request`: the body did not arrive within the server's body timeout", body = ApiError),
            (status = 413, description = "`payload_too_large`: the body is over 64 KiB", body = ApiError),
            (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ApiError),
            (status = 422, description = "`invalid_value`: out of range", body = ApiError),
        ))]
    pub fn put_session_length() {}

    /// Devices that skip the 2FA prompt.
    #[utoipa::path(get, path = "/v1/security/trusted-devices", tag = "security", security(("bearer" = [])),
        responses(
            (status = 200, description = "Trusted devices", body = Vec<TrustedDevice>,
                links(("ForgetTrustedDevice" = (operation_id = "forget_trusted_device",
                    parameters(("id" = "$response.body#/0/id")),
                    description = "Forget a listed device")))),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn list_trusted_devices() {}

    /// Forget a trusted device: its next sign-in asks for 2FA again.
    #[utoipa::path(delete, path = "/v1/security/trusted-devices/{id}", tag = "security", security(("bearer" = [])),
        params(("id" = String, Path, description = "Trusted device id")),
        responses(
            (status = 204, description = "Forgotten"),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 404, description = "`not_found`", body = ApiError),
        ))]
    pub fn forget_trusted_device() {}

    /// Sign-in attempts, successful and failed, newest first.
    #[utoipa::path(get, path = "/v1/security/login-history", tag = "security", security(("bearer" = [])),
        params(LimitQuery),
        responses(
            (status = 200, description = "Attempts", body = Vec<LoginAttempt>),
            (status = 400, description = "`invalid_request`: `limit` outside 1–500, or an unknown or malformed parameter", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn login_history() {}

    /// Account events after a cursor, oldest first.
    #[utoipa::path(get, path = "/v1/events", tag = "events", security(("bearer" = [])),
        params(EventsQuery),
        responses(
            (status = 200, description = "Events", body = EventList),
            (status = 400, description = "`invalid_request`: `after` or `limit` out of range, or an unknown or malformed parameter", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
        ))]
    pub fn list_events() {}

    /// Account events as Server-Sent Events.
    ///
    /// Each message has `id:` (the event id), `event:` (its kind) and `data:` (the [`Event`] as
    /// JSON). Reconnect with `Last-Event-ID` to resume with no event lost or repeated; without
    /// it the stream starts with the next event (use `GET /v1/events` for the past). A resume
    /// from an old id replays the stored events in order, a page at a time, before the live
    /// ones. Comment lines are sent as keep-alives. The stream ends when the session does,
    /// and after at most an hour by default: reconnect with `Last-Event-ID`, nothing is lost.
    ///
    /// Streams are capped per session (8 by default), per client address (1,000; an IPv6 /64
    /// counts as one address) and on the whole server (10,000): beyond the first two the
    /// answer is 429, beyond the last 503, both with `Retry-After`.
    #[utoipa::path(get, path = "/v1/events/stream", tag = "events", security(("bearer" = [])),
        params(("Last-Event-ID" = Option<u64>, Header, nullable = false, minimum = 0, maximum = 9223372036854775807_i64,
            description = "Resume after this event id")),
        responses(
            (status = 200, description = "`text/event-stream`: one message per event", content_type = "text/event-stream", body = EventStreamMessage),
            (status = 400, description = "`invalid_request`: `Last-Event-ID` is not an event id", body = ApiError),
            (status = 401, description = "`invalid_token`, or `session_revoked` with `revocation`", body = ApiError),
            (status = 403, description = "`ip_blocked`: the caller's address is on the account's blocklist", body = ApiError),
            (status = 429, description = "`rate_limited`: this session or this address holds as many streams as allowed; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
            (status = 503, description = "`unavailable`: the server holds as many streams as it can; see `Retry-After`", body = ApiError,
                headers(("Retry-After" = u64, description = "Seconds to wait"))),
        ))]
    pub fn event_stream() {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{paths, SessionLength, MAX_LIST_LIMIT, MAX_NOTE_CHARS, MIN_PASSWORD_LENGTH};

    /// The committed document must be what the code generates. To update it after changing the
    /// contract: `cargo run -p keepwatch-api --example openapi > api/openapi.json`.
    #[test]
    fn committed_document_matches_the_code() {
        let committed = include_str!("../../../api/openapi.json");
        pretty_assertions::assert_eq!(
            committed,
            document_json(),
            "api/openapi.json is stale: regenerate it with \
             `cargo run -p keepwatch-api --example openapi > api/openapi.json`"
        );
    }

    #[test]
    fn every_path_constant_is_documented() {
        let doc = document();
        for path in [
            paths::LOGIN,
            paths::REFRESH,
            paths::LOGOUT,
            paths::SESSIONS,
            paths::SESSION,
            paths::REVOKE_OTHERS,
            paths::PASSWORD,
            paths::TWO_FACTOR_RESET,
            paths::WITHDRAWALS,
            paths::IP_BLOCKLIST,
            paths::IP_BLOCKLIST_ENTRY,
            paths::SESSION_LENGTH,
            paths::TRUSTED_DEVICES,
            paths::TRUSTED_DEVICE,
            paths::LOGIN_HISTORY,
            paths::EVENTS,
            paths::EVENTS_STREAM,
        ] {
            assert!(
                doc.paths.paths.contains_key(path),
                "{path} is missing from the document"
            );
        }
    }

    /// Every link names an operation that exists, with parameters it has, so that stateful
    /// testing (Schemathesis) can follow it.
    #[test]
    fn links_name_real_operations() {
        let json: serde_json::Value = serde_json::from_str(&document_json()).unwrap();
        let mut operations = std::collections::HashMap::new();
        for item in json["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                let params: Vec<String> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect();
                operations.insert(op["operationId"].as_str().unwrap().to_owned(), params);
            }
        }
        let mut links = 0;
        for item in json["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                for response in op["responses"].as_object().unwrap().values() {
                    for link in response["links"]
                        .as_object()
                        .into_iter()
                        .flat_map(|l| l.values())
                    {
                        links += 1;
                        assert!(link.get("operation_id").is_none(), "{link}");
                        let target = link["operationId"].as_str().unwrap();
                        let params = operations.get(target).unwrap_or_else(|| panic!("{target}"));
                        for name in link["parameters"].as_object().unwrap().keys() {
                            assert!(params.contains(name), "{target} has no {name}");
                        }
                    }
                }
            }
        }
        assert_eq!(links, 4);
    }

    /// The stated bounds are the ones the server enforces.
    #[test]
    fn bounds_match_the_constants() {
        let json: serde_json::Value = serde_json::from_str(&document_json()).unwrap();
        let schemas = &json["components"]["schemas"];
        let length = &schemas["SessionLength"]["properties"];
        assert_eq!(
            length["web_idle_days"]["minimum"],
            *SessionLength::WEB_RANGE.start()
        );
        assert_eq!(
            length["web_idle_days"]["maximum"],
            *SessionLength::WEB_RANGE.end()
        );
        assert_eq!(
            length["mobile_idle_days"]["minimum"],
            *SessionLength::MOBILE_RANGE.start()
        );
        assert_eq!(
            length["mobile_idle_days"]["maximum"],
            *SessionLength::MOBILE_RANGE.end()
        );
        assert_eq!(
            schemas["NewBlocklistEntry"]["properties"]["note"]["maxLength"],
            MAX_NOTE_CHARS
        );
        assert_eq!(
            schemas["ChangePasswordRequest"]["properties"]["new_password"]["minLength"],
            MIN_PASSWORD_LENGTH
        );
        for path in [paths::WITHDRAWALS, paths::LOGIN_HISTORY, paths::EVENTS] {
            let limit = json["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "limit")
                .unwrap();
            assert_eq!(limit["schema"]["minimum"], 1, "{path}");
            assert_eq!(limit["schema"]["maximum"], MAX_LIST_LIMIT, "{path}");
        }
    }

    #[test]
    fn document_is_openapi_3_1() {
        let json: serde_json::Value = serde_json::from_str(&document_json()).unwrap();
        assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
    }
}
