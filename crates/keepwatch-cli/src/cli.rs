//! The command line: every command, its arguments and flags, as clap reads them (and as the
//! completions and the man page describe them).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use keepwatch_core::api::{AlertState, ExportFormat};

#[derive(Parser, Debug)]
#[command(
    name = "keepwatch",
    version,
    about = "Watch an account's sessions and raise alerts"
)]
pub struct Cli {
    /// Folder for configuration and history (default: the platform's folders).
    #[arg(long, global = true, env = "KEEPWATCH_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The account to use when several exist: EMAIL@SERVER (or EMAIL when unique).
    #[arg(long, global = true, value_name = "EMAIL@SERVER")]
    pub account: Option<String>,
    /// Print JSON (the shapes the desktop window gets) instead of tables and sentences; every
    /// command, those that change things included, prints what it answered or changed.
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output on stderr (-v: info, -vv: debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    Accounts,
    /// Show the account's state.
    Status,
    /// List active sessions (offline: from history).
    Sessions,
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
        /// Read the account's password from standard input, for accounts that confirm a
        /// sign-out with it (Matrix), instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// "This was me": trust a session, so it and its device and country stop alerting.
    Trust {
        /// The session id.
        id: String,
    },
    /// List alerts (offline: from history).
    Alerts {
        /// Only alerts in this state.
        #[arg(long, value_parser = alert_state)]
        state: Option<AlertState>,
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
        #[arg(long, value_parser = export_format)]
        format: ExportFormat,
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
    /// Devices that may sign in without the 2FA prompt.
    TrustedDevices {
        #[command(subcommand)]
        action: TrustedDevicesCommand,
    },
    /// The app's settings, the same ones the window's Settings page has.
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// The location data that places Matrix sessions (DB-IP Lite, CC BY 4.0).
    Geo {
        #[command(subcommand)]
        action: GeoCommand,
    },
    /// Recent withdrawals.
    Withdrawals {
        /// How many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Sign-in attempts, successful and failed.
    LoginHistory {
        /// How many.
        #[arg(long)]
        limit: Option<u32>,
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
pub struct LoginArgs {
    /// The account server's URL (https://, or http:// to this machine).
    #[arg(long)]
    pub server: String,
    /// The account's email, on a Keepwatch API server.
    #[arg(long, required_unless_present = "user", conflicts_with = "user")]
    pub email: Option<String>,
    /// The user name on a Matrix homeserver (`ann` or `@ann:example.org`).
    #[arg(long)]
    pub user: Option<String>,
    /// Read the password from standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
    /// A TOTP code (else prompted when the server asks).
    #[arg(long, value_name = "CODE")]
    pub totp: Option<String>,
    /// A backup code instead of a TOTP code.
    #[arg(long, value_name = "CODE")]
    pub backup_code: Option<String>,
    /// Trust the sessions that exist now: they and their devices and countries do not alert.
    #[arg(long)]
    pub trust_existing: bool,
    /// Ask the server to trust this computer, so that later sign-ins skip the 2FA prompt.
    #[arg(long)]
    pub trust_device: bool,
    /// PEM file of the CA that signed a self-hosted server's certificate.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Seen since: RFC 3339, YYYY-MM-DD (local), or a duration ago (30m, 24h, 7d).
    #[arg(long)]
    pub since: Option<String>,
    /// Seen before: same forms as --since.
    #[arg(long)]
    pub until: Option<String>,
    /// Country code or name.
    #[arg(long)]
    pub country: Option<String>,
    /// Part of the device label.
    #[arg(long)]
    pub device: Option<String>,
    /// Free text: device, IP, ISP, city, country.
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum BlocklistCommand {
    /// List entries.
    List,
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
pub enum SessionLengthCommand {
    /// Show the idle lifetimes.
    Get,
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

#[derive(Subcommand, Debug)]
pub enum TrustedDevicesCommand {
    /// List the devices the server trusts.
    List,
    /// Forget one: its next sign-in asks for the 2FA code again.
    Forget {
        /// The trusted device's id (see `trusted-devices list`).
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum GeoCommand {
    /// List the location files Keepwatch has, and where they are kept.
    Status,
    /// Copy .mmdb files (or .csv for ISPs) into Keepwatch's location data, checking each.
    Import {
        /// The files, e.g. dbip-city-lite-2026-12.mmdb GeoLite2-ASN.mmdb.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Download this month's DB-IP Lite city and ISP files (KEEPWATCH_GEO_BASE_URL moves where
    /// from).
    Update,
    /// Also read the location files in FOLDER, before Keepwatch's own (e.g. the folder
    /// MaxMind's geoipupdate keeps up to date); `none` stops.
    Folder {
        /// The folder, or `none`.
        folder: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print every setting, or the one KEY names.
    Get {
        /// A setting, e.g. notifications.min_severity.
        #[arg(value_parser = setting_key)]
        key: Option<String>,
    },
    /// Change one setting, e.g. `keepwatch config set language ar`.
    Set {
        /// The setting.
        #[arg(value_parser = setting_key)]
        key: String,
        /// Its new value: a word, a number, true/false, a time (RFC 3339), or none.
        value: String,
    },
}

fn alert_state(s: &str) -> Result<AlertState, String> {
    s.parse()
}

fn export_format(s: &str) -> Result<ExportFormat, String> {
    s.parse()
}

fn setting_key(s: &str) -> Result<String, String> {
    let keys = keepwatch_core::api::Settings::keys();
    if keys.iter().any(|k| k == s) {
        Ok(s.to_owned())
    } else {
        let separator = crate::output::text(keepwatch_l10n::msg::LIST_SEPARATOR);
        let args = [("keys", keys.join(&separator).into())];
        Err(crate::output::say(
            keepwatch_l10n::msg::CLI_SETTING_KEYS,
            &args,
        ))
    }
}
