//! Administration without the HTTP API: creating accounts, recording withdrawals, sweeping
//! expired sessions. Each function opens the database itself, so it works from another
//! process while a server runs (WAL and a busy timeout make that safe); a running server's
//! event streams pick up the events within their poll interval. In-process, prefer the
//! methods on [`crate::RunningServer`], which broadcast at once.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use keepwatch_api::Withdrawal;
use keepwatch_geo::GeoDb;
use rusqlite::OptionalExtension;

use crate::account::{self, NewWithdrawal, TwoFactorSecrets};
use crate::clock::{Clock, SystemClock};
use crate::error::{HttpError, HttpResult, ServerError};
use crate::secrets::{hash_password, PasswordCost};
use crate::store::{self, Db, Write};
use crate::{login, sessions, totp};

/// A created account, with its 2FA secrets to show once.
#[derive(Clone)]
pub struct NewUser {
    /// The account id.
    pub user_id: String,
    /// Base32 TOTP secret, when created with 2FA.
    pub totp_secret: Option<String>,
    /// `otpauth://` URI of that secret.
    pub otpauth_uri: Option<String>,
    /// One-time backup codes (empty without 2FA).
    pub backup_codes: Vec<String>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("user_id", &self.user_id)
            .field("with_totp", &self.totp_secret.is_some())
            .finish_non_exhaustive()
    }
}

fn standalone(db: &Path, clock: Arc<dyn Clock>) -> Result<Db, ServerError> {
    let (conn, vault) = store::open(db)?;
    Ok(Db::new(conn, vault, Arc::new(GeoDb::empty()), clock))
}

/// Creates an account whose password is hashed at the production cost.
pub fn add_user(
    db: &Path,
    email: &str,
    password: &str,
    with_totp: bool,
    clock: Arc<dyn Clock>,
) -> Result<NewUser, ServerError> {
    add_user_with_cost(
        db,
        email,
        password,
        with_totp,
        clock,
        PasswordCost::default(),
    )
}

/// [`add_user`] with a chosen hashing cost.
pub fn add_user_with_cost(
    db: &Path,
    email: &str,
    password: &str,
    with_totp: bool,
    clock: Arc<dyn Clock>,
    cost: PasswordCost,
) -> Result<NewUser, ServerError> {
    let hash = hash_password(password, cost).map_err(|e| ServerError::Other(e.to_string()))?;
    let two_factor = with_totp
        .then(|| TwoFactorSecrets::generate(cost))
        .transpose()
        .map_err(|e| ServerError::Other(e.to_string()))?;
    Ok(standalone(db, clock)?.write_now(|w| create_user(w, email, &hash, two_factor))?)
}

/// Creates an account in a transaction.
pub(crate) fn create_user(
    w: &mut Write<'_>,
    email: &str,
    password_hash: &str,
    two_factor: Option<TwoFactorSecrets>,
) -> HttpResult<NewUser> {
    let user_id = account::create(w, email, password_hash, two_factor.as_ref())?;
    Ok(match two_factor {
        Some(s) => NewUser {
            user_id,
            otpauth_uri: Some(totp::otpauth_uri("Keepwatch", email.trim(), &s.secret)),
            totp_secret: Some(s.secret),
            backup_codes: s.backup_codes,
        },
        None => NewUser {
            user_id,
            totp_secret: None,
            otpauth_uri: None,
            backup_codes: Vec::new(),
        },
    })
}

/// A withdrawal to record for the account with `email`.
pub(crate) struct WithdrawalRequest {
    email: String,
    new: NewWithdrawal,
}

pub(crate) fn withdrawal_request(
    email: &str,
    asset: &str,
    amount: &str,
    address: &str,
    in_book: bool,
    from_ip: Option<IpAddr>,
) -> WithdrawalRequest {
    WithdrawalRequest {
        email: email.to_owned(),
        new: NewWithdrawal {
            asset: asset.to_owned(),
            amount: amount.to_owned(),
            address: address.to_owned(),
            in_book,
            session_id: None,
            ip: from_ip,
        },
    }
}

/// Records a withdrawal; when it came from an address an active session of the account is
/// using, that session is named as its origin.
pub(crate) fn record_withdrawal(
    w: &mut Write<'_>,
    mut req: WithdrawalRequest,
) -> HttpResult<Withdrawal> {
    let account = login::find_by_email(&w.tx, &req.email)?
        .ok_or_else(|| HttpError::invalid_value(format!("no account with email {}", req.email)))?;
    if let Some(ip) = req.new.ip {
        req.new.session_id =
            w.tx.query_row(
                "SELECT id FROM sessions WHERE account_id = ?1 AND ip = ?2 AND ended_at IS NULL \
                 ORDER BY last_active_at DESC LIMIT 1",
                rusqlite::params![account.id, ip.to_string()],
                |r| r.get(0),
            )
            .optional()?;
    }
    // The address book marks it as well as the caller can.
    let booked: bool = w.tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM address_book WHERE account_id = ?1 AND address = ?2)",
        rusqlite::params![account.id, req.new.address.trim()],
        |r| r.get(0),
    )?;
    req.new.in_book |= booked;
    account::add_withdrawal(w, &account.id, req.new)
}

/// Longest address the address book takes; real ones are far shorter.
const MAX_ADDRESS_LEN: usize = 256;

/// Adds `address` (with an optional `label`) to the address book of the account with
/// `email`; adding it again replaces the label.
pub(crate) fn record_address(
    w: &mut Write<'_>,
    email: &str,
    address: &str,
    label: Option<&str>,
) -> HttpResult<()> {
    let address = address.trim();
    if address.is_empty()
        || address.len() > MAX_ADDRESS_LEN
        || address.contains(char::is_whitespace)
    {
        return Err(HttpError::invalid_value(format!(
            "an address is 1 to {MAX_ADDRESS_LEN} characters without spaces"
        )));
    }
    let account = login::find_by_email(&w.tx, email)?
        .ok_or_else(|| HttpError::invalid_value(format!("no account with email {email}")))?;
    w.tx.execute(
        "INSERT INTO address_book (account_id, address, label, added_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (account_id, address) DO UPDATE SET label = excluded.label",
        rusqlite::params![account.id, address, label, store::ts(w.now)],
    )?;
    Ok(())
}

/// Adds `address` to the address book of the account with `email`, so that withdrawals to it
/// are marked as going to a known address.
pub fn add_address(
    db: &Path,
    email: &str,
    address: &str,
    label: Option<&str>,
) -> Result<(), ServerError> {
    Ok(standalone(db, Arc::new(SystemClock))?
        .write_now(|w| record_address(w, email, address, label))?)
}

/// Records a withdrawal for the account with `email`, now, with its `withdrawal_created`.
pub fn add_withdrawal(
    db: &Path,
    email: &str,
    asset: &str,
    amount: &str,
    address: &str,
    in_book: bool,
    from_ip: Option<IpAddr>,
) -> Result<Withdrawal, ServerError> {
    let req = withdrawal_request(email, asset, amount, address, in_book, from_ip);
    Ok(standalone(db, Arc::new(SystemClock))?.write_now(|w| record_withdrawal(w, req))?)
}

/// Expires every session past its lifetime at `clock`'s now; returns how many.
pub fn sweep_expired(db: &Path, clock: Arc<dyn Clock>) -> Result<u32, ServerError> {
    Ok(standalone(db, clock)?.write_now(|w| sessions::sweep(w, None))?)
}
