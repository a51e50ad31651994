// Dev-only preview: mounts the app with Tauri's IPC mock answering from the fixtures, so the
// views can be looked at in a browser. `#alerts`, `#history`… opens that section;
// `?offline` starts as if the account service were unreachable.

import { mockIPC } from "@tauri-apps/api/mocks";
import { mount, tick } from "svelte";
import App from "../App.svelte";
import "../app.css";
import * as f from "./fixtures";

const answers: Record<string, (args: Record<string, unknown>) => unknown> = {
  status: () => (location.search.includes("offline") ? f.offlineStatus : f.status),
  settings: () => f.settings,
  set_settings: (args) => args.settings,
  accounts: () => f.accounts,
  list_sessions: () => f.sessionList,
  list_alerts: () => ({ status: f.status, alerts: f.alerts }),
  history: () => f.historyPage,
  withdrawals: () => f.withdrawalList,
  blocklist: () => [
    { id: "b1", cidr: "203.0.113.0/24", note: "Old office", created_at: "2026-10-01T10:00:00Z" },
  ],
  session_length: () => ({ web_idle_days: 30, mobile_idle_days: 90 }),
  trusted_devices: () => [
    {
      id: "t1",
      device: f.current.device,
      ip: f.current.ip,
      location: f.current.location,
      created_at: "2026-11-20T08:30:00Z",
      expires_at: "2026-12-20T08:30:00Z",
    },
  ],
};

// The fixtures are pinned to f.NOW; move every time by the same amount so that they read as
// recent whenever the preview is opened.
const offset = Date.now() - f.NOW.getTime();
function shifted(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value)) {
    return new Date(Date.parse(value) + offset).toISOString();
  }
  if (Array.isArray(value)) return value.map(shifted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v)]));
  }
  return value;
}

mockIPC(
  (cmd, payload) => {
    const answer = answers[cmd];
    if (!answer) throw { kind: "unavailable", message: `preview has no ${cmd}` };
    const raw = answer((payload ?? {}) as Record<string, unknown>);
    return cmd === "set_settings" ? raw : shifted(raw);
  },
  { shouldMockEvents: true },
);

const target = document.getElementById("app");
if (target) mount(App, { target });

// Open the section named in the hash, once the app has loaded.
const section = location.hash.slice(1);
if (section) {
  setTimeout(async () => {
    await tick();
    const index = ["sessions", "alerts", "history", "security", "accounts", "about"].indexOf(section);
    const buttons = document.querySelectorAll<HTMLButtonElement>("nav button");
    buttons[index]?.click();
    await tick();
    if (section === "alerts") document.querySelector<HTMLButtonElement>(".alert .primary")?.click();
  }, 300);
}
