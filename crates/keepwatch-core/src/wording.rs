//! What Keepwatch says outside its window — notifications, the tray menu, native dialogs — in
//! the user's language.
//!
//! Every phrase comes from the one catalogue, `keepwatch-l10n`, which the window reads too;
//! these methods only pick the message and pass its values. Names that come from data
//! (devices, cities, the detector's summaries of withdrawals) are shown as they are.

use chrono::{DateTime, Local, Utc};
use keepwatch_detector::{AlertKind, Severity};
use keepwatch_l10n::{msg, Catalogue, Message};

pub use keepwatch_l10n::Language;

/// The phrases of the native surfaces, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording(pub Language);

impl Wording {
    fn catalogue(self) -> &'static Catalogue {
        Catalogue::get(self.0)
    }

    fn text(self, message: Message) -> String {
        self.catalogue().text(message)
    }

    fn counted(self, message: Message, n: usize) -> String {
        self.catalogue().format(message, &[("count", n.into())])
    }

    fn label_value(self, label: &str, value: &str) -> String {
        self.catalogue().format(
            msg::LABEL_VALUE,
            &[("label", label.into()), ("value", value.into())],
        )
    }

    fn with_reason(self, message: Message, reason: &str) -> String {
        self.catalogue()
            .format(message, &[("reason", reason.into())])
    }

    /// The severity's name.
    pub fn severity(self, severity: Severity) -> String {
        severity.name(self.0)
    }

    /// What an alert of `kind` is about, in a few words.
    pub fn alert_title(self, kind: AlertKind) -> String {
        kind.title_in(self.0)
    }

    /// A notification's headline: `"Critical: Possible account takeover"`.
    pub fn notice_title(self, severity: Severity, kind: AlertKind) -> String {
        self.label_value(&self.severity(severity), &self.alert_title(kind))
    }

    /// One alert's line in a notification for several: `"New device: Firefox on Linux · Oslo"`.
    pub fn notice_line(self, kind: AlertKind, summary: &str) -> String {
        self.label_value(&self.alert_title(kind), summary)
    }

    /// The notification button that signs the session out.
    pub fn sign_out_session(self) -> String {
        self.text(msg::STEP_SIGN_OUT_SESSION)
    }

    /// The notification button that says the sign-in was the user's.
    pub fn this_was_me(self) -> String {
        self.text(msg::THIS_WAS_ME)
    }

    /// The title of one notification for several alerts.
    pub fn new_alerts(self, n: usize) -> String {
        self.counted(msg::NEW_ALERTS, n)
    }

    /// The last line of a notification that lists some of `n` alerts: `"…and 2 more"`.
    pub fn and_more(self, n: usize) -> String {
        self.counted(msg::AND_MORE, n)
    }

    /// The tray menu's first line over every watched account, given as (name, unreviewed
    /// alerts): the total, and with several accounts each one's count.
    pub fn alert_counts(self, accounts: &[(String, usize)]) -> String {
        let total = self.unreviewed_alerts(accounts.iter().map(|(_, n)| n).sum());
        if accounts.len() < 2 {
            return total;
        }
        let each: Vec<String> = accounts
            .iter()
            .map(|(name, n)| self.label_value(name, &n.to_string()))
            .collect();
        format!("{total} ({})", each.join(&self.text(msg::LIST_SEPARATOR)))
    }

    /// The tray menu's first line.
    pub fn unreviewed_alerts(self, n: usize) -> String {
        self.counted(msg::UNREVIEWED_ALERTS, n)
    }

    /// Tray: show the window.
    pub fn open(self) -> String {
        self.text(msg::OPEN_KEEPWATCH)
    }

    /// Tray: sign every other session out. The window's button, with the ellipsis of a menu
    /// item that asks before it acts.
    pub fn sign_out_others_menu(self) -> String {
        format!("{}…", self.text(msg::SIGN_OUT_OTHERS))
    }

    /// Tray: silence notifications for an hour.
    pub fn pause_an_hour(self) -> String {
        self.text(msg::PAUSE_AN_HOUR)
    }

    /// Tray, while paused: notifications again now. Names the end of the pause in local time.
    pub fn resume_alerts(self, paused_until: DateTime<Utc>) -> String {
        let at = paused_until
            .with_timezone(&Local)
            .format("%H:%M")
            .to_string();
        self.catalogue()
            .format(msg::RESUME_ALERTS, &[("time", at.into())])
    }

    /// Tray: end Keepwatch.
    pub fn quit(self) -> String {
        self.text(msg::QUIT)
    }

    /// Tray tooltip, by state.
    pub fn tooltip(self, offline: bool, unreviewed: bool) -> String {
        self.text(match (offline, unreviewed) {
            (true, _) => msg::TOOLTIP_OFFLINE,
            (false, true) => msg::TOOLTIP_UNREVIEWED,
            (false, false) => msg::TOOLTIP_WATCHING,
        })
    }

    /// The confirmation dialog before signing every other session out: title.
    pub fn confirm_others_title(self) -> String {
        self.text(msg::CONFIRM_SIGN_OUT_OTHERS_TITLE)
    }

    /// The confirmation dialog: what it does.
    pub fn confirm_others_body(self) -> String {
        self.text(msg::CONFIRM_SIGN_OUT_OTHERS_BODY)
    }

    /// The confirmation dialog: the button that does it.
    pub fn confirm_others_action(self) -> String {
        self.text(msg::CONFIRM_SIGN_OUT_OTHERS_ACTION)
    }

    /// Any dialog: the button that does nothing.
    pub fn cancel(self) -> String {
        self.text(msg::CANCEL)
    }

    /// The dialog after signing the others out failed: title.
    pub fn others_failed_title(self) -> String {
        self.text(msg::OTHERS_FAILED_TITLE)
    }

    /// The dialog after signing the others out failed: why, with the core's English reason.
    pub fn others_failed_body(self, reason: &str) -> String {
        self.with_reason(msg::OTHERS_FAILED_BODY, reason)
    }

    /// The dialog when the app cannot start at all, with the core's English reason.
    pub fn cannot_start(self, reason: &str) -> String {
        self.with_reason(msg::CANNOT_START, reason)
    }

    /// The dialog after a damaged configuration or history was put aside: title.
    pub fn files_repaired_title(self) -> String {
        self.text(msg::FILES_REPAIRED_TITLE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arabic sentences wrap each placeable in FSI…PDI (see keepwatch-l10n's README).
    fn iso(text: &str) -> String {
        format!("\u{2068}{text}\u{2069}")
    }

    #[test]
    fn arabic_counts_use_the_dual_and_the_plural_forms() {
        let ar = Wording(Language::Ar);
        assert_eq!(ar.unreviewed_alerts(1), "تنبيه واحد بانتظار المراجعة");
        assert_eq!(ar.unreviewed_alerts(2), "تنبيهان بانتظار المراجعة");
        assert_eq!(
            ar.unreviewed_alerts(3),
            format!("{} تنبيهات بانتظار المراجعة", iso("3"))
        );
        assert_eq!(
            ar.unreviewed_alerts(11),
            format!("{} تنبيهًا بانتظار المراجعة", iso("11"))
        );
        let en = Wording(Language::En);
        assert_eq!(en.unreviewed_alerts(0), "No unreviewed alerts");
        assert_eq!(en.unreviewed_alerts(1), "1 unreviewed alert");
        assert_eq!(en.unreviewed_alerts(2), "2 unreviewed alerts");
    }

    #[test]
    fn notice_titles_name_severity_and_kind_in_the_language() {
        assert_eq!(
            Wording(Language::En).notice_title(Severity::Critical, AlertKind::PossibleTakeover),
            "Critical: Possible account takeover"
        );
        assert_eq!(
            Wording(Language::Ar).notice_title(Severity::Warning, AlertKind::NewCountry),
            format!(
                "{}: {}",
                iso("تحذير"),
                iso("بلد جديد — شبكة VPN أم مسار غير معتاد؟")
            )
        );
    }

    #[test]
    fn severities_have_one_name_on_every_surface() {
        assert_eq!(
            Wording(Language::En).severity(Severity::Info),
            "Information"
        );
    }

    #[test]
    fn the_tray_counts_each_account_when_there_are_several() {
        let accounts = [("work".to_owned(), 2), ("home".to_owned(), 1)];
        assert_eq!(
            Wording(Language::En).alert_counts(&accounts),
            "3 unreviewed alerts (work: 2, home: 1)"
        );
        assert_eq!(
            Wording(Language::En).sign_out_others_menu(),
            "Sign out all other sessions…"
        );
    }
}
