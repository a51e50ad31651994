//! The API's commands: what changes things, on the server and in history. Each publishes
//! what it changed, so no front end refreshes anything by hand.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use keepwatch_api::{
    BlocklistEntry, ChangePasswordRequest, ChangePasswordResponse, LoginAttempt, NewBlocklistEntry,
    RevokeOthersResponse, SessionLength, TrustedDevice, TwoFactorResetRequest, Withdrawal,
};

use super::{
    AlertRecord, AlertState, Api, Change, ExportFormat, ExportResult, FocusRequest, NewTwoFactor,
    Settings, SignInRequest, SignedIn, SyncStatus,
};
use crate::account::shows_history_instead;
use crate::error::{Error, Result};
use crate::export::ExportProgress;
use crate::Account;

impl Api {
    /// Asks the account's server for everything new now and records it; the status says how
    /// that went. Being offline or signed out is not an error here (the history is still
    /// worth showing, and the status says why it is not fresh); other failures are.
    pub async fn sync_now(&self, selector: Option<&str>) -> Result<SyncStatus> {
        let account = self.account(selector)?;
        let before = self.status_of(&account);
        let outcome = account.sync().await;
        let status = match &outcome {
            Ok(_) => before.after_sync(Ok(Utc::now())),
            Err(e) => before.after_sync(Err(e)),
        };
        self.set_status(status.clone());
        let id = account.id().to_owned();
        match outcome {
            Ok(report) => {
                for alert in report.new_alerts {
                    self.publish(Change::Alert {
                        account_id: id.clone(),
                        alert: alert.into(),
                    });
                }
            }
            Err(e) if shows_history_instead(&e) => {
                tracing::warn!(error = %e, "showing history: the server could not be asked");
            }
            Err(e) => return Err(e),
        }
        self.publish(Change::Sessions { account_id: id });
        Ok(status)
    }

    /// Signs in, makes the account the active one, and (while watching) starts its engine.
    pub async fn sign_in(self: &Arc<Self>, request: SignInRequest) -> Result<SignedIn> {
        let mut signed = self.kw.login(request).await?;
        let id = signed.account.id.clone();
        {
            let mut state = self.state.lock();
            state.active = Some(id.clone());
            state.statuses.remove(&id);
        }
        signed.account.active = true;
        let account = self.account(Some(&id))?;
        self.set_status(self.status_of(&account).after_sync(Ok(Utc::now())));
        self.watch_if_watching(&id);
        self.publish(Change::Accounts);
        self.publish(Change::Sessions { account_id: id });
        Ok(signed)
    }

    /// Ends the account's session, on the server too (best effort), and forgets its keyring
    /// entries; `forget` deletes its history as well. Another account, if any, becomes active.
    pub async fn sign_out(&self, selector: Option<&str>, forget: bool) -> Result<()> {
        let account = self.account(selector)?;
        let id = account.id().to_owned();
        self.unwatch(&id);
        {
            let mut state = self.state.lock();
            state.open.remove(&id);
            state.statuses.remove(&id);
            if state.active.as_deref() == Some(id.as_str()) {
                state.active = None;
            }
        }
        self.kw.logout(account, !forget).await?;
        self.publish(Change::Accounts);
        self.announce_active();
        Ok(())
    }

    /// Makes `account_id` the account shown when none is named.
    pub fn switch_account(&self, account_id: &str) -> Result<SyncStatus> {
        let id = self.resolve(Some(account_id))?;
        self.state.lock().active = Some(id);
        self.publish(Change::Accounts);
        Ok(self.announce_active())
    }

    /// Makes the first account added active when none is (a window's start), and says so.
    pub fn activate_default(&self) -> SyncStatus {
        let first = self.kw.config().accounts.first().map(|a| a.id.clone());
        {
            let mut state = self.state.lock();
            let valid = state
                .active
                .as_ref()
                .is_some_and(|id| self.kw.config().select(Some(id)).is_ok());
            if !valid {
                state.active = first;
            }
        }
        self.announce_active()
    }

    /// Tells everyone which account is active now and how it stands, whether or not that
    /// changed (a window that just switched needs both).
    fn announce_active(&self) -> SyncStatus {
        let status = match self.account(None) {
            Ok(account) => {
                let status = self.status_of(&account);
                self.publish(Change::Sessions {
                    account_id: account.id().to_owned(),
                });
                status
            }
            Err(_) => SyncStatus::signed_out(None),
        };
        self.publish(Change::Status {
            status: status.clone(),
        });
        status
    }

    /// Publishes every alert about `sessions` as it stands now (after a command resolved
    /// them).
    async fn publish_alerts_about(&self, account: &Account, sessions: Vec<String>) {
        let alerts = account
            .db(move |h| h.alerts_about(&sessions))
            .await
            .unwrap_or_default();
        for alert in alerts {
            self.publish(Change::Alert {
                account_id: account.id().to_owned(),
                alert: alert.into(),
            });
        }
        self.publish(Change::Sessions {
            account_id: account.id().to_owned(),
        });
    }

    /// Signs one session out; its open alerts count as acted on. `password` confirms it for
    /// providers that ask ([`crate::provider::Capabilities::sign_out_needs_password`]).
    pub async fn revoke_session(
        &self,
        selector: Option<&str>,
        session_id: &str,
        password: Option<&str>,
    ) -> Result<()> {
        let account = self.account(selector)?;
        account.revoke(session_id, password).await?;
        self.publish_alerts_about(&account, vec![session_id.to_owned()])
            .await;
        Ok(())
    }

    /// Signs every other session out (`password` as for [`Self::revoke_session`]).
    pub async fn revoke_others(
        &self,
        selector: Option<&str>,
        password: Option<&str>,
    ) -> Result<RevokeOthersResponse> {
        let account = self.account(selector)?;
        let before: Vec<String> = account
            .db(|h| Ok(h.active_sessions()?.into_iter().map(|s| s.id).collect()))
            .await?;
        let revoked = account.revoke_others(password).await?;
        self.publish_alerts_about(&account, before).await;
        Ok(RevokeOthersResponse { revoked })
    }

    /// "This was me": the session becomes familiar and its alerts are resolved.
    pub async fn confirm_session(&self, selector: Option<&str>, session_id: &str) -> Result<()> {
        let account = self.account(selector)?;
        account.trust(session_id).await?;
        self.publish_alerts_about(&account, vec![session_id.to_owned()])
            .await;
        Ok(())
    }

    /// Moves an alert along.
    pub async fn set_alert_state(
        &self,
        selector: Option<&str>,
        key: &str,
        state: AlertState,
    ) -> Result<AlertRecord> {
        let account = self.account(selector)?;
        account.set_alert_state(key, state.to_stored()).await?;
        let key = key.to_owned();
        let record = account
            .db(move |h| h.alert(&key))
            .await?
            .ok_or_else(|| Error::NotFound("the alert is gone".into()))?;
        let record = AlertRecord::from(record);
        self.publish(Change::Alert {
            account_id: account.id().to_owned(),
            alert: record.clone(),
        });
        Ok(record)
    }

    /// Writes the account's whole history to `out` as CSV (sessions) or JSON (sessions,
    /// events, alerts), streamed, telling `progress` how far it has got. Returns the rows
    /// written.
    pub async fn export_history(
        &self,
        selector: Option<&str>,
        format: ExportFormat,
        out: Box<dyn std::io::Write + Send>,
        progress: impl FnMut(ExportProgress) + Send + 'static,
    ) -> Result<u64> {
        self.account(selector)?.export(format, out, progress).await
    }

    /// [`Api::export_history`] into a new file at `path`.
    pub async fn export_history_to(
        &self,
        selector: Option<&str>,
        format: ExportFormat,
        path: &std::path::Path,
        progress: impl FnMut(ExportProgress) + Send + 'static,
    ) -> Result<ExportResult> {
        let account = self.account(selector)?;
        let file = std::fs::File::create(path)
            .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
        let rows = account.export(format, Box::new(file), progress).await?;
        Ok(ExportResult {
            path: Some(path.display().to_string()),
            rows: u32::try_from(rows).unwrap_or(u32::MAX),
        })
    }

    /// Changes the password; the server signs every other session out.
    pub async fn change_password(
        &self,
        selector: Option<&str>,
        request: &ChangePasswordRequest,
    ) -> Result<ChangePasswordResponse> {
        let account = self.account(selector)?;
        let answer = account
            .client_for("changing the password")?
            .change_password(request)
            .await?;
        self.publish(Change::Sessions {
            account_id: account.id().to_owned(),
        });
        Ok(answer)
    }

    /// Replaces the 2FA secret and backup codes; the answer is shown once and not kept.
    pub async fn reset_two_factor(
        &self,
        selector: Option<&str>,
        password: String,
    ) -> Result<NewTwoFactor> {
        let account = self.account(selector)?;
        let answer = account
            .client_for("resetting two-factor authentication")?
            .reset_two_factor(&TwoFactorResetRequest { password })
            .await?;
        self.publish(Change::Sessions {
            account_id: account.id().to_owned(),
        });
        Ok(answer.into())
    }

    /// Recent withdrawals, from the server.
    pub async fn withdrawals(
        &self,
        selector: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<Withdrawal>> {
        self.account(selector)?
            .client_for("the withdrawals list")?
            .withdrawals(limit)
            .await
    }

    /// Sign-in attempts, successful and failed, from the server.
    pub async fn login_history(
        &self,
        selector: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<LoginAttempt>> {
        self.account(selector)?
            .client_for("the sign-in log")?
            .login_history(limit)
            .await
    }

    /// The IP blocklist, from the server.
    pub async fn blocklist(&self, selector: Option<&str>) -> Result<Vec<BlocklistEntry>> {
        self.account(selector)?
            .client_for("the IP blocklist")?
            .blocklist()
            .await
    }

    /// Blocks an address or range.
    pub async fn add_block(
        &self,
        selector: Option<&str>,
        entry: &NewBlocklistEntry,
    ) -> Result<BlocklistEntry> {
        self.account(selector)?
            .client_for("the IP blocklist")?
            .add_blocklist_entry(entry)
            .await
    }

    /// Unblocks.
    pub async fn remove_block(&self, selector: Option<&str>, id: &str) -> Result<()> {
        self.account(selector)?
            .client_for("the IP blocklist")?
            .remove_blocklist_entry(id)
            .await
    }

    /// The idle lifetimes, from the server.
    pub async fn session_length(&self, selector: Option<&str>) -> Result<SessionLength> {
        self.account(selector)?
            .client_for("the session length setting")?
            .session_length()
            .await
    }

    /// Sets the idle lifetimes.
    pub async fn set_session_length(
        &self,
        selector: Option<&str>,
        value: &SessionLength,
    ) -> Result<SessionLength> {
        self.account(selector)?
            .client_for("the session length setting")?
            .set_session_length(value)
            .await
    }

    /// Devices that skip the 2FA prompt, from the server.
    pub async fn trusted_devices(&self, selector: Option<&str>) -> Result<Vec<TrustedDevice>> {
        self.account(selector)?
            .client_for("the trusted devices list")?
            .trusted_devices()
            .await
    }

    /// Forgets a trusted device: its next sign-in asks for 2FA again.
    pub async fn forget_trusted_device(&self, selector: Option<&str>, id: &str) -> Result<()> {
        self.account(selector)?
            .client_for("the trusted devices list")?
            .forget_trusted_device(id)
            .await
    }

    /// Saves `settings` over the preferences saved now (the rest kept as another process may
    /// just have set them).
    pub fn set_settings(&self, settings: &Settings) -> Result<Settings> {
        if settings.location_data_folder != self.settings().location_data_folder {
            if let Some(folder) = &settings.location_data_folder {
                crate::geo_data::check_folder(std::path::Path::new(folder.trim()))?;
            }
        }
        self.kw
            .update_preferences(|prefs| *prefs = settings.apply(prefs.clone()))?;
        let now = self.settings();
        self.publish(Change::Settings {
            settings: now.clone(),
        });
        Ok(now)
    }

    /// Sets one setting by its key (see [`Settings::keys`]).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<Settings> {
        let changed = self.settings().set(key, value)?;
        self.set_settings(&changed)
    }

    /// Travel mode: foreign sign-ins of familiar devices alert as info until `until`; `None`
    /// ends it.
    pub fn set_travel(&self, until: Option<DateTime<Utc>>) -> Result<Settings> {
        let mut settings = self.settings();
        settings.travel_mode_until = until;
        self.set_settings(&settings)
    }

    /// Silences notifications for an hour (alerts are still recorded and listed), or ends the
    /// pause early. Returns until when they are paused now.
    pub fn toggle_pause(&self) -> Result<Option<DateTime<Utc>>> {
        let now = Utc::now();
        let mut until = None;
        self.kw.update_preferences(|prefs| {
            let paused = prefs.notifications_paused_until.is_some_and(|u| u > now);
            prefs.notifications_paused_until = (!paused).then(|| now + chrono::TimeDelta::hours(1));
            until = prefs.notifications_paused_until;
        })?;
        self.publish(Change::Settings {
            settings: self.settings(),
        });
        Ok(until)
    }

    /// Asks a window to come up and show `request` for account `account_id`: kept until a
    /// window takes it ([`Api::take_focus_request`]), since one built just now is not
    /// listening yet, and published for one already open.
    pub fn request_focus(&self, account_id: String, request: FocusRequest) {
        self.state.lock().focus_request = Some(request.clone());
        self.publish(Change::Focus {
            account_id,
            request,
        });
    }

    /// The tray's "Sign out every other session" for the active account, where only a window
    /// can do it: on an account whose server wants the password, asks a window to (and
    /// returns true); otherwise returns false, and the caller confirms and calls
    /// [`Api::revoke_others`] itself.
    pub fn sign_out_others_in_window(&self) -> Result<bool> {
        if !self.capabilities(None)?.sign_out_needs_password {
            return Ok(false);
        }
        let id = self.active_account_id().ok_or(Error::NoAccount)?;
        self.request_focus(id, FocusRequest::SignOutOthers);
        Ok(true)
    }
}
