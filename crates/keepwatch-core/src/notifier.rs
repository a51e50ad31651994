//! Telling the user: native desktop notifications, with "Sign out session" and "This was me"
//! buttons where the platform has them.
//!
//! A notification carries the device and the place, never a token, a full IP address or
//! anything else secret.
//!
//! Title and body are plain text, made inert ([`crate::inert`]) once more on the way out. Some
//! notification servers render a subset of HTML in the body (they advertise `body-markup`):
//! for those the body is escaped ([`escape_markup`]), so that a `<b>` or an `&amp;` in a device or
//! place name reads as written instead of being rendered.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::history::AlertRecord;
use crate::wording::{Language, Wording};
use keepwatch_api::Session;
use keepwatch_detector::{AlertKind, Severity};

/// Action id of the "Sign this session out" button.
pub const ACTION_SIGN_OUT: &str = "sign_out";
/// Action id of the "This was me" button.
pub const ACTION_THIS_WAS_ME: &str = "this_was_me";
/// Action id of a click on the notification itself (the Desktop Notifications spec's name).
pub const ACTION_OPEN: &str = "default";

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertNotice {
    /// The alert it is about.
    pub alert_key: String,
    /// The session it is about, which the buttons act on.
    pub session_id: Option<String>,
    /// Headline, by severity.
    pub title: String,
    /// `"Chrome 124 on Windows 11 · São Paulo, Brazil"`.
    pub body: String,
    /// Whether it should be shown as critical (a takeover).
    pub critical: bool,
    /// Whether to offer the "Sign this session out" / "This was me" buttons.
    pub offer_actions: bool,
    /// Whether signing the session out needs what only the window can ask for (the
    /// account's password, on Matrix): its button then opens the window at that step, and a
    /// notifier with no window to open leaves the button out.
    #[serde(default)]
    pub sign_out_in_window: bool,
    /// The language of the title and the buttons.
    pub language: Language,
}

impl AlertNotice {
    /// The notice for `alert`, about `session` when it concerns one, in `language`.
    pub fn for_alert(alert: &AlertRecord, session: Option<&Session>, language: Language) -> Self {
        let alert = &alert.alert;
        let critical = alert.severity == Severity::Critical;
        let sign_in = matches!(
            alert.kind,
            AlertKind::PossibleTakeover
                | AlertKind::NewCountry
                | AlertKind::ImpossibleTravel
                | AlertKind::NewDevice
        );
        // A sign-in is told by its device and place; anything else (a withdrawal, a password
        // change) by the detector's summary, which names device and place too (in English:
        // it is made of data, like the device and place names).
        let body = match session {
            Some(s) if sign_in => describe_session(s),
            _ => alert.summary.clone(),
        };
        // Once Keepwatch is signed out its buttons could do nothing: the window, opened by
        // a click, walks the user through signing in again.
        let signed_out = alert
            .reasons
            .iter()
            .any(|r| matches!(r, keepwatch_detector::Reason::KeepwatchSignedOut { .. }));
        Self {
            alert_key: alert.key.clone(),
            session_id: alert.session_id.clone(),
            title: Wording(language).notice_title(alert.severity, alert.kind),
            body,
            critical,
            offer_actions: alert.session_id.is_some() && !signed_out,
            sign_out_in_window: false,
            language,
        }
    }

    /// One notice for several alerts (`alerts` not empty), as when Keepwatch starts with
    /// alerts it had no chance to show: how many, the worst first, a line each for the first
    /// few. No buttons: each alert has its own in the window, which a click opens on the
    /// worst one.
    pub fn for_alerts(alerts: &[AlertRecord], language: Language) -> Self {
        const LINES: usize = 3;
        let mut sorted: Vec<&AlertRecord> = alerts.iter().collect();
        sorted.sort_by_key(|a| std::cmp::Reverse(a.alert.severity));
        let wording = Wording(language);
        let mut lines: Vec<String> = sorted
            .iter()
            .take(LINES)
            .map(|a| wording.notice_line(a.alert.kind, &a.alert.summary))
            .collect();
        if sorted.len() > LINES {
            lines.push(wording.and_more(sorted.len() - LINES));
        }
        let worst = sorted[0];
        Self {
            alert_key: worst.alert.key.clone(),
            session_id: None,
            title: wording.new_alerts(alerts.len()),
            body: lines.join("\n"),
            critical: worst.alert.severity == Severity::Critical,
            offer_actions: false,
            sign_out_in_window: false,
            language,
        }
    }
}

/// `"Chrome 124 on Windows 11 · São Paulo, Brazil"`: device and place, no address.
pub fn describe_session(s: &Session) -> String {
    let place = match (&s.location.city, &s.location.country) {
        (Some(city), Some(country)) => format!("{city}, {country}"),
        (None, Some(country)) => country.clone(),
        (Some(city), None) => city.clone(),
        (None, None) => "unknown location".to_owned(),
    };
    format!("{} · {place}", s.device.label)
}

/// What the user chose on a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    /// "Sign this session out".
    SignOut,
    /// "This was me".
    ThisWasMe,
    /// The notification itself was clicked: show the alert. Only a notifier made
    /// [`DesktopNotifier::with_open_action`] offers it; the engine passes it on untouched.
    Open,
}

/// A button press, sent back to the sync engine, which performs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    /// The alert whose notification it was.
    pub alert_key: String,
    /// The session to act on; empty for [`NoticeAction::Open`] on a notice about no one
    /// session.
    pub session_id: String,
    /// The button.
    pub action: NoticeAction,
}

/// Something that can show a notice.
pub trait Notifier: Send + Sync + 'static {
    /// Shows `notice`. A button press, if the user makes one, is sent on `actions`.
    fn notify(
        &self,
        notice: AlertNotice,
        actions: mpsc::UnboundedSender<ActionRequest>,
    ) -> Result<()>;
}

/// What the notification server says it can do, asked once per notifier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Capabilities {
    /// Buttons.
    actions: bool,
    /// The body is rendered as markup, so text must be escaped.
    body_markup: bool,
}

/// `text` with `&`, `<`, `>` and both quotes written as entities, so that a notification server
/// that renders body markup shows it as text.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The body as the server should receive it: inert text, escaped where it renders markup.
fn body_for(body: &str, body_markup: bool) -> String {
    let body = crate::inert::text(body);
    if body_markup {
        escape_markup(&body)
    } else {
        body
    }
}

/// How many notifications at most wait for a button at once (see [`DesktopNotifier`]).
pub const MAX_WAITING_NOTICES: usize = 8;

/// Native notifications through `notify-rust` (D-Bus on Linux).
///
/// Waiting for a notification's button holds a thread and a D-Bus connection until the user
/// acts or the notification closes, and a critical one never expires. So at most
/// [`MAX_WAITING_NOTICES`] wait at once; beyond that a notification is shown without buttons
/// (the window still has every action) and its thread ends as soon as it is shown.
#[derive(Debug)]
pub struct DesktopNotifier {
    capabilities: OnceLock<Capabilities>,
    open_action: bool,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

impl Default for DesktopNotifier {
    fn default() -> Self {
        Self {
            capabilities: OnceLock::new(),
            open_action: false,
            waiting: Arc::default(),
            max_waiting: MAX_WAITING_NOTICES,
        }
    }
}

/// A place among the notifications waiting for a button, given back when dropped.
struct WaitSlot(Arc<AtomicUsize>);

impl WaitSlot {
    fn take(waiting: &Arc<AtomicUsize>, max: usize) -> Option<Self> {
        waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Self(Arc::clone(waiting)))
    }
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl DesktopNotifier {
    /// The platform's notifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The platform's notifier, for an app with a window: clicking a notification asks for
    /// its alert to be shown ([`NoticeAction::Open`]).
    pub fn with_open_action() -> Self {
        Self {
            open_action: true,
            ..Self::default()
        }
    }

    /// The same notifier with another cap on notifications waiting for a button.
    pub fn with_max_waiting(mut self, max: usize) -> Self {
        self.max_waiting = max;
        self
    }

    /// How many notifications are waiting for a button now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    fn capabilities(&self) -> Capabilities {
        *self.capabilities.get_or_init(|| {
            let caps = match notify_rust::get_capabilities() {
                Ok(caps) => caps,
                Err(e) => {
                    // Assume the least: no buttons, and a plain-text body (escaping for a
                    // server that does not render markup would show the entities).
                    tracing::debug!(error = %e, "the notification server's capabilities are unknown");
                    Vec::new()
                }
            };
            Capabilities {
                actions: caps.iter().any(|c| c == "actions"),
                body_markup: caps.iter().any(|c| c == "body-markup"),
            }
        })
    }

    // macOS and Windows notifications show plain text and, through notify-rust, no buttons.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn capabilities(&self) -> Capabilities {
        *self.capabilities.get_or_init(Capabilities::default)
    }
}

impl Notifier for DesktopNotifier {
    fn notify(
        &self,
        notice: AlertNotice,
        actions: mpsc::UnboundedSender<ActionRequest>,
    ) -> Result<()> {
        let caps = self.capabilities();
        let wants_actions = notice.offer_actions && caps.actions;
        // A click opens the window on the alert even when the notice has no buttons.
        let wants_open = self.open_action && caps.actions;
        let slot = if wants_actions || wants_open {
            let slot = WaitSlot::take(&self.waiting, self.max_waiting);
            if slot.is_none() {
                tracing::info!("too many notifications wait for a button; this one has none");
            }
            slot
        } else {
            None
        };
        let with_actions = wants_actions && slot.is_some();
        let with_open = wants_open && slot.is_some();
        let mut n = notify_rust::Notification::new();
        // The spec makes the summary plain text everywhere; only the body may be markup.
        n.appname("Keepwatch")
            .summary(&crate::inert::text(&notice.title))
            .body(&body_for(&notice.body, caps.body_markup));
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            n.urgency(if notice.critical {
                notify_rust::Urgency::Critical
            } else {
                notify_rust::Urgency::Normal
            });
        }
        let wording = Wording(notice.language);
        // Signing out in the window needs a window to open.
        let with_sign_out = with_actions && (!notice.sign_out_in_window || with_open);
        if with_sign_out {
            n.action(ACTION_SIGN_OUT, &wording.sign_out_session());
        }
        if with_actions {
            n.action(ACTION_THIS_WAS_ME, &wording.this_was_me());
        }
        if with_open {
            // Servers show no button for it; the label is for those that read it aloud.
            n.action(ACTION_OPEN, &wording.open());
        }
        // Showing talks to D-Bus synchronously and waiting for a button blocks until the user
        // acts: both belong on their own thread, never on the async runtime.
        let (shown_tx, shown_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("keepwatch-notice".into())
            .spawn(move || {
                // Held until the wait below ends.
                let _slot = slot;
                let handle = match n.show() {
                    Ok(h) => {
                        let _ = shown_tx.send(Ok(()));
                        h
                    }
                    Err(e) => {
                        let _ = shown_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                #[cfg(all(unix, not(target_os = "macos")))]
                if with_actions || with_open {
                    let session_id = notice.session_id.clone().unwrap_or_default();
                    handle.wait_for_action(|action| {
                        let action = match action {
                            // The window asks for the password at the alert's sign-out step.
                            ACTION_SIGN_OUT if with_sign_out && notice.sign_out_in_window => {
                                NoticeAction::Open
                            }
                            ACTION_SIGN_OUT if with_sign_out => NoticeAction::SignOut,
                            ACTION_THIS_WAS_ME if with_actions => NoticeAction::ThisWasMe,
                            ACTION_OPEN if with_open => NoticeAction::Open,
                            _ => return,
                        };
                        let _ = actions.send(ActionRequest {
                            alert_key: notice.alert_key.clone(),
                            session_id,
                            action,
                        });
                    });
                }
                #[cfg(not(all(unix, not(target_os = "macos"))))]
                {
                    let _ = (handle, actions, with_actions, with_open, with_sign_out);
                }
            })
            .map_err(|e| Error::Invalid(format!("cannot start notification thread: {e}")))?;
        match shown_rx.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Invalid(format!("cannot show notification: {e}"))),
            Err(_) => Err(Error::Invalid("notification thread ended early".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepwatch_api::*;

    pub(crate) fn session() -> Session {
        Session {
            id: "s1".into(),
            current: false,
            client: ClientKind::Web,
            remember_me: true,
            trusted_device: false,
            created_at: chrono::Utc::now(),
            last_active_at: chrono::Utc::now(),
            expires_at: chrono::Utc::now(),
            ip: "200.160.2.3".into(),
            device: Device {
                label: "Chrome 124 on Windows 11".into(),
                browser: None,
                browser_version: None,
                os: None,
                os_version: None,
                device_type: DeviceType::Desktop,
                user_agent: None,
            },
            network: Network::default(),
            location: Location {
                city: Some("São Paulo".into()),
                country: Some("Brazil".into()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn markup_is_escaped_only_for_servers_that_render_it() {
        let hostile = "<b>bold</b> <a href=\"x\">link</a> &amp; it's";
        let escaped = body_for(hostile, true);
        assert_eq!(
            escaped,
            "&lt;b&gt;bold&lt;/b&gt; &lt;a href=&quot;x&quot;&gt;link&lt;/a&gt; &amp;amp; it&apos;s"
        );
        assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"'));
        assert_eq!(body_for(hostile, false), hostile);
        // Inert first, escaped second: no bidi control survives either way.
        assert_eq!(body_for("a\u{202E}<i>", true), "a&lt;i&gt;");
    }

    #[test]
    fn the_body_names_device_and_place_but_not_the_address() {
        let s = session();
        let body = describe_session(&s);
        assert_eq!(body, "Chrome 124 on Windows 11 · São Paulo, Brazil");
        assert!(!body.contains(&s.ip));
    }
}
