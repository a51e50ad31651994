//! The per-account IP blocklist.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use keepwatch_api::{BlocklistEntry, MAX_NOTE_CHARS};
use rusqlite::{Connection, OptionalExtension};

use crate::error::{HttpError, HttpResult};
use crate::store::parse_ts;

/// Parses an address or CIDR range into its canonical network: host bits masked, IPv4-mapped
/// IPv6 addresses turned into IPv4.
pub fn parse_range(text: &str) -> Result<IpNet, HttpError> {
    let text = text.trim();
    let bad =
        || HttpError::invalid_request("`address` must be an IPv4 or IPv6 address or CIDR range");
    let net = if text.contains('/') {
        text.parse::<IpNet>().map_err(|_| bad())?
    } else {
        IpNet::from(text.parse::<IpAddr>().map_err(|_| bad())?)
    };
    let net = match net {
        IpNet::V6(v6) => match v6.addr().to_ipv4_mapped() {
            Some(v4) if v6.prefix_len() >= 96 => {
                IpNet::new(IpAddr::V4(v4), v6.prefix_len() - 96).map_err(|_| bad())?
            }
            _ => net,
        },
        IpNet::V4(_) => net,
    };
    Ok(net.trunc())
}

/// Checks a note's length.
pub fn check_note(note: Option<&str>) -> HttpResult<()> {
    match note {
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => Err(HttpError::invalid_value(format!(
            "`note` is longer than {MAX_NOTE_CHARS} characters"
        ))),
        _ => Ok(()),
    }
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BlocklistEntry> {
    Ok(BlocklistEntry {
        id: row.get(0)?,
        cidr: row.get(1)?,
        note: row.get(2)?,
        created_at: parse_ts(&row.get::<_, String>(3)?)?,
    })
}

/// The account's entries, oldest first.
pub fn list(conn: &Connection, account_id: &str) -> HttpResult<Vec<BlocklistEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, cidr, note, created_at FROM blocklist WHERE account_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([account_id], entry_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One entry of the account.
pub fn get(conn: &Connection, account_id: &str, id: &str) -> HttpResult<Option<BlocklistEntry>> {
    Ok(conn
        .query_row(
            "SELECT id, cidr, note, created_at FROM blocklist WHERE account_id = ?1 AND id = ?2",
            [account_id, id],
            entry_from_row,
        )
        .optional()?)
}

/// Whether `ip` falls in any of the account's ranges.
pub fn is_blocked(conn: &Connection, account_id: &str, ip: IpAddr) -> HttpResult<bool> {
    let ip = ip.to_canonical();
    for entry in list(conn, account_id)? {
        // Stored ranges were canonicalised on the way in; a row that no longer parses blocks
        // nothing rather than failing every request.
        if let Ok(net) = entry.cidr.parse::<IpNet>() {
            if net.contains(&ip) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Stores a new entry.
pub fn insert(
    conn: &Connection,
    account_id: &str,
    net: IpNet,
    note: Option<String>,
    at: DateTime<Utc>,
) -> HttpResult<BlocklistEntry> {
    let entry = BlocklistEntry {
        id: crate::secrets::new_id("blk"),
        cidr: net.to_string(),
        note,
        created_at: at,
    };
    conn.execute(
        "INSERT INTO blocklist (id, account_id, cidr, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![entry.id, account_id, entry.cidr, entry.note, crate::store::ts(at)],
    )?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_canonical() {
        assert_eq!(
            parse_range("203.0.113.7").unwrap().to_string(),
            "203.0.113.7/32"
        );
        assert_eq!(
            parse_range("203.0.113.7/24").unwrap().to_string(),
            "203.0.113.0/24"
        );
        assert_eq!(
            parse_range("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert_eq!(
            parse_range("2001:db8:1:2::5/48").unwrap().to_string(),
            "2001:db8:1::/48"
        );
        assert_eq!(
            parse_range("::ffff:198.51.100.9").unwrap().to_string(),
            "198.51.100.9/32"
        );
        for bad in [
            "",
            "300.1.1.1",
            "1.2.3.4/33",
            "2001:db8::/129",
            "example.com",
            "1.2.3.4/",
            "fe80::1%eth0",
        ] {
            assert!(parse_range(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
