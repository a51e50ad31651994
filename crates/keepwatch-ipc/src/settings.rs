//! The app's preferences, as the settings view edits them.

use chrono::{DateTime, Utc};
use keepwatch_core::{Preferences, Severity};
use serde::{Deserialize, Serialize};

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    En,
    /// Arabic.
    Ar,
}

/// Notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NotificationSettings {
    /// Whether to notify at all.
    pub enabled: bool,
    /// Alerts below this severity are listed but not notified.
    pub min_severity: Severity,
    /// Whether to play a sound.
    pub sound: bool,
}

/// App preferences, kept by the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    /// `None`: follow the system language.
    pub language: Option<Language>,
    /// Notifications.
    pub notifications: NotificationSettings,
    /// While set and in the future, location-only alerts are lowered to Info.
    pub travel_mode_until: Option<DateTime<Utc>>,
    /// Start Keepwatch when the user logs in.
    pub start_at_login: bool,
}

impl Settings {
    /// The window's view of the core's preferences.
    pub fn of(p: &Preferences) -> Self {
        Self {
            language: match p.language.as_deref() {
                Some("en") => Some(Language::En),
                Some("ar") => Some(Language::Ar),
                _ => None,
            },
            notifications: NotificationSettings {
                enabled: p.notifications,
                min_severity: p.notify_min_severity,
                sound: p.notification_sound,
            },
            travel_mode_until: p.travel_mode_until,
            start_at_login: p.start_at_login,
        }
    }

    /// `prefs` with these settings applied (the rest kept).
    pub fn apply(&self, mut prefs: Preferences) -> Preferences {
        prefs.language = self.language.map(|l| match l {
            Language::En => "en".to_owned(),
            Language::Ar => "ar".to_owned(),
        });
        prefs.notifications = self.notifications.enabled;
        prefs.notify_min_severity = self.notifications.min_severity;
        prefs.notification_sound = self.notifications.sound;
        prefs.travel_mode_until = self.travel_mode_until;
        prefs.start_at_login = self.start_at_login;
        prefs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_core_preferences() {
        let settings = Settings {
            language: Some(Language::Ar),
            notifications: NotificationSettings {
                enabled: false,
                min_severity: Severity::Critical,
                sound: false,
            },
            travel_mode_until: None,
            start_at_login: true,
        };
        let prefs = settings.apply(Preferences::default());
        assert_eq!(prefs.poll_interval_secs, 30, "untouched fields are kept");
        assert_eq!(Settings::of(&prefs), settings);
    }
}
