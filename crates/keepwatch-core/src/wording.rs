//! What Keepwatch says outside its window — notifications, the tray menu, native dialogs — in
//! the user's language.
//!
//! The window has its own catalogue (`ui/src/lib/i18n`); these are the few phrases the native
//! surfaces need, worded as the window words them. Names that come from data (devices, cities,
//! the detector's summaries of withdrawals) are shown as they are.

use chrono::{DateTime, Local, Utc};
use keepwatch_detector::{AlertKind, Severity};
use serde::{Deserialize, Serialize};

/// A language Keepwatch speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English, also for every language Keepwatch does not speak.
    #[default]
    En,
    /// Arabic.
    Ar,
}

impl Language {
    /// Its BCP 47 tag, as the `language` preference stores it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
        }
    }

    /// The language a BCP 47 tag or POSIX locale (`ar-EG`, `ar_SA.UTF-8`, `en`) asks for, if
    /// Keepwatch speaks it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Language::Ar),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The user's choice (the `language` preference) or, without one, the system's language.
    pub fn resolve(preference: Option<&str>) -> Self {
        preference
            .and_then(Self::from_tag)
            .or_else(|| sys_locale::get_locale().as_deref().and_then(Self::from_tag))
            .unwrap_or_default()
    }
}

/// The phrases of the native surfaces, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording(pub Language);

impl Wording {
    fn pick(self, en: &'static str, ar: &'static str) -> &'static str {
        match self.0 {
            Language::En => en,
            Language::Ar => ar,
        }
    }

    /// The severity's name.
    pub fn severity(self, severity: Severity) -> &'static str {
        match severity {
            Severity::Critical => self.pick("Critical", "حرج"),
            Severity::Warning => self.pick("Warning", "تحذير"),
            Severity::Info => self.pick("Notice", "معلومة"),
        }
    }

    /// What an alert of `kind` is about, in a few words.
    pub fn alert_title(self, kind: AlertKind) -> &'static str {
        match self.0 {
            Language::En => kind.title(),
            Language::Ar => match kind {
                AlertKind::PossibleTakeover => "احتمال استيلاء على الحساب",
                AlertKind::NewCountry => "بلد جديد — شبكة VPN أم مسار غير معتاد؟",
                AlertKind::ImpossibleTravel => "سفر مستحيل — شبكة VPN أم مسار غير معتاد؟",
                AlertKind::NewDevice => "جهاز جديد",
                AlertKind::UnknownWithdrawalAddress => "سحب إلى عنوان ليس في دفتر عناوينك",
                AlertKind::TwoFactorReset => "أُعيد ضبط المصادقة الثنائية خارج Keepwatch",
                AlertKind::PasswordChanged => "تغيّرت كلمة المرور خارج Keepwatch",
                AlertKind::KeepwatchSignedOut => "سجّلت جلسة أخرى خروج Keepwatch",
                AlertKind::AccountLocked => "قُفل الحساب بعد محاولات دخول فاشلة",
                AlertKind::FailedSignIn => "محاولة دخول فاشلة",
            },
        }
    }

    /// A notification's headline: `"Critical: Possible account takeover"`.
    pub fn notice_title(self, severity: Severity, kind: AlertKind) -> String {
        format!("{}: {}", self.severity(severity), self.alert_title(kind))
    }

    /// The notification button that signs the session out.
    pub fn sign_out_session(self) -> &'static str {
        self.pick("Sign out session", "تسجيل خروج الجلسة")
    }

    /// The notification button that says the sign-in was the user's.
    pub fn this_was_me(self) -> &'static str {
        self.pick("This was me", "كنت أنا")
    }

    /// The title of one notification for several alerts. Arabic counts take the dual and the
    /// plural forms.
    pub fn new_alerts(self, n: usize) -> String {
        match (self.0, n) {
            (Language::En, 1) => "1 new alert".into(),
            (Language::En, n) => format!("{n} new alerts"),
            (Language::Ar, 1) => "تنبيه جديد واحد".into(),
            (Language::Ar, 2) => "تنبيهان جديدان".into(),
            (Language::Ar, 3..=10) => format!("{n} تنبيهات جديدة"),
            (Language::Ar, n) => format!("{n} تنبيهًا جديدًا"),
        }
    }

    /// The last line of a notification that lists some of `n` alerts: `"…and 2 more"`.
    pub fn and_more(self, n: usize) -> String {
        match (self.0, n) {
            (Language::En, n) => format!("…and {n} more"),
            (Language::Ar, 1) => "…وتنبيه آخر".into(),
            (Language::Ar, 2) => "…وتنبيهان آخران".into(),
            (Language::Ar, 3..=10) => format!("…و{n} تنبيهات أخرى"),
            (Language::Ar, n) => format!("…و{n} تنبيهًا آخر"),
        }
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
            .map(|(name, n)| format!("{name}: {n}"))
            .collect();
        let separator = self.pick(", ", "، ");
        format!("{total} ({})", each.join(separator))
    }

    /// The tray menu's first line. Arabic counts take the dual and the plural forms.
    pub fn unreviewed_alerts(self, n: usize) -> String {
        match (self.0, n) {
            (Language::En, 0) => "No unreviewed alerts".into(),
            (Language::En, 1) => "1 unreviewed alert".into(),
            (Language::En, n) => format!("{n} unreviewed alerts"),
            (Language::Ar, 0) => "لا تنبيهات بانتظار المراجعة".into(),
            (Language::Ar, 1) => "تنبيه واحد بانتظار المراجعة".into(),
            (Language::Ar, 2) => "تنبيهان بانتظار المراجعة".into(),
            (Language::Ar, 3..=10) => format!("{n} تنبيهات بانتظار المراجعة"),
            (Language::Ar, n) => format!("{n} تنبيهًا بانتظار المراجعة"),
        }
    }

    /// Tray: show the window.
    pub fn open(self) -> &'static str {
        self.pick("Open Keepwatch", "فتح Keepwatch")
    }

    /// Tray: sign every other session out (asks first).
    pub fn sign_out_others_menu(self) -> &'static str {
        self.pick(
            "Sign out all other sessions…",
            "تسجيل الخروج من كل الجلسات الأخرى…",
        )
    }

    /// Tray: silence notifications for an hour.
    pub fn pause_an_hour(self) -> &'static str {
        self.pick(
            "Pause alerts for an hour",
            "إيقاف التنبيهات مؤقتًا لمدة ساعة",
        )
    }

    /// Tray, while paused: notifications again now. Names the end of the pause in local time.
    pub fn resume_alerts(self, paused_until: DateTime<Utc>) -> String {
        let at = paused_until.with_timezone(&Local).format("%H:%M");
        match self.0 {
            Language::En => format!("Resume alerts (paused until {at})"),
            Language::Ar => format!("استئناف التنبيهات (موقوفة حتى {at})"),
        }
    }

    /// Tray: end Keepwatch.
    pub fn quit(self) -> &'static str {
        self.pick("Quit", "إنهاء")
    }

    /// Tray tooltip, by state.
    pub fn tooltip(self, offline: bool, unreviewed: bool) -> &'static str {
        match (offline, unreviewed) {
            (true, _) => self.pick("Keepwatch: offline", "Keepwatch: غير متصل"),
            (false, true) => self.pick(
                "Keepwatch: unreviewed alerts",
                "Keepwatch: تنبيهات بانتظار المراجعة",
            ),
            (false, false) => self.pick("Keepwatch: watching", "Keepwatch: يراقب"),
        }
    }

    /// The confirmation dialog before signing every other session out: title.
    pub fn confirm_others_title(self) -> &'static str {
        self.pick(
            "Sign out every other session?",
            "تسجيل الخروج من كل الجلسات الأخرى؟",
        )
    }

    /// The confirmation dialog: what it does.
    pub fn confirm_others_body(self) -> &'static str {
        self.pick(
            "Every session except this app's own will end — including your own other devices, such as your phone or another browser. Each of them will have to sign in again with your password.",
            "ستنتهي كل الجلسات ما عدا جلسة هذا التطبيق — بما فيها أجهزتك الأخرى، مثل هاتفك أو متصفح آخر. سيتعيّن على كل منها تسجيل الدخول مجددًا بكلمة المرور.",
        )
    }

    /// The confirmation dialog: the button that does it.
    pub fn confirm_others_action(self) -> &'static str {
        self.pick("Sign out others", "تسجيل خروج الآخرين")
    }

    /// Any dialog: the button that does nothing.
    pub fn cancel(self) -> &'static str {
        self.pick("Cancel", "إلغاء")
    }

    /// The dialog after signing the others out failed: title.
    pub fn others_failed_title(self) -> &'static str {
        self.pick(
            "Could not sign out other sessions",
            "تعذّر تسجيل خروج الجلسات الأخرى",
        )
    }

    /// The dialog after signing the others out failed: why, with the core's English reason.
    pub fn others_failed_body(self, reason: &str) -> String {
        match self.0 {
            Language::En => format!("The other sessions are still signed in: {reason}."),
            Language::Ar => format!("ما زالت الجلسات الأخرى مسجَّلة الدخول: {reason}."),
        }
    }

    /// The dialog when the app cannot start at all, with the core's English reason.
    pub fn cannot_start(self, reason: &str) -> String {
        match self.0 {
            Language::En => format!("Keepwatch cannot start: {reason}"),
            Language::Ar => format!("تعذّر تشغيل Keepwatch: {reason}"),
        }
    }

    /// The dialog after a damaged configuration or history was put aside: title.
    pub fn files_repaired_title(self) -> &'static str {
        self.pick("Keepwatch repaired its files", "أصلح Keepwatch ملفاته")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags_and_posix_names_pick_the_language() {
        for tag in ["ar", "ar-EG", "ar_SA.UTF-8", "AR", "ar@latin"] {
            assert_eq!(Language::from_tag(tag), Some(Language::Ar), "{tag}");
        }
        for tag in ["en", "en-GB", "en_US.UTF-8"] {
            assert_eq!(Language::from_tag(tag), Some(Language::En), "{tag}");
        }
        for tag in ["fr-FR", "", "C", "arn"] {
            assert_eq!(Language::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn the_users_choice_wins_over_the_system() {
        assert_eq!(Language::resolve(Some("ar")), Language::Ar);
        assert_eq!(Language::resolve(Some("en")), Language::En);
    }

    #[test]
    fn arabic_counts_use_the_dual_and_the_plural_forms() {
        let ar = Wording(Language::Ar);
        assert_eq!(ar.unreviewed_alerts(1), "تنبيه واحد بانتظار المراجعة");
        assert_eq!(ar.unreviewed_alerts(2), "تنبيهان بانتظار المراجعة");
        assert_eq!(ar.unreviewed_alerts(3), "3 تنبيهات بانتظار المراجعة");
        assert_eq!(ar.unreviewed_alerts(11), "11 تنبيهًا بانتظار المراجعة");
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
            "تحذير: بلد جديد — شبكة VPN أم مسار غير معتاد؟"
        );
    }
}
