//! A believable account for demonstrations: three familiar sessions in Germany, two
//! withdrawals, and on cue a sign-in from an unfamiliar device in Brazil followed by a
//! withdrawal to an address outside the address book.

use std::net::IpAddr;

use chrono::Duration;
use keepwatch_api::{ClientKind, Device, LoginRequest, TokenPair};
use keepwatch_device::ClientHints;

use crate::error::{HttpError, ServerError};
use crate::server::RunningServer;
use crate::sessions::{self, NewSession};
use crate::store::ts;

/// The demo account's email.
pub const DEMO_EMAIL: &str = "demo@keepwatch.invalid";
/// The demo account's password.
pub const DEMO_PASSWORD: &str = "keepwatch-demo";

/// Where the demo's sessions come from.
#[derive(Debug, Clone, Copy)]
pub struct DemoAddresses {
    /// "This desktop".
    pub desktop: IpAddr,
    /// The owner's phone.
    pub phone: IpAddr,
    /// The owner's older laptop.
    pub laptop: IpAddr,
    /// The intruder.
    pub intruder: IpAddr,
}

impl DemoAddresses {
    /// Public addresses that DB-IP Lite (the 2026-06 data the project's `run` script pins)
    /// places as the demo tells it: the desktop on Telefónica (O2) in Berlin, the phone on
    /// Telekom's mobile network (Mannheim), the old laptop on Vodafone cable in Berlin (IPv6),
    /// and the intruder on Claro NXT in São Paulo, Brazil.
    pub fn real_world() -> Self {
        Self {
            desktop: IpAddr::from([176, 0, 10, 10]),
            phone: IpAddr::from([80, 187, 64, 33]),
            laptop: IpAddr::from([0x2a02, 0x8108, 0x1d40, 0x4c00, 0, 0, 0, 0x1b]),
            intruder: IpAddr::from([189, 100, 10, 10]),
        }
    }
}

/// Demo setup.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Create the account with 2FA (the secret is returned); the intruder then "phished" a
    /// code.
    pub with_totp: bool,
    /// Addresses of the sessions.
    pub addresses: DemoAddresses,
}

/// The seeded account's credentials.
#[derive(Clone)]
pub struct DemoAccount {
    /// Email.
    pub email: String,
    /// Password.
    pub password: String,
    /// TOTP secret, when created with 2FA.
    pub totp_secret: Option<String>,
}

/// User-Agent of the owner's desktop: Chrome on macOS.
pub const DESKTOP_UA: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/// User-Agent of the owner's phone: Safari on iOS 17.
pub const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
/// User-Agent of the owner's old laptop: Firefox ESR on Windows.
pub const LAPTOP_UA: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0";
/// User-Agent of the intruder: Chrome on Windows.
pub const INTRUDER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/// Creates the demo account, its three sessions and two earlier withdrawals.
pub async fn seed(
    server: &RunningServer,
    options: &DemoOptions,
) -> Result<DemoAccount, ServerError> {
    let user = server
        .add_user(DEMO_EMAIL, DEMO_PASSWORD, options.with_totp)
        .await?;
    let a = options.addresses;
    let device = |ua: &str, platform: Option<&str>, version: Option<&str>| {
        server.parse_device(
            Some(ua),
            ClientHints {
                platform,
                platform_version: version,
            },
        )
    };
    let plan: Vec<(ClientKind, IpAddr, Device, i64, i64)> = vec![
        // (client, ip, device, created days ago, last active minutes ago)
        (
            ClientKind::Web,
            a.desktop,
            device(DESKTOP_UA, Some("\"macOS\""), Some("\"14.4.1\"")),
            20,
            3,
        ),
        (
            ClientKind::MobilePwa,
            a.phone,
            device(PHONE_UA, None, None),
            41,
            95,
        ),
        (
            ClientKind::Web,
            a.laptop,
            device(LAPTOP_UA, None, None),
            64,
            60 * 24 * 12,
        ),
    ];
    let account_id = user.user_id.clone();
    let max_age = crate::config::chrono_duration(server.limits().session_max_age);
    server
        .db()
        .write(move |w| {
            let now = w.now;
            for (client, ip, device, created_days, idle_minutes) in plan {
                let session = sessions::create(
                    w,
                    NewSession {
                        account_id: &account_id,
                        client,
                        remember_me: true,
                        trusted_device: false,
                        ip,
                        device: &device,
                        created_at: now - Duration::days(created_days),
                        max_age,
                    },
                )?;
                w.tx.execute(
                    "UPDATE sessions SET last_active_at = ?2 WHERE id = ?1",
                    rusqlite::params![session.id, ts(now - Duration::minutes(idle_minutes))],
                )?;
            }
            Ok(())
        })
        .await?;
    server
        .add_withdrawal(
            DEMO_EMAIL,
            "BTC",
            "0.0125",
            "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
            true,
            Some(a.desktop),
        )
        .await?;
    server
        .add_withdrawal(
            DEMO_EMAIL,
            "ETH",
            "0.8",
            "0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
            true,
            Some(a.phone),
        )
        .await?;
    Ok(DemoAccount {
        email: DEMO_EMAIL.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
        totp_secret: user.totp_secret,
    })
}

/// The intruder signs in from Brazil with Chrome on Windows.
pub async fn intrude(
    server: &RunningServer,
    account: &DemoAccount,
    options: &DemoOptions,
) -> Result<TokenPair, HttpError> {
    let totp_code = account
        .totp_secret
        .as_deref()
        .map(|s| crate::totp_now(s, server.now()));
    server
        .sign_in_from(
            LoginRequest {
                email: account.email.clone(),
                password: account.password.clone(),
                totp_code,
                backup_code: None,
                remember_me: true,
                client: ClientKind::Web,
                trust_device: false,
                device_token: None,
            },
            options.addresses.intruder,
            Some(INTRUDER_UA),
            Some("Windows"),
        )
        .await
}

/// The intruder's withdrawal to an address outside the book.
pub async fn intruder_withdrawal(
    server: &RunningServer,
    options: &DemoOptions,
) -> Result<(), ServerError> {
    server
        .add_withdrawal(
            DEMO_EMAIL,
            "BTC",
            "0.42",
            "bc1q9h7garjyf0qk2k8ylqjc7n4hvdm5rr3vx0nsn5",
            false,
            Some(options.addresses.intruder),
        )
        .await
        .map(|_| ())
}
