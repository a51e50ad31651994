//! The Fluent bundles behind [`Catalogue`], parsed once per process.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::{Language, Message};

/// The English messages, as written in `locales/en/keepwatch.ftl`.
pub const EN_FTL: &str = include_str!("../locales/en/keepwatch.ftl");
/// The Arabic messages, as written in `locales/ar/keepwatch.ftl`.
pub const AR_FTL: &str = include_str!("../locales/ar/keepwatch.ftl");

/// The `.ftl` source of a language.
pub fn source(language: Language) -> &'static str {
    match language {
        Language::En => EN_FTL,
        Language::Ar => AR_FTL,
    }
}

/// Every message in one language, ready to format.
pub struct Catalogue {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

static CATALOGUES: OnceLock<[Catalogue; 2]> = OnceLock::new();

impl Catalogue {
    /// The catalogue of `language`. Built on first use and shared after that: the files are
    /// compiled in, so there is nothing to load and nothing that can fail at run time.
    pub fn get(language: Language) -> &'static Catalogue {
        let [en, ar] = CATALOGUES.get_or_init(|| Language::ALL.map(Catalogue::build));
        match language {
            Language::En => en,
            Language::Ar => ar,
        }
    }

    fn build(language: Language) -> Catalogue {
        // A syntax error keeps the entries around it (the tests hold the files to none), and a
        // bad tag falls back to the root locale's plural rules rather than stopping the app.
        let resource = FluentResource::try_new(source(language).to_owned())
            .unwrap_or_else(|(partial, _errors)| partial);
        let locale: LanguageIdentifier = language.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // See the README: isolate placeables in right-to-left sentences only.
        bundle.set_use_isolating(language == Language::Ar);
        let _ = bundle.add_resource(resource);
        Catalogue { language, bundle }
    }

    /// The language of this catalogue.
    pub fn language(&self) -> Language {
        self.language
    }

    /// A message without variables.
    pub fn text(&self, message: Message) -> String {
        self.format(message, &[])
    }

    /// A message with its variables, e.g. `&[("count", 3.into())]`. Never fails: a message
    /// that cannot be formatted in this language is given in English, and failing that as its
    /// id, so that a mistake shows instead of stopping a notification or the tray.
    pub fn format(&self, message: Message, args: &[(&str, FluentValue<'_>)]) -> String {
        self.try_format(message.id(), args)
            .or_else(|| {
                (self.language != Language::En)
                    .then(|| Catalogue::get(Language::En).try_format(message.id(), args))
                    .flatten()
            })
            .unwrap_or_else(|| message.id().to_owned())
    }

    /// The message `id` formatted, or `None` if it is missing or any part of it failed
    /// (an unknown variable, a missing selector).
    pub(crate) fn try_format(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(name.to_string(), value.clone());
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }
}
