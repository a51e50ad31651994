//! What the tray shows, decided from facts by one pure function, so that every rule of it is
//! tested here and the shell only paints the result.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SyncPhase;
use crate::wording::{Language, Wording};

/// How one watched account stands, as the tray needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrayAccount {
    /// How the menu names it: `None` with a single account (see
    /// [`crate::Account::notice_name`]).
    pub name: Option<String>,
    /// Alerts nobody has looked at yet (state `new`): what makes the icon red.
    pub unreviewed: usize,
    /// Its engine's phase.
    pub phase: SyncPhase,
}

/// Everything the tray's look depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrayFacts {
    /// Every watched account, in the order they were added.
    pub accounts: Vec<TrayAccount>,
    /// Whether an account is active, so "Sign out all other sessions" has one to act on.
    pub signed_in: bool,
    /// Until when notifications are paused, if they are.
    pub paused_until: Option<DateTime<Utc>>,
    /// The language the user chose, or the system's.
    pub language: Language,
}

/// The tray's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrayIcon {
    /// All is well.
    Normal,
    /// Unreviewed alerts somewhere.
    Alert,
    /// Offline, signed out, or nothing watched.
    Offline,
}

/// The tray as it should look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrayModel {
    /// The icon.
    pub icon: TrayIcon,
    /// The icon's tooltip.
    pub tooltip: String,
    /// The menu's first line: the alert counts.
    pub count: String,
    /// "Open".
    pub open: String,
    /// "Sign out all other sessions…".
    pub revoke_others: String,
    /// Whether that entry can be used.
    pub revoke_others_enabled: bool,
    /// "Pause alerts for an hour", or "Resume alerts" with the time while paused.
    pub pause: String,
    /// "Quit".
    pub quit: String,
}

impl TrayModel {
    /// The tray for `facts` at `now`. The icon shows the worst over all accounts: unreviewed
    /// alerts anywhere (being signed out by someone else among them) are red, before anything
    /// being offline or signed out is grey; watching nothing is as grey as watching offline.
    pub fn of(facts: &TrayFacts, now: DateTime<Utc>) -> Self {
        let w = Wording(facts.language);
        let unreviewed: usize = facts.accounts.iter().map(|a| a.unreviewed).sum();
        let offline = facts.accounts.is_empty()
            || facts
                .accounts
                .iter()
                .any(|a| matches!(a.phase, SyncPhase::Offline | SyncPhase::SignedOut));
        let icon = if unreviewed > 0 {
            TrayIcon::Alert
        } else if offline {
            TrayIcon::Offline
        } else {
            TrayIcon::Normal
        };
        let counts: Vec<(String, usize)> = facts
            .accounts
            .iter()
            .map(|a| (a.name.clone().unwrap_or_default(), a.unreviewed))
            .collect();
        let paused = facts.paused_until.filter(|until| *until > now);
        Self {
            icon,
            tooltip: w
                .tooltip(offline && unreviewed == 0, unreviewed > 0)
                .to_owned(),
            count: w.alert_counts(&counts),
            open: w.open().to_owned(),
            revoke_others: w.sign_out_others_menu().to_owned(),
            revoke_others_enabled: facts.signed_in,
            pause: match paused {
                Some(until) => w.resume_alerts(until),
                None => w.pause_an_hour().to_owned(),
            },
            quit: w.quit().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(unreviewed: usize, phase: SyncPhase) -> TrayAccount {
        TrayAccount {
            name: None,
            unreviewed,
            phase,
        }
    }

    fn facts(accounts: Vec<TrayAccount>) -> TrayFacts {
        TrayFacts {
            accounts,
            signed_in: true,
            paused_until: None,
            language: Language::En,
        }
    }

    #[test]
    fn alerts_anywhere_outrank_being_offline() {
        let now = Utc::now();
        let model = TrayModel::of(
            &facts(vec![
                account(0, SyncPhase::Offline),
                account(2, SyncPhase::Idle),
            ]),
            now,
        );
        assert_eq!(model.icon, TrayIcon::Alert);
        let grey = TrayModel::of(
            &facts(vec![
                account(0, SyncPhase::Idle),
                account(0, SyncPhase::SignedOut),
            ]),
            now,
        );
        assert_eq!(grey.icon, TrayIcon::Offline);
        assert_eq!(TrayModel::of(&facts(vec![]), now).icon, TrayIcon::Offline);
        let fine = TrayModel::of(&facts(vec![account(0, SyncPhase::Syncing)]), now);
        assert_eq!(fine.icon, TrayIcon::Normal);
        assert_ne!(fine.tooltip, model.tooltip);
    }

    #[test]
    fn the_pause_entry_offers_to_resume_only_while_paused() {
        let now = Utc::now();
        let mut paused = facts(vec![account(0, SyncPhase::Idle)]);
        paused.paused_until = Some(now + chrono::TimeDelta::minutes(30));
        let during = TrayModel::of(&paused, now);
        let after = TrayModel::of(&paused, now + chrono::TimeDelta::hours(1));
        assert_ne!(during.pause, after.pause);
        assert_eq!(after.pause, Wording(Language::En).pause_an_hour());
        paused.signed_in = false;
        assert!(!TrayModel::of(&paused, now).revoke_others_enabled);
    }

    #[test]
    fn the_menu_speaks_the_chosen_language() {
        let now = Utc::now();
        let mut arabic = facts(vec![account(1, SyncPhase::Idle)]);
        arabic.language = Language::Ar;
        let ar = TrayModel::of(&arabic, now);
        let en = TrayModel::of(&facts(vec![account(1, SyncPhase::Idle)]), now);
        assert_ne!(ar.quit, en.quit);
        assert_ne!(ar.count, en.count);
    }
}
