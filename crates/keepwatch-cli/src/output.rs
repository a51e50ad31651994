//! Tables and lines for people; JSON for programs.

use chrono::Utc;
use keepwatch_api::{BlocklistEntry, LoginAttempt, Withdrawal};
use keepwatch_core::views::{AccountView, Freshness, SessionView, StatusView};
use keepwatch_core::{AlertRecord, Severity};

/// A severity for people.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}

use crate::time::{ago, last_synced, local};

/// Pretty JSON on standard output.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints rows as columns padded to their widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) {
    print!("{}", render_table(header, rows));
}

/// Rows as columns, padded by the width a terminal gives each cell: CJK letters and most emoji
/// take two columns, combining marks none, so counting characters would misalign them.
fn render_table(header: &[&str], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for row in rows {
        line(row);
    }
    out
}

/// Text a server sent, as the core makes it inert: the core already cleaned it on the way in
/// and cleaning is idempotent, so this only guards against a path that forgot.
fn clean(s: &str) -> String {
    keepwatch_core::inert::text(s)
}

fn place(city: &Option<String>, country: &Option<String>) -> String {
    match (city, country) {
        (Some(c), Some(k)) => format!("{}, {}", clean(c), clean(k)),
        (None, Some(k)) => clean(k),
        (Some(c), None) => clean(c),
        (None, None) => "unknown".into(),
    }
}

/// "offline — last synced 5 minutes ago", on stderr, when the data is not fresh.
pub fn freshness(f: &Freshness) {
    if f.signed_out {
        eprintln!(
            "signed out — showing history, {}; run `keepwatch login` again",
            last_synced(f.last_synced_at)
        );
    } else if !f.online {
        eprintln!(
            "offline — {} ({})",
            last_synced(f.last_synced_at),
            f.offline_reason
                .as_deref()
                .map(clean)
                .unwrap_or_else(|| "server unreachable".into())
        );
    }
}

/// The sessions table; `ended` adds the columns of history.
pub fn sessions(list: &[SessionView], ended: bool) {
    if list.is_empty() {
        println!("No sessions.");
        return;
    }
    let now = Utc::now();
    let mut header = vec![
        "",
        "DEVICE",
        "IP",
        "ISP",
        "LOCATION",
        "FIRST LOGIN",
        "LAST ACTIVITY",
        "ALERT",
        "ID",
    ];
    if ended {
        header.push("ENDED");
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            let mut row = vec![
                if s.current { "●".into() } else { " ".into() },
                clean(&s.device),
                clean(&s.ip),
                s.isp.as_deref().map(clean).unwrap_or_else(|| "-".into()),
                place(&s.city, &s.country),
                local(s.first_login),
                format!("{} ({})", local(s.last_activity), ago(s.last_activity, now)),
                match (&s.open_alert, s.trust) {
                    (Some(a), _) => severity(a.severity).to_owned(),
                    (None, Some(t)) => format!("trusted ({})", t.as_str()),
                    (None, None) => "-".into(),
                },
                clean(&s.id),
            ];
            if ended {
                row.push(match (s.ended_at, s.end_reason) {
                    (Some(t), Some(r)) => format!("{} ({})", local(t), r.as_str()),
                    (Some(t), None) => local(t),
                    _ => "active".into(),
                });
            }
            row
        })
        .collect();
    table(&header, &rows);
    if list.iter().any(|s| s.current) {
        println!("● this device (Keepwatch's own session)");
    }
}

/// One line per alert, as `watch` prints them.
pub fn alert_line(a: &AlertRecord, body: &str) -> String {
    format!(
        "{}  {:<8}  {}: {}  [session {}]",
        local(a.alert.occurred_at),
        severity(a.alert.severity).to_uppercase(),
        clean(&a.alert.title),
        clean(body),
        a.alert
            .session_id
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| "-".into())
    )
}

/// The alerts table.
pub fn alerts(list: &[AlertRecord]) {
    if list.is_empty() {
        println!("No alerts.");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            vec![
                local(a.alert.occurred_at),
                severity(a.alert.severity).to_owned(),
                a.state.as_str().to_owned(),
                clean(&a.alert.title),
                clean(&a.alert.summary),
                a.alert
                    .session_id
                    .as_deref()
                    .map(clean)
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        &["WHEN", "SEVERITY", "STATE", "TITLE", "SUMMARY", "SESSION"],
        &rows,
    );
}

/// The accounts table.
pub fn accounts(list: &[AccountView]) {
    if list.is_empty() {
        println!("No accounts; run `keepwatch login`.");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| vec![a.id.clone(), a.server.clone(), local(a.added_at)])
        .collect();
    table(&["ACCOUNT", "SERVER", "ADDED"], &rows);
}

/// `status`.
pub fn status(s: &StatusView) {
    println!("Account:         {}", s.account.id);
    println!("Server:          {}", s.account.server);
    println!(
        "Signed in:       {}",
        if s.freshness.signed_out {
            "no — run `keepwatch login` again".to_owned()
        } else if s.freshness.online {
            "yes".to_owned()
        } else {
            format!(
                "unknown (offline: {})",
                s.freshness
                    .offline_reason
                    .as_deref()
                    .map(clean)
                    .unwrap_or_else(|| "-".into())
            )
        }
    );
    println!(
        "Last synced:     {}",
        last_synced(s.freshness.last_synced_at)
    );
    println!("Active sessions: {}", s.active_sessions);
    println!("Open alerts:     {}", s.open_alerts);
    println!("History:         {}", s.account.history_path);
}

/// The blocklist table.
pub fn blocklist(list: &[BlocklistEntry]) {
    if list.is_empty() {
        println!("The blocklist is empty.");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|e| {
            vec![
                clean(&e.id),
                clean(&e.cidr),
                e.note.as_deref().map(clean).unwrap_or_default(),
                local(e.created_at),
            ]
        })
        .collect();
    table(&["ID", "RANGE", "NOTE", "ADDED"], &rows);
}

/// The withdrawals table.
pub fn withdrawals(list: &[Withdrawal]) {
    if list.is_empty() {
        println!("No withdrawals.");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|w| {
            vec![
                local(w.created_at),
                format!("{} {}", clean(&w.amount), clean(&w.asset)),
                clean(&w.address),
                if w.address_in_book { "yes" } else { "NO" }.into(),
                format!("{:?}", w.status).to_lowercase(),
                w.ip.as_deref().map(clean).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        &[
            "WHEN",
            "AMOUNT",
            "TO",
            "IN ADDRESS BOOK",
            "STATUS",
            "FROM IP",
        ],
        &rows,
    );
}

/// The sign-in history table.
pub fn login_history(list: &[LoginAttempt]) {
    if list.is_empty() {
        println!("No sign-in attempts.");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            vec![
                local(a.at),
                format!("{:?}", a.outcome),
                clean(&a.device.label),
                clean(&a.ip),
                place(&a.location.city, &a.location.country),
            ]
        })
        .collect();
    table(&["WHEN", "OUTCOME", "DEVICE", "IP", "LOCATION"], &rows);
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn columns_line_up_by_display_width() {
        let rows = vec![
            vec!["Tokyo 東京".to_owned(), "Japan".to_owned()],
            vec!["Cairo القاهرة".to_owned(), "Egypt".to_owned()],
            vec!["Ha\u{0301}vre 🛳".to_owned(), "France".to_owned()],
            vec!["Berlin".to_owned(), "Germany".to_owned()],
        ];
        let text = render_table(&["City", "Country"], &rows);
        let columns: Vec<usize> = text
            .lines()
            .map(|line| {
                let (i, _) = line
                    .char_indices()
                    .find(|(i, _)| {
                        ["Country", "Japan", "Egypt", "France", "Germany"]
                            .iter()
                            .any(|w| line[*i..].starts_with(w))
                    })
                    .unwrap();
                line[..i].width()
            })
            .collect();
        assert!(
            columns.windows(2).all(|w| w[0] == w[1]),
            "{columns:?}\n{text}"
        );
    }
}
