//! Tables and lines for people; JSON for programs.

use chrono::Utc;
use keepwatch_api::{BlocklistEntry, LoginAttempt, TrustedDevice, Withdrawal};
use keepwatch_core::api::{
    AccountStatus, AccountSummary, AlertRecord, HistoryPage, HistoryState, SessionsPage, Settings,
    SyncPhase, SyncStatus,
};
use keepwatch_core::Severity;
use keepwatch_l10n::{msg, Catalogue, FluentValue, Language, Message};

/// A severity by its name (`critical`), as `config set notifications.min_severity` takes it and
/// `--json` gives it: a name, not wording, so the tables and `watch` lines show it untranslated
/// like the alert states and the other names they quote.
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

/// Prints rows as columns padded to their widest cell, under the columns' names.
fn table(header: &[Message], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| text(*h)).collect();
    print!("{}", render_table(&header, rows));
}

/// Prints `list` as a table of `row`s under `header`, or `empty` when there is nothing.
fn list_table<T>(list: &[T], empty: Message, header: &[Message], row: impl Fn(&T) -> Vec<String>) {
    if list.is_empty() {
        println!("{}", text(empty));
        return;
    }
    table(header, &list.iter().map(row).collect::<Vec<_>>());
}

/// Rows as columns, padded by the width a terminal gives each cell: CJK letters and most emoji
/// take two columns, combining marks none, so counting characters would misalign them.
fn render_table(header: &[impl AsRef<str>], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = header.iter().map(|h| h.as_ref().width()).collect();
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
    line(
        &header
            .iter()
            .map(|h| h.as_ref().to_owned())
            .collect::<Vec<_>>(),
    );
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
        (None, None) => text(msg::CLI_UNKNOWN_PLACE),
    }
}

/// Why the server could not be asked, for people.
fn reason(status: &SyncStatus) -> String {
    status
        .last_error
        .as_ref()
        .map(|e| clean(&e.message))
        .unwrap_or_else(|| text(msg::CLI_SERVER_UNREACHABLE))
}

/// "offline — last synced 5 minutes ago", on stderr, when the data is not fresh.
pub fn freshness(status: &SyncStatus) {
    match status.phase {
        SyncPhase::SignedOut => {
            let args = [("synced", last_synced(status.last_synced_at).into())];
            eprintln!("{}", say(msg::CLI_SIGNED_OUT_SHOWING_HISTORY, &args))
        }
        SyncPhase::Offline | SyncPhase::Error => {
            eprintln!("{}", offline(status.last_synced_at, &reason(status)))
        }
        SyncPhase::Idle | SyncPhase::Syncing => {}
    }
}

/// "offline — last synced 5 minutes ago (why)": `reason` may quote the server, so it is made
/// inert here.
pub fn offline(last_synced_at: Option<chrono::DateTime<Utc>>, reason: &str) -> String {
    let args = [
        ("synced", last_synced(last_synced_at).into()),
        ("reason", clean(reason).into()),
    ];
    say(msg::CLI_OFFLINE, &args)
}

/// The sessions table.
/// `first_login_known`: the provider says when each session signed in; else (Matrix) the
/// column is when Keepwatch first saw it, and says so.
pub fn sessions(page: &SessionsPage, first_login_known: bool) {
    if page.sessions.is_empty() {
        println!("{}", text(msg::CLI_NO_SESSIONS));
        return;
    }
    let now = Utc::now();
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
                    (None, Some(t)) => say(msg::CLI_TRUSTED_BY, &[("source", t.as_str().into())]),
                    (None, None) => "-".into(),
                },
                clean(&s.id),
            ]
        })
        .collect();
    // The first column, the current session's mark, has no name.
    let header: Vec<String> = std::iter::once(String::new())
        .chain(
            [
                msg::CLI_COLUMN_DEVICE,
                msg::CLI_COLUMN_IP,
                msg::CLI_COLUMN_ISP,
                msg::CLI_COLUMN_LOCATION,
                if first_login_known {
                    msg::CLI_COLUMN_FIRST_LOGIN
                } else {
                    msg::CLI_COLUMN_FIRST_SEEN
                },
                msg::CLI_COLUMN_LAST_ACTIVITY,
                msg::CLI_COLUMN_ALERT,
                msg::CLI_COLUMN_ID,
            ]
            .map(text),
        )
        .collect();
    print!("{}", render_table(&header, &rows));
    if page.sessions.iter().any(|s| s.session.current) {
        println!("● {}", text(msg::CLI_THIS_DEVICE));
    }
}

/// The history table: every session ever seen that matched.
pub fn history(page: &HistoryPage) {
    if page.rows.is_empty() {
        println!("{}", text(msg::CLI_NO_SESSIONS));
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
                    None if r.confirmed => text(msg::CLI_TRUSTED),
                    None => "-".into(),
                },
                clean(&r.id),
                match (r.state, r.ended_at, r.end_reason) {
                    // The state's name, as in the arm below: a name, not wording.
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
            msg::CLI_COLUMN_DEVICE,
            msg::CLI_COLUMN_IP,
            msg::CLI_COLUMN_ISP,
            msg::CLI_COLUMN_LOCATION,
            msg::CLI_COLUMN_FIRST_LOGIN,
            msg::CLI_COLUMN_LAST_ACTIVITY,
            msg::CLI_COLUMN_ALERT,
            msg::CLI_COLUMN_ID,
            msg::CLI_COLUMN_ENDED,
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
    let session = a
        .alert
        .session_id
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| "-".into());
    format!(
        "{}  {:<8}  {}: {}  {}",
        local(a.alert.occurred_at),
        severity(a.alert.severity).to_uppercase(),
        clean(&a.alert.title),
        clean(body),
        say(msg::CLI_ALERT_SESSION, &[("id", session.into())])
    )
}

/// The alerts table.
pub fn alerts(list: &[AlertRecord]) {
    list_table(
        list,
        msg::CLI_NO_ALERTS,
        &[
            msg::CLI_COLUMN_WHEN,
            msg::CLI_COLUMN_SEVERITY,
            msg::CLI_COLUMN_STATE,
            msg::CLI_COLUMN_TITLE,
            msg::CLI_COLUMN_SUMMARY,
            msg::CLI_COLUMN_SESSION,
        ],
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
        msg::CLI_NO_ACCOUNTS,
        &[
            msg::CLI_COLUMN_ACCOUNT,
            msg::CLI_COLUMN_SERVER,
            msg::CLI_COLUMN_ADDED,
        ],
        |a| vec![a.id.clone(), a.server_url.clone(), local(a.added_at)],
    );
}

/// `status`.
pub fn status(s: &AccountStatus) {
    let signed_in = match s.status.phase {
        SyncPhase::SignedOut => text(msg::CLI_STATUS_NO),
        SyncPhase::Idle | SyncPhase::Syncing => text(msg::CLI_STATUS_YES),
        SyncPhase::Offline | SyncPhase::Error => say(
            msg::CLI_STATUS_UNKNOWN,
            &[("reason", reason(&s.status).into())],
        ),
    };
    let lines = [
        (msg::CLI_STATUS_ACCOUNT, s.account.id.clone()),
        (msg::CLI_STATUS_SERVER, s.account.server_url.clone()),
        (msg::CLI_STATUS_SIGNED_IN, signed_in),
        (
            msg::CLI_STATUS_LAST_SYNCED,
            last_synced(s.status.last_synced_at),
        ),
        (
            msg::CLI_STATUS_ACTIVE_SESSIONS,
            s.active_sessions.to_string(),
        ),
        (msg::CLI_STATUS_OPEN_ALERTS, s.open_alerts.to_string()),
        (msg::CLI_STATUS_HISTORY, s.account.history_path.clone()),
    ]
    .map(|(label, value)| (text(label), value));
    print!("{}", render_labelled(&lines));
}

/// "Label: value" lines with the values in one column, one space after the widest label: padded
/// by display width, so that labels in any script line up, and no padding lives in the
/// catalogue.
fn render_labelled(lines: &[(String, String)]) -> String {
    use unicode_width::UnicodeWidthStr;
    let width = lines.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in lines {
        out.push_str(label);
        out.push_str(&" ".repeat(width - label.width() + 1));
        out.push_str(value);
        out.push('\n');
    }
    out
}

/// The trusted devices table.
pub fn trusted_devices(list: &[TrustedDevice]) {
    list_table(
        list,
        msg::NO_TRUSTED,
        &[
            msg::CLI_COLUMN_ID,
            msg::CLI_COLUMN_DEVICE,
            msg::CLI_COLUMN_IP,
            msg::CLI_COLUMN_LOCATION,
            msg::CLI_COLUMN_TRUSTED,
            msg::CLI_COLUMN_UNTIL,
        ],
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
    let args = [
        ("done", p.rows_done.into()),
        ("total", p.rows_total.into()),
        ("percent", percent.into()),
    ];
    eprint!("\r{}{end}", say(msg::EXPORTING, &args));
}

/// `keepwatch geo status`: the folder, its files, and the data's attribution.
pub fn geo_status(g: &keepwatch_core::api::GeoStatus) {
    println!(
        "{}",
        say(msg::CLI_GEO_DIR, &[("dir", g.dir.as_str().into())])
    );
    geo_files(&g.files);
    if let Some(folder) = &g.folder {
        println!(
            "\n{}",
            say(msg::CLI_GEO_FOLDER, &[("folder", folder.as_str().into())])
        );
        geo_files(&g.folder_files);
    }
    println!("{}", g.attribution);
}

/// A table of location files.
fn geo_files(files: &[keepwatch_core::geo_data::GeoFile]) {
    list_table(
        files,
        msg::CLI_GEO_NONE,
        &[
            msg::CLI_COLUMN_FILE,
            msg::CLI_COLUMN_GIVES,
            msg::CLI_COLUMN_SIZE,
            msg::CLI_COLUMN_WRITTEN,
        ],
        |f| {
            vec![
                clean(&f.name),
                text(match f.kind {
                    keepwatch_core::geo_data::GeoKind::Place => msg::CLI_GEO_PLACES,
                    keepwatch_core::geo_data::GeoKind::Isp => msg::CLI_GEO_ISPS,
                }),
                format!("{:.1} MB", f.bytes as f64 / 1e6),
                f.modified.map(local).unwrap_or_else(|| "-".into()),
            ]
        },
    );
}

/// A download's progress on standard error, when it is a terminal.
pub fn geo_progress(p: keepwatch_core::geo_data::GeoProgress) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return;
    }
    let mb = |b: u64| format!("{:.1}", b as f64 / 1e6);
    let line = match p.bytes_total {
        Some(total) => say(
            msg::CLI_GEO_DOWNLOADING,
            &[
                ("file", p.file.as_str().into()),
                ("done", mb(p.bytes_done).into()),
                ("total", mb(total).into()),
            ],
        ),
        None => say(
            msg::CLI_GEO_DOWNLOADING_UNSIZED,
            &[
                ("file", p.file.as_str().into()),
                ("done", mb(p.bytes_done).into()),
            ],
        ),
    };
    let end = if p.bytes_total.is_some_and(|t| p.bytes_done >= t) {
        "\n"
    } else {
        ""
    };
    eprint!("\r{line}{end}");
}

/// A setting's value for people: strings bare, nothing as `none` (the word `config set` takes,
/// so not wording).
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
        msg::CLI_BLOCKLIST_EMPTY,
        &[
            msg::CLI_COLUMN_ID,
            msg::CLI_COLUMN_RANGE,
            msg::CLI_COLUMN_NOTE,
            msg::CLI_COLUMN_ADDED,
        ],
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
        msg::CLI_NO_WITHDRAWALS,
        &[
            msg::CLI_COLUMN_WHEN,
            msg::CLI_COLUMN_AMOUNT,
            msg::CLI_COLUMN_TO,
            msg::CLI_COLUMN_IN_ADDRESS_BOOK,
            msg::CLI_COLUMN_STATUS,
            msg::CLI_COLUMN_FROM_IP,
        ],
        |w| {
            vec![
                local(w.created_at),
                format!("{} {}", clean(&w.amount), clean(&w.asset)),
                clean(&w.address),
                text(if w.address_in_book {
                    msg::CLI_IN_ADDRESS_BOOK
                } else {
                    msg::CLI_NOT_IN_ADDRESS_BOOK
                }),
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
        msg::CLI_NO_SIGN_IN_ATTEMPTS,
        &[
            msg::CLI_COLUMN_WHEN,
            msg::CLI_COLUMN_OUTCOME,
            msg::CLI_COLUMN_DEVICE,
            msg::CLI_COLUMN_IP,
            msg::CLI_COLUMN_LOCATION,
        ],
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

/// A message without variables, as [`say`] gives it.
pub fn text(message: Message) -> String {
    say(message, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    const STATUS_LABELS: [Message; 7] = [
        msg::CLI_STATUS_ACCOUNT,
        msg::CLI_STATUS_SERVER,
        msg::CLI_STATUS_SIGNED_IN,
        msg::CLI_STATUS_LAST_SYNCED,
        msg::CLI_STATUS_ACTIVE_SESSIONS,
        msg::CLI_STATUS_OPEN_ALERTS,
        msg::CLI_STATUS_HISTORY,
    ];

    #[test]
    fn status_lines_read_as_they_did() {
        let lines = STATUS_LABELS.map(|label| (text(label), "x".to_owned()));
        assert_eq!(
            render_labelled(&lines),
            "Account:         x\n\
             Server:          x\n\
             Signed in:       x\n\
             Last synced:     x\n\
             Active sessions: x\n\
             Open alerts:     x\n\
             History:         x\n"
        );
    }

    #[test]
    fn status_values_line_up_whatever_the_labels_script() {
        let ar = Catalogue::get(Language::Ar);
        let lines = STATUS_LABELS.map(|label| (ar.text(label), "x".to_owned()));
        let text = render_labelled(&lines);
        let columns: Vec<usize> = text
            .lines()
            .map(|line| line[..line.rfind('x').unwrap()].width())
            .collect();
        assert!(
            columns.windows(2).all(|w| w[0] == w[1]),
            "{columns:?}\n{text}"
        );
    }

    /// Scripts, docs/cli.md and the integration tests read these lines: the catalogue gives
    /// them in the words the code used to hold.
    #[test]
    fn the_english_wording_is_what_the_command_printed_before() {
        let t0 = Utc::now() - chrono::TimeDelta::minutes(5);
        assert_eq!(
            offline(Some(t0), "server unreachable"),
            "offline — last synced 5 minutes ago (server unreachable)"
        );
        assert_eq!(
            offline(None, &text(msg::CLI_SERVER_UNREACHABLE)),
            "offline — never synced (server unreachable)"
        );
        let synced = [("synced", last_synced(None).into())];
        assert_eq!(
            say(msg::CLI_SIGNED_OUT_SHOWING_HISTORY, &synced),
            "signed out — showing history, never synced; run `keepwatch login` again"
        );
        assert_eq!(
            say(msg::CLI_WATCHING, &[("account", "a@b@h".into())]),
            "Watching a@b@h (Ctrl-C to stop)."
        );
        assert_eq!(
            text(msg::CLI_LIVE),
            "live: following the account's event stream"
        );
        let done = [("action", "SignOut".into()), ("session", "ses_1".into())];
        assert_eq!(
            say(msg::CLI_ACTION_DONE, &done),
            "done: SignOut for session ses_1"
        );
        let export = |done: u64, total: u64| {
            let percent = done * 100 / total;
            let args = [
                ("done", done.into()),
                ("total", total.into()),
                ("percent", percent.into()),
            ];
            say(msg::EXPORTING, &args)
        };
        assert_eq!(export(1000, 4000), "Exporting: 1000 of 4000 rows (25%)");
        assert_eq!(export(1, 1), "Exporting: 1 of 1 row (100%)");
        let reset = [("codes", 10.into()), ("path", "/tmp/2fa.txt".into())];
        assert_eq!(
            say(msg::CLI_TWO_FACTOR_RESET, &reset),
            "2FA reset. The new secret and 10 backup codes are in /tmp/2fa.txt (readable by \
             you only); add the secret to your authenticator app, then delete the file."
        );
        assert_eq!(
            say(msg::CLI_ALERT_SESSION, &[("id", "ses_1".into())]),
            "[session ses_1]"
        );
        let account = [("account", "a@b@h".into())];
        assert_eq!(
            say(msg::CLI_SIGNED_OUT_HISTORY_KEPT, &account),
            "Signed out of a@b@h; history kept."
        );
        assert_eq!(
            say(
                msg::CLI_NO_TERMINAL_PROMPT,
                &[("prompt", "Two-factor code".into())]
            ),
            "no terminal to ask \"Two-factor code\"; pass it as a flag"
        );
        for (message, was) in [
            (msg::CURRENT_PASSWORD, "Current password"),
            (msg::NEW_PASSWORD, "New password"),
            (msg::REPEAT_PASSWORD, "New password again"),
            (msg::PASSWORD, "Password"),
            (msg::NO_TRUSTED, "No trusted devices."),
            (msg::CLI_NO_SESSIONS, "No sessions."),
            (msg::CLI_BLOCKLIST_EMPTY, "The blocklist is empty."),
            (msg::CLI_COLUMN_LAST_ACTIVITY, "LAST ACTIVITY"),
            (msg::CLI_CANCELLED, "cancelled"),
        ] {
            assert_eq!(text(message), was);
        }
    }

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
