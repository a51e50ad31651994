//! Glue between history and `keepwatch-detector`: builds the detector's context from what the
//! user trusts (Keepwatch's own sessions, sessions confirmed "this was me", and — if chosen at
//! first sign-in — the sessions that existed then) and hands its verdicts back.

use std::collections::BTreeSet;

use keepwatch_api::{Event, Session, Timestamp};
use keepwatch_detector::{Alert, Baseline, Context, DeviceKey, Sighting};

use crate::config::Preferences;
use crate::error::Result;
use crate::history::{state_keys, History};

/// The detector's stable identity of the device a session runs on (`browser/os/type`).
pub fn device_key(session: &Session) -> String {
    DeviceKey::from_device(&session.device).to_string()
}

struct Inputs {
    baseline: Baseline,
    own: BTreeSet<String>,
    previous: Option<Sighting>,
}

/// What the detector needs, read from history. `subject` is the session being judged: it is
/// never its own previous sighting.
fn inputs(history: &History, subject: Option<&str>) -> Result<Inputs> {
    let trusted = history.trusted_sessions()?;
    let baseline = Baseline::from_sessions(trusted.iter().map(|r| &r.snapshot));
    if let Ok(json) = serde_json::to_string(&baseline) {
        history.set_state(state_keys::BASELINE, &json)?;
    }
    // Where the user was last seen for sure: the most recently active trusted session with
    // coordinates.
    let previous = trusted
        .iter()
        .filter(|r| Some(r.id.as_str()) != subject)
        .filter_map(|r| Sighting::of(&r.snapshot))
        .max_by_key(|s| s.at);
    Ok(Inputs {
        baseline,
        own: history.own_session_ids()?.into_iter().collect(),
        previous,
    })
}

/// The detector's verdict on a session seen in the sessions list.
pub(crate) fn assess_session(
    history: &History,
    prefs: &Preferences,
    session: &Session,
    now: Timestamp,
) -> Result<Option<Alert>> {
    if is_trusted(history, &session.id)? {
        return Ok(None);
    }
    let inputs = inputs(history, Some(&session.id))?;
    let ctx = Context {
        baseline: &inputs.baseline,
        previous: inputs.previous.as_ref(),
        own_session_ids: &inputs.own,
        travel_mode_until: prefs.travel_mode_until,
        now,
    };
    Ok(keepwatch_detector::assess_session(&ctx, session))
}

/// The detector's verdict on an account event.
pub(crate) fn assess_event(
    history: &History,
    prefs: &Preferences,
    event: &Event,
    now: Timestamp,
) -> Result<Option<Alert>> {
    let subject = event.session.as_ref().map(|s| s.id.as_str());
    if let (keepwatch_api::EventKind::SessionCreated, Some(id)) = (event.kind, subject) {
        if is_trusted(history, id)? {
            return Ok(None);
        }
    }
    let inputs = inputs(history, subject)?;
    let ctx = Context {
        baseline: &inputs.baseline,
        previous: inputs.previous.as_ref(),
        own_session_ids: &inputs.own,
        travel_mode_until: prefs.travel_mode_until,
        now,
    };
    Ok(keepwatch_detector::assess_event(&ctx, event))
}

fn is_trusted(history: &History, id: &str) -> Result<bool> {
    Ok(history.session(id)?.is_some_and(|r| r.trust.is_some()))
}
