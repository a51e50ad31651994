//! `keepwatch watch`: the core's sync engines in the foreground, one line per alert.
//!
//! The engines report straight to this command (rather than through the API's change stream)
//! because a terminal wants the engine's own words: the notification's text, when it went
//! offline and came back, and that the session ended, which ends the command with status 4.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use keepwatch_core::notifier::NoticeAction;
use keepwatch_core::{DesktopNotifier, Notifier, SyncEngine, SyncMode, SyncOptions, SyncUpdate};
use keepwatch_l10n::msg;

use crate::commands::Ctx;
use crate::output::{self, say, text};

/// Watches every account (or the one `--account` names) until Ctrl-C, printing alerts as
/// they come; with several, each line names its account.
pub async fn watch(ctx: &Ctx, no_notify: bool, poll_interval: Option<u64>) -> Result<()> {
    let api = &ctx.api;
    let json = ctx.json;
    let accounts = match ctx.account.as_deref() {
        Some(selector) => vec![api.account(Some(selector))?],
        None => {
            let ids: Vec<String> = api.accounts().into_iter().map(|a| a.id).collect();
            if ids.is_empty() {
                return Err(keepwatch_core::Error::NoAccount.into());
            }
            ids.iter()
                .map(|id| api.account(Some(id)))
                .collect::<std::result::Result<Vec<_>, _>>()?
        }
    };
    let several = accounts.len() > 1;
    let prefs = api.keepwatch().preferences();
    let notifier: Option<Arc<dyn Notifier>> = if no_notify || !prefs.notifications {
        None
    } else {
        Some(Arc::new(DesktopNotifier::new()))
    };
    let options = SyncOptions {
        poll_interval: Duration::from_secs(
            poll_interval.unwrap_or(prefs.poll_interval_secs).max(1),
        ),
        ..Default::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, SyncUpdate)>();
    let mut engines = tokio::task::JoinSet::new();
    for account in accounts {
        let name = account
            .notice_name()
            .unwrap_or_else(|| account.id().to_owned());
        let args = [("account", account.id().into())];
        eprintln!("{}", say(msg::CLI_WATCHING, &args));
        let engine = SyncEngine::new(account, notifier.clone(), options.clone());
        let (engine_tx, mut engine_rx) = tokio::sync::mpsc::unbounded_channel();
        let (tagged, label) = (tx.clone(), name.clone());
        tokio::spawn(async move {
            while let Some(update) = engine_rx.recv().await {
                if tagged.send((label.clone(), update)).is_err() {
                    return;
                }
            }
        });
        let mut stop = stop_rx.clone();
        engines.spawn(async move {
            let shutdown = async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            };
            (name, engine.run(engine_tx, shutdown).await)
        });
    }
    drop(tx);
    let mut printer = WatchPrinter {
        several,
        json,
        last_offline: Default::default(),
        last_mode: Default::default(),
    };
    let mut failure = None;
    loop {
        tokio::select! {
            Some((name, update)) = rx.recv() => printer.print(&name, update)?,
            joined = engines.join_next() => match joined {
                None => break,
                Some(Ok((_, Ok(())))) => {}
                Some(Ok((name, Err(e)))) => {
                    if several {
                        eprintln!("{name}: {e}");
                    }
                    failure = Some(e);
                }
                Some(Err(e)) => {
                    let args = [("reason", e.to_string().into())];
                    let why = say(msg::CLI_WATCHER_FAILED, &args);
                    failure = Some(keepwatch_core::Error::Invalid(why));
                }
            },
        }
    }
    // What the engines said last, after they ended.
    while let Ok((name, update)) = rx.try_recv() {
        printer.print(&name, update)?;
    }
    match failure {
        // With several accounts, one that ended does not make the others' watch a failure.
        Some(e) if !several => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints a watch's updates, remembering per account what it said last.
struct WatchPrinter {
    several: bool,
    json: bool,
    last_offline: std::collections::HashMap<String, String>,
    last_mode: std::collections::HashMap<String, SyncMode>,
}

impl WatchPrinter {
    fn print(&mut self, name: &str, update: SyncUpdate) -> Result<()> {
        let prefix = if self.several {
            format!("[{name}] ")
        } else {
            String::new()
        };
        match update {
            SyncUpdate::Alert { alert, notice } => {
                if self.json {
                    // The shape `alerts --json` and the window's `sync://alert` carry.
                    let shown = keepwatch_core::api::AlertRecord::from((*alert).clone());
                    let mut value = serde_json::to_value(&shown)?;
                    if self.several {
                        value["account"] = serde_json::Value::String(name.to_owned());
                    }
                    println!("{value}");
                } else {
                    println!("{prefix}{}", output::alert_line(&alert, &notice.body));
                }
                std::io::stdout().flush()?;
            }
            SyncUpdate::Offline {
                reason,
                last_synced_at,
            } => {
                if self.last_offline.get(name) != Some(&reason) {
                    // The reason may quote the server: offline() makes it inert.
                    eprintln!("{prefix}{}", output::offline(last_synced_at, &reason));
                    self.last_offline.insert(name.to_owned(), reason);
                }
            }
            SyncUpdate::Synced { mode, .. } => {
                if self.last_offline.remove(name).is_some() {
                    eprintln!("{prefix}{}", text(msg::CLI_BACK_ONLINE));
                }
                let last = self.last_mode.insert(name.to_owned(), mode);
                if last != Some(mode) && mode == SyncMode::Stream {
                    eprintln!("{prefix}{}", text(msg::CLI_LIVE));
                }
            }
            // A terminal has no window to show the alert in (its notifier offers no Open).
            SyncUpdate::ActionDone {
                action: NoticeAction::Open,
                ..
            } => {}
            SyncUpdate::ActionDone {
                session_id,
                action,
                error,
                ..
            } => {
                // The action by its name in the code (`SignOut`, as before): a name, not wording.
                let action = format!("{action:?}");
                let line = match error {
                    None => say(
                        msg::CLI_ACTION_DONE,
                        &[("action", action.into()), ("session", session_id.into())],
                    ),
                    Some(e) => say(
                        msg::CLI_ACTION_FAILED,
                        &[
                            ("action", action.into()),
                            ("session", session_id.into()),
                            ("reason", keepwatch_core::inert::text(&e).into()),
                        ],
                    ),
                };
                eprintln!("{prefix}{line}");
            }
            SyncUpdate::SignedOut => {
                eprintln!("{prefix}{}", text(msg::CLI_WATCH_SIGNED_OUT));
            }
            SyncUpdate::Changed => {}
        }
        Ok(())
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("{}", text(msg::CLI_STOPPING));
}
