//! Account events, as a list (`GET /v1/events`) and as Server-Sent Events
//! (`GET /v1/events/stream`).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use chrono::{DateTime, Utc};

use crate::{BlocklistEntry, LoginAttempt, RevocationReason, Session, TrustedDevice, Withdrawal};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Someone signed in; `session` is the new session.
    SessionCreated,
    /// A session was signed out; `session` is the ended one, `actor_session_id` who ended it,
    /// `revocation` why, and `cause_event_id` the event it was part of (a `password_changed`
    /// or `sessions_revoked` emitted just before it), if any.
    SessionRevoked,
    /// A session reached its idle lifetime; `session` is the ended one.
    SessionExpired,
    /// The password changed; `session` is the session that changed it, `revoked_sessions` how
    /// many other sessions it ended. Emitted before those sessions' `session_revoked`, so that
    /// a session being ended learns why before its stream closes.
    PasswordChanged,
    /// The 2FA secret and backup codes were replaced; `session` is the session that did it,
    /// `revoked_sessions` how many other sessions it ended (each with reason
    /// `two_factor_reset`). Emitted before those sessions' `session_revoked`, as with
    /// `password_changed`.
    TwoFactorReset,
    /// "Sign out all other sessions": `session` is the session that asked, `revoked_sessions`
    /// how many ended. Emitted before their `session_revoked` events, which name it in
    /// `cause_event_id`.
    SessionsRevoked,
    /// A withdrawal was requested; `withdrawal` says what, `session` from where.
    WithdrawalCreated,
    /// The IP blocklist changed; `blocklist_entry` is the entry added or removed.
    BlocklistChanged,
    /// A device became trusted; `trusted_device` is the device, `session` its session.
    TrustedDeviceAdded,
    /// A sign-in failed; `attempt` says from where.
    LoginFailed,
    /// Too many failed sign-ins locked the account; `attempt` is the last one.
    AccountLocked,
    /// A kind this version of the contract does not know.
    #[serde(other)]
    Unknown,
}

impl EventKind {
    /// The wire name, also the SSE `event:` field.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SessionCreated => "session_created",
            EventKind::SessionRevoked => "session_revoked",
            EventKind::SessionExpired => "session_expired",
            EventKind::SessionsRevoked => "sessions_revoked",
            EventKind::PasswordChanged => "password_changed",
            EventKind::TwoFactorReset => "two_factor_reset",
            EventKind::WithdrawalCreated => "withdrawal_created",
            EventKind::BlocklistChanged => "blocklist_changed",
            EventKind::TrustedDeviceAdded => "trusted_device_added",
            EventKind::LoginFailed => "login_failed",
            EventKind::AccountLocked => "account_locked",
            EventKind::Unknown => "unknown",
        }
    }
}

/// Whether a blocklist entry came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(rename_all = "snake_case")]
pub enum BlocklistAction {
    /// The entry was added.
    Added,
    /// The entry was removed.
    Removed,
}

/// One account event. Fields that do not apply to its `kind` are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct Event {
    /// Cursor: strictly increasing per account. Resume after it with `?after=` or
    /// `Last-Event-ID`.
    pub id: u64,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The session it concerns, as it was then (device, IP, location).
    pub session: Option<Session>,
    /// The session that caused it, when that is another one (who revoked whom).
    pub actor_session_id: Option<String>,
    /// For `login_failed` and `account_locked`: the attempt.
    pub attempt: Option<LoginAttempt>,
    /// For `withdrawal_created`.
    pub withdrawal: Option<Withdrawal>,
    /// For `blocklist_changed`: the entry.
    pub blocklist_entry: Option<BlocklistEntry>,
    /// For `blocklist_changed`: added or removed.
    pub blocklist_action: Option<BlocklistAction>,
    /// For `trusted_device_added`.
    pub trusted_device: Option<TrustedDevice>,
    /// For `password_changed`, `two_factor_reset` and `sessions_revoked`: how many other sessions
    /// it ended.
    pub revoked_sessions: Option<u32>,
    /// For `session_revoked` and `session_expired`: why the session ended.
    #[serde(default)]
    pub revocation: Option<RevocationReason>,
    /// For `session_revoked`: the event this ending was part of (a `password_changed` or
    /// `sessions_revoked` with a lower id), when it was not a sign-out of its own.
    #[serde(default)]
    pub cause_event_id: Option<u64>,
    /// For `account_locked`: when sign-ins are allowed again.
    pub locked_until: Option<DateTime<Utc>>,
}

impl Event {
    /// An event of `kind` at `occurred_at` with every optional field empty.
    pub fn new(id: u64, kind: EventKind, occurred_at: DateTime<Utc>) -> Self {
        Self {
            id,
            kind,
            occurred_at,
            session: None,
            actor_session_id: None,
            attempt: None,
            withdrawal: None,
            blocklist_entry: None,
            blocklist_action: None,
            trusted_device: None,
            revoked_sessions: None,
            revocation: None,
            cause_event_id: None,
            locked_until: None,
        }
    }
}

/// `GET /v1/events` query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events with an id greater than this cursor (default 0: from the oldest kept).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    pub after: Option<u64>,
    /// How many events at most (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// `GET /v1/events` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(export))]
pub struct EventList {
    /// Events after the cursor, oldest first.
    pub events: Vec<Event>,
    /// Pass as `after` to continue: the last event's id, or the given cursor when empty.
    pub cursor: u64,
    /// Whether more events follow `cursor` right now.
    pub has_more: bool,
}

/// One message of `GET /v1/events/stream` as the OpenAPI document describes it (before 3.2,
/// the schema of a `text/event-stream` describes each message): `id:` the event id, `event:`
/// its kind and `data:` the [`Event`] as JSON. For the document only; the stream is text.
pub struct EventStreamMessage;

impl utoipa::PartialSchema for EventStreamMessage {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::extensions::Extensions;
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::Ref;
        // `contentSchema` is plain JSON Schema, which utoipa has no builder for; it tells
        // validators what the JSON inside `data` must be.
        let data_schema = Extensions::from_iter([(
            "contentSchema",
            serde_json::json!({"$ref": "#/components/schemas/Event"}),
        )]);
        ObjectBuilder::new()
            .description(Some(
                "One Server-Sent Events message: `id:` the event id, `event:` its kind, \
                 `data:` the Event as JSON.",
            ))
            .property(
                "id",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[0-9]+$"))
                    .description(Some("The event's id; send it back as `Last-Event-ID`.")),
            )
            .required("id")
            .property("event", Ref::from_schema_name("EventKind"))
            .required("event")
            .property(
                "data",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type("application/json")
                    .extensions(Some(data_schema))
                    .description(Some("The Event, as JSON.")),
            )
            .required("data")
            .into()
    }
}

impl utoipa::ToSchema for EventStreamMessage {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push(("Event".into(), Event::schema()));
        schemas.push(("EventKind".into(), EventKind::schema()));
        <Event as utoipa::ToSchema>::schemas(schemas);
    }
}
