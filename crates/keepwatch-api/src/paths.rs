//! Endpoint paths and header names, so that server routes and client calls cannot drift apart.

/// `POST`: sign in.
pub const LOGIN: &str = "/v1/auth/login";
/// `POST`: trade a refresh token for a new token pair.
pub const REFRESH: &str = "/v1/auth/refresh";
/// `POST`: end the calling session.
pub const LOGOUT: &str = "/v1/auth/logout";
/// `GET`: the account's active sessions.
pub const SESSIONS: &str = "/v1/sessions";
/// `DELETE`: end one session (`{id}` is its id).
pub const SESSION: &str = "/v1/sessions/{id}";
/// `POST`: end every session but the calling one.
pub const REVOKE_OTHERS: &str = "/v1/sessions/revoke-others";
/// `POST`: change the password.
pub const PASSWORD: &str = "/v1/account/password";
/// `POST`: replace the TOTP secret and backup codes.
pub const TWO_FACTOR_RESET: &str = "/v1/account/2fa/reset";
/// `GET`: recent withdrawals.
pub const WITHDRAWALS: &str = "/v1/account/withdrawals";
/// `GET`, `POST`: the IP blocklist.
pub const IP_BLOCKLIST: &str = "/v1/security/ip-blocklist";
/// `DELETE`: one blocklist entry.
pub const IP_BLOCKLIST_ENTRY: &str = "/v1/security/ip-blocklist/{id}";
/// `GET`, `PUT`: idle lifetimes of sessions.
pub const SESSION_LENGTH: &str = "/v1/security/session-length";
/// `GET`: devices that skip the 2FA prompt.
pub const TRUSTED_DEVICES: &str = "/v1/security/trusted-devices";
/// `DELETE`: forget one trusted device.
pub const TRUSTED_DEVICE: &str = "/v1/security/trusted-devices/{id}";
/// `GET`: sign-in attempts, successful and failed.
pub const LOGIN_HISTORY: &str = "/v1/security/login-history";
/// `GET`: account events after a cursor.
pub const EVENTS: &str = "/v1/events";
/// `GET`: account events as Server-Sent Events.
pub const EVENTS_STREAM: &str = "/v1/events/stream";
/// `GET`: this document.
pub const OPENAPI: &str = "/openapi.json";

/// Fills the `{id}` placeholder of a path template such as [`SESSION`].
///
/// The id is percent-encoded, so an id from a hostile server cannot change the path.
pub fn with_id(template: &str, id: &str) -> String {
    let mut encoded = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    template.replace("{id}", &encoded)
}

/// Client hint naming the OS (`"macOS"`, `"Windows"`, …), sent by Chromium browsers.
pub const HEADER_CH_PLATFORM: &str = "sec-ch-ua-platform";
/// Client hint with the real OS version, which the User-Agent string freezes.
pub const HEADER_CH_PLATFORM_VERSION: &str = "sec-ch-ua-platform-version";
