//! Glue between history and `keepwatch-detector`: builds the detector's context from what the
//! user trusts (Keepwatch's own sessions, sessions confirmed "this was me", and — if chosen at
//! first sign-in — the sessions that existed then) and hands its verdicts back.

use std::collections::BTreeSet;

use keepwatch_api::{DeviceType, Event, Revocation, Session, Timestamp};
use keepwatch_detector::{Alert, Baseline, Context, DeviceKey, LostSession, Sighting};

use crate::config::Preferences;
use crate::error::Result;
use crate::history::{History, Trust};

/// The detector's stable identity of the device a session runs on (`browser/os/type`).
pub fn device_key(session: &Session) -> String {
    DeviceKey::from_device(&session.device).to_string()
}

struct Inputs {
    baseline: Baseline,
    own: BTreeSet<String>,
    previous: Option<Sighting>,
}

impl Inputs {
    fn context(&self, prefs: &Preferences, now: Timestamp) -> Context<'_> {
        Context {
            baseline: &self.baseline,
            previous: self.previous.as_ref(),
            own_session_ids: &self.own,
            travel_mode_until: prefs.travel_mode_until,
            now,
        }
    }
}

/// What the detector needs, read from history. `subject` is the session being judged: it is
/// never its own previous sighting.
fn inputs(history: &History, subject: Option<&str>) -> Result<Inputs> {
    let trusted = history.trusted_sessions()?;
    // Keepwatch's own sessions vouch for where the user is, not for a browser the user uses:
    // their device is left out so that it cannot make some other client look familiar.
    let learned: Vec<Session> = trusted
        .iter()
        .map(|r| {
            let mut s = r.snapshot.clone();
            if r.trust == Some(Trust::Own) {
                s.device.browser = None;
                s.device.os = None;
                s.device.device_type = DeviceType::Unknown;
            }
            s
        })
        .collect();
    let baseline = Baseline::from_sessions(learned.iter());
    if let Ok(json) = serde_json::to_string(&baseline) {
        history.set_baseline(&json)?;
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
    let ctx = inputs.context(prefs, now);
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
    let ctx = inputs.context(prefs, now);
    Ok(keepwatch_detector::assess_event(&ctx, event))
}

/// The detector's verdict on the end of Keepwatch's own session `session_id`, with the session
/// that ended it as history last saw it.
pub(crate) fn assess_lost_session(
    history: &History,
    prefs: &Preferences,
    session_id: &str,
    revocation: &Revocation,
    now: Timestamp,
) -> Result<Option<Alert>> {
    let by = match revocation.by_session.as_deref() {
        Some(id) => history.session(id)?.map(|r| r.snapshot),
        None => None,
    };
    let inputs = inputs(history, None)?;
    let ctx = inputs.context(prefs, now);
    Ok(keepwatch_detector::assess_lost_session(
        &ctx,
        &LostSession {
            session_id,
            revocation,
            by: by.as_ref(),
        },
    ))
}

fn is_trusted(history: &History, id: &str) -> Result<bool> {
    Ok(history.session(id)?.is_some_and(|r| r.trust.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use keepwatch_api::{ClientKind, Device, Location, Network};
    use keepwatch_detector::AlertKind;

    fn session(id: &str, os: &str) -> Session {
        let now = Utc::now();
        Session {
            id: id.into(),
            current: false,
            client: ClientKind::Web,
            remember_me: true,
            trusted_device: false,
            created_at: now,
            last_active_at: now,
            expires_at: now,
            ip: "198.51.100.10".into(),
            device: Device {
                label: format!("Unknown browser on {os}"),
                browser: None,
                browser_version: None,
                os: Some(os.into()),
                os_version: None,
                device_type: DeviceType::Desktop,
                user_agent: None,
            },
            network: Network {
                asn: Some(3320),
                isp: Some("Deutsche Telekom AG".into()),
            },
            location: Location {
                city: Some("Berlin".into()),
                country: Some("Germany".into()),
                country_code: Some("DE".into()),
                latitude: Some(52.52),
                longitude: Some(13.40),
                ..Default::default()
            },
        }
    }

    #[test]
    fn keepwatch_own_device_does_not_make_other_clients_familiar() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let own = session("own", "Linux");
        h.upsert_session(&own, &device_key(&own), true, Utc::now())
            .unwrap();
        h.set_trust("own", Trust::Own).unwrap();
        // A script on Linux from the same city: same device key as Keepwatch's own session.
        let other = session("other", "Linux");
        let alert = assess_session(&h, &Preferences::default(), &other, Utc::now())
            .unwrap()
            .expect("an unfamiliar client alerts");
        assert_eq!(alert.kind, AlertKind::NewDevice);
        // The own session's country is learned: no "new country" for Berlin.
        let baseline: Baseline = serde_json::from_str(&h.baseline().unwrap().unwrap()).unwrap();
        assert!(baseline.knows_country("DE"));
        assert!(baseline.devices.is_empty());
    }

    #[test]
    fn a_trusted_session_is_never_judged() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let s = session("s", "Windows");
        h.upsert_session(&s, &device_key(&s), false, Utc::now())
            .unwrap();
        assert!(assess_session(&h, &Preferences::default(), &s, Utc::now())
            .unwrap()
            .is_some());
        h.set_trust("s", Trust::Confirmed).unwrap();
        assert!(assess_session(&h, &Preferences::default(), &s, Utc::now())
            .unwrap()
            .is_none());
    }
}
