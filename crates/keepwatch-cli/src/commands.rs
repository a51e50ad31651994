//! One function per command, each over the core's app-facing API ([`keepwatch_core::api`]):
//! reads sync first (a one-off command has no engine keeping history fresh) and then ask the
//! API, changes call the API's command, and everything is printed as a table or sentence for
//! people, or with `--json` as the API's own types.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use keepwatch_api::{ChangePasswordRequest, NewBlocklistEntry, SessionLength};
use keepwatch_core::api::{
    AlertFilter, AlertState, ExportFormat, HistoryFilter, SignInRequest, SyncStatus,
};
use keepwatch_core::provider::ProviderKind;
use keepwatch_core::{Api, Error as CoreError};
use keepwatch_l10n::msg;

use crate::cli::{
    BlocklistCommand, Command, ConfigCommand, GeoCommand, HistoryArgs, LoginArgs,
    SessionLengthCommand, TrustedDevicesCommand,
};
use crate::output::{say, text};
use crate::{exit, output, prompt, time};

/// What every command is given: the API, the account `--account` names, and whether to print
/// JSON.
pub struct Ctx {
    pub api: Arc<Api>,
    pub account: Option<String>,
    pub json: bool,
}

impl Ctx {
    fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// Prints `value` as JSON, or for people with `human`.
    fn show<T: serde::Serialize>(&self, value: &T, human: impl FnOnce(&T)) -> Result<()> {
        if self.json {
            output::json(value)
        } else {
            human(value);
            Ok(())
        }
    }

    /// Syncs the account now, so that what is read next is fresh; when the server cannot be
    /// asked, says so on stderr (for people) and goes on with the history.
    async fn synced(&self) -> Result<SyncStatus> {
        let status = self.api.sync_now(self.account()).await?;
        if !self.json {
            output::freshness(&status);
        }
        Ok(status)
    }
}

/// Runs `command`.
pub async fn run(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        // Printed by main() before any configuration is read.
        Command::Completions { .. } | Command::Man => Ok(()),
        Command::Login(args) => login(ctx, args).await,
        Command::Logout {
            keep_history,
            forget_history,
        } => logout(ctx, keep_history, forget_history).await,
        Command::Accounts => accounts(ctx),
        Command::Status => status(ctx).await,
        Command::Sessions => sessions(ctx).await,
        Command::Revoke {
            id,
            all_others,
            yes,
            password_stdin,
        } => revoke(ctx, id, all_others, yes, password_stdin).await,
        Command::Trust { id } => trust(ctx, &id).await,
        Command::Alerts { state } => alerts(ctx, state).await,
        Command::Ack { key } => ack(ctx, &key).await,
        Command::Travel { until, off } => travel(ctx, until, off),
        Command::History(args) => history(ctx, args).await,
        Command::Export { format, output } => export(ctx, format, output).await,
        Command::Watch {
            no_notify,
            poll_interval,
        } => crate::watch::watch(ctx, no_notify, poll_interval).await,
        Command::Password { stdin } => password(ctx, stdin).await,
        Command::TwoFactorReset {
            output,
            password_stdin,
        } => two_factor_reset(ctx, &output, password_stdin).await,
        Command::Blocklist { action } => blocklist(ctx, action).await,
        Command::SessionLength { action } => session_length(ctx, action).await,
        Command::TrustedDevices { action } => trusted_devices(ctx, action).await,
        Command::Config { action } => config(ctx, action),
        Command::Geo { action } => geo(ctx, action).await,
        Command::Withdrawals { limit } => withdrawals(ctx, limit).await,
        Command::LoginHistory { limit } => login_history(ctx, limit).await,
    }
}

/// `keepwatch login`.
async fn login(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let (name, provider) = match (args.email, args.user) {
        (Some(email), _) => (email, None),
        (None, Some(user)) => (user, Some(ProviderKind::Matrix)),
        (None, None) => bail!(exit::Usage(text(msg::CLI_GIVE_EMAIL_OR_USER))),
    };
    // Check the URL before asking for a password.
    keepwatch_core::account_id(&args.server, &name)?;
    let password = if args.password_stdin {
        prompt::stdin_line()?
    } else {
        prompt::password(&say(
            msg::CLI_PASSWORD_FOR,
            &[("name", name.as_str().into())],
        ))?
    };
    let mut request = SignInRequest {
        provider,
        server_url: args.server,
        email: name,
        password,
        totp_code: args.totp,
        backup_code: args.backup_code,
        trust_existing: args.trust_existing,
        // `watch` and every other command run as separate processes: only the keyring
        // carries a sign-in from one to the next.
        remember: true,
        trust_device: args.trust_device,
        ca_cert: args
            .ca_cert
            .map(|p| {
                std::fs::canonicalize(&p).with_context(|| {
                    let path = p.display().to_string();
                    say(msg::CLI_CANNOT_READ_CA, &[("path", path.into())])
                })
            })
            .transpose()?,
    };
    let signed = match ctx.api.sign_in(request.clone()).await {
        Err(CoreError::TotpRequired)
            if request.totp_code.is_none() && request.backup_code.is_none() =>
        {
            request.totp_code = Some(prompt::text(&text(msg::CLI_TWO_FACTOR_CODE))?);
            ctx.api.sign_in(request).await?
        }
        other => other?,
    };
    ctx.show(&signed, |s| {
        let args = [
            ("account", s.account.id.clone().into()),
            ("sessions", s.sessions.into()),
            ("alerts", s.alerts.into()),
        ];
        println!("{}", say(msg::CLI_SIGNED_IN, &args))
    })
}

/// `keepwatch logout`.
async fn logout(ctx: &Ctx, keep_history: bool, forget_history: bool) -> Result<()> {
    let id = ctx.api.account(ctx.account())?.id().to_owned();
    let keep = if keep_history {
        true
    } else if forget_history {
        false
    } else {
        let question = say(msg::CLI_KEEP_HISTORY, &[("account", id.as_str().into())]);
        prompt::confirm(&question, true)?
    };
    ctx.api.sign_out(Some(&id), !keep).await?;
    if ctx.json {
        return output::json(&ctx.api.accounts());
    }
    let message = if keep {
        msg::CLI_SIGNED_OUT_HISTORY_KEPT
    } else {
        msg::CLI_SIGNED_OUT_HISTORY_DELETED
    };
    println!("{}", say(message, &[("account", id.into())]));
    Ok(())
}

/// `keepwatch accounts`.
fn accounts(ctx: &Ctx) -> Result<()> {
    ctx.show(&ctx.api.accounts(), |a| output::accounts(a))
}

/// `keepwatch status`.
async fn status(ctx: &Ctx) -> Result<()> {
    ctx.api.sync_now(ctx.account()).await?;
    let status = ctx.api.account_status(ctx.account()).await?;
    ctx.show(&status, output::status)
}

/// `keepwatch sessions`.
async fn sessions(ctx: &Ctx) -> Result<()> {
    ctx.synced().await?;
    let page = ctx.api.sessions(ctx.account()).await?;
    let first_login_known = ctx.api.capabilities(ctx.account())?.first_login;
    ctx.show(&page, |p| output::sessions(p, first_login_known))
}

/// `keepwatch revoke`.
async fn revoke(
    ctx: &Ctx,
    id: Option<String>,
    all_others: bool,
    yes: bool,
    password_stdin: bool,
) -> Result<()> {
    if all_others {
        if !yes && !prompt::confirm(&text(msg::CLI_CONFIRM_SIGN_OUT_OTHERS), false)? {
            return Err(exit::Cancelled.into());
        }
        let password = sign_out_password(ctx, password_stdin)?;
        let answer = ctx
            .api
            .revoke_others(ctx.account(), password.as_deref().map(String::as_str))
            .await?;
        return ctx.show(&answer, |a| {
            println!(
                "{}",
                say(msg::SIGNED_OUT_OTHERS, &[("count", a.revoked.into())])
            )
        });
    }
    let Some(id) = id else {
        bail!(exit::Usage(text(msg::CLI_GIVE_SESSION_OR_ALL_OTHERS)));
    };
    let password = sign_out_password(ctx, password_stdin)?;
    ctx.api
        .revoke_session(ctx.account(), &id, password.as_deref().map(String::as_str))
        .await?;
    if ctx.json {
        return output::json(&ctx.api.sessions(ctx.account()).await?);
    }
    println!("{}", say(msg::CLI_SIGNED_OUT_SESSION, &[("id", id.into())]));
    Ok(())
}

/// The account's password, asked for now where its provider confirms sign-outs with it
/// (Matrix); never kept.
fn sign_out_password(ctx: &Ctx, from_stdin: bool) -> Result<Option<zeroize::Zeroizing<String>>> {
    if !ctx.api.capabilities(ctx.account())?.sign_out_needs_password {
        return Ok(None);
    }
    let password = if from_stdin {
        prompt::stdin_line()?
    } else {
        prompt::password(&text(msg::CLI_SIGN_OUT_PASSWORD))?
    };
    Ok(Some(zeroize::Zeroizing::new(password)))
}

/// `keepwatch trust`.
async fn trust(ctx: &Ctx, id: &str) -> Result<()> {
    ctx.api.confirm_session(ctx.account(), id).await?;
    if ctx.json {
        return output::json(&ctx.api.sessions(ctx.account()).await?);
    }
    println!("{}", say(msg::CLI_TRUSTED_SESSION, &[("id", id.into())]));
    Ok(())
}

/// `keepwatch alerts`.
async fn alerts(ctx: &Ctx, state: Option<AlertState>) -> Result<()> {
    ctx.synced().await?;
    let page = ctx.api.alerts(ctx.account(), AlertFilter { state }).await?;
    ctx.show(&page, |p| output::alerts(&p.alerts))
}

/// `keepwatch ack`.
async fn ack(ctx: &Ctx, key: &str) -> Result<()> {
    let alert = ctx
        .api
        .set_alert_state(ctx.account(), key, AlertState::Acknowledged)
        .await?;
    ctx.show(&alert, |a| {
        let args = [("key", a.alert.key.as_str().into())];
        println!("{}", say(msg::CLI_ALERT_ACKNOWLEDGED, &args))
    })
}

/// `keepwatch travel`.
fn travel(ctx: &Ctx, until: Option<String>, off: bool) -> Result<()> {
    let until = match (until, off) {
        (_, true) => None,
        (Some(when), false) => Some(time::parse_until(&when, chrono::Utc::now())?),
        (None, false) => bail!(exit::Usage(text(msg::CLI_GIVE_UNTIL_OR_OFF))),
    };
    let settings = ctx.api.set_travel(until)?;
    ctx.show(&settings, |s| match s.travel_mode_until {
        Some(t) => {
            let args = [("until", time::local(t).into())];
            println!("{}", say(msg::CLI_TRAVEL_ON, &args))
        }
        None => println!("{}", text(msg::CLI_TRAVEL_OFF)),
    })
}

/// `keepwatch history`.
async fn history(ctx: &Ctx, args: HistoryArgs) -> Result<()> {
    let now = chrono::Utc::now();
    let when = |s: Option<String>| s.map(|s| time::parse_when(&s, now)).transpose();
    let filter = HistoryFilter {
        from: when(args.since)?,
        to: when(args.until)?,
        country_code: args.country,
        device_contains: args.device,
        text: args.text,
        limit: args.limit,
        ..Default::default()
    };
    ctx.synced().await?;
    let page = ctx.api.history(ctx.account(), filter).await?;
    ctx.show(&page, output::history)
}

/// `keepwatch export`.
async fn export(ctx: &Ctx, format: ExportFormat, output: Option<PathBuf>) -> Result<()> {
    match &output {
        Some(path) => {
            let result = ctx
                .api
                .export_history_to(ctx.account(), format, path, output::export_progress)
                .await
                .with_context(|| {
                    let path = path.display().to_string();
                    say(msg::CLI_CANNOT_EXPORT, &[("path", path.into())])
                })?;
            if ctx.json {
                return output::json(&result);
            }
            let args = [("path", path.display().to_string().into())];
            eprintln!("{}", say(msg::CLI_EXPORTED_TO, &args));
            Ok(())
        }
        // The export is the output: `--json` changes nothing here.
        None => {
            let out = Box::new(std::io::BufWriter::new(std::io::stdout()));
            ctx.api
                .export_history(ctx.account(), format, out, output::export_progress)
                .await?;
            Ok(())
        }
    }
}

/// `keepwatch geo`.
async fn geo(ctx: &Ctx, action: GeoCommand) -> Result<()> {
    let status = match action {
        GeoCommand::Status => ctx.api.geo_status()?,
        GeoCommand::Import { files } => ctx.api.import_geo(&files).await?,
        GeoCommand::Update => ctx.api.update_geo(&mut output::geo_progress).await?,
        GeoCommand::Folder { folder } => {
            let chosen = (folder != "none").then_some(folder);
            ctx.api.set_location_data_folder(chosen).await?
        }
    };
    ctx.show(&status, output::geo_status)
}

/// `keepwatch password`.
async fn password(ctx: &Ctx, stdin: bool) -> Result<()> {
    let (current, new) = if stdin {
        let current = prompt::stdin_line()?;
        let new = prompt::stdin_line()?;
        (current, new)
    } else {
        let current = prompt::password(&text(msg::CURRENT_PASSWORD))?;
        let new = prompt::password(&text(msg::NEW_PASSWORD))?;
        let again = zeroize::Zeroizing::new(prompt::password(&text(msg::REPEAT_PASSWORD))?);
        if *again != new {
            bail!(text(msg::CLI_PASSWORDS_DIFFER));
        }
        (current, new)
    };
    let answer = ctx
        .api
        .change_password(
            ctx.account(),
            &ChangePasswordRequest {
                current_password: current,
                new_password: new,
            },
        )
        .await?;
    ctx.show(&answer, |a| {
        let args = [("count", a.revoked_sessions.into())];
        println!("{}", say(msg::PASSWORD_CHANGED, &args))
    })
}

/// `keepwatch 2fa-reset`: the new secret goes to a private file, never to the terminal or
/// the JSON.
async fn two_factor_reset(ctx: &Ctx, output: &Path, password_stdin: bool) -> Result<()> {
    let mut file = prompt::create_private(output)?;
    let password = if password_stdin {
        prompt::stdin_line()?
    } else {
        prompt::password(&text(msg::PASSWORD))?
    };
    let answer = match ctx.api.reset_two_factor(ctx.account(), password).await {
        Ok(a) => a.reset,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(output);
            return Err(e.into());
        }
    };
    writeln!(file, "secret: {}", answer.secret)?;
    writeln!(file, "otpauth_uri: {}", answer.otpauth_uri)?;
    writeln!(file, "backup_codes:")?;
    for code in &answer.backup_codes {
        writeln!(file, "  - {code}")?;
    }
    file.flush()?;
    let written = serde_json::json!({
        "path": output.display().to_string(),
        "backup_codes": answer.backup_codes.len(),
    });
    ctx.show(&written, |_| {
        let args = [
            ("codes", answer.backup_codes.len().into()),
            ("path", output.display().to_string().into()),
        ];
        println!("{}", say(msg::CLI_TWO_FACTOR_RESET, &args))
    })
}

/// `keepwatch blocklist`.
async fn blocklist(ctx: &Ctx, action: BlocklistCommand) -> Result<()> {
    let account = ctx.account();
    match action {
        BlocklistCommand::List => {
            ctx.show(&ctx.api.blocklist(account).await?, |l| output::blocklist(l))
        }
        BlocklistCommand::Add { address, note } => {
            let entry = ctx
                .api
                .add_block(account, &NewBlocklistEntry { address, note })
                .await?;
            ctx.show(&entry, |e| {
                let args = [
                    ("range", e.cidr.as_str().into()),
                    ("id", e.id.as_str().into()),
                ];
                println!("{}", say(msg::CLI_BLOCKED, &args))
            })
        }
        BlocklistCommand::Remove { id } => {
            ctx.api.remove_block(account, &id).await?;
            if ctx.json {
                return output::json(&ctx.api.blocklist(account).await?);
            }
            println!("{}", say(msg::CLI_BLOCK_REMOVED, &[("id", id.into())]));
            Ok(())
        }
    }
}

/// `keepwatch session-length`.
async fn session_length(ctx: &Ctx, action: SessionLengthCommand) -> Result<()> {
    let length = match action {
        SessionLengthCommand::Get => ctx.api.session_length(ctx.account()).await?,
        SessionLengthCommand::Set {
            web_days,
            mobile_days,
        } => {
            let value = SessionLength {
                web_idle_days: web_days,
                mobile_idle_days: mobile_days,
            };
            ctx.api.set_session_length(ctx.account(), &value).await?
        }
    };
    ctx.show(&length, |l| {
        let args = [
            ("web", l.web_idle_days.into()),
            ("mobile", l.mobile_idle_days.into()),
        ];
        println!("{}", say(msg::CLI_SESSION_LENGTH, &args))
    })
}

/// `keepwatch trusted-devices`.
async fn trusted_devices(ctx: &Ctx, action: TrustedDevicesCommand) -> Result<()> {
    let account = ctx.account();
    if let TrustedDevicesCommand::Forget { id } = &action {
        ctx.api.forget_trusted_device(account, id).await?;
        if !ctx.json {
            let args = [("id", id.as_str().into())];
            println!("{}", say(msg::CLI_FORGOT_TRUSTED_DEVICE, &args));
            return Ok(());
        }
    }
    ctx.show(&ctx.api.trusted_devices(account).await?, |l| {
        output::trusted_devices(l)
    })
}

/// `keepwatch config`.
fn config(ctx: &Ctx, action: ConfigCommand) -> Result<()> {
    match action {
        ConfigCommand::Get { key: Some(key) } => {
            let value = ctx.api.settings().get(&key)?;
            ctx.show(&value, |v| println!("{}", output::setting_value(v)))
        }
        ConfigCommand::Get { key: None } => ctx.show(&ctx.api.settings(), output::settings),
        ConfigCommand::Set { key, value } => {
            let settings = match ctx.api.set_setting(&key, &value) {
                // A value the setting cannot take is the command line's fault.
                Err(CoreError::Invalid(why)) => bail!(exit::Usage(why)),
                other => other?,
            };
            ctx.show(&settings, |s| {
                let now = s.get(&key).unwrap_or_default();
                println!("{key} = {}", output::setting_value(&now))
            })
        }
    }
}

/// `keepwatch withdrawals`.
async fn withdrawals(ctx: &Ctx, limit: Option<u32>) -> Result<()> {
    let list = ctx.api.withdrawals(ctx.account(), limit).await?;
    ctx.show(&list, |l| output::withdrawals(l))
}

/// `keepwatch login-history`.
async fn login_history(ctx: &Ctx, limit: Option<u32>) -> Result<()> {
    let list = ctx.api.login_history(ctx.account(), limit).await?;
    ctx.show(&list, |l| output::login_history(l))
}
