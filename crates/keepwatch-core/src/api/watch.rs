//! Keeping watch: a sync engine for every signed-in account, their updates turned into the
//! change stream and the status, and the configuration file followed, so that an account or
//! setting changed by another process (the CLI) is picked up without a restart.

use std::collections::BTreeSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::{Api, Change, Engine, FocusRequest};
use crate::notifier::{NoticeAction, Notifier};
use crate::sync::{SyncEngine, SyncOptions, SyncUpdate};

/// How often the configuration file is looked at for other processes' changes: a stat, cheap.
const CONFIG_POLL: Duration = Duration::from_secs(2);

/// How the engines run.
#[derive(Clone, Default)]
pub struct WatchOptions {
    /// Shows the alerts; `None` records them only.
    pub notifier: Option<Arc<dyn Notifier>>,
    /// Between polls when the event stream is unavailable; `None` takes the preference.
    pub poll_interval: Option<Duration>,
}

impl std::fmt::Debug for WatchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchOptions")
            .field("notifier", &self.notifier.is_some())
            .field("poll_interval", &self.poll_interval)
            .finish()
    }
}

impl Api {
    /// Watches every account from now on: an engine for each (an intruder on the account not
    /// on screen is notified all the same), and accounts added, signed in again or removed by
    /// another process followed within seconds.
    pub fn watch_all(self: &Arc<Self>, options: WatchOptions) {
        let first = self.state.lock().watching.replace(options).is_none();
        self.reconcile_engines();
        if first {
            let api = Arc::downgrade(self);
            self.runtime.spawn(follow_config(api));
        }
    }

    /// Starts, restarts or stops engines so that exactly the accounts configured now, as they
    /// are configured now, are watched.
    fn reconcile_engines(self: &Arc<Self>) {
        let config = self.kw.config();
        let configured: BTreeSet<String> = config.accounts.iter().map(|a| a.id.clone()).collect();
        let running: Vec<String> = self.state.lock().engines.keys().cloned().collect();
        for gone in running.iter().filter(|id| !configured.contains(*id)) {
            self.unwatch(gone);
        }
        for account in &config.accounts {
            // An engine whose account was signed in again (a new session) works with the old
            // one's tokens: it starts over.
            let stale = {
                let state = self.state.lock();
                match (
                    state.engines.contains_key(&account.id),
                    state.open.get(&account.id),
                ) {
                    (false, _) => true,
                    (true, Some(open)) => open.config() != account,
                    (true, None) => false,
                }
            };
            if stale {
                self.watch_if_watching(&account.id);
            }
        }
    }

    /// (Re)starts account `id`'s engine as it is configured now, when watching.
    pub(super) fn watch_if_watching(self: &Arc<Self>, id: &str) {
        let Some(options) = self.state.lock().watching.clone() else {
            return;
        };
        let account = match self.account(Some(id)) {
            Ok(account) => account,
            Err(e) => {
                tracing::warn!(error = %e, account = %id, "could not watch an account");
                return;
            }
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let generation = {
            let mut state = self.state.lock();
            state.generation += 1;
            let generation = state.generation;
            if let Some(old) = state
                .engines
                .insert(id.to_owned(), Engine { stop, generation })
            {
                let _ = old.stop.send(());
            }
            state.statuses.remove(id);
            generation
        };
        self.set_status(self.status_of(&account));
        let poll = options
            .poll_interval
            .unwrap_or_else(|| Duration::from_secs(self.kw.preferences().poll_interval_secs));
        let engine = SyncEngine::new(
            account,
            options.notifier.clone(),
            SyncOptions {
                poll_interval: poll.max(Duration::from_secs(1)),
                ..SyncOptions::default()
            },
        );
        self.runtime.spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            match engine.run(tx, shutdown).await {
                Ok(()) => tracing::info!("sync engine stopped"),
                Err(e) => tracing::info!(error = %e, "sync engine ended"),
            }
        });
        self.runtime
            .spawn(forward(Arc::downgrade(self), id.to_owned(), generation, rx));
    }

    /// Stops watching account `id`.
    pub(super) fn unwatch(&self, id: &str) {
        if let Some(engine) = self.state.lock().engines.remove(id) {
            let _ = engine.stop.send(());
        }
    }

    fn is_current(&self, id: &str, generation: u64) -> bool {
        self.state
            .lock()
            .engines
            .get(id)
            .is_some_and(|e| e.generation == generation)
    }

    /// What one engine update means for everyone: the status moved along by
    /// [`super::SyncStatus::after`], and the changes it stands for.
    async fn apply(&self, id: &str, update: SyncUpdate) {
        let Ok(account) = self.account(Some(id)) else {
            return;
        };
        self.set_status(self.status_of(&account).after(&update));
        let account_id = id.to_owned();
        match update {
            SyncUpdate::Synced { .. } | SyncUpdate::Changed => {
                self.publish(Change::Sessions { account_id });
            }
            SyncUpdate::Alert { alert, .. } => {
                self.publish(Change::Alert {
                    account_id: account_id.clone(),
                    alert: (*alert).into(),
                });
                self.publish(Change::Sessions { account_id });
            }
            SyncUpdate::ActionDone {
                alert_key,
                action: NoticeAction::Open,
                ..
            } => self.request_focus(account_id, FocusRequest::Alert { key: alert_key }),
            SyncUpdate::ActionDone { alert_key, .. } => {
                if let Ok(Some(record)) = account.db(move |h| h.alert(&alert_key)).await {
                    self.publish(Change::Alert {
                        account_id: account_id.clone(),
                        alert: record.into(),
                    });
                }
                self.publish(Change::Sessions { account_id });
            }
            SyncUpdate::SignedOut => self.publish(Change::Accounts),
            // Said by the status alone.
            SyncUpdate::Offline { .. } => {}
        }
    }
}

/// Turns one engine's updates into changes until the engine is replaced or the API is gone.
async fn forward(
    api: Weak<Api>,
    id: String,
    generation: u64,
    mut updates: mpsc::UnboundedReceiver<SyncUpdate>,
) {
    while let Some(update) = updates.recv().await {
        let Some(api) = api.upgrade() else { return };
        if !api.is_current(&id, generation) {
            return;
        }
        api.apply(&id, update).await;
    }
}

/// Follows the configuration file for changes made by other processes while the API lives.
async fn follow_config(api: Weak<Api>) {
    let mut tick = tokio::time::interval(CONFIG_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen = None;
    loop {
        tick.tick().await;
        let Some(api) = api.upgrade() else { return };
        let version = api.kw.config_store().version();
        if seen.replace(version).is_some_and(|seen| seen != version) {
            tracing::info!("the configuration changed on disk; following it");
            api.reconcile_engines();
            api.publish(Change::Settings {
                settings: api.settings(),
            });
            api.publish(Change::Accounts);
        }
    }
}
