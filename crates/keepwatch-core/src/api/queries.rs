//! The API's queries: answers from the local history and this process's state alone, never
//! from the network.

use std::sync::Arc;

use chrono::Utc;

use super::FocusRequest;
use super::{
    About, AccountStatus, AccountSummary, AlertFilter, AlertRecord, AlertsPage, Api, DemoDefaults,
    HistoryFilter, HistoryPage, SessionItem, SessionsPage, Settings, SyncStatus, TrayAccount,
    TrayFacts,
};
use crate::error::Result;
use crate::history::HistoryQuery;
use crate::wording::Language;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Api {
    /// The account the views show when none is named, if there is one.
    pub fn active_account_id(&self) -> Option<String> {
        self.resolve(None).ok()
    }

    /// Every account, in the order they were added.
    pub fn accounts(&self) -> Vec<AccountSummary> {
        self.kw.accounts(self.active_account_id().as_deref())
    }

    /// The sync status of the account `selector` names (see [`Api::account`]); with no
    /// account at all, signed out of none.
    pub fn status(&self, selector: Option<&str>) -> Result<SyncStatus> {
        match self.account(selector) {
            Ok(account) => Ok(self.status_of(&account)),
            Err(crate::Error::NoAccount) => Ok(SyncStatus::signed_out(None)),
            Err(e) => Err(e),
        }
    }

    /// How the account stands: its status and what its history counts.
    pub async fn account_status(&self, selector: Option<&str>) -> Result<AccountStatus> {
        let account = self.account(selector)?;
        let (active, open, cursor) = account
            .db(|h| {
                use crate::AlertState as Stored;
                let active = h.active_sessions()?.len();
                // Undecided: what `AlertState::is_undecided` calls open.
                let open = h.count_alerts_in(&[Stored::New, Stored::Acknowledged])?;
                Ok((active, open, h.last_event_id()?))
            })
            .await?;
        Ok(AccountStatus {
            account: AccountSummary::of(
                account.config(),
                self.kw.dirs(),
                self.active_account_id().as_deref(),
            ),
            status: self.status_of(&account),
            active_sessions: count(active),
            open_alerts: u32::try_from(open).unwrap_or(u32::MAX),
            last_event_id: cursor,
        })
    }

    /// The active sessions, most recently active first, as history last saw them.
    pub async fn sessions(&self, selector: Option<&str>) -> Result<SessionsPage> {
        let account = self.account(selector)?;
        let own = account.config().session_id.clone();
        let mine = own.clone();
        let sessions = account
            .db(move |h| {
                let active = h.active_sessions()?;
                let ids: Vec<String> = active.iter().map(|r| r.id.clone()).collect();
                let alerts = h.alerts_about(&ids)?;
                Ok(active
                    .iter()
                    .map(|r| SessionItem::of(r, mine.as_deref(), &alerts))
                    .collect())
            })
            .await?;
        Ok(SessionsPage {
            status: self.status_of(&account),
            current_session_id: own.unwrap_or_default(),
            sessions,
        })
    }

    /// Alerts matching `filter`, newest first.
    pub async fn alerts(&self, selector: Option<&str>, filter: AlertFilter) -> Result<AlertsPage> {
        let account = self.account(selector)?;
        let alerts = account
            .db(move |h| {
                Ok(h.query_alerts(&HistoryQuery::default())?
                    .into_iter()
                    .map(AlertRecord::from)
                    .filter(|a| filter.state.is_none_or(|s| a.state == s))
                    .collect())
            })
            .await?;
        Ok(AlertsPage {
            status: self.status_of(&account),
            alerts,
        })
    }

    /// Sessions ever seen that match `filter`, most recently seen first, with what the filter
    /// menus can offer.
    pub async fn history(
        &self,
        selector: Option<&str>,
        filter: HistoryFilter,
    ) -> Result<HistoryPage> {
        let account = self.account(selector)?;
        let status = self.status_of(&account);
        account
            .db(move |h| super::history::history_page(h, status, &filter))
            .await
    }

    /// Where this Keepwatch keeps its files and logs.
    pub fn about(&self) -> About {
        let dirs = self.kw.dirs();
        About {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            log_dir: dirs.log_dir.display().to_string(),
            config_file: dirs.config_file().display().to_string(),
            data_dir: dirs.data_dir.display().to_string(),
        }
    }

    /// The settings, as saved now.
    pub fn settings(&self) -> Settings {
        Settings::of(&self.kw.preferences())
    }

    /// The language the user chose, or the system's.
    pub fn language(&self) -> Language {
        Language::resolve(self.kw.preferences().language.as_deref())
    }

    /// What a notification or the tray asked a window to show, once.
    pub fn take_focus_request(&self) -> Option<FocusRequest> {
        self.state.lock().focus_request.take()
    }

    /// What `./run demo` asks the sign-in form to show (from `KEEPWATCH_DEMO_*`), if anything.
    pub fn demo_defaults(&self) -> Option<DemoDefaults> {
        let server_url = std::env::var("KEEPWATCH_DEMO_SERVER").ok()?;
        Some(DemoDefaults {
            server_url,
            email: std::env::var("KEEPWATCH_DEMO_EMAIL").unwrap_or_default(),
            password: std::env::var("KEEPWATCH_DEMO_PASSWORD").ok(),
        })
    }

    /// What the tray's look depends on now (see [`super::TrayModel::of`]): every
    /// account's unreviewed alerts and phase, the pause and the language.
    pub async fn tray_facts(self: &Arc<Self>) -> TrayFacts {
        let mut accounts = Vec::new();
        for summary in self.accounts() {
            let Ok(account) = self.account(Some(&summary.id)) else {
                continue;
            };
            let unreviewed = account
                .db(|h| h.count_alerts_in(&[crate::AlertState::New]))
                .await
                .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
            accounts.push(TrayAccount {
                name: account.notice_name(),
                unreviewed,
                phase: self.status_of(&account).phase,
            });
        }
        let prefs = self.kw.preferences();
        TrayFacts {
            accounts,
            signed_in: self.account(None).is_ok(),
            paused_until: prefs
                .notifications_paused_until
                .filter(|until| *until > Utc::now()),
            language: Language::resolve(prefs.language.as_deref()),
        }
    }
}
