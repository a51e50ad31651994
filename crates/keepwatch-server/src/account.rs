//! Account records: creation, 2FA secrets and backup codes, session-length settings and
//! withdrawals.

use std::net::IpAddr;

use keepwatch_api::{Event, EventKind, SessionLength, Withdrawal, WithdrawalStatus};
use rusqlite::Connection;

use crate::error::{HttpError, HttpResult};
use crate::secrets::{
    hash_backup_code, new_backup_code, new_id, new_totp_secret, HashError, PasswordCost,
    BACKUP_CODE_COUNT,
};
use crate::sessions;
use crate::store::{parse_ts, ts, Write};

/// New 2FA material: shown once, and stored as a sealed secret and slow hashes of the codes.
pub struct TwoFactorSecrets {
    /// Base32 TOTP secret.
    pub secret: String,
    /// One-time backup codes.
    pub backup_codes: Vec<String>,
    /// Their stored forms, in the same order.
    code_hashes: Vec<String>,
}

impl TwoFactorSecrets {
    /// A fresh secret and backup codes, the codes hashed at `cost`. Slow on purpose (one
    /// Argon2 hash per code): call it off the database lock and the async runtime.
    pub fn generate(cost: PasswordCost) -> Result<Self, HashError> {
        let backup_codes: Vec<String> = (0..BACKUP_CODE_COUNT).map(|_| new_backup_code()).collect();
        let code_hashes = backup_codes
            .iter()
            .map(|code| hash_backup_code(code, cost))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            secret: new_totp_secret(),
            backup_codes,
            code_hashes,
        })
    }
}

/// Creates an account; with `two_factor`, also its 2FA secret and backup codes.
pub fn create(
    w: &mut Write<'_>,
    email: &str,
    password_hash: &str,
    two_factor: Option<&TwoFactorSecrets>,
) -> HttpResult<String> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Err(HttpError::invalid_value("not an email address"));
    }
    let exists = crate::login::find_by_email(&w.tx, email)?.is_some();
    if exists {
        return Err(HttpError::invalid_value(
            "an account with that email already exists",
        ));
    }
    let id = new_id("acc");
    w.tx.execute(
        "INSERT INTO accounts (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![id, email, password_hash, ts(w.now)],
    )?;
    if let Some(two_factor) = two_factor {
        replace_two_factor(w, &id, two_factor)?;
    }
    Ok(id)
}

/// Stores new 2FA material (turning 2FA on if it was off) and forgets every trusted device,
/// since they skipped the old secret.
pub fn replace_two_factor(
    w: &mut Write<'_>,
    account_id: &str,
    new: &TwoFactorSecrets,
) -> HttpResult<()> {
    let sealed = w.vault.seal_totp(account_id, &new.secret);
    w.tx.execute(
        "UPDATE accounts SET totp_secret = ?2, totp_last_step = NULL WHERE id = ?1",
        rusqlite::params![account_id, sealed],
    )?;
    w.tx.execute(
        "DELETE FROM backup_codes WHERE account_id = ?1",
        [account_id],
    )?;
    for hash in &new.code_hashes {
        w.tx.execute(
            "INSERT INTO backup_codes (account_id, code_hash) VALUES (?1, ?2)",
            rusqlite::params![account_id, hash],
        )?;
    }
    w.tx.execute(
        "DELETE FROM trusted_devices WHERE account_id = ?1",
        [account_id],
    )?;
    Ok(())
}

/// The stored forms of the account's unused backup codes.
pub fn unused_backup_codes(conn: &Connection, account_id: &str) -> HttpResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code_hash FROM backup_codes WHERE account_id = ?1 AND used_at IS NULL",
    )?;
    let rows = stmt
        .query_map([account_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// The account's session lengths.
pub fn session_length(conn: &Connection, account_id: &str) -> HttpResult<SessionLength> {
    Ok(conn.query_row(
        "SELECT web_idle_days, mobile_idle_days FROM accounts WHERE id = ?1",
        [account_id],
        |r| {
            Ok(SessionLength {
                web_idle_days: r.get(0)?,
                mobile_idle_days: r.get(1)?,
            })
        },
    )?)
}

/// Sets the account's session lengths and expires sessions now past them.
pub fn set_session_length(
    w: &mut Write<'_>,
    account_id: &str,
    length: SessionLength,
) -> HttpResult<()> {
    if !SessionLength::WEB_RANGE.contains(&length.web_idle_days) {
        return Err(HttpError::invalid_value("`web_idle_days` must be 1–30"));
    }
    if !SessionLength::MOBILE_RANGE.contains(&length.mobile_idle_days) {
        return Err(HttpError::invalid_value("`mobile_idle_days` must be 1–90"));
    }
    w.tx.execute(
        "UPDATE accounts SET web_idle_days = ?2, mobile_idle_days = ?3 WHERE id = ?1",
        rusqlite::params![account_id, length.web_idle_days, length.mobile_idle_days],
    )?;
    sessions::sweep(w, Some(account_id))?;
    Ok(())
}

/// What a new withdrawal is.
#[derive(Debug, Clone)]
pub struct NewWithdrawal {
    /// Asset symbol.
    pub asset: String,
    /// Decimal amount.
    pub amount: String,
    /// Destination.
    pub address: String,
    /// Destination is in the address book.
    pub in_book: bool,
    /// The session that asked for it.
    pub session_id: Option<String>,
    /// Where it was asked from.
    pub ip: Option<IpAddr>,
}

/// Records a withdrawal and emits `withdrawal_created`.
pub fn add_withdrawal(
    w: &mut Write<'_>,
    account_id: &str,
    new: NewWithdrawal,
) -> HttpResult<Withdrawal> {
    let amount_ok = !new.amount.is_empty()
        && new.amount.chars().all(|c| c.is_ascii_digit() || c == '.')
        && new.amount.matches('.').count() <= 1
        && new.amount.chars().any(|c| c.is_ascii_digit());
    if !amount_ok {
        return Err(HttpError::invalid_value(
            "`amount` must be a decimal number such as 0.5",
        ));
    }
    if new.asset.trim().is_empty() || new.address.trim().is_empty() {
        return Err(HttpError::invalid_value(
            "asset and address must not be empty",
        ));
    }
    let withdrawal = Withdrawal {
        id: new_id("wdr"),
        asset: new.asset.trim().to_uppercase(),
        amount: new.amount,
        address: new.address.trim().to_owned(),
        address_in_book: new.in_book,
        created_at: w.now,
        status: WithdrawalStatus::Pending,
        session_id: new.session_id,
        ip: new.ip.map(|ip| ip.to_string()),
    };
    w.tx.execute(
        "INSERT INTO withdrawals (id, account_id, asset, amount, address, address_in_book, created_at, status, session_id, ip) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
        rusqlite::params![
            withdrawal.id,
            account_id,
            withdrawal.asset,
            withdrawal.amount,
            withdrawal.address,
            withdrawal.address_in_book,
            ts(withdrawal.created_at),
            withdrawal.session_id,
            withdrawal.ip,
        ],
    )?;
    let mut event = Event::new(0, EventKind::WithdrawalCreated, w.now);
    if let Some(session_id) = &withdrawal.session_id {
        event.session = sessions::load(&w.tx, session_id)?.map(|s| s.view(w.geo, None));
    }
    event.withdrawal = Some(withdrawal.clone());
    w.emit(account_id, event)?;
    Ok(withdrawal)
}

/// The account's withdrawals, newest first.
pub fn withdrawals(conn: &Connection, account_id: &str, limit: u32) -> HttpResult<Vec<Withdrawal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, asset, amount, address, address_in_book, created_at, status, session_id, ip \
         FROM withdrawals WHERE account_id = ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![account_id, limit], |r| {
            let status: String = r.get(6)?;
            Ok(Withdrawal {
                id: r.get(0)?,
                asset: r.get(1)?,
                amount: r.get(2)?,
                address: r.get(3)?,
                address_in_book: r.get(4)?,
                created_at: parse_ts(&r.get::<_, String>(5)?)?,
                status: serde_json::from_value(serde_json::Value::String(status))
                    .unwrap_or(WithdrawalStatus::Unknown),
                session_id: r.get(7)?,
                ip: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
