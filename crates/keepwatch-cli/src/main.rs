//! `keepwatch`: the companion core from a terminal. Sign in, list and end sessions, review
//! history offline, and watch the account in the foreground with desktop notifications.

mod exit;
mod output;
mod prompt;
mod time;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use keepwatch_api::{
    ChangePasswordRequest, NewBlocklistEntry, SessionLength, TwoFactorResetRequest,
};
use keepwatch_core::notifier::NoticeAction;
use keepwatch_core::{
    AlertState, DesktopNotifier, Error as CoreError, ExportFormat, HistoryQuery, Keepwatch,
    LoginParams, Notifier, SyncEngine, SyncMode, SyncOptions, SyncUpdate,
};

#[derive(Parser, Debug)]
#[command(
    name = "keepwatch",
    version,
    about = "Watch an account's sessions and raise alerts"
)]
struct Cli {
    /// Folder for configuration and history (default: the platform's folders).
    #[arg(long, global = true, env = "KEEPWATCH_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The account to use when several exist: EMAIL@SERVER (or EMAIL when unique).
    #[arg(long, global = true, value_name = "EMAIL@SERVER")]
    account: Option<String>,
    /// More log output on stderr (-v: info, -vv: debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Sign in to an account and start keeping its history.
    Login(LoginArgs),
    /// Sign out and forget the stored token.
    Logout {
        /// Keep the account's history on disk.
        #[arg(long, conflicts_with = "forget_history")]
        keep_history: bool,
        /// Delete the account's history.
        #[arg(long)]
        forget_history: bool,
    },
    /// List the accounts added.
    Accounts {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the account's state.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List active sessions (offline: from history).
    Sessions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign a session out.
    Revoke {
        /// The session id (see `sessions`).
        #[arg(required_unless_present = "all_others", conflicts_with = "all_others")]
        id: Option<String>,
        /// Sign out every session but Keepwatch's own.
        #[arg(long)]
        all_others: bool,
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
    /// "This was me": trust a session, so it and its device and country stop alerting.
    Trust {
        /// The session id.
        id: String,
    },
    /// List alerts (offline: from history).
    Alerts {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only alerts in this state.
        #[arg(long, value_enum)]
        state: Option<StateArg>,
    },
    /// Mark an alert as seen (acknowledged) without deciding anything.
    Ack {
        /// The alert key (see `alerts`), e.g. session:ses_….
        key: String,
    },
    /// Travel mode: foreign sign-ins of familiar devices alert as info until the given time.
    Travel {
        /// Until when: RFC 3339, YYYY-MM-DD, or a duration from now (3d, 2w).
        #[arg(long, conflicts_with = "off", required_unless_present = "off")]
        until: Option<String>,
        /// End travel mode now.
        #[arg(long)]
        off: bool,
    },
    /// Every session ever seen (offline: from history).
    History(HistoryArgs),
    /// Export history.
    Export {
        /// File format.
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Watch every account (or the one --account names) in the foreground: one line per
    /// alert, desktop notifications.
    Watch {
        /// Do not show desktop notifications.
        #[arg(long)]
        no_notify: bool,
        /// Seconds between polls when the event stream is unavailable.
        #[arg(long, value_name = "SECS")]
        poll_interval: Option<u64>,
        /// Print alerts as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Change the account's password (every other session ends).
    Password {
        /// Read the current and the new password from standard input, one per line.
        #[arg(long)]
        stdin: bool,
    },
    /// Replace the 2FA secret and backup codes; they are written to a file, not printed.
    #[command(name = "2fa-reset")]
    TwoFactorReset {
        /// File to write the new secret, otpauth URI and backup codes to (created, mode 0600).
        #[arg(long, short)]
        output: PathBuf,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The account's IP blocklist.
    Blocklist {
        #[command(subcommand)]
        action: BlocklistCommand,
    },
    /// How long idle sessions live.
    SessionLength {
        #[command(subcommand)]
        action: SessionLengthCommand,
    },
    /// Recent withdrawals.
    Withdrawals {
        /// How many.
        #[arg(long)]
        limit: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign-in attempts, successful and failed.
    LoginHistory {
        /// How many.
        #[arg(long)]
        limit: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a completion script for SHELL (bash, zsh, fish, elvish, powershell), e.g.
    /// `keepwatch completions bash > ~/.local/share/bash-completion/completions/keepwatch`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `keepwatch man | man -l -`.
    Man,
}

#[derive(Args, Debug)]
struct LoginArgs {
    /// The account server's URL (https://, or http:// to this machine).
    #[arg(long)]
    server: String,
    /// The account's email.
    #[arg(long)]
    email: String,
    /// Read the password from standard input instead of prompting.
    #[arg(long)]
    password_stdin: bool,
    /// A TOTP code (else prompted when the server asks).
    #[arg(long, value_name = "CODE")]
    totp: Option<String>,
    /// A backup code instead of a TOTP code.
    #[arg(long, value_name = "CODE")]
    backup_code: Option<String>,
    /// Trust the sessions that exist now: they and their devices and countries do not alert.
    #[arg(long)]
    trust_existing: bool,
    /// Ask the server to trust this computer, so that later sign-ins skip the 2FA prompt.
    #[arg(long)]
    trust_device: bool,
    /// PEM file of the CA that signed a self-hosted server's certificate.
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct HistoryArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Seen since: RFC 3339, YYYY-MM-DD (local), or a duration ago (30m, 24h, 7d).
    #[arg(long)]
    since: Option<String>,
    /// Seen before: same forms as --since.
    #[arg(long)]
    until: Option<String>,
    /// Country code or name.
    #[arg(long)]
    country: Option<String>,
    /// Part of the device label.
    #[arg(long)]
    device: Option<String>,
    /// Free text: device, IP, ISP, city, country.
    #[arg(long)]
    text: Option<String>,
    /// At most this many.
    #[arg(long)]
    limit: Option<u32>,
}

#[derive(Subcommand, Debug)]
enum BlocklistCommand {
    /// List entries.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Block an address or CIDR range.
    Add {
        /// IPv4/IPv6 address or range.
        address: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
    /// Unblock by entry id.
    Remove {
        /// Entry id (see `blocklist list`).
        id: String,
    },
}

#[derive(Subcommand, Debug)]
enum SessionLengthCommand {
    /// Show the idle lifetimes.
    Get {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change them.
    Set {
        /// Idle days of web and desktop sessions (1–30).
        #[arg(long)]
        web_days: u32,
        /// Idle days of mobile app sessions (1–90).
        #[arg(long)]
        mobile_days: u32,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum StateArg {
    New,
    Acknowledged,
    Confirmed,
    Acted,
}

impl From<StateArg> for AlertState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::New => AlertState::New,
            StateArg::Acknowledged => AlertState::Acknowledged,
            StateArg::Confirmed => AlertState::Confirmed,
            StateArg::Acted => AlertState::Acted,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // These two describe the command line itself: no configuration is read, no runtime needed.
    let described = match cli.command {
        Command::Completions { shell } => Some(completions(shell)),
        Command::Man => Some(man_page()),
        _ => None,
    };
    if let Some(result) = described {
        return finish(result);
    }
    let filter = match cli.verbose {
        0 => "warn",
        1 => "info,keepwatch_core=info",
        // Our crates only: dependencies' debug output is noise and could echo request details.
        _ => "warn,keepwatch=debug,keepwatch_core=debug",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KEEPWATCH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("keepwatch: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    finish(runtime.block_on(run(cli)))
}

/// The exit status of a command's result, its error said on one line first.
fn finish(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepwatch: {}", one_line(&e));
            exit::status_of(&e).into()
        }
    }
}

/// `keepwatch completions SHELL`: the shell's completion script, on standard output.
fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "keepwatch", &mut script);
    print_all(&script)
}

/// `keepwatch man`: the manual page (roff), on standard output.
fn man_page() -> Result<()> {
    use clap::CommandFactory;
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("cannot render the manual page")?;
    print_all(&page)
}

/// Writes `bytes` to standard output; a reader that stopped early (`| head`) is not an error.
fn print_all(bytes: &[u8]) -> Result<()> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// The error and its causes on one line, without repeating a cause already in the message.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    // Errors quote what servers said (an error body's message, a bad answer): inert like any
    // other server text, and on one line.
    keepwatch_core::inert::text(&out)
}

async fn run(cli: Cli) -> Result<()> {
    let kw = Keepwatch::open(cli.data_dir.clone())?;
    let selector = cli.account.as_deref();
    match cli.command {
        // Printed by main() before any configuration is read.
        Command::Completions { .. } | Command::Man => Ok(()),
        Command::Login(args) => login(&kw, args).await,
        Command::Logout {
            keep_history,
            forget_history,
        } => {
            let account = kw.account(selector)?;
            let keep = if keep_history {
                true
            } else if forget_history {
                false
            } else {
                prompt::confirm(
                    &format!("Keep the history of {} on this machine?", account.id()),
                    true,
                )?
            };
            let id = account.id().to_owned();
            kw.logout(account, keep).await?;
            println!(
                "Signed out of {id}; {}.",
                if keep {
                    "history kept"
                } else {
                    "history deleted"
                }
            );
            Ok(())
        }
        Command::Accounts { json } => {
            let accounts = kw.accounts();
            if json {
                output::json(&accounts)
            } else {
                output::accounts(&accounts);
                Ok(())
            }
        }
        Command::Status { json } => {
            let status = kw.account(selector)?.status().await?;
            if json {
                output::json(&status)
            } else {
                output::status(&status);
                Ok(())
            }
        }
        Command::Sessions { json } => {
            let view = kw.account(selector)?.sessions().await?;
            if json {
                output::json(&view)
            } else {
                output::freshness(&view.freshness);
                output::sessions(&view.sessions, false);
                Ok(())
            }
        }
        Command::Revoke {
            id,
            all_others,
            yes,
        } => {
            let account = kw.account(selector)?;
            if all_others {
                if !yes
                    && !prompt::confirm(
                        "Sign out every other session of this account (your other devices too)?",
                        false,
                    )?
                {
                    return Err(exit::Cancelled.into());
                }
                let n = account.revoke_others().await?;
                println!("Signed out {n} other session(s).");
            } else if let Some(id) = id {
                account.revoke(&id).await?;
                println!("Signed out session {id}.");
            }
            Ok(())
        }
        Command::Trust { id } => {
            kw.account(selector)?.trust(&id).await?;
            println!("Trusted session {id}: its device and country are now familiar.");
            Ok(())
        }
        Command::Alerts { json, state } => {
            let view = kw
                .account(selector)?
                .alerts(HistoryQuery {
                    alert_state: state.map(Into::into),
                    ..Default::default()
                })
                .await?;
            if json {
                output::json(&view)
            } else {
                output::freshness(&view.freshness);
                output::alerts(&view.alerts);
                Ok(())
            }
        }
        Command::Ack { key } => {
            kw.account(selector)?
                .set_alert_state(&key, AlertState::Acknowledged)
                .await?;
            println!("Alert {key} acknowledged.");
            Ok(())
        }
        Command::Travel { until, off } => {
            let mut prefs = kw.preferences();
            prefs.travel_mode_until = match (until, off) {
                (_, true) => None,
                (Some(when), false) => Some(time::parse_until(&when, chrono::Utc::now())?),
                (None, false) => bail!("give --until or --off"),
            };
            kw.set_preferences(prefs.clone())?;
            match prefs.travel_mode_until {
                Some(t) => println!("Travel mode on until {}.", time::local(t)),
                None => println!("Travel mode off."),
            }
            Ok(())
        }
        Command::History(args) => {
            let now = chrono::Utc::now();
            let query = HistoryQuery {
                since: args
                    .since
                    .as_deref()
                    .map(|s| time::parse_when(s, now))
                    .transpose()?,
                until: args
                    .until
                    .as_deref()
                    .map(|s| time::parse_when(s, now))
                    .transpose()?,
                country: args.country,
                device: args.device,
                text: args.text,
                alert_state: None,
                limit: args.limit,
                ..Default::default()
            };
            let view = kw.account(selector)?.history(query).await?;
            if args.json {
                output::json(&view)
            } else {
                output::freshness(&view.freshness);
                output::sessions(&view.sessions, true);
                Ok(())
            }
        }
        Command::Export { format, output } => {
            let account = kw.account(selector)?;
            let format = match format {
                FormatArg::Csv => ExportFormat::Csv,
                FormatArg::Json => ExportFormat::Json,
            };
            let out: Box<dyn Write + Send> = match &output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                ),
                None => Box::new(std::io::stdout()),
            };
            account.export(format, out).await?;
            if let Some(path) = output {
                eprintln!("Exported to {}.", path.display());
            }
            Ok(())
        }
        Command::Watch {
            no_notify,
            poll_interval,
            json,
        } => watch(&kw, selector, no_notify, poll_interval, json).await,
        Command::Password { stdin } => {
            let account = kw.account(selector)?;
            let (current, new) = if stdin {
                let current = prompt::stdin_line()?;
                let new = prompt::stdin_line()?;
                (current, new)
            } else {
                let current = prompt::password("Current password: ")?;
                let new = prompt::password("New password: ")?;
                if *zeroize::Zeroizing::new(prompt::password("New password again: ")?) != new {
                    bail!("the new passwords differ");
                }
                (current, new)
            };
            let answer = account
                .change_password(&ChangePasswordRequest {
                    current_password: current,
                    new_password: new,
                })
                .await?;
            println!(
                "Password changed; {} other session(s) signed out.",
                answer.revoked_sessions
            );
            Ok(())
        }
        Command::TwoFactorReset {
            output,
            password_stdin,
        } => {
            let account = kw.account(selector)?;
            let mut file = prompt::create_private(&output)?;
            let password = if password_stdin {
                prompt::stdin_line()?
            } else {
                prompt::password("Password: ")?
            };
            let answer = account
                .reset_two_factor(&TwoFactorResetRequest { password })
                .await;
            let answer = match answer {
                Ok(a) => a,
                Err(e) => {
                    drop(file);
                    let _ = std::fs::remove_file(&output);
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
            println!(
                "2FA reset. The new secret and {} backup codes are in {} (readable by you only); \
                 add the secret to your authenticator app, then delete the file.",
                answer.backup_codes.len(),
                output.display()
            );
            Ok(())
        }
        Command::Blocklist { action } => {
            let account = kw.account(selector)?;
            match action {
                BlocklistCommand::List { json } => {
                    let entries = account.blocklist().await?;
                    if json {
                        output::json(&entries)
                    } else {
                        output::blocklist(&entries);
                        Ok(())
                    }
                }
                BlocklistCommand::Add { address, note } => {
                    let e = account.block(&NewBlocklistEntry { address, note }).await?;
                    println!("Blocked {} (entry {}).", e.cidr, e.id);
                    Ok(())
                }
                BlocklistCommand::Remove { id } => {
                    account.unblock(&id).await?;
                    println!("Removed blocklist entry {id}.");
                    Ok(())
                }
            }
        }
        Command::SessionLength { action } => {
            let account = kw.account(selector)?;
            match action {
                SessionLengthCommand::Get { json } => {
                    let l = account.session_length().await?;
                    if json {
                        output::json(&l)
                    } else {
                        println!(
                            "Web and desktop sessions: {} idle day(s); mobile app: {} idle day(s).",
                            l.web_idle_days, l.mobile_idle_days
                        );
                        Ok(())
                    }
                }
                SessionLengthCommand::Set {
                    web_days,
                    mobile_days,
                } => {
                    let l = account
                        .set_session_length(&SessionLength {
                            web_idle_days: web_days,
                            mobile_idle_days: mobile_days,
                        })
                        .await?;
                    println!(
                        "Session length set: web {} day(s), mobile {} day(s).",
                        l.web_idle_days, l.mobile_idle_days
                    );
                    Ok(())
                }
            }
        }
        Command::Withdrawals { limit, json } => {
            let list = kw.account(selector)?.withdrawals(limit).await?;
            if json {
                output::json(&list)
            } else {
                output::withdrawals(&list);
                Ok(())
            }
        }
        Command::LoginHistory { limit, json } => {
            let list = kw.account(selector)?.login_history(limit).await?;
            if json {
                output::json(&list)
            } else {
                output::login_history(&list);
                Ok(())
            }
        }
    }
}

async fn login(kw: &Keepwatch, args: LoginArgs) -> Result<()> {
    // Check the URL before asking for a password.
    keepwatch_core::account_id(&args.server, &args.email)?;
    let password = if args.password_stdin {
        prompt::stdin_line()?
    } else {
        prompt::password(&format!("Password for {}: ", args.email))?
    };
    let mut params = LoginParams {
        server: args.server,
        email: args.email,
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
                std::fs::canonicalize(&p)
                    .with_context(|| format!("cannot read the CA certificate {}", p.display()))
            })
            .transpose()?,
    };
    let view = match kw.login(params.clone()).await {
        Err(CoreError::TotpRequired)
            if params.totp_code.is_none() && params.backup_code.is_none() =>
        {
            params.totp_code = Some(prompt::text("Two-factor code: ")?);
            kw.login(params).await?
        }
        other => other?,
    };
    if args.json {
        return output::json(&view);
    }
    println!(
        "Signed in as {} ({} active session(s), {} alert(s)).",
        view.account.id, view.sessions, view.alerts
    );
    Ok(())
}

/// Watches every account (or the one `--account` names) until Ctrl-C, printing alerts as
/// they come; with several, each line names its account.
async fn watch(
    kw: &Keepwatch,
    selector: Option<&str>,
    no_notify: bool,
    poll_interval: Option<u64>,
    json: bool,
) -> Result<()> {
    let accounts = match selector {
        Some(_) => vec![kw.account(selector)?],
        None => {
            let ids: Vec<String> = kw.accounts().into_iter().map(|a| a.id).collect();
            if ids.is_empty() {
                return Err(keepwatch_core::Error::NoAccount.into());
            }
            ids.iter()
                .map(|id| kw.account(Some(id)))
                .collect::<std::result::Result<Vec<_>, _>>()?
        }
    };
    let several = accounts.len() > 1;
    let prefs = kw.preferences();
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
        eprintln!("Watching {} (Ctrl-C to stop).", account.id());
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
                Some(Err(e)) => failure = Some(keepwatch_core::Error::Invalid(format!("watcher failed: {e}"))),
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
                    let mut value = serde_json::to_value(&alert)?;
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
                    // The reason may quote the server.
                    eprintln!(
                        "{prefix}offline — {} ({})",
                        time::last_synced(last_synced_at),
                        keepwatch_core::inert::text(&reason)
                    );
                    self.last_offline.insert(name.to_owned(), reason);
                }
            }
            SyncUpdate::Synced { mode, .. } => {
                if self.last_offline.remove(name).is_some() {
                    eprintln!("{prefix}back online");
                }
                let last = self.last_mode.insert(name.to_owned(), mode);
                if last != Some(mode) && mode == SyncMode::Stream {
                    eprintln!("{prefix}live: following the account's event stream");
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
            } => match error {
                None => eprintln!("{prefix}done: {action:?} for session {session_id}"),
                Some(e) => eprintln!(
                    "{prefix}failed: {action:?} for session {session_id}: {}",
                    keepwatch_core::inert::text(&e)
                ),
            },
            SyncUpdate::SignedOut => {
                eprintln!("{prefix}signed out; run `keepwatch login` again");
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
    eprintln!("stopping");
}
