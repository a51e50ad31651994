// What the window shows, loaded from the core over IPC and kept current by its live events.
// The core owns the data (and its offline cache); this holds the latest copy for rendering.

import * as ipc from "./ipc";
import { setLanguage, systemLanguage } from "./i18n/locale.svelte";
import type {
  AccountSummary,
  AlertRecord,
  FocusRequest,
  IpcError,
  SessionsPage,
  Settings,
  SyncStatus,
} from "./types";

/** Whether the core answered: `absent` outside the app, `failed` when the app did not answer. */
export type Connection = "checking" | "connected" | "absent" | "failed";

export class AppStore {
  connection = $state<Connection>("checking");
  status = $state<SyncStatus | null>(null);
  accounts = $state<AccountSummary[]>([]);
  sessions = $state<SessionsPage | null>(null);
  alerts = $state<AlertRecord[]>([]);
  settings = $state<Settings | null>(null);
  /** The last error that stopped a load, for the page to show. */
  error = $state<IpcError | null>(null);
  /** "Now" for relative times; ticks while the window is open. */
  now = $state(new Date());
  /** What a notification or the tray asked the window to show, until the page shows it (and
   * clears this). */
  focusRequest = $state<FocusRequest | null>(null);

  private unlisten: (() => void)[] = [];

  /** Loads everything and subscribes to live updates. */
  async start(): Promise<void> {
    setLanguage(systemLanguage());
    if (!ipc.connected()) {
      this.connection = "absent";
      return;
    }
    try {
      this.status = await ipc.status();
      this.connection = "connected";
    } catch (error) {
      this.error = ipc.toIpcError(error);
      this.connection = "failed";
      return;
    }
    await Promise.all([this.loadSettings(), this.loadAccounts(), this.refresh()]);
    this.unlisten = await Promise.all([
      ipc.on("sync://status", (status) => (this.status = status)),
      ipc.on("sync://sessions", (sessions) => (this.sessions = sessions)),
      ipc.on("sync://alert", (record) => this.upsertAlert(record)),
      // Changed in the tray or by another process (the CLI's `config set`, `travel`, `login`).
      ipc.on("sync://settings", (settings) => this.applySettings(settings)),
      ipc.on("sync://accounts", (accounts) => (this.accounts = accounts)),
      // Taking the request clears it, so that a window built later does not repeat it.
      ipc.on("sync://focus", (request) => {
        this.focusRequest = request;
        void ipc.takeFocusRequest().catch(() => null);
      }),
    ]);
    // A click on a notification, or the tray, may be why this window was opened.
    this.focusRequest = (await ipc.takeFocusRequest().catch(() => null)) ?? this.focusRequest;
  }

  stop(): void {
    for (const unlisten of this.unlisten) unlisten();
    this.unlisten = [];
  }

  /** Reloads sessions and alerts; offline, the core answers from its cache. */
  async refresh(): Promise<void> {
    const [sessions, alerts] = await Promise.allSettled([ipc.listSessions(), ipc.listAlerts()]);
    if (sessions.status === "fulfilled") this.sessions = sessions.value;
    else this.error = ipc.toIpcError(sessions.reason);
    if (alerts.status === "fulfilled") this.alerts = alerts.value.alerts;
  }

  /** Re-reads the sync status, e.g. once an account has been signed in. */
  async loadStatus(): Promise<void> {
    try {
      this.status = await ipc.status();
    } catch (error) {
      this.error = ipc.toIpcError(error);
    }
  }

  /**
   * A sign-in succeeded: the account is now the active one, so everything the window shows is
   * read again (the shell's live events may arrive before or after this answer).
   */
  async signedIn(): Promise<void> {
    await Promise.all([this.loadStatus(), this.loadAccounts(), this.refresh()]);
  }

  async loadAccounts(): Promise<void> {
    try {
      this.accounts = await ipc.accounts();
    } catch (error) {
      this.error = ipc.toIpcError(error);
    }
  }

  async loadSettings(): Promise<void> {
    try {
      this.applySettings(await ipc.settings());
    } catch (error) {
      this.error = ipc.toIpcError(error);
    }
  }

  async saveSettings(next: Settings): Promise<void> {
    this.applySettings(await ipc.setSettings(next));
  }

  applySettings(settings: Settings): void {
    this.settings = settings;
    setLanguage(settings.language ?? systemLanguage());
  }

  upsertAlert(record: AlertRecord): void {
    const rest = this.alerts.filter((a) => a.alert.key !== record.alert.key);
    this.alerts = [record, ...rest];
  }
}
