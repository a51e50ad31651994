// Example data in the exact shapes the core sends (typed by the generated bindings), for tests
// and the dev-only preview page. Never imported by the app itself.

import type { Alert } from "../bindings/Alert";
import type { Capabilities } from "../bindings/Capabilities";
import type { Session } from "../bindings/Session";
import type { Withdrawal } from "../bindings/Withdrawal";
import type {
  AccountSummary,
  AlertRecord,
  HistoryPage,
  HistoryRow,
  SessionItem,
  SessionsPage,
  Settings,
  SyncStatus,
} from "../lib/types";

/** The moment tests treat as "now": 27 Nov 2026 12:00 UTC. */
export const NOW = new Date("2026-11-27T12:00:00Z");

export const current: Session = {
  id: "s-current",
  current: true,
  client: "desktop",
  remember_me: true,
  trusted_device: true,
  created_at: "2026-11-20T08:30:00Z",
  last_active_at: "2026-11-27T11:58:00Z",
  expires_at: "2026-12-27T11:58:00Z",
  ip: "91.64.12.7",
  device: {
    label: "Chrome 124 on macOS Sonoma",
    browser: "Chrome",
    browser_version: "124",
    os: "macOS",
    os_version: "Sonoma",
    device_type: "desktop",
    user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/124.0.0.0 Safari/537.36",
  },
  network: { asn: 3320, isp: "Deutsche Telekom AG" },
  location: {
    city: "Berlin",
    region: "Land Berlin",
    country_code: "DE",
    country: "Germany",
    latitude: 52.52,
    longitude: 13.405,
  },
};

export const phone: Session = {
  ...current,
  id: "s-phone",
  current: false,
  client: "mobile_pwa",
  trusted_device: false,
  created_at: "2026-10-02T17:00:00Z",
  last_active_at: "2026-11-27T09:00:00Z",
  ip: "2a02:8109:1234:5600::1",
  device: {
    label: "Mobile Safari 17 on iOS 17.4",
    browser: "Mobile Safari",
    browser_version: "17",
    os: "iOS",
    os_version: "17.4",
    device_type: "mobile",
    user_agent: null,
  },
  network: { asn: 3209, isp: "Vodafone GmbH" },
  location: {
    city: "Hamburg",
    region: null,
    country_code: "DE",
    country: "Germany",
    latitude: 53.55,
    longitude: 9.99,
  },
};

export const stranger: Session = {
  ...current,
  id: "s-stranger",
  current: false,
  client: "web",
  remember_me: false,
  trusted_device: false,
  created_at: "2026-11-27T10:40:00Z",
  last_active_at: "2026-11-27T11:10:00Z",
  ip: "177.54.144.9",
  device: {
    label: "Firefox 125 on Windows 11",
    browser: "Firefox",
    browser_version: "125",
    os: "Windows",
    os_version: "11",
    device_type: "desktop",
    user_agent: null,
  },
  network: { asn: 28573, isp: "Claro NXT Telecomunicacoes Ltda" },
  location: {
    city: "São Paulo",
    region: "São Paulo",
    country_code: "BR",
    country: "Brazil",
    latitude: -23.55,
    longitude: -46.63,
  },
};

/** A session whose server-supplied strings try to be markup. */
export const hostile: Session = {
  ...stranger,
  id: "s-hostile",
  device: { ...stranger.device, label: "<img src=x onerror=alert(1)>" },
  network: { asn: null, isp: "<b>ISP</b>" },
  location: {
    city: "<script>alert(2)</script>",
    region: null,
    country_code: null,
    country: null,
    latitude: null,
    longitude: null,
  },
};

export const status: SyncStatus = {
  account_id: "a1",
  phase: "idle",
  last_synced_at: "2026-11-27T11:58:30Z",
  live: true,
  last_error: null,
};

/** A session as the sessions page lists it: not trusted, no open alert. */
export function item(session: Session, extra: Partial<SessionItem> = {}): SessionItem {
  return { ...session, trust: null, open_alert: null, ...extra };
}

export const sessionList: SessionsPage = {
  status,
  current_session_id: current.id,
  sessions: [item(current, { trust: "own" }), item(phone), item(stranger)],
};

export const takeover: Alert = {
  key: "session:s-stranger",
  kind: "possible_takeover",
  severity: "critical",
  title: "Possible account takeover",
  summary: "Firefox 125 on Windows 11 · São Paulo, Brazil",
  session_id: "s-stranger",
  event_id: null,
  reasons: [
    { type: "unfamiliar_device", label: "Firefox 125 on Windows 11" },
    { type: "unfamiliar_country", country_code: "BR", country: "Brazil" },
    { type: "network", asn: 28573, isp: "Claro NXT Telecomunicacoes Ltda", seen_before: false },
  ],
  steps: [
    { type: "sign_out_session", session_id: "s-stranger" },
    { type: "change_password" },
    { type: "reset_two_factor" },
    { type: "review_withdrawals" },
    { type: "block_ip", ip: "177.54.144.9" },
    { type: "contact_support" },
  ],
  occurred_at: "2026-11-27T10:40:00Z",
};

export const vpn: Alert = {
  key: "session:s-vpn",
  kind: "new_country",
  severity: "warning",
  title: "New country — VPN or unusual route?",
  summary: "Chrome 124 on macOS Sonoma · Amsterdam, Netherlands",
  session_id: "s-vpn",
  event_id: null,
  reasons: [
    { type: "unfamiliar_country", country_code: "NL", country: "Netherlands" },
    { type: "vpn_or_hosting_network", asn: 9009, operator: "M247", isp: "M247 Europe SRL" },
  ],
  steps: [{ type: "sign_out_session", session_id: "s-vpn" }],
  occurred_at: "2026-11-26T21:15:00Z",
};

/** An alert as the core stores it, `state` and `updated_at` as given, raised when it occurred. */
export function record(
  alert: Alert,
  state: AlertRecord["state"] = "open",
  updated_at: string | null = null,
): AlertRecord {
  return {
    alert,
    state,
    resolution: state === "resolved" ? "acted" : null,
    action: null,
    raised_at: alert.occurred_at,
    updated_at,
    notice: "shown",
  };
}

export const alerts: AlertRecord[] = [
  record(takeover, "open"),
  record(vpn, "acknowledged", "2026-11-26T22:00:00Z"),
];

export const offlineStatus: SyncStatus = {
  ...status,
  phase: "offline",
  live: false,
  last_synced_at: "2026-11-27T08:00:00Z",
  last_error: { kind: "network", message: "connection refused" },
};

export const accounts: AccountSummary[] = [
  {
    id: "a1",
    server_url: "https://exchange.example",
    email: "amira@example.com",
    added_at: "2026-11-01T09:00:00Z",
    remembered: true,
    active: true,
    signed_in: true,
    session_id: "s-current",
    history_path: "/home/amira/.local/share/keepwatch/history/a1.sqlite",
    provider: "keepwatch_api",
    capabilities: {
      change_password: true,
      reset_two_factor: true,
      withdrawals: true,
      blocklist: true,
      session_length: true,
      trusted_devices: true,
      login_history: true,
      first_login: true,
      sign_out_needs_password: false,
      places_from_local_data: false,
    },
  },
];

/** What a Matrix account's provider offers: its sessions, and no account settings. */
export const matrixCapabilities: Capabilities = {
  change_password: false,
  reset_two_factor: false,
  withdrawals: false,
  blocklist: false,
  session_length: false,
  trusted_devices: false,
  login_history: false,
  first_login: false,
  sign_out_needs_password: true,
  places_from_local_data: true,
};

export const settings: Settings = {
  language: null,
  notifications: { enabled: true, min_severity: "warning", sound: false },
  travel_mode_until: null,
  start_at_login: true,
  location_data_folder: null,
};

function row(session: Session, state: HistoryRow["state"], extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    id: session.id,
    state,
    at: session.created_at,
    last_active_at: session.last_active_at,
    ended_at: null,
    end_reason: null,
    ip: session.ip,
    device: session.device,
    network: session.network,
    location: session.location,
    confirmed: false,
    alert_severity: null,
    ...extra,
  };
}

export const historyPage: HistoryPage = {
  status,
  rows: [
    row(stranger, "active", { alert_severity: "critical" }),
    row(current, "active", { confirmed: true }),
    row(phone, "active", { confirmed: true }),
    row({ ...phone, id: "s-old", created_at: "2026-09-12T07:00:00Z" }, "expired", {
      ended_at: "2026-10-12T07:00:00Z",
    }),
    row({ ...hostile, id: "f-1", created_at: "2026-11-25T03:00:00Z" }, "failed"),
  ],
  total: 5,
  total_is_exact: true,
  countries: ["BR", "DE"],
  devices: [
    "Chrome 124 on macOS Sonoma",
    "Firefox 125 on Windows 11",
    "Mobile Safari 17 on iOS 17.4",
  ],
};

export const withdrawalList: Withdrawal[] = [
  {
    id: "w1",
    asset: "BTC",
    amount: "0.5",
    address: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
    address_in_book: false,
    created_at: "2026-11-27T10:52:00Z",
    status: "pending",
    session_id: "s-stranger",
    ip: "177.54.144.9",
  },
  {
    id: "w2",
    asset: "ETH",
    amount: "1.2",
    address: "0x52908400098527886E0F7030069857D2E4169EE7",
    address_in_book: true,
    created_at: "2026-11-20T09:00:00Z",
    status: "completed",
    session_id: "s-current",
    ip: "91.64.12.7",
  },
];
