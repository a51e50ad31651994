//! Keepwatch's one wording catalogue: every sentence the app shows — the window, notifications,
//! the tray menu, native dialogs, the detector's alert titles and reasons, the command line —
//! written once, in Fluent, per language (`locales/<lang>/keepwatch.ftl`).
//!
//! The Rust side formats messages through a [`Catalogue`] and the typed [`Message`] constants of
//! [`msg`]: a `Message` cannot be made from a string, so an id the Rust code uses is always one
//! of those constants, and this crate's tests hold every constant to both `.ftl` files, with the
//! variables it declares. The window (`ui/`) imports the same files with `@fluent/bundle`.
//!
//! Formatting never panics: a message that fails in one language is given in English, then as
//! its id. Placeables are wrapped in Unicode isolates (FSI…PDI) in Arabic only; the README says
//! why.
//!
//! ```
//! use keepwatch_l10n::{msg, Catalogue, Language};
//!
//! let en = Catalogue::get(Language::En);
//! assert_eq!(en.format(msg::UNREVIEWED_ALERTS, &[("count", 2.into())]), "2 unreviewed alerts");
//! let ar = Catalogue::get(Language::Ar);
//! assert_eq!(ar.format(msg::UNREVIEWED_ALERTS, &[("count", 2.into())]), "تنبيهان بانتظار المراجعة");
//! ```

#![warn(missing_docs)]

mod catalogue;
mod language;
pub mod msg;

pub use catalogue::{source, Catalogue, AR_FTL, EN_FTL};
pub use fluent_bundle::FluentValue;
pub use language::Language;

/// One message of the catalogue: its Fluent id and the variables it takes. Only [`msg`] makes
/// them, so that every id the Rust code formats is listed there and tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Message {
    id: &'static str,
    variables: &'static [&'static str],
}

impl Message {
    /// The Fluent id, kebab-case: `"severity-critical"`.
    pub fn id(self) -> &'static str {
        self.id
    }

    /// The names of the variables the message takes, without `$`.
    pub fn variables(self) -> &'static [&'static str] {
        self.variables
    }
}
