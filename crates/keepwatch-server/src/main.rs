//! `keepwatch-server`: run the reference account server, manage its accounts, or run a demo.

use std::io::BufRead;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use keepwatch_geo::GeoDb;
use keepwatch_server::demo::{self, DemoAddresses, DemoOptions};
use keepwatch_server::{
    admin, start, ForwardedHeader, Limits, ServerConfig, SystemClock, TlsFiles,
};

#[derive(Parser)]
#[command(
    name = "keepwatch-server",
    version,
    about = "The reference Keepwatch account server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the account API.
    Serve {
        /// SQLite database file (created if missing).
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on, e.g. 127.0.0.1:8443. Plain HTTP only on loopback.
        #[arg(long)]
        listen: SocketAddr,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Create an account. The password is read from standard input, never from arguments.
    AddUser {
        /// SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Turn on 2FA; prints the TOTP secret and backup codes once.
        #[arg(long)]
        totp: bool,
    },
    /// Add an address to an account's withdrawal address book.
    AddAddress {
        /// SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// The address.
        #[arg(long)]
        address: String,
        /// What the owner calls it, e.g. "my cold wallet".
        #[arg(long)]
        label: Option<String>,
    },
    /// Record a withdrawal (and its event) for an account.
    AddWithdrawal {
        /// SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// Asset symbol, e.g. BTC.
        #[arg(long)]
        asset: String,
        /// Decimal amount, e.g. 0.5.
        #[arg(long)]
        amount: String,
        /// Destination address.
        #[arg(long)]
        address: String,
        /// Mark the destination as in the address book even if it is not listed there
        /// (withdrawals to listed addresses are marked anyway).
        #[arg(long)]
        in_book: bool,
        /// The address the withdrawal was requested from.
        #[arg(long)]
        from_ip: Option<IpAddr>,
    },
    /// End every session past its lifetime now.
    Sweep {
        /// SQLite database file.
        #[arg(long)]
        db: PathBuf,
    },
    /// Run a throw-away server with a demo account, familiar sessions and, after a while, an
    /// intruder signing in from Brazil.
    Demo {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: SocketAddr,
        /// Seconds after start when the intruder signs in.
        #[arg(long, default_value_t = 20)]
        intruder_after: u64,
        /// Then again every this many seconds.
        #[arg(long)]
        intruder_repeat: Option<u64>,
        /// Count `--intruder-after` from the first sign-in of a desktop client (Keepwatch) rather
        /// than from start, so that the intruder is never among the sessions that already
        /// existed when Keepwatch signed in.
        #[arg(long)]
        intruder_after_sign_in: bool,
        /// Create the demo account with 2FA and print its TOTP secret.
        #[arg(long)]
        totp: bool,
        #[command(flatten)]
        net: NetArgs,
    },
}

#[derive(Args)]
struct NetArgs {
    /// PEM certificate chain; serve HTTPS.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Believe the forwarding header (see --forwarded-header) from peers in this address or
    /// range (repeatable).
    #[arg(long, value_parser = parse_net)]
    trust_proxy: Vec<IpNet>,
    /// The one forwarding header the trusted proxies write: x-forwarded-for or forwarded.
    /// The other is ignored, since a proxy passes it through as the client wrote it.
    #[arg(long, default_value = "x-forwarded-for", value_parser = parse_forwarded_header)]
    forwarded_header: ForwardedHeader,
    /// Geolocation city database (MaxMind DB or DB-IP CSV; repeatable).
    #[arg(long)]
    geoip_city: Vec<PathBuf>,
    /// ASN/ISP database (repeatable).
    #[arg(long)]
    geoip_asn: Vec<PathBuf>,
    /// End each event stream after this many seconds (the client resumes with
    /// Last-Event-ID and loses nothing); default one hour.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    event_stream_max_age: Option<Duration>,
}

impl NetArgs {
    fn config(self, db_path: PathBuf, listen: SocketAddr) -> Result<ServerConfig> {
        let geo = if self.geoip_city.is_empty() && self.geoip_asn.is_empty() {
            tracing::warn!("no --geoip-city/--geoip-asn files: locations and ISPs will be null");
            GeoDb::empty()
        } else {
            GeoDb::open(&self.geoip_city, &self.geoip_asn)
                .context("opening the geolocation files")?
        };
        let tls = match (self.tls_cert, self.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            _ => None,
        };
        Ok(ServerConfig {
            db_path,
            listen,
            tls,
            trusted_proxies: self.trust_proxy,
            forwarded_header: self.forwarded_header,
            geo: Arc::new(geo),
            clock: Arc::new(SystemClock),
            limits: Limits {
                event_stream_max_age: self
                    .event_stream_max_age
                    .unwrap_or(Limits::default().event_stream_max_age),
                ..Limits::default()
            },
        })
    }
}

/// A positive number of seconds, fractions allowed.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{text:?} is not a positive number of seconds"))
}

/// A CIDR range, or a single address as its /32 or /128.
fn parse_net(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| format!("{text:?} is not an IP address or CIDR range"))
}

fn parse_forwarded_header(text: &str) -> Result<ForwardedHeader, String> {
    text.parse()
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { db, listen, net } => runtime()?.block_on(serve(net.config(db, listen)?)),
        Command::AddUser {
            db,
            email,
            password_stdin,
            totp,
        } => add_user(db, email, password_stdin, totp),
        Command::AddAddress {
            db,
            email,
            address,
            label,
        } => {
            admin::add_address(&db, &email, &address, label.as_deref())?;
            println!("added {} to the address book of {email}", address.trim());
            Ok(())
        }
        Command::AddWithdrawal {
            db,
            email,
            asset,
            amount,
            address,
            in_book,
            from_ip,
        } => {
            let w =
                admin::add_withdrawal(&db, &email, &asset, &amount, &address, in_book, from_ip)?;
            println!(
                "recorded withdrawal {} of {} {} to {}",
                w.id, w.amount, w.asset, w.address
            );
            Ok(())
        }
        Command::Sweep { db } => {
            let n = admin::sweep_expired(&db, Arc::new(SystemClock))?;
            println!("expired {n} sessions");
            Ok(())
        }
        Command::Demo {
            listen,
            intruder_after,
            intruder_repeat,
            intruder_after_sign_in,
            totp,
            net,
        } => runtime()?.block_on(run_demo(
            listen,
            IntruderPlan {
                after: intruder_after,
                repeat: intruder_repeat,
                after_sign_in: intruder_after_sign_in,
            },
            totp,
            net,
        )),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn add_user(db: PathBuf, email: String, password_stdin: bool, totp: bool) -> Result<()> {
    if !password_stdin {
        bail!("give the password on standard input with --password-stdin (never as an argument)");
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < keepwatch_api::MIN_PASSWORD_LENGTH {
        bail!(
            "the password must have at least {} characters",
            keepwatch_api::MIN_PASSWORD_LENGTH
        );
    }
    let user = admin::add_user(&db, &email, password, totp, Arc::new(SystemClock))?;
    println!("created account {} for {email}", user.user_id);
    if let (Some(secret), Some(uri)) = (&user.totp_secret, &user.otpauth_uri) {
        // Shown once, on purpose, to the operator who created the account.
        println!("TOTP secret: {secret}");
        println!("otpauth URI: {uri}");
        println!("backup codes (each works once):");
        for code in &user.backup_codes {
            println!("  {code}");
        }
    }
    Ok(())
}

async fn serve(config: ServerConfig) -> Result<()> {
    let server = start(config).await?;
    eprintln!("keepwatch-server listening on {}", server.base_url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

/// When the demo's intruder signs in.
struct IntruderPlan {
    /// Seconds after start, or after the first desktop sign-in.
    after: u64,
    /// Then again every this many seconds.
    repeat: Option<u64>,
    /// Count `after` from the first desktop sign-in.
    after_sign_in: bool,
}

/// Waits until a desktop client (Keepwatch) has signed in to the demo database.
async fn desktop_signed_in(db: &Path) -> Result<()> {
    loop {
        let db = db.to_owned();
        let found = tokio::task::spawn_blocking(move || -> rusqlite::Result<bool> {
            let conn = rusqlite::Connection::open_with_flags(
                &db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sessions WHERE client = 'desktop')",
                [],
                |row| row.get(0),
            )
        })
        .await
        .context("waiting for a desktop sign-in")?
        .context("reading the demo database")?;
        if found {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn run_demo(
    listen: SocketAddr,
    plan: IntruderPlan,
    with_totp: bool,
    net: NetArgs,
) -> Result<()> {
    let IntruderPlan {
        after: intruder_after,
        repeat: intruder_repeat,
        after_sign_in,
    } = plan;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let db_path = dir.path().join("demo.sqlite");
    let config = net.config(db_path.clone(), listen)?;
    let server = start(config).await?;
    let options = DemoOptions {
        with_totp,
        addresses: DemoAddresses::real_world(),
    };
    let account = demo::seed(&server, &options).await?;
    println!();
    println!("Keepwatch demo server: {}", server.base_url());
    println!("  email:    {}", account.email);
    println!("  password: {}", account.password);
    match &account.totp_secret {
        Some(secret) => println!("  TOTP secret: {secret}"),
        None => println!("  2FA: off (start with --totp to turn it on)"),
    }
    if after_sign_in {
        println!(
            "An intruder signs in from São Paulo, Brazil {intruder_after} s after Keepwatch does."
        );
    } else {
        println!("An intruder signs in from São Paulo, Brazil in {intruder_after} s.");
    }
    println!("Stop with Ctrl-C; the database is thrown away.");
    println!();

    let intruder = async {
        if after_sign_in {
            if let Err(error) = desktop_signed_in(&db_path).await {
                println!("the intruder stays away: {error:#}");
                return std::future::pending::<()>().await;
            }
        }
        tokio::time::sleep(Duration::from_secs(intruder_after)).await;
        loop {
            match demo::intrude(&server, &account, &options).await {
                Ok(pair) => println!("intruder signed in: session {}", pair.session_id),
                Err(e) => println!("intruder refused: {}", e.body.message),
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
            if let Err(e) = demo::intruder_withdrawal(&server, &options).await {
                println!("intruder withdrawal failed: {e}");
            }
            match intruder_repeat {
                Some(every) => tokio::time::sleep(Duration::from_secs(every)).await,
                None => std::future::pending::<()>().await,
            }
        }
    };
    tokio::select! {
        _ = intruder => {}
        _ = shutdown_signal() => {}
    }
    server.shutdown().await;
    drop(dir);
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
