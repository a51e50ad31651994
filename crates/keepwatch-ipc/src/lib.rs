//! The desktop window's IPC contract: every type the Keepwatch shell sends to its window or
//! receives from it, and how each is made from the core's types.
//!
//! `keepwatch-api` is the contract between Keepwatch and an account service; this crate is the
//! contract between the desktop shell (`src-tauri`) and its front end (`ui/`). The values all
//! come from `keepwatch-core`; here only shapes change — fields renamed, enums folded (the
//! core's four alert states are the window's three), errors sorted into kinds — and nothing is
//! decided. Keeping it free of Tauri means it is tested without a window, and with the `ts`
//! feature ts-rs writes the matching TypeScript into `ui/src/bindings`
//! (`ui/scripts/bindings.sh`), so no type is written twice. `ui/IPC.md` lists the commands
//! and events that carry them.

#![warn(missing_docs)]

mod accounts;
mod alerts;
mod error;
mod history;
mod qr;
mod settings;
mod status;

pub use accounts::{AccountSummary, DemoDefaults, SignInRequest};
pub use alerts::{AlertRecord, AlertState};
pub use error::{CoreErrorKind, ErrorKind, IpcError, IpcResult};
pub use history::{
    history_page, ExportFormat, ExportResult, HistoryFilter, HistoryPage, HistoryRow, HistoryState,
};
pub use qr::{NewTwoFactor, QrCode};
pub use settings::{Language, NotificationSettings, Settings};
pub use status::{SyncPhase, SyncStatus};
