//! Every type a client decodes from a server, fed arbitrary JSON and arbitrary bytes: decoding
//! answers `Ok` or `Err` and never panics, and what decodes encodes back to JSON that decodes
//! to the same value.

use keepwatch_api::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// JSON that often has the API's own field names and value shapes, so that decoding gets past
/// the first field.
fn json() -> impl Strategy<Value = Value> {
    let names = prop_oneof![
        Just("id"),
        Just("sessions"),
        Just("current_session_id"),
        Just("events"),
        Just("cursor"),
        Just("has_more"),
        Just("kind"),
        Just("at"),
        Just("session"),
        Just("device"),
        Just("label"),
        Just("location"),
        Just("network"),
        Just("ip"),
        Just("error"),
        Just("message"),
        Just("revocation"),
        Just("reason"),
        Just("access_token"),
        Just("refresh_token"),
        Just("expires_in"),
        Just("session_id"),
        Just("created_at"),
        Just("last_active_at"),
        Just("expires_at"),
        Just("client"),
        Just("device_type"),
        Just("country_code"),
        Just("asn"),
        Just("status"),
        Just("amount"),
        Just("asset"),
        Just("cidr"),
        Just("note"),
        Just("outcome"),
        "[a-z_]{1,12}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from("2026-12-02T00:00:00Z")),
        Just(Value::from("session_created")),
        Just(Value::from("desktop")),
        Just(Value::from("203.0.113.7")),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((names.clone(), inner), 0..10).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// Decodes `value` as `T`; when it decodes, its encoding decodes to an equal value.
fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    value: &Value,
    bytes: &[u8],
) {
    let _ = serde_json::from_slice::<T>(bytes);
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        let again: T = serde_json::from_value(serde_json::to_value(&decoded).unwrap())
            .expect("what decoded encodes to something that decodes");
        assert_eq!(decoded, again);
    }
}

macro_rules! every_response_type {
    ($value:expr, $bytes:expr; $($ty:ty),+ $(,)?) => {$( check::<$ty>($value, $bytes); )+};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn decoding_any_answer_is_total(value in json(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        every_response_type!(&value, &bytes;
            SessionList, Session, Device, Location, Network, EventList, Event, TokenPair,
            ApiError, Revocation, ChangePasswordResponse, TwoFactorResetResponse, Withdrawal,
            BlocklistEntry, SessionLength, TrustedDevice, LoginAttempt, RevokeOthersResponse,
        );
    }
}
