//! Tables and lines for people; JSON for programs.

use chrono::Utc;
use keepwatch_api::{BlocklistEntry, LoginAttempt, TrustedDevice, Withdrawal};
use keepwatch_core::api::{
    AccountStatus, AccountSummary, AlertRecord, HistoryPage, HistoryState, SessionsPage, Settings,
    SyncPhase, SyncStatus,
};
use keepwatch_core::Severity;
use keepwatch_l10n::{msg, Catalogue, FluentValue, Language, Message};

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

/// Prints `list` as a table of `row`s under `header`, or `empty` when there is nothing.
fn list_table<T>(list: &[T], empty: &str, header: &[&str], row: impl Fn(&T) -> Vec<String>) {
    if list.is_empty() {
        println!("{empty}");
        return;
    }
    table(header, &list.iter().map(row).collect::<Vec<_>>());
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

/// Why the server could not be asked, for people.
fn reason(status: &SyncStatus) -> String {
    status
        .last_error
        .as_ref()
        .map(|e| clean(&e.message))
        .unwrap_or_else(|| "server unreachable".into())
}

/// "offline — last synced 5 minutes ago", on stderr, when the data is not fresh.
pub fn freshness(status: &SyncStatus) {
    match status.phase {
        SyncPhase::SignedOut => eprintln!(
            "signed out — showing history, {}; run `keepwatch login` again",
            last_synced(status.last_synced_at)
        ),
        SyncPhase::Offline | SyncPhase::Error => eprintln!(
            "offline — {} ({})",
            last_synced(status.last_synced_at),
            reason(status)
        ),
        SyncPhase::Idle | SyncPhase::Syncing => {}
    }
}

/// The sessions table.
pub fn sessions(page: &SessionsPage) {
    if page.sessions.is_empty() {
        println!("No sessions.");
        return;
    }
    let now = Utc::now();
    let header = [
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
    let rows: Vec<Vec<String>> = page
        .sessions
        .iter()
        .map(|item| {
            let s = &item.session;
            vec![
                if s.current { "●".into() } else { " ".into() },
                clean(&s.device.label),
                clean(&s.ip),
                s.network
                    .isp
                    .as_deref()
                    .map(clean)
                    .unwrap_or_else(|| "-".into()),
                place(&s.location.city, &s.location.country),
                local(s.created_at),
                format!(
                    "{} ({})",
                    local(s.last_active_at),
                    ago(s.last_active_at, now)
                ),
                match (&item.open_alert, item.trust) {
                    (Some(a), _) => severity(a.severity).to_owned(),
                    (None, Some(t)) => format!("trusted ({})", t.as_str()),
                    (None, None) => "-".into(),
                },
                clean(&s.id),
            ]
        })
        .collect();
    table(&header, &rows);
    if page.sessions.iter().any(|s| s.session.current) {
        println!("● this device (Keepwatch's own session)");
    }
}

/// The history table: every session ever seen that matched.
pub fn history(page: &HistoryPage) {
    if page.rows.is_empty() {
        println!("No sessions.");
        return;
    }
    let rows: Vec<Vec<String>> = page
        .rows
        .iter()
        .map(|r| {
            vec![
                clean(&r.device.label),
                clean(&r.ip),
                r.network
                    .isp
                    .as_deref()
                    .map(clean)
                    .unwrap_or_else(|| "-".into()),
                place(&r.location.city, &r.location.country),
                local(r.at),
                r.last_active_at.map(local).unwrap_or_else(|| "-".into()),
                match r.alert_severity {
                    Some(s) => severity(s).to_owned(),
                    None if r.confirmed => "trusted".into(),
                    None => "-".into(),
                },
                clean(&r.id),
                match (r.state, r.ended_at, r.end_reason) {
                    (HistoryState::Active, ..) => "active".into(),
                    (_, Some(t), Some(reason)) => format!("{} ({})", local(t), reason.as_str()),
                    (_, Some(t), None) => local(t),
                    (state, None, _) => format!("{state:?}").to_lowercase(),
                },
            ]
        })
        .collect();
    table(
        &[
            "DEVICE",
            "IP",
            "ISP",
            "LOCATION",
            "FIRST LOGIN",
            "LAST ACTIVITY",
            "ALERT",
            "ID",
            "ENDED",
        ],
        &rows,
    );
    if !page.total_is_exact || page.total as usize > page.rows.len() {
        let message = if page.total_is_exact {
            msg::CLI_HISTORY_SHOWN
        } else {
            msg::CLI_HISTORY_SHOWN_MORE
        };
        let shown = page.rows.len();
        println!(
            "{}",
            say(
                message,
                &[("shown", shown.into()), ("total", page.total.into())]
            )
        );
    }
}

/// One line per alert, as `watch` prints them.
pub fn alert_line(a: &keepwatch_core::AlertRecord, body: &str) -> String {
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
    list_table(
        list,
        "No alerts.",
        &["WHEN", "SEVERITY", "STATE", "TITLE", "SUMMARY", "SESSION"],
        |a| {
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
        },
    );
}

/// The accounts table.
pub fn accounts(list: &[AccountSummary]) {
    list_table(
        list,
        "No accounts; run `keepwatch login`.",
        &["ACCOUNT", "SERVER", "ADDED"],
        |a| vec![a.id.clone(), a.server_url.clone(), local(a.added_at)],
    );
}

/// `status`.
pub fn status(s: &AccountStatus) {
    println!("Account:         {}", s.account.id);
    println!("Server:          {}", s.account.server_url);
    println!(
        "Signed in:       {}",
        match s.status.phase {
            SyncPhase::SignedOut => "no — run `keepwatch login` again".to_owned(),
            SyncPhase::Idle | SyncPhase::Syncing => "yes".to_owned(),
            SyncPhase::Offline | SyncPhase::Error =>
                format!("unknown (offline: {})", reason(&s.status)),
        }
    );
    println!("Last synced:     {}", last_synced(s.status.last_synced_at));
    println!("Active sessions: {}", s.active_sessions);
    println!("Open alerts:     {}", s.open_alerts);
    println!("History:         {}", s.account.history_path);
}

/// The trusted devices table.
pub fn trusted_devices(list: &[TrustedDevice]) {
    list_table(
        list,
        "No trusted devices.",
        &["ID", "DEVICE", "IP", "LOCATION", "TRUSTED", "UNTIL"],
        |d| {
            vec![
                clean(&d.id),
                clean(&d.device.label),
                clean(&d.ip),
                place(&d.location.city, &d.location.country),
                local(d.created_at),
                local(d.expires_at),
            ]
        },
    );
}

/// How far an export has got, on stderr when it is a terminal: one line rewritten in place,
/// ended when the export is.
pub fn export_progress(p: keepwatch_core::api::ExportProgress) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || p.rows_total == 0 {
        return;
    }
    let percent = p.rows_done.saturating_mul(100) / p.rows_total;
    let end = if p.rows_done >= p.rows_total {
        "\n"
    } else {
        ""
    };
    eprint!(
        "\rExporting: {} of {} rows ({percent}%){end}",
        p.rows_done, p.rows_total
    );
}

/// A setting's value for people: strings bare, nothing as `none`.
pub fn setting_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "none".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every setting, `key = value`, one a line.
pub fn settings(s: &Settings) {
    for key in Settings::keys() {
        let value = s.get(&key).unwrap_or_default();
        println!("{key} = {}", setting_value(&value));
    }
}

/// The blocklist table.
pub fn blocklist(list: &[BlocklistEntry]) {
    list_table(
        list,
        "The blocklist is empty.",
        &["ID", "RANGE", "NOTE", "ADDED"],
        |e| {
            vec![
                clean(&e.id),
                clean(&e.cidr),
                e.note.as_deref().map(clean).unwrap_or_default(),
                local(e.created_at),
            ]
        },
    );
}

/// The withdrawals table.
pub fn withdrawals(list: &[Withdrawal]) {
    list_table(
        list,
        "No withdrawals.",
        &[
            "WHEN",
            "AMOUNT",
            "TO",
            "IN ADDRESS BOOK",
            "STATUS",
            "FROM IP",
        ],
        |w| {
            vec![
                local(w.created_at),
                format!("{} {}", clean(&w.amount), clean(&w.asset)),
                clean(&w.address),
                if w.address_in_book { "yes" } else { "NO" }.into(),
                format!("{:?}", w.status).to_lowercase(),
                w.ip.as_deref().map(clean).unwrap_or_else(|| "-".into()),
            ]
        },
    );
}

/// The sign-in history table.
pub fn login_history(list: &[LoginAttempt]) {
    list_table(
        list,
        "No sign-in attempts.",
        &["WHEN", "OUTCOME", "DEVICE", "IP", "LOCATION"],
        |a| {
            vec![
                local(a.at),
                format!("{:?}", a.outcome),
                clean(&a.device.label),
                clean(&a.ip),
                place(&a.location.city, &a.location.country),
            ]
        },
    );
}

/// `message` in the command line's language (English: a terminal's output is for scripts and
/// logs as much as for people), from the one catalogue the window and notifications use.
pub fn say(message: Message, args: &[(&str, FluentValue<'_>)]) -> String {
    Catalogue::get(Language::En).format(message, args)
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
