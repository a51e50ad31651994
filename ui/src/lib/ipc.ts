// The typed IPC layer: one function per Tauri command of the desktop shell, and the live events.
// Every name, argument and answer here is listed in ui/IPC.md, which the Rust side implements.
//
// Argument keys are camelCase because Tauri 2 maps a Rust command parameter `session_id` to the
// JavaScript key `sessionId`; the values inside them are the serde (snake_case) types.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { BlocklistEntry } from "../bindings/BlocklistEntry";
import type { ChangePasswordResponse } from "../bindings/ChangePasswordResponse";
import type { NewBlocklistEntry } from "../bindings/NewBlocklistEntry";
import type { ProviderFound } from "../bindings/ProviderFound";
import type { RevokeOthersResponse } from "../bindings/RevokeOthersResponse";
import type { SessionLength } from "../bindings/SessionLength";
import type { TrustedDevice } from "../bindings/TrustedDevice";
import type { Withdrawal } from "../bindings/Withdrawal";
import type {
  About,
  AccountSummary,
  AlertRecord,
  AlertsPage,
  AlertState,
  DemoDefaults,
  ExportFormat,
  ExportProgress,
  ExportResult,
  FocusRequest,
  GeoProgress,
  GeoStatus,
  HistoryFilter,
  HistoryPage,
  IpcError,
  IpcErrorKind,
  NewTwoFactor,
  SessionsPage,
  Settings,
  SignedIn,
  SignInRequest,
  SyncStatus,
} from "./types";

/** Whether the page runs inside the Keepwatch app, with the core on the other end. */
export function connected(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Whether a thrown value is an IpcError. */
export function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a command rejected with into an IpcError. */
export function toIpcError(value: unknown): IpcError {
  if (isIpcError(value)) {
    const error: IpcError = { kind: value.kind, message: value.message };
    const retry = value.retry_after_secs;
    if (typeof retry === "number" && Number.isFinite(retry) && retry >= 0) {
      error.retry_after_secs = retry;
    }
    return error;
  }
  const message = value instanceof Error ? value.message : String(value);
  return { kind: "internal", message };
}

function notConnected(): IpcError {
  return { kind: "not_connected", message: "Not connected to the Keepwatch service" };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!connected()) throw notConnected();
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

/** The error kinds that mean "try again later", with a retry time when the server gave one. */
export const RETRYABLE: readonly IpcErrorKind[] = [
  "account_locked",
  "rate_limited",
  "unavailable",
  "network",
];

// --- Accounts -------------------------------------------------------------------------------

export const status = () => call<SyncStatus>("status");
export const accounts = () => call<AccountSummary[]>("accounts");
export const signIn = (request: SignInRequest) => call<SignedIn>("sign_in", { request });
/** What kind of account system answers at `server` (a URL, or a Matrix ID like `@ann:example.org`). */
export const detectProvider = (server: string) => call<ProviderFound>("detect_provider", { server });
/** Ends the account's session on the server; `forget` also deletes its keyring entry and cache. */
export const signOut = (accountId: string, forget: boolean) =>
  call<void>("sign_out", { accountId, forget });
export const switchAccount = (accountId: string) =>
  call<SyncStatus>("switch_account", { accountId });
/** Asks the server for everything new now (the engine does this by itself, live). */
export const syncNow = () => call<SyncStatus>("sync_now");

// --- Sessions -------------------------------------------------------------------------------

/** The active account's sessions, as history last saw them (the engine keeps it fresh). */
export const listSessions = () => call<SessionsPage>("list_sessions");
/** `password` where the account's server confirms sign-outs with it (Matrix). */
export const revokeSession = (sessionId: string, password?: string) =>
  call<void>("revoke_session", password === undefined ? { sessionId } : { sessionId, password });
export const revokeOthers = (password?: string) =>
  call<RevokeOthersResponse>("revoke_others", password === undefined ? {} : { password });
/** "This was me": the core learns the session as familiar and resolves its alerts. */
export const confirmSession = (sessionId: string) =>
  call<void>("confirm_session", { sessionId });

// --- Alerts ---------------------------------------------------------------------------------

export const listAlerts = () => call<AlertsPage>("list_alerts", { filter: null });
export const setAlertState = (key: string, state: AlertState) =>
  call<AlertRecord>("set_alert_state", { key, state });

// --- History --------------------------------------------------------------------------------

export const history = (filter: HistoryFilter) => call<HistoryPage>("history", { filter });
/** Exports the whole history to a file the user picks. */
export const exportHistory = (format: ExportFormat) =>
  call<ExportResult>("export_history", { format });

// --- Account actions ------------------------------------------------------------------------

export const changePassword = (currentPassword: string, newPassword: string) =>
  call<ChangePasswordResponse>("change_password", { currentPassword, newPassword });
export const resetTwoFactor = (password: string) =>
  call<NewTwoFactor>("reset_two_factor", { password });
export const withdrawals = (limit?: number) =>
  call<Withdrawal[]>("withdrawals", { limit: limit ?? null });

// --- Security settings ----------------------------------------------------------------------

export const blocklist = () => call<BlocklistEntry[]>("blocklist");
export const addBlock = (entry: NewBlocklistEntry) => call<BlocklistEntry>("add_block", { entry });
export const removeBlock = (id: string) => call<void>("remove_block", { id });
export const sessionLength = () => call<SessionLength>("session_length");
export const setSessionLength = (value: SessionLength) =>
  call<SessionLength>("set_session_length", { value });
export const trustedDevices = () => call<TrustedDevice[]>("trusted_devices");
export const forgetTrustedDevice = (id: string) => call<void>("forget_trusted_device", { id });

// --- App settings ---------------------------------------------------------------------------

export const settings = () => call<Settings>("settings");
export const setSettings = (value: Settings) => call<Settings>("set_settings", { settings: value });

// --- Location data (what places Matrix sessions) -------------------------------------------

export const geoStatus = () => call<GeoStatus>("geo_status");
/** Downloads DB-IP Lite's current files; progress comes as `geo://progress` events. */
export const updateGeo = () => call<GeoStatus>("update_geo");
/** Reads location files from `folder` too (checked first), or none (null). */
export const setLocationDataFolder = (folder: string | null) =>
  call<GeoStatus>("set_location_data_folder", { folder });
/** A folder picked in the platform's dialog; null when cancelled. */
export const chooseFolder = () => call<string | null>("choose_folder");

/** Where Keepwatch keeps its files, and the log folder a user can send. */
export const about = () => call<About>("about");

/** What `./run demo` pre-fills in the sign-in form; null outside the demo. */
export const demoDefaults = () => call<DemoDefaults | null>("demo_defaults");

/** What a notification or the tray asked the window to show, once; null when nothing waits. */
export const takeFocusRequest = () => call<FocusRequest | null>("take_focus_request");

// --- Live events ----------------------------------------------------------------------------

/** Event names and payloads the shell emits. */
export type Events = {
  "sync://status": SyncStatus;
  "sync://sessions": SessionsPage;
  "sync://alert": AlertRecord;
  /** The settings changed, in this window, the tray or another process (the CLI). */
  "sync://settings": Settings;
  /** Accounts were added, removed or switched, here or in another process. */
  "sync://accounts": AccountSummary[];
  /** A notification or the tray asks the window to show something. */
  "sync://focus": FocusRequest;
  /** How far the download `updateGeo` started has got. */
  "geo://progress": GeoProgress;
  /** How far the export `exportHistory` started has got. */
  "export://progress": ExportProgress;
};

/** Subscribes to a live event; resolves to a function that unsubscribes. No-op when offline. */
export async function on<E extends keyof Events>(
  event: E,
  handler: (payload: Events[E]) => void,
): Promise<UnlistenFn> {
  if (!connected()) return () => {};
  return listen<Events[E]>(event, (e) => handler(e.payload));
}

/** Subscribes to a live event for as long as a component is mounted (return it from
 * `onMount`): the function it returns unsubscribes at once, even when the subscription is still
 * being made. */
export function subscribe<E extends keyof Events>(
  event: E,
  handler: (payload: Events[E]) => void,
): () => void {
  let unlisten: UnlistenFn | null = null;
  let gone = false;
  void on(event, handler).then((off) => {
    if (gone) off();
    else unlisten = off;
  });
  return () => {
    gone = true;
    unlisten?.();
  };
}
