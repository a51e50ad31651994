//! The database schema, as ordered migrations. `PRAGMA user_version` records how many ran;
//! append new scripts, never edit old ones.

/// Migration scripts; script `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE accounts (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash    TEXT NOT NULL,
    totp_secret      TEXT,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    web_idle_days    INTEGER NOT NULL DEFAULT 30,
    mobile_idle_days INTEGER NOT NULL DEFAULT 90,
    created_at       TEXT NOT NULL
);
CREATE TABLE backup_codes (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (account_id, code_hash)
);
CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts(id),
    client         TEXT NOT NULL,
    remember_me    INTEGER NOT NULL,
    trusted_device INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    ip             TEXT NOT NULL,
    device_json    TEXT NOT NULL,
    ended_at       TEXT,
    end_reason     TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id, ended_at);
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    expires_at TEXT NOT NULL
);
CREATE INDEX access_tokens_by_session ON access_tokens (session_id);
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    created_at TEXT NOT NULL,
    rotated_at TEXT
);
CREATE TABLE trusted_devices (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    token_hash  TEXT NOT NULL UNIQUE,
    device_json TEXT NOT NULL,
    ip          TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE login_attempts (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    at            TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    session_id    TEXT,
    ip            TEXT NOT NULL,
    device_json   TEXT NOT NULL,
    network_json  TEXT NOT NULL,
    location_json TEXT NOT NULL
);
CREATE INDEX login_attempts_by_account ON login_attempts (account_id, seq);
CREATE TABLE withdrawals (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    asset           TEXT NOT NULL,
    amount          TEXT NOT NULL,
    address         TEXT NOT NULL,
    address_in_book INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    status          TEXT NOT NULL,
    session_id      TEXT,
    ip              TEXT
);
CREATE INDEX withdrawals_by_account ON withdrawals (account_id, seq);
CREATE TABLE blocklist (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    cidr       TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE events (
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    id          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
"#,
    // The last TOTP time step accepted, so that a code cannot be replayed while still fresh.
    r#"
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;
"#,
    // The account's withdrawal address book: a withdrawal to an address in it is marked so.
    r#"
CREATE TABLE address_book (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    label TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (account_id, address)
);
"#,
    // How a session ended, so that its tokens can say so: the reason (a `RevocationReason`
    // wire name), the session that ended it, and the event that records it.
    r#"
ALTER TABLE sessions ADD COLUMN ended_by TEXT;
ALTER TABLE sessions ADD COLUMN end_event_id INTEGER;
"#,
    // Which refresh token replaced each rotated one, and when a replacement was retired unused
    // (its client crashed before storing it and came back with the old token).
    r#"
ALTER TABLE refresh_tokens ADD COLUMN successor_hash TEXT;
ALTER TABLE refresh_tokens ADD COLUMN retired_at TEXT;
"#,
    // Failed password checks per (email as typed, source): an address (IPv6 by /64), a
    // trusted device or a session. Replaces the account-wide `failed_logins`/`locked_until`,
    // which let anyone lock anyone out and answered 423 only for emails with an account.
    r#"
CREATE TABLE login_failures (
    subject        TEXT NOT NULL,
    source         TEXT NOT NULL,
    failed         INTEGER NOT NULL DEFAULT 0,
    lockouts       INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    last_failed_at TEXT NOT NULL,
    PRIMARY KEY (subject, source)
);
"#,
    // The absolute end of each session, however busy: fixed at sign-in. Sessions from before
    // get the default 90 days after their start (in the format `ts` writes).
    r#"
ALTER TABLE sessions ADD COLUMN absolute_expires_at TEXT;
UPDATE sessions SET absolute_expires_at = strftime('%Y-%m-%dT%H:%M:%f000Z', created_at, '+90 days');
"#,
];
