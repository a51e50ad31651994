//! The app's preferences, as the settings view edits them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wording::Language;
use crate::{Preferences, Severity};

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
    /// A folder of location data kept up to date by something else, read before
    /// Keepwatch's own (see [`crate::geo_data`]); `None` for Keepwatch's own only.
    pub location_data_folder: Option<String>,
}

impl Settings {
    /// The window's view of the core's preferences.
    pub fn of(p: &Preferences) -> Self {
        Self {
            language: p.language.as_deref().and_then(Language::from_tag),
            notifications: NotificationSettings {
                enabled: p.notifications,
                min_severity: p.notify_min_severity,
                sound: p.notification_sound,
            },
            travel_mode_until: p.travel_mode_until,
            start_at_login: p.start_at_login,
            location_data_folder: p
                .location_data_folder
                .as_ref()
                .map(|f| f.display().to_string()),
        }
    }

    /// `prefs` with these settings applied (the rest kept).
    pub fn apply(&self, mut prefs: Preferences) -> Preferences {
        prefs.language = self.language.map(|l| l.tag().to_owned());
        prefs.notifications = self.notifications.enabled;
        prefs.notify_min_severity = self.notifications.min_severity;
        prefs.notification_sound = self.notifications.sound;
        prefs.travel_mode_until = self.travel_mode_until;
        prefs.start_at_login = self.start_at_login;
        prefs.location_data_folder = self
            .location_data_folder
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(std::path::PathBuf::from);
        prefs
    }
}

impl Settings {
    /// Every setting's key, as `keepwatch config get|set` names them: the JSON field path with
    /// dots (`notifications.min_severity`).
    pub fn keys() -> Vec<String> {
        fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(fields) => {
                    for (name, v) in fields {
                        let key = if prefix.is_empty() {
                            name.clone()
                        } else {
                            format!("{prefix}.{name}")
                        };
                        walk(&key, v, out);
                    }
                }
                _ => out.push(prefix.to_owned()),
            }
        }
        let mut keys = Vec::new();
        walk(
            "",
            &Self::json(&Settings::of(&Preferences::default())),
            &mut keys,
        );
        keys
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn pointer(key: &str) -> Result<String, crate::Error> {
        if Self::keys().iter().any(|k| k == key) {
            Ok(format!("/{}", key.replace('.', "/")))
        } else {
            Err(crate::Error::Invalid(format!(
                "no setting {key:?}; the settings are {}",
                Self::keys().join(", ")
            )))
        }
    }

    /// The value of setting `key` (see [`Settings::keys`]), as JSON.
    pub fn get(&self, key: &str) -> Result<serde_json::Value, crate::Error> {
        let pointer = Self::pointer(key)?;
        Ok(self.json().pointer(&pointer).cloned().unwrap_or_default())
    }

    /// These settings with `key` set to `value`: JSON (`true`, `"critical"`, `null`), or a
    /// bare word taken as a string (`critical`, `ar`); `none` clears an optional setting.
    pub fn set(&self, key: &str, value: &str) -> Result<Settings, crate::Error> {
        let pointer = Self::pointer(key)?;
        let parsed = match value.trim() {
            "none" | "null" | "" => serde_json::Value::Null,
            v => serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.into())),
        };
        let mut json = self.json();
        if let Some(slot) = json.pointer_mut(&pointer) {
            *slot = parsed;
        }
        serde_json::from_value(json)
            .map_err(|e| crate::Error::Invalid(format!("{value:?} is not a value for {key}: {e}")))
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
            location_data_folder: Some("/var/lib/GeoIP".into()),
        };
        let prefs = settings.apply(Preferences::default());
        assert_eq!(prefs.poll_interval_secs, 30, "untouched fields are kept");
        assert_eq!(Settings::of(&prefs), settings);
    }

    #[test]
    fn every_setting_is_reached_by_its_key() {
        let keys = Settings::keys();
        for key in [
            "language",
            "notifications.enabled",
            "notifications.min_severity",
            "notifications.sound",
            "travel_mode_until",
            "start_at_login",
            "location_data_folder",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        let base = Settings::of(&Preferences::default());
        let changed = base
            .set("notifications.min_severity", "critical")
            .unwrap()
            .set("language", "ar")
            .unwrap()
            .set("start_at_login", "true")
            .unwrap()
            .set("travel_mode_until", "2026-12-24T00:00:00Z")
            .unwrap();
        assert_eq!(changed.notifications.min_severity, Severity::Critical);
        assert_eq!(changed.language, Some(Language::Ar));
        assert!(changed.start_at_login);
        assert_eq!(
            changed.get("travel_mode_until").unwrap(),
            serde_json::json!("2026-12-24T00:00:00Z")
        );
        assert_eq!(changed.set("language", "none").unwrap().language, None);
        let wrong = base.set("notifications.sound", "loud").unwrap_err();
        assert!(wrong.to_string().contains("notifications.sound"), "{wrong}");
        let unknown = base.get("colour").unwrap_err();
        assert!(unknown.to_string().contains("start_at_login"), "{unknown}");
    }
}
