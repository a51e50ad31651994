// View types of the desktop app's IPC that keepwatch-core does not define yet.
//
// TO BE GENERATED FROM keepwatch-core: once the core's facade lands, its serde view types get
// the same `ts` feature as keepwatch-api, these hand-written shapes are deleted, and the imports
// point at src/bindings instead. Until then they are the contract the core is asked to match
// (see ui/IPC.md): snake_case fields, times as RFC 3339 UTC strings, `null` for unknown.

import type { Alert } from "../bindings/Alert";
import type { Device } from "../bindings/Device";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Location } from "../bindings/Location";
import type { Network } from "../bindings/Network";
import type { Severity } from "../bindings/Severity";

/** An account Keepwatch knows; credentials stay in the OS keyring and never reach the UI. */
export type AccountSummary = {
  /** The core's local id for the account (not the server's). */
  id: string;
  /** Base URL of the account service, e.g. "https://exchange.example". */
  server_url: string;
  email: string;
  /** Whether "remember this account" was chosen: credentials are kept in the keyring. */
  remembered: boolean;
  /** Whether this is the account the views show. */
  active: boolean;
  /** Whether the core holds a live session for it now. */
  signed_in: boolean;
};

/** What the sync engine is doing. */
export type SyncPhase =
  | "idle" // up to date, watching
  | "syncing" // fetching now
  | "offline" // the account service cannot be reached; cached data is shown
  | "signed_out" // no session: sign in again
  | "error"; // the last sync failed for another reason (see last_error)

/** The sync engine's state for the active account; also the `sync://status` event payload. */
export type SyncStatus = {
  /** The active account, or null when none is set up yet. */
  account_id: string | null;
  phase: SyncPhase;
  /** When the cached data was last refreshed from the server; null if never. */
  last_synced_at: string | null;
  /** Whether the live event stream is connected. */
  live: boolean;
  /** Why the last sync failed, when it did. */
  last_error: IpcError | null;
};

/** Where the user is with an alert. */
export type AlertState = "open" | "acknowledged" | "resolved";

/** An alert as the core stores it: the detector's Alert plus the user's progress. */
export type AlertRecord = {
  alert: Alert;
  state: AlertState;
  /** When the user last changed the state; null while untouched. */
  updated_at: string | null;
};

/** How a session or sign-in attempt in the history ended up. */
export type HistoryState =
  | "active" // still signed in
  | "signed_out" // revoked or logged out
  | "expired" // reached its idle lifetime
  | "failed"; // a sign-in attempt that did not open a session

/** One row of the local history: a session (past or present) or a failed sign-in. */
export type HistoryRow = {
  /** Session id, or sign-in attempt id for failed attempts. */
  id: string;
  state: HistoryState;
  /** When the session was created or the attempt made. */
  at: string;
  /** Last activity, for sessions. */
  last_active_at: string | null;
  /** When the session ended, if it has. */
  ended_at: string | null;
  ip: string;
  device: Device;
  network: Network;
  location: Location;
  /** Whether the user said "this was me". */
  confirmed: boolean;
  /** Severity of the alert raised about it, if any. */
  alert_severity: Severity | null;
};

/** What to show of the history. Every field narrows; null means "any". */
export type HistoryFilter = {
  /** Inclusive lower bound on `at`, RFC 3339 UTC. */
  from: string | null;
  /** Exclusive upper bound on `at`, RFC 3339 UTC. */
  to: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country_code: string | null;
  /** Exact device label, as in `device.label`. */
  device: string | null;
  state: HistoryState | null;
  /** Free text matched case-insensitively against device, IP, ISP, city and country. */
  text: string | null;
};

/** The answer to `history`: matching rows, newest first, and what the filters can offer. */
export type HistoryPage = {
  rows: HistoryRow[];
  /** Total rows matching, which may exceed rows.length when the core caps the page. */
  total: number;
  /** Every country code and device label in the whole cached history, for the filter menus. */
  countries: string[];
  devices: string[];
};

export type ExportFormat = "csv" | "json";

/** The answer to `export_history`. */
export type ExportResult = {
  /** Where the file was written; null when the user cancelled the save dialog. */
  path: string | null;
  rows: number;
};

/** What the sign-in form sends. The password and TOTP code go straight to the core. */
export type SignInRequest = {
  server_url: string;
  email: string;
  password: string;
  /** Asked for after the first attempt answers `totp_required`. */
  totp_code: string | null;
  /** "Remember this account": keep credentials in the OS keyring and use remember_me. */
  remember: boolean;
  /** Mark this computer as a trusted device (skips 2FA for 30 days). */
  trust_device: boolean;
};

export type Language = "en" | "ar";

/** App preferences, kept by the core. */
export type Settings = {
  /** null: follow the system language. */
  language: Language | null;
  notifications: {
    enabled: boolean;
    /** Alerts below this severity are listed but not notified. */
    min_severity: Severity;
    sound: boolean;
  };
  /** While set and in the future, location-only alerts are lowered to Info. */
  travel_mode_until: string | null;
  start_at_login: boolean;
};

/** Error kinds the core adds to the account API's ErrorCode. */
export type CoreErrorKind =
  | "network" // the account service could not be reached
  | "tls" // its certificate was refused
  | "keyring" // the OS keyring refused
  | "storage" // the local database failed
  | "not_signed_in" // the command needs a signed-in account
  | "no_account"; // no such account

/** Error kinds only the UI produces. */
export type UiErrorKind = "not_connected"; // no Tauri IPC: the page runs outside the app

export type IpcErrorKind = ErrorCode | CoreErrorKind | UiErrorKind;

/** How every failed command rejects. */
export type IpcError = {
  kind: IpcErrorKind;
  /** For people, in English; the UI prefers its own wording by kind. */
  message: string;
  /** For account_locked / rate_limited / unavailable: seconds until a retry may work. */
  retry_after_secs?: number;
};

/** The demo server and account `./run demo` asks the sign-in form to show. */
export type DemoDefaults = {
  server_url: string;
  email: string;
  /** The demo account's published password; null when the terminal shows it instead. */
  password: string | null;
};
