//! Keepwatch's companion core: everything the desktop app shows and does, with no UI.
//!
//! It signs in to an account service ([`client`]), keeps the refresh token in the OS keyring
//! ([`secrets`]), records every session, event and alert in a local SQLite history
//! ([`history`]), decides what deserves an alert ([`detection`], over `keepwatch-detector`),
//! follows the server's event stream ([`sync`]) and tells the user ([`notifier`]). Everything
//! the server writes is made inert ([`inert`]) before any of it is stored or shown.
//!
//! The [`Keepwatch`] facade and its [`Account`] handles tie these together, and [`api`] is the
//! one layer every front end calls: the `keepwatch` CLI prints its types and the desktop app
//! shows them.

#![warn(missing_docs)]

pub mod account;
pub mod api;
pub mod app;
pub mod client;
pub mod config;
pub mod config_store;
pub mod detection;
pub mod error;
pub mod export;
pub mod files;
pub mod geo_data;
pub mod history;
pub mod inert;
pub mod notifier;
pub mod provider;
pub mod retry;
pub mod secrets;
pub mod sse;
pub mod sync;
pub mod wording;

pub use account::{Account, SyncReport};
pub use api::Api;
pub use app::{account_id, Keepwatch, LoginParams};
pub use config::{DataDirs, Preferences};
pub use error::{Error, Result};
pub use export::ExportFormat;
pub use history::{
    AlertRecord, AlertState, EndReason, HistoryQuery, NoticeOutcome, SessionPage, SessionRecord,
    SessionState, Trust,
};
pub use keepwatch_detector::{Alert, AlertKind, Reason, ResponseStep, Severity};
pub use notifier::{DesktopNotifier, Notifier};
pub use sync::{SyncEngine, SyncMode, SyncOptions, SyncUpdate};

#[cfg(test)]
mod tests {
    /// The desktop app keeps these in shared state and moves them between tasks.
    #[test]
    fn the_facade_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<crate::Keepwatch>();
        shareable::<crate::Account>();
        shareable::<crate::SyncEngine>();
        shareable::<crate::DesktopNotifier>();
    }
}
