//! The messages the Rust code formats, one constant each.
//!
//! Declared here, not built from strings at the call site, so that the tests can hold every one
//! of them to both `.ftl` files (id and variables); a message only the window uses needs none.

use crate::Message;

macro_rules! messages {
    ($($name:ident = $id:literal $([$($var:literal),*])?;)*) => {
        $(
            #[doc = concat!("The message `", $id, "`.")]
            pub const $name: Message = Message { id: $id, variables: &[$($($var),*)?] };
        )*

        /// Every message above, for the tests.
        pub const ALL: &[Message] = &[$($name),*];
    };
}

messages! {
    SEVERITY_INFO = "severity-info";
    SIGNED_OUT_OTHERS = "signed-out-others" ["count"];
    PASSWORD_CHANGED = "password-changed" ["count"];
    CLI_SIGNED_IN = "cli-signed-in" ["account", "sessions", "alerts"];
    CLI_SESSION_LENGTH = "cli-session-length" ["web", "mobile"];
    CLI_HISTORY_SHOWN = "cli-history-shown" ["shown", "total"];
    CLI_HISTORY_SHOWN_MORE = "cli-history-shown-more" ["shown", "total"];
    SEVERITY_WARNING = "severity-warning";
    SEVERITY_CRITICAL = "severity-critical";
    KIND_POSSIBLE_TAKEOVER = "kind-possible-takeover";
    KIND_NEW_COUNTRY = "kind-new-country";
    KIND_IMPOSSIBLE_TRAVEL = "kind-impossible-travel";
    KIND_NEW_DEVICE = "kind-new-device";
    KIND_UNKNOWN_WITHDRAWAL_ADDRESS = "kind-unknown-withdrawal-address";
    KIND_TWO_FACTOR_RESET = "kind-two-factor-reset";
    KIND_PASSWORD_CHANGED = "kind-password-changed";
    KIND_KEEPWATCH_SIGNED_OUT = "kind-keepwatch-signed-out";
    KIND_ACCOUNT_LOCKED = "kind-account-locked";
    KIND_FAILED_SIGN_IN = "kind-failed-sign-in";
    LABEL_VALUE = "label-value" ["label", "value"];
    LIST_SEPARATOR = "list-separator";
    STEP_SIGN_OUT_SESSION = "step-sign-out-session";
    THIS_WAS_ME = "this-was-me";
    NEW_ALERTS = "new-alerts" ["count"];
    AND_MORE = "and-more" ["count"];
    UNREVIEWED_ALERTS = "unreviewed-alerts" ["count"];
    OPEN_KEEPWATCH = "open-keepwatch";
    SIGN_OUT_OTHERS = "sign-out-others";
    PAUSE_AN_HOUR = "pause-an-hour";
    RESUME_ALERTS = "resume-alerts" ["time"];
    QUIT = "quit";
    TOOLTIP_OFFLINE = "tooltip-offline";
    TOOLTIP_UNREVIEWED = "tooltip-unreviewed";
    TOOLTIP_WATCHING = "tooltip-watching";
    CONFIRM_SIGN_OUT_OTHERS_TITLE = "confirm-sign-out-others-title";
    CONFIRM_SIGN_OUT_OTHERS_BODY = "confirm-sign-out-others-body";
    CONFIRM_SIGN_OUT_OTHERS_ACTION = "confirm-sign-out-others-action";
    CANCEL = "cancel";
    OTHERS_FAILED_TITLE = "others-failed-title";
    OTHERS_FAILED_BODY = "others-failed-body" ["reason"];
    CANNOT_START = "cannot-start" ["reason"];
    FILES_REPAIRED_TITLE = "files-repaired-title";
    REASON_UNFAMILIAR_COUNTRY = "reason-unfamiliar-country" ["country"];
    REASON_UNFAMILIAR_DEVICE = "reason-unfamiliar-device" ["label"];
    REASON_UNIDENTIFIED_DEVICE = "reason-unidentified-device" ["label"];
    REASON_UNKNOWN_LOCATION = "reason-unknown-location";
    REASON_NETWORK = "reason-network" ["network"];
    REASON_NETWORK_SEEN = "reason-network-seen" ["network"];
    REASON_UNKNOWN_NETWORK = "reason-unknown-network";
    REASON_VPN = "reason-vpn" ["network", "operator"];
    REASON_IMPOSSIBLE_TRAVEL = "reason-impossible-travel" ["from", "to", "km", "time", "kmh"];
    REASON_UNUSUAL_ROUTE = "reason-unusual-route";
    REASON_TRAVEL_MODE = "reason-travel-mode" ["until"];
    REASON_NOT_FROM_THIS_APP = "reason-not-from-this-app";
    REASON_UNKNOWN_SESSION = "reason-unknown-session";
    REASON_UNSEEN_SESSION = "reason-unseen-session" ["id"];
    REASON_SIGNED_OUT_BY_PASSWORD = "reason-signed-out-by-password";
    REASON_SIGNED_OUT_BY_TWO_FACTOR = "reason-signed-out-by-two-factor";
    REASON_SIGNED_OUT_TOKEN_REUSED = "reason-signed-out-token-reused";
    REASON_SIGNED_OUT = "reason-signed-out";
    REASON_OTHER_SESSIONS_SIGNED_OUT = "reason-other-sessions-signed-out" ["count"];
    REASON_OTHER_SESSIONS_SIGNED_OUT_ALL = "reason-other-sessions-signed-out-all";
    REASON_WITHDRAWAL = "reason-withdrawal" ["amount", "asset", "address"];
    REASON_FAILED_INVALID_CREDENTIALS = "reason-failed-invalid-credentials";
    REASON_FAILED_TOTP_REQUIRED = "reason-failed-totp-required";
    REASON_FAILED_INVALID_TOTP = "reason-failed-invalid-totp";
    REASON_FAILED_ACCOUNT_LOCKED = "reason-failed-account-locked";
    REASON_FAILED_IP_BLOCKED = "reason-failed-ip-blocked";
    REASON_FAILED_OTHER = "reason-failed-other";
    REASON_ACCOUNT_LOCKED_UNTIL = "reason-account-locked-until" ["until"];
    REASON_ACCOUNT_LOCKED = "reason-account-locked";
    DISTANCE_KM = "distance-km" ["km"];
    SPEED_KMH = "speed-kmh" ["kmh"];
    DURATION_MINUTES = "duration-minutes" ["minutes"];
    DURATION_HOURS = "duration-hours" ["hours"];
    DURATION_HOURS_MINUTES = "duration-hours-minutes" ["hours", "minutes"];
}
