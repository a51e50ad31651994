//! Keepwatch losing its own session: an intruder's quickest way to switch the watcher off is
//! to sign it out, directly, with "sign out all other sessions", or by changing the password.
//! Each of those is judged here, whether Keepwatch hears of it in an event or only in the
//! `session_revoked` answer to its next call.

use chrono::{DateTime, Utc};
use keepwatch_api::{Event, Revocation, RevocationReason, Session};

use crate::origin::{Findings, Origin};
use crate::{event_key, Alert, AlertKind, Context, Reason, ResponseStep, Severity};

/// Keepwatch's own session ended, as the server told it.
#[derive(Clone, Copy, Debug)]
pub struct LostSession<'a> {
    /// Keepwatch's session that ended.
    pub session_id: &'a str,
    /// How it ended: from the session's `session_revoked` event, or the 401 answer.
    pub revocation: &'a Revocation,
    /// The session that ended it, as Keepwatch last saw it, when it saw it at all.
    pub by: Option<&'a Session>,
}

/// The key of the alert about Keepwatch losing `session_id`, when the server named no event.
pub fn lost_session_key(session_id: &str) -> String {
    format!("signed_out:{session_id}")
}

/// Judges the end of Keepwatch's own session.
///
/// | how it ended | alert |
/// |---|---|
/// | signed out by another session (alone or with all others) | Critical `keepwatch_signed_out` |
/// | a password change from another session | Critical `password_changed` |
/// | a 2FA reset from another session | Critical `two_factor_reset` |
/// | its refresh token was used twice (a copy exists) | Critical `keepwatch_signed_out` |
/// | a reason this version does not know | Critical `keepwatch_signed_out` |
/// | by one of Keepwatch's own sessions, by signing out, or by expiring | — |
///
/// The key is the event the server says records the ending (`event:<id>`, the same key the
/// `password_changed` or `sessions_revoked` event itself alerts under, so hearing of it twice
/// alerts once), else [`lost_session_key`].
pub fn assess_lost_session(ctx: &Context<'_>, lost: &LostSession<'_>) -> Option<Alert> {
    let revocation = lost.revocation;
    let kind = match revocation.reason {
        RevocationReason::Expired | RevocationReason::SignedOut => return None,
        RevocationReason::PasswordChanged => AlertKind::PasswordChanged,
        RevocationReason::TwoFactorReset => AlertKind::TwoFactorReset,
        RevocationReason::RevokedBySession
        | RevocationReason::TokenReused
        | RevocationReason::Unknown => AlertKind::KeepwatchSignedOut,
    };
    let by_id = revocation.by_session.as_deref();
    if by_id.is_some_and(|id| id == lost.session_id || ctx.own_session_ids.contains(id)) {
        return None;
    }
    let by = lost.by.filter(|s| Some(s.id.as_str()) == by_id);
    let actor = match (by, by_id) {
        (Some(session), _) => Actor::Seen(session),
        (None, Some(id)) => Actor::Unseen(id),
        (None, None) => Actor::Unnamed,
    };
    let key = match revocation.event_id {
        Some(id) => event_key(id),
        None => lost_session_key(lost.session_id),
    };
    Some(signed_out_alert(
        ctx,
        SignedOut {
            key,
            kind,
            cause: Some(revocation.reason),
            actor,
            event_id: revocation.event_id,
            occurred_at: revocation.ended_at,
            extra: None,
        },
    ))
}

/// `sessions_revoked` from a session that is not Keepwatch's: Keepwatch was among them.
pub(crate) fn others_revoked(ctx: &Context<'_>, event: &Event) -> Option<Alert> {
    let actor = match &event.session {
        Some(session) if ctx.is_own(session) => return None,
        Some(session) => Actor::Seen(session),
        None => Actor::Unnamed,
    };
    Some(signed_out_alert(
        ctx,
        SignedOut {
            key: event_key(event.id),
            kind: AlertKind::KeepwatchSignedOut,
            cause: Some(RevocationReason::RevokedBySession),
            actor,
            event_id: Some(event.id),
            occurred_at: event.occurred_at,
            extra: Some(Reason::OtherSessionsSignedOut {
                count: event.revoked_sessions,
            }),
        },
    ))
}

/// A password change or 2FA reset from a session that is not Keepwatch's. A password change
/// ends every other session, Keepwatch's included, which the alert says.
pub(crate) fn account_change(ctx: &Context<'_>, event: &Event, kind: AlertKind) -> Option<Alert> {
    let actor = match &event.session {
        Some(session) if ctx.is_own(session) => return None,
        Some(session) => Actor::Seen(session),
        None => Actor::Unnamed,
    };
    // A password change ends every other session; a 2FA reset only when the server says so.
    let cause = match kind {
        AlertKind::PasswordChanged => Some(RevocationReason::PasswordChanged),
        _ if event.revoked_sessions.unwrap_or(0) > 0 => Some(RevocationReason::TwoFactorReset),
        _ => None,
    };
    Some(signed_out_alert(
        ctx,
        SignedOut {
            key: event_key(event.id),
            kind,
            cause,
            actor,
            event_id: Some(event.id),
            occurred_at: event.occurred_at,
            extra: None,
        },
    ))
}

/// Who did it, as far as Keepwatch knows.
#[derive(Clone, Copy)]
enum Actor<'a> {
    /// A session Keepwatch has seen, as it last saw it.
    Seen(&'a Session),
    /// A session the server named that Keepwatch never saw.
    Unseen(&'a str),
    /// The server named no session.
    Unnamed,
}

struct SignedOut<'a> {
    key: String,
    kind: AlertKind,
    /// How Keepwatch's session ended, when this ended it.
    cause: Option<RevocationReason>,
    actor: Actor<'a>,
    event_id: Option<u64>,
    occurred_at: DateTime<Utc>,
    /// A reason after "Keepwatch was signed out", before the actor's findings.
    extra: Option<Reason>,
}

fn signed_out_alert(ctx: &Context<'_>, s: SignedOut<'_>) -> Alert {
    let mut reasons = vec![Reason::NotFromThisApp];
    reasons.extend(s.cause.map(|cause| Reason::KeepwatchSignedOut { cause }));
    reasons.extend(s.extra);
    let (summary, session_id, ip) = match s.actor {
        Actor::Seen(session) => {
            let findings = Findings::examine(ctx.baseline, &Origin::from(session));
            reasons.extend(findings.reasons());
            (
                findings.summary(),
                Some(session.id.clone()),
                Some(session.ip.trim()),
            )
        }
        Actor::Unseen(id) => {
            reasons.push(Reason::UnseenSession {
                session_id: id.to_owned(),
            });
            (
                "From a session Keepwatch never saw".to_owned(),
                Some(id.to_owned()),
                None,
            )
        }
        Actor::Unnamed => {
            reasons.push(Reason::UnknownSession);
            let summary = if s.cause == Some(RevocationReason::TokenReused) {
                "Keepwatch's sign-in was used somewhere else"
            } else {
                "From a session the account service did not name"
            };
            (summary.to_owned(), None, None)
        }
    };
    let steps = [
        s.cause.map(|_| ResponseStep::SignInAgain),
        session_id
            .clone()
            .map(|session_id| ResponseStep::SignOutSession { session_id }),
        Some(ResponseStep::ChangePassword),
        Some(ResponseStep::ResetTwoFactor),
        Some(ResponseStep::ReviewWithdrawals),
        ip.filter(|ip| !ip.is_empty())
            .map(|ip| ResponseStep::BlockIp { ip: ip.to_owned() }),
        Some(ResponseStep::ContactSupport),
    ]
    .into_iter()
    .flatten()
    .collect();
    Alert {
        key: s.key,
        kind: s.kind,
        severity: Severity::Critical,
        title: s.kind.title(),
        summary,
        session_id,
        event_id: s.event_id,
        reasons,
        steps,
        occurred_at: s.occurred_at,
    }
}
