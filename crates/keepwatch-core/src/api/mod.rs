//! The app-facing API: the one layer every front end calls. The desktop shell forwards its
//! window's commands here one line each, the `keepwatch` CLI runs one function per command
//! over it, and both print or show the same types.
//!
//! - **Queries** ([`Api::sessions`], [`Api::alerts`], [`Api::history`], [`Api::status`], …)
//!   read the local history and never touch the network, so a window can redraw as often as
//!   it likes and works offline.
//! - **Commands** ([`Api::sign_in`], [`Api::revoke_session`], [`Api::set_settings`], …) change
//!   things, on the server and in history, and publish what they changed.
//! - **Syncing** is the engines' job ([`Api::watch_all`]), or an explicit [`Api::sync_now`]
//!   (what a one-off CLI command does before it reads).
//! - **Changes** ([`Change`], [`Api::subscribe`]) say what changed, from commands, engines and
//!   other processes (the configuration file is watched); the sync status is derived here, by
//!   [`SyncStatus::after`], and the tray's look by [`TrayModel::of`].
//!
//! Requests, answers and changes are serde types with TypeScript bindings (ts-rs, the `ts`
//! feature, `ui/scripts/bindings.sh`), so the same API could be served to a window in another
//! process. `ui/IPC.md` lists the window's commands and events.

mod accounts;
mod alerts;
mod changes;
mod commands;
mod error;
mod geo;
mod history;
mod qr;
mod queries;
mod sessions;
mod settings;
mod status;
mod tray;
mod watch;

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::sync::{broadcast, oneshot};

pub use accounts::{
    About, AccountStatus, AccountSummary, DemoDefaults, ProviderFound, SignInRequest, SignedIn,
};
pub use alerts::{AlertFilter, AlertRecord, AlertState, AlertsPage, Resolution};
pub use changes::{Change, ChangeBus, FocusRequest};
pub use error::{CoreErrorKind, ErrorKind, IpcError, IpcResult};
pub use geo::GeoStatus;
pub use history::{ExportResult, HistoryFilter, HistoryPage, HistoryRow, HistoryState};
pub use qr::{NewTwoFactor, QrCode};
pub use sessions::{AlertBrief, SessionItem, SessionsPage};
pub use settings::{NotificationSettings, Settings};
pub use status::{SyncPhase, SyncStatus};
pub use tray::{TrayAccount, TrayFacts, TrayIcon, TrayModel};
pub use watch::WatchOptions;

pub use crate::export::{ExportFormat, ExportProgress};
pub use crate::wording::Language;

use crate::config::AccountConfig;
use crate::error::Result;
use crate::{Account, Keepwatch};

/// A running engine, and which start of it this is (an engine replaced by a newer one may
/// still say something on its way out, which is ignored).
struct Engine {
    stop: oneshot::Sender<()>,
    generation: u64,
}

#[derive(Default)]
struct State {
    /// The account the views show when none is named (the window's, or the CLI's
    /// `--account`).
    active: Option<String>,
    /// Accounts opened so far, each with its client and history connection.
    open: BTreeMap<String, Account>,
    /// What each account's sync last came to in this process.
    statuses: BTreeMap<String, SyncStatus>,
    engines: BTreeMap<String, Engine>,
    /// Bumped whenever an engine starts.
    generation: u64,
    /// Set by [`Api::watch_all`]: engines run for every signed-in account.
    watching: Option<WatchOptions>,
    /// What a notification or the tray asked a window to show, until one has.
    focus_request: Option<FocusRequest>,
}

/// Keepwatch as its front ends see it. Cheap to share (`Arc`); every method is safe to call
/// concurrently.
pub struct Api {
    kw: Keepwatch,
    bus: ChangeBus,
    runtime: tokio::runtime::Handle,
    state: Mutex<State>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("kw", &self.kw)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// The API over `kw`; engines and watchers it starts run on `runtime`.
    pub fn new(kw: Keepwatch, runtime: tokio::runtime::Handle) -> Arc<Self> {
        Arc::new(Self {
            kw,
            bus: ChangeBus::default(),
            runtime,
            state: Mutex::new(State::default()),
        })
    }

    /// The core underneath, for what is not a front end's business (start-up repairs, the
    /// quit-time sign-outs).
    pub fn keepwatch(&self) -> &Keepwatch {
        &self.kw
    }

    /// Hears every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.bus.subscribe()
    }

    fn publish(&self, change: Change) {
        self.bus.publish(change);
    }

    /// The id of the account `selector` names, or with none the active account, or the only
    /// one (see [`crate::config::Config::select`]).
    fn resolve(&self, selector: Option<&str>) -> Result<String> {
        Ok(self.resolve_config(selector)?.id)
    }

    /// The configuration of the account [`Api::resolve`] picks, as saved now.
    fn resolve_config(&self, selector: Option<&str>) -> Result<AccountConfig> {
        let config = self.kw.config();
        if selector.is_none() {
            let active = self.state.lock().active.clone();
            if let Some(found) = active.and_then(|id| config.accounts.iter().find(|a| a.id == id)) {
                return Ok(found.clone());
            }
        }
        Ok(config.select(selector)?.clone())
    }

    /// The account `selector` names (see [`Api::resolve`]), opened once and kept while its
    /// configuration stays as it is (a new sign-in reopens it).
    pub fn account(&self, selector: Option<&str>) -> Result<Account> {
        let config = self.resolve_config(selector)?;
        if let Some(open) = self.state.lock().open.get(&config.id) {
            if *open.config() == config {
                return Ok(open.clone());
            }
        }
        let account = self.kw.account(Some(&config.id))?;
        self.state.lock().open.insert(config.id, account.clone());
        Ok(account)
    }

    /// What answers at `input` (a server URL or a Matrix ID): a Matrix homeserver (found
    /// through `/_matrix/client/versions`, or a Matrix ID's `.well-known`), else the Keepwatch
    /// API. Asks the server; signs in to nothing.
    pub async fn detect_provider(&self, input: &str) -> Result<ProviderFound> {
        use crate::provider::ProviderKind;
        let input = input.trim();
        let options = keepwatch_matrix::ClientOptions::default();
        match keepwatch_matrix::discover(input, &options).await {
            Ok(hs) => Ok(ProviderFound {
                provider: ProviderKind::Matrix,
                server_url: hs.base_url.as_str().trim_end_matches('/').to_owned(),
                user: hs.user_id.as_ref().map(|u| u.as_str().to_owned()),
                sign_in_supported: hs.require_password_sign_in().is_ok(),
            }),
            Err(keepwatch_matrix::Error::NotMatrix { .. }) => {
                crate::client::validate_server_url(input)?;
                Ok(ProviderFound {
                    provider: ProviderKind::KeepwatchApi,
                    server_url: input.trim_end_matches('/').to_owned(),
                    user: None,
                    sign_in_supported: true,
                })
            }
            Err(e) => Err(crate::provider::matrix::from_matrix(e)),
        }
    }

    /// What the account `selector` names offers beyond its sessions (read from its saved
    /// configuration; nothing is asked of the server).
    pub fn capabilities(&self, selector: Option<&str>) -> Result<crate::provider::Capabilities> {
        Ok(self.resolve_config(selector)?.provider.capabilities())
    }

    /// What account `id`'s sync last came to in this process; before anything, what its
    /// history remembers.
    fn status_of(&self, account: &Account) -> SyncStatus {
        let id = account.id();
        let state = self.state.lock();
        if let Some(status) = state.statuses.get(id) {
            return status.clone();
        }
        let watched = state.engines.contains_key(id);
        drop(state);
        let last = account.history_db().last_synced_at().ok().flatten();
        let mut status = SyncStatus::starting(id, account.config().session_id.is_some(), last);
        if !watched && status.phase == SyncPhase::Syncing {
            // Nobody is syncing it: the history's last word, as of then.
            status.phase = SyncPhase::Idle;
        }
        status
    }

    /// Records `status` for its account and tells everyone, when it changed.
    fn set_status(&self, status: SyncStatus) {
        let Some(id) = status.account_id.clone() else {
            return;
        };
        let changed = self.state.lock().statuses.insert(id, status.clone()) != Some(status.clone());
        if changed {
            self.publish(Change::Status { status });
        }
    }
}
