//! Which language to speak.

use serde::{Deserialize, Serialize};

/// A language Keepwatch speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Every language, English first.
    pub const ALL: [Language; 2] = [Language::En, Language::Ar];

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

    /// The BCP 47 tag: `"en"` or `"ar"`, also the folder of its `.ftl` file.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
        }
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
}
